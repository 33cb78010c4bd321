// A "timeseries" panel: one or more metrics over the range (POST timeseries), optionally one line
// per top item (POST topn, then a filtered series each), headed by SLA percentiles (POST sla) or
// the total of a count.

import { drawChart } from "../chart.js";
import { el } from "../dom.js";
import { formatValue } from "../format.js";
import { grainFor } from "../range.js";
import { dataTable } from "../table.js";

// The lines to draw: the panel's series, or, when it is split `per` item, one per top item.
async function linesOf(panel, api, window) {
  if (!panel.per) {
    return panel.series.map((series) => ({ label: series.label, metric: series.metric, filters: {} }));
  }
  const [series] = panel.series;
  const top = await api.topn({ metric: panel.per.topn, n: panel.per.n, ...window });
  return top.data.map((item) => ({
    label: item.key,
    metric: series.metric,
    filters: { [panel.per.filter]: item.key },
  }));
}

async function slaFigures(panel, api, window) {
  const sla = await api.sla({ metric: panel.sla, ...window });
  return [
    ...["p50", "p95", "p99"].map((level) => ({
      key: level,
      label: level,
      value: sla[level] ?? "",
      text: formatValue(sla[level], "ms"),
    })),
    { key: "samples", label: "samples", value: sla.samples, text: formatValue(sla.samples, "count") },
  ];
}

function totalFigure(columns) {
  const total = columns[0].reduce((sum, value) => sum + (value ?? 0), 0);
  return [{ key: "total", label: "total", value: total, text: formatValue(total, "count") }];
}

export async function renderTimeseries(panel, frame, { api, range }) {
  const grain = grainFor(range.grain, panel.grains);
  const window = { from: range.from, to: range.to };
  frame.describe({ ...window, grain });
  const lines = await linesOf(panel, api, window);
  const [answers, sla] = await Promise.all([
    Promise.all(lines.map((line) => api.timeseries({ metric: line.metric, ...window, grain, filters: line.filters }))),
    panel.sla ? slaFigures(panel, api, window) : null,
  ]);
  const columns = answers.map((answer) => answer.data.map((point) => point.value));
  if (!columns.some((column) => column.some((value) => value !== null))) {
    frame.empty("No data in this range.");
    return null;
  }
  const buckets = answers[0].data.map((point) => point.t);
  const labels = lines.map((line) => line.label);
  const single = panel.unit === "count" && columns.length === 1;
  frame.setSummary(sla ?? (single ? totalFigure(columns) : []));
  const chartBox = el("div", { class: "chart", role: "img", "aria-label": `${frame.title}: chart; the numbers are under "Show data"` });
  frame.show(chartBox, dataTable({ caption: frame.title, buckets, grain, labels, columns, unit: panel.unit }));
  return drawChart(chartBox, { buckets, columns, labels, unit: panel.unit, style: panel.style, grain });
}
