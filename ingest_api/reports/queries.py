"""The report queries as values (what was asked) and their SQL (pure functions, no I/O).

Every query is scoped to one tenant, which the caller takes from the read key, never from input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping

from .catalogue import Metric, Source
from .grains import Grain, buckets, ceil_to, floor_to
from .sql import SqlQuery, percentile

MAX_RANGE = dt.timedelta(days=400)
MAX_POINTS = 10_000
MAX_TOP_N = 1000
TOP_DIMENSIONS = ("tools", "errors", "queries", "pages")
FUNNEL_ENTITIES = {"session": "session_id", "user": "user_id"}


class InvalidQuery(ValueError):
    """The request asks for something the report module will not answer; `path` names the field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# Every input is a query parameter, so none can change a statement; values shaped like an
# injection attempt are refused anyway, so that probing gets a clear 4xx rather than silence.
_PLAIN_TEXT = re.compile(r"^[^'\"`;\\\x00-\x1f]{1,256}$")
_EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


def check_text(path: str, value: str | None) -> None:
    if value is not None and (not _PLAIN_TEXT.match(value) or "--" in value or "/*" in value):
        raise InvalidQuery(path, "contains characters that are not allowed here")


def check_scope(start: dt.datetime, end: dt.datetime, site_id: str | None) -> None:
    """The range is forward and at most MAX_RANGE long; the site id is plain text."""
    if end <= start:
        raise InvalidQuery("/to", "must be after from")
    if end - start > MAX_RANGE:
        raise InvalidQuery("/to", f"the range may span at most {MAX_RANGE.days} days")
    check_text("/siteId", site_id)


@dataclasses.dataclass(frozen=True)
class Timeseries:
    tenant_id: str
    metric: Metric
    start: dt.datetime
    end: dt.datetime
    grain: Grain
    site_id: str | None = None
    filters: Mapping[str, str | int | float | bool] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        check_scope(self.start, self.end, self.site_id)
        if self.metric.source_for(self.grain) is None:
            grains = ", ".join(g.value for g in self.metric.grains)
            raise InvalidQuery("/grain", f"{self.metric.name} is available at {grains}")
        if len(buckets(self.start, self.end, self.grain)) > MAX_POINTS:
            raise InvalidQuery(
                "/grain", f"more than {MAX_POINTS} buckets; choose a coarser grain or a shorter range"
            )
        unknown = sorted(set(self.filters) - set(self.metric.filters))
        if unknown:
            allowed = ", ".join(sorted(self.metric.filters)) or "none"
            raise InvalidQuery(
                f"/filters/{unknown[0]}", f"not a filter of {self.metric.name} (allowed: {allowed})"
            )
        for key, value in self.filters.items():
            check_text(f"/filters/{key}", str(value))


def _scope(
    tenant_id: str, site_id: str | None, start: dt.datetime, end: dt.datetime
) -> tuple[list[str], dict[str, object]]:
    conditions = [
        "tenant_id = {tenant:String}",
        "bucket_start >= {start:DateTime('UTC')}",
        "bucket_start < {end:DateTime('UTC')}",
    ]
    parameters: dict[str, object] = {"tenant": tenant_id, "start": start, "end": end}
    if site_id is not None:
        conditions.append("site_id = {site:String}")
        parameters["site"] = site_id
    return conditions, parameters


def timeseries_sql(query: Timeseries, database: str) -> SqlQuery:
    """One row (t, value) per bucket with data, each bucket read from the coarsest exact mart.

    A batch mart is exact for the buckets that ended before its watermark (the start of the dbt
    run that last rebuilt its lookback, recorded in dbt_batch_runs). So a series reads the coarsest
    batch mart up to its watermark, each finer batch mart from there up to its own, and the live
    rollup (current within seconds) for the rest: exact wherever dbt has run, current everywhere.
    """
    metric = query.metric
    start, end = floor_to(query.start, query.grain), ceil_to(query.end, query.grain)
    conditions, parameters = _scope(query.tenant_id, query.site_id, start, end)
    if metric.where:
        conditions.append(metric.where)
    for index, (key, value) in enumerate(sorted(query.filters.items())):
        conditions.append(f"toString({metric.filters[key]}) = {{filter_{index}:String}}")
        parameters[f"filter_{index}"] = str(value).lower() if isinstance(value, bool) else str(value)
    where = " AND ".join(conditions)
    chain = _read_chain(metric, query.grain)
    if len(chain) == 1:
        (source,) = chain
        text = (
            f"SELECT {_bucket(source, query.grain)} AS t, {metric.value} AS value "
            f"FROM {database}.{source.table} WHERE {where} GROUP BY t ORDER BY t"
        )
        return SqlQuery(text, parameters)
    branches, lower = [], None
    for part in chain:
        upper = None if part.live else _watermark(part, database)
        bounds = "".join(
            f" AND bucket_start {op} {cut}" for op, cut in ((">=", lower), ("<", upper)) if cut is not None
        )
        branches.append(
            f"SELECT {_bucket(part, query.grain)} AS t, {', '.join(metric.columns)} "
            f"FROM {database}.{part.table} WHERE {where}{bounds}"
        )
        lower = upper
    text = f"SELECT t, {metric.value} AS value FROM ({' UNION ALL '.join(branches)}) GROUP BY t ORDER BY t"
    return SqlQuery(text, parameters)


def _read_chain(metric: Metric, grain: Grain) -> list[Source]:
    """The marts a series reads, in time order: batch marts that tile `grain`, coarsest first,
    then the live rollup. Just the one mart when there is no live rollup to continue with."""
    live = metric.live_source
    if live is None or not metric.columns or not live.grain.divides(grain):
        source = metric.source_for(grain)
        assert source is not None  # checked when the query was made
        return [source]
    batch = sorted(
        (s for s in metric.sources if not s.live and s.grain.divides(grain)), key=lambda s: -s.grain.seconds
    )
    return [*batch, live]


def _watermark(source: Source, database: str) -> str:
    """Where `source` stops being exact: its watermark floored to its own grain."""
    return (
        f"(SELECT toStartOfInterval(ifNull(max(run_started_at), toDateTime64(0, 3, 'UTC')), "
        f"toIntervalSecond({source.grain.seconds})) FROM {database}.dbt_batch_runs "
        f"WHERE model = '{source.table}' AND window_end IS NULL)"
    )


def _bucket(source: Source, grain: Grain) -> str:
    if source.grain == grain:
        return "bucket_start"
    return f"toStartOfInterval(bucket_start, toIntervalSecond({grain.seconds}))"


@dataclasses.dataclass(frozen=True)
class Funnel:
    tenant_id: str
    steps: tuple[str, ...]
    start: dt.datetime
    end: dt.datetime
    window_seconds: int = 3600
    by: str = "session"
    site_id: str | None = None

    def __post_init__(self) -> None:
        check_scope(self.start, self.end, self.site_id)
        if not 2 <= len(self.steps) <= 32:
            raise InvalidQuery("/steps", "a funnel has 2 to 32 steps")
        for index, step in enumerate(self.steps):
            if not _EVENT_NAME.match(step):
                raise InvalidQuery(f"/steps/{index}", "must be an event name (lowercase dot-case)")
        if len(set(self.steps)) != len(self.steps):
            raise InvalidQuery("/steps", "a step may appear only once")
        if not 0 < self.window_seconds <= 7 * 86400:
            raise InvalidQuery("/window", "the window is 1 second to 7 days")
        if self.by not in FUNNEL_ENTITIES:
            raise InvalidQuery("/by", f"one of {', '.join(FUNNEL_ENTITIES)}")


def funnel_sql(query: Funnel, database: str) -> SqlQuery:
    """Entities (sessions or users) reaching each step, in order, within the window.

    Like the funnels_daily mart: windowFunnel in its default mode over deduplicated staging, equal
    timestamps taken in step order. A chain starts at a first step inside [from, to) and may finish
    up to `window` after `to`.
    """
    entity = FUNNEL_ENTITIES[query.by]
    conditions = [f"event_name = {{step_{i}:String}}" for i in range(len(query.steps))]
    conditions[0] += " AND occurred_at < {end:DateTime64(3, 'UTC')}"
    parameters: dict[str, object] = {f"step_{i}": step for i, step in enumerate(query.steps)}
    parameters |= {"tenant": query.tenant_id, "start": query.start, "end": query.end,
                   "until": query.end + dt.timedelta(seconds=query.window_seconds),
                   "window": query.window_seconds * 1000, "steps": list(query.steps)}  # fmt: skip
    site = ""
    if query.site_id is not None:
        site, parameters["site"] = " AND site_id = {site:String}", query.site_id
    text = (
        f"SELECT level, count() AS entities FROM ("
        f"SELECT {entity}, windowFunnel({{window:UInt64}})(toUInt64(toUnixTimestamp64Milli(occurred_at)), "
        f"{', '.join(conditions)}) AS level "
        f"FROM {database}.stg_events "
        f"WHERE tenant_id = {{tenant:String}} AND occurred_at >= {{start:DateTime64(3, 'UTC')}} "
        f"AND occurred_at < {{until:DateTime64(3, 'UTC')}} AND event_name IN {{steps:Array(String)}} "
        f"AND {entity} != ''{site} GROUP BY {entity}) WHERE level > 0 GROUP BY level"
    )
    return SqlQuery(text, parameters)


def funnel_counts(levels: Mapping[int, int], steps: int) -> tuple[list[int], list[float | None]]:
    """Entities reaching at least each step, and each step's share of the first."""
    counts = [sum(n for level, n in levels.items() if level >= step) for step in range(1, steps + 1)]
    rates = [None if counts[0] == 0 else count / counts[0] for count in counts]
    return counts, rates


@dataclasses.dataclass(frozen=True)
class TopN:
    tenant_id: str
    dimension: str
    n: int
    start: dt.datetime
    end: dt.datetime
    site_id: str | None = None

    def __post_init__(self) -> None:
        check_scope(self.start, self.end, self.site_id)
        if self.dimension not in TOP_DIMENSIONS:
            raise InvalidQuery("/metric", f"one of {', '.join(TOP_DIMENSIONS)}")
        if not 1 <= self.n <= MAX_TOP_N:
            raise InvalidQuery("/n", f"between 1 and {MAX_TOP_N}")


def topn_sql(query: TopN, database: str) -> SqlQuery:
    """The most frequent items of a dimension over whole days of the range (top_items_daily)."""
    conditions, parameters = _scope(
        query.tenant_id, query.site_id, floor_to(query.start, Grain.DAY), ceil_to(query.end, Grain.DAY)
    )
    conditions.append("dimension = {dimension:String}")
    parameters |= {"dimension": query.dimension, "n": query.n}
    text = (
        f"SELECT item AS key, sum(item_count) AS value FROM {database}.top_items_daily "
        f"WHERE {' AND '.join(conditions)} GROUP BY key ORDER BY value DESC, key ASC LIMIT {{n:UInt32}}"
    )
    return SqlQuery(text, parameters)


@dataclasses.dataclass(frozen=True)
class Sla:
    """p50/p95/p99 of one latency attribute over the whole range."""

    tenant_id: str
    attribute: str
    start: dt.datetime
    end: dt.datetime
    site_id: str | None = None

    def __post_init__(self) -> None:
        check_scope(self.start, self.end, self.site_id)
        if not _EVENT_NAME.match(self.attribute) or not self.attribute.endswith("_ms"):
            raise InvalidQuery("/metric", "must be a latency attribute, e.g. voice.first_response_ms")


def sla_sql(query: Sla, database: str, accuracy: float) -> SqlQuery:
    """Merged states of whole hours of the range (latency_hourly)."""
    conditions, parameters = _scope(
        query.tenant_id, query.site_id, floor_to(query.start, Grain.HOUR), ceil_to(query.end, Grain.HOUR)
    )
    conditions.append("attribute = {attribute:String}")
    parameters["attribute"] = query.attribute
    levels = ", ".join(
        f"{percentile(level, accuracy)} AS {name}"
        for name, level in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
    )
    text = (
        f"SELECT sum(sample_count) AS samples, {levels} FROM {database}.latency_hourly "
        f"WHERE {' AND '.join(conditions)} HAVING samples > 0"
    )
    return SqlQuery(text, parameters)


@dataclasses.dataclass(frozen=True)
class Cohorts:
    """Weekly retention: users by first active week, and how many came back each later week."""

    tenant_id: str
    start: dt.datetime
    end: dt.datetime
    site_id: str | None = None

    def __post_init__(self) -> None:
        check_scope(self.start, self.end, self.site_id)


def cohorts_sql(query: Cohorts, database: str) -> SqlQuery:
    conditions, parameters = _scope(query.tenant_id, query.site_id, query.start, query.end)
    text = (
        f"SELECT bucket_start AS cohort, week_number, sum(active_user_count) AS users, "
        f"sum(cohort_user_count) AS cohort_users FROM {database}.retention_weekly "
        f"WHERE {' AND '.join(conditions)} GROUP BY cohort, week_number ORDER BY cohort, week_number"
    )
    return SqlQuery(text, parameters)
