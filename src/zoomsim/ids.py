"""Identifiers shaped like Zoom's."""
from __future__ import annotations

import base64
import secrets
import string
from urllib.parse import unquote

_ALNUM = string.ascii_letters + string.digits


def new_id() -> str:
    """22-char URL-safe id, the shape of Zoom user, account and registrant ids. Never starting
    with '-': a command line would read `--account -x...` as an option, not its value."""
    while True:
        made = secrets.token_urlsafe(16)
        if not made.startswith("-"):
            return made


def new_client_id() -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(22))


def new_secret(length: int = 32) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def new_meeting_number() -> int:
    """11-digit meeting/webinar number (Zoom issues 10 and 11 digit ones)."""
    return secrets.randbelow(90_000_000_000) + 10_000_000_000


def new_pmi() -> int:
    return secrets.randbelow(9_000_000_000) + 1_000_000_000


def new_uuid() -> str:
    """Zoom instance UUID: 16 random bytes in standard base64, 24 chars ending in '=='."""
    return base64.b64encode(secrets.token_bytes(16)).decode()


def decode_uuid(value: str) -> str:
    """Undo the extra encoding Zoom asks for when a UUID starts with '/' or holds '//'."""
    while "%" in value:
        decoded = unquote(value)
        if decoded == value:
            break
        value = decoded
    return value


MAX_MEETING_NUMBER = 2**63 - 1   # meeting and webinar ids are int64: anything larger names nothing
MAX_DIGITS = len(str(MAX_MEETING_NUMBER))


def meeting_number(raw: object) -> int | None:
    """The meeting number `raw` spells in ASCII digits, if it fits an int64 — so neither a
    superscript digit ('²'.isdigit() is true) nor a 20-digit overflow reaches the database."""
    text = str(raw).strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:   # before int(): Python refuses to convert more than 4300 digits
        return None
    number = int(digits)
    return number if number <= MAX_MEETING_NUMBER else None
