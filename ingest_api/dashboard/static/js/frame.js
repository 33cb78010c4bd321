// One panel's box: title, description, headline figures, and a body in exactly one state
// (data-state: loading, ready, empty or error), which is also what the tests wait for.

import { el } from "./dom.js";
import { GRAIN_NAMES } from "./format.js";

export class PanelFrame {
  constructor(panel) {
    const titleId = `panel-${panel.id}-title`;
    this.title = panel.title;
    this.meta = el("p", { class: "panel-meta" });
    this.summary = el("dl", { class: "panel-summary" });
    this.body = el("div", { class: "panel-body" });
    this.element = el(
      "article",
      { class: "panel", "aria-labelledby": titleId, dataset: { panelId: panel.id, kind: panel.kind, pack: panel.pack } },
      el("header", { class: "panel-head" }, el("h2", { id: titleId }, panel.title), this.meta),
      el("p", { class: "panel-description" }, panel.description),
      this.summary,
      this.body,
    );
    this.setState("loading", el("p", { class: "panel-message" }, "Loading…"));
  }

  setState(state, ...content) {
    this.element.dataset.state = state;
    this.element.setAttribute("aria-busy", String(state === "loading"));
    this.body.replaceChildren(...content);
  }

  // What the panel shows: the request's range and grain, kept on the element for anyone checking.
  describe({ from, to, grain }) {
    Object.assign(this.element.dataset, { from, to, grain: grain ?? "" });
    this.meta.textContent = grain ? GRAIN_NAMES[grain] : "whole range";
  }

  empty(message) {
    this.setState("empty", el("p", { class: "panel-message" }, message));
  }

  error(message) {
    this.summary.replaceChildren();
    this.setState("error", el("p", { class: "panel-message error", role: "alert" }, `Could not load this panel: ${message}`));
  }

  show(...content) {
    this.setState("ready", ...content);
  }

  // Headline figures, e.g. p50/p95/p99 over the range; data-value keeps the API's number.
  setSummary(figures) {
    this.summary.replaceChildren(
      ...figures.map(({ key, label, value, text }) =>
        el("div", { class: "figure", dataset: { figure: key } }, el("dt", {}, label), el("dd", { dataset: { value } }, text)),
      ),
    );
  }
}
