"""Zoom Events reports on people: event attendance, ticket registration and session attendance
(custom_reports.py builds on the same helpers). Each is computed on request from the tickets
sold (the registrants) and what the simulation recorded in the sessions' meetings and webinars
(attendance.py); nothing is kept.

What zoomsim does not simulate reads as not having happened, never as made up: there is no
event lobby, networking, bookmarking, recording or livestream viewing and no material download,
so those flags are false and their counts zero; marketing consent was never asked (opt-in 0,
pre-checked -1 "not available"). Tickets sold through the API are host pre-registrations."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.storage import events as events_repo
from zoomsim.zoom_events import access, backing, model, parts
from zoomsim.zoom_events.attendance import (ROLE_NAMES, Holder, Presence, SessionView, auth_method, event_views,
                                            holders, page_of, session_view)
from zoomsim.zoom_events.questions import TITLES

ROLE_WORDS = {"normal": "General"}      # a ticket's role type -> the role the reports name
PHYSICAL = {"in-person": "in_person", "hybrid": "hybrid", "virtual": "virtual"}
NOT_SIMULATED = {"material_download": False, "recording_view": False, "live_streaming_view": False,
                 "recording_view_duration": 0, "live_streaming_view_duration": 0}
NO_CONSENT = {"opt_in_marketing": 0, "marketing_consent_prechecked": -1}


# --- what a registrant is shown as -----------------------------------------------------------

def questions_of(ticket: dict[str, Any]) -> list[dict[str, str]]:
    """The registration answers a ticket holds: its standard fields, then custom questions."""
    out = [{"title": TITLES.get(key, key), "answer": str(ticket[key])} for key in TITLES if ticket.get(key)]
    return out + [{"title": str(q.get("title") or ""), "answer": str(q.get("answer") or "")}
                  for q in ticket.get("custom_questions") or []]


def ticket_view(ticket: dict[str, Any], types: dict[str, dict[str, Any]], report: str) -> dict[str, Any]:
    """A ticket as the `report` ("attendance", "registration", "session", "custom") lists it."""
    type_id = str(ticket.get("ticket_type_id") or "")
    out: dict[str, Any] = {"ticket_id": ticket["ticket_id"], "ticket_type_id": type_id,
                           "ticket_type_name": str((types.get(type_id) or {}).get("name") or ""),
                           "external_ticket_id": str(ticket.get("external_ticket_id") or ""),
                           "authentication_method": str(ticket.get("authentication_method") or "no_auth"),
                           "questions": questions_of(ticket)}
    if report == "session":
        return {k: out[k] for k in ("ticket_id", "ticket_type_name", "questions")}
    if report == "custom":
        del out["external_ticket_id"]
        out["registration_source"] = str(ticket.get("registration_source") or "")
        out["registration_method"] = "pre_registration"
    return out


def names(holder: Holder | None, presence: Presence | None) -> dict[str, str]:
    """First, last and display name: the ticket's registration answers, else the name the
    person joined under."""
    ticket = holder.first if holder is not None else {}
    first, last = str(ticket.get("first_name") or ""), str(ticket.get("last_name") or "")
    display = " ".join(p for p in (first, last) if p)
    if not display and presence is not None:
        display = presence.name
        first, _, last = display.partition(" ")
    return {"first_name": first, "last_name": last.strip(), "display_name": display}


def role_of(holder: Holder) -> str:
    kind = str(holder.first.get("ticket_role_type") or "normal")
    return ROLE_WORDS.get(kind, kind.replace("_", " ").title())


def admitted(holder: Holder, types: dict[str, dict[str, Any]], views: list[SessionView]) -> list[SessionView]:
    """The sessions the holder's tickets admit to (backing.covers: a ticket type's sessions, or all)."""
    return [v for v in views if any(backing.covers(types.get(t), v.id) for t in holder.type_ids)]


def ticket_attendance(holder: Holder, types: dict[str, dict[str, Any]], event: events_repo.EventRow) -> list[str]:
    """How the holder's tickets let them attend (the ticket type's, else the event's type)."""
    default = str(event.data().get("attendance_type") or "virtual")
    kinds = {PHYSICAL.get(str((types.get(t) or {}).get("attendance_type") or default), "virtual")
             for t in holder.type_ids}
    return sorted(kinds)


def check_ins(ctx: Ctx, event_id: str) -> dict[str, str]:
    """E-mail -> when the attendee was checked in on site (attendee_actions.py)."""
    return {item.name: str(item.data().get("checked_in_at") or item.created_at)
            for item in parts.of_event(ctx, parts.CHECK_IN, event_id)}


def _bounds(query: dict[str, Any]) -> tuple[str | None, str | None]:
    """The report's from/to (modified on or after / on or before), as UTC text."""
    out = []
    for key in ("from", "to"):
        out.append(model.utc(model.moment(query[key], key)) if query.get(key) else None)
    return out[0], out[1]


def _within(stamp: str, low: str | None, high: str | None) -> bool:
    return (low is None or stamp >= low) and (high is None or stamp <= high)


# --- event attendance ------------------------------------------------------------------------

def _session_entry(view: SessionView, email: str) -> dict[str, Any]:
    """One session of a registrant: joined online or checked in on site counts as attended."""
    presence = view.people.get(email)
    came = presence is not None or email in view.checked_in
    out: dict[str, Any] = {"session_id": view.id, "session_name": view.name,
                           "session_attendance": "attended" if came else "absent",
                           "duration_spent_in_session": presence.minutes if presence else 0,
                           "chat_messages_sent": presence.chats if presence else 0,
                           "session_reserved": email in view.reserved, "session_bookmarked": False, **NOT_SIMULATED}
    if presence is not None:
        out["session_join_time"], out["session_exit_time"] = presence.first_join, presence.last_leave
    return out


def _attendee(holder: Holder, views: list[SessionView], types: dict[str, dict[str, Any]],
              event: events_repo.EventRow, checked: dict[str, str]) -> dict[str, Any]:
    mine = admitted(holder, types, views)
    joined = [v.people[holder.email] for v in mine if holder.email in v.people]
    on_site = holder.email in checked or any(holder.email in v.checked_in for v in mine)
    how = (["hybrid"] if joined and on_site else ["virtual"] if joined else ["in_person"] if on_site
           else ticket_attendance(holder, types, event))
    stamps = [holder.registered, *(p.last_leave for p in joined), *([checked[holder.email]] if holder.email in checked
                                                                     else [])]
    return {**names(holder, joined[0] if joined else None), "email": holder.email, **NO_CONSENT,
            "event_attendance": "attended" if joined or on_site else "absent", "attendance_type": how,
            "lobby_attendance": "absent", "lobby_chat_sent": 0,
            "survey_taken": sum(p.surveys for p in joined), "total_sessions_joined": len(joined),
            "number_of_tickets": len(holder.tickets), "role": role_of(holder),
            "tickets": [ticket_view(t, types, "attendance") for t in holder.tickets],
            "session_attendance": [_session_entry(v, holder.email) for v in mine],
            "profile_created": False, "personal_chats": 0, "connection_made": 0,
            "last_modified_date": max(stamps)}


def event_attendance(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Every registrant with their attendance of each session their tickets admit to, by
    address; `role_type=attendee` keeps general attendees only; from/to select by
    last_modified_date (the latest of the sale, a session left, a check-in)."""
    event = access.load_event(ctx, inp.path["eventId"])
    low, high = _bounds(inp.query)
    views, types, checked = event_views(ctx, event), parts.ticket_types_of(ctx, event.id), check_ins(ctx, event.id)
    only_attendees = inp.query.get("role_type") == "attendee"
    items = []
    for email, holder in holders(ctx, event.id).items():
        if only_attendees and not any((t.get("ticket_role_type") or "normal") == "normal" for t in holder.tickets):
            continue
        entry = _attendee(holder, views, types, event, checked)
        if _within(entry["last_modified_date"], low, high):
            items.append((email, entry))
    shown, total, token = page_of(ctx, f"ze_attendance_report:{event.id}", inp.query, items,
                                  ("from", "to", "role_type"))
    return {"total_records": total, "next_page_token": token, "attendees": shown}


# --- ticket registration ---------------------------------------------------------------------

def event_registrations(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Every registrant with their tickets and answers, by address; from/to select by the
    registration date (tickets are not changed in ways that date them afterwards)."""
    event = access.load_event(ctx, inp.path["eventId"])
    low, high = _bounds(inp.query)
    views, types, checked = event_views(ctx, event), parts.ticket_types_of(ctx, event.id), check_ins(ctx, event.id)
    items = []
    for email, holder in holders(ctx, event.id).items():
        if not _within(holder.registered, low, high):
            continue
        came = holder.email in checked or any(holder.email in v.people or holder.email in v.checked_in
                                              for v in admitted(holder, types, views))
        items.append((email, {**names(holder, None), "email": email, **NO_CONSENT, "register_date": holder.registered,
                              "event_attendance": "attended" if came else "absent",
                              "attendance_type": ticket_attendance(holder, types, event),
                              "registration_method": "pre_registration",
                              "registration_source": str(holder.first.get("registration_source") or ""),
                              "tickets": [ticket_view(t, types, "registration") for t in holder.tickets]}))
    shown, total, token = page_of(ctx, f"ze_registration_report:{event.id}", inp.query, items, ("from", "to"))
    return {"total_records": total, "next_page_token": token, "registrations": shown}


# --- one session -----------------------------------------------------------------------------

def _session_attendee(view: SessionView, holder: Holder | None, presence: Presence | None,
                      types: dict[str, dict[str, Any]]) -> dict[str, Any]:
    email = holder.email if holder else presence.email if presence else ""
    on_site = bool(email) and email in view.checked_in
    out: dict[str, Any] = {"session_id": view.id, **names(holder, presence), "email": email,
                           "authentication_method": auth_method(holder, presence), **NO_CONSENT,
                           "session_attendance": "yes" if presence or on_site else "no",
                           "duration_spent_in_session": presence.minutes if presence else 0,
                           "chat_messages_sent": presence.chats if presence else 0, **NOT_SIMULATED,
                           "role_name": role_of(holder) if holder else ROLE_NAMES.get(presence.role if presence
                                                                                      else "", "General"),
                           "tickets": [ticket_view(t, types, "session") for t in holder.tickets] if holder else []}
    if presence is not None:
        out.update(attendance_type="hybrid" if on_site else "virtual", start_time=presence.first_join,
                   end_time=presence.last_leave)
    if presence is not None or on_site:
        out["check_in_method"] = "api" if on_site else "virtual"     # on-site check-ins come through the API
    return out


def session_attendance(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """The session's registrants (attended: yes or no) and anyone else who joined it (the host,
    panelists, guests), by address."""
    event = access.load_event(ctx, inp.path["eventId"])
    view = session_view(ctx, access.load_session(ctx, event, inp.path["sessionId"]))
    types = parts.ticket_types_of(ctx, event.id)
    items = []
    held = holders(ctx, event.id)
    for email, holder in held.items():
        if admitted(holder, types, [view]) or email in view.people or email in view.checked_in:
            items.append((email, _session_attendee(view, holder, view.people.get(email), types)))
    for key, presence in view.people.items():
        if key not in held:
            items.append((key, _session_attendee(view, None, presence, types)))
    shown, total, token = page_of(ctx, f"ze_session_report:{event.id}:{view.id}", inp.query, items)
    return {"total_records": total, "next_page_token": token, "attendees": shown}


HANDLERS: dict[str, Callable[..., Any]] = {
    "EventAttendanceReport": event_attendance,
    "EventRegistrationsReport": event_registrations,
    "SessionAttendanceReport": session_attendance,
}
