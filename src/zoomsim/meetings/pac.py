"""Personal Audio Conference (PAC) accounts: GET /users/{userId}/pac.

Zoom gives PAC to licensed users of a paid account that bought the Audio Conferencing add-on
(here: the account licence `audio_conferencing`), as long as the user's Personal Audio
Conference setting is not switched off. Anyone else gets 2024. A user's PAC numbers never
change by themselves, so they are derived from the user: the conference ID is the PMI, the two
phone passcodes come from the installation key."""
from __future__ import annotations

import hashlib
import hmac
from typing import Any

from zoomsim import jsonio, tenants
from zoomsim.context import Ctx, Input
from zoomsim.meetings.access import documented
from zoomsim.meetings.model import DEFAULT_SETTINGS
from zoomsim.storage import users as users_repo
from zoomsim.users.access import resolve_user

LICENSED = 2


def pac_enabled(ctx: Ctx, user: users_repo.UserRow) -> bool:
    if ctx.plan == "free" or user.type != LICENSED or user.status != "active":
        return False
    if not tenants.licensed(ctx, "audio_conferencing", default=False):
        return False
    settings = jsonio.loads(user.doc).get("settings") or {}
    return (settings.get("audio_conferencing") or {}).get("personal_audio_conference") is not False


def _digits(ctx: Ctx, purpose: str, user_id: str, length: int = 6) -> str:
    key = ctx.services.installation.key("pac:" + purpose)
    n = int.from_bytes(hmac.new(key, user_id.encode(), hashlib.sha256).digest(), "big")
    return str(n % 10**length).zfill(length)


def _dial_in() -> list[dict[str, str]]:
    """The account's global dial-in numbers, in PAC's shape (country code and number)."""
    return [{"country": n["country"], "number": n["number"]} for n in DEFAULT_SETTINGS["global_dial_in_numbers"]]


def user_pacs(ctx: Ctx, inp: Input) -> dict[str, Any]:
    user = resolve_user(ctx, inp.path["userId"])
    if not pac_enabled(ctx, user):
        raise documented(ctx, 2024, "User does not have PAC enabled.")
    doc = jsonio.loads(user.doc)
    participant = _digits(ctx, "participant", user.id)
    listen_only = _digits(ctx, "listen_only", user.id)
    if listen_only == participant:   # two different passcodes, one per role
        listen_only = str((int(listen_only) + 1) % 10**6).zfill(6)
    return {"pac_accounts": [{
        "conference_id": int(doc["pmi"]),
        "listen_only_password": listen_only,
        "participant_password": participant,
        "global_dial_in_numbers": _dial_in(),
        "dedicated_dial_in_number": [],
    }]}


HANDLERS = {"userPACs": user_pacs}
