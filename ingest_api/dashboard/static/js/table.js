// The numbers behind a chart, as a table: what screen readers read, and what "Show data" reveals.
// Each cell keeps the API's number in data-value next to its formatted text.

import { el } from "./dom.js";
import { formatBucket, formatValue } from "./format.js";

export function dataTable({ caption, buckets, grain, labels, columns, unit }) {
  const head = el("tr", {}, el("th", { scope: "col" }, "Bucket"), ...labels.map((label) => el("th", { scope: "col" }, label)));
  const rows = buckets.map((t, i) =>
    el(
      "tr",
      {},
      el("th", { scope: "row", dataset: { t } }, formatBucket(t, grain)),
      ...columns.map((column) => el("td", { dataset: { value: column[i] ?? "" } }, formatValue(column[i], unit))),
    ),
  );
  return el(
    "details",
    { class: "panel-data" },
    el("summary", {}, "Show data"),
    el(
      "div",
      { class: "table-scroll" },
      el("table", {}, el("caption", { class: "visually-hidden" }, caption), el("thead", {}, head), el("tbody", {}, ...rows)),
    ),
  );
}
