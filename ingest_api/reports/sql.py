"""Parameterized SQL: query text built only from our own constants, every input a parameter."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class SqlQuery:
    """Statement text plus the server-side parameters it binds (`{name:Type}` placeholders)."""

    text: str
    parameters: dict[str, Any]

    def cache_key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return self.text, tuple(sorted((k, repr(v)) for k, v in self.parameters.items()))


def percentile(
    level: float, accuracy: float, state: str = "value_ms_state", maximum: str = "max(value_max_ms)"
) -> str:
    """One percentile out of merged quantileDD states, read at quantileExact's rank.

    The marts keep quantileDD states; this is the reader the dbt macro `latency_percentile`
    (dbt_project/macros/states.sql) documents: a sentinel sample above every real one makes the
    sketch answer at rank floor(level * n), like quantileExact, within `accuracy` of its value.
    """
    return (
        f"arrayReduce('quantileDDMerge({accuracy}, {level})', "
        f"[quantileDDMergeState({accuracy}, 0.5)({state}), "
        f"arrayReduce('quantileDDState({accuracy}, 0.5)', [greatest(toFloat64({maximum}) * 2, 1)])])"
    )


def ratio(numerator: str, denominator: str) -> str:
    """A rate that is NULL, not 0, when there is nothing to divide by."""
    return f"if(({denominator}) = 0, NULL, ({numerator}) / ({denominator}))"
