"""Benchmark: event validation and `prepare_event`, per core, beside the floor.

The floor is msgspec decoding the same events from JSON bytes: nothing that handles an event can be
faster than reading it. Each validator then does the work the registry does per event (the
envelope schema, and the event's own schema on its attributes); jsonschema-rs is measured through
the registry itself. Invalid events measure collecting every error, which the API reports.
Everything runs in this one process, one core; each figure is the best of several rounds.

    .venv/bin/python bench/validate.py [--events 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
import msgspec

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from schemas.documents import SCHEMAS_ROOT, schema_body  # noqa: E402
from schemas.policy import ContractPolicy, ServerContext  # noqa: E402
from schemas.prepare import PreparedEvent, prepare_event  # noqa: E402
from schemas.registry import SchemaRegistry, default_registry  # noqa: E402
from schemas.rfc3339 import parse_rfc3339  # noqa: E402

Event = dict[str, Any]


def examples(label: str) -> list[Event]:
    events = [
        json.loads(path.read_text()) for path in sorted(SCHEMAS_ROOT.glob(f"*/*/examples/*/{label}/*.json"))
    ]
    return [event["event"] if label == "invalid" else event for event in events]


def repeat(events: list[Event], count: int) -> list[Event]:
    return [events[i % len(events)] for i in range(count)]


def best_rate(work: Callable[[], object], count: int, rounds: int) -> float:
    """Events per second of the fastest round."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return count / best


class PerEventSchemas:
    """Another library's compiled envelope and event schemas, applied the way the registry applies them."""

    def __init__(self, registry: SchemaRegistry, compile_schema: Callable[[dict[str, Any]], Any]) -> None:
        compiled = {key: compile_schema(schema_body(document)) for key, document in registry.schemas()}
        self.envelope = compiled[registry.envelope_key]
        self.by_name = {document.get("x-event-name"): compiled[key] for key, document in registry.schemas()}
        self.common = registry.common_attributes

    def pairs(self, event: Event) -> tuple[Any, Event]:
        attributes = {k: v for k, v in event.get("attributes", {}).items() if k not in self.common}
        return self.by_name.get(event.get("event_name")), attributes


def fastjsonschema_checks(
    registry: SchemaRegistry,
) -> tuple[Callable[[Event], object], Callable[[Event], object]]:
    # fastjsonschema knows drafts 4, 6 and 7 only, and raises at the first error, so "every error"
    # is at most one error here; 2019+ keywords (dependentRequired) are ignored.
    schemas = PerEventSchemas(registry, lambda body: fastjsonschema.compile({**body, "$schema": "draft-07"}))

    def check(event: Event) -> int:
        errors = 0
        for validate, instance in ((schemas.envelope, event), schemas.pairs(event)):
            try:
                validate(instance)
            except fastjsonschema.JsonSchemaException:
                errors += 1
        return errors

    return check, check


def jsonschema_checks(
    registry: SchemaRegistry,
) -> tuple[Callable[[Event], object], Callable[[Event], object]]:
    schemas = PerEventSchemas(
        registry,
        lambda body: jsonschema.Draft202012Validator(body, format_checker=jsonschema.FormatChecker()),
    )

    def is_valid(event: Event) -> bool:
        validator, attributes = schemas.pairs(event)
        return bool(schemas.envelope.is_valid(event) and validator.is_valid(attributes))

    def all_errors(event: Event) -> int:
        validator, attributes = schemas.pairs(event)
        return len(list(schemas.envelope.iter_errors(event))) + len(list(validator.iter_errors(attributes)))

    return is_valid, all_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    count, rounds = args.events, args.rounds

    registry = default_registry()
    # Invalid events whose schema can be found: the others never reach an event schema.
    comparable = [e for e in examples("invalid") if registry.validate(e).key is not None]
    valid, invalid = repeat(examples("valid"), count), repeat(comparable, count)
    encoded = [msgspec.json.encode(event) for event in valid]
    decode = msgspec.json.decode
    floor = best_rate(lambda: [decode(raw) for raw in encoded], count, rounds)

    policy = ContractPolicy(url_query_allowlist=frozenset({"utm_source", "utm_medium"}), ip_prefix_bits=24)
    contexts = [
        ServerContext(
            tenant_id=event.get("tenant_id", "t_bench"),
            received_at=parse_rfc3339(event["occurred_at"]).astimezone(UTC) + timedelta(seconds=2),
            batch_id="bench",
            user_agent="bench/1.0",
            client_ip="198.51.100.23",
            country="DE",
        )
        for event in valid
    ]
    assert all(
        isinstance(prepare_event(event, ctx, policy, registry), PreparedEvent)
        for event, ctx in zip(valid, contexts, strict=True)
    )

    tenth = count // 10
    fast_valid, fast_invalid = fastjsonschema_checks(registry)
    js_valid, js_invalid = jsonschema_checks(registry)
    rows: list[tuple[str, float]] = [
        ("msgspec decode (floor)", floor),
        (
            "jsonschema-rs, valid events",
            best_rate(lambda: [registry.validate(e) for e in valid], count, rounds),
        ),
        (
            "jsonschema-rs, invalid events",
            best_rate(lambda: [registry.validate(e) for e in invalid], count, rounds),
        ),
        ("fastjsonschema, valid events", best_rate(lambda: [fast_valid(e) for e in valid], count, rounds)),
        (
            "fastjsonschema, invalid events*",
            best_rate(lambda: [fast_invalid(e) for e in invalid], count, rounds),
        ),
        # jsonschema is slow enough that a tenth of the events measures it well
        ("jsonschema, valid events", best_rate(lambda: [js_valid(e) for e in valid[:tenth]], tenth, rounds)),
        (
            "jsonschema, invalid events",
            best_rate(lambda: [js_invalid(e) for e in invalid[:tenth]], tenth, rounds),
        ),
        (
            "prepare_event, valid events",
            best_rate(
                lambda: [prepare_event(e, c, policy, registry) for e, c in zip(valid, contexts, strict=True)],
                count,
                rounds,
            ),
        ),
        (
            "msgspec decode + prepare_event",
            best_rate(
                lambda: [
                    prepare_event(decode(r), c, policy, registry)
                    for r, c in zip(encoded, contexts, strict=True)
                ],
                count,
                rounds,
            ),
        ),
    ]

    libraries = ", ".join(
        f"{name} {version(name)}" for name in ("msgspec", "jsonschema-rs", "fastjsonschema", "jsonschema")
    )
    print(f"python {platform.python_version()} on {platform.machine()}; {libraries}")
    print(
        f"{len(examples('valid'))} valid and {len(comparable)} invalid example events, cycled to "
        f"{count:,}; best of {rounds} rounds, one core\n"
    )
    print(f"{'':34} {'events/s':>12} {'µs/event':>10} {'÷ floor':>9}")
    for label, rate in rows:
        print(f"{label:34} {rate:>12,.0f} {1e6 / rate:>10.2f} {rate / floor:>9.3f}")
    print("\n* fastjsonschema stops at the first error and skips dependentRequired (draft 7 only).")
    js_ratio = rows[1][1] / rows[5][1]
    print(
        f"jsonschema-rs validates valid events {js_ratio:.0f}x faster than jsonschema, "
        f"{rows[1][1] / rows[3][1]:.1f}x fastjsonschema."
    )


if __name__ == "__main__":
    main()
