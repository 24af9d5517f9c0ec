// Draw every <canvas data-chart-url> of the page with Chart.js, from the JSON the URL answers:
// {type, title, labels, datasets: [{label, data, colour?, axis?}], stacked?, horizontal?, money?}.
// The page already shows the same figures as a table; a chart that fails to load leaves it be.
(function () {
  "use strict";
  const PALETTE = ["#0d6efd", "#ff7900", "#198754", "#6f42c1", "#dc3545", "#20c997", "#6c757d", "#ffc107"];
  const lang = document.documentElement.lang || "en";

  function moneyFormatter(currency) {
    try {
      return new Intl.NumberFormat(lang, { style: "currency", currency: currency, maximumFractionDigits: 0 });
    } catch (e) {
      return new Intl.NumberFormat(lang);
    }
  }

  function draw(canvas, spec) {
    const number = new Intl.NumberFormat(lang);
    const money = spec.money ? moneyFormatter(spec.money) : null;
    const hasMoneyAxis = spec.datasets.some((d) => d.axis === "money");
    const datasets = spec.datasets.map((d, i) => {
      const colour = d.colour || PALETTE[i % PALETTE.length];
      return {
        label: d.label,
        data: d.data,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 1,
        tension: 0.25,
        yAxisID: hasMoneyAxis ? (d.axis === "money" ? "money" : "y") : undefined,
      };
    });
    const valueAxis = spec.horizontal ? "x" : "y";
    const categoryAxis = spec.horizontal ? "y" : "x";
    const format = (v) => (money && !hasMoneyAxis ? money.format(v) : number.format(v));
    const scales = {};
    scales[categoryAxis] = { stacked: !!spec.stacked };
    // Counts and scores tick on whole numbers (no "0.5 introductions"); money keeps its own.
    const ticks = { callback: format, precision: money && !hasMoneyAxis ? undefined : 0 };
    scales[valueAxis] = { stacked: !!spec.stacked, beginAtZero: true, ticks: ticks };
    if (hasMoneyAxis) {
      scales.money = {
        position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
        ticks: { callback: (v) => (money ? money.format(v) : number.format(v)) },
      };
    }
    const chart = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          title: { display: false, text: spec.title },
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const raw = ctx.parsed[valueAxis];
                const isMoney = money && (!hasMoneyAxis || ctx.dataset.yAxisID === "money");
                return ctx.dataset.label + ": " + (isMoney ? money.format(raw) : number.format(raw));
              },
            },
          },
        },
      },
    });
    canvas.dataset.chartDrawn = "1";
    return chart;
  }

  function load(canvas) {
    fetch(canvas.dataset.chartUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((spec) => draw(canvas, spec))
      .catch(() => { canvas.dataset.chartDrawn = "failed"; });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart-url]").forEach(load);
  });
})();
