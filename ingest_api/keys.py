"""API keys: generated once, shown once, stored only as SHA-256 hashes, looked up from a cache.

Keys are 192-bit random tokens, so a plain SHA-256 is the right hash (a slow password hash adds
nothing against brute force at that entropy, and would cost every request). Write keys (`ehw_`)
are public and may be limited to origins and sites; read keys (`ehr_`) are secret.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from typing import Literal

import msgspec
from clickhouse_connect.driver.client import Client

KeyKind = Literal["write", "read"]
_PREFIX: dict[str, KeyKind] = {"ehw_": "write", "ehr_": "read"}


def generate_key(kind: KeyKind) -> str:
    prefix = next(p for p, k in _PREFIX.items() if k == kind)
    return prefix + secrets.token_urlsafe(24)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class KeyRecord(msgspec.Struct, frozen=True):
    """What a key grants: its tenant, its kind, and where it may be used from."""

    key_hash: str
    key_prefix: str
    tenant_id: str
    tenant_name: str
    kind: KeyKind
    allowed_origins: tuple[str, ...] = ()
    allowed_sites: tuple[str, ...] = ()

    def allows_origin(self, origin: str | None) -> bool:
        """No list means any origin; requests without an Origin header are not from a browser page."""
        return not self.allowed_origins or origin is None or origin in self.allowed_origins

    def allows_site(self, site_id: str) -> bool:
        return not self.allowed_sites or site_id in self.allowed_sites


def load_active_keys(client: Client, database: str) -> dict[str, KeyRecord]:
    """Every unrevoked key in the warehouse, by hash."""
    result = client.query(
        f"""SELECT toString(key_hash), key_prefix, tenant_id, tenant_name, toString(kind), allowed_origins, allowed_sites
        FROM {database}.api_keys FINAL WHERE revoked_at IS NULL"""
    )
    return {
        row[0]: KeyRecord(row[0], row[1], row[2], row[3], row[4], tuple(row[5]), tuple(row[6]))
        for row in result.result_rows
    }


class KeyStore:
    """An in-memory view of the key table, refreshed periodically and on a miss.

    A key created a moment ago works on its first use: a miss re-reads the table. So that garbage
    keys cannot hammer the warehouse, a missed key is not retried for `negative_seconds`, and misses
    re-read the table at most every `min_miss_interval` seconds. A revoked key is refused within
    `refresh_seconds`.
    """

    def __init__(
        self,
        client: Client,
        database: str,
        refresh_seconds: float,
        min_miss_interval: float = 0.05,
        negative_seconds: float = 1.0,
    ) -> None:
        self._client = client
        self._database = database
        self._refresh_seconds = refresh_seconds
        self._min_miss_interval = min_miss_interval
        self._keys: dict[str, KeyRecord] = {}
        self._loaded_at = 0.0
        self._miss_reload_at = 0.0
        self._negative_seconds = negative_seconds
        self._missed: dict[str, float] = {}
        self._lock = asyncio.Lock()

    def _reload(self) -> None:
        self._keys = load_active_keys(self._client, self._database)
        self._loaded_at = time.monotonic()

    async def refresh(self) -> None:
        async with self._lock:
            await asyncio.to_thread(self._reload)

    def cached(self, key: str) -> KeyRecord | None:
        """The key's record from the cache alone (no I/O)."""
        return self._keys.get(hash_key(key))

    async def lookup(self, key: str) -> KeyRecord | None:
        now = time.monotonic()
        record = self.cached(key)
        if now - self._loaded_at > self._refresh_seconds:
            await self.refresh()
            return self.cached(key)
        if record is None and self._may_reload_for(hash_key(key), now):
            await self.refresh()
            record = self.cached(key)
        return record

    def _may_reload_for(self, key_hash: str, now: float) -> bool:
        if now - self._missed.get(key_hash, -1e9) < self._negative_seconds:
            return False
        if now - self._miss_reload_at < self._min_miss_interval:
            return False
        if len(self._missed) > 10_000:
            self._missed.clear()
        self._missed[key_hash] = self._miss_reload_at = now
        return True
