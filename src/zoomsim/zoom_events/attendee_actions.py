"""Attendee actions of an event: on-site check-in, in batches of up to 300, and the list of who
checked in.

Only someone holding a live ticket for attending in person (a ticket type, or for a ticket
without one the event, whose attendance type is `in-person` or `hybrid`) can be checked in;
anyone else is an entry of `errors` and the rest of the batch is done (Zoom's partial success).
A check-in is an account item of kind `ze_check_in` owned by the event, named by the lower-cased
e-mail: once per attendee (checking in again changes nothing), written under the event's lock.
The list pages by keyset in check-in order with next_page_token."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.storage import items as items_repo
from zoomsim.storage.events import EventRow
from zoomsim.zoom_events import access, parts

ON_SITE = ("in-person", "hybrid")
NO_ONSITE_TICKET = "User doesn't have an on-site ticket"      # the reference's example
LIST_FILTERS = ("email",)


def onsite_holders(ctx: Ctx, event: EventRow) -> set[str]:
    """E-mails of the event's live tickets that admit their holder in person."""
    types = parts.ticket_types_of(ctx, event.id)
    default = event.data().get("attendance_type", "virtual")
    out = set()
    for email, _, type_id, _ in parts.holders(ctx, event.id):
        kind = (types.get(type_id) or {}).get("attendance_type") or default
        if kind in ON_SITE:
            out.add(email)
    return out


def _view(item: items_repo.Item) -> dict[str, Any]:
    doc = item.data()
    return {"email": item.name, "action": doc["action"], "source": doc.get("source", "")}


def list_actions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    q = inp.query
    email = str(q.get("email") or "").strip().lower()
    if email:     # one attendee: at most one check-in
        found = items_repo.find_by_name(ctx.db, ctx.account_id, parts.CHECK_IN, email, owner_id=event.id)
        shown = [_view(found)] if found is not None else []
        return {"total_records": len(shown), "next_page_token": "", "attendees": shown}
    page = ctx.services.pager.paginate(
        f"ze_check_in:{ctx.account_id}:{event.id}", q, ctx.now,
        fetch=lambda after, offset, limit: items_repo.page(ctx.db, ctx.account_id, parts.CHECK_IN, event.id,
                                                           after, offset, limit),
        count=lambda: items_repo.count(ctx.db, ctx.account_id, parts.CHECK_IN, event.id),
        cursor_of=lambda item: item.seq,
        filters=LIST_FILTERS,
    )
    return {"total_records": page.total_records, "next_page_token": page.next_page_token,
            "attendees": [_view(item) for item in page.rows]}


def _load_event(ctx: Ctx, event_id: str) -> EventRow:
    """This operation documents a missing event as 2003 "Event Not found."."""
    try:
        return access.load_event(ctx, event_id)
    except ZoomError as exc:
        if exc.code == 2002:
            raise documented(ctx, 2003, "Event Not found.", status=404) from None
        raise


def update_actions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = _load_event(ctx, inp.path["eventId"])
    body = parts.given(inp.body)
    attendees = body.get("attendees") or []
    if not attendees:
        raise invalid_field("attendees")
    source = str(body.get("source") or "")
    parts.lock(ctx, event.id, parts.CHECK_IN)
    admitted = onsite_holders(ctx, event)
    errors = []
    for entry in attendees:
        email = str(entry["email"]).strip().lower()
        if email not in admitted:
            errors.append({"email": str(entry["email"]), "message": NO_ONSITE_TICKET})
            continue
        if items_repo.find_by_name(ctx.db, ctx.account_id, parts.CHECK_IN, email, owner_id=event.id) is None:
            doc = {"action": entry["action"], "source": source, "checked_in_at": clockmod.iso(ctx.now)}
            parts.add(ctx, parts.CHECK_IN, event.id, parts.new_id(ctx, parts.CHECK_IN), doc, name=email)
    return {"errors": errors}


def checked_in(ctx: Ctx, event_id: str) -> set[str]:
    """For reports: e-mails of the attendees checked in on site."""
    return {item.name for item in parts.of_event(ctx, parts.CHECK_IN, event_id)}


HANDLERS: dict[str, Callable[..., Any]] = {
    "ListEventAttendeeActions": list_actions,
    "UpdateEventAttendeeActions": update_actions,
}
