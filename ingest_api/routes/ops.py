"""Operations endpoints: liveness, readiness, a JSON summary of the pipeline, and our schemas
served the way an Iglu server serves them (`/metrics` is Litestar's Prometheus controller)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException

from schemas.keys import SchemaKey
from schemas.registry import default_registry

from .. import metrics
from ..services import services_of


@get("/api/v1/analytics/health", summary="Liveness", tags=["ops"])
async def health() -> dict[str, str]:
    """The process is up and serving."""
    return {"status": "ok"}


def _pipeline(request: Request) -> dict[str, Any]:
    services = services_of(request.app.state)
    return {
        "warehouse": {"reachable": services.health.ok, "last_error": services.health.last_error or None},
        "queue_rows": services.writer.pending_rows,
        "spool": {
            "bytes": services.spool.size_bytes(),
            "oldest_age_seconds": round(services.spool.oldest_age_seconds(), 3),
            "bad_tails": [
                {"segment": r.segment, "offset": r.offset, "reason": r.reason, "kept_at": str(r.kept_at)}
                for r in services.spool.tail_reports
            ],
        },
        "replay": {"replayed": services.replayer.replayed, "errors": services.replayer.errors},
    }


@get("/api/v1/analytics/events/health", summary="Readiness of ingestion", tags=["ops"])
async def readiness(request: Request) -> Response[dict[str, Any]]:
    """Ready when the warehouse is reachable; the spool depth and replay lag say how far behind it is.

    While the warehouse is down the API still accepts events into the spool, but reports 503 here
    so that load balancers and operators see the degraded state.
    """
    pipeline = _pipeline(request)
    ready = pipeline["warehouse"]["reachable"]
    return Response(
        {"status": "ready" if ready else "degraded", **pipeline}, status_code=200 if ready else 503
    )


@get("/api/v1/analytics/stats", summary="Pipeline statistics", tags=["ops"])
async def stats(request: Request) -> dict[str, Any]:
    """A JSON summary of the same numbers /metrics exposes."""
    services = services_of(request.app.state)
    totals = dict(metrics.TOTALS)
    spooled = totals.pop("spooled_inserts")
    return {
        "events": totals,
        "groups": services.writer.stats,
        "spooled_inserts": spooled,
        **_pipeline(request),
    }


@get("/api/v1/analytics/schemas", summary="Every registered schema (Iglu style)", tags=["schemas"])
async def list_schemas() -> list[str]:
    """The Iglu URIs of every schema this server validates against."""
    return sorted(key.uri for key, _ in default_registry().schemas())


@get(
    "/api/v1/analytics/schemas/{vendor:str}/{name:str}/jsonschema/{version:str}",
    summary="One schema (Iglu style)",
    tags=["schemas"],
)
async def get_schema(vendor: str, name: str, version: str) -> dict[str, Any]:
    """The self-describing JSON Schema for `iglu:vendor/name/jsonschema/version`."""
    try:
        key = SchemaKey.parse(f"iglu:{vendor}/{name}/jsonschema/{version}")
    except ValueError:
        raise NotFoundException(f"no schema iglu:{vendor}/{name}/jsonschema/{version}") from None
    document = default_registry().get(key)
    if document is None:
        raise NotFoundException(f"no schema {key.uri}")
    return dict(document)


ROUTES = [health, readiness, stats, list_schemas, get_schema]
