"""The run new arrivals call for."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from orchestration.defs.new_data import run_request
from orchestration.defs.raw import Arrivals

NEWEST = datetime(2025, 3, 6, 12, 0, 1, 250000, tzinfo=UTC)


def test_the_first_arrivals_ever_run_the_full_build() -> None:
    request = run_request(Arrivals((date(2025, 3, 5), date(2025, 3, 6)), NEWEST), first=True)
    assert (request.job_name, request.run_config) == ("build_all_models", {})
    assert request.run_key == "2025-03-06T12:00:01.250000+00:00"


def test_later_arrivals_refresh_from_their_earliest_day_on() -> None:
    request = run_request(Arrivals((date(2025, 2, 20), date(2025, 3, 6)), NEWEST), first=False)
    assert request.job_name == "refresh_incremental_models"
    assert request.run_config == {"ops": {"eventhouse_dbt": {"config": {"start": "2025-02-20"}}}}


def test_no_arrivals_no_run() -> None:
    with pytest.raises(ValueError):
        run_request(Arrivals((), None), first=False)
