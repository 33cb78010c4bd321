"""The event contract in one call: a decoded event in, a row to store (or the reasons not to) out.

`prepare_event` is pure: no I/O, no clock, the input is not modified. Its steps, in order:

1. consent — `context.consent.analytics == false` drops the event before anything else looks at it,
   so a declined event is never kept, not even in the rejected-events table;
2. event_name is normalised to lowercase dot-case (event_names.py);
3. tenant — the write key's tenant fills a missing (or null) `tenant_id`; a different one is rejected;
4. schema validation against the envelope and the event's schema (registry.py);
5. time — `occurred_at` is parsed keeping its offset, checked against the clock-skew limit and
   corrected for client clock drift when the batch carried `sent_at` (clock.py);
6. OTel normalisation of client and identity fields (otel.py);
7. privacy — redaction, URL cleaning, address reduction (privacy.py).

Steps 2 to 5 all run before deciding, so a rejection lists every problem at once. A client-supplied
`received_at` is accepted by the envelope and ignored: the server's receipt time is the only one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

import msgspec

from schemas.client_location import address_prefix, country_code
from schemas.clock import server_time
from schemas.event_names import normalise_event_name
from schemas.issues import RULE_CLOCK_SKEW, RULE_RFC3339, RULE_TENANT, ValidationIssue
from schemas.otel import lift_client_fields
from schemas.policy import ContractPolicy, ServerContext
from schemas.privacy import consent_declined, scrub, scrub_context
from schemas.redaction import redact_identifier, redact_text
from schemas.registry import SchemaRegistry
from schemas.rfc3339 import offset_minutes, parse_rfc3339
from warehouse.raw_event import RawEvent


class PreparedEvent(msgspec.Struct, frozen=True):
    row: RawEvent


class RejectedEvent(msgspec.Struct, frozen=True):
    event_id: str | None  # as given, when it was a string
    event_name: str | None  # as given, when it was a string
    errors: list[ValidationIssue]


class DroppedEvent(msgspec.Struct, frozen=True):
    reason: Literal["consent"]


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _with_normalised_identity(
    raw: dict[str, Any], ctx: ServerContext
) -> tuple[dict[str, Any], list[ValidationIssue]]:
    """The event with its name normalised and its tenant filled in (a shallow copy), and any tenant issue."""
    event = dict(raw)
    name = raw.get("event_name")
    if isinstance(name, str):
        # A name that cannot be normalised stays as given; the envelope's pattern then rejects it.
        event["event_name"] = normalise_event_name(name) or name
    issues = []
    tenant = raw.get("tenant_id")
    if tenant is not None and tenant != ctx.tenant_id:
        issues.append(ValidationIssue("/tenant_id", "is not the write key's tenant", RULE_TENANT))
    event["tenant_id"] = ctx.tenant_id
    return event, issues


def _event_times(
    event: dict[str, Any], ctx: ServerContext, policy: ContractPolicy
) -> tuple[datetime, datetime] | ValidationIssue:
    """(client time as stated, time on the server's clock), or why occurred_at cannot be accepted."""
    try:
        client_time = parse_rfc3339(event["occurred_at"])
    except ValueError as error:
        return ValidationIssue("/occurred_at", f"is not a valid RFC 3339 date-time: {error}", RULE_RFC3339)
    try:
        return client_time, server_time(client_time, ctx.received_at, ctx.sent_at, policy.clock_skew)
    except ValueError as error:
        return ValidationIssue("/occurred_at", str(error), RULE_CLOCK_SKEW)


def prepare_event(
    raw: object, ctx: ServerContext, policy: ContractPolicy, registry: SchemaRegistry
) -> PreparedEvent | RejectedEvent | DroppedEvent:
    """Validate, normalise and redact one decoded event into the row eventhouse stores."""
    if not isinstance(raw, dict):
        return RejectedEvent(None, None, registry.validate(raw).issues)
    if consent_declined(raw):
        return DroppedEvent("consent")
    event, issues = _with_normalised_identity(raw, ctx)
    result = registry.validate(event)
    issues.extend(result.issues)
    times = None
    if isinstance(event.get("occurred_at"), str) and not any(i.path == "/occurred_at" for i in issues):
        times = _event_times(event, ctx, policy)
        if isinstance(times, ValidationIssue):
            issues.append(times)
    if issues or result.key is None or not isinstance(times, tuple):
        return RejectedEvent(_text_or_none(raw.get("event_id")), _text_or_none(raw.get("event_name")), issues)
    client_time, occurred_at = times
    attributes, context, client = lift_client_fields(event, ctx.user_agent, ctx.client_ip)
    row = RawEvent(
        tenant_id=ctx.tenant_id,
        event_id=event["event_id"].lower(),
        event_name=event["event_name"],
        occurred_at=occurred_at.astimezone(UTC),
        client_occurred_at=client_time.astimezone(UTC),
        occurred_offset_minutes=offset_minutes(client_time),
        received_at=ctx.received_at,
        site_id=event.get("site_id", ""),
        session_id=client.session_id,
        user_id=redact_identifier(client.user_id),
        source=event["source"],
        schema_key=result.key.uri,
        attributes=msgspec.json.encode(scrub(attributes, policy)).decode(),
        context=msgspec.json.encode(scrub_context(context, policy)).decode(),
        country=country_code(ctx.country),
        ip_prefix=address_prefix(client.client_address, policy.ip_prefix_bits),
        user_agent=redact_text(client.user_agent),
        sdk=ctx.sdk,
        batch_id=ctx.batch_id,
    )
    return PreparedEvent(row)
