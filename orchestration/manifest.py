"""What orchestration needs to know about each dbt model, read from the manifest.

Everything Dagster derives per model — its group, its tier, whether ClickHouse keeps it live —
comes from the dbt folder and `meta`, so an analyst's new model is orchestrated by convention
and no Python names a model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from orchestration.tiers import DEFAULT_MART_TIER, TIERS_BY_NAME


class UnknownTier(ValueError):
    """A model's `meta.freshness` names no tier."""


@dataclasses.dataclass(frozen=True)
class Model:
    name: str
    folders: tuple[str, ...]
    """Its folder under models/, e.g. ("marts", "voice")."""
    materialized: str
    tier: str | None
    """hot | daily | weekly | monthly, or None for a model with no freshness promise (views)."""
    live: bool
    """A materialized view ClickHouse keeps current on insert: never rebuilt by a schedule."""

    @property
    def group(self) -> str:
        return group_for_folders(self.folders)

    @property
    def is_mart(self) -> bool:
        return self.folders[:1] == ("marts",)


def group_for_folders(folders: tuple[str, ...]) -> str:
    """Dagster group of a node: its dbt folder, e.g. marts_voice for models/marts/voice/."""
    return "_".join(folders) or "models"


def model_from_node(node: Mapping[str, Any]) -> Model:
    """A manifest model node as a Model; marts without a tier get the default one."""
    config = node.get("config", {})
    meta = {**node.get("meta", {}), **config.get("meta", {})}
    folders = tuple(node["fqn"][1:-1])
    tier = meta.get("freshness")
    if tier is None and folders[:1] == ("marts",):
        tier = DEFAULT_MART_TIER
    if tier is not None and tier not in TIERS_BY_NAME:
        raise UnknownTier(f"{node['name']}: meta.freshness {tier!r} is not one of {sorted(TIERS_BY_NAME)}")
    return Model(
        name=node["name"],
        folders=folders,
        materialized=config.get("materialized", ""),
        tier=tier,
        live=bool(meta.get("live", False)),
    )


def models(manifest: Mapping[str, Any]) -> list[Model]:
    """Every model of the project, by name."""
    nodes = manifest["nodes"].values()
    return sorted(
        (model_from_node(node) for node in nodes if node["resource_type"] == "model"),
        key=lambda model: model.name,
    )


@dataclasses.dataclass(frozen=True)
class Source:
    source_name: str
    name: str
    description: str
    loaded_at_field: str | None
    error_after: timedelta | None
    """dbt's `freshness.error_after`: past it, the source is stale."""


_PERIODS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


def source_from_node(node: Mapping[str, Any]) -> Source:
    error_after = (node.get("freshness") or {}).get("error_after") or {}
    count, period = error_after.get("count"), error_after.get("period")
    return Source(
        source_name=node["source_name"],
        name=node["name"],
        description=node.get("description", ""),
        loaded_at_field=node.get("loaded_at_field"),
        error_after=count * _PERIODS[period] if count and period else None,
    )


def source(manifest: Mapping[str, Any], source_name: str, name: str) -> Source:
    """The dbt source `source_name.name`."""
    for node in manifest["sources"].values():
        if (node["source_name"], node["name"]) == (source_name, name):
            return source_from_node(node)
    raise KeyError(f"dbt source {source_name}.{name} is not in the manifest")
