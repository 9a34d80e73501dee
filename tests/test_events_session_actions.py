"""Zoom Events session attendee actions over HTTP: on-site check-in into one session for those
holding an on-site ticket that admits them to it (partial success), a list per session apart
from the event's, by e-mail and in pages, 2003/2005 on the update, tenancy and access (both
backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_sessions import added, conference
from test_events_tickets import new_type, publish, sell

LATER = {"start_time": "2031-07-28T15:00:00Z", "end_time": "2031-07-28T16:00:00Z"}


def reservable(api: Api, capacity: int = 2, attendance_type: str = "virtual",
               **session: Any) -> tuple[str, str, str]:
    """A published conference: a session taking `capacity` reservations, another one, a ticket
    type for all sessions and one for the other session only."""
    event_id = conference(api)
    first = added(api, event_id, session_reservation={"allow_reservations": True, "max_capacity": capacity},
                  **session)["session_id"]
    other = added(api, event_id, type=4, **LATER)["session_id"]
    everywhere = new_type(api, event_id, attendance_type=attendance_type)
    elsewhere = new_type(api, event_id, name="Other", sessions=[other], attendance_type=attendance_type)
    publish(api, event_id)
    r = sell(api, event_id, *[{"email": f"g{i}@example.com", "ticket_type_id": everywhere, "first_name": f"G{i}",
                               "last_name": "Guest"} for i in range(4)],
             {"email": "elsewhere@example.com", "ticket_type_id": elsewhere})
    assert r.status_code == 201 and not r.json().get("errors"), r.text
    return event_id, first, other


NO_TICKET = "User doesn't have an on-site ticket"


def actions_path(event_id: str, session_id: str) -> str:
    return f"/zoom_events/events/{event_id}/sessions/{session_id}/attendee_action"


def check_in(api: Api, event_id: str, session_id: str, *emails: str, source: str = "Door-1") -> Any:
    return api.patch(actions_path(event_id, session_id), json={
        "source": source, "attendees": [{"email": e, "action": "check-in"} for e in emails]})


def test_session_check_in(api: Api) -> None:
    event_id, sid, other = reservable(api, attendance_type="in-person")
    r = check_in(api, event_id, sid, "G0@example.com", "elsewhere@example.com", "nobody@example.com")
    assert r.status_code == 201, r.text
    assert r.json()["errors"] == [{"email": "elsewhere@example.com", "message": NO_TICKET},
                                  {"email": "nobody@example.com", "message": NO_TICKET}]
    assert check_in(api, event_id, sid, "g0@example.com", "g1@example.com", source="Door-2").json()["errors"] == []
    body = api.get(actions_path(event_id, sid)).json()
    assert body == {"total_records": 2, "next_page_token": "", "attendees": [
        {"email": "g0@example.com", "action": "check-in", "source": "Door-1"},
        {"email": "g1@example.com", "action": "check-in", "source": "Door-2"}]}
    assert check_in(api, event_id, other, "elsewhere@example.com").json()["errors"] == []
    assert [a["email"] for a in api.get(actions_path(event_id, other)).json()["attendees"]] == \
        ["elsewhere@example.com"]
    one = api.get(actions_path(event_id, sid), params={"email": "G1@Example.com"}).json()
    assert one["attendees"] == [body["attendees"][1]]
    paged = api.get(actions_path(event_id, sid), params={"page_size": 1}).json()
    assert len(paged["attendees"]) == 1 and paged["next_page_token"]
    rest = api.get(actions_path(event_id, sid), params={"page_size": 1,
                                                         "next_page_token": paged["next_page_token"]}).json()
    assert rest["attendees"] == [body["attendees"][1]] and rest["next_page_token"] == ""
    # the event's own check-ins are another list
    assert api.get(f"/zoom_events/events/{event_id}/attendee_action").json()["total_records"] == 0


def test_a_virtual_ticket_does_not_check_in(api: Api) -> None:
    event_id, sid, _ = reservable(api)
    assert check_in(api, event_id, sid, "g0@example.com").json()["errors"] == [
        {"email": "g0@example.com", "message": NO_TICKET}]
    assert bad_fields(api.patch(actions_path(event_id, sid), json={"source": "x"})) == {"attendees"}


def test_session_actions_tenancy_and_access(admin: Admin, api: Api) -> None:
    event_id, sid, _ = reservable(api, attendance_type="hybrid")
    expect_error(check_in(api, event_id, "nosuchsession000000000", "g0@example.com"), 404, 2005,
                 "Session not found.")
    expect_error(api.get(actions_path(event_id, "nosuchsession000000000")), 404, 2003, "Session not found.")
    other = admin.tenant()
    expect_error(other.get(actions_path(event_id, sid)), 404, 2002, "Event not found.")
    expect_error(check_in(other, event_id, sid, "g0@example.com"), 404, 2003, "Event not found.")
    member = admin.member(api, scopes=["zoom_events_attendee_actions:read", "zoom_events_attendee_actions:write"])
    expect_error(member.get(actions_path(event_id, sid)), 403, 260200, "Event access denied.")
    expect_error(check_in(member, event_id, sid, "g0@example.com"), 403, 260200, "Event access denied.")
