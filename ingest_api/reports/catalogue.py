"""The metric catalogue: what each metric means, its unit, and which mart answers which grain.

Metrics are declared by packs (`ingest_api/reports/packs/<pack>.py`, each exposing `METRICS`);
every module in that folder is picked up, so a pack adds metrics without touching this file.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from .grains import Grain
from .sql import percentile

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project" / "dbt_project.yml"


@functools.cache
def dbt_var(name: str) -> Any:
    """A var from dbt_project.yml, so the marts and their readers share one setting."""
    return yaml.safe_load(DBT_PROJECT.read_text())["vars"][name]


def quantile_accuracy() -> float:
    """The relative accuracy every quantileDD state in the marts was built with."""
    return float(dbt_var("quantile_relative_accuracy"))


@dataclasses.dataclass(frozen=True)
class Source:
    """A mart and the grain of its buckets; `live` marts are kept current by materialized views."""

    table: str
    grain: Grain
    live: bool = False


@dataclasses.dataclass(frozen=True)
class Metric:
    """A number per bucket: `value` aggregated over the rows of a source mart matching `where`.

    `value` and `where` are SQL written here, from constants only; request input reaches a query
    only as parameters. `filters` maps the API's filter keys to the source's columns.
    """

    name: str
    description: str
    unit: str
    pack: str
    sources: tuple[Source, ...]
    value: str
    where: str = ""
    filters: Mapping[str, str] = dataclasses.field(default_factory=dict)
    columns: tuple[str, ...] = ()
    """The columns `value` reads; needed to read a batch mart and its live tail as one set of rows."""

    def source_for(self, grain: Grain) -> Source | None:
        """The coarsest source whose buckets tile `grain` exactly (fewest rows to merge)."""
        fitting = [s for s in self.sources if s.grain.divides(grain)]
        return max(fitting, key=lambda s: s.grain.seconds) if fitting else None

    @property
    def live_source(self) -> Source | None:
        return next((s for s in self.sources if s.live), None)

    @property
    def grains(self) -> list[Grain]:
        return [g for g in Grain if self.source_for(g) is not None]


LIVE_AND_BATCH = ("1m", "hourly", "daily")


def sources(prefix: str, kinds: Iterable[str] = LIVE_AND_BATCH) -> tuple[Source, ...]:
    """`<prefix>_1m` (live) / `_hourly` / `_daily` marts, as many as exist for this prefix."""
    grain = {"1m": Grain.MINUTE, "hourly": Grain.HOUR, "daily": Grain.DAY}
    return tuple(Source(f"{prefix}_{kind}", grain[kind], live=kind == "1m") for kind in kinds)


def event_count(name: str, event_name: str, description: str, pack: str) -> Metric:
    """How many `event_name` events per bucket."""
    return Metric(
        name,
        description,
        "count",
        pack,
        sources("event_counts"),
        "sum(event_count)",
        f"event_name = '{event_name}'",
        columns=("event_count",),
    )


def latency(name: str, attribute: str, description: str, pack: str) -> list[Metric]:
    """p50, p95 and p99 of a latency attribute, merged from quantile states at any grain."""
    accuracy = quantile_accuracy()
    return [
        Metric(
            f"{name}.{label}",
            f"{label} of {description}",
            "ms",
            pack,
            sources("latency"),
            percentile(level, accuracy),
            f"attribute = '{attribute}'",
            {"event_name": "event_name"},
            ("value_ms_state", "value_max_ms"),
        )
        for label, level in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
    ]


class UnknownMetric(KeyError):
    """No pack declares this metric."""


class Catalogue:
    """Every metric of every pack, by name."""

    def __init__(self, metrics: Iterable[Metric]) -> None:
        self._metrics: dict[str, Metric] = {}
        for metric in metrics:
            if metric.name in self._metrics:
                raise ValueError(f"metric {metric.name} is declared twice")
            self._metrics[metric.name] = metric

    def __getitem__(self, name: str) -> Metric:
        try:
            return self._metrics[name]
        except KeyError:
            raise UnknownMetric(name) from None

    def __iter__(self) -> Iterator[Metric]:
        return iter(sorted(self._metrics.values(), key=lambda m: (m.pack, m.name)))

    def names(self) -> list[str]:
        return sorted(self._metrics)


@functools.cache
def default_catalogue() -> Catalogue:
    """The metrics of every pack module in ingest_api/reports/packs/."""
    from . import packs

    modules = [
        importlib.import_module(f"{packs.__name__}.{info.name}")
        for info in pkgutil.iter_modules(packs.__path__)
    ]
    return Catalogue(metric for module in modules for metric in module.METRICS)
