"""`make run`'s Dagster: the instance home, the commands, and their place in `eventhouse up`."""

from __future__ import annotations

from pathlib import Path

from eventhouse.settings import load_settings
from eventhouse.up import platform
from orchestration.serve import WORKSPACE, dagster_argv, dagster_environ


def test_the_home_defaults_to_the_data_directory(tmp_path: Path) -> None:
    environ = dagster_environ({"EVENTHOUSE_DATA_DIR": str(tmp_path)})
    assert environ["DAGSTER_HOME"] == str(tmp_path / "dagster")
    assert "sqlite" in (tmp_path / "dagster" / "dagster.yaml").read_text()


def test_a_dagster_home_that_is_set_is_left_alone(tmp_path: Path) -> None:
    environ = dagster_environ({"DAGSTER_HOME": str(tmp_path / "mine"), "EVENTHOUSE_DATA_DIR": str(tmp_path)})
    assert environ["DAGSTER_HOME"] == str(tmp_path / "mine")
    assert not (tmp_path / "mine").exists() and not (tmp_path / "dagster").exists()


def test_commands_use_the_repository_workspace() -> None:
    webserver = dagster_argv("webserver", "127.0.0.1", 3000)
    assert Path(webserver[0]).name == "dagster-webserver"
    assert webserver[1:] == ["-h", "127.0.0.1", "-p", "3000", "-w", str(WORKSPACE)]
    daemon = dagster_argv("daemon", "127.0.0.1", 3000)
    assert Path(daemon[0]).name == "dagster-daemon" and daemon[1:] == ["run", "-w", str(WORKSPACE)]


def test_make_run_starts_the_webserver_on_port_3000_and_the_daemon(tmp_path: Path) -> None:
    settings = load_settings(
        {"EVENTHOUSE_CLICKHOUSE_URL": "http://db.invalid:8123", "EVENTHOUSE_DATA_DIR": str(tmp_path)}
    )
    parts = {part.name: part for part in platform(settings)}
    assert parts["dagster-webserver"].argv[-6:] == [
        "orchestration.serve",
        "webserver",
        "--host",
        "127.0.0.1",
        "--port",
        "3000",
    ]
    assert parts["dagster-webserver"].ready_url == "http://127.0.0.1:3000/server_info"
    assert parts["dagster-daemon"].argv[-2:] == ["orchestration.serve", "daemon"]
    names = list(parts)
    assert names.index("migrate") < names.index("dagster-webserver") < names.index("dagster-daemon")
