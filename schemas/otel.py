"""OTel-aligned normalisation of the client and identity fields an event can state in several ways.

Browsers put the user agent in `context.device.user_agent`; server-side senders forwarding an end
user's request use OpenTelemetry attribute keys, current or deprecated ones. The map below names
every accepted spelling and the field it fills; the first one present wins, then the fallbacks.
These keys are declared once, in the envelope schema, and allowed on every event; here they leave
`attributes` for the raw event's own columns, so marts never see two spellings of one thing.

| field          | taken from, first present wins                                                  |
| -------------- | ------------------------------------------------------------------------------- |
| user_agent     | `user_agent.original`, `http.user_agent`, `context.device.user_agent`, header  |
| client address | `client.address`, `network.peer.address`, `http.client_ip`, `net.peer.ip`, peer |
| user_id        | envelope `user_id`, `enduser.pseudo.id`, `user.id`, `enduser.id`                 |
| session_id     | envelope `session_id`, `session.id`                                              |
"""

from __future__ import annotations

from typing import Any

import msgspec

OTEL_ATTRIBUTE_MAP: dict[str, str] = {
    "user_agent.original": "user_agent",
    "http.user_agent": "user_agent",  # deprecated OTel name
    "client.address": "client_address",
    "network.peer.address": "client_address",
    "http.client_ip": "client_address",  # deprecated OTel name
    "net.peer.ip": "client_address",  # deprecated OTel name
    "enduser.pseudo.id": "user_id",
    "user.id": "user_id",
    "enduser.id": "user_id",
    "session.id": "session_id",
}
"""Every common attribute key, in order of precedence, and the field it fills."""


class ClientFields(msgspec.Struct, frozen=True):
    user_agent: str
    client_address: str  # as stated; reduced to a prefix before anything is stored
    user_id: str
    session_id: str


def lift_client_fields(
    event: dict[str, Any], header_user_agent: str, peer_address: str
) -> tuple[dict[str, Any], dict[str, Any], ClientFields]:
    """Split a validated event's common attributes off into ClientFields.

    Returns the attributes without the common keys, the context without `device.user_agent`, and
    the fields. The event is not modified.
    """
    attributes: dict[str, Any] = event.get("attributes", {})
    stated: dict[str, str] = {}
    if attributes.keys() & OTEL_ATTRIBUTE_MAP.keys():
        for key, field in OTEL_ATTRIBUTE_MAP.items():
            if key in attributes:
                stated.setdefault(field, attributes[key])
        attributes = {key: value for key, value in attributes.items() if key not in OTEL_ATTRIBUTE_MAP}
    context: dict[str, Any] = event.get("context", {})
    device = context.get("device", {})
    if "user_agent" in device:
        stated.setdefault("user_agent", device["user_agent"])
        context = {key: value for key, value in context.items() if key != "device"}
        if len(device) > 1:
            context["device"] = {key: value for key, value in device.items() if key != "user_agent"}
    fields = ClientFields(
        user_agent=stated.get("user_agent", header_user_agent),
        client_address=stated.get("client_address", peer_address),
        user_id=event.get("user_id") or stated.get("user_id", ""),
        session_id=event.get("session_id") or stated.get("session_id", ""),
    )
    return attributes, context, fields
