"""`eventhouse demo`: a demo tenant and a steady trickle of realistic voice/agent traffic.

`make run` starts it so that a first look at the dashboard and the Dagster UI shows live data.
Events go through the real ingestion API, like any SDK's: validated, deduplicated, group-committed.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from ingest_api.tenants import UnknownKey, create_tenant, rotate_keys

DEMO_TENANT = "t_demo"
TOOLS = [
    ("search_products", "search"),
    ("navigation.goto", "navigation"),
    ("cart.add", "commerce"),
    ("kb.lookup", "knowledge"),
]
QUERIES = ["opening hours", "return policy", "shipping costs", "espresso grinder", "warranty"]
PAGES = ["/", "/pricing", "/products/espresso", "/cart", "/support"]


def _event(
    name: str, at: dt.datetime, session: str, user: str, attributes: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "event_name": name,
        "occurred_at": at.isoformat(),
        "site_id": "s_demo",
        "session_id": session,
        "user_id": user,
        "source": "voice_ws" if name.startswith("voice.") else "web",
        "attributes": attributes,
        **extra,
    }


def session_events(rng: random.Random, now: dt.datetime) -> Iterator[dict[str, Any]]:
    """One visitor's session: a voice turn, a tool call, a KB search, maybe a purchase."""
    session, user = f"ssn_{uuid.uuid4().hex[:10]}", f"anon_{rng.randrange(400)}"
    voice = {"voice.session_id": f"vs_{session[4:]}"}
    at = now
    yield _event("page_view", at, session, user, {}, context={"page": {"path": rng.choice(PAGES)}})
    yield _event("voice.turn_started", at, session, user, voice)
    at += dt.timedelta(milliseconds=rng.lognormvariate(6.0, 0.4))
    yield _event(
        "voice.first_response",
        at,
        session,
        user,
        {**voice, "voice.first_response_ms": round(rng.lognormvariate(6.0, 0.4), 1)},
    )
    tool, category = rng.choice(TOOLS)
    yield _event("ai.tool_call_started", at, session, user, {"tool.name": tool, "tool.category": category})
    success = rng.random() < 0.92
    completed = {
        "tool.name": tool,
        "tool.category": category,
        "tool.duration_ms": round(rng.lognormvariate(5.0, 0.5), 1),
        "tool.success": success,
    }
    if not success:
        completed["error.type"] = rng.choice(["timeout", "upstream_500"])
    yield _event("ai.tool_call_completed", at, session, user, completed)
    yield _event(
        "kb.search",
        at,
        session,
        user,
        {
            "kb.query": rng.choice(QUERIES),
            "kb.results_count": rng.randrange(0, 6),
            "kb.latency_ms": round(rng.lognormvariate(3.7, 0.4), 1),
            "kb.top_score": round(rng.random(), 2),
        },
    )
    for step in ("commerce.view", "commerce.add_to_cart", "commerce.checkout", "commerce.order_placed"):
        if rng.random() > 0.6:
            break
        at += dt.timedelta(seconds=rng.uniform(2, 30))
        yield _event(
            step,
            at,
            session,
            user,
            {"commerce.product_id": "p_espresso", "commerce.value": 249.0, "commerce.currency": "EUR"},
        )
    if rng.random() < 0.2:
        yield _event(
            "voice.barge_in",
            at,
            session,
            user,
            {**voice, "voice.barge_in_to_pause_ms": round(rng.lognormvariate(4.8, 0.3), 1)},
        )


def demo_keys(client: Client, database: str) -> dict[str, str]:
    """Fresh keys for the demo tenant (keys are shown once, so each start issues new ones)."""
    try:
        return {
            "write_key": rotate_keys(client, database, DEMO_TENANT, "write"),
            "read_key": rotate_keys(client, database, DEMO_TENANT, "read"),
        }
    except UnknownKey:
        return create_tenant(client, database, "Demo", tenant_id=DEMO_TENANT)


def run(
    settings: Settings, write_key: str, sessions_per_second: float = 2.0, seed: int | None = None
) -> None:
    """Post sessions of events to the local API until interrupted."""
    rng = random.Random(seed)
    url = f"http://{settings.api_host}:{settings.api_port}/api/v1/analytics/events"
    with httpx.Client(
        timeout=30,
        headers={"Authorization": f"Bearer {write_key}", "X-Eventhouse-Sdk": "eventhouse-demo/0.1"},
    ) as client:
        while True:
            now = dt.datetime.now(dt.UTC)
            events = [e for _ in range(max(1, round(sessions_per_second))) for e in session_events(rng, now)]
            try:
                client.post(url, json={"events": events}).raise_for_status()
            except httpx.HTTPError as exc:  # the API may be restarting; try again shortly
                print(f"eventhouse demo: {exc}", flush=True)
            time.sleep(1.0)
