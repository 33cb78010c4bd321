"""The dashboard's files without a browser: the pack panel registry, and what the routes serve (every
asset the page loads is ours and is there; the chart library is the locked npm version)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from ingest_api.dashboard import ROUTES, routes
from ingest_api.dashboard.registry import PACKS, PanelError, default_panels, load_panels
from ingest_api.reports.catalogue import dbt_var, default_catalogue

DASHBOARD = Path(routes.__file__).parent


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    with TestClient(Litestar(route_handlers=ROUTES)) as test_client:
        yield test_client


def _load(tmp_path: Path, packs: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    for name, panels in packs.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(panels))
    files = [tmp_path / f"{name}.json" for name in packs]
    return load_panels(files, default_catalogue(), dbt_var("funnels"))


def test_every_shipped_panel_resolves_against_the_catalogue() -> None:
    panels = default_panels()
    assert panels[0]["pack"] == "core"
    assert len({p["id"] for p in panels}) == len(panels)
    packs = {metric.pack for metric in default_catalogue()}
    assert {path.stem for path in PACKS.glob("*.json")} <= packs, "a panel file per pack of the catalogue"
    for panel in panels:
        if panel["kind"] == "timeseries":
            assert panel["unit"] and "1h" in panel["grains"] and panel["description"], panel["id"]
        else:
            assert len(panel["steps"]) >= 2 and panel["by"] in ("session", "user"), panel["id"]


def test_a_pack_adds_panels_with_a_file_of_its_own(tmp_path: Path) -> None:
    panels = _load(
        tmp_path,
        {
            "core": [
                {
                    "kind": "timeseries",
                    "id": "volume",
                    "title": "Volume",
                    "series": [{"metric": "events.count"}],
                }
            ],
            "hospitality": [
                {"kind": "funnel", "id": "bookings", "title": "Orders", "funnel": "voice_to_order"}
            ],
        },
    )
    assert [(p["pack"], p["id"]) for p in panels] == [("core", "volume"), ("hospitality", "bookings")]
    assert panels[0]["series"] == [{"metric": "events.count", "label": "events.count"}]
    assert panels[0]["description"] == default_catalogue()["events.count"].description
    assert panels[1]["steps"] == dbt_var("funnels")["voice_to_order"]["steps"]


def _timeseries(**fields: Any) -> dict[str, Any]:
    return {"kind": "timeseries", "id": "p", "title": "P", "series": [{"metric": "kb.hit_rate"}], **fields}


@pytest.mark.parametrize(
    ("panels", "message"),
    [
        ([_timeseries(series=[{"metric": "kb.nope"}])], "panel p: metric kb.nope is not in the catalogue"),
        ([_timeseries(series=[])], "panel p: needs at least one series"),
        (
            [_timeseries(series=[{"metric": "kb.hit_rate"}, {"metric": "events.count"}])],
            "series of one panel share one unit, not count, ratio",
        ),
        ([_timeseries(per={"topn": "tools", "filter": "tool_name"})], "kb.hit_rate has no filter tool_name"),
        ([_timeseries(per={"topn": "guests", "filter": "x"})], "per.topn must be one of tools"),
        ([_timeseries(sla="voice.first_response")], "sla names a latency attribute"),
        ([_timeseries(), _timeseries()], "panel p: the id is already taken"),
        (
            [{"kind": "funnel", "id": "p", "title": "P", "funnel": "nope"}],
            "funnel nope is not in dbt_project.yml",
        ),
        ([{"kind": "funnel", "id": "p", "title": "P", "funnel": "booking"}], "not attribute:booking.slot_id"),
        ([{"kind": "map", "id": "p", "title": "P"}], "Invalid value 'map'"),
        ([_timeseries(colour="red")], "Object contains unknown field `colour`"),
    ],
)
def test_a_broken_panel_is_refused_naming_file_and_panel(
    tmp_path: Path, panels: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(PanelError, match=re.escape(message)) as raised:
        _load(tmp_path, {"voice": panels})
    assert str(raised.value).startswith("voice.json: ")


def test_the_page_is_locked_down(client: TestClient[Litestar]) -> None:
    page = client.get("/dashboard")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    for rule in ("default-src 'none'", "script-src 'self'", "connect-src 'self'", "form-action 'none'"):
        assert rule in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-cache"


def _references(text: str) -> list[str]:
    """src/href attributes of the page, and `import ... from "..."` specifiers of a module."""
    return re.findall(r'(?:src|href)="([^"]+)"', text) + re.findall(
        r'^import .* from "([^"]+)";$', text, re.M
    )


def test_everything_the_page_loads_is_served_from_here(client: TestClient[Litestar]) -> None:
    """Crawl the page and its modules' imports: every file is ours, on this server, and served."""
    kinds = {".js": "text/javascript", ".css": "text/css"}
    todo, seen = ["/dashboard"], set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        suffix = Path(url).suffix
        if suffix in kinds:
            assert response.headers["content-type"].startswith(kinds[suffix]), url
        for ref in _references(response.text) if suffix in ("", ".js") else []:
            if ref.startswith("data:"):
                continue
            assert not re.match(r"^(https?:)?//", ref), f"{url} loads {ref} from another site"
            todo.append(urljoin(url, ref))  # as the browser resolves it
    assert {"/dashboard/vendor/uPlot.esm.js", "/dashboard/assets/js/panels/funnel.js"} <= seen


def test_the_registry_is_served(client: TestClient[Litestar]) -> None:
    assert client.get("/dashboard/panels.json").json() == {"panels": default_panels()}


def test_only_the_chart_library_is_served_from_node_modules(
    client: TestClient[Litestar], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert client.get("/dashboard/vendor/package.json").status_code == 404
    assert client.get("/dashboard/vendor/..%2F..%2Fpackage.json").status_code == 404
    monkeypatch.setattr(routes, "VENDOR", tmp_path)  # as before `npm ci`
    missing = client.get("/dashboard/vendor/uPlot.esm.js")
    assert missing.status_code == 503 and "npm ci" in missing.text


def test_node_modules_holds_the_locked_chart_library() -> None:
    """`npm ci` installed exactly the lock file's uPlot (a stale node_modules fails here)."""
    locked = json.loads((DASHBOARD / "package-lock.json").read_text())["packages"]["node_modules/uplot"]
    installed = json.loads((DASHBOARD / "node_modules" / "uplot" / "package.json").read_text())
    assert installed["version"] == locked["version"]
    assert json.loads((DASHBOARD / "package.json").read_text())["dependencies"] == {
        "uplot": locked["version"]
    }
