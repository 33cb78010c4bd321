// The dashboard page: sign in with a read key, pick a range, draw every pack's panels.
// Panels come from /dashboard/panels.json (one JSON file per pack on the server), so a new pack's
// panels appear here without a change to this code.

import { ApiError, ReportApi } from "./api.js";
import { el } from "./dom.js";
import { PanelFrame } from "./frame.js";
import { renderPanel } from "./panels/index.js";
import { DEFAULT_RANGE, RANGES, rangeFor } from "./range.js";

// sessionStorage: the key lives as long as this tab, and never in a URL or a cookie.
const KEY_STORAGE = "eventhouse.readKey";
const $ = (id) => document.getElementById(id);
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

const state = { api: null, panels: [], rangeId: DEFAULT_RANGE, cleanups: [], generation: 0 };

async function loadPanels() {
  const response = await fetch("/dashboard/panels.json");
  if (!response.ok) throw new Error(`the panel registry answered ${response.status}`);
  return (await response.json()).panels;
}

function buildRangePicker() {
  const picker = $("range-picker");
  for (const preset of RANGES) {
    const id = `range-${preset.id}`;
    picker.append(
      el("input", { type: "radio", name: "range", id, value: preset.id, checked: preset.id === state.rangeId }),
      el("label", { for: id, title: preset.name }, preset.label),
    );
  }
  picker.addEventListener("change", (event) => {
    state.rangeId = event.target.value;
    render();
  });
}

function clearPanels() {
  for (const cleanup of state.cleanups) cleanup();
  state.cleanups = [];
  $("panels").replaceChildren();
}

async function drawPanel(panel, range, generation) {
  const frame = new PanelFrame(panel);
  $("panels").append(frame.element);
  try {
    const cleanup = await renderPanel(panel, frame, { api: state.api, range });
    if (!cleanup) return;
    // a newer render may have replaced this one while it loaded: then remove the chart at once
    if (generation === state.generation) state.cleanups.push(cleanup);
    else cleanup();
  } catch (error) {
    if (error instanceof ApiError && error.refusesKey) {
      if (generation === state.generation) signOut("The report API no longer accepts that key; sign in again.");
      return;
    }
    frame.error(error.message);
  }
}

async function render() {
  const generation = ++state.generation;
  clearPanels();
  const preset = RANGES.find((r) => r.id === state.rangeId);
  const range = rangeFor(preset);
  $("dashboard").dataset.state = "loading";
  $("status").textContent = `${preset.name} · loading…`;
  await Promise.all(state.panels.map((panel) => drawPanel(panel, range, generation)));
  if (generation !== state.generation || !state.api) return;
  $("dashboard").dataset.state = "ready";
  $("status").textContent = `${preset.name} · updated ${clock.format(new Date())}`;
}

function showDashboard(api) {
  state.api = api;
  $("sign-in").hidden = true;
  $("controls").hidden = false;
  $("dashboard").hidden = false;
  render();
}

function showSignIn(message = "") {
  $("dashboard").hidden = true;
  $("controls").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message;
  $("read-key").focus();
}

function signOut(message = "") {
  sessionStorage.removeItem(KEY_STORAGE);
  state.api = null;
  state.generation += 1;
  clearPanels();
  showSignIn(message);
}

async function signIn(event) {
  event.preventDefault();
  const input = $("read-key");
  const key = input.value.trim();
  if (!key) {
    $("sign-in-error").textContent = "Enter a read key.";
    return;
  }
  const button = event.submitter ?? event.target.querySelector("button");
  button.disabled = true;
  try {
    const api = new ReportApi(key);
    await api.metrics(); // any answer but 401/403 means the key is a live read key
    sessionStorage.setItem(KEY_STORAGE, key);
    input.value = "";
    showDashboard(api);
  } catch (error) {
    $("sign-in-error").textContent =
      error instanceof ApiError && error.refusesKey
        ? "This key was not accepted. Use a read key (ehr_…) that has not been revoked."
        : `The report API could not be reached: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

async function start() {
  buildRangePicker();
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", () => signOut());
  $("refresh").addEventListener("click", () => render());
  try {
    state.panels = await loadPanels();
  } catch (error) {
    showSignIn(`The dashboard could not load its panels: ${error.message}`);
    return;
  }
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) showDashboard(new ReportApi(key));
  else showSignIn();
}

start();
