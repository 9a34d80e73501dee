"""Webinar panelists (Webinars API, 2026): list, add, remove one, remove all.

A panelist is a meeting part of kind "panelist" whose id is the panelist id and whose doc is
the panelist object exactly as the list answers it: id, email, name, their own join_url (the
webinar's link with a personal token) and the session branding they wear (name tag id, the
name, pronouns and description it shows, virtual background id). Registration reads the
addresses (seats.check_people), the simulation the names; branding binds and unbinds tags and
backgrounds through `bind_all` and `unbind`.

Adding an address that is already a panelist updates that panelist (name, branding) in place,
as Zoom does; the 100-panelist cap counts under a per-webinar lock, so concurrent additions
never pass it. A request adds at most 30 (the reference's `maximum: 30`)."""
from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from zoomsim import clock, ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.meetings.kind_rules import load_subject
from zoomsim.meetings.kinds import PANELIST_PART
from zoomsim.storage import parts
from zoomsim.users.features import PANELISTS_PER_WEBINAR

KIND = PANELIST_PART
PER_REQUEST = 30
BRANDING_FIELDS = ("name_tag_id", "name_tag_name", "name_tag_pronouns", "name_tag_description",
                   "virtual_background_id")
LIMIT = "You have reached the limit for the number of panelists you can add. Contact Zoom Support for more information."


def hold(ctx: Ctx, meeting_id: int) -> None:
    """Panelists of one webinar are counted and written one request after another."""
    ctx.db.serialize(f"panelists:{meeting_id}")


def bind_all(ctx: Ctx, meeting_id: int, field: str, value: str, everyone: bool) -> None:
    """A new default name tag or background: every panelist wears it when `everyone`, else
    only those who wear none yet."""
    hold(ctx, meeting_id)
    for p in parts.all_of(ctx.db, meeting_id, KIND):
        if (everyone or not p.get(field)) and p.get(field) != value:
            parts.put(ctx.db, ctx.account_id, meeting_id, KIND, {**p, field: value}, p["id"])


def unbind(ctx: Ctx, meeting_id: int, field: str, gone: Iterable[str]) -> None:
    """Deleted name tags or backgrounds are taken off the panelists who wore them."""
    gone = set(gone)
    hold(ctx, meeting_id)
    for p in parts.all_of(ctx.db, meeting_id, KIND):
        if p.get(field) in gone:
            parts.put(ctx.db, ctx.account_id, meeting_id, KIND, {**p, field: ""}, p["id"])


# ---- handlers ------------------------------------------------------------------------------------

def list_panelists(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = load_subject(ctx, inp)
    found = parts.all_of(ctx.db, row.id, KIND)
    return {"total_records": len(found), "panelists": found}


def _wanted(body: Any) -> dict[str, dict[str, Any]]:
    """The request's panelists by lower-cased address (a repeated address: its last entry)."""
    entries = list((body or {}).get("panelists") or [])
    if not entries:
        raise invalid_field("panelists")
    if len(entries) > PER_REQUEST:
        raise invalid_field("panelists", f"Maximum {PER_REQUEST} items.")
    out: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(entries):
        email = str(entry.get("email") or "").strip()
        if not email:
            raise invalid_field(f"panelists[{i}].email")
        out[email.lower()] = {**entry, "email": email, "_index": i}
    return out


def _check_branding(wanted: dict[str, dict[str, Any]], known: dict[str, set[str]]) -> None:
    """A name tag or background bound to a panelist must be one of this webinar's."""
    errors = []
    for entry in wanted.values():
        for field, ids_known in known.items():
            if entry.get(field) and entry[field] not in ids_known:
                errors.append({"field": f"panelists[{entry['_index']}].{field}", "message": "Invalid field."})
    if errors:
        raise ZoomError(400, 300, "Validation Failed.", errors)


def _new_panelist(webinar: dict[str, Any], entry: dict[str, Any], defaults: dict[str, str]) -> dict[str, Any]:
    """A panelist given no name tag or background wears the webinar's default ones."""
    url = webinar["join_url"]
    doc: dict[str, Any] = {"id": ids.new_id(), "email": entry["email"], "name": str(entry.get("name") or ""),
                           "join_url": f"{url}{'&' if '?' in url else '?'}tk={secrets.token_urlsafe(32)}"}
    for field in BRANDING_FIELDS:
        doc[field] = str(entry.get(field) or defaults.get(field, ""))
    return doc


def _updated(found: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """What a second addition of an address changes: the fields it gives."""
    doc = dict(found)
    for field in ("name", *BRANDING_FIELDS):
        if entry.get(field) is not None:
            doc[field] = str(entry[field])
    return doc


def add_panelists(ctx: Ctx, inp: Input) -> dict[str, Any]:
    from zoomsim.webinars import (
        branding,  # here: branding imports this module for bind_all/unbind
    )
    row = load_subject(ctx, inp)
    wanted = _wanted(inp.body)
    branding.hold(ctx, row.id)       # the tags and backgrounds checked stay until this commits
    worn = branding.worn(ctx, row.id)
    _check_branding(wanted, worn.known)
    hold(ctx, row.id)
    existing = {p["email"].lower(): p for p in parts.all_of(ctx.db, row.id, KIND)}
    fresh = [key for key in wanted if key not in existing]
    if len(existing) + len(fresh) > PANELISTS_PER_WEBINAR:
        raise documented(ctx, 3000, LIMIT, containing="limit for the number of panelists")
    webinar = row.data()
    for key, entry in wanted.items():
        doc = _updated(existing[key], entry) if key in existing else _new_panelist(webinar, entry, worn.defaults)
        parts.put(ctx.db, ctx.account_id, row.id, KIND, doc, doc["id"])
    return {"id": str(row.id), "updated_at": clock.iso(ctx.now)}


def delete_panelist(ctx: Ctx, inp: Input) -> None:
    """An unknown panelist id is 404: the 2023 reference's 1001 "User ... does not exist"
    (the current one documents no wording for it)."""
    row = load_subject(ctx, inp)
    pid = inp.path["panelistId"]
    if "\x00" in pid or not parts.delete(ctx.db, row.id, KIND, pid):
        raise ZoomError(404, 1001, f"User {pid} does not exist or does not belong to this account.")


def delete_panelists(ctx: Ctx, inp: Input) -> None:
    row = load_subject(ctx, inp)
    parts.delete(ctx.db, row.id, KIND, None)


HANDLERS: dict[str, Callable[..., Any]] = {
    "webinarPanelists": list_panelists,
    "webinarPanelistCreate": add_panelists,
    "webinarPanelistDelete": delete_panelist,
    "webinarPanelistsDelete": delete_panelists,
}
