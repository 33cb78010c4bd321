from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import PurePosixPath
from typing import Any

import pytest

from schemas.documents import IGLU_METASCHEMA, SCHEMAS_ROOT, read_schema_files
from schemas.governance import GovernanceIssue, check_schema_changes

REPOSITORY = SCHEMAS_ROOT.parent
PATH_100 = "dev.test.demo/demo_thing/jsonschema/1-0-0"


def schema(
    version: str,
    properties: dict[str, Any],
    required: list[str] | None = None,
    indent: int | None = None,
    name: str = "demo_thing",
) -> tuple[str, bytes]:
    path = f"dev.test.demo/{name}/jsonschema/{version}"
    document = {
        "$schema": IGLU_METASCHEMA,
        "self": {"vendor": "dev.test.demo", "name": name, "format": "jsonschema", "version": version},
        "x-event-name": f"demo.{name}",
        "type": "object",
        "properties": properties,
        "required": required or [],
        "additionalProperties": False,
    }
    return path, json.dumps(document, indent=indent).encode()


A = {"a": {"type": "integer", "minimum": 0}}
AB = {**A, "b": {"type": "string"}}
BASE = dict([schema("1-0-0", A)])


def test_an_unchanged_tree_passes() -> None:
    assert check_schema_changes(BASE, BASE) == []


def test_reformatting_a_published_schema_is_not_a_change() -> None:
    assert check_schema_changes(BASE, dict([schema("1-0-0", A, indent=4)])) == []


def test_changing_a_published_schema_in_place_fails() -> None:
    assert check_schema_changes(BASE, dict([schema("1-0-0", AB)])) == [
        GovernanceIssue(PATH_100, "a published schema version changed; publish the change as a new version")
    ]


def test_removing_a_published_schema_fails() -> None:
    assert check_schema_changes(BASE, {}) == [
        GovernanceIssue(PATH_100, "a published schema version was removed; versions are immutable")
    ]


@pytest.mark.parametrize(
    ("new_version", "properties", "required"),
    [
        ("1-0-1", AB, []),  # ADDITION: a new optional property
        ("1-0-1", {"a": {"type": "number", "minimum": 0}}, []),  # ADDITION: a wider type
        ("1-1-0", AB, ["b"]),  # REVISION: may reject old data
        ("2-0-0", {"a": {"type": "string"}}, []),  # MODEL: a breaking change
    ],
)
def test_a_correct_version_bump_passes(
    new_version: str, properties: dict[str, Any], required: list[str]
) -> None:
    head = {**BASE, **dict([schema(new_version, properties, required)])}
    assert check_schema_changes(BASE, head) == []


@pytest.mark.parametrize(
    ("properties", "required"),
    [(AB, ["b"]), ({"a": {"type": "integer", "minimum": 1}}, []), ({}, [])],
)
def test_an_addition_that_rejects_old_data_fails(properties: dict[str, Any], required: list[str]) -> None:
    path, content = schema("1-0-1", properties, required)
    assert check_schema_changes(BASE, {**BASE, path: content}) == [
        GovernanceIssue(
            path,
            "an ADDITION must accept everything 1-0-0 accepted; bump REVISION or MODEL for "
            "a change that is not backwards compatible",
        )
    ]


@pytest.mark.parametrize("version", ["1-0-2", "1-2-0", "3-0-0"])
def test_a_version_that_skips_ahead_fails(version: str) -> None:
    path, content = schema(version, A)
    assert check_schema_changes(BASE, {**BASE, path: content}) == [
        GovernanceIssue(path, f"{version} follows no existing version (SchemaVer)")
    ]


def test_a_new_schema_starts_at_1_0_0() -> None:
    assert check_schema_changes(BASE, {**BASE, **dict([schema("1-0-0", A, name="other")])}) == []
    path, content = schema("1-0-1", A, name="other")
    assert check_schema_changes(BASE, {**BASE, path: content}) == [
        GovernanceIssue(path, "1-0-1 follows no existing version (SchemaVer)")
    ]


def test_a_chain_of_new_versions_is_checked_link_by_link() -> None:
    head = {**BASE, **dict([schema("1-0-1", AB), schema("1-1-0", AB, ["b"]), schema("1-1-1", AB, ["a"])])}
    path_111 = "dev.test.demo/demo_thing/jsonschema/1-1-1"
    assert check_schema_changes(BASE, head) == [
        GovernanceIssue(
            path_111,
            "an ADDITION must accept everything 1-1-0 accepted; bump REVISION or MODEL for "
            "a change that is not backwards compatible",
        )
    ]


def test_an_unreadable_schema_is_reported_not_raised() -> None:
    assert check_schema_changes(BASE, {PATH_100: b"[]"}) == [
        GovernanceIssue(PATH_100, f"{PATH_100}: a schema must be a JSON object")
    ]


def test_the_shipped_tree_is_a_valid_history_on_its_own() -> None:
    assert check_schema_changes({}, read_schema_files()) == []


def _git(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-C", str(REPOSITORY), *args], input=stdin, capture_output=True, check=False
    )


def published_schema_files() -> dict[str, bytes]:
    """The schema files where this checkout left main (the merge base), or {} without git or main."""
    if shutil.which("git") is None:
        return {}
    merge_bases = (_git("merge-base", "HEAD", branch) for branch in ("main", "origin/main"))
    merge_base = next((found for found in merge_bases if found.returncode == 0), None)
    if merge_base is None:
        return {}
    commit = merge_base.stdout.decode().strip()
    listing = _git("ls-tree", "-r", "-z", "--name-only", commit, "--", "schemas").stdout.decode()
    paths = [
        path
        for path in listing.split("\0")
        if len(PurePosixPath(path).parts) == 5 and PurePosixPath(path).parts[3] == "jsonschema"
    ]
    if not paths:
        return {}
    output = _git(
        "cat-file", "--batch", stdin="".join(f"{commit}:{path}\n" for path in paths).encode()
    ).stdout
    files, offset = {}, 0
    for path in paths:  # each object: "<oid> blob <size>\n<content>\n"
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        files[path.removeprefix("schemas/")] = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return files


def test_the_working_tree_changes_no_schema_published_on_main() -> None:
    """Without git or a main branch every schema counts as new, and the SchemaVer rules still apply."""
    assert check_schema_changes(published_schema_files(), read_schema_files()) == []
