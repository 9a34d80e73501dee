"""Sessions of an event: list, create, get, update, delete.

A SIMPLE_EVENT (and a RECURRING one: its one session is the recurring series) gets its session
when the event is made and keeps exactly that one, so sessions are not created or deleted there
(Zoom's 1006). Session types: 0 meeting, 2 webinar, 4 neither. The event's host hosts every
meeting and webinar session, and a Zoom host runs one meeting at a time, so meeting and webinar
sessions of one event may not overlap (26302); sessions of type 4 may overlap anything. Once the
event is published each meeting or webinar session is backed by a zoomsim meeting or webinar
(publish.py), whose number the session shows as `meeting_id` / `webinar_id`."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import events as repo
from zoomsim.zoom_events import access, backing, parts, speakers
from zoomsim.zoom_events import model as event_model

MEETING, WEBINAR, NEITHER = 0, 2, 4
BACKED = (MEETING, WEBINAR)
ONE_SESSION = ("SIMPLE_EVENT", "RECURRING")
NOT_FOR_TYPE = "Operation is not supported for this event type."
OVERLAP = "The time range is overlapping or you have reached the maximum number of sessions on the same day."
NOT_EDITABLE = "Past and cancelled events are not editable."
FLAGS = {"featured": False, "visible_in_landing_page": True, "featured_in_lobby": False, "visible_in_lobby": True,
         "is_simulive": False, "chat_channel": False, "led_by_sponsor": False}
LABELS = ("track_labels", "audience_labels", "product_labels", "level")
EMAILS = ("alternative_host", "panelist")
LIVESTREAM = "incoming_livestream"    # livestream.py's state, kept in the document, never shown here


def session_type(meeting_type: str) -> int:
    return WEBINAR if meeting_type == "WEBINAR" else MEETING


def new_doc(event: dict[str, Any], name: str, start: str, end: str, kind: int) -> dict[str, Any]:
    """A session with Zoom's defaults, in the event's zone and attendance type."""
    doc: dict[str, Any] = {
        "session_id": ids.new_id(), "name": name, "description": "", "start_time": start, "end_time": end,
        "timezone": event["timezone"], "type": kind, "session_speakers": [], **FLAGS,
        **{key: [] for key in LABELS + EMAILS}, "interpreter_languages": [], "sign_interpreter_languages": [],
        "attendance_type": event.get("attendance_type", "virtual"),
    }
    if event.get("physical_location"):
        doc["physical_location"] = event["physical_location"]
    if event["event_type"] == "CONFERENCE":
        doc["session_reservation"] = {"allow_reservations": False, "max_capacity": 0}
    return doc


def the_one_session(event: dict[str, Any]) -> dict[str, Any]:
    """A SIMPLE_EVENT's (or RECURRING event's first occurrence's) session, from its schedule."""
    first = event["calendar"][0]
    return new_doc(event, event["name"], first["start_time"], first["end_time"],
                   session_type(event.get("meeting_type", "MEETING")))


def view(row_doc: dict[str, Any], meeting_id: int | None) -> dict[str, Any]:
    out = {k: v for k, v in row_doc.items() if k != LIVESTREAM}
    out["meeting_id"] = meeting_id if row_doc["type"] == MEETING else None
    out["webinar_id"] = meeting_id if row_doc["type"] == WEBINAR else None
    return out


def _editable(ctx: Ctx, event: repo.EventRow) -> None:
    if event.status == "CANCELLED" or access.is_past(event, clockmod.iso(ctx.now)):
        raise documented(ctx, 260210, NOT_EDITABLE, status=403)


def _one_session_only(ctx: Ctx, event: repo.EventRow) -> None:
    if event.event_type in ONE_SESSION:
        raise ZoomError(400, 1006, NOT_FOR_TYPE)


def _apply(ctx: Ctx, event: repo.EventRow, doc: dict[str, Any], body: dict[str, Any]) -> None:
    """The fields of a create or update, checked (types are the schema's)."""
    for key in ("name", "description", "physical_location", "record_file_id", "attendance_type"):
        if key in body:
            doc[key] = str(body[key])
    if "name" in body and not doc["name"].strip():
        raise invalid_field("name")
    if "timezone" in body:
        doc["timezone"] = event_model.timezone_of(body["timezone"])
    for key in FLAGS:
        if key in body:
            doc[key] = bool(body[key])
    if doc["is_simulive"] and doc["type"] != WEBINAR:
        raise invalid_field("is_simulive")
    for key in LABELS:
        if key in body:
            doc[key] = [str(v) for v in body[key]]
    for key in EMAILS:
        if key in body:
            if any(not is_email(str(v)) for v in body[key]):
                raise invalid_field(key)
            doc[key] = [str(v).lower() for v in body[key]]
    if "session_speakers" in body:
        doc["session_speakers"] = _speakers(ctx, event, body["session_speakers"])
    _one_role_each(ctx, event, doc)
    if "session_reservation" in body:
        if event.event_type != "CONFERENCE":
            raise invalid_field("session_reservation")
        given = body["session_reservation"] or {}
        reservation = dict(doc.get("session_reservation") or {"allow_reservations": False, "max_capacity": 0})
        if "allow_reservations" in given:
            reservation["allow_reservations"] = bool(given["allow_reservations"])
        if "max_capacity" in given:
            if given["max_capacity"] < 0:
                raise invalid_field("session_reservation.max_capacity")
            reservation["max_capacity"] = int(given["max_capacity"])
        doc["session_reservation"] = reservation
    for key in ("start_time", "end_time"):
        if key in body:
            doc[key] = event_model.utc(event_model.moment(body[key], key))
    if doc["end_time"] <= doc["start_time"]:
        raise invalid_field("end_time")


def _speakers(ctx: Ctx, event: repo.EventRow, given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Speakers of the event, by id, with their session permissions (what the speaker is,
    name, company, title, is read from the speaker when shown)."""
    out: list[dict[str, Any]] = []
    for entry in given:
        speaker_id = str(entry.get("speaker_id") or "")
        if not speakers.exists(ctx, event.id, speaker_id):
            raise invalid_field("session_speakers", speakers.NOT_FOUND)
        if any(s["speaker_id"] == speaker_id for s in out):
            continue
        out.append({"speaker_id": speaker_id,
                    "access_to_edit_session": bool(entry.get("access_to_edit_session", False)),
                    "show_in_session_detail": bool(entry.get("show_in_session_detail", True)),
                    "has_alternative_host_permission": bool(entry.get("has_alternative_host_permission", False))})
    return out


def _one_role_each(ctx: Ctx, event: repo.EventRow, doc: dict[str, Any]) -> None:
    """A session's speaker is not also its panelist or alternative host (1005)."""
    others = set(doc.get("panelist", [])) | set(doc.get("alternative_host", []))
    for entry in doc.get("session_speakers", []):
        item = parts.find(ctx, parts.SPEAKER, event.id, entry["speaker_id"])
        if item is not None and item.data().get("email") and item.data()["email"] in others:
            raise documented(ctx, 1005, speakers.TWO_ROLES)


def shown(ctx: Ctx, event: repo.EventRow, row_doc: dict[str, Any], meeting_id: int | None) -> dict[str, Any]:
    """view() with each session speaker's name, company, title and meeting role filled in:
    alternative host (0) with that permission, else panelist (2) in a webinar, attendee (1)."""
    out = view(row_doc, meeting_id)
    filled = []
    for entry in row_doc.get("session_speakers", []):
        item = parts.find(ctx, parts.SPEAKER, event.id, entry["speaker_id"])
        if item is None:
            continue
        speaker = item.data()
        role = 0 if entry.get("has_alternative_host_permission") else (2 if row_doc["type"] == WEBINAR else 1)
        filled.append({**entry, "name": speaker.get("name", ""), "company": speaker.get("company_name", ""),
                       "title": speaker.get("job_title", ""), "meeting_role": role})
    out["session_speakers"] = filled
    return out


def _no_overlap(ctx: Ctx, event: repo.EventRow, doc: dict[str, Any]) -> None:
    if doc["type"] not in BACKED:
        return
    for other in repo.sessions_of(ctx.db, event.id):
        if other.id != doc["session_id"] and other.type in BACKED \
                and other.start_time < doc["end_time"] and doc["start_time"] < other.end_time:
            raise documented(ctx, 26302, OVERLAP)


def list_sessions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    out = [shown(ctx, event, row.data(), row.meeting_id) for row in repo.sessions_of(ctx.db, event.id)]
    return {"total_records": len(out), "sessions": out}


def create_session(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    _one_session_only(ctx, event)
    _editable(ctx, event)
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc = new_doc(event.data(), "", "", "", int(body["type"]))
    _apply(ctx, event, doc, body)
    _no_overlap(ctx, event, doc)
    repo.insert_session(ctx.db, ctx.account_id, event.id, doc, clockmod.iso(ctx.now))
    meeting_id = None
    if event.status == "PUBLISHED":   # a session added to a live event is backed at once
        meeting_id = backing.back(ctx, event, doc)
        repo.save_session(ctx.db, event.id, doc, meeting_id)
    return shown(ctx, event, doc, meeting_id)


def get_session(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    return shown(ctx, event, row.data(), row.meeting_id)


def update_session(ctx: Ctx, inp: Input) -> None:
    """PATCH; on a single-session event the session's type is the event's meeting_type, and its
    times are the event's calendar. A published session's meeting or webinar follows."""
    event = access.load_event(ctx, inp.path["eventId"])
    _editable(ctx, event)
    row = access.load_session(ctx, event, inp.path["sessionId"])
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc = row.data()
    kind = int(body.get("type", doc["type"]))
    if event.event_type in ONE_SESSION and kind not in BACKED:
        raise invalid_field("type")
    _apply(ctx, event, doc, body)
    meeting_id = row.meeting_id
    if kind != doc["type"]:
        doc["type"] = kind
        if meeting_id is not None:   # the other kind: a new meeting or webinar replaces the old one
            backing.drop(ctx, meeting_id)
            meeting_id = None
    _no_overlap(ctx, event, doc)
    if event.status == "PUBLISHED":
        meeting_id = backing.back(ctx, event, doc, meeting_id)
    repo.save_session(ctx.db, event.id, doc, meeting_id)
    if event.event_type in ONE_SESSION:
        _follow_on_event(ctx, event, doc)


def _follow_on_event(ctx: Ctx, event: repo.EventRow, doc: dict[str, Any]) -> None:
    """A single-session event's meeting_type and first calendar entry are its session's."""
    event_doc, extra = event.data(), event.extras()
    event_doc["meeting_type"] = "WEBINAR" if doc["type"] == WEBINAR else "MEETING"
    event_doc["calendar"][0] = {"start_time": doc["start_time"], "end_time": doc["end_time"]}
    event_doc["calendar"] = event_model.calendar(ctx, event_doc["calendar"])
    event_model.schedule(event_doc)
    repo.save_event(ctx.db, event_doc, extra)


def delete_session(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    _one_session_only(ctx, event)
    _editable(ctx, event)
    if row.meeting_id is not None:
        backing.drop(ctx, row.meeting_id)
    repo.delete_session(ctx.db, event.id, row.id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getEventSessionList": list_sessions,
    "createEventSession": create_session,
    "getEventSessionInfo": get_session,
    "updateEventSession": update_session,
    "deleteEventSession": delete_session,
}
