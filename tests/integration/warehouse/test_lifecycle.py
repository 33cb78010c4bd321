"""The embedded warehouse as a process: persistence, clean shutdown, one owner per data dir."""

from __future__ import annotations

import concurrent.futures
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.support.processes import Service, embedded_warehouse, eventhouse_command, free_port

pytestmark = pytest.mark.skipif(
    bool(__import__("os").environ.get("EVENTHOUSE_CLICKHOUSE_URL")),
    reason="about the embedded warehouse process",
)


def test_data_survives_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "wh"
    with embedded_warehouse(data_dir) as (url, _):
        httpx.post(
            url, content="CREATE TABLE default.kept (x UInt32) ENGINE = MergeTree ORDER BY x"
        ).raise_for_status()
        httpx.post(url, content="INSERT INTO default.kept SELECT number FROM numbers(100)").raise_for_status()
    with embedded_warehouse(data_dir) as (url, _):
        assert httpx.post(url, content="SELECT count(), sum(x) FROM default.kept").text == "100\t4950\n"


def test_sigterm_lets_in_flight_statements_finish(tmp_path: Path) -> None:
    with embedded_warehouse(tmp_path / "wh") as (url, service):
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            slow = pool.submit(httpx.post, url, content="SELECT sleep(1.5), 'done'", timeout=30)
            time.sleep(0.5)
            service.stop(signal.SIGTERM)
            response = slow.result()
        assert response.status_code == 200 and response.text == "0\tdone\n"
        assert service.process is not None and service.process.returncode == 0
        assert "stopped" in service.log()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/ping")


def test_a_second_process_gets_a_clear_error(tmp_path: Path) -> None:
    data_dir = tmp_path / "wh"
    with embedded_warehouse(data_dir):
        second = Service(
            eventhouse_command("warehouse", "serve", "--port", str(free_port()), "--data-dir", str(data_dir)),
            {},
            tmp_path / "second.log",
        ).start()
        assert second.process is not None
        assert second.process.wait(30) == 2
        assert "is in use by another eventhouse warehouse" in second.log()


def test_many_concurrent_clients_get_correct_answers(tmp_path: Path) -> None:
    """Readers, writers and DDL from 16 threads at once: every answer exact, nothing lost."""
    with embedded_warehouse(tmp_path / "wh") as (url, _):
        httpx.post(
            url, content="CREATE TABLE default.c (w UInt32, x UInt32) ENGINE = MergeTree ORDER BY x"
        ).raise_for_status()

        def work(worker: int) -> list[str]:
            answers = []
            with httpx.Client(base_url=url, timeout=60) as client:
                for i in range(20):
                    client.post(
                        "/", params={"query": "INSERT INTO default.c FORMAT TSV"}, content=f"{worker}\t{i}\n"
                    )
                    answers.append(
                        client.post("/", content=f"SELECT sum(number) FROM numbers({worker * 100 + i})").text
                    )
                    client.post(
                        "/", content=f"CREATE TABLE IF NOT EXISTS default.t{worker} (x UInt8) ENGINE = Memory"
                    )
            return answers

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(work, range(16)))
        for worker, answers in enumerate(results):
            assert answers == [f"{sum(range(worker * 100 + i))}\n" for i in range(20)]
        assert httpx.post(url, content="SELECT count(), uniqExact(w, x) FROM default.c").text == "320\t320\n"
