"""The dashboard in headless Chromium against a real API over real marts: it signs in with a read key,
draws every pack's panels with the report API's numbers, requests nothing from another site, and
logs nothing to the console."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright

from tests.e2e.conftest import World, report

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"  # Debian's; `make system-deps` installs it (never `playwright install`)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = "#dashboard[data-state=ready]"
PANELS = {"event-volume", "voice-first-response", "tool-success-rate", "checkout-funnel", "kb-hit-rate"}
CHECKOUT = ["commerce.view", "commerce.add_to_cart", "commerce.checkout", "commerce.order_placed"]

# Everything the tests read off the page: per panel, its state and range, the headline figures and
# the numbers behind each chart or funnel, as the data-* attributes keep them (the API's numbers).
READ_PANELS = """() => [...document.querySelectorAll("article.panel")].map((panel) => ({
  id: panel.dataset.panelId,
  state: panel.dataset.state,
  from: panel.dataset.from, to: panel.dataset.to, grain: panel.dataset.grain,
  message: panel.querySelector(".panel-message")?.textContent ?? null,
  figures: Object.fromEntries([...panel.querySelectorAll(".figure")].map(
    (f) => [f.dataset.figure, f.querySelector("dd").dataset.value])),
  labels: [...panel.querySelectorAll(".panel-data thead th")].slice(1).map((th) => th.textContent),
  rows: [...panel.querySelectorAll(".panel-data tbody tr")].map((tr) => ({
    t: tr.querySelector("th").dataset.t,
    values: [...tr.querySelectorAll("td")].map((td) => td.dataset.value)})),
  steps: [...panel.querySelectorAll("table.funnel tbody tr")].map((tr) => ({
    step: tr.dataset.step,
    values: [...tr.querySelectorAll("td[data-value]")].map((td) => td.dataset.value)})),
}))"""

# Pixels of each series colour (--series-N) on a panel's canvas: proof that lines and bars were drawn.
# Read from a copy made for reading, so the chart's own canvas is not slowed (nor warned about).
SERIES_PIXELS = """(id) => {
  const chart = document.querySelector(`[data-panel-id="${id}"] canvas`);
  const copy = document.createElement("canvas");
  Object.assign(copy, { width: chart.width, height: chart.height });
  const context = copy.getContext("2d", { willReadFrequently: true });
  context.drawImage(chart, 0, 0);
  const { data } = context.getImageData(0, 0, copy.width, copy.height);
  const style = getComputedStyle(document.documentElement);
  return [1, 2, 3, 4, 5, 6, 7, 8].map((n) => {
    const hex = style.getPropertyValue(`--series-${n}`).trim();
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const near = Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12;
      if (near && data[i + 3] > 200) count += 1;
    }
    return count;
  });
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclasses.dataclass
class Tab:
    page: Page
    console: list[str]  # every console message and uncaught error, "type: text"
    offsite: list[str]  # requests for anything the API does not serve (all refused)

    def problems(self) -> list[str]:
        return [m for m in self.console if m.startswith(("error", "warning", "pageerror"))]


@pytest.fixture
def tab(browser: Browser, world: World) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US", timezone_id="UTC")
    page = context.new_page()
    opened = Tab(page, [], [])

    def log(message: ConsoleMessage) -> None:
        opened.console.append(f"{message.type}: {message.text}")

    def refuse(route: Route) -> None:
        opened.offsite.append(route.request.url)
        route.abort()

    page.on("console", log)
    page.on("pageerror", lambda error: opened.console.append(f"pageerror: {error}"))
    context.route(lambda url: not url.startswith(f"{world.api_url}/"), refuse)
    try:
        yield opened
    finally:
        print("\n".join(["console:", *opened.console]))
        context.close()


def _sign_in(tab: Tab, world: World, key: str) -> None:
    tab.page.goto(f"{world.api_url}/dashboard")
    tab.page.get_by_label("Read key").fill(key)
    tab.page.get_by_role("button", name="Open dashboard").click()


def _panels(page: Page) -> dict[str, dict[str, Any]]:
    page.wait_for_selector(READY, timeout=60_000)
    return {panel["id"]: panel for panel in page.evaluate(READ_PANELS)}


def _definitions(world: World) -> dict[str, dict[str, Any]]:
    panels = httpx.get(f"{world.api_url}/dashboard/panels.json", timeout=30).json()["panels"]
    return {panel["id"]: panel for panel in panels}


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def _expected_series(world: World, panel: dict[str, Any], shown: dict[str, Any]) -> dict[str, list[Any]]:
    """Label -> the API's points, asked the way the panel's definition says (not the way the page did)."""
    window = {"from": shown["from"], "to": shown["to"]}
    if panel["per"]:
        top = report(world, "t_1", "topn", {"metric": panel["per"]["topn"], "n": panel["per"]["n"], **window})
        lines = [
            (item["key"], panel["series"][0]["metric"], {panel["per"]["filter"]: item["key"]})
            for item in top["data"]
        ]
    else:
        lines = [(s["label"], s["metric"], {}) for s in panel["series"]]
    return {
        label: report(world, "t_1", "timeseries", {"metric": metric, "grain": shown["grain"], "filters": filters, **window})["data"]
        for label, metric, filters in lines
    }  # fmt: skip


def _check_timeseries(world: World, tab: Tab, panel: dict[str, Any], shown: dict[str, Any]) -> None:
    expected = _expected_series(world, panel, shown)
    assert shown["labels"] == list(expected), panel["id"]
    points = next(iter(expected.values()))
    assert [row["t"] for row in shown["rows"]] == [p["t"] for p in points], panel["id"]
    for index, series in enumerate(expected.values()):
        values = [_number(row["values"][index]) for row in shown["rows"]]
        assert values == [p["value"] for p in series], (panel["id"], index)
        assert any(v is not None for v in values), f"{panel['id']}: the world must give every series data"
        drawn = tab.page.evaluate(SERIES_PIXELS, panel["id"])[index]
        assert drawn > 30, f"{panel['id']}: series {index} has {drawn} pixels of its colour on the canvas"


def _check_range(shown: dict[str, Any], hours: int, grain: str) -> tuple[dt.datetime, dt.datetime]:
    start, end = (dt.datetime.fromisoformat(shown[k].replace("Z", "+00:00")) for k in ("from", "to"))
    assert end - start == dt.timedelta(hours=hours) and shown["grain"] == grain
    now = dt.datetime.now(dt.UTC)
    bucket = dt.timedelta(hours=1 if grain == "1h" else 24)
    assert now <= end <= now + bucket, "the range ends at the end of the current bucket"
    return start, end


def test_every_panel_shows_the_report_apis_numbers(world: World, tab: Tab, tmp_path: Path) -> None:
    _sign_in(tab, world, world.read_keys["t_1"])
    shown = _panels(tab.page)
    definitions = _definitions(world)
    assert list(shown) == list(definitions), "one panel per registry entry, in registry order"
    assert set(shown) >= PANELS
    assert all(p["state"] == "ready" for p in shown.values()), {k: p["message"] for k, p in shown.items()}
    for panel_id, panel in definitions.items():
        if panel["kind"] == "timeseries":
            _check_range(shown[panel_id], hours=24 * 7, grain="1h")  # the default range
            _check_timeseries(world, tab, panel, shown[panel_id])
    window = {"from": shown["event-volume"]["from"], "to": shown["event-volume"]["to"]}

    # headline figures: SLA percentiles over the range, and the event total against the ground truth
    sla = report(world, "t_1", "sla", {"metric": "voice.first_response_ms", **window})
    figures = shown["voice-first-response"]["figures"]
    assert {k: _number(figures[k]) for k in ("samples", "p50", "p95", "p99")} == sla and sla["samples"] > 1000
    start, end = _check_range(shown["event-volume"], hours=24 * 7, grain="1h")
    truth = sum(1 for e in world.truth.events if e.tenant_id == "t_1" and start <= e.occurred_at < end)
    assert _number(shown["event-volume"]["figures"]["total"]) == truth > 10_000
    assert len(shown["tool-success-rate"]["labels"]) == 6

    funnel = definitions["checkout-funnel"]
    asked = {"steps": funnel["steps"], "window": funnel["window"], "by": funnel["by"], **window}
    answer = report(world, "t_1", "funnel", asked)
    steps = shown["checkout-funnel"]["steps"]
    assert [s["step"] for s in steps] == answer["steps"] == CHECKOUT
    counts, rates = answer["counts"], answer["rates"]
    assert [[_number(v) for v in s["values"]] for s in steps] == [
        [counts[i], rates[i], None if i == 0 else counts[i] / counts[i - 1]] for i in range(len(steps))
    ]
    assert counts[0] > counts[-1] > 0

    screenshot = tmp_path / "dashboard.png"
    tab.page.screenshot(path=screenshot, full_page=True)
    print(f"dashboard screenshot: {screenshot}")
    assert tab.problems() == [] and tab.offsite == []


def test_the_range_picker_reloads_every_panel(world: World, tab: Tab) -> None:
    _sign_in(tab, world, world.read_keys["t_1"])
    _panels(tab.page)
    for label, hours, grain in (("24 h", 24, "1h"), ("90 d", 24 * 90, "1d")):
        tab.page.get_by_text(label, exact=True).click()
        tab.page.wait_for_selector(f"article[data-panel-id=event-volume][data-from][data-grain='{grain}']")
        shown = _panels(tab.page)
        volume = shown["event-volume"]
        start, end = _check_range(volume, hours=hours, grain=grain)
        assert len(volume["rows"]) == hours * 3600 // (3600 if grain == "1h" else 86400)
        truth = sum(1 for e in world.truth.events if e.tenant_id == "t_1" and start <= e.occurred_at < end)
        assert _number(volume["figures"]["total"]) == truth
        _check_timeseries(world, tab, _definitions(world)["kb-hit-rate"], shown["kb-hit-rate"])
    assert tab.problems() == [] and tab.offsite == []


def test_a_tenant_without_events_sees_empty_panels(world: World, tab: Tab) -> None:
    _sign_in(tab, world, world.read_keys["t_empty"])
    shown = _panels(tab.page)
    assert {p["state"] for p in shown.values()} == {"empty"}
    assert shown["event-volume"]["message"] == "No data in this range."
    assert shown["checkout-funnel"]["message"] == "No sessions reached “View” in this range."
    assert all(p["figures"] == {} and p["rows"] == [] for p in shown.values())
    assert tab.problems() == [] and tab.offsite == []


def test_other_keys_are_refused_and_never_stored(world: World, tab: Tab) -> None:
    for key, status in (("ehr_not-a-key", 401), (world.write_key, 403)):
        _sign_in(tab, world, key)
        expect(tab.page.get_by_role("alert")).to_contain_text("This key was not accepted")
        assert tab.page.locator("#dashboard").is_hidden()
        assert tab.page.evaluate("() => sessionStorage.length") == 0
        # the browser itself logs the refused request; nothing else may appear
        refused = f"error: Failed to load resource: the server responded with a status of {status} ("
        assert len(tab.problems()) == 1 and tab.problems()[0].startswith(refused), tab.problems()
        tab.console.clear()
    assert tab.offsite == []


def test_the_key_lasts_for_the_tab_until_signing_out(world: World, tab: Tab) -> None:
    _sign_in(tab, world, world.read_keys["t_2"])
    _panels(tab.page)
    tab.page.reload()
    assert tab.page.locator("#sign-in").is_hidden()
    assert _panels(tab.page)["event-volume"]["state"] == "ready"
    tab.page.get_by_role("button", name="Sign out").click()
    assert tab.page.get_by_label("Read key").is_visible()
    assert tab.page.evaluate("() => sessionStorage.length") == 0
    assert tab.page.locator("article.panel").count() == 0
    assert tab.problems() == [] and tab.offsite == []
