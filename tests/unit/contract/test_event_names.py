from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.event_names import CANONICAL_EVENT_NAME, MAX_EVENT_NAME_LENGTH, normalise_event_name


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("voice.first_response", "voice.first_response"),
        ("widget_impression", "widget_impression"),
        ("Voice.FirstResponse", "voice.first_response"),
        ("voice.first-response", "voice.first_response"),
        ("ai.toolCallStarted", "ai.tool_call_started"),
        ("VOICE.TURN_STARTED", "voice.turn_started"),
        ("HTTPRequest.done", "http_request.done"),
        ("Page View", "page_view"),
        ("  kb.search ", "kb.search"),
        ("commerce.add__to--cart", "commerce.add_to_cart"),
        ("v2X.okThing", "v2_x.ok_thing"),
    ],
)
def test_names_are_normalised_to_lowercase_dot_case(given_name: str, expected: str) -> None:
    assert normalise_event_name(given_name) == expected


@pytest.mark.parametrize(
    "given_name",
    [
        "",
        "voice..turn",
        ".voice",
        "voice.",
        "_voice",
        "voice-",
        "123",
        "voice.1st",
        "café",
        "voice/turn",
        "voice:turn",
        "voice. turn",
        "a" * (MAX_EVENT_NAME_LENGTH + 1),
    ],
)
def test_names_that_cannot_be_recovered_are_refused(given_name: str) -> None:
    assert normalise_event_name(given_name) is None


_words = st.lists(st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True), min_size=1, max_size=3)
# camelCase cannot tell "aB" + "C" from "a" + "BC": its words need a lower-case second letter.
_camel_words = st.lists(st.from_regex(r"[a-z]{2}[a-z0-9]{0,5}", fullmatch=True), min_size=1, max_size=3)
_canonical_names = st.lists(_words, min_size=1, max_size=3).map(
    lambda segments: ".".join("_".join(words) for words in segments)
)


@given(_canonical_names)
def test_canonical_names_are_fixed_points(name: str) -> None:
    assert normalise_event_name(name) == name


@given(st.text(max_size=40))
def test_normalisation_yields_a_canonical_name_or_nothing_and_is_idempotent(name: str) -> None:
    normalised = normalise_event_name(name)
    if normalised is not None:
        assert CANONICAL_EVENT_NAME.fullmatch(normalised)
        assert normalise_event_name(normalised) == normalised


@given(st.lists(_camel_words, min_size=1, max_size=3), st.sampled_from(["camel", "kebab", "upper", "title"]))
def test_other_casings_of_a_name_normalise_back_to_it(segments: list[list[str]], style: str) -> None:
    canonical = ".".join("_".join(words) for words in segments)
    styled = {
        "camel": lambda words: words[0] + "".join(word.capitalize() for word in words[1:]),
        "kebab": lambda words: "-".join(words),
        "upper": lambda words: "_".join(words).upper(),
        "title": lambda words: " ".join(word.capitalize() for word in words),
    }[style]
    assert normalise_event_name(".".join(styled(words) for words in segments)) == canonical
