"""Hubs: where an account's events live. The API lists hubs but never makes one, so every
account holding a Zoom Events or Webinars Plus licence gets its hub when it is created
(tenants.create_account; migration 0006 gave existing accounts theirs). A Webinars Plus hub
holds single-session and recurring events only: conferences need the Zoom Events licence."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.storage import events as repo
from zoomsim.storage.db import Db

# Licences (the admin API's `licences` flags) that come with a hub.
HUB_LICENCES = ("zoom_events", "webinars_plus")
# What our hub documents keep that Zoom's hub object does not show.
PRIVATE = ("conference", "hosts")


def hub_doc(name: str, owner_id: str, conference: bool) -> dict[str, Any]:
    """A new landing hub; `hosts` are the users who may create events in it."""
    return {"name": name, "description": "", "access_level": "PUBLIC", "hidden_hub": False, "hub_active": True,
            "auto_list_events": True, "landing_hub": True, "conference": conference, "hosts": [owner_id]}


def create_default_hub(db: Db, account: dict[str, Any], now_iso: str) -> str | None:
    """The account's hub, if a licence brings one; its id."""
    licences = account.get("licences") or {}
    if not any(licences.get(name) for name in HUB_LICENCES):
        return None
    hub_id = ids.new_id()
    doc = hub_doc(f"{account.get('name') or 'zoomsim account'} hub", account["owner_id"],
                  conference=bool(licences.get("zoom_events")))
    repo.insert_hub(db, account["id"], hub_id, now_iso, doc)
    return hub_id


def view(ctx: Ctx, hub: repo.HubRow) -> dict[str, Any]:
    doc = hub.data()
    out = {"hub_id": hub.id, **{k: v for k, v in doc.items() if k not in PRIVATE}}
    out["public_url"] = f"{ctx.services.config.base_url}/events/hub/{hub.id}"
    return out


def list_hubs(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """As a host: the hubs the caller may create events in (every hub with an admin scope).
    As an attendee: the hubs attendees can see (not hidden, active)."""
    hubs = repo.hubs_of(ctx.db, ctx.account_id)
    if inp.query.get("role_type", "host") == "host":
        if not ctx.admin:
            hubs = [hub for hub in hubs if ctx.user_id in hub.data().get("hosts", [])]
    else:
        hubs = [hub for hub in hubs if not hub.data().get("hidden_hub") and hub.data().get("hub_active", True)]
    out = [view(ctx, hub) for hub in hubs]
    return {"total_records": len(out), "hubs": out}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getHubList": list_hubs,
}
