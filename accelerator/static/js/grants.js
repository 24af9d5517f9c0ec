// Grant page: choosing a tranche proposes its outstanding share, unless the amount was edited.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("#request-form select[data-amounts]");
  const amount = document.querySelector("#request-form input[name='amount']");
  if (!select || !amount) return;
  const defaults = JSON.parse(select.dataset.amounts || "{}");
  select.addEventListener("change", () => {
    const previous = defaults[select.dataset.previous || ""] ?? amount.defaultValue;
    if (amount.value === "" || amount.value === previous) {
      amount.value = defaults[select.value] || "";
    }
    select.dataset.previous = select.value;
  });
  select.dataset.previous = select.value;
});
