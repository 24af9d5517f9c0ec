// Counts down to each <time data-countdown datetime="..."> on the page, in the visitor's
// language (the page's lang), e.g. "3 days, 4 hours, 12 minutes left". No inline script: CSP.
(function () {
  "use strict";
  const lang = document.documentElement.lang || "en";
  const units = ["day", "hour", "minute", "second"];
  const formats = {};
  units.forEach((unit) => {
    try {
      formats[unit] = new Intl.NumberFormat(lang, { style: "unit", unit: unit, unitDisplay: "long" });
    } catch (error) {
      formats[unit] = { format: (n) => n + " " + unit + (n === 1 ? "" : "s") };
    }
  });
  let list = null;
  try {
    list = new Intl.ListFormat(lang, { style: "long", type: "unit" });
  } catch (error) {
    list = { format: (parts) => parts.join(", ") };
  }

  function describe(ms) {
    let seconds = Math.floor(ms / 1000);
    const days = Math.floor(seconds / 86400);
    seconds -= days * 86400;
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    const values = { day: days, hour: hours, minute: minutes, second: seconds };
    // Show seconds only in the last hour; otherwise days, hours and minutes.
    const shown = days === 0 && hours === 0 ? ["minute", "second"] : ["day", "hour", "minute"];
    const parts = shown
      .filter((unit, index) => values[unit] > 0 || index === shown.length - 1)
      .map((unit) => formats[unit].format(values[unit]));
    return list.format(parts);
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach((element) => {
      const deadline = Date.parse(element.getAttribute("datetime"));
      if (Number.isNaN(deadline)) {
        return;
      }
      const left = deadline - now;
      element.textContent = left > 0 ? describe(left) : element.dataset.ended || "";
      element.dataset.remaining = String(Math.max(0, Math.floor(left / 1000)));
      element.classList.toggle("countdown-urgent", left > 0 && left < 86400000);
    });
  }

  tick();
  window.setInterval(tick, 1000);
})();
