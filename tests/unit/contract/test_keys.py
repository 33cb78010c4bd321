from __future__ import annotations

import pytest

from schemas.keys import SchemaKey, parse_schemaver


def test_a_key_round_trips_through_its_uri() -> None:
    key = SchemaKey.parse("iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-0-2")
    assert key == SchemaKey("dev.eventhouse.voice", "voice_first_response", "jsonschema", "1-0-2")
    assert key.uri == "iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-0-2"
    assert key.path == "dev.eventhouse.voice/voice_first_response/jsonschema/1-0-2"
    assert key.schemaver == (1, 0, 2)
    assert key.family == ("dev.eventhouse.voice", "voice_first_response", "jsonschema")


@pytest.mark.parametrize(
    "uri",
    [
        "dev.eventhouse.voice/voice_first_response/jsonschema/1-0-0",  # no iglu: prefix
        "iglu:dev.eventhouse.voice/voice.first_response/jsonschema/1-0-0",  # dots in the name
        "iglu:dev.eventhouse.voice/voice_first_response/1-0-0",  # no format
        "iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-0",
        "iglu:dev.eventhouse.voice/voice_first_response/jsonschema/0-1-0",  # models start at 1
        "iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-01-0",  # no leading zeros
    ],
)
def test_malformed_uris_are_refused(uri: str) -> None:
    with pytest.raises(ValueError):
        SchemaKey.parse(uri)


def test_schemaver_compares_numerically_not_as_text() -> None:
    assert parse_schemaver("1-0-10") > parse_schemaver("1-0-9")
    assert parse_schemaver("2-0-0") > parse_schemaver("1-10-10")
