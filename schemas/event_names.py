"""Event names in lowercase dot-case: `voice.first_response`, `widget_impression`.

Trackers write names the way their language does (`Voice.FirstResponse`, `voice.first-response`,
`ai.toolCallStarted`), so a name is normalised rather than rejected whenever its words can be
recovered unambiguously: dots separate segments; within a segment, words are split at `_`, `-`,
spaces and camelCase boundaries and joined with `_`. Anything else (empty segments, a segment that
does not start with a letter, characters outside ASCII letters, digits and those separators) is
rejected, because guessing would silently merge or split event types.
"""

from __future__ import annotations

import re

MAX_EVENT_NAME_LENGTH = 128

CANONICAL_EVENT_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*)*")
_SEGMENT_CHARACTERS = re.compile(r"[A-Za-z0-9_\- ]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD_SEPARATORS = re.compile(r"[_\- ]+")


def _normalise_segment(segment: str) -> str:
    if _SEGMENT_CHARACTERS.fullmatch(segment) is None:
        return ""
    # An all-capitals segment (VOICE_TURN) has no camelCase to split, and splitting A1B2 would invent words.
    words = segment if segment.isupper() else _CAMEL_BOUNDARY.sub("_", segment)
    # Separators at a segment's edges mean a word is missing ("_x", "x-"); they are kept so that
    # the canonical check rejects the segment instead of quietly trimming them.
    return _WORD_SEPARATORS.sub("_", words).lower()


def normalise_event_name(name: str) -> str | None:
    """The lowercase dot-case form of `name`, or None when it cannot be normalised."""
    if len(name) <= MAX_EVENT_NAME_LENGTH and CANONICAL_EVENT_NAME.fullmatch(name):
        return name  # the common case: already canonical
    normalised = ".".join(_normalise_segment(segment) for segment in name.strip().split("."))
    if len(normalised) > MAX_EVENT_NAME_LENGTH or CANONICAL_EVENT_NAME.fullmatch(normalised) is None:
        return None
    return normalised
