from __future__ import annotations

from datetime import timedelta

import pytest

from eventhouse.settings import load_settings
from schemas.policy import ContractPolicy


def test_the_policy_follows_the_settings() -> None:
    settings = load_settings(
        {
            "EVENTHOUSE_CLOCK_SKEW_HOURS": "6",
            "EVENTHOUSE_URL_QUERY_ALLOWLIST": "utm_source, ref",
            "EVENTHOUSE_IP_PREFIX_BITS": "16",
        }
    )
    assert ContractPolicy.from_settings(settings) == ContractPolicy(
        clock_skew=timedelta(hours=6), url_query_allowlist=frozenset({"utm_source", "ref"}), ip_prefix_bits=16
    )


def test_the_defaults_are_the_designs() -> None:
    policy = ContractPolicy.from_settings(load_settings({}))
    assert policy.clock_skew == timedelta(hours=24)
    assert policy.ip_prefix_bits == 0
    assert policy.max_url_length == 500
    assert "utm_source" in policy.url_query_allowlist


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ip_prefix_bits": 25}, "ip_prefix_bits must be between 0 and 24"),
        ({"ip_prefix_bits": -1}, "ip_prefix_bits must be between 0 and 24"),
        ({"clock_skew": timedelta(0)}, "clock_skew must be positive"),
        ({"max_url_length": 0}, "max_url_length must be positive"),
    ],
)
def test_unsafe_or_meaningless_policies_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        ContractPolicy(**fields)  # type: ignore[arg-type]
