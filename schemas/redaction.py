"""Redaction of email addresses, phone numbers and card numbers in free text.

What counts as each (ASCII digits only):

- **email**: `local@domain.tld` with an RFC 5322 dot-atom local part and a dotted domain (Unicode
  letters allowed). Replaced by `[email]`.
- **card**: a run of 13 to 19 digits, optionally grouped by spaces or dashes, that passes the Luhn
  check (how PCI scanners find card numbers). Replaced by `[card]`.
- **phone**: a run of 7 to 15 digits (E.164 allows 15), optionally starting with `+` and grouped by
  single spaces, dots, dashes or parentheses. Replaced by `[phone]`.

A run only counts when it stands apart: not glued to letters or digits and not continuing an
identifier through `.`, `-` or `/` (so `ord_5551234567`, `Build/RQ3A.211001.001` and UUIDs are
left alone). Calendar dates and timestamps (`2025-01-15`, `15.01.2025`, `2025-01-15 10:30`) and
decimal numbers (`1234.5678`) are not phone numbers. A run longer than 19 digits is left alone: it
is an id, not a number anyone dials.

Identifiers are only checked for emails (`redact_identifier`): numeric ids of 7 to 19 digits are
common (Shopify product ids have 13) and an id is never a phone number by intent. privacy.py treats
attribute values under keys ending in `id`, and URL path segments, as identifiers.
"""

from __future__ import annotations

import re

EMAIL_PLACEHOLDER = "[email]"
PHONE_PLACEHOLDER = "[phone]"
CARD_PLACEHOLDER = "[card]"

_LOCAL_PART_CHARACTER = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(
    rf"(?<!{_LOCAL_PART_CHARACTER})"  # start where a local part starts, so scanning stays linear
    rf"{_LOCAL_PART_CHARACTER}+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W_](?:[\w-]*[^\W_])?"
)
_DATE = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
    r"|[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{4}"
)
# Digits joined by single separators, with closed parenthesised groups: `+1 (555) 123-4567`.
_DIGIT_RUN = r"\+?(?:\([0-9]+\)[ .-]?)?[0-9](?:[0-9]|[ .-][0-9]|[ .-]?\([0-9]+\)[ .-]?[0-9])*"
_NUMBER = re.compile(
    r"(?=[0-9+(])"  # a cheap first test at each position; the lookbehind alone would be slow
    r"(?<![\w.+/-])"  # not continuing an identifier, a decimal, a path or a number
    rf"(?:(?P<date>{_DATE})(?![0-9])|(?P<run>{_DIGIT_RUN})(?!\w|[.-]\w))"
)
_WITHOUT_DIGITS = str.maketrans("", "", "0123456789")
_NOT_DIGIT = re.compile(r"[^0-9]")

_PHONE_DIGITS = range(7, 16)
_CARD_DIGITS = range(13, 20)


def _passes_luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_decimal(run: str) -> bool:
    whole, dot, fraction = run.partition(".")
    return bool(dot) and whole.isdigit() and fraction.isdigit()


def _replace_number(match: re.Match[str]) -> str:
    run = match["run"]
    if run is None:
        return match[0]  # a date
    digits = _NOT_DIGIT.sub("", run)
    if len(digits) in _CARD_DIGITS and _passes_luhn(digits):
        return CARD_PLACEHOLDER
    if len(digits) in _PHONE_DIGITS and not _is_decimal(run):
        return PHONE_PLACEHOLDER
    return run


def redact_text(text: str) -> str:
    """`text` with every email, phone number and card number replaced by a placeholder."""
    text = redact_identifier(text)  # emails first: their local parts may hold digits
    if len(text) - len(text.translate(_WITHOUT_DIGITS)) < _PHONE_DIGITS.start:
        return text  # too few digits for any phone or card number
    return _NUMBER.sub(_replace_number, text)


def redact_identifier(text: str) -> str:
    """An identifier with any email replaced: ids may be long numbers, never email addresses."""
    if "@" not in text:
        return text
    return _EMAIL.sub(EMAIL_PLACEHOLDER, text)
