"""POST /zoom_events/events/{eventId}/event_actions: publish, cancel, duplicate.

Publishing a draft backs each meeting and webinar session with a zoomsim meeting or webinar
(backing.py). Cancelling a published event deletes those meetings; Zoom wants a cancel_message
once anyone has registered. Duplicating makes a new draft (with copies of the sessions, moved
with the new start time) and answers its id."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.storage import events as repo
from zoomsim.storage import tickets as tickets_repo
from zoomsim.zoom_events import access, backing, events, sessions
from zoomsim.zoom_events import model as event_model

ALREADY_PUBLISHED = "Event is already published."
NOT_A_DRAFT = "Only draft events can be published."
NO_SESSIONS = "Add at least one session before publishing the event."
NOT_PUBLISHED = "Only published events can be cancelled."
MESSAGE_NEEDED = "A cancel_message is required when the event has registrants."
BAD_NAME = "Invalid duplicated event name."
BAD_START = "Invalid duplicated event start time."
BAD_ZONE = "Invalid duplicate event timezone."


def publish(ctx: Ctx, row: repo.EventRow) -> dict[str, Any]:
    if row.status == "PUBLISHED":
        raise ZoomError(400, 300, ALREADY_PUBLISHED)
    if row.status != "DRAFT":
        raise ZoomError(400, 300, NOT_A_DRAFT)
    events.editable(ctx, row)
    if not repo.sessions_of(ctx.db, row.id):
        raise ZoomError(400, 300, NO_SESSIONS)
    doc, extra = row.data(), row.extras()
    doc["status"] = "PUBLISHED"
    extra["published_at"] = clockmod.iso(ctx.now)
    repo.save_event(ctx.db, doc, extra)
    published = repo.get_event(ctx.db, row.id)
    assert published is not None
    backing.publish(ctx, published)
    return {"status": "published", "event_id": row.id}


def cancel(ctx: Ctx, row: repo.EventRow, message: str) -> dict[str, Any]:
    if row.status != "PUBLISHED" or access.is_past(row, clockmod.iso(ctx.now)):
        raise ZoomError(400, 300, NOT_PUBLISHED)
    if not message.strip() and repo.count_registrants(ctx.db, row.id):
        raise invalid_field("cancel_message", MESSAGE_NEEDED)
    doc, extra = row.data(), row.extras()
    doc["status"] = "CANCELLED"
    extra.update(cancelled_at=clockmod.iso(ctx.now), cancel_message=message)
    repo.save_event(ctx.db, doc, extra)
    backing.cancel(ctx, row)
    return {"status": "cancelled", "event_id": row.id}


def _shifted(value: str, by: timedelta) -> str:
    return event_model.utc(clockmod.parse_moment(value) + by)


def duplicate(ctx: Ctx, row: repo.EventRow, given: dict[str, Any]) -> dict[str, Any]:
    """A new draft like `row`, named and starting as `given` says, its sessions moved alike."""
    name = str(given.get("name") or "").strip()
    if not name:
        raise documented(ctx, 1002, BAD_NAME, containing="name")
    try:
        start = clockmod.parse_moment(str(given.get("start_time") or ""))
    except ValueError:
        raise documented(ctx, 1002, BAD_START, containing="start time") from None
    if start.timestamp() < ctx.now:
        raise documented(ctx, 1002, BAD_START, containing="start time")
    source = row.data()
    zone = str(given.get("timezone") or source["timezone"])
    if not event_model.valid_timezone(zone):
        raise documented(ctx, 1003, BAD_ZONE)
    by = start - clockmod.parse_moment(source["calendar"][0]["start_time"])
    doc = {k: v for k, v in source.items() if k not in ("lobby_start_time", "lobby_end_time")}
    doc.update(event_id=ids.new_id(), name=name, timezone=zone, status="DRAFT",
               calendar=[{k: _shifted(v, by) for k, v in entry.items()} for entry in source["calendar"]])
    if doc.get("recurrence", {}).get("end_date_time"):
        doc["recurrence"] = {**doc["recurrence"], "end_date_time": _shifted(doc["recurrence"]["end_date_time"], by)}
    event_model.schedule(doc)
    now_iso = clockmod.iso(ctx.now)
    repo.insert_event(ctx.db, ctx.account_id, doc, {"duplicated_from": row.id}, now_iso)
    new_ids: dict[str, str] = {}
    for session in repo.sessions_of(ctx.db, row.id):
        copy = session.data()
        copy.pop(sessions.LIVESTREAM, None)     # a stream key belongs to its own session
        new_ids[session.id] = ids.new_id()
        copy.update(session_id=new_ids[session.id], start_time=_shifted(copy["start_time"], by),
                    end_time=_shifted(copy["end_time"], by))
        if row.event_type in sessions.ONE_SESSION:
            copy.update(name=name, timezone=zone)
        repo.insert_session(ctx.db, ctx.account_id, doc["event_id"], copy, now_iso)
    _copy_ticket_types(ctx, row.id, doc, by, new_ids)
    return {"status": "duplicated", "event_id": doc["event_id"]}


def _copy_ticket_types(ctx: Ctx, source_id: str, doc: dict[str, Any], by: timedelta, new_ids: dict[str, str]) -> None:
    """The copy sells the same ticket types (none sold), their sale windows moved with the event
    (starting no earlier than now) and their sessions the copies' ids."""
    now_iso = clockmod.iso(ctx.now)
    for kind in tickets_repo.types_of(ctx.db, source_id):
        copy = kind.data()
        copy["start_time"] = max(now_iso, _shifted(copy["start_time"], by))
        copy["end_time"] = min(doc["end_time"], _shifted(copy["end_time"], by))
        for key in ("sessions", "bookmarked_sessions"):
            copy[key] = [new_ids.get(s, s) for s in copy.get(key, [])]
        tickets_repo.insert_type(ctx.db, ctx.account_id, doc["event_id"], ids.new_id(), copy, now_iso)


def event_actions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = access.load_event(ctx, inp.path["eventId"])
    body = inp.body or {}
    operation = body.get("operation")
    if operation == "publish":
        return publish(ctx, row)
    if operation == "cancel":
        return cancel(ctx, row, str(body.get("cancel_message") or ""))
    if operation == "duplicate":
        return duplicate(ctx, row, body.get("duplicate_event") or {})
    raise invalid_field("operation")


HANDLERS: dict[str, Callable[..., Any]] = {
    "EventActions": event_actions,
}
