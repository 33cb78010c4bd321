"""Reading the schema tree: one self-describing JSON Schema per file, at `vendor/name/jsonschema/M-R-A`.

A file's place in the tree and its `self` block must agree, so that the Iglu URI an event carries,
the file that validates it, and the schema served over HTTP can never disagree. Each event schema
names the event it describes in a top-level `x-event-name` annotation (Iglu names cannot contain the
dots event names use); the envelope schema has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from schemas.event_names import CANONICAL_EVENT_NAME
from schemas.keys import SchemaKey

SCHEMAS_ROOT = Path(__file__).resolve().parent
SCHEMA_FILE_GLOB = "*/*/jsonschema/*"
EVENT_NAME_KEYWORD = "x-event-name"
ENVELOPE_FAMILY = ("dev.eventhouse.core", "envelope", "jsonschema")
IGLU_METASCHEMA = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#"

Document = dict[str, Any]


class SchemaTreeError(ValueError):
    """The schema tree breaks a layout rule; the message names the file and the rule."""


def key_for_path(relative_path: str) -> SchemaKey:
    """`vendor/name/jsonschema/1-0-0` -> its SchemaKey; SchemaTreeError when the path is not one."""
    try:
        return SchemaKey.parse(f"iglu:{relative_path}")
    except ValueError as error:
        raise SchemaTreeError(f"{relative_path}: {error}") from None


def read_schema_files(root: Path = SCHEMAS_ROOT) -> dict[str, bytes]:
    """Every schema file's bytes, keyed by its path below `root` (examples and Python files excluded)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.glob(SCHEMA_FILE_GLOB))
        if path.is_file()
    }


def parse_document(relative_path: str, content: bytes) -> tuple[SchemaKey, Document]:
    """Decode one schema file and check that its `self` block matches where it lives."""
    key = key_for_path(relative_path)
    try:
        document = msgspec.json.decode(content)
    except msgspec.DecodeError as error:
        raise SchemaTreeError(f"{relative_path}: not valid JSON ({error})") from None
    if not isinstance(document, dict):
        raise SchemaTreeError(f"{relative_path}: a schema must be a JSON object")
    if document.get("$schema") != IGLU_METASCHEMA:
        raise SchemaTreeError(f"{relative_path}: `$schema` must be the Iglu self-describing metaschema")
    expected_self = {"vendor": key.vendor, "name": key.name, "format": key.format, "version": key.version}
    if document.get("self") != expected_self:
        raise SchemaTreeError(f"{relative_path}: its `self` block must be {expected_self}")
    if key.format != "jsonschema":
        raise SchemaTreeError(f"{relative_path}: only the jsonschema format is supported")
    return key, document


def parse_documents(files: Mapping[str, bytes]) -> dict[SchemaKey, Document]:
    return dict(parse_document(path, content) for path, content in files.items())


def event_name_of(key: SchemaKey, document: Document) -> str | None:
    """The event a schema describes, or None for the envelope; SchemaTreeError if missing or malformed."""
    name = document.get(EVENT_NAME_KEYWORD)
    if key.family == ENVELOPE_FAMILY:
        if name is not None:
            raise SchemaTreeError(f"{key.path}: the envelope must not have {EVENT_NAME_KEYWORD}")
        return None
    if not isinstance(name, str) or CANONICAL_EVENT_NAME.fullmatch(name) is None:
        raise SchemaTreeError(f"{key.path}: {EVENT_NAME_KEYWORD} must be a lowercase dot-case event name")
    return name


def schema_body(document: Document) -> Document:
    """The schema as JSON Schema 2020-12 sees it.

    Iglu's `$schema` names the self-describing metaschema, which validators do not know; the body is
    evaluated as draft 2020-12 (for the keywords used here a superset of the draft-04 Iglu builds on).
    """
    return {keyword: value for keyword, value in document.items() if keyword != "$schema"}
