// Small progressive enhancements; the app works without JavaScript.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Long answer sheets: on a phone, only the first section starts open; the rest expand on a tap.
(function () {
  if (!window.matchMedia || !window.matchMedia("(max-width: 575.98px)").matches) return;
  document.querySelectorAll(".answers").forEach(function (sheet) {
    sheet.querySelectorAll("details.answer-section").forEach(function (section, index) {
      if (index > 0) section.open = false;
    });
  });
})();
