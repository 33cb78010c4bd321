"""docker-compose.yml and .env.example agree with the code (no Docker engine runs here)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from eventhouse.settings import load_settings

REPO = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def _env_example() -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in (REPO / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    return {key.strip(): value.strip() for key, value in pairs}


def test_compose_has_the_production_services_with_healthchecks() -> None:
    services = _compose()["services"]
    assert set(services) >= {"clickhouse", "postgres", "ingest-api", "dagster-webserver", "dagster-daemon"}
    for name in ("clickhouse", "postgres", "ingest-api", "dagster-webserver"):
        assert "healthcheck" in services[name], name
    assert services["clickhouse"]["ports"] == ["8123:8123"]
    assert services["ingest-api"]["ports"] == ["8000:8000"]
    assert services["dagster-webserver"]["ports"] == ["3000:3000"]
    assert services["ingest-api"]["depends_on"]["clickhouse"]["condition"] == "service_healthy"
    assert services["dagster-daemon"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_clickhouse_is_an_lts_image_with_bounded_system_logs() -> None:
    clickhouse = _compose()["services"]["clickhouse"]
    assert re.fullmatch(
        r"clickhouse/clickhouse-server:\d+\.(3|8)", clickhouse["image"]
    )  # LTS lines are .3 and .8
    mounted = [v.split(":")[0] for v in clickhouse["volumes"] if v.startswith("./")]
    config = ET.parse(REPO / mounted[0]).getroot()
    for log in ("query_log", "part_log", "trace_log", "text_log", "metric_log", "asynchronous_metric_log"):
        ttl = config.find(f"{log}/ttl")
        assert ttl is not None and "DELETE" in (ttl.text or ""), log


def test_compose_services_get_the_same_settings_as_the_code_reads() -> None:
    compose = _compose()
    known = set(_env_example()) | {
        "DAGSTER_POSTGRES_HOST",
        "DAGSTER_POSTGRES_PORT",
        "DAGSTER_POSTGRES_USER",
        "DAGSTER_POSTGRES_PASSWORD",
        "DAGSTER_POSTGRES_DB",
    }
    for name in ("ingest-api", "dagster-webserver", "dagster-daemon"):
        env = compose["services"][name]["environment"]
        assert env["EVENTHOUSE_CLICKHOUSE_URL"] == "http://clickhouse:8123"
        assert set(env) <= known, set(env) - known
    volumes = set(compose["volumes"])
    assert {"clickhouse-data", "postgres-data", "api-spool"} <= volumes


def test_env_example_lists_every_setting_with_its_default() -> None:
    source = (REPO / "eventhouse" / "settings.py").read_text()
    read = set(re.findall(r'"(EVENTHOUSE_[A-Z_]+)"', source))
    example = _env_example()
    assert {k for k in example if k.startswith("EVENTHOUSE_")} == read
    assert load_settings(example) == load_settings({})


def test_the_readme_documents_every_setting() -> None:
    source = (REPO / "eventhouse" / "settings.py").read_text()
    readme = (REPO / "README.md").read_text()
    missing = sorted(
        name for name in set(re.findall(r'"(EVENTHOUSE_[A-Z_]+)"', source)) if f"`{name}`" not in readme
    )
    assert not missing, f"README's configuration table lacks {missing}"
