"""Redaction must never let an email or phone number through, and never alter text without one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.redaction import redact_identifier, redact_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jane.doe+news@example.co.uk today", "write to [email] today"),
        ("mailto:JANE@Example.COM.", "mailto:[email]."),
        ("<jose@correo.es>, anna@post.de", "<[email]>, [email]"),
        ("call +1 (555) 123-4567 now", "call [phone] now"),
        ("ring 555-123-4567, or 555.765.4321.", "ring [phone], or [phone]."),
        ("06 12 34 56 78", "[phone]"),
        ("+447911123456 or 07911 123456", "[phone] or [phone]"),
        ("tel:5551234", "tel:[phone]"),
        ("card 4111 1111 1111 1111 exp 12/27", "card [card] exp 12/27"),
        ("4111-1111-1111-1111", "[card]"),
        ("digits 5551234567@example.com", "digits [email]"),
        # not phone or card numbers
        ("order 12345 for 3 items at 10:30", "order 12345 for 3 items at 10:30"),
        ("on 2025-01-15 10:30:00 and 15.01.2025", "on 2025-01-15 10:30:00 and 15.01.2025"),
        ("2025-01-15T10:30:00.123+02:00", "2025-01-15T10:30:00.123+02:00"),
        ("pi is 3.14159265 and 1234.5678", "pi is 3.14159265 and 1234.5678"),
        ("id 12345678-e29b-41d4-a716-446655440000", "id 12345678-e29b-41d4-a716-446655440000"),
        ("ord_5551234567 and ABC5551234567", "ord_5551234567 and ABC5551234567"),
        ("Android 14; Build/UP1A.231005.007", "Android 14; Build/UP1A.231005.007"),
        ("Chrome/124.0.6367.82 Safari/537.36", "Chrome/124.0.6367.82 Safari/537.36"),
        (
            "4111 1111 1111 1112",
            "4111 1111 1111 1112",
        ),  # 16 digits failing Luhn: not a card, too long for a phone
        ("12345678901234567890123", "12345678901234567890123"),  # longer than any card
        ("user@localhost", "user@localhost"),  # no dotted domain
        ("version 1.2.3 of 6 apps", "version 1.2.3 of 6 apps"),
    ],
)
def test_redaction_examples(text: str, expected: str) -> None:
    assert redact_text(text) == expected


def test_identifiers_lose_emails_but_keep_long_numbers() -> None:
    assert redact_identifier("7234567890123") == "7234567890123"
    assert redact_identifier("jane@example.com") == "[email]"


@pytest.mark.parametrize(
    "text", ["a" * 100_000, "1 " * 50_000, "a@" * 50_000, "a.b-" * 25_000, "+(" * 50_000]
)
def test_long_adversarial_text_is_handled(text: str) -> None:
    assert redact_text(text) == text


# --- properties ----------------------------------------------------------------------------------

_word = st.text(st.characters(categories=("Lu", "Ll")), min_size=1, max_size=8)
_harmless_other = st.one_of(
    st.integers(0, 999_999).map(str),  # short numbers
    st.decimals(0, 10_000, places=2, allow_nan=False).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.times().map(lambda time: time.strftime("%H:%M")),
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)).map(
        lambda v: ".".join(map(str, v))
    ),
    st.uuids().map(str),
    st.integers(0, 10**19).map(lambda n: f"ord_{n}"),
    st.sampled_from(["-", ",", ";", "!", "?", "(", ")", "/", "'", '"', "#", "%", "&", "*", "…", "—"]),
)
_clean_text = st.lists(st.tuples(_word, st.one_of(st.none(), _harmless_other)), max_size=8).map(
    lambda pairs: " ".join(f"{word} {other}" if other else word for word, other in pairs)
)
# Text placed before a phone or card number ends in a word: "0 5551234567" could be one number.
_text_before = st.tuples(_clean_text, _word).map(lambda parts: " ".join(parts).lstrip())


@given(_clean_text)
def test_text_without_an_email_or_phone_number_is_never_altered(text: str) -> None:
    assert redact_text(text) == text


@given(
    _text_before,
    st.emails(),
    _clean_text,
    st.sampled_from([(" ", " "), (" <", "> "), (" (", ") "), (" mailto:", ". "), ("\n", ",\n")]),
)
def test_an_email_never_gets_through(before: str, email: str, after: str, around: tuple[str, str]) -> None:
    left, right = around
    redacted = redact_text(before + left + email + right + after)
    assert redacted == before + left + "[email]" + right + after


def _digits(count: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=count, max_size=count)


_PHONE_TEMPLATES = [
    "+{cc} {3} {3} {4}",
    "+{cc} ({3}) {3}-{4}",
    "({3}) {3}-{4}",
    "{3}-{3}-{4}",
    "{3}.{3}.{4}",
    "{10}",
    "+{cc}{10}",
    "{2} {2} {2} {2} {2}",
    "{2}.{2}.{2}.{2}.{2}",
    "{5} {6}",
    "{3}-{4}",
    "{4} {3} {3}",
    "+{cc}-{3}-{3}-{4}",
    "+{cc} {2} {4} {4}",
]


@st.composite
def _phone_numbers(draw: st.DrawFn) -> str:
    template = draw(st.sampled_from(_PHONE_TEMPLATES))
    country = draw(st.integers(1, 999).map(str))
    parts = template.replace("{cc}", country).split("{")
    number = parts[0]
    for part in parts[1:]:
        count, rest = part.split("}")
        number += draw(_digits(int(count))) + rest
    return number


@given(
    _text_before,
    _phone_numbers(),
    _clean_text,
    st.sampled_from([(" ", " "), (": ", ". "), (" (", ") "), ("\n", ";\n"), (" tel:", ", ")]),
)
def test_a_phone_number_never_gets_through(
    before: str, phone: str, after: str, around: tuple[str, str]
) -> None:
    left, right = around
    redacted = redact_text(before + left + phone + right + after)
    # 13-15 digit numbers that pass the Luhn check are called cards; either way they are gone.
    assert redacted in (before + left + "[phone]" + right + after, before + left + "[card]" + right + after)


def _luhn_complete(digits: str) -> str:
    total = 0
    for position, digit in enumerate(reversed(digits + "0")):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


@given(_text_before, _digits(15).map(_luhn_complete), st.sampled_from(["", " ", "-"]), _clean_text)
def test_a_card_number_never_gets_through(before: str, card: str, separator: str, after: str) -> None:
    grouped = separator.join(card[i : i + 4] for i in range(0, 16, 4))
    assert redact_text(f"{before} {grouped} {after}") == f"{before} [card] {after}"


@given(st.text())
def test_redaction_is_idempotent(text: str) -> None:
    once = redact_text(text)
    assert redact_text(once) == once
