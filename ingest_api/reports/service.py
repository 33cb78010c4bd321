"""The reports, answered: run each query's SQL and shape its rows into the API's answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from .catalogue import Catalogue, quantile_accuracy
from .grains import buckets, rfc3339
from .queries import (
    Cohorts,
    Funnel,
    Sla,
    Timeseries,
    TopN,
    cohorts_sql,
    funnel_counts,
    funnel_sql,
    sla_sql,
    timeseries_sql,
    topn_sql,
)
from .runner import QueryRunner


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _number(value: Any) -> float | int | None:
    if value is None or (isinstance(value, float) and value != value):  # NULL or NaN: no data
        return None
    return value


@dataclasses.dataclass
class Reports:
    runner: QueryRunner
    database: str
    catalogue: Catalogue

    async def timeseries(self, query: Timeseries) -> list[dict[str, Any]]:
        """One point per bucket of the range; `value` is null where a bucket has no data."""
        rows = await self.runner.rows("timeseries", timeseries_sql(query, self.database))
        values = {_utc(t): _number(value) for t, value in rows}
        return [
            {"t": rfc3339(t), "value": values.get(t)} for t in buckets(query.start, query.end, query.grain)
        ]

    async def funnel(self, query: Funnel) -> dict[str, Any]:
        rows = await self.runner.rows("funnel", funnel_sql(query, self.database))
        counts, rates = funnel_counts({int(level): int(n) for level, n in rows}, len(query.steps))
        return {"steps": list(query.steps), "counts": counts, "rates": rates}

    async def topn(self, query: TopN) -> list[dict[str, Any]]:
        rows = await self.runner.rows("topn", topn_sql(query, self.database))
        return [{"key": key, "value": int(value)} for key, value in rows]

    async def sla(self, query: Sla) -> dict[str, Any]:
        rows = await self.runner.rows("sla", sla_sql(query, self.database, quantile_accuracy()))
        if not rows:
            return {"samples": 0, "p50": None, "p95": None, "p99": None}
        samples, p50, p95, p99 = rows[0]
        return {"samples": int(samples), "p50": _number(p50), "p95": _number(p95), "p99": _number(p99)}

    async def cohorts(self, query: Cohorts) -> list[dict[str, Any]]:
        rows = await self.runner.rows("cohorts", cohorts_sql(query, self.database))
        return [
            {"cohort": rfc3339(_utc(cohort)), "week": int(week), "users": int(users), "cohort_users": int(size),
             "rate": users / size if size else None}
            for cohort, week, users, size in rows
        ]  # fmt: skip

    def metrics(self) -> list[dict[str, Any]]:
        return [
            {"name": m.name, "description": m.description, "unit": m.unit, "pack": m.pack,
             "grains": [g.value for g in m.grains], "filters": sorted(m.filters)}
            for m in self.catalogue
        ]  # fmt: skip
