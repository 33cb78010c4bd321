"""One ingestion request, from decoded events to a receipt.

Each event is prepared by the event contract (validate, normalise, redact) into a raw row, a
rejection or a drop; accepted ones are checked against the tenant's recent event ids; new rows and
rejections are written through group commit; the receipt is returned only once they are durable.
A failed write un-claims its event ids, so the client's retry is accepted, not called a duplicate.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime
from typing import Any

import msgspec

from schemas.issues import ValidationIssue
from schemas.policy import ContractPolicy, ServerContext
from schemas.prepare import DroppedEvent, PreparedEvent, RejectedEvent, prepare_event
from schemas.registry import SchemaRegistry
from warehouse.raw_event import RAW_EVENT_COLUMNS

from . import metrics
from .bodies import Batch
from .dedupe import RecentIds
from .keys import KeyRecord
from .receipt import ErrorItem, Receipt, RejectedItem
from .tracing import tracer
from .writer import GroupCommitWriter

REJECTED_COLUMNS = (
    "tenant_id", "received_at", "event_id", "event_name", "error_paths", "error_messages", "payload", "payload_truncated",
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Sender:
    """Who sent the request, as far as the server can tell."""

    user_agent: str = ""
    address: str = ""
    country: str = ""
    sdk: str = ""


@dataclasses.dataclass
class Ingestor:
    """Everything a request needs to become durable rows and a receipt."""

    registry: SchemaRegistry
    policy: ContractPolicy
    recent: RecentIds
    writer: GroupCommitWriter
    database: str
    payload_limit: int

    async def ingest(self, batch: Batch, key: KeyRecord, sender: Sender, received_at: datetime) -> Receipt:
        context = ServerContext(
            tenant_id=key.tenant_id,
            received_at=received_at,
            sent_at=batch.sent_at,
            batch_id=batch.batch_id or "",
            user_agent=sender.user_agent,
            client_ip=sender.address,
            country=sender.country,
            sdk=sender.sdk,
        )
        prepared: list[tuple[int, PreparedEvent]] = []
        rejected: list[tuple[int, Any, RejectedEvent]] = []
        dropped = 0
        with tracer.start_as_current_span("validate", attributes={"eventhouse.events": len(batch.events)}):
            for index, raw in enumerate(batch.events):
                outcome = prepare_event(raw, context, self.policy, self.registry)
                if isinstance(outcome, PreparedEvent) and not key.allows_site(outcome.row.site_id):
                    outcome = _site_not_allowed(outcome)
                if isinstance(outcome, PreparedEvent):
                    prepared.append((index, outcome))
                elif isinstance(outcome, DroppedEvent):
                    dropped += 1
                else:
                    rejected.append((index, raw, outcome))
        fresh = self.recent.claim(key.tenant_id, [p.row.event_id for _, p in prepared])
        new_rows = [p.row for (_, p), is_new in zip(prepared, fresh, strict=True) if is_new]
        rejected_rows = [self._rejected_row(key.tenant_id, received_at, raw, r) for _, raw, r in rejected]
        try:
            with tracer.start_as_current_span("insert", attributes={"eventhouse.rows": len(new_rows)}):
                await self._write(new_rows, rejected_rows)
        except BaseException:
            self.recent.release(key.tenant_id, [row.event_id for row in new_rows])
            raise
        metrics.record_request(
            len(new_rows), len(prepared) - len(new_rows), dropped, [_schema_of(r) for _, _, r in rejected]
        )
        return Receipt(
            accepted=len(new_rows),
            duplicates=len(prepared) - len(new_rows),
            dropped=dropped,
            rejected=[
                RejectedItem(index, r.event_id, [ErrorItem(e.path, e.message) for e in r.errors])
                for index, _, r in rejected
            ],
        )

    async def _write(self, rows: list[Any], rejected_rows: list[tuple[Any, ...]]) -> None:
        """Both tables at once; the request is acknowledged only when both are durable."""
        writes = []
        if rows:
            raw = [msgspec.structs.astuple(row) for row in rows]
            writes.append(self.writer.write(f"{self.database}.events_raw", RAW_EVENT_COLUMNS, raw))
        if rejected_rows:
            writes.append(
                self.writer.write(f"{self.database}.events_rejected", REJECTED_COLUMNS, rejected_rows)
            )
        for result in await asyncio.gather(*writes, return_exceptions=True):
            if isinstance(result, BaseException):
                raise result

    def _rejected_row(
        self, tenant_id: str, received_at: datetime, raw: Any, rejection: RejectedEvent
    ) -> tuple[Any, ...]:
        payload = msgspec.json.encode(raw).decode(errors="replace")
        truncated = len(payload) > self.payload_limit
        return (
            tenant_id,
            received_at,
            str(rejection.event_id or ""),
            str(rejection.event_name or ""),
            [e.path for e in rejection.errors],
            [e.message for e in rejection.errors],
            payload[: self.payload_limit],
            truncated,
        )


def _schema_of(rejection: RejectedEvent) -> str:
    """The schema an event failed, for the per-schema failure counter ('envelope' if none applies)."""
    for issue in rejection.errors:
        if issue.schema_path.startswith("iglu:"):
            return issue.schema_path.split("#", 1)[0]
    return "envelope"


def _site_not_allowed(prepared: PreparedEvent) -> RejectedEvent:
    return RejectedEvent(
        event_id=prepared.row.event_id,
        event_name=prepared.row.event_name,
        errors=[
            ValidationIssue("/site_id", "this write key is not allowed to send events for this site", "")
        ],
    )
