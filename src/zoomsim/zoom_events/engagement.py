"""GET /zoom_events/hubs/{hubId}/attendee_insights/engagement: one attendee's engagement with
the sessions of a hub's events (all of them, or the one `event_id` names), as certification
progress.

The attendee is the `email` the query names, else the caller's own address. Each row is a
meeting or webinar session the attendee holds a ticket for or joined, with what they actually
did there, from the simulation's records (attendance.py): seconds and minutes in the session,
poll answers. Content downloads are not simulated (0). No certification criteria can be set
through the API, so nothing is required: a session attended is a completed full-credit
certification (at the attendee's last leave), one they are in right now in progress, one not
joined yet not started; no credits are earned."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from zoomsim.context import Ctx, Input
from zoomsim.errors import documented
from zoomsim.storage import events as events_repo
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.schema import events as events_table
from zoomsim.zoom_events import access, parts, sessions
from zoomsim.zoom_events.attendance import Presence, SessionView, holders, page_of, session_view

HUB_NOT_FOUND = "Hub not found."


def _events_of_hub(ctx: Ctx, hub_id: str) -> list[events_repo.EventRow]:
    """The hub's published and cancelled events (drafts were never attended), oldest first."""
    q = (sa.select(events_table.c.id).where(events_table.c.account_id == ctx.account_id,
                                           events_table.c.hub_id == hub_id, events_table.c.status != "DRAFT")
         .order_by(events_table.c.seq))
    out = []
    for (event_id,) in ctx.db.execute(q):
        row = events_repo.get_event(ctx.db, str(event_id))
        if row is not None:
            out.append(row)
    return out


def _attendee(ctx: Ctx, query: dict[str, Any]) -> str:
    email = str(query.get("email") or "").strip().lower()
    if email:
        return email
    user = users_repo.get(ctx.db, ctx.account_id, ctx.user_id)
    return user.email.lower() if user is not None else ""


def _row(event: events_repo.EventRow, session: events_repo.SessionRow, presence: Presence | None,
         running: bool) -> dict[str, Any]:
    status = "not_started" if presence is None else "in_progress" if running else "completed"
    out: dict[str, Any] = {"event_id": event.id, "event_name": str(event.data().get("name") or ""),
                           "session_id": session.id, "session_name": str(session.data().get("name") or ""),
                           "certification_type": "full_credit", "certification_status": status,
                           "current_level": 1 if status == "completed" else 0, "total_levels": 1,
                           "credits_earned": 0.0, "minutes_watched": presence.minutes if presence else 0,
                           "minutes_watched_required": 0, "polls_answered": presence.polls if presence else 0,
                           "polls_answered_required": 0, "content_downloads": 0, "content_downloads_required": 0,
                           "meeting_seconds": presence.seconds if presence else 0}
    out["certification_time"] = presence.last_leave if status == "completed" and presence else None
    return out


def _still_in(ctx: Ctx, view: SessionView, email: str) -> bool:
    """Whether the attendee is in a run of the session that has not ended."""
    return any(instance.end_time is None and any(s.email.lower() == email for s in
                                                 inst_repo.sessions(ctx.db, instance.seq, open_only=True))
               for instance in view.instances)


def engagement(ctx: Ctx, inp: Input) -> dict[str, Any]:
    hub_id = inp.path["hubId"]
    if events_repo.get_hub(ctx.db, ctx.account_id, hub_id) is None:
        raise documented(ctx, 2001, HUB_NOT_FOUND, status=404)
    event_id = str(inp.query.get("event_id") or "")
    if event_id:
        if not parts.ID_SHAPE.match(event_id):      # no id of ours (and nothing PostgreSQL would refuse)
            raise access.not_found(ctx)
        event = access.load_event(ctx, event_id)
        if event.hub_id != hub_id:
            raise access.not_found(ctx)
        events = [event]
    else:
        events = [e for e in _events_of_hub(ctx, hub_id) if e.host_id == ctx.user_id or ctx.admin]
    email = _attendee(ctx, inp.query)
    items = []
    for event in events:
        holds = email in holders(ctx, event.id)
        for session in events_repo.sessions_of(ctx.db, event.id):
            if session.type not in sessions.BACKED:
                continue
            view = session_view(ctx, session)
            presence = view.people.get(email) if email else None
            if presence is None and not holds:
                continue
            running = presence is not None and _still_in(ctx, view, email)
            items.append((f"{event.seq:012d}|{session.seq:012d}", _row(event, session, presence, running)))
    shown, total, token = page_of(ctx, f"ze_engagement:{hub_id}:{email}", inp.query, items, ("event_id", "email"))
    return {"total_records": total, "next_page_token": token, "data": shown}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getAttendeeEngagementData": engagement,
}
