"""Zoom Events attendee actions over HTTP: on-site check-in in batches (partial success: whoever
holds no on-site ticket is an error entry), once per attendee, the list by e-mail and in
next_page_token pages, 2003 for a missing event on the update, tenancy and access (both
backends). Checking people in needs tickets: those tests skip while the tickets API is absent."""
from __future__ import annotations

from typing import Any

import pytest

from support import Admin, Api, bad_fields, expect_error
from test_events_events import act, made
from test_events_sessions import added, conference

NO_TICKET = "User doesn't have an on-site ticket"


def path(event_id: str) -> str:
    return f"/zoom_events/events/{event_id}/attendee_action"


def check_in(api: Api, event_id: str, *emails: str, source: str = "Console-1") -> list[dict[str, str]]:
    r = api.patch(path(event_id), json={"source": source,
                                        "attendees": [{"email": e, "action": "check-in"} for e in emails]})
    assert r.status_code == 201, r.text
    return r.json()["errors"]  # type: ignore[no-any-return]


def listed(api: Api, event_id: str, **params: Any) -> dict[str, Any]:
    r = api.get(path(event_id), params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def on_site_event(api: Api, emails: list[str], attendance_type: str = "in-person") -> str:
    """A published conference with one ticket type of `attendance_type` and a ticket per e-mail."""
    event_id = conference(api)
    added(api, event_id)
    r = api.post(f"/zoom_events/events/{event_id}/ticket_types", json={
        "name": "Floor", "currency": "USD", "free": True, "attendance_type": attendance_type, "quantity": 1000,
        "start_time": "2026-01-01T00:00:00Z", "end_time": "2031-07-28T12:00:00Z"})
    if r.status_code == 501:
        pytest.skip("ticket types are not served yet")
    assert r.status_code == 201, r.text
    type_id = r.json()["ticket_type_id"]
    assert act(api, event_id, operation="publish").status_code == 201
    for start in range(0, len(emails), 30):
        r = api.post(f"/zoom_events/events/{event_id}/tickets", json={"tickets": [
            {"email": e, "ticket_type_id": type_id} for e in emails[start:start + 30]]})
        if r.status_code == 501:
            pytest.skip("tickets are not served yet")
        assert r.status_code == 201, r.text
        assert not r.json().get("errors"), r.text
    return event_id


def test_nobody_without_a_ticket_checks_in(api: Api) -> None:
    event_id = made(api)["event_id"]
    assert check_in(api, event_id, "Ana@Example.com", "bo@example.com") == [
        {"email": "Ana@Example.com", "message": NO_TICKET}, {"email": "bo@example.com", "message": NO_TICKET}]
    assert listed(api, event_id) == {"total_records": 0, "next_page_token": "", "attendees": []}


def test_attendees_are_required(api: Api) -> None:
    event_id = made(api)["event_id"]
    assert bad_fields(api.patch(path(event_id), json={"source": "x"})) == {"attendees"}
    assert bad_fields(api.patch(path(event_id), json={"attendees": []})) == {"attendees"}
    assert "attendees[0].action" in bad_fields(api.patch(path(event_id), json={
        "attendees": [{"email": "a@b.example", "action": "check-out"}]}))
    assert "attendees" in bad_fields(api.patch(path(event_id), json={
        "attendees": [{"email": f"a{i}@b.example", "action": "check-in"} for i in range(301)]}))


def test_check_in_ticket_holders_once(api: Api) -> None:
    event_id = on_site_event(api, ["ana@example.com", "bo@example.com"])
    assert check_in(api, event_id, "ANA@example.com", "cy@example.com") == [
        {"email": "cy@example.com", "message": NO_TICKET}]
    assert check_in(api, event_id, "ana@example.com", "bo@example.com", source="Door-2") == []
    body = listed(api, event_id)
    assert body["attendees"] == [{"email": "ana@example.com", "action": "check-in", "source": "Console-1"},
                                 {"email": "bo@example.com", "action": "check-in", "source": "Door-2"}]
    assert body["total_records"] == 2
    assert listed(api, event_id, email="Bo@Example.com")["attendees"] == [body["attendees"][1]]
    assert listed(api, event_id, email="cy@example.com")["attendees"] == []


def test_a_virtual_ticket_is_not_on_site(api: Api) -> None:
    event_id = on_site_event(api, ["ana@example.com"], attendance_type="virtual")
    assert check_in(api, event_id, "ana@example.com") == [{"email": "ana@example.com", "message": NO_TICKET}]


def test_the_list_pages(api: Api) -> None:
    emails = [f"guest{i:02d}@example.com" for i in range(35)]
    event_id = on_site_event(api, emails, attendance_type="hybrid")
    assert check_in(api, event_id, *emails) == []
    first = listed(api, event_id, page_size=20)
    assert (first["total_records"], len(first["attendees"])) == (35, 20) and first["next_page_token"]
    second = listed(api, event_id, page_size=20, next_page_token=first["next_page_token"])
    assert second["next_page_token"] == ""
    assert [a["email"] for a in first["attendees"] + second["attendees"]] == emails
    expect_error(api.get(path(event_id), params={"next_page_token": "forged"}), 400, 300)


def test_another_accounts_event_is_not_found(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    other = admin.tenant()
    expect_error(other.get(path(event_id)), 404, 2002, "Event not found.")
    body = {"attendees": [{"email": "a@b.example", "action": "check-in"}]}
    expect_error(other.patch(path(event_id), json=body), 404, 2003, "Event Not found.")
    member = admin.member(api, scopes=["zoom_events_attendee_actions:read", "zoom_events_attendee_actions:write"])
    expect_error(member.get(path(event_id)), 403, 260200, "Event access denied.")
    expect_error(member.patch(path(event_id), json=body), 403, 260200, "Event access denied.")
