"""Every schema ships labelled examples beside it (schemas/<vendor>/<name>/examples/<M-R-A>/{valid,invalid}/).

A valid example is an event exactly as a client would send it. An invalid one is
`{"description", "errors": [{"path", "schema_path"}], "event"}`: the event and exactly the issues
it must produce.
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest

from schemas.documents import SCHEMAS_ROOT
from schemas.keys import SchemaKey
from schemas.policy import ContractPolicy
from schemas.prepare import PreparedEvent, prepare_event
from schemas.registry import SchemaRegistry
from schemas.rfc3339 import parse_rfc3339
from tests.unit.contract.conftest import server_context

EXAMPLES = sorted(SCHEMAS_ROOT.glob("*/*/examples/*/*/*.json"))
VALID = [path for path in EXAMPLES if path.parent.name == "valid"]
INVALID = [path for path in EXAMPLES if path.parent.name == "invalid"]


def _label(path: Path) -> str:
    return path.relative_to(SCHEMAS_ROOT).as_posix()


def _schema_of(example: Path) -> SchemaKey:
    vendor, name, _, version = example.relative_to(SCHEMAS_ROOT).parts[:4]
    return SchemaKey(vendor, name, "jsonschema", version)


def _load(path: Path) -> Any:
    return json.loads(path.read_text())


def test_examples_are_labelled_valid_or_invalid_and_belong_to_a_schema(registry: SchemaRegistry) -> None:
    assert EXAMPLES
    assert set(VALID) | set(INVALID) == set(EXAMPLES)
    for example in EXAMPLES:
        assert registry.get(_schema_of(example)) is not None, _label(example)


def test_every_schema_has_valid_and_invalid_examples(registry: SchemaRegistry) -> None:
    keys = {key for key, _ in registry.schemas()}
    assert keys == {_schema_of(path) for path in VALID}
    assert keys == {_schema_of(path) for path in INVALID}


@pytest.mark.parametrize("path", VALID, ids=_label)
def test_valid_examples_pass_against_their_schema(path: Path, registry: SchemaRegistry) -> None:
    result = registry.validate(_load(path))
    assert result.issues == []
    if _schema_of(path).name != "envelope":
        assert result.key == _schema_of(path)


@pytest.mark.parametrize("path", INVALID, ids=_label)
def test_invalid_examples_fail_with_exactly_their_labelled_errors(
    path: Path, registry: SchemaRegistry
) -> None:
    example = _load(path)
    assert set(example) == {"description", "errors", "event"}
    issues = registry.validate(example["event"]).issues
    assert sorted((issue.path, issue.schema_path) for issue in issues) == sorted(
        (error["path"], error["schema_path"]) for error in example["errors"]
    )


@pytest.mark.parametrize("path", VALID, ids=_label)
def test_valid_examples_are_accepted_end_to_end(
    path: Path, registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    event = _load(path)
    received_at = parse_rfc3339(event["occurred_at"]).astimezone(UTC) + timedelta(seconds=2)
    ctx = server_context(tenant_id=event.get("tenant_id", "t_main"), received_at=received_at)
    assert isinstance(prepare_event(event, ctx, policy, registry), PreparedEvent)


CONTRACT_DOC = (SCHEMAS_ROOT.parent / "docs" / "contract.md").read_text()


def test_the_contract_document_lists_every_attribute_key(registry: SchemaRegistry) -> None:
    """dbt models read these keys: docs/contract.md must name every one, and every event."""
    for key, document in registry.schemas():
        if key.name == "envelope":
            names = registry.common_attributes
        else:
            names = set(document["properties"]) | {document["x-event-name"]}
        missing = sorted(name for name in names if f"`{name}`" not in CONTRACT_DOC)
        assert not missing, f"{key.uri}: {missing}"
