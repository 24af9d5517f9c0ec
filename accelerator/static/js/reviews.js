// Reviews: "select all" checkboxes and a live count on the pipeline's bulk bar.
(() => {
  const update = (name) => {
    const boxes = document.querySelectorAll(`input[type=checkbox][name="${name}"]`);
    const checked = Array.from(boxes).filter((b) => b.checked).length;
    const label = document.getElementById("selected-count");
    if (label && label.dataset.template) {
      label.textContent = label.dataset.template.replace("{n}", checked);
    }
    document.querySelectorAll(`[data-select-all="${name}"]`).forEach((all) => {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    });
  };
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.dataset && target.dataset.selectAll) {
      const name = target.dataset.selectAll;
      document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((box) => {
        box.checked = target.checked;
      });
      update(name);
    } else if (target.name === "application_ids") {
      update(target.name);
    }
  });
  // Conflict reason: only needed (and shown) when "conflict" is chosen.
  const reason = document.querySelector("[data-conflict-reason]");
  if (reason) {
    const sync = () => {
      const chosen = document.querySelector("input[name=conflict]:checked");
      reason.hidden = !(chosen && chosen.value === "conflict");
    };
    document.querySelectorAll("input[name=conflict]").forEach((r) => r.addEventListener("change", sync));
    sync();
  }
})();
