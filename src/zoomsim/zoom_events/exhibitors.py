"""Exhibitors (and sponsors) of a conference, and the conference's sponsor tiers.

Only CONFERENCE events have exhibitors (1006 for the others, on every operation here). An
exhibitor is an account item of kind `ze_exhibitor` owned by the event. A sponsor belongs to one
of the event's sponsor tiers; the API has no call that makes tiers, so every conference has
Zoom's standing tiers (TIERS), whose ids are derived from the event's id: stable, distinct per
event, and nothing to store. A path id that is not shaped like an id is 1020, a well-shaped one
the event does not hold 2006. `associated_sessions` name sessions of the event; a session
deleted since is left out when the exhibitor is shown."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import events as repo
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import access, parts

TIERS = (("Platinum", "Platinum Sponsor Tier"), ("Gold", "Gold Sponsor Tier"), ("Silver", "Silver Sponsor Tier"),
         ("Bronze", "Bronze Sponsor Tier"))
TEXTS = ("name", "contact_name", "contact_email", "description", "website", "privacy_policy", "linkedin_url",
         "twitter_url", "youtube_url", "instagram_url", "facebook_url")
BAD_ID = "Exhibitor ID is invalid."
NOT_FOUND = "Exhibitor not found."


def tiers(event_id: str) -> list[dict[str, str]]:
    out = []
    for name, description in TIERS:
        out.append({"tier_id": parts.derived_id(event_id, "sponsor_tier", name), "name": name,
                    "description": description})
    return out


def _conference(ctx: Ctx, event_id: str) -> repo.EventRow:
    event = access.load_event(ctx, event_id)
    if event.event_type != "CONFERENCE":
        raise parts.not_for_type(ctx)
    return event


def _load(ctx: Ctx, event_id: str, exhibitor_id: str) -> items_repo.Item:
    if not parts.ID_SHAPE.match(exhibitor_id):
        raise documented(ctx, 1020, BAD_ID)
    item = parts.find(ctx, parts.EXHIBITOR, event_id, exhibitor_id)
    if item is None:
        raise documented(ctx, 2006, NOT_FOUND, status=404)
    return item


def _apply(ctx: Ctx, event: repo.EventRow, doc: dict[str, Any], body: dict[str, Any], tier_key: str) -> None:
    """The fields of a create (tier in `tier_id`) or update (in `sponsor_tier`), checked."""
    for key in TEXTS:
        if key in body:
            doc[key] = str(body[key]).strip()
    for key in ("name", "contact_name"):
        if not doc[key]:
            raise invalid_field(key)
    if not is_email(doc["contact_email"]):
        raise invalid_field("contact_email")
    doc["contact_email"] = doc["contact_email"].lower()
    if "is_sponsor" in body:
        doc["is_sponsor"] = bool(body["is_sponsor"])
    tier = body.get(tier_key, body.get("tier_id"))
    known = {t["tier_id"] for t in tiers(event.id)}
    if not doc["is_sponsor"]:
        doc["tier_id"] = ""                    # "only applies to a sponsor"
    elif tier is not None:
        if str(tier) not in known:
            raise invalid_field(tier_key)
        doc["tier_id"] = str(tier)
    elif doc["tier_id"] not in known:
        raise invalid_field(tier_key)
    if "associated_sessions" in body:
        wanted = [str(s) for s in body["associated_sessions"]]
        held = {row.id for row in repo.sessions_of(ctx.db, event.id)}
        if any(s not in held for s in wanted):
            raise invalid_field("associated_sessions")
        doc["associated_sessions"] = list(dict.fromkeys(wanted))


def _view(item_id: str, doc: dict[str, Any], held: set[str]) -> dict[str, Any]:
    shown = [s for s in doc.get("associated_sessions", []) if s in held]
    return {"exhibitor_id": item_id, **doc, "associated_sessions": shown}


def _held(ctx: Ctx, event_id: str) -> set[str]:
    return {row.id for row in repo.sessions_of(ctx.db, event_id)}


def list_exhibitors(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = _conference(ctx, inp.path["eventId"])
    held = _held(ctx, event.id)
    out = [_view(item.id, item.data(), held) for item in parts.of_event(ctx, parts.EXHIBITOR, event.id)]
    return {"total_records": len(out), "exhibitors": out}


def create_exhibitor(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """`is_sponsor` is true unless given false (the schema requires it; a null means the default)."""
    event = _conference(ctx, inp.path["eventId"])
    body = parts.given(inp.body)
    doc: dict[str, Any] = {key: "" for key in TEXTS} | {"is_sponsor": True, "tier_id": "", "associated_sessions": []}
    _apply(ctx, event, doc, body, "tier_id")
    exhibitor_id = parts.new_id(ctx, parts.EXHIBITOR)
    parts.add(ctx, parts.EXHIBITOR, event.id, exhibitor_id, doc)
    return {"exhibitor_id": exhibitor_id, **doc}


def get_exhibitor(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = _conference(ctx, inp.path["eventId"])
    item = _load(ctx, event.id, inp.path["exhibitorId"])
    return _view(item.id, item.data(), _held(ctx, event.id))


def update_exhibitor(ctx: Ctx, inp: Input) -> None:
    """PATCH: the keys given change; a sponsor's tier is `sponsor_tier` here."""
    event = _conference(ctx, inp.path["eventId"])
    item = _load(ctx, event.id, inp.path["exhibitorId"])
    doc = item.data()
    _apply(ctx, event, doc, parts.given(inp.body), "sponsor_tier")
    items_repo.save(ctx.db, ctx.account_id, parts.EXHIBITOR, item.id, doc)


def delete_exhibitor(ctx: Ctx, inp: Input) -> None:
    event = _conference(ctx, inp.path["eventId"])
    item = _load(ctx, event.id, inp.path["exhibitorId"])
    items_repo.delete(ctx.db, ctx.account_id, parts.EXHIBITOR, item.id)


def list_tiers(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = _conference(ctx, inp.path["eventId"])
    out = tiers(event.id)
    return {"total_records": len(out), "sponsor_tiers": out}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getExhibitors": list_exhibitors,
    "createExhibitor": create_exhibitor,
    "getExhibitorInfo": get_exhibitor,
    "updateExhibitor": update_exhibitor,
    "deleteExhibitor": delete_exhibitor,
    "ListSponsorTiers": list_tiers,
}
