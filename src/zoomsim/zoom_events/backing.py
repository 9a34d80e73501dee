"""The zoomsim meeting or webinar behind a published event's session.

Zoom Events sessions of type meeting (0) or webinar (2) run as real Zoom meetings and webinars
once their event is published. Here they are made, moved and deleted by the meeting domain's
own handlers (meetingCreate / webinarCreate, ...Update, ...Delete), run as the event's host, so
a session's meeting is exactly what the Meetings API would have made: its number, links,
settings defaults and licence checks, and the admin simulation API can run it."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError
from zoomsim.storage import events as repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import registrants as registrants_repo
from zoomsim.storage import tickets as tickets_repo
from zoomsim.zoom_events import model as event_model
from zoomsim.zoom_events import polls

MEETING, WEBINAR = 0, 2
# (create, update, delete) operation ids of each backed session type
OPERATIONS = {MEETING: ("meetingCreate", "meetingUpdate", "meetingDelete"),
              WEBINAR: ("webinarCreate", "webinarUpdate", "webinarDelete")}
REGISTER = {MEETING: "meetingRegistrantCreate", WEBINAR: "webinarRegistrantCreate"}
UNREGISTER = {MEETING: "meetingregistrantdelete", WEBINAR: "deleteWebinarRegistrant"}
SCHEDULED = {MEETING: 2, WEBINAR: 5}            # one-time meeting / webinar
RECURRING = {MEETING: 8, WEBINAR: 9}            # recurring with a fixed time


def _as_host(ctx: Ctx, op_id: str, host_id: str) -> Ctx:
    """The request's storage and clock, acting as the event's host through operation `op_id`."""
    op = ctx.services.by_id[op_id]
    return Ctx.acting(ctx.services, op, ctx.db, ctx.account_id, ctx.plan, ctx.client_id, host_id)


def _minutes(start: str, end: str) -> int:
    return max(1, int((datetime.fromisoformat(end[:-1]) - datetime.fromisoformat(start[:-1])).total_seconds() // 60))


def _meeting_body(event: repo.EventRow, session: dict[str, Any]) -> dict[str, Any]:
    kind = session["type"]
    body: dict[str, Any] = {"topic": session["name"] or event.data()["name"], "agenda": session.get("description", ""),
                            "start_time": session["start_time"], "timezone": session["timezone"],
                            "duration": _minutes(session["start_time"], session["end_time"]),
                            "type": SCHEDULED[kind],
                            "settings": {"approval_type": 0}}   # ticket holders register, approved at once
    if event.event_type == "RECURRING":
        body["type"] = RECURRING[kind]
        body["recurrence"] = event_model.meeting_rule(event.data()["recurrence"])
    return body


def back(ctx: Ctx, event: repo.EventRow, session: dict[str, Any], meeting_id: int | None = None) -> int | None:
    """The session's meeting or webinar, made or brought up to date; None for type 4."""
    kind = session["type"]
    if kind not in OPERATIONS:
        return None
    create, update, _ = OPERATIONS[kind]
    body = _meeting_body(event, session)
    if meeting_id is not None and meetings_repo.get(ctx.db, meeting_id) is not None:
        as_host = _as_host(ctx, update, event.host_id)
        assert as_host.op.handler is not None
        as_host.op.handler(as_host, Input({as_host.kind.param: str(meeting_id)}, {}, body))
        return meeting_id
    as_host = _as_host(ctx, create, event.host_id)
    assert as_host.op.handler is not None
    made = as_host.op.handler(as_host, Input({"userId": event.host_id}, {}, body))
    polls.carry(ctx, session["session_id"], int(made["id"]))     # a draft's polls become the meeting's
    for ticket in tickets_repo.holders_of(ctx.db, event.id):
        register(ctx, event, session, int(made["id"]), ticket)
    return int(made["id"])


def covers(ticket_type: dict[str, Any] | None, session_id: str) -> bool:
    """Whether a ticket of this type admits its holder to the session."""
    allowed = (ticket_type or {}).get("sessions") or ["ALL"]
    return allowed == ["ALL"] or session_id in allowed


def register(ctx: Ctx, event: repo.EventRow, session: dict[str, Any], meeting_id: int,
             ticket: dict[str, Any]) -> None:
    """The ticket's holder as an approved registrant of the session's meeting or webinar (through
    the Meetings API's own registrant create, so the admin simulation can join them by registrant
    id), if their ticket type admits them. A meeting that refuses (a webinar licence's registrant
    cap below the ticket quantity) keeps the ticket without the registration."""
    kind = session["type"]
    if kind not in REGISTER:
        return
    type_row = tickets_repo.get_type(ctx.db, event.id, ticket["ticket_type_id"])
    if not covers(type_row.data() if type_row else None, session["session_id"]):
        return
    email = ticket["email"]
    body = {"email": email, "first_name": ticket.get("first_name") or email.split("@")[0],
            "last_name": ticket.get("last_name") or ""}
    as_host = _as_host(ctx, REGISTER[kind], event.host_id)
    assert as_host.op.handler is not None
    try:
        as_host.op.handler(as_host, Input({as_host.kind.param: str(meeting_id)}, {}, body))
    except ZoomError:
        pass


def register_ticket(ctx: Ctx, event: repo.EventRow, ticket: dict[str, Any]) -> None:
    """A newly sold ticket's holder, in every backed session it admits them to."""
    for row in repo.sessions_of(ctx.db, event.id):
        if row.meeting_id is not None:
            register(ctx, event, row.data(), row.meeting_id, ticket)


def drop(ctx: Ctx, meeting_id: int) -> None:
    """Delete a session's meeting or webinar (soft, as the Meetings API deletes)."""
    row = meetings_repo.get(ctx.db, meeting_id)
    if row is None or row.status == "deleted":
        return
    kind = WEBINAR if row.type in (5, 6, 9) else MEETING
    as_host = _as_host(ctx, OPERATIONS[kind][2], row.host_id)
    assert as_host.op.handler is not None
    as_host.op.handler(as_host, Input({as_host.kind.param: str(meeting_id)}, {}, None))


def publish(ctx: Ctx, event: repo.EventRow) -> None:
    """Back every meeting and webinar session of a newly published event."""
    for row in repo.sessions_of(ctx.db, event.id):
        meeting_id = back(ctx, event, row.data(), row.meeting_id)
        if meeting_id != row.meeting_id:
            repo.save_session(ctx.db, event.id, row.data(), meeting_id)


def cancel(ctx: Ctx, event: repo.EventRow) -> None:
    """A cancelled event's meetings and webinars are deleted; sessions keep their numbers."""
    for row in repo.sessions_of(ctx.db, event.id):
        if row.meeting_id is not None:
            drop(ctx, row.meeting_id)


def unregister(ctx: Ctx, event: repo.EventRow, email: str) -> None:
    """Someone who no longer holds a ticket leaves the registrants of the event's meetings."""
    if tickets_repo.has_ticket(ctx.db, event.id, email):
        return
    for row in repo.sessions_of(ctx.db, event.id):
        if row.meeting_id is None or row.type not in UNREGISTER:
            continue
        registrant = registrants_repo.get_by_email(ctx.db, row.meeting_id, email)
        if registrant is None:
            continue
        as_host = _as_host(ctx, UNREGISTER[row.type], event.host_id)
        assert as_host.op.handler is not None
        as_host.op.handler(as_host, Input({as_host.kind.param: str(row.meeting_id), "registrantId": registrant.id},
                                          {}, None))
