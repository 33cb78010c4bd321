"""The report API: read keys only, tenant from the key, JSON or CSV answers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from litestar import Request, Response, get, post

from schemas.rfc3339 import parse_rfc3339

from ..auth import header_key, require_key
from ..keys import KeyRecord
from ..problems import problem
from ..reports.catalogue import UnknownMetric
from ..reports.grains import Grain
from ..reports.queries import Cohorts, Funnel, InvalidQuery, Sla, Timeseries, TopN
from ..services import services_of

PREFIX = "/api/v1/analytics/reports"
FilterValue = str | int | float | bool


class _Range(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    tenantId: str | None = None
    siteId: str | None = None
    from_: str = msgspec.field(name="from")
    to: str


class TimeseriesBody(_Range, kw_only=True):
    metric: str
    grain: str = "1h"
    filters: dict[str, FilterValue] = msgspec.field(default_factory=dict)


class FunnelBody(_Range, kw_only=True):
    steps: list[str]
    window: int = 3600  # seconds
    by: str = "session"


class TopNBody(_Range, kw_only=True):
    metric: str
    n: int = 10


class SlaBody(_Range, kw_only=True):
    metric: str  # a latency attribute, e.g. voice.first_response_ms


class CohortsBody(_Range, kw_only=True):
    pass


async def _tenant(request: Request, body: _Range) -> KeyRecord:
    """The read key's tenant; a tenant id in the body must be that same tenant."""
    services = services_of(request.app.state)
    key = await require_key(services.keys, header_key(request.headers), "read")
    if body.tenantId is not None and body.tenantId != key.tenant_id:
        raise problem(403, "wrong-tenant", "Not your tenant", "this read key belongs to another tenant")
    return key


def _time(value: str, path: str) -> Any:
    try:
        return parse_rfc3339(value)
    except ValueError as exc:
        raise InvalidQuery(path, f"must be an RFC 3339 timestamp ({exc})") from None


def _wants_csv(request: Request) -> bool:
    return request.query_params.get("format") == "csv" or "text/csv" in request.headers.get("accept", "")


def _table(
    request: Request, rows: Sequence[dict[str, Any]], columns: Sequence[str], wrap: Callable[[Any], Any]
) -> Response[Any]:
    """JSON (`wrap(rows)`) or, when asked for, CSV with a header row."""
    if not _wants_csv(request):
        return Response(wrap(rows))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


async def _answer(call: Callable[[], Any]) -> Any:
    try:
        return await call()
    except InvalidQuery as exc:
        raise problem(
            400,
            "invalid-report",
            "Invalid report request",
            str(exc),
            errors=[{"path": exc.path, "message": exc.message}],
        ) from None
    except UnknownMetric as exc:
        raise problem(
            400,
            "unknown-metric",
            "Unknown metric",
            f"{exc.args[0]} is not in GET {PREFIX}/metrics",
            errors=[{"path": "/metric", "message": "unknown metric"}],
        ) from None


@post(f"{PREFIX}/timeseries", summary="A metric over time", tags=["reports"], status_code=200)
async def timeseries(request: Request, data: TimeseriesBody) -> Response[Any]:
    """`{data: [{t, value}]}`, one point per bucket; value is null where a bucket has no data."""
    key = await _tenant(request, data)
    reports = services_of(request.app.state).reports

    async def run() -> list[dict[str, Any]]:
        try:
            grain = Grain(data.grain)
        except ValueError:
            raise InvalidQuery("/grain", "one of 1m, 5m, 1h, 1d") from None
        query = Timeseries(
            key.tenant_id,
            reports.catalogue[data.metric],
            _time(data.from_, "/from"),
            _time(data.to, "/to"),
            grain,
            data.siteId,
            data.filters,
        )
        return await reports.timeseries(query)

    return _table(request, await _answer(run), ["t", "value"], lambda rows: {"data": rows})


@post(f"{PREFIX}/funnel", summary="Ordered steps within a window", tags=["reports"], status_code=200)
async def funnel(request: Request, data: FunnelBody) -> Response[Any]:
    """`{steps, counts, rates}`: entities reaching each step, and each step's share of the first."""
    key = await _tenant(request, data)
    reports = services_of(request.app.state).reports

    async def run() -> dict[str, Any]:
        query = Funnel(
            key.tenant_id,
            tuple(data.steps),
            _time(data.from_, "/from"),
            _time(data.to, "/to"),
            data.window,
            data.by,
            data.siteId,
        )
        return await reports.funnel(query)

    result = await _answer(run)
    rows = [
        {"step": s, "count": c, "rate": r}
        for s, c, r in zip(result["steps"], result["counts"], result["rates"], strict=True)
    ]
    return _table(request, rows, ["step", "count", "rate"], lambda _: result)


@post(
    f"{PREFIX}/topn",
    summary="The most frequent tools, errors, KB queries or pages",
    tags=["reports"],
    status_code=200,
)
async def topn(request: Request, data: TopNBody) -> Response[Any]:
    """`{data: [{key, value}]}`, most frequent first."""
    key = await _tenant(request, data)
    reports = services_of(request.app.state).reports

    async def run() -> list[dict[str, Any]]:
        return await reports.topn(
            TopN(
                key.tenant_id,
                data.metric,
                data.n,
                _time(data.from_, "/from"),
                _time(data.to, "/to"),
                data.siteId,
            )
        )

    return _table(request, await _answer(run), ["key", "value"], lambda rows: {"data": rows})


@post(f"{PREFIX}/sla", summary="p50/p95/p99 of a latency over a range", tags=["reports"], status_code=200)
async def sla(request: Request, data: SlaBody) -> Response[Any]:
    """`{samples, p50, p95, p99}` of a latency attribute (e.g. voice.first_response_ms)."""
    key = await _tenant(request, data)
    reports = services_of(request.app.state).reports

    async def run() -> dict[str, Any]:
        return await reports.sla(
            Sla(key.tenant_id, data.metric, _time(data.from_, "/from"), _time(data.to, "/to"), data.siteId)
        )

    result = await _answer(run)
    return _table(request, [result], ["samples", "p50", "p95", "p99"], lambda _: result)


@post(f"{PREFIX}/cohorts", summary="Weekly retention cohorts", tags=["reports"], status_code=200)
async def cohorts(request: Request, data: CohortsBody) -> Response[Any]:
    """`{data: [{cohort, week, users, cohort_users, rate}]}`."""
    key = await _tenant(request, data)
    reports = services_of(request.app.state).reports

    async def run() -> list[dict[str, Any]]:
        return await reports.cohorts(
            Cohorts(key.tenant_id, _time(data.from_, "/from"), _time(data.to, "/to"), data.siteId)
        )

    return _table(
        request,
        await _answer(run),
        ["cohort", "week", "users", "cohort_users", "rate"],
        lambda rows: {"data": rows},
    )


@get(f"{PREFIX}/metrics", summary="The metric catalogue", tags=["reports"])
async def metrics_catalogue(request: Request) -> Response[Any]:
    """Every metric with its description, unit, pack, grains and filters (read key required)."""
    services = services_of(request.app.state)
    await require_key(services.keys, header_key(request.headers), "read")
    rows = services.reports.metrics()
    return _table(request, rows, ["name", "pack", "unit", "grains", "description"], lambda r: {"metrics": r})


ROUTES = [timeseries, funnel, topn, sla, cohorts, metrics_catalogue]
