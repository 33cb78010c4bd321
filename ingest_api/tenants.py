"""Creating tenants and managing their keys (the `eventhouse tenants` / `eventhouse keys` commands)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Sequence
from typing import cast

from clickhouse_connect.driver.client import Client

from .keys import KeyKind, generate_key, hash_key

_COLUMNS = [
    "key_hash", "key_prefix", "tenant_id", "tenant_name", "kind", "allowed_origins", "allowed_sites",
    "created_at", "revoked_at", "version",
]  # fmt: skip


class UnknownKey(LookupError):
    """No key (or tenant) matches what was given."""


def _version() -> int:
    return time.time_ns()


def _insert_key(
    client: Client,
    database: str,
    tenant_id: str,
    tenant_name: str,
    kind: KeyKind,
    origins: Sequence[str],
    sites: Sequence[str],
) -> str:
    key = generate_key(kind)
    now = dt.datetime.now(dt.UTC)
    row = [
        hash_key(key),
        key[:8],
        tenant_id,
        tenant_name,
        kind,
        list(origins),
        list(sites),
        now,
        None,
        _version(),
    ]
    client.insert(f"{database}.api_keys", [row], column_names=_COLUMNS)
    return key


def create_tenant(
    client: Client,
    database: str,
    name: str,
    origins: Sequence[str] = (),
    sites: Sequence[str] = (),
    tenant_id: str | None = None,
) -> dict[str, str]:
    """A tenant with one write key and one read key; the keys are returned once, never stored.

    `tenant_id` is generated unless given (e.g. to keep the ids of data migrated from elsewhere).
    """
    tenant_id = tenant_id or "t_" + uuid.uuid4().hex[:12]
    return {
        "tenant_id": tenant_id,
        "tenant_name": name,
        "write_key": _insert_key(client, database, tenant_id, name, "write", origins, sites),
        "read_key": _insert_key(client, database, tenant_id, name, "read", (), ()),
    }


def _active(client: Client, database: str, where: str, parameters: dict[str, str]) -> list[list[object]]:
    result = client.query(
        f"SELECT {', '.join(_COLUMNS)} FROM {database}.api_keys FINAL WHERE revoked_at IS NULL AND {where}",
        parameters=parameters,
    )
    return [list(row) for row in result.result_rows]


def _revoke_rows(client: Client, database: str, rows: list[list[object]]) -> None:
    now = dt.datetime.now(dt.UTC)
    revoked = [[*row[:8], now, _version()] for row in rows]
    client.insert(f"{database}.api_keys", revoked, column_names=_COLUMNS)


def revoke_key(client: Client, database: str, key_or_prefix: str) -> int:
    """Revoke a key given whole or by its 8-character prefix; returns how many keys were revoked."""
    if len(key_or_prefix) > 8:
        rows = _active(client, database, "key_hash = {h:String}", {"h": hash_key(key_or_prefix)})
    else:
        rows = _active(client, database, "key_prefix = {p:String}", {"p": key_or_prefix})
    if not rows:
        raise UnknownKey(f"no active key matches {key_or_prefix[:8]}…")
    _revoke_rows(client, database, rows)
    return len(rows)


def rotate_keys(client: Client, database: str, tenant_id: str, kind: KeyKind) -> str:
    """Issue a new key of `kind` for the tenant (same origins and sites) and revoke the old ones."""
    rows = _active(
        client, database, "tenant_id = {t:String} AND kind = {k:String}", {"t": tenant_id, "k": kind}
    )
    if not rows:
        raise UnknownKey(f"tenant {tenant_id} has no active {kind} key")
    name, origins, sites = str(rows[0][3]), cast(list[str], rows[0][5]), cast(list[str], rows[0][6])
    key = _insert_key(client, database, tenant_id, name, kind, origins, sites)
    _revoke_rows(client, database, rows)
    return key
