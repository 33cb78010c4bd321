from __future__ import annotations

from typing import Any

import pytest

from schemas.policy import ContractPolicy
from schemas.privacy import consent_declined, scrub, scrub_context


@pytest.mark.parametrize(
    ("event", "declined"),
    [
        ({"context": {"consent": {"analytics": False}}}, True),
        ({"context": {"consent": {"analytics": True, "ads": False}}}, False),
        ({"context": {"consent": {"ads": False}}}, False),
        ({"context": {"consent": {"analytics": "false"}}}, False),  # not a boolean: the schema rejects it
        ({"context": {"consent": None}}, False),
        ({"context": []}, False),
        ({}, False),
    ],
)
def test_only_an_explicit_false_declines(event: dict[str, Any], declined: bool) -> None:
    assert consent_declined(event) is declined


def test_strings_are_redacted_at_any_depth(policy: ContractPolicy) -> None:
    value = {
        "hospitality.metadata": {"note": "call 555-123-4567", "guests": ["jo@example.com", 2, None, True]},
        "hospitality.feedback": "great stay, mail me at ann@example.org",
        "hospitality.rating": 5,
    }
    assert scrub(value, policy) == {
        "hospitality.metadata": {"note": "call [phone]", "guests": ["[email]", 2, None, True]},
        "hospitality.feedback": "great stay, mail me at [email]",
        "hospitality.rating": 5,
    }


def test_identifier_values_keep_long_numbers_but_not_emails(policy: ContractPolicy) -> None:
    value = {
        "commerce.product_id": "7234567890123",
        "task.id": "ann@example.org",
        "widget.note": "7234567890",
    }
    assert scrub(value, policy) == {
        "commerce.product_id": "7234567890123",
        "task.id": "[email]",
        "widget.note": "[phone]",
    }


def test_urls_lose_query_and_fragment_then_are_redacted_then_cut(policy: ContractPolicy) -> None:
    long_path = "/".join(["segment"] * 80)
    value = {
        "widget.destination_url": "https://shop.example/p?utm_source=blog&email=ann%40example.org#t=1",
        "profile": "https://x.example/users/ann@example.org/7234567890123",
        "long": f"https://x.example/{long_path}?utm_medium=cpc",
    }
    scrubbed = scrub(value, policy)
    assert scrubbed["widget.destination_url"] == "https://shop.example/p?utm_source=blog"
    assert scrubbed["profile"] == "https://x.example/users/[email]/7234567890123"
    assert scrubbed["long"] == f"https://x.example/{long_path}"[:500]
    assert len(scrubbed["long"]) == 500


def test_page_path_is_cleaned_like_a_url(policy: ContractPolicy) -> None:
    context = {"page": {"path": "/reset?token=abc&utm_source=x", "title": "Reset for ann@example.org"}}
    assert scrub_context(context, policy) == {
        "page": {"path": "/reset?utm_source=x", "title": "Reset for [email]"}
    }


def test_the_input_is_not_modified(policy: ContractPolicy) -> None:
    context = {"page": {"path": "/p?token=1", "url": "https://x.example/?token=1"}}
    scrub_context(context, policy)
    assert context == {"page": {"path": "/p?token=1", "url": "https://x.example/?token=1"}}
