from __future__ import annotations

import pytest

from schemas.urls import is_absolute_url, strip_url

ALLOWED = frozenset({"utm_source", "utm_medium", "q search"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://shop.example.com/p/1", "https://shop.example.com/p/1"),
        ("https://shop.example.com/p/1?token=abc&email=a%40b.c", "https://shop.example.com/p/1"),
        (
            "https://x.example/?utm_source=mail&token=abc&utm_medium=cpc",
            "https://x.example/?utm_source=mail&utm_medium=cpc",
        ),
        ("https://x.example/?utm_source=a%20b", "https://x.example/?utm_source=a%20b"),  # kept as sent
        ("https://x.example/?q+search=1", "https://x.example/?q+search=1"),  # names compared decoded
        ("https://x.example/cb#access_token=secret", "https://x.example/cb"),
        ("https://x.example/?utm_source=a#frag", "https://x.example/?utm_source=a"),
        ("https://x.example/?", "https://x.example/"),
        ("/post/123?session=abc", "/post/123"),
        ("https://ann:secret@x.example:8443/a?b=1", "https://x.example:8443/a"),
        ("https://x.example/a@b", "https://x.example/a@b"),  # an @ in the path is not a credential
        ("https://ann@x.example?utm_source=a", "https://x.example?utm_source=a"),
    ],
)
def test_credentials_fragments_and_unlisted_parameters_are_removed(url: str, expected: str) -> None:
    assert strip_url(url, ALLOWED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://x.example", True),
        ("HTTP://X.EXAMPLE", True),
        ("ftp://x.example", False),
        ("see https://x", False),
    ],
)
def test_absolute_urls_are_recognised_by_scheme(text: str, expected: bool) -> None:
    assert is_absolute_url(text) is expected
