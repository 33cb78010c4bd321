"""Reading models and sources from a manifest: groups, tiers and liveness come from folders and meta."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from orchestration.manifest import UnknownTier, model_from_node, models, source, source_from_node


def node(name: str, folders: list[str], materialized: str = "incremental", **meta: Any) -> dict[str, Any]:
    return {
        "name": name,
        "resource_type": "model",
        "fqn": ["eventhouse", *folders, name],
        "meta": {},
        "config": {"materialized": materialized, "meta": meta},
    }


def test_group_is_the_dbt_folder() -> None:
    assert model_from_node(node("kb_search_hourly", ["marts", "voice"])).group == "marts_voice"
    assert model_from_node(node("stg_events", ["staging"])).group == "staging"


def test_tier_and_liveness_come_from_meta() -> None:
    live = model_from_node(
        node("event_counts_1m", ["marts", "core"], "materialized_view", freshness="hot", live=True)
    )
    assert (live.tier, live.live, live.is_mart) == ("hot", True, True)


def test_a_mart_without_a_tier_is_daily_and_a_view_has_none() -> None:
    assert model_from_node(node("new_mart_daily", ["marts", "core"])).tier == "daily"
    assert model_from_node(node("stg_voice__kb_events", ["staging", "voice"], "view")).tier is None


def test_an_unknown_tier_is_refused_by_name() -> None:
    with pytest.raises(UnknownTier, match="odd_mart"):
        model_from_node(node("odd_mart", ["marts", "core"], freshness="yearly"))


def test_models_lists_models_only_by_name() -> None:
    manifest = {
        "nodes": {
            "model.b": node("b_mart", ["marts", "core"]),
            "model.a": node("a_mart", ["marts", "core"]),
            "test.x": {"name": "x", "resource_type": "test"},
        }
    }
    assert [model.name for model in models(manifest)] == ["a_mart", "b_mart"]


def test_source_freshness_comes_from_dbt() -> None:
    raw = {
        "source_name": "eventhouse",
        "name": "events_raw",
        "description": "raw",
        "loaded_at_field": "received_at",
        "freshness": {
            "warn_after": {"count": 1, "period": "hour"},
            "error_after": {"count": 24, "period": "hour"},
        },
    }
    parsed = source_from_node(raw)
    assert (parsed.loaded_at_field, parsed.error_after) == ("received_at", timedelta(hours=24))
    assert source({"sources": {"source.x": raw}}, "eventhouse", "events_raw") == parsed
    assert source_from_node({**raw, "freshness": None}).error_after is None
    with pytest.raises(KeyError):
        source({"sources": {}}, "eventhouse", "events_raw")
