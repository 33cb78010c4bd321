"""Privacy rules applied to every event before anything is stored (DESIGN §3).

- `context.consent.analytics == false` drops the event;
- every string in `attributes` and `context`, at any depth, is redacted (redaction.py);
- every http(s) URL, and `context.page.path`, loses its credentials, fragment and all query
  parameters not allow-listed, has emails in its path redacted, and is cut to the maximum URL
  length (after redaction, so a cut never exposes part of an address);
- and, in prepare.py, the client's address is reduced to a prefix and a country (client_location.py).
"""

from __future__ import annotations

from typing import Any

from schemas.policy import ContractPolicy
from schemas.redaction import redact_identifier, redact_text
from schemas.urls import is_absolute_url, strip_url


def consent_declined(event: dict[str, Any]) -> bool:
    """Whether the event says the user declined analytics (only an explicit `false` counts)."""
    context = event.get("context")
    consent = context.get("consent") if isinstance(context, dict) else None
    return isinstance(consent, dict) and consent.get("analytics") is False


_IDENTIFIER_SUFFIXES = ("_id", ".id")


def is_identifier_key(key: str) -> bool:
    """`task.id`, `commerce.product_id`: keys whose values are ids, checked for emails only."""
    return key == "id" or key.endswith(_IDENTIFIER_SUFFIXES)


def clean_url(url: str, policy: ContractPolicy) -> str:
    """A URL stripped (urls.py), its emails redacted, cut to the maximum length.

    Path segments are checked for emails one by one, as identifiers: an email's local part may
    contain `/`, which would otherwise swallow the path before it, and numbers in paths are ids
    (`/p/7234567890123`), not phone numbers.
    """
    cleaned = strip_url(url, policy.url_query_allowlist)
    if "@" in cleaned:
        cleaned = "/".join(redact_identifier(segment) for segment in cleaned.split("/"))
    return cleaned[: policy.max_url_length]


def _scrub_text(text: str, key: str, policy: ContractPolicy) -> str:
    if is_absolute_url(text):
        return clean_url(text, policy)
    return redact_identifier(text) if is_identifier_key(key) else redact_text(text)


def scrub(value: Any, policy: ContractPolicy, key: str = "") -> Any:
    """A copy of a JSON value, every string redacted and every URL cleaned; `key` is the value's own key."""
    if isinstance(value, str):
        return _scrub_text(value, key, policy)
    if isinstance(value, list):
        return [scrub(item, policy, key) for item in value]
    if not isinstance(value, dict):
        return value  # numbers, booleans, null
    scrubbed = {}
    for item_key, item in value.items():  # a loop rather than recursion: most values are scalars
        if isinstance(item, str):
            scrubbed[item_key] = _scrub_text(item, item_key, policy)
        elif isinstance(item, dict | list):
            scrubbed[item_key] = scrub(item, policy, item_key)
        else:
            scrubbed[item_key] = item
    return scrubbed


def scrub_context(context: dict[str, Any], policy: ContractPolicy) -> dict[str, Any]:
    """`scrub` for the envelope's context, where `page.path` is a URL too although it is not absolute."""
    scrubbed: dict[str, Any] = scrub(context, policy)
    page = scrubbed.get("page")
    if page is not None and "path" in page:
        scrubbed["page"] = {**page, "path": clean_url(page["path"], policy)}
    return scrubbed
