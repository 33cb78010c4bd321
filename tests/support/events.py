"""Valid canonical events for tests, with a fresh event_id and a recent occurred_at."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any


def voice_first_response(ms: float = 412, **overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "event_name": "voice.first_response",
        "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat(),
        "site_id": "s_main",
        "session_id": "ssn_1",
        "user_id": "anon_1",
        "source": "voice_ws",
        "attributes": {"voice.first_response_ms": ms},
        "context": {"locale": "en-US", "consent": {"analytics": True, "ads": False}},
    }
    event.update(overrides)
    return event
