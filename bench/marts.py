"""Benchmark: building every dbt mart, per million raw events, against the floor.

Generates realistic voice/agent-pack events (tests/support/synthetic.py), stores them in
events_raw of an embedded warehouse (or EVENTHOUSE_CLICKHOUSE_URL's), then times
- `dbt run` from scratch (every model: dedupe, live rollups' catch-up, every batch mart),
- `dbt run` again (the incremental path: the lookback window only),
and prints each per million raw events beside the floor: one plain ClickHouse query doing the
same raw scan (every row read, its attributes parsed, hourly counts aggregated).

    .venv/bin/python bench/marts.py [--events 1000000] [--threads 2]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eventhouse.settings import Settings, load_settings  # noqa: E402
from tests.support.dbt import Dbt, failed  # noqa: E402
from tests.support.processes import embedded_warehouse  # noqa: E402
from tests.support.synthetic import Spec, generate, insert_rows  # noqa: E402
from warehouse.client import connect  # noqa: E402
from warehouse.migrate import migrate  # noqa: E402

# The floor reads what the marts read from every raw row, in one pass: the keys, the times,
# the user and session ids and every attribute, aggregated to hourly groups.
FLOOR_SQL = """
SELECT tenant_id, site_id, event_name, toStartOfHour(occurred_at) AS hour,
       count(), uniq(user_id), uniq(session_id), max(received_at),
       sum(length(JSONExtractKeysAndValuesRaw(attributes))), sum(length(context))
FROM {db}.events_raw
GROUP BY tenant_id, site_id, event_name, hour
FORMAT Null
"""


def spec_for(events: int) -> Spec:
    """A Spec producing about `events` raw rows (the default Spec makes ~76 k over 4 sites)."""
    base = Spec(end=datetime.now(UTC).replace(second=0, microsecond=0))
    factor = events / 76_000
    return dataclasses.replace(
        base,
        sessions_per_site=max(1, round(base.sessions_per_site * factor)),
        users_per_site=max(10, round(base.users_per_site * factor**0.5)),
        ops_every_seconds=max(1, round(base.ops_every_seconds / factor)),
    )


@contextlib.contextmanager
def warehouse() -> Iterator[str]:
    if os.environ.get("EVENTHOUSE_CLICKHOUSE_URL"):
        yield os.environ["EVENTHOUSE_CLICKHOUSE_URL"]
        return
    with (
        tempfile.TemporaryDirectory(prefix="bench-marts-") as tmp,
        embedded_warehouse(Path(tmp) / "data") as (url, _),
    ):
        yield url


def dbt_run(settings: Settings, workdir: Path, threads: int) -> tuple[float, dict[str, float]]:
    """Wall time of `dbt run`, and each model's own execution time."""
    dbt = Dbt(settings, workdir, extra_env={"EVENTHOUSE_DBT_THREADS": str(threads)}, timeout=3600)
    started = time.perf_counter()
    result = dbt("run")
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"dbt run failed:\n{failed(result)}")
    return wall, {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in dbt.artifact("run_results.json")["results"]
        if r["unique_id"].startswith("model.")
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="raw events to generate (default 1 M)")
    parser.add_argument("--threads", type=int, default=2, help="dbt threads (default 2)")
    args = parser.parse_args()

    with warehouse() as url, tempfile.TemporaryDirectory(prefix="bench-dbt-") as workdir:
        settings = load_settings(
            {**os.environ, "EVENTHOUSE_CLICKHOUSE_URL": url, "EVENTHOUSE_DATABASE": "bench_marts"}
        )
        client = connect(settings)
        client.command(f"DROP DATABASE IF EXISTS {settings.database}")
        migrate(client, settings)

        started = time.perf_counter()
        rows = generate(spec_for(args.events)).rows()
        generated = time.perf_counter() - started
        started = time.perf_counter()
        insert_rows(client, settings.database, rows)
        inserted = time.perf_counter() - started
        millions = len(rows) / 1e6
        print(
            f"events_raw: {len(rows):,} rows (generated in {generated:.1f} s, inserted in {inserted:.1f} s)"
        )

        first_wall, first_models = dbt_run(settings, Path(workdir), args.threads)
        again_wall, again_models = dbt_run(settings, Path(workdir), args.threads)

        client.command(f"SELECT count() FROM {settings.database}.events_raw")  # warm the same caches
        floors = []
        for _ in range(3):
            started = time.perf_counter()
            client.command(FLOOR_SQL.format(db=settings.database))
            floors.append(time.perf_counter() - started)
        floor = min(floors)

        def line(label: str, wall: float, models: dict[str, float]) -> None:
            in_models = sum(models.values())
            print(
                f"{label}: {wall:.1f} s wall, {in_models:.1f} s in {len(models)} models"
                f" -> {wall / millions:.1f} s per million raw events"
                f" ({wall / floor:.0f}x the floor; models alone {in_models / floor:.0f}x)"
            )

        print(
            f"floor (one plain scan of events_raw, hourly groups): {floor:.2f} s -> {floor / millions:.2f} s per million"
        )
        line("dbt run, first build", first_wall, first_models)
        line("dbt run, incremental (lookback window)", again_wall, again_models)
        slowest = sorted(first_models.items(), key=lambda item: -item[1])[:6]
        print(
            "slowest models (first build): "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest)
        )
        marts_on_staging = sum(
            1 for name in first_models if name not in ("stg_events", "event_counts_1m", "latency_1m")
        )
        print(
            f"dedupe: stg_events took {first_models['stg_events']:.1f} s; as a view instead of a table every one"
            f" of the {marts_on_staging} models above it would repeat that work"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
