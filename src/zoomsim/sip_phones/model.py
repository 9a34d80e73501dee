"""The one stored shape of a SIP phone, and the two shapes Zoom serves it in.

Zoom has two generations of the SIP phone API over the same phones:
- 2023 (`/sip_phones`): flat server fields `proxy_server`, `register_server2`,
  `transport_protocol3` ... and the id as `id`;
- 2026 (`/sip_phones/phones`): `server`, `server_2`, `server_3` objects holding
  `proxy_server` / `register_server` / `transport_protocol`, the id as `phone_id`, plus
  `display_number`.

The stored document is the 2026 shape (nested servers). `FLAT` is the single mapping between
the two; both readers and writers go through it, so a phone made through either API reads,
updates and deletes through the other."""
from __future__ import annotations

import copy
from typing import Any

SERVERS = ("server", "server_2", "server_3")
SERVER_KEYS = ("proxy_server", "register_server", "transport_protocol")
# flat 2023 field -> (2026 server object, key inside it)
FLAT: dict[str, tuple[str, str]] = {
    f"{key}{suffix}": (server, key)
    for server, suffix in zip(SERVERS, ("", "2", "3"))
    for key in SERVER_KEYS
}
# Fields with the same name and meaning in both generations.
COMMON = ("user_email", "user_name", "password", "domain", "authorization_name", "voice_mail",
          "registration_expire_time")
ONLY_2026 = ("display_number",)
DEFAULT_EXPIRE_MINUTES = 60
DEFAULT_PROTOCOL = "UDP"
# Suffixes Zoom accepts after a user's email to give that user a phone per platform.
PLATFORM_SUFFIXES = (".win", ".mac", ".android", ".ipad", ".iphone", ".linux", ".pc", ".mobile", ".pad")


def empty_server() -> dict[str, str]:
    return {"proxy_server": "", "register_server": "", "transport_protocol": DEFAULT_PROTOCOL}


def new_phone(phone_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """A phone with every field present, then the caller's values on top."""
    doc: dict[str, Any] = {
        "phone_id": phone_id, "user_email": "", "user_name": "", "password": "", "domain": "",
        "authorization_name": "", "voice_mail": "", "display_number": "",
        "registration_expire_time": DEFAULT_EXPIRE_MINUTES,
        **{server: empty_server() for server in SERVERS},
    }
    return apply(doc, changes)


def from_flat(body: dict[str, Any]) -> dict[str, Any]:
    """A 2023 request body as changes to the stored document (absent or null: unchanged)."""
    changes: dict[str, Any] = {k: body[k] for k in COMMON if body.get(k) is not None}
    for flat, (server, key) in FLAT.items():
        if body.get(flat) is not None:
            changes.setdefault(server, {})[key] = body[flat]
    return changes


def from_nested(body: dict[str, Any]) -> dict[str, Any]:
    """A 2026 request body as changes to the stored document (absent or null: unchanged)."""
    changes: dict[str, Any] = {k: body[k] for k in COMMON + ONLY_2026 if body.get(k) is not None}
    for server in SERVERS:
        part = body.get(server)
        if isinstance(part, dict):
            given = {k: part[k] for k in SERVER_KEYS if part.get(k) is not None}
            if given:
                changes[server] = given
    return changes


def apply(doc: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Merge changes into a copy of the document; server objects merge key by key."""
    out = copy.deepcopy(doc)
    for key, value in changes.items():
        if key in SERVERS:
            out[key] = {**(out.get(key) or empty_server()), **value}
        else:
            out[key] = value
    return out


def as_2023(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": doc["phone_id"]}
    out.update({k: doc[k] for k in COMMON})
    for flat, (server, key) in FLAT.items():
        out[flat] = (doc.get(server) or empty_server())[key]
    return out


def as_2026(doc: dict[str, Any]) -> dict[str, Any]:
    """Backup servers that were never configured are left out, as is an unset display number."""
    out: dict[str, Any] = {"phone_id": doc["phone_id"]}
    out.update({k: doc[k] for k in COMMON})
    if doc.get("display_number"):
        out["display_number"] = doc["display_number"]
    for server in SERVERS:
        part = doc.get(server) or empty_server()
        if server == "server" or part != empty_server():
            out[server] = dict(part)
    return out


def base_email(email: str) -> str:
    """The user's own address behind a per-platform phone address (user@x.com.pc)."""
    low = email.lower()
    for suffix in PLATFORM_SUFFIXES:
        if low.endswith(suffix):
            return email[: -len(suffix)]
    return email


def matches(doc: dict[str, Any], search: str) -> bool:
    """search_key: part of the phone's email or SIP user name, any case."""
    needle = search.strip().lower()
    return needle in str(doc.get("user_email", "")).lower() or needle in str(doc.get("user_name", "")).lower()
