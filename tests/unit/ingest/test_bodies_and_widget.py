"""Request bodies: codings, limits, batch shapes; and the widget tracker's mapping."""

from __future__ import annotations

import gzip
import json
import uuid

import pytest
from litestar.plugins.problem_details import ProblemDetailsException

from ingest_api.bodies import Limits, decode_json, read_batch
from ingest_api.widget import to_envelope, widget_batch

LIMITS = Limits(max_body_bytes=10_000, max_decompressed_bytes=50_000, max_events=5)


def _status(call: object) -> int:
    with pytest.raises(ProblemDetailsException) as caught:
        call()  # type: ignore[operator]
    return caught.value.status_code


def test_json_in_plain_gzip_and_text_plain() -> None:
    body = json.dumps({"events": [{"a": 1}]}).encode()
    assert decode_json(body, "application/json", None, LIMITS) == {"events": [{"a": 1}]}
    assert decode_json(gzip.compress(body), "text/plain;charset=UTF-8", "gzip", LIMITS) == {
        "events": [{"a": 1}]
    }


def test_bad_bodies_get_the_right_status() -> None:
    assert _status(lambda: decode_json(b"{}", "application/xml", None, LIMITS)) == 415
    assert _status(lambda: decode_json(b"{}", None, "zstd", LIMITS)) == 415
    assert _status(lambda: decode_json(b"x" * 10_001, None, None, LIMITS)) == 413
    assert _status(lambda: decode_json(gzip.compress(b" " * 60_000), None, "gzip", LIMITS)) == 413
    assert _status(lambda: decode_json(b"{nope", None, None, LIMITS)) == 400
    assert _status(lambda: decode_json(b"not gzip", None, "gzip", LIMITS)) == 400
    assert _status(lambda: decode_json(b"  ", None, None, LIMITS)) == 400


def test_batch_shapes() -> None:
    single = read_batch({"event_name": "x", "write_key": "k"}, LIMITS)
    assert single.events == [{"event_name": "x"}] and single.write_key == "k"
    batch = read_batch({"events": [{}, {}], "batch_id": "b", "sent_at": "2026-11-01T10:00:00Z"}, LIMITS)
    assert len(batch.events) == 2 and batch.batch_id == "b" and batch.sent_at is not None
    assert read_batch([{}, {}], LIMITS).events == [{}, {}]


def test_batch_errors_name_the_path() -> None:
    with pytest.raises(ProblemDetailsException) as caught:
        read_batch({"events": [{}], "sent_at": "yesterday"}, LIMITS)
    assert caught.value.extra == {
        "errors": [{"path": "/sent_at", "message": caught.value.extra["errors"][0]["message"]}]
    }  # type: ignore[index]
    with pytest.raises(ProblemDetailsException) as caught:
        read_batch({"events": "nope"}, LIMITS)
    assert caught.value.extra["errors"][0]["path"] == "/events"  # type: ignore[index]
    assert _status(lambda: read_batch({"events": [{}] * 6}, LIMITS)) == 413
    assert _status(lambda: read_batch({"events": [{}]}, LIMITS, require_batch_id=True)) == 400
    assert _status(lambda: read_batch({"events": [], "batch_id": "b"}, LIMITS)) == 400
    assert _status(lambda: read_batch(42, LIMITS)) == 400


TRACKER_EVENT = {
    "event_type": "widget_click",
    "occurred_at": "2026-11-01T10:00:00.000Z",
    "session_id": "s1",
    "visitor_id": "v1",
    "page_url": "https://example.com/post/1",
    "page_path": "/post/1",
    "referrer_domain": "news.example",
    "properties": {"mapping_id": 4, "post_id": 1, "widget_index": 2, "click_target": "buy_button"},
}


def test_a_tracker_event_maps_onto_the_envelope() -> None:
    envelope = to_envelope(TRACKER_EVENT)
    assert envelope["event_name"] == "widget_click" and envelope["user_id"] == "v1"
    assert envelope["attributes"] == {
        "widget.mapping_id": 4,
        "widget.post_id": 1,
        "widget.index": 2,
        "widget.click_target": "buy_button",
    }
    assert envelope["context"] == {
        "page": {"url": "https://example.com/post/1", "path": "/post/1", "referrer": "news.example"}
    }
    assert envelope["source"] == "wordpress"


def test_tracker_event_ids_are_stable_for_resends_and_ulids_become_uuids() -> None:
    assert to_envelope(TRACKER_EVENT)["event_id"] == to_envelope(dict(TRACKER_EVENT))["event_id"]
    assert (
        to_envelope({**TRACKER_EVENT, "session_id": "s2"})["event_id"]
        != to_envelope(TRACKER_EVENT)["event_id"]
    )
    ulid = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    assert (
        str(uuid.UUID(to_envelope({**TRACKER_EVENT, "event_id": ulid})["event_id"]))
        == "01563e3a-b5d3-d676-4c61-efb99302bd5b"
    )


def test_unknown_tracker_fields_stay_visible_to_validation() -> None:
    assert to_envelope({**TRACKER_EVENT, "mystery": 1})["mystery"] == 1
    assert widget_batch({"events": [TRACKER_EVENT]}, LIMITS).events[0]["event_name"] == "widget_click"
