// A "funnel" panel: entities (sessions or users) reaching each step in order within the window
// (POST funnel), drawn as a table of bars: each step's count, share of the first step, and of the
// step before it.

import { el } from "../dom.js";
import { formatValue } from "../format.js";

// commerce.add_to_cart → "Add to cart"; the full event name stays in the row's data-step.
function stepName(step) {
  const words = step.slice(step.lastIndexOf(".") + 1).replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function stepRow(step, index, { counts, rates }) {
  const previous = index === 0 ? null : counts[index - 1] ? counts[index] / counts[index - 1] : null;
  const bar = el("span", { class: "funnel-bar" });
  bar.style.width = `${(rates[index] ?? 0) * 100}%`; // CSSOM, which the page's CSP allows
  return el(
    "tr",
    { dataset: { step } },
    el("th", { scope: "row", title: step }, stepName(step)),
    el("td", { class: "funnel-track" }, bar),
    el("td", { dataset: { value: counts[index] } }, formatValue(counts[index], "count")),
    el("td", { dataset: { value: rates[index] ?? "" } }, formatValue(rates[index], "ratio")),
    el("td", { dataset: { value: previous ?? "" } }, index === 0 ? "" : formatValue(previous, "ratio")),
  );
}

export async function renderFunnel(panel, frame, { api, range }) {
  const window = { from: range.from, to: range.to };
  frame.describe({ ...window, grain: null });
  const answer = await api.funnel({ steps: panel.steps, window: panel.window, by: panel.by, ...window });
  if (!answer.counts[0]) {
    frame.empty(`No ${panel.by}s reached “${stepName(panel.steps[0])}” in this range.`);
    return null;
  }
  const last = answer.rates[answer.rates.length - 1];
  frame.setSummary([
    { key: "entered", label: `${panel.by}s`, value: answer.counts[0], text: formatValue(answer.counts[0], "count") },
    { key: "converted", label: "converted", value: last ?? "", text: formatValue(last, "ratio") },
  ]);
  const head = el(
    "tr",
    {},
    el("th", { scope: "col" }, "Step"),
    el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Share of the first step, as a bar")),
    el("th", { scope: "col" }, `${stepName(panel.by)}s`),
    el("th", { scope: "col" }, "% of first"),
    el("th", { scope: "col" }, "% of previous"),
  );
  frame.show(
    el(
      "table",
      { class: "funnel" },
      el("caption", { class: "visually-hidden" }, frame.title),
      el("thead", {}, head),
      el("tbody", {}, ...panel.steps.map((step, index) => stepRow(step, index, answer))),
    ),
  );
  return null;
}
