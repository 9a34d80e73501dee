"""Zoom Events session reservations over HTTP: reservations for ticket holders the session
admits, up to max_capacity (26306), only where enabled (26307), not for the session's hosts,
panelists and speakers (26310), 26309 without a ticket for the session, 26311 deleting none,
pages; tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_events import made
from test_events_session_actions import reservable


def path(event_id: str, session_id: str) -> str:
    return f"/zoom_events/events/{event_id}/sessions/{session_id}/reservations"


def reserve(api: Api, event_id: str, session_id: str, email: str) -> Any:
    return api.post(path(event_id, session_id), json={"email": email})


def listed(api: Api, event_id: str, session_id: str, **params: Any) -> dict[str, Any]:
    r = api.get(path(event_id, session_id), params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_reserve_up_to_the_capacity(api: Api) -> None:
    event_id, sid, _ = reservable(api)
    assert listed(api, event_id, sid) == {"total_records": 0, "next_page_token": "", "reservations": []}
    assert reserve(api, event_id, sid, "G0@Example.com").status_code == 201
    assert reserve(api, event_id, sid, "g0@example.com").status_code == 201        # again: nothing changes
    assert reserve(api, event_id, sid, "g1@example.com").status_code == 201
    expect_error(reserve(api, event_id, sid, "g2@example.com"), 400, 26306,
                 "No reservations available. Maximum capacity reached.")
    assert listed(api, event_id, sid)["reservations"] == [
        {"email": "g0@example.com", "first_name": "G0", "last_name": "Guest"},
        {"email": "g1@example.com", "first_name": "G1", "last_name": "Guest"}]
    assert api.delete(path(event_id, sid), json={"email": "G0@example.com"}).status_code == 204
    expect_error(api.delete(path(event_id, sid), json={"email": "g0@example.com"}), 400, 26311,
                 "Session reservation not found.")
    assert reserve(api, event_id, sid, "g2@example.com").status_code == 201       # the freed place
    assert [r["email"] for r in listed(api, event_id, sid)["reservations"]] == ["g1@example.com", "g2@example.com"]


def test_who_may_reserve(api: Api) -> None:
    event_id, sid, other = reservable(api, capacity=10, panelist=["pan@example.com"])
    expect_error(reserve(api, event_id, sid, "nobody@example.com"), 400, 26309,
                 "User does not have access to this session.")
    expect_error(reserve(api, event_id, sid, "elsewhere@example.com"), 400, 26309)
    expect_error(reserve(api, event_id, sid, "pan@example.com"), 400, 26310,
                 "Reservations are not required for users with special roles.")
    host = api.get("/users/me").json()["email"]
    expect_error(reserve(api, event_id, sid, host), 400, 26310)
    expect_error(reserve(api, event_id, other, "elsewhere@example.com"), 400, 26307,
                 "Session reservation is disabled.")
    assert bad_fields(reserve(api, event_id, sid, "not-an-address")) == {"email"}
    assert bad_fields(api.post(path(event_id, sid), json={})) == {"email"}
    assert listed(api, event_id, sid)["total_records"] == 0


def test_a_zero_capacity_admits_nobody_and_a_simple_event_takes_none(api: Api) -> None:
    event_id, sid, _ = reservable(api, capacity=0)
    expect_error(reserve(api, event_id, sid, "g0@example.com"), 400, 26306)
    simple = made(api)["event_id"]
    (session,) = api.get(f"/zoom_events/events/{simple}/sessions").json()["sessions"]
    expect_error(reserve(api, simple, session["session_id"], "g0@example.com"), 400, 26307)


def test_the_list_pages(api: Api) -> None:
    event_id, sid, _ = reservable(api, capacity=10)
    for i in range(4):
        assert reserve(api, event_id, sid, f"g{i}@example.com").status_code == 201
    first = listed(api, event_id, sid, page_size=3)
    assert (first["total_records"], len(first["reservations"])) == (4, 3) and first["next_page_token"]
    second = listed(api, event_id, sid, page_size=3, next_page_token=first["next_page_token"])
    assert [r["email"] for r in second["reservations"]] == ["g3@example.com"] and second["next_page_token"] == ""
    expect_error(api.get(path(event_id, sid), params={"next_page_token": "forged"}), 400, 300)


def test_reservation_tenancy_and_access(admin: Admin, api: Api) -> None:
    event_id, sid, _ = reservable(api)
    expect_error(api.get(path(event_id, "nosuchsession000000000")), 404, 2003, "Session not found.")
    expect_error(reserve(api, event_id, "nosuchsession000000000", "g0@example.com"), 404, 2003)
    other = admin.tenant()
    expect_error(other.get(path(event_id, sid)), 404, 2002, "Event not found.")
    expect_error(reserve(other, event_id, sid, "g0@example.com"), 404, 2002)
    expect_error(other.delete(path(event_id, sid), json={"email": "g0@example.com"}), 404, 2002)
    member = admin.member(api, scopes=["zoom_events_sessions:read", "zoom_events_sessions:write"])
    expect_error(member.get(path(event_id, sid)), 403, 260200, "Event access denied.")
    expect_error(reserve(member, event_id, sid, "g0@example.com"), 403, 260200)
