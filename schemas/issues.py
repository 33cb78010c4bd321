"""Validation issues: where in the event (JSON Pointer), what is wrong, and which schema rule said so.

Messages are written here rather than taken from the validator so that they never echo the offending
value (it may be long, or personal data) and read the same whichever library produced them.
"""

from __future__ import annotations

from collections.abc import Iterable

import jsonschema_rs
import msgspec

Kind = jsonschema_rs.ValidationErrorKind


class ValidationIssue(msgspec.Struct, frozen=True):
    """One reason an event was rejected."""

    path: str  # JSON Pointer into the whole event, e.g. /attributes/voice.first_response_ms
    message: str
    schema_path: str  # the rule that failed: `<iglu uri>#<pointer into it>`, or one of the RULE_* below


# Rules of the contract that no JSON Schema can express.
RULE_SCHEMA_REGISTERED = "eventhouse:schema-registered"  # the event's schema or event_name is known
RULE_TENANT = "eventhouse:tenant-matches-write-key"
RULE_RFC3339 = "eventhouse:rfc3339"  # a date-time the grammar allows but the calendar does not (year 0000)
RULE_CLOCK_SKEW = "eventhouse:clock-skew"


def escape_pointer_token(token: str | int) -> str:
    """RFC 6901: `~` -> `~0`, then `/` -> `~1`."""
    return str(token).replace("~", "~0").replace("/", "~1")


def json_pointer(tokens: Iterable[str | int]) -> str:
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def quoted(*values: object) -> str:
    """Values as JSON text, comma-separated: how messages show names and options."""
    return ", ".join(msgspec.json.encode(value).decode() for value in values)


def _describe(kind: Kind) -> str | None:
    """A message for the failure kinds eventhouse schemas use; None falls back to the validator's text."""
    match kind:
        case Kind.Type(types):
            return f"must be of type {' or '.join(types)}"
        case Kind.Minimum(limit):
            return f"must be >= {limit}"
        case Kind.Maximum(limit):
            return f"must be <= {limit}"
        case Kind.ExclusiveMinimum(limit):
            return f"must be > {limit}"
        case Kind.ExclusiveMaximum(limit):
            return f"must be < {limit}"
        case Kind.MinLength(limit):
            return f"must be at least {limit} characters long"
        case Kind.MaxLength(limit):
            return f"must be at most {limit} characters long"
        case Kind.Pattern(pattern):
            return f"must match the pattern {pattern}"
        case Kind.Enum(options):
            return f"must be one of {quoted(*options)}"
        case Kind.Constant(expected):
            return f"must be {quoted(expected)}"
        case Kind.Format("date-time"):
            return "must be an RFC 3339 date-time with an offset, e.g. 2025-01-15T10:30:00.123+02:00"
        case Kind.Format(name):
            return f"must be a valid {name}"
        case Kind.MinProperties(limit):
            return f"must have at least {limit} properties"
        case Kind.MaxProperties(limit):
            return f"must have at most {limit} properties"
    return None


_MAX_FALLBACK_MESSAGE = 200


def issues_from_errors(
    errors: Iterable[jsonschema_rs.ValidationError], schema_uri: str, prefix: str = ""
) -> list[ValidationIssue]:
    """Turn validator errors into issues whose paths start at `prefix` (the instance's place in the event).

    A missing or unexpected property is reported at that property's own path, so a client sees
    `/attributes/kb.rank` rather than `/attributes` and a sentence to parse.
    """
    issues: list[ValidationIssue] = []
    for error in errors:
        at = prefix + json_pointer(error.instance_path)
        rule = f"{schema_uri}#{json_pointer(error.schema_path)}"
        kind = error.kind
        if isinstance(kind, Kind.Required):
            issues.append(ValidationIssue(f"{at}/{escape_pointer_token(kind.property)}", "is required", rule))
        elif isinstance(kind, Kind.AdditionalProperties | Kind.UnevaluatedProperties):
            issues.extend(
                ValidationIssue(f"{at}/{escape_pointer_token(name)}", "is not an allowed property", rule)
                for name in kind.unexpected
            )
        else:
            message = _describe(kind) or error.message[:_MAX_FALLBACK_MESSAGE]
            issues.append(ValidationIssue(at, message, rule))
    return issues
