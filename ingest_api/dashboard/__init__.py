"""The built-in dashboard at /dashboard: a static page that draws the report API's answers.

Panels are declared per pack in `packs/<pack>.json` (see registry.py); the chart library comes from
npm (`npm ci` here) and is served from node_modules/. Register with `*dashboard.ROUTES` in the app.
"""

from .routes import ROUTES

__all__ = ["ROUTES"]
