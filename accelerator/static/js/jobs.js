// A job's page: poll its progress while it runs; reload once it has finished, so the page
// shows its result (or its error and the retry button) as the server renders them.
(function () {
  const card = document.querySelector("[data-job-progress]");
  if (!card) return;
  const status = card.dataset.status;
  if (status === "done" || status === "failed") return;
  const bar = card.querySelector(".job-progress");
  const percent = card.querySelector(".job-percent");
  const words = card.querySelector(".job-words");
  let count = card.querySelector(".job-count");
  const url = card.dataset.jobProgress;
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    percent.textContent = data.percent + " %";
    if (data.total) {
      if (!count) {
        count = document.createElement("span");
        count.className = "job-count";
        words.before(count);
      }
      count.textContent = card.dataset.count
        .replace("{done}", format.format(data.done))
        .replace("{total}", format.format(data.total));
    }
    if (data.message) words.textContent = data.message;
    const badge = card.querySelector(".job-status");
    if (badge && badge.dataset.status !== data.status) {
      badge.dataset.status = data.status;
      badge.textContent = data.label;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((data) => {
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(() => window.setTimeout(poll, 3000));
  }
  window.setTimeout(poll, 500);
})();
