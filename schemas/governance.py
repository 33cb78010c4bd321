"""Schema governance: published schema versions are immutable, and new ones follow SchemaVer.

Comparing two trees of schema files (`vendor/name/jsonschema/M-R-A` -> bytes), the published
`base` (main) and a proposed `head` (the working tree):

- a version present in both must be unchanged (as JSON: formatting does not matter), because
  events already pin it; a change needs a new version;
- a published version may not disappear;
- a new version must follow one that exists: `1-0-0` starts a schema; after `M-R-A` come
  `M-R-(A+1)` (ADDITION), `M-(R+1)-0` (REVISION) and `(M+1)-0-0` (MODEL);
- an ADDITION must be compatible with all data its predecessor accepted (SchemaVer's definition),
  which is checked by proving the new schema admits everything the old one did. REVISION and
  MODEL bumps may break compatibility, so they are not checked further.

The compatibility proof (jsonschema-rs' canonical `covers`) treats `format` as an annotation, so
adding a format in an ADDITION goes unnoticed; every other keyword used here is compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import jsonschema_rs
import msgspec

from schemas.documents import Document, SchemaTreeError, parse_document, schema_body
from schemas.keys import SchemaKey, SchemaVer


class GovernanceIssue(msgspec.Struct, frozen=True):
    path: str  # the schema file, below the schemas root
    message: str


_REMOVED = "a published schema version was removed; versions are immutable"
_CHANGED = "a published schema version changed; publish the change as a new version"


ParsedTree = dict[str, tuple[SchemaKey, Document]]


def _parse_tree(files: Mapping[str, bytes]) -> tuple[ParsedTree, list[GovernanceIssue]]:
    parsed: ParsedTree = {}
    issues: list[GovernanceIssue] = []
    for path, content in files.items():
        try:
            parsed[path] = parse_document(path, content)
        except SchemaTreeError as error:
            issues.append(GovernanceIssue(path, str(error)))
    return parsed, issues


def _follows_an_existing_version(version: SchemaVer, existing: set[SchemaVer]) -> bool:
    model, revision, addition = version
    if addition > 0:
        return (model, revision, addition - 1) in existing
    if revision > 0:
        return any(other[:2] == (model, revision - 1) for other in existing)
    if model > 1:
        return any(other[0] == model - 1 for other in existing)
    return True  # 1-0-0 starts a schema


def _admits_everything(new: Document, old: Document) -> bool:
    identity = ("self", "x-event-name")  # they name the schema; they do not constrain data
    canonical_new, canonical_old = (
        jsonschema_rs.canonicalize({k: v for k, v in schema_body(doc).items() if k not in identity})
        for doc in (new, old)
    )
    return canonical_new.covers(canonical_old) == jsonschema_rs.canonical.Containment.YES


def check_schema_changes(base: Mapping[str, bytes], head: Mapping[str, bytes]) -> list[GovernanceIssue]:
    """Every way `head` breaks the rules against `base`; empty when it may be merged."""
    published, issues = _parse_tree(base)
    proposed, head_issues = _parse_tree(head)
    issues += head_issues
    for path, (_, document) in published.items():
        if path not in proposed:
            if path in head:
                continue  # unreadable in head: already reported
            issues.append(GovernanceIssue(path, _REMOVED))
        elif proposed[path][1] != document:
            issues.append(GovernanceIssue(path, _CHANGED))
    versions: dict[tuple[str, str, str], dict[SchemaVer, Document]] = defaultdict(dict)
    for key, document in proposed.values():
        versions[key.family][key.schemaver] = document
    for path, (key, document) in proposed.items():
        if path in published:
            continue
        family = versions[key.family]
        model, revision, addition = key.schemaver
        if not _follows_an_existing_version(key.schemaver, set(family)):
            issues.append(GovernanceIssue(path, f"{key.version} follows no existing version (SchemaVer)"))
        elif addition > 0 and not _admits_everything(document, family[model, revision, addition - 1]):
            issues.append(
                GovernanceIssue(
                    path,
                    f"an ADDITION must accept everything {model}-{revision}-{addition - 1} accepted; "
                    "bump REVISION or MODEL for a change that is not backwards compatible",
                )
            )
    return sorted(issues, key=lambda issue: (issue.path, issue.message))
