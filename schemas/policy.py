"""What the contract needs besides the event: the server's view of the request, and the configured policy."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from schemas.client_location import MAX_IPV4_PREFIX_BITS


class ServerContext(msgspec.Struct, frozen=True):
    """Facts the API knows about the request an event arrived in; one instance serves a whole batch."""

    tenant_id: str  # the write key's tenant
    received_at: datetime  # aware, UTC
    sent_at: datetime | None = None  # the batch's own `sent_at`, by the client's clock
    batch_id: str = ""
    user_agent: str = ""  # the request's User-Agent header
    client_ip: str = ""  # the request's peer (after trusted proxies)
    country: str = ""  # from the trusted country header; may be ''
    sdk: str = ""  # "name/version" of the sending SDK


class ContractSettings(Protocol):
    """The part of eventhouse.settings.Settings the contract reads."""

    @property
    def clock_skew_hours(self) -> float: ...
    @property
    def url_query_allowlist(self) -> tuple[str, ...]: ...
    @property
    def ip_prefix_bits(self) -> int: ...


class ContractPolicy(msgspec.Struct, frozen=True):
    """The configurable rules of the contract."""

    clock_skew: timedelta = timedelta(hours=24)
    url_query_allowlist: frozenset[str] = frozenset()
    ip_prefix_bits: int = 0  # IPv4 bits kept of a client address (IPv6 keeps twice as many); 0 keeps none
    max_url_length: int = 500

    def __post_init__(self) -> None:
        if not 0 <= self.ip_prefix_bits <= MAX_IPV4_PREFIX_BITS:
            # More than 24 bits would identify a household or a person: not a truncated prefix any more.
            raise ValueError(f"ip_prefix_bits must be between 0 and {MAX_IPV4_PREFIX_BITS}")
        if self.clock_skew <= timedelta(0):
            raise ValueError("clock_skew must be positive")
        if self.max_url_length < 1:
            raise ValueError("max_url_length must be positive")

    @classmethod
    def from_settings(cls, settings: ContractSettings) -> ContractPolicy:
        return cls(
            clock_skew=timedelta(hours=settings.clock_skew_hours),
            url_query_allowlist=frozenset(settings.url_query_allowlist),
            ip_prefix_bits=settings.ip_prefix_bits,
        )
