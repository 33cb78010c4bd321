"""The schema registry: every schema compiled once, and validation of whole events against them.

An event is checked against two schemas: the envelope (newest version), which covers the top-level
fields, `context` and the common OTel attributes every event may carry (`otel.py`), and its event
schema, which covers the rest of `attributes`. The event schema is exactly the one named by the
event's `schema` key, or else the newest version registered for its `event_name`.

jsonschema-rs does the validating; docs/contract.md records the measurements behind that choice.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema_rs
import msgspec

from schemas.documents import (
    ENVELOPE_FAMILY,
    EVENT_NAME_KEYWORD,
    SCHEMAS_ROOT,
    Document,
    SchemaTreeError,
    event_name_of,
    parse_documents,
    read_schema_files,
    schema_body,
)
from schemas.issues import RULE_SCHEMA_REGISTERED, ValidationIssue, issues_from_errors, quoted
from schemas.keys import SchemaKey


class ValidationResult(msgspec.Struct, frozen=True):
    key: SchemaKey | None  # the event schema the event was checked against, when one was found
    issues: list[ValidationIssue]

    @property
    def ok(self) -> bool:
        return not self.issues


class CompiledSchema:
    """One schema version, compiled."""

    __slots__ = ("document", "event_name", "key", "validator")

    def __init__(self, key: SchemaKey, document: Document) -> None:
        self.key = key
        self.document = document
        self.event_name = event_name_of(key, document)
        try:
            # Formats are asserted, not just annotated: `date-time` must hold before the time checks run.
            self.validator = jsonschema_rs.Draft202012Validator(schema_body(document), validate_formats=True)
        except (ValueError, jsonschema_rs.ValidationError) as error:
            raise SchemaTreeError(f"{key.path}: not a valid JSON Schema ({error})") from None

    def issues(self, instance: Any, prefix: str = "") -> list[ValidationIssue]:
        if self.validator.is_valid(instance):  # the fast path; errors are collected only on failure
            return []
        return issues_from_errors(self.validator.iter_errors(instance), self.key.uri, prefix)


def _newest(keys: Iterable[SchemaKey]) -> SchemaKey:
    return max(keys, key=lambda key: key.schemaver)


class SchemaRegistry:
    """Every schema under one root, compiled; build with `SchemaRegistry.load()` or `default_registry()`."""

    def __init__(self, documents: Mapping[SchemaKey, Document]) -> None:
        ordered = sorted(documents.items(), key=lambda item: (item[0].family, item[0].schemaver))
        self._compiled = {key: CompiledSchema(key, document) for key, document in ordered}
        self._by_uri = {key.uri: compiled for key, compiled in self._compiled.items()}
        envelopes = [key for key in self._compiled if key.family == ENVELOPE_FAMILY]
        if not envelopes:
            raise SchemaTreeError(f"no envelope schema ({'/'.join(ENVELOPE_FAMILY)}) was found")
        self._envelope = self._compiled[_newest(envelopes)]
        self._newest = {
            name: self._compiled[_newest(keys)]
            for name, keys in _versions_by_event(self._compiled.values()).items()
        }
        self.common_attributes = frozenset(
            self._envelope.document["properties"]["attributes"].get("properties", {})
        )
        """Attribute keys the envelope allows on every event (see otel.py); event schemas never see them."""

    @classmethod
    def load(cls, root: Path = SCHEMAS_ROOT) -> SchemaRegistry:
        return cls(parse_documents(read_schema_files(root)))

    def schemas(self) -> list[tuple[SchemaKey, Document]]:
        """Every schema version with its document exactly as published (for an Iglu schema endpoint)."""
        return [(key, compiled.document) for key, compiled in self._compiled.items()]

    def get(self, key: SchemaKey) -> Document | None:
        compiled = self._compiled.get(key)
        return None if compiled is None else compiled.document

    def newest(self, event_name: str) -> SchemaKey | None:
        compiled = self._newest.get(event_name)
        return None if compiled is None else compiled.key

    @property
    def envelope_key(self) -> SchemaKey:
        return self._envelope.key

    def validate(self, event: Any) -> ValidationResult:
        """Check an event (decoded JSON) against its envelope and event schemas; every issue at once."""
        issues = self._envelope.issues(event)
        if not isinstance(event, dict):
            return ValidationResult(None, issues)
        if any(issue.path in ("/schema", "/event_name") for issue in issues):
            return ValidationResult(None, issues)  # the event schema cannot be identified reliably
        schema, resolution_issues = self._resolve(event)
        if schema is None:
            return ValidationResult(None, issues + resolution_issues)
        attributes = event.get("attributes", {})
        if isinstance(attributes, dict):
            if not self.common_attributes.isdisjoint(attributes):
                attributes = {k: v for k, v in attributes.items() if k not in self.common_attributes}
            issues.extend(schema.issues(attributes, "/attributes"))
        return ValidationResult(schema.key, issues)

    def _resolve(self, event: dict[str, Any]) -> tuple[CompiledSchema | None, list[ValidationIssue]]:
        """The event schema: the one the event names in `schema`, else the newest for its event_name."""
        event_name = event.get("event_name")
        uri = event.get("schema")
        if uri is None:
            if not isinstance(event_name, str):
                return None, []  # the envelope has reported it
            schema = self._newest.get(event_name)
            if schema is None:
                message = f"no schema is registered for event {quoted(event_name)}"
                return None, [ValidationIssue("/event_name", message, RULE_SCHEMA_REGISTERED)]
            return schema, []
        schema = self._by_uri.get(uri)
        if schema is None:
            try:
                SchemaKey.parse(uri)
            except ValueError as error:
                return None, [ValidationIssue("/schema", str(error), RULE_SCHEMA_REGISTERED)]
            return None, [ValidationIssue("/schema", "is not a registered schema", RULE_SCHEMA_REGISTERED)]
        if schema.event_name is None:
            return None, [ValidationIssue("/schema", "is not an event schema", RULE_SCHEMA_REGISTERED)]
        if isinstance(event_name, str) and event_name != schema.event_name:
            message = f"must be {quoted(schema.event_name)} for schema {uri}"
            return None, [ValidationIssue("/event_name", message, f"{uri}#/{EVENT_NAME_KEYWORD}")]
        return schema, []


def _versions_by_event(compiled: Iterable[CompiledSchema]) -> dict[str, list[SchemaKey]]:
    """Schema versions per event name, checking that event names and schema families pair one to one."""
    event_of_family: dict[tuple[str, str, str], str | None] = {}
    versions: dict[str, list[SchemaKey]] = defaultdict(list)
    for schema in compiled:
        if event_of_family.setdefault(schema.key.family, schema.event_name) != schema.event_name:
            raise SchemaTreeError(f"{schema.key.path}: all versions of a schema must describe one event")
        if schema.event_name is not None:
            versions[schema.event_name].append(schema.key)
    for event_name, keys in versions.items():
        families = sorted({"/".join(key.family) for key in keys})
        if len(families) > 1:
            raise SchemaTreeError(f"event {event_name!r} is described by more than one schema: {families}")
    return versions


@functools.cache
def default_registry() -> SchemaRegistry:
    """The registry of the schemas shipped in this package, loaded and compiled on first use."""
    return SchemaRegistry.load()
