"""Who attended an event's sessions, read from what the simulation recorded, and the session
attendee list (getSessionAttendeeList).

A published event's meeting and webinar sessions are real zoomsim meetings and webinars
(backing.py); running them through the admin simulation API writes instances, participant
sessions and instance records (chat, Q&A, poll votes, survey answers). Nothing here is stored:
every read adds up those rows. A person is their lower-cased e-mail (how tickets are matched;
Zoom Events admits a ticket holder by the address the ticket was sold to), or, with no e-mail,
the participant_user_id of the instance they joined. Open sessions (the meeting still runs)
count up to now. The reports (reports.py, transcripts.py, engagement.py) read the same view."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.storage import events as events_repo
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import registrants as registrants_repo
from zoomsim.zoom_events import access, attendee_actions, parts, reservations

# participant role (simulation/live.py) -> the role the Events reports name
ROLE_NAMES = {"host": "Host", "panelist": "Panelist", "attendee": "General"}


@dataclass
class Presence:
    """One person's time in one session, over every run of its meeting."""
    key: str
    name: str
    email: str
    role: str
    internal: bool
    first_join: str
    last_leave: str
    order: int                     # the participant-session seq of their first join
    seconds: int = 0
    chats: int = 0
    polls: int = 0
    surveys: int = 0
    registrant_ids: set[str] = field(default_factory=set)

    @property
    def minutes(self) -> int:
        return -(-self.seconds // 60)


@dataclass
class SessionView:
    """A session of the event and what happened in it."""
    id: str
    name: str
    meeting_id: int | None
    instances: list[inst_repo.InstanceRow]
    people: dict[str, Presence]
    reserved: set[str] = field(default_factory=set)      # e-mails holding a reservation (reservations.py)
    checked_in: set[str] = field(default_factory=set)    # e-mails checked in on site (attendee_actions.py)


def person_of(email: str, person: str) -> str:
    return email.strip().lower() or f"participant:{person}"


def _who_key(who: dict[str, Any], by_person: dict[str, str]) -> str | None:
    """The person a chat message, vote or survey answer came from ({} or unknown: None)."""
    pid = str(who.get("participant_user_id") or "")
    if pid in by_person:
        return by_person[pid]
    return str(who.get("email") or "").strip().lower() or None


def _count(ctx: Ctx, instance: inst_repo.InstanceRow, people: dict[str, Presence], by_person: dict[str, str]) -> None:
    """Chat messages (not deleted), poll votes and survey answers, per person."""
    for kind, attr in (("chat", "chats"), ("poll", "polls"), ("survey", "surveys")):
        for doc in inst_repo.records(ctx.db, instance.seq, kind):
            if doc.get("deleted"):
                continue
            who = doc.get("sender") if kind == "chat" else doc.get("participant")
            key = _who_key(who or {}, by_person)
            if key is not None and key in people:
                setattr(people[key], attr, getattr(people[key], attr) + 1)


def _registrant_email(ctx: Ctx, meeting_id: int, registrant_id: str, seen: dict[str, str]) -> str:
    """The address a participant registered under (tickets register their holders with the
    session's meeting, backing.register), so joining by registrant id matches the ticket even
    when the join named another address."""
    if not registrant_id:
        return ""
    if registrant_id not in seen:
        found = registrants_repo.get(ctx.db, meeting_id, registrant_id)
        seen[registrant_id] = found.email.lower() if found is not None else ""
    return seen[registrant_id]


def session_view(ctx: Ctx, row: events_repo.SessionRow) -> SessionView:
    """Everyone who joined the session's meeting or webinar, in every run of it."""
    doc = row.data()
    view = SessionView(row.id, str(doc.get("name") or ""), row.meeting_id, [], {},
                       reservations.reserved(ctx, row.id), attendee_actions.checked_in_session(ctx, row.id))
    if row.meeting_id is None:
        return view
    registered: dict[str, str] = {}
    now_iso = clockmod.iso(ctx.now)
    view.instances = [i for i in inst_repo.of_meeting(ctx.db, row.meeting_id, ended=False)
                      if i.account_id == ctx.account_id]
    for instance in view.instances:
        by_person: dict[str, str] = {}
        for s in inst_repo.sessions(ctx.db, instance.seq):
            key = person_of(_registrant_email(ctx, row.meeting_id, s.registrant_id, registered) or s.email, s.person)
            by_person[s.person] = key
            left = s.leave_time or now_iso
            seconds = s.duration if s.leave_time else max(0, int(clockmod.parse_iso(now_iso)
                                                                  - clockmod.parse_iso(s.join_time)))
            data = s.data()
            seen = view.people.get(key)
            if seen is None:
                email = "" if key.startswith("participant:") else key
                seen = view.people[key] = Presence(key, s.name, email, str(data.get("role") or "attendee"),
                                                   bool(s.user_id), s.join_time, left, s.seq)
            seen.first_join = min(seen.first_join, s.join_time)
            seen.last_leave = max(seen.last_leave, left)
            seen.seconds += seconds
            if s.registrant_id:
                seen.registrant_ids.add(s.registrant_id)
        _count(ctx, instance, view.people, by_person)
    return view


def event_views(ctx: Ctx, event: events_repo.EventRow) -> list[SessionView]:
    """Every session of the event (in the event's order), with its attendance."""
    return [session_view(ctx, row) for row in events_repo.sessions_of(ctx.db, event.id)]


@dataclass
class Holder:
    """A registrant: one address holding live tickets of the event."""
    email: str
    tickets: list[dict[str, Any]]        # ticket documents, in sale order
    registered: str                      # when the first of them was sold
    type_ids: list[str]

    @property
    def first(self) -> dict[str, Any]:
        return self.tickets[0]


def holders(ctx: Ctx, event_id: str) -> dict[str, Holder]:
    """The event's registrants by lower-cased e-mail, in the order they first bought a ticket."""
    out: dict[str, Holder] = {}
    for email, created_at, type_id, doc in parts.holders(ctx, event_id):
        held = out.get(email)
        if held is None:
            held = out[email] = Holder(email, [], created_at, [])
        held.tickets.append(doc)
        held.type_ids.append(type_id)
    return out


def auth_method(holder: Holder | None, presence: Presence | None) -> str:
    """The ticket's authentication method; someone who joined without a ticket signed in with a
    Zoom account when the simulation says they are a user of the account, else with none."""
    if holder is not None:
        return str(holder.first.get("authentication_method") or "no_auth")
    return "zoom_account" if presence is not None and presence.internal else "no_auth"


def page_of(ctx: Ctx, scope: str, query: dict[str, Any], items: Sequence[tuple[str, Any]],
            filters: tuple[str, ...] = ()) -> tuple[list[Any], int, str]:
    """A page of a derived list (Pager.paginate_list): (entries, total, next token)."""
    page = ctx.services.pager.paginate_list(scope, query, ctx.now, items, filters=filters)
    return list(page.rows), page.total_records, page.next_page_token


def session_attendees(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Everyone who joined the session, in the order they first joined, each with the
    authentication method of their ticket (matched by e-mail)."""
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    view = session_view(ctx, row)
    held = holders(ctx, event.id)
    items = [(f"{p.first_join}|{p.order:012d}",
              {"email": p.email, "authentication_method": auth_method(held.get(p.email), p)})
             for p in view.people.values()]
    shown, total, token = page_of(ctx, f"ze_session_attendees:{event.id}:{row.id}", inp.query, items)
    return {"total_records": total, "next_page_token": token, "attendees": shown}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getSessionAttendeeList": session_attendees,
}
