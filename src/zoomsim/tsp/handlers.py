"""Telephony Service Provider (third-party audio): the account's TSP settings (/tsp) and each
user's TSP accounts (/users/{userId}/tsp, at most two, ids "1" and "2") plus the user's global
dial-in URL (/users/{userId}/tsp/settings).

Storage (account items): kind "tsp_account" id "account" for the account settings (absent until
first changed: the defaults come from the account's plan and licences); kind "tsp_user" with
owner_id = user id, id "<user id>:<n>" (ids are unique per account and kind) and name = n; kind
"tsp_user_settings" with id = owner_id = user id."""
from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import urlsplit

import sqlalchemy as sa

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.tenants import licensed
from zoomsim.storage import items
from zoomsim.storage import users as users_repo
from zoomsim.users.access import resolve_user

ACCOUNT_KIND = "tsp_account"
ACCOUNT_ID = "account"
USER_KIND = "tsp_user"
SETTINGS_KIND = "tsp_user_settings"
TSP_IDS = ("1", "2")
DEFAULT_BRIDGE = "US_TSP_TB"
ACCOUNT_FIELDS = ("tsp_provider", "tsp_enabled", "tsp_bridge", "enable", "master_account_setting_extended",
                  "modify_credential_forbidden", "dial_in_number_unrestricted")
NUMBER_FIELDS = ("code", "number", "type", "country_label")

TSP, TSP_SPECIAL = "tsp", "tsp_special"    # account features (licence flags)
NOT_ENABLED = "Account has not enabled TSP."
NOT_SPECIAL = "Not TSP special account."
UNKNOWN_ID = "The TSP ID provided does not exist."
NO_CONFIG = "TSP config does not exist."
NONE_LEFT = "At least one TSP config must be available."
TOO_MANY = "You can add a maximum of two TSP configs."
MEDIA_LINK = "Media link is required for AT&T TSP accounts."


# ---- the account's TSP settings ------------------------------------------------------------

def account_settings(ctx: Ctx) -> dict[str, Any]:
    item = items.get(ctx.db, ctx.account_id, ACCOUNT_KIND, ACCOUNT_ID)
    if item is not None:
        return item.data()
    on = licensed(ctx, TSP)
    return {
        "dial_in_number_unrestricted": False, "dial_in_numbers": [], "enable": on,
        "master_account_setting_extended": False, "modify_credential_forbidden": False,
        "tsp_bridge": DEFAULT_BRIDGE, "tsp_enabled": on, "tsp_provider": "",
    }


def get_tsp(ctx: Ctx, inp: Input) -> dict[str, Any]:
    return account_settings(ctx)


def update_tsp(ctx: Ctx, inp: Input) -> None:
    body = inp.body or {}
    doc = account_settings(ctx)
    for key in ACCOUNT_FIELDS:
        if body.get(key) is not None:
            doc[key] = body[key]
    items.upsert(ctx.db, ctx.account_id, ACCOUNT_KIND, ACCOUNT_ID, doc)


# ---- shared checks for a user's TSP accounts ---------------------------------------------------

def _user(ctx: Ctx, user_id: str) -> users_repo.UserRow:
    """resolve_user, with this operation's wording for 1001."""
    try:
        return resolve_user(ctx, user_id)
    except ZoomError as err:
        if err.code == 1001:
            raise documented(ctx, 1001, err.message, 404, userId=user_id) from None
        raise


def _require_tsp(ctx: Ctx) -> dict[str, Any]:
    """Users' TSP accounts need TSP on for the account and opened to its users."""
    settings = account_settings(ctx)
    if not (settings.get("tsp_enabled") and settings.get("enable")):
        raise documented(ctx, 2024, NOT_ENABLED, 400)
    return settings


def _key(user_id: str, tsp_id: str) -> str:
    return f"{user_id}:{tsp_id}"


def _configs(ctx: Ctx, user_id: str) -> dict[str, dict[str, Any]]:
    return {item.name: item.data() for item in items.all_of(ctx.db, ctx.account_id, USER_KIND, user_id)}


def _existing(ctx: Ctx, user_id: str, tsp_id: str, none_left: bool) -> dict[str, Any]:
    """The user's config `tsp_id`. An id other than 1 or 2 is an unknown id; with `none_left`,
    a user with no config at all hears that one must be available (update and delete)."""
    if tsp_id not in TSP_IDS:
        raise documented(ctx, 300, UNKNOWN_ID, 400, containing="TSP ID")
    configs = _configs(ctx, user_id)
    if not configs and none_left:
        raise documented(ctx, 300, NONE_LEFT, 400, containing="at least one")
    if tsp_id not in configs:
        raise documented(ctx, 300, NO_CONFIG, 400, containing="config does not exist")
    return configs[tsp_id]


def _numeric(body: dict[str, Any], field: str) -> str:
    """Conference codes and leader PINs are digits (the schema caps the length at 16)."""
    value = str(body[field]).strip()
    if not value.isdigit() or not value.isascii():
        raise invalid_field(field)
    return value


def _numbers(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not str(entry.get("number") or "").strip():
            raise invalid_field(f"dial_in_numbers[{i}].number")
        out.append({k: entry[k] for k in NUMBER_FIELDS if entry.get(k) is not None})
    return out


def _at_and_t(provider: str) -> bool:
    compact = re.sub(r"[^a-z&]", "", provider.lower())
    return compact.startswith("at&t") or compact == "att"


def _check_media_link(ctx: Ctx, settings: dict[str, Any], numbers: list[dict[str, Any]]) -> None:
    if _at_and_t(str(settings.get("tsp_provider") or "")) and not any(n.get("type") == "media_link" for n in numbers):
        raise documented(ctx, 300, MEDIA_LINK, 400, containing="media link")


# ---- a user's TSP accounts ---------------------------------------------------------------------

def list_user_tsps(ctx: Ctx, inp: Input) -> dict[str, Any]:
    user = _user(ctx, inp.path["userId"])
    _require_tsp(ctx)
    accounts = [doc for _, doc in sorted(_configs(ctx, user.id).items())]
    return {"total_records": len(accounts), "tsp_accounts": accounts}


def create_user_tsp(ctx: Ctx, inp: Input) -> dict[str, Any]:
    user = _user(ctx, inp.path["userId"])
    settings = _require_tsp(ctx)
    body = inp.body or {}
    doc: dict[str, Any] = {
        "conference_code": _numeric(body, "conference_code"),
        "leader_pin": _numeric(body, "leader_pin"),
        "tsp_bridge": body.get("tsp_bridge") or settings.get("tsp_bridge") or DEFAULT_BRIDGE,
        "dial_in_numbers": _numbers(body.get("dial_in_numbers") or []),
    }
    _check_media_link(ctx, settings, doc["dial_in_numbers"])
    taken = _configs(ctx, user.id)
    free = [n for n in TSP_IDS if n not in taken]
    if not free:
        raise documented(ctx, 300, TOO_MANY, 400, containing="maximum")
    doc = {"id": free[0], **doc}
    try:
        items.insert(ctx.db, ctx.account_id, USER_KIND, _key(user.id, free[0]), doc, owner_id=user.id,
                     name=free[0], created_at=clockmod.iso(ctx.now))
    except sa.exc.IntegrityError:
        # a concurrent request took the same slot first; the caller may try again
        raise documented(ctx, 300, TOO_MANY, 400, containing="maximum") from None
    return doc


def get_user_tsp(ctx: Ctx, inp: Input) -> dict[str, Any]:
    user = _user(ctx, inp.path["userId"])
    _require_tsp(ctx)
    return _existing(ctx, user.id, inp.path["tspId"], none_left=False)


def update_user_tsp(ctx: Ctx, inp: Input) -> None:
    user = _user(ctx, inp.path["userId"])
    settings = _require_tsp(ctx)
    tsp_id = inp.path["tspId"]
    doc = _existing(ctx, user.id, tsp_id, none_left=True)
    body = inp.body or {}
    doc["conference_code"] = _numeric(body, "conference_code")
    doc["leader_pin"] = _numeric(body, "leader_pin")
    if body.get("tsp_bridge") is not None:
        doc["tsp_bridge"] = body["tsp_bridge"]
    if body.get("dial_in_numbers") is not None:
        doc["dial_in_numbers"] = _numbers(body["dial_in_numbers"])
    _check_media_link(ctx, settings, doc.get("dial_in_numbers") or [])
    items.save(ctx.db, ctx.account_id, USER_KIND, _key(user.id, tsp_id), doc)


def delete_user_tsp(ctx: Ctx, inp: Input) -> None:
    user = _user(ctx, inp.path["userId"])
    _require_tsp(ctx)
    tsp_id = inp.path["tspId"]
    _existing(ctx, user.id, tsp_id, none_left=True)
    items.delete(ctx.db, ctx.account_id, USER_KIND, _key(user.id, tsp_id))


def update_dial_in_url(ctx: Ctx, inp: Input) -> None:
    """The user's global dial-in page; needs TSP and the account's special TSP privilege."""
    user = _user(ctx, inp.path["userId"])
    _require_tsp(ctx)
    if not licensed(ctx, TSP_SPECIAL):
        raise ZoomError(400, 2000, NOT_SPECIAL)
    body = inp.body or {}
    url = body.get("audio_url")
    if url is None:
        return
    url = str(url).strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            raise invalid_field("audio_url")
    items.upsert(ctx.db, ctx.account_id, SETTINGS_KIND, user.id, {"audio_url": url}, owner_id=user.id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "tsp": get_tsp,
    "tspUpdate": update_tsp,
    "userTSPs": list_user_tsps,
    "userTSPCreate": create_user_tsp,
    "userTSP": get_user_tsp,
    "userTSPUpdate": update_user_tsp,
    "userTSPDelete": delete_user_tsp,
    "tspUrlUpdate": update_dial_in_url,
}
