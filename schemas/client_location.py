"""What eventhouse keeps of where a client is: a country code and, if configured, a truncated address.

The country comes from a header the deployment trusts (a CDN's geo header); the IP address itself is
never stored. An IPv4 address keeps `ipv4_bits` leading bits (at most 24, the usual anonymisation,
as Google Analytics' `anonymize_ip`); an IPv6 address keeps twice as many (at most 48, the same
convention), since IPv6 allocations are proportionally larger.
"""

from __future__ import annotations

import functools
import ipaddress
import re

MAX_IPV4_PREFIX_BITS = 24
_COUNTRY = re.compile(r"[A-Z]{2}")
_BRACKETED = re.compile(r"\[(?P<address>[^\]]+)\](?::[0-9]+)?")
_IPV4_WITH_PORT = re.compile(r"(?P<address>[0-9.]+):[0-9]+")


def country_code(header_value: str) -> str:
    """An ISO 3166-1 alpha-2 code in upper case, or '' when the header does not hold one."""
    code = header_value.strip().upper()
    return code if _COUNTRY.fullmatch(code) else ""


def parse_client_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as proxies and SDKs write it: bare, `[v6]:port`, `v4:port`, or IPv4-mapped IPv6."""
    text = text.strip()
    match = _BRACKETED.fullmatch(text) or _IPV4_WITH_PORT.fullmatch(text)
    if match is not None:
        text = match["address"]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=16384)  # a batch comes from one client, and parsing an address is slow
def address_prefix(text: str, ipv4_bits: int) -> str:
    """The network an address belongs to, e.g. `203.0.113.0/24`; '' if nothing is kept or it is no IP."""
    if ipv4_bits <= 0:
        return ""
    address = parse_client_address(text)
    if address is None:
        return ""
    bits = min(ipv4_bits, MAX_IPV4_PREFIX_BITS)
    if address.version == 4:
        return str(ipaddress.IPv4Network((int(address), bits), strict=False))
    return str(ipaddress.IPv6Network((int(address), bits * 2), strict=False))  # int() drops any %zone
