"""Attendee actions of an event and of one of its sessions: on-site check-in, in batches of up
to 300, and the list of who checked in.

Only someone holding a live ticket for attending in person (a ticket type, or for a ticket
without one the event, whose attendance type is `in-person` or `hybrid`) can be checked in —
into a session, only with such a ticket admitting them to it (its type sells ["ALL"] sessions
or that one); anyone else is an entry of `errors` and the rest of the batch is done (Zoom's
partial success). A check-in is an account item named by the lower-cased e-mail, of kind
`ze_check_in` owned by the event or `ze_session_check_in` owned by the session: once per
attendee (checking in again changes nothing), written under the owner's lock. The lists page
by keyset in check-in order with next_page_token."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.storage import items as items_repo
from zoomsim.storage import events as events_repo
from zoomsim.storage.events import EventRow
from zoomsim.zoom_events import access, backing, parts

ON_SITE = ("in-person", "hybrid")
NO_ONSITE_TICKET = "User doesn't have an on-site ticket"      # the reference's example
LIST_FILTERS = ("email",)


SESSION_CHECK_IN = "ze_session_check_in"


def onsite_holders(ctx: Ctx, event: EventRow, session_id: str = "") -> set[str]:
    """E-mails of the event's live tickets that admit their holder in person (to the session,
    when one is named)."""
    types = parts.ticket_types_of(ctx, event.id)
    default = event.data().get("attendance_type", "virtual")
    out = set()
    for email, _, type_id, _ in parts.holders(ctx, event.id):
        type_doc = types.get(type_id) or {}
        if (type_doc.get("attendance_type") or default) in ON_SITE \
                and (not session_id or backing.covers(type_doc, session_id)):
            out.add(email)
    return out


def _view(item: items_repo.Item) -> dict[str, Any]:
    doc = item.data()
    return {"email": item.name, "action": doc["action"], "source": doc.get("source", "")}


def _listed(ctx: Ctx, inp: Input, kind: str, owner_id: str) -> dict[str, Any]:
    """Check-ins of one event or session: one attendee's, or a page of them."""
    q = inp.query
    email = str(q.get("email") or "").strip().lower()
    if email:     # one attendee: at most one check-in
        found = items_repo.find_by_name(ctx.db, ctx.account_id, kind, email, owner_id=owner_id)
        shown = [_view(found)] if found is not None else []
        return {"total_records": len(shown), "next_page_token": "", "attendees": shown}
    page = ctx.services.pager.paginate(
        f"{kind}:{ctx.account_id}:{owner_id}", q, ctx.now,
        fetch=lambda after, offset, limit: items_repo.page(ctx.db, ctx.account_id, kind, owner_id,
                                                           after, offset, limit),
        count=lambda: items_repo.count(ctx.db, ctx.account_id, kind, owner_id),
        cursor_of=lambda item: item.seq,
        filters=LIST_FILTERS,
    )
    return {"total_records": page.total_records, "next_page_token": page.next_page_token,
            "attendees": [_view(item) for item in page.rows]}


def _checked_in(ctx: Ctx, event: EventRow, inp: Input, kind: str, owner_id: str,
                session_id: str = "") -> dict[str, Any]:
    """Check in a batch into the event or a session; who may not be checked in is an error entry."""
    body = parts.given(inp.body)
    attendees = body.get("attendees") or []
    if not attendees:
        raise invalid_field("attendees")
    source = str(body.get("source") or "")
    parts.lock(ctx, owner_id, kind)
    admitted = onsite_holders(ctx, event, session_id)
    errors = []
    for entry in attendees:
        email = str(entry["email"]).strip().lower()
        if email not in admitted:
            errors.append({"email": str(entry["email"]), "message": NO_ONSITE_TICKET})
            continue
        if items_repo.find_by_name(ctx.db, ctx.account_id, kind, email, owner_id=owner_id) is None:
            doc = {"action": entry["action"], "source": source, "checked_in_at": clockmod.iso(ctx.now)}
            parts.add(ctx, kind, owner_id, parts.new_id(ctx, kind), doc, name=email)
    return {"errors": errors}


def _load_event(ctx: Ctx, event_id: str) -> EventRow:
    """The updates document a missing event as 2003 ("Event Not found." / "Event not found.")."""
    try:
        return access.load_event(ctx, event_id)
    except ZoomError as exc:
        if exc.code == 2002:
            raise documented(ctx, 2003, "Event Not found.", status=404) from None
        raise


def list_actions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    return _listed(ctx, inp, parts.CHECK_IN, event.id)


def update_actions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = _load_event(ctx, inp.path["eventId"])
    return _checked_in(ctx, event, inp, parts.CHECK_IN, event.id)


def list_session_actions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    return _listed(ctx, inp, SESSION_CHECK_IN, row.id)


def update_session_actions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """This operation documents a missing session as 2005."""
    event = _load_event(ctx, inp.path["eventId"])
    row = events_repo.get_session(ctx.db, event.id, inp.path["sessionId"])
    if row is None:
        raise documented(ctx, 2005, access.SESSION_NOT_FOUND, status=404)
    return _checked_in(ctx, event, inp, SESSION_CHECK_IN, row.id, session_id=row.id)


def checked_in(ctx: Ctx, event_id: str) -> set[str]:
    """For reports: e-mails of the attendees checked in on site."""
    return {item.name for item in parts.of_event(ctx, parts.CHECK_IN, event_id)}


def checked_in_session(ctx: Ctx, session_id: str) -> set[str]:
    """For reports: e-mails of the attendees checked in to the session on site."""
    return {item.name for item in items_repo.all_of(ctx.db, ctx.account_id, SESSION_CHECK_IN, session_id)}


HANDLERS: dict[str, Callable[..., Any]] = {
    "ListEventAttendeeActions": list_actions,
    "UpdateEventAttendeeActions": update_actions,
    "ListSessionAttendeeActions": list_session_actions,
    "UpdateSessionAttendeeActions": update_session_actions,
}
