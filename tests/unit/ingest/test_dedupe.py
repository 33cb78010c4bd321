"""Recent event ids per tenant: first occurrence wins, bounded in time and size."""

from __future__ import annotations

from ingest_api.dedupe import RecentIds


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_first_occurrence_wins_within_and_across_batches() -> None:
    recent = RecentIds(horizon=60, max_ids=100, clock=Clock())
    assert recent.claim("t1", ["a", "b", "a"]) == [True, True, False]
    assert recent.claim("t1", ["b", "c"]) == [False, True]
    assert recent.claim("t2", ["a"]) == [True]  # tenants never collide


def test_ids_are_forgotten_after_the_horizon_and_past_the_size_limit() -> None:
    clock = Clock()
    recent = RecentIds(horizon=60, max_ids=3, clock=clock)
    recent.claim("t", ["a"])
    clock.now += 61
    assert recent.claim("t", ["a"]) == [True]
    recent.claim("t", ["b", "c", "d"])
    assert len(recent) == 3
    assert recent.claim("t", ["a"]) == [True]  # the oldest was evicted for size


def test_released_ids_can_be_claimed_again() -> None:
    recent = RecentIds(horizon=60, max_ids=100, clock=Clock())
    recent.claim("t", ["a", "b"])
    recent.release("t", ["a"])
    assert recent.claim("t", ["a", "b"]) == [True, False]


def test_preloaded_ids_keep_their_remaining_horizon() -> None:
    clock = Clock()
    recent = RecentIds(horizon=60, max_ids=100, clock=clock)
    recent.remember([("t", "old", 50.0), ("t", "new", 5.0), ("t", "expired", 70.0)])
    assert recent.claim("t", ["old", "new", "expired"]) == [False, False, True]
    clock.now += 20
    assert recent.claim("t", ["old", "new"]) == [True, False]
