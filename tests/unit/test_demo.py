"""Demo traffic is valid traffic: every event it sends passes the event contract."""

from __future__ import annotations

import datetime as dt
import random

from eventhouse.demo import session_events
from schemas.policy import ContractPolicy, ServerContext
from schemas.prepare import PreparedEvent, prepare_event
from schemas.registry import default_registry


def test_every_demo_event_is_accepted() -> None:
    rng = random.Random(3)
    now = dt.datetime.now(dt.UTC)
    context = ServerContext(tenant_id="t_demo", received_at=now)
    events = [event for _ in range(300) for event in session_events(rng, now)]
    outcomes = [prepare_event(event, context, ContractPolicy(), default_registry()) for event in events]
    rejected = [
        (e["event_name"], o)
        for e, o in zip(events, outcomes, strict=True)
        if not isinstance(o, PreparedEvent)
    ]
    assert not rejected, rejected[:3]
    names = {e["event_name"] for e in events}
    assert {
        "voice.first_response",
        "ai.tool_call_completed",
        "kb.search",
        "commerce.order_placed",
        "voice.barge_in",
    } <= names
