"""The dashboard's panels: one JSON file per pack in `packs/`, checked against the report API.

A pack adds panels by adding `packs/<pack>.json` (a list of panels); the page draws whatever this
module serves, so neither the page nor this module changes. Every panel is checked when loaded —
its metrics and filters must be in the metric catalogue, its funnel in dbt's `funnels` var — so a
typo fails here (and in the tests) with the file and panel named, not as a blank panel later.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import msgspec

from ..reports.catalogue import Catalogue, Metric, UnknownMetric, dbt_var, default_catalogue
from ..reports.queries import FUNNEL_ENTITIES, TOP_DIMENSIONS

PACKS = Path(__file__).resolve().parent / "packs"


class PanelError(ValueError):
    """A pack's panel file asks for something the report API does not have."""


class _Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class Series(_Strict):
    metric: str
    label: str = ""  # the metric's name when empty


class PerItem(_Strict):
    """One series per top item of a top-N dimension, the metric filtered to that item."""

    topn: str  # tools | errors | queries | pages
    filter: str  # the metric's filter that selects one item, e.g. tool_name
    n: int = 5


class _Panel(_Strict, tag_field="kind", kw_only=True):
    id: str
    title: str
    description: str = ""  # the first metric's catalogue description when empty


class TimeseriesPanel(_Panel, tag="timeseries", kw_only=True):
    """Metrics over the selected range, one line (or bar) per series."""

    series: list[Series]
    style: Literal["line", "bars"] = "line"
    per: PerItem | None = None
    sla: str | None = None  # a latency attribute whose p50/p95/p99 over the range head the panel


class FunnelPanel(_Panel, tag="funnel", kw_only=True):
    """A funnel of dbt's `funnels` var, computed by the report API over the selected range."""

    funnel: str


Panel = TimeseriesPanel | FunnelPanel
_PANELS = msgspec.json.Decoder(list[Panel])


def _timeseries(panel: TimeseriesPanel, catalogue: Catalogue) -> dict[str, Any]:
    if not panel.series:
        raise PanelError("needs at least one series")
    metrics: list[Metric] = []
    for series in panel.series:
        try:
            metrics.append(catalogue[series.metric])
        except UnknownMetric:
            raise PanelError(f"metric {series.metric} is not in the catalogue") from None
    units = {m.unit for m in metrics}
    if len(units) > 1:
        raise PanelError(f"series of one panel share one unit, not {', '.join(sorted(units))}")
    grains = [g.value for g in metrics[0].grains if all(g in m.grains for m in metrics)]
    if not grains:
        raise PanelError("its metrics have no grain in common")
    if panel.per is not None:
        if len(metrics) != 1:
            raise PanelError("a panel split per item has exactly one series")
        if panel.per.topn not in TOP_DIMENSIONS:
            raise PanelError(f"per.topn must be one of {', '.join(TOP_DIMENSIONS)}")
        if panel.per.filter not in metrics[0].filters:
            raise PanelError(f"{metrics[0].name} has no filter {panel.per.filter}")
        if not 1 <= panel.per.n <= 12:
            raise PanelError("per.n is 1 to 12 (one colour each)")
    if panel.sla is not None and not panel.sla.endswith("_ms"):
        raise PanelError("sla names a latency attribute (ending in _ms)")
    return {
        **msgspec.to_builtins(panel),
        "description": panel.description or metrics[0].description,
        "unit": metrics[0].unit,
        "grains": grains,
        "series": [{"metric": s.metric, "label": s.label or s.metric} for s in panel.series],
    }


def _duration(seconds: int) -> str:
    return f"{seconds // 3600} h" if seconds % 3600 == 0 else f"{seconds // 60} min"


def _funnel(panel: FunnelPanel, funnels: Mapping[str, Any]) -> dict[str, Any]:
    if panel.funnel not in funnels:
        raise PanelError(f"funnel {panel.funnel} is not in dbt_project.yml's funnels var")
    definition = funnels[panel.funnel]
    if definition["by"] not in FUNNEL_ENTITIES:
        raise PanelError(f"the report API follows {' or '.join(FUNNEL_ENTITIES)}, not {definition['by']}")
    return {
        **msgspec.to_builtins(panel),
        "description": panel.description
        or f"{definition['by'].capitalize()}s reaching each step in order, "
        f"within {_duration(int(definition['window_seconds']))} of the first",
        "steps": list(definition["steps"]),
        "window": int(definition["window_seconds"]),
        "by": definition["by"],
    }


def resolve(panel: Panel, catalogue: Catalogue, funnels: Mapping[str, Any]) -> dict[str, Any]:
    """The panel as the page reads it: its definition plus the unit, grains or steps it needs."""
    if isinstance(panel, TimeseriesPanel):
        return _timeseries(panel, catalogue)
    return _funnel(panel, funnels)


def load_panels(
    files: Iterable[Path], catalogue: Catalogue, funnels: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every panel of `files`, in file order, each tagged with its pack (the file's name)."""
    resolved: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in files:
        try:
            panels = _PANELS.decode(path.read_bytes())
        except msgspec.ValidationError as exc:
            raise PanelError(f"{path.name}: {exc}") from None
        for panel in panels:
            where = f"{path.name}: panel {panel.id}"
            if panel.id in seen:
                raise PanelError(f"{where}: the id is already taken")
            seen.add(panel.id)
            try:
                resolved.append({"pack": path.stem, **resolve(panel, catalogue, funnels)})
            except PanelError as exc:
                raise PanelError(f"{where}: {exc}") from None
    return resolved


@functools.cache
def default_panels() -> list[dict[str, Any]]:
    """The panels of every pack in packs/, core first, then the others by name."""
    files = sorted(PACKS.glob("*.json"), key=lambda p: (p.stem != "core", p.stem))
    return load_panels(files, default_catalogue(), dbt_var("funnels"))
