"""Serving the dashboard: the page, its own scripts and styles, the panel registry, and the chart
library that `npm ci` installed into node_modules/ (nothing is fetched from another site)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Response, get
from litestar.datastructures import CacheControlHeader
from litestar.enums import MediaType
from litestar.response import File
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from ..problems import problem
from .registry import default_panels

HERE = Path(__file__).resolve().parent
PAGE = HERE / "index.html"
ASSETS = HERE / "static"
VENDOR = HERE / "node_modules" / "uplot" / "dist"
VENDOR_FILES = {"uPlot.esm.js": "text/javascript", "uPlot.min.css": "text/css"}

# The page holds a read key, so it runs only our own code and cannot be framed: scripts, styles and
# requests go to this origin alone, and a form can never be submitted (the sign-in form is read
# by script; without script it must not put the key in a URL).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
# Revalidate on every load (ETag / Last-Modified), so an upgrade is seen at once.
REVALIDATE = CacheControlHeader(no_cache=True)


@get("/dashboard", include_in_schema=False, cache_control=REVALIDATE)
async def dashboard_page() -> Response[bytes]:
    """The page itself: sign-in form, range picker and an empty grid the script fills."""
    return Response(PAGE.read_bytes(), media_type=MediaType.HTML, headers=SECURITY_HEADERS)


@get("/dashboard/panels.json", include_in_schema=False, cache_control=REVALIDATE)
async def dashboard_panels() -> dict[str, Any]:
    """Every pack's panels, resolved against the metric catalogue (see registry.py)."""
    return {"panels": default_panels()}


@get("/dashboard/vendor/{name:str}", include_in_schema=False, cache_control=REVALIDATE)
async def dashboard_vendor(name: str) -> File:
    """The chart library's files, from node_modules/ (`npm ci` in ingest_api/dashboard/)."""
    if name not in VENDOR_FILES:
        raise problem(404, "not-found", "Not found", f"the dashboard has no vendor file {name}")
    path = VENDOR / name
    if not path.is_file():
        raise problem(
            503,
            "dashboard-not-installed",
            "Dashboard dependencies missing",
            "run `npm ci` in ingest_api/dashboard/ (make install does) to install the chart library",
        )
    return File(
        path,
        content_disposition_type="inline",
        media_type=VENDOR_FILES[name],
        headers={"X-Content-Type-Options": "nosniff"},
    )


dashboard_assets = create_static_files_router(
    path="/dashboard/assets",
    directories=[ASSETS],
    name="dashboard-assets",
    cache_control=REVALIDATE,
    include_in_schema=False,
)

ROUTES: list[ControllerRouterHandler] = [dashboard_page, dashboard_panels, dashboard_vendor, dashboard_assets]
