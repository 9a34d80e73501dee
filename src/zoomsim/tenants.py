"""Accounts, their users and their OAuth apps: the multi-tenant setup every request runs in."""
from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from zoomsim import ids, jsonio
from zoomsim.errors import ZoomError
from zoomsim.platform import tokens
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.db import Db
from zoomsim.users import features, model
from zoomsim.zoom_events import hubs

if TYPE_CHECKING:
    from zoomsim.context import Ctx

PLANS = ("free", "pro", "business", "business_plus", "enterprise", "education")
DEFAULT_LICENCES = {"webinar": True, "zoom_events": True, "large_meeting": False, "cloud_recording": True}


def create_account(
    db: Db, *, now_iso: str, base_url: str, plan: str = "business",
    licences: dict[str, bool] | None = None, name: str = "", owner_email: str | None = None,
    owner_first_name: str = "", owner_last_name: str = "", account_id: str | None = None,
) -> dict[str, Any]:
    """Create an account with its owner user; returns the account document."""
    account_id = account_id or ids.new_id()
    number = secrets.randbelow(900_000_000) + 100_000_000
    granted = {**DEFAULT_LICENCES, **(licences or {})}
    if plan == "free":   # add-on licences are opt-in on a free account
        granted["webinar"] = bool((licences or {}).get("webinar", False))
        granted["zoom_events"] = bool((licences or {}).get("zoom_events", False))
    doc: dict[str, Any] = {
        "id": account_id,
        "account_number": number,
        "name": name or "zoomsim account",
        "plan": plan,
        "licences": granted,
        "created_at": now_iso,
    }
    accounts_repo.insert(db, account_id, plan, now_iso, doc)
    email = owner_email or f"owner-{account_id[:8].lower()}@example.com"
    owner = add_user(db, doc, email=email, user_type=1 if plan == "free" else 2, status="active",
                     role_id="0", now_iso=now_iso, base_url=base_url,
                     first_name=owner_first_name, last_name=owner_last_name)
    accounts_repo.set_owner(db, account_id, owner["id"])
    doc["owner_id"] = owner["id"]
    if granted["webinar"] and plan != "free":   # the owner holds the account's webinar licence
        features.grant(db, account_id, owner["id"], {"webinar": True, "webinar_capacity": features.DEFAULT_WEBINAR_CAPACITY})
    hubs.create_default_hub(db, doc, now_iso)    # the Events API has no hub create
    return doc


def add_user(
    db: Db, account: dict[str, Any], *, email: str, user_type: int, status: str, role_id: str,
    now_iso: str, base_url: str, first_name: str = "", last_name: str = "", display: str | None = None,
) -> dict[str, Any]:
    """Add a user; an address already in the account is Zoom's 1005 (also when a concurrent
    request wins the race to insert it)."""
    if users_repo.get(db, account["id"], email) is not None:
        raise email_taken(email)
    doc = model.new_user(
        account_id=account["id"], account_number=account["account_number"], email=email,
        user_type=user_type, status=status, role_id=role_id, created_at=now_iso, base_url=base_url,
        first_name=first_name, last_name=last_name, display=display,
    )
    try:
        users_repo.insert(db, doc, model.new_host_key())
    except sa.exc.IntegrityError:
        raise email_taken(email) from None
    return doc


def email_taken(email: str) -> ZoomError:
    return ZoomError(409, 1005, f'Email "{email}" has already been used.')


def create_app(
    db: Db, *, account_id: str, user_id: str, scopes: list[str], now_iso: str,
    name: str = "Server-to-Server OAuth app", client_id: str | None = None, secret: str | None = None,
    secret_token: str | None = None,
) -> tuple[str, str]:
    """Register an S2S OAuth app; only a salted hash of the secret is stored."""
    client_id = client_id or ids.new_client_id()
    secret = secret or ids.new_secret()
    salt = secrets.token_hex(8)
    apps_repo.insert(db, client_id=client_id, account_id=account_id, user_id=user_id, name=name,
                     scopes=scopes, salt=salt, secret_hash=tokens.hash_secret(secret, salt), created_at=now_iso,
                     secret_token=secret_token or new_secret_token())
    return client_id, secret


def new_secret_token() -> str:
    """An app's webhook secret token (Zoom shows 22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


def licensed(ctx: "Ctx", feature: str, default: bool | None = None) -> bool:
    """Whether the caller's account has a feature Zoom switches on per account (SIP phones,
    TSP, audio conferencing, CRC ...). They are the admin API's `licences` flags; one the
    tenant never named is `default`, or, without one, on for paid plans and off on free."""
    row = accounts_repo.get(ctx.db, ctx.account_id)
    value = (jsonio.loads(row.doc).get("licences") or {}).get(feature) if row is not None else None
    if value is not None:
        return bool(value)
    return default if default is not None else ctx.plan != "free"
