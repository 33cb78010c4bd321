from __future__ import annotations

import pytest

from schemas.client_location import address_prefix, country_code


@pytest.mark.parametrize(
    ("address", "bits", "expected"),
    [
        ("203.0.113.42", 24, "203.0.113.0/24"),
        ("203.0.113.42", 16, "203.0.0.0/16"),
        ("203.0.113.42", 0, ""),
        ("203.0.113.42", 32, "203.0.113.0/24"),  # never more than 24 bits
        ("203.0.113.42:51234", 24, "203.0.113.0/24"),
        ("::ffff:203.0.113.42", 24, "203.0.113.0/24"),  # IPv4-mapped IPv6 counts as IPv4
        ("2001:db8:abcd:12::1", 24, "2001:db8:abcd::/48"),  # IPv6 keeps twice the bits
        ("[2001:db8:abcd:12::1]:443", 16, "2001:db8::/32"),
        ("fe80::1%eth0", 24, "fe80::/48"),
        ("not an address", 24, ""),
        ("", 24, ""),
    ],
)
def test_addresses_are_reduced_to_a_prefix(address: str, bits: int, expected: str) -> None:
    assert address_prefix(address, bits) == expected


@pytest.mark.parametrize(
    ("header", "expected"), [("de", "DE"), (" US ", "US"), ("", ""), ("DEU", ""), ("1x", "")]
)
def test_country_codes_are_iso_alpha_2(header: str, expected: str) -> None:
    assert country_code(header) == expected
