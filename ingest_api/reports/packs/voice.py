"""Voice and agent UX metrics (seed 001's "Available Metrics" and seed 000 §2)."""

from __future__ import annotations

from ..catalogue import Metric, Source, event_count, latency
from ..grains import Grain
from ..sql import ratio

PACK = "voice"
TOOLS = (Source("tool_calls_hourly", Grain.HOUR),)
CHAINS = (Source("tool_chains_hourly", Grain.HOUR),)
KB = (Source("kb_search_hourly", Grain.HOUR),)
COMMERCE = (Source("commerce_daily", Grain.DAY),)
BOOKINGS = (Source("bookings_daily", Grain.DAY),)
ERRORS = (Source("endpoint_errors_hourly", Grain.HOUR),)
QUEUES = (Source("queue_health_hourly", Grain.HOUR),)
_TOOL_FILTERS = {"tool_name": "tool_name", "tool_category": "tool_category"}

METRICS = [
    # Voice UX SLAs
    *latency("voice.first_response_ms", "voice.first_response_ms", "time from speech start to the first response", PACK),
    event_count("voice.barge_in_count", "voice.barge_in", "Barge-ins: the user interrupted the assistant", PACK),
    *latency("voice.barge_in_to_pause_ms", "voice.barge_in_to_pause_ms", "time from a barge-in to the assistant pausing", PACK),
    *latency("voice.asr_partial_latency_ms", "asr.partial_latency_ms", "ASR partial-result latency", PACK),
    # Agentic execution
    event_count("ai.tool_calls.count", "ai.tool_call_completed", "Completed tool calls", PACK),
    Metric("ai.tool_calls.success_rate", "Share of completed tool calls that succeeded (0-1)", "ratio", PACK, TOOLS,
           ratio("sum(successful_call_count)", "sum(completed_call_count)"), filters=_TOOL_FILTERS),
    Metric("ai.navigation_optimism_rate", "Share of navigation calls executed optimistically (0-1)", "ratio", PACK, TOOLS,
           ratio("sum(optimistic_navigation_count)", "sum(navigation_call_count)"), filters=_TOOL_FILTERS),
    *latency("tool.duration_ms", "tool.duration_ms", "tool call duration", PACK),
    Metric("ai.tool_chain_length.avg", "Average tools per completed task", "tools", PACK, CHAINS,
           ratio("sum(chain_length_sum)", "sum(chain_count)")),
    # Knowledge base effectiveness
    Metric("kb.hit_rate", "Share of KB searches with at least one result (0-1)", "ratio", PACK, KB,
           ratio("sum(search_with_results_count)", "sum(search_count)")),
    *latency("kb.search_latency_ms", "kb.latency_ms", "KB search latency", PACK),
    Metric("kb.relevance_score.avg", "Average top score of KB searches with results", "score", PACK, KB,
           ratio("sum(top_score_sum)", "sum(search_with_results_count)")),
    # Business
    Metric("commerce.conversion_rate", "Sessions that placed an order / sessions that viewed a product (0-1)", "ratio",
           PACK, COMMERCE, ratio("sum(ordering_session_count)", "sum(viewing_session_count)")),
    Metric("commerce.orders.count", "Orders placed", "count", PACK, COMMERCE, "sum(order_count)"),
    Metric("booking.hold_to_confirm_rate", "Confirmed slots / held slots (0-1)", "ratio", PACK, BOOKINGS,
           ratio("sum(confirmed_slot_count)", "sum(held_slot_count)")),
    # Errors and capacity
    Metric("system.error_rate", "Endpoint errors / endpoint requests (0-1)", "ratio", PACK, ERRORS,
           ratio("sum(error_count)", "sum(request_count)"), filters={"http_route": "http_route"}),
    *latency("ws.ping_rtt_ms", "ws.ping_rtt_ms", "WebSocket ping round trip", PACK),
    Metric("ops.backpressure_drops", "Items dropped by backpressure", "count", PACK, QUEUES,
           "sum(dropped_item_count)", filters={"queue_name": "queue_name"}),
    *latency("queue.lag_ms", "queue.lag_ms", "consumer queue lag", PACK),
]  # fmt: skip
