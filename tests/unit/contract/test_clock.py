from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.clock import server_time

RECEIVED = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


@pytest.mark.parametrize("skew", [timedelta(0), DAY, -DAY, timedelta(hours=-3, minutes=-7)])
def test_times_within_the_limit_are_kept_as_stated_without_sent_at(skew: timedelta) -> None:
    assert server_time(RECEIVED + skew, RECEIVED, None, DAY) == RECEIVED + skew


@pytest.mark.parametrize(
    ("skew", "message"),
    [
        (DAY + timedelta(seconds=1), "is 24.01 h after receipt; the allowed clock skew is ±24 h"),
        (-DAY - timedelta(hours=2), "is 26 h before receipt; the allowed clock skew is ±24 h"),
        (timedelta(days=-400), "is 9600 h before receipt; the allowed clock skew is ±24 h"),
    ],
)
def test_times_beyond_the_limit_are_rejected_in_both_directions(skew: timedelta, message: str) -> None:
    with pytest.raises(ValueError) as error:
        server_time(RECEIVED + skew, RECEIVED, None, DAY)
    assert str(error.value) == message


def test_the_limit_is_configurable() -> None:
    two_hours_ago = RECEIVED - timedelta(hours=2)
    assert server_time(two_hours_ago, RECEIVED, None, timedelta(hours=3)) == two_hours_ago
    with pytest.raises(ValueError, match=r"^is 2 h before receipt; the allowed clock skew is ±1\.5 h$"):
        server_time(two_hours_ago, RECEIVED, None, timedelta(hours=1.5))


def test_client_clock_drift_is_corrected_from_sent_at() -> None:
    # The client's clock runs 3 days behind: it stamped the event 10 s before sending the batch.
    sent_at = RECEIVED - timedelta(days=3) - timedelta(milliseconds=80)
    occurred_at = sent_at - timedelta(seconds=10)
    assert server_time(occurred_at, RECEIVED, sent_at, DAY) == RECEIVED - timedelta(seconds=10)


def test_with_sent_at_the_limit_applies_to_how_long_the_event_waited_to_be_sent() -> None:
    sent_at = RECEIVED - timedelta(days=3)  # a clock 3 days slow: corrected, not rejected
    with pytest.raises(
        ValueError, match=r"^is 25 h before the batch was sent; the allowed clock skew is ±24 h$"
    ):
        server_time(sent_at - timedelta(hours=25), RECEIVED, sent_at, DAY)


def test_offsets_do_not_change_the_instant() -> None:
    stated = datetime(2025, 1, 15, 13, 0, tzinfo=timezone(timedelta(hours=3)))  # 10:00 UTC
    assert server_time(stated, RECEIVED, None, timedelta(seconds=1)) == RECEIVED


@given(
    st.timedeltas(min_value=-DAY, max_value=DAY),
    st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=30)),
)
def test_correction_moves_every_event_of_a_batch_by_the_same_drift(
    before_send: timedelta, drift: timedelta
) -> None:
    sent_at = RECEIVED - drift
    corrected = server_time(sent_at + before_send, RECEIVED, sent_at, DAY)
    assert corrected == RECEIVED + before_send
