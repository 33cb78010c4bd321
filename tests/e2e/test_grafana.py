"""Grafana's provisioning (no Docker engine runs here): the files agree with docker-compose.yml, and
every panel's SQL runs on the marts dbt built — macros expanded as the ClickHouse plugin expands
them — giving the ground truth's numbers (or, for percentiles, the report API's)."""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from clickhouse_connect.driver.client import Client

from ingest_api.reports.catalogue import dbt_var
from tests.e2e.conftest import World, report
from tests.support.synthetic import bucket
from warehouse.client import connect

REPO = Path(__file__).resolve().parents[2]
GRAFANA = REPO / "deploy" / "grafana"
PLUGIN = "grafana-clickhouse-datasource"
CHECKOUT = ["commerce.view", "commerce.add_to_cart", "commerce.checkout", "commerce.order_placed"]


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _grafana_service() -> dict[str, Any]:
    return _yaml(REPO / "docker-compose.yml")["services"]["grafana"]


def _datasource() -> dict[str, Any]:
    [datasource] = _yaml(GRAFANA / "provisioning" / "datasources" / "clickhouse.yaml")["datasources"]
    return datasource


def _dashboards() -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted((GRAFANA / "dashboards").glob("*.json"))]


def _targets(dashboard: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            yield panel, target


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> repository path of the service's bind mounts."""
    binds = (volume.split(":") for volume in service["volumes"] if volume.startswith("./"))
    return {target: source.removeprefix("./") for source, target, *_ in binds}


def test_compose_runs_grafana_with_the_plugin_and_our_provisioning() -> None:
    compose = _yaml(REPO / "docker-compose.yml")
    grafana = compose["services"]["grafana"]
    assert re.fullmatch(r"grafana/grafana:\d+\.\d+\.\d+", grafana["image"]), "a pinned Grafana"
    assert re.fullmatch(rf"{PLUGIN}@\d+\.\d+\.\d+", grafana["environment"]["GF_PLUGINS_PREINSTALL"])
    assert _mounts(grafana)["/etc/grafana/provisioning"] == "deploy/grafana/provisioning"
    assert grafana["depends_on"]["clickhouse"]["condition"] == "service_healthy"
    assert "healthcheck" in grafana and "grafana-data" in compose["volumes"]
    host_ports = [p.split(":")[0] for s in compose["services"].values() for p in s.get("ports", [])]
    assert len(host_ports) == len(set(host_ports)), "Grafana's port clashes with another service's"


def test_the_datasource_reaches_the_compose_clickhouse_over_http() -> None:
    datasource, grafana = _datasource(), _grafana_service()
    assert datasource["type"] == PLUGIN
    settings = datasource["jsonData"]
    assert settings["host"] in _yaml(REPO / "docker-compose.yml")["services"]
    assert (settings["protocol"], settings["port"]) == ("http", 8123)
    # every ${VAR} the provisioning file reads is given to the container
    values = json.dumps(datasource)
    assert set(re.findall(r"\$\{(\w+)\}", values)) <= set(grafana["environment"])
    assert settings["defaultDatabase"] == "${EVENTHOUSE_DATABASE}"


def test_the_dashboard_provider_reads_the_mounted_dashboards() -> None:
    [provider] = _yaml(GRAFANA / "provisioning" / "dashboards" / "eventhouse.yaml")["providers"]
    mounted = _mounts(_grafana_service())[provider["options"]["path"]]
    assert mounted == "deploy/grafana/dashboards" and _dashboards()
    home = _grafana_service()["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (REPO / mounted / Path(home).relative_to(provider["options"]["path"])).is_file()


def test_every_query_uses_the_provisioned_datasource_and_reads_marts() -> None:
    uid = _datasource()["uid"]
    marts = {path.stem for path in (REPO / "dbt_project" / "models" / "marts").rglob("*.sql")}
    accuracy = dbt_var("quantile_relative_accuracy")
    for dashboard in _dashboards():
        variables = dashboard["templating"]["list"]
        queries = [(v["datasource"], v["query"]) for v in variables if v["type"] == "query"]
        queries += [(panel["datasource"], target["rawSql"]) for panel, target in _targets(dashboard)]
        for panel, target in _targets(dashboard):
            assert target["datasource"] == panel["datasource"] and target["editorType"] == "sql", panel[
                "title"
            ]
        for datasource, sql in queries:
            assert datasource == {"type": PLUGIN, "uid": uid}
            tables = re.findall(r"\b(?:FROM|JOIN)\s+([\w.]+)", sql, re.I)
            assert tables and set(tables) <= marts, f"{tables} are not all dbt marts"
            # percentiles use the marts' own sketch accuracy (dbt var quantile_relative_accuracy)
            assert {float(a) for a in re.findall(r"quantileDD\w*\(([\d.]+),", sql)} <= {accuracy}
        ids = [panel["id"] for panel in dashboard["panels"]]
        assert len(ids) == len(set(ids))
        assert all(p["gridPos"]["x"] + p["gridPos"]["w"] <= 24 for p in dashboard["panels"])


# --- every panel's SQL against the marts --------------------------------------------------------

_MACROS = re.compile(r"\$__timeFilter\((\w+)\)|\$__fromTime|\$__toTime|\$\{tenant:singlequote\}")


def expand(sql: str, tenant: str, start: dt.datetime, end: dt.datetime) -> str:
    """The plugin's expansion of the macros the dashboard uses (pkg/macros/macros.go in
    grafana/clickhouse-datasource); any other `$` left over fails, so the test cannot lag behind."""

    def one(match: re.Match[str]) -> str:
        text, low, high = (
            match.group(0),
            f"toDateTime({int(start.timestamp())})",
            f"toDateTime({int(end.timestamp())})",
        )
        if match.group(1):
            return f"{match.group(1)} >= {low} AND {match.group(1)} <= {high}"
        return {"$__fromTime": low, "$__toTime": high}.get(text, f"'{tenant}'")

    expanded = _MACROS.sub(one, sql)
    assert "$" not in expanded, f"a macro this test does not know: {expanded}"
    return expanded


@pytest.fixture(scope="module")
def marts(world: World) -> Client:
    """A client whose default database is the world's, as the datasource's defaultDatabase is."""
    return connect(world.settings, database=world.settings.database)


@pytest.fixture(scope="module")
def panels(world: World, marts: Client) -> dict[str, list[dict[str, Any]]]:
    """Title -> rows of every panel's query for tenant t_1 over the last 7 days."""
    end = dt.datetime.now(dt.UTC)
    start = end - dt.timedelta(days=7)
    [dashboard] = _dashboards()
    answers = {}
    for panel, target in _targets(dashboard):
        result = marts.query(expand(target["rawSql"], "t_1", start, end))
        answers[panel["title"]] = [
            dict(zip(result.column_names, row, strict=True)) for row in result.result_rows
        ]
    return answers


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def test_the_tenant_variable_lists_tenants_with_data(world: World, marts: Client) -> None:
    [dashboard] = _dashboards()
    [tenant] = dashboard["templating"]["list"]
    assert [row[0] for row in marts.query(tenant["query"]).result_rows] == ["t_1", "t_2"]


def test_event_volume_is_the_ground_truth(world: World, panels: dict[str, list[dict[str, Any]]]) -> None:
    expected = collections.Counter(
        bucket(e.occurred_at, "hour") for e in world.truth.events if e.tenant_id == "t_1"
    )
    assert {_utc(row["time"]): row["events"] for row in panels["Event volume"]} == dict(expected)


def test_voice_percentiles_are_the_report_apis(world: World, panels: dict[str, list[dict[str, Any]]]) -> None:
    rows = panels["Voice first response"]
    assert len(rows) > 24
    start, end = (
        min(_utc(r["time"]) for r in rows),
        max(_utc(r["time"]) for r in rows) + dt.timedelta(hours=1),
    )
    for level in ("p50", "p95", "p99"):
        body = {
            "metric": f"voice.first_response_ms.{level}",
            "grain": "1h",
            "from": start.isoformat(),
            "to": end.isoformat(),
        }
        api = {
            p["t"]: p["value"]
            for p in report(world, "t_1", "timeseries", body)["data"]
            if p["value"] is not None
        }
        grafana = {_utc(r["time"]).isoformat().replace("+00:00", "Z"): r[level] for r in rows}
        assert grafana == pytest.approx(api, rel=1e-9)


def test_tool_success_rates_are_the_ground_truth(
    world: World, panels: dict[str, list[dict[str, Any]]]
) -> None:
    calls: collections.Counter[str] = collections.Counter()
    successes: collections.Counter[str] = collections.Counter()
    for e in world.truth.events:
        if e.tenant_id == "t_1" and e.event_name == "ai.tool_call_completed":
            calls[e.attr("tool.name")] += 1
            successes[e.attr("tool.name")] += e.attr("tool.success") is True
    rows = panels["Tool success rate by tool"]
    most_used = sorted(calls, key=lambda tool: (-calls[tool], tool))
    assert [r["tool"] for r in rows] == most_used
    assert {r["tool"]: r["success_rate"] for r in rows} == pytest.approx(
        {t: successes[t] / n for t, n in calls.items()}
    )


def test_the_checkout_funnel_is_the_ground_truth(
    world: World, panels: dict[str, list[dict[str, Any]]]
) -> None:
    by_day = world.truth.funnel(CHECKOUT, 3600, "session")
    expected = [
        sum(counts[i] for (tenant, _, _), counts in by_day.items() if tenant == "t_1") for i in range(4)
    ]
    rows = panels["Checkout funnel"]
    assert [r["step"] for r in rows] == CHECKOUT
    assert [r["sessions"] for r in rows] == expected and expected[-1] > 0


def test_kb_hit_rate_is_the_ground_truth(world: World, panels: dict[str, list[dict[str, Any]]]) -> None:
    searches: collections.Counter[dt.datetime] = collections.Counter()
    hits: collections.Counter[dt.datetime] = collections.Counter()
    for e in world.truth.events:
        if e.tenant_id == "t_1" and e.event_name == "kb.search":
            searches[bucket(e.occurred_at, "hour")] += 1
            hits[bucket(e.occurred_at, "hour")] += e.attr("kb.results_count", 0) > 0
    got = {_utc(r["time"]): r["hit_rate"] for r in panels["Knowledge-base hit rate"]}
    assert got == pytest.approx({hour: hits[hour] / n for hour, n in searches.items()})
