"""The Litestar application: `create_app()` is the one entry point of the API process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from litestar import Litestar, Request, Router
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import DefineMiddleware
from litestar.middleware.rate_limit import DurationUnit, RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsPlugin
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController

from eventhouse.settings import Settings, get_settings

from . import dashboard
from .auth import presented_key
from .logs import logging_config, request_id_middleware
from .problems import problem
from .routes import ingest, ops, reports
from .services import Services, services_of
from .tracing import tracing_plugin


def _rate_limit(settings: Settings) -> RateLimitConfig:
    count, _, unit = settings.rate_limit.partition("/")

    def tenant_of(request: Request[Any, Any, Any]) -> str:
        key = presented_key(request.headers, request.query_params)
        record = services_of(request.app.state).keys.cached(key) if key else None
        if record is not None:
            return f"tenant:{record.tenant_id}"
        return f"client:{request.client.host if request.client else ''}"

    return RateLimitConfig(
        rate_limit=(cast(DurationUnit, unit.strip()), int(count)),
        identifier_for_request=tenant_of,
    )


def _too_many_requests(exc: TooManyRequestsException) -> Any:
    retry_after = (exc.headers or {}).get("RateLimit-Reset", "1")
    return problem(
        429,
        "rate-limited",
        "Too many requests",
        "this tenant's request rate is over its limit; retry after the given delay",
        headers={**(exc.headers or {}), "Retry-After": str(max(int(retry_after), 1))},
    )


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the API for `settings` (default: from the environment)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        services = await Services.start(settings)
        app.state["services"] = services
        try:
            yield
        finally:
            await services.close()

    plugins: list[Any] = [
        ProblemDetailsPlugin(
            ProblemDetailsConfig(
                enable_for_all_http_exceptions=True,
                exception_to_problem_detail_map={TooManyRequestsException: _too_many_requests},
            )
        )
    ]
    if (tracing := tracing_plugin(settings.otlp_endpoint)) is not None:
        plugins.append(tracing)
    prometheus = PrometheusConfig(app_name="eventhouse", prefix="eventhouse_http", group_path=True)
    return Litestar(
        route_handlers=[
            Router("/", route_handlers=ingest.ROUTES, middleware=[_rate_limit(settings).middleware]),
            *ops.ROUTES,
            *reports.ROUTES,
            *dashboard.ROUTES,
            PrometheusController,
        ],
        lifespan=[lifespan],
        middleware=[
            DefineMiddleware(request_id_middleware, log_requests=settings.access_log),
            prometheus.middleware,
        ],
        plugins=plugins,
        logging_config=logging_config(settings.log_level),
        openapi_config=OpenAPIConfig(title="eventhouse", version="0.1.0", path="/schema"),
        request_max_body_size=settings.max_body_bytes,
    )
