"""URL cleaning: query strings carry tokens, emails and session ids, so only allow-listed parameters stay.

The fragment goes too (OAuth implicit flows put access tokens there), and so do credentials in the
authority (`https://user:password@host/`). Kept parameters keep their original encoding and order,
so an allowed URL is stored exactly as sent.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import unquote_plus

_URL_PREFIXES = ("http://", "https://")


def is_absolute_url(text: str) -> bool:
    """Whether a string is an http(s) URL (the scheme in any case)."""
    return text[:8].lower().startswith(_URL_PREFIXES)


def _without_credentials(url: str) -> str:
    if "@" not in url:  # the common case, and the cheap test
        return url
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url  # a path
    authority_end = min((i for i in map(rest.find, "/?#") if i >= 0), default=len(rest))
    authority = rest[:authority_end]
    if "@" not in authority:
        return url
    return f"{scheme}://{authority.rpartition('@')[2]}{rest[authority_end:]}"


def strip_url(url: str, allowed_parameters: Collection[str]) -> str:
    """`url` (absolute, or a path) without credentials, fragment, or query parameters not allowed."""
    without_fragment = _without_credentials(url).partition("#")[0]
    base, question_mark, query = without_fragment.partition("?")
    if not question_mark:
        return without_fragment
    kept = [
        parameter
        for parameter in query.split("&")
        if unquote_plus(parameter.partition("=")[0]) in allowed_parameters
    ]
    return f"{base}?{'&'.join(kept)}" if kept else base
