"""Events: list, create, get, update, delete.

An event is made as a DRAFT in a hub the caller may create events in (a hub host, or any hub
with an :admin scope: 26201 otherwise), and is published, cancelled or duplicated through
event_actions (actions.py). Only drafts can be deleted; a past or cancelled event can no longer
be changed (260210). A SIMPLE_EVENT or RECURRING event gets its one session with it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.storage import events as repo
from zoomsim.storage import users as users_repo
from zoomsim.zoom_events import access, backing, parts, sessions, ticket_types
from zoomsim.zoom_events import model as event_model

NO_HUB_PERMISSION = "No permission to create the event under the hub ID."
NO_CONFERENCES = "Hub is not supported for conference type events."
NOT_EDITABLE = "Past and cancelled events not editable."
ONLY_DRAFTS = "Only draft events can be deleted."
LIST_FILTERS = ("role_type", "event_status_type")


def check_hub(ctx: Ctx, hub_id: str, event_type: str) -> repo.HubRow:
    """A hub of the account that is active and that the caller may create events in."""
    hub = repo.get_hub(ctx.db, ctx.account_id, hub_id)
    doc = hub.data() if hub is not None else {}
    if hub is None or not doc.get("hub_active", True) or (ctx.user_id not in doc.get("hosts", []) and not ctx.admin):
        raise documented(ctx, 26201, NO_HUB_PERMISSION, status=403)
    if event_type == "CONFERENCE" and not doc.get("conference"):
        raise documented(ctx, 260207, NO_CONFERENCES)
    return hub


def _meeting_type(body: dict[str, Any]) -> str:
    value = str(body.get("meeting_type") or "").upper()
    if value not in event_model.MEETING_TYPES:
        raise invalid_field("meeting_type")
    return value


def new_event(ctx: Ctx, body: dict[str, Any], host: users_repo.UserRow) -> dict[str, Any]:
    """The draft event a create body describes (every rule checked), not yet stored."""
    event_type = str(body["event_type"])
    check_hub(ctx, str(body["hub_id"]), event_type)
    doc: dict[str, Any] = {"event_id": ids.new_id(), "name": "", "description": "", "timezone": "UTC",
                           "event_type": event_type, "access_level": "", "attendance_type": "virtual",
                           "categories": [], "tags": [], "blocked_countries": [], "status": "DRAFT",
                           "hub_id": str(body["hub_id"]), "host_id": host.id, "contact_name": "",
                           "contact_email": host.email}
    event_model.apply_fields(doc, body)
    if event_type != "CONFERENCE":
        doc["meeting_type"] = _meeting_type(body)
    if event_type == "RECURRING":
        if body.get("recurrence") is None:
            raise invalid_field("recurrence")
        doc["recurrence"] = event_model.check_recurrence(body["recurrence"])
    doc["calendar"] = event_model.calendar(ctx, body.get("calendar"))
    event_model.schedule(doc)
    return doc


def insert(ctx: Ctx, doc: dict[str, Any], extra: dict[str, Any]) -> None:
    """Store a new event with its default ticket type, and its one session where it has one."""
    now_iso = clockmod.iso(ctx.now)
    repo.insert_event(ctx.db, ctx.account_id, doc, extra, now_iso)
    ticket_types.create_default(ctx, doc)
    if doc["event_type"] in sessions.ONE_SESSION:
        repo.insert_session(ctx.db, ctx.account_id, doc["event_id"], sessions.the_one_session(doc), now_iso)


def _caller(ctx: Ctx) -> users_repo.UserRow:
    user = users_repo.get(ctx.db, ctx.account_id, ctx.user_id)
    if user is None:   # the app's user is gone: nothing it may create under
        raise documented(ctx, 26201, NO_HUB_PERMISSION, status=403)
    return user


def create_event(ctx: Ctx, inp: Input) -> dict[str, Any]:
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc = new_event(ctx, body, _caller(ctx))
    insert(ctx, doc, {})
    return event_model.view(ctx, doc, "create")


def get_event(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = access.load_event(ctx, inp.path["eventId"])
    return event_model.view(ctx, row.data(), "get")


def list_events(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """The caller's events as host, or those they hold a ticket for as attendee (the default),
    by status; keyset pages in creation order."""
    q = inp.query
    role = str(q.get("role_type") or "attendee")
    status_type = str(q.get("event_status_type") or "upcoming")
    user = users_repo.get(ctx.db, ctx.account_id, ctx.user_id)
    email = user.email if user is not None else ""
    now_iso = clockmod.iso(ctx.now)
    args = (ctx.account_id, role, ctx.user_id, email, status_type, now_iso)
    page = ctx.services.pager.paginate(
        f"zoom_events:{ctx.account_id}:{ctx.user_id}", q, ctx.now,
        fetch=lambda after, offset, limit: repo.list_events(ctx.db, *args, after, limit),
        count=lambda: repo.count_events(ctx.db, *args),
        cursor_of=lambda row: row.seq,
        filters=LIST_FILTERS,
    )
    events = [event_model.view(ctx, row.data(), "list") for row in page.rows]
    return {"total_records": page.total_records, "next_page_token": page.next_page_token, "events": events}


def editable(ctx: Ctx, row: repo.EventRow) -> None:
    if row.status == "CANCELLED" or access.is_past(row, clockmod.iso(ctx.now)):
        raise documented(ctx, 260210, NOT_EDITABLE)


def update_event(ctx: Ctx, inp: Input) -> None:
    """PATCH: given keys change. The type is fixed once made; a single-session event's
    meeting_type follows its session (the reference: "use session API to update the meeting
    type"), and its session moves with the calendar. A published event's meetings follow."""
    row = access.load_event(ctx, inp.path["eventId"])
    editable(ctx, row)
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc, extra = row.data(), row.extras()
    if body.get("event_type", row.event_type) != row.event_type:
        raise invalid_field("event_type")
    if "hub_id" in body and body["hub_id"] != row.hub_id:
        check_hub(ctx, str(body["hub_id"]), row.event_type)
        doc["hub_id"] = str(body["hub_id"])
    event_model.apply_fields(doc, body)
    if "recurrence" in body and row.event_type == "RECURRING":
        doc["recurrence"] = event_model.check_recurrence({**doc["recurrence"], **body["recurrence"]})
    if "calendar" in body:
        doc["calendar"] = event_model.calendar(ctx, body["calendar"])
    event_model.schedule(doc)
    repo.save_event(ctx.db, doc, extra)
    if row.event_type in sessions.ONE_SESSION:
        saved = repo.get_event(ctx.db, row.id)
        assert saved is not None
        _follow_event(ctx, saved, doc, body)


def _follow_event(ctx: Ctx, row: repo.EventRow, doc: dict[str, Any], body: dict[str, Any]) -> None:
    """The one session of a single-session event takes the event's name, zone and first entry."""
    (session,) = repo.sessions_of(ctx.db, row.id)
    sdoc = session.data()
    first = doc["calendar"][0]
    sdoc.update(start_time=first["start_time"], end_time=first["end_time"], timezone=doc["timezone"])
    if "name" in body:
        sdoc["name"] = doc["name"]
    meeting_id = session.meeting_id
    if row.status == "PUBLISHED":
        meeting_id = backing.back(ctx, row, sdoc, meeting_id)
    repo.save_session(ctx.db, row.id, sdoc, meeting_id)


def delete_event(ctx: Ctx, inp: Input) -> None:
    row = access.load_event(ctx, inp.path["eventId"])
    if row.status != "DRAFT":
        raise ZoomError(400, 300, ONLY_DRAFTS)
    parts.purge(ctx, row.id)
    repo.delete_event(ctx.db, row.id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getEvents": list_events,
    "createEvent": create_event,
    "getEventInfo": get_event,
    "updateEvent": update_event,
    "deleteEvent": delete_event,
}
