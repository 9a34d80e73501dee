"""Zoom Events e-mail types and send status over HTTP: every event's types with their status
following the event (draft, published, the clock passing the reminders, cancelled), the status
filter and next_page_token pages, send status of an unknown type, recipients from the tickets
sold (skipped while the tickets API is absent), tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, expect_error
from test_events_events import act, made

NAMES = ["Free ticket confirmation", "Paid ticket confirmation", "Event reminder", "Event starting soon",
         "Post-event thank you", "Event cancellation"]


def types(api: Api, event_id: str, **params: Any) -> dict[str, Any]:
    r = api.get(f"/zoom_events/events/{event_id}/email_types", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def statuses(api: Api, event_id: str) -> dict[str, str]:
    return {t["email_type"]: t["status"] for t in types(api, event_id)["email_types"]}


def sends(api: Api, event_id: str, type_id: str, **params: Any) -> dict[str, Any]:
    r = api.get(f"/zoom_events/events/{event_id}/email_types/{type_id}/send_status", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def type_id(api: Api, event_id: str, name: str) -> str:
    return next(t["email_type_id"] for t in types(api, event_id)["email_types"] if t["email_type"] == name)


def test_every_event_has_the_email_types(api: Api) -> None:
    event_id = made(api)["event_id"]
    body = types(api, event_id)
    assert [t["email_type"] for t in body["email_types"]] == NAMES
    assert body["total_records"] == 6 and body["next_page_token"] == ""
    by_name = {t["email_type"]: t for t in body["email_types"]}
    assert by_name["Event reminder"]["trigger_date"] == "2031-07-27T13:00:00Z"
    assert by_name["Event starting soon"]["trigger_date"] == "2031-07-28T12:00:00Z"
    assert by_name["Post-event thank you"]["trigger_date"] == "2031-07-28T15:00:00Z"
    assert "trigger_date" not in by_name["Free ticket confirmation"]
    assert set(statuses(api, event_id).values()) == {"scheduled"}            # a draft sends nothing yet
    assert types(api, event_id) == body                                       # stable ids
    assert type_id(api, made(api)["event_id"], "Event reminder") != by_name["Event reminder"]["email_type_id"]


def test_status_follows_the_event_and_the_clock(clock: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    assert act(api, event_id, operation="publish").status_code == 201
    assert statuses(api, event_id) == {
        "Free ticket confirmation": "ongoing", "Paid ticket confirmation": "ongoing", "Event reminder": "scheduled",
        "Event starting soon": "scheduled", "Post-event thank you": "scheduled", "Event cancellation": "scheduled"}
    clock.clock(now="2031-07-28T12:30:00Z")
    api.fetch_token()
    assert statuses(api, event_id)["Event reminder"] == "sent"
    assert statuses(api, event_id)["Event starting soon"] == "sent"
    assert statuses(api, event_id)["Post-event thank you"] == "scheduled"
    clock.clock(now="2031-07-29T00:00:00Z")
    api.fetch_token()
    assert set(statuses(api, event_id).values()) == {"sent", "scheduled"}
    assert statuses(api, event_id)["Free ticket confirmation"] == "sent"
    assert statuses(api, event_id)["Event cancellation"] == "scheduled"


def test_a_cancelled_event(clock: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    act(api, event_id, operation="publish")
    clock.clock(now="2031-07-27T20:00:00Z")                 # after the day-before reminder
    api.fetch_token()
    assert act(api, event_id, operation="cancel", cancel_message="Sorry").status_code == 201
    body = {t["email_type"]: t for t in types(api, event_id)["email_types"]}
    assert {k: v["status"] for k, v in body.items()} == {
        "Free ticket confirmation": "deactivated", "Paid ticket confirmation": "deactivated",
        "Event reminder": "sent", "Event starting soon": "deactivated", "Post-event thank you": "deactivated",
        "Event cancellation": "sent"}
    assert body["Event cancellation"]["trigger_date"] == "2031-07-27T20:00:00Z"


def test_the_status_filter_and_pages(api: Api) -> None:
    event_id = made(api)["event_id"]
    act(api, event_id, operation="publish")
    ongoing = types(api, event_id, status="ongoing")
    assert [t["email_type"] for t in ongoing["email_types"]] == NAMES[:2] and ongoing["total_records"] == 2
    assert types(api, event_id, status="deactivated")["email_types"] == []
    first = types(api, event_id, page_size=4)
    assert len(first["email_types"]) == 4 and first["next_page_token"] and first["total_records"] == 6
    second = types(api, event_id, page_size=4, next_page_token=first["next_page_token"])
    assert [t["email_type"] for t in first["email_types"] + second["email_types"]] == NAMES
    assert second["next_page_token"] == ""
    r = api.get(f"/zoom_events/events/{event_id}/email_types",
                params={"page_size": 4, "status": "sent", "next_page_token": first["next_page_token"]})
    expect_error(r, 400, 300)                                # a token is bound to its filters
    assert "status" in {e["field"] for e in expect_error(api.get(
        f"/zoom_events/events/{event_id}/email_types", params={"status": "lost"}), 400, 300)["errors"]}


def test_send_status_without_tickets_and_of_an_unknown_type(api: Api) -> None:
    event_id = made(api)["event_id"]
    for name in NAMES:
        assert sends(api, event_id, type_id(api, event_id, name)) == \
            {"total_records": 0, "next_page_token": "", "emails": []}
    expect_error(api.get(f"/zoom_events/events/{event_id}/email_types/{'a' * 22}/send_status"), 404, 300,
                 "Email type not found.")


def test_confirmations_go_to_ticket_holders(api: Api) -> None:
    from test_events_attendee_actions import on_site_event

    emails = [f"guest{i}@example.com" for i in range(5)]
    event_id = on_site_event(api, emails)
    body = sends(api, event_id, type_id(api, event_id, "Free ticket confirmation"))
    assert [(e["email"], e["status"]) for e in body["emails"]] == [(e, "delivered") for e in emails]
    assert sends(api, event_id, type_id(api, event_id, "Paid ticket confirmation"))["emails"] == []
    reminder = sends(api, event_id, type_id(api, event_id, "Event reminder"))
    assert {e["status"] for e in reminder["emails"]} == {"scheduled"} and reminder["total_records"] == 5
    page = sends(api, event_id, type_id(api, event_id, "Free ticket confirmation"), page_size=2)
    assert len(page["emails"]) == 2 and page["next_page_token"] and page["total_records"] == 5
    found = sends(api, event_id, type_id(api, event_id, "Free ticket confirmation"), search_text="GUEST3")
    assert [e["email"] for e in found["emails"]] == ["guest3@example.com"]


def test_another_accounts_event_is_not_found(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    some_type = type_id(api, event_id, "Event reminder")
    other = admin.tenant()
    expect_error(other.get(f"/zoom_events/events/{event_id}/email_types"), 404, 2002, "Event not found.")
    expect_error(other.get(f"/zoom_events/events/{event_id}/email_types/{some_type}/send_status"), 404, 2002,
                 "Event not found.")
    member = admin.member(api, scopes=["zoom_events_email:read"])
    expect_error(member.get(f"/zoom_events/events/{event_id}/email_types"), 403, 260200, "Event access denied.")


def test_what_each_email_sent_follows_the_tickets_and_the_clock(clock: Admin, api: Api) -> None:
    from test_events_sessions import added, conference

    event_id = conference(api)
    added(api, event_id)
    made_types = []
    for body in ({"name": "Free", "free": True}, {"name": "Paid", "free": False, "price": "25"}):
        r = api.post(f"/zoom_events/events/{event_id}/ticket_types", json={
            "currency": "USD", "quantity": 10, "start_time": "2026-01-01T00:00:00Z",
            "end_time": "2031-07-28T12:00:00Z", **body})
        assert r.status_code == 201, r.text
        made_types.append(r.json()["ticket_type_id"])
    assert act(api, event_id, operation="publish").status_code == 201

    def sell(email: str, type_index: int) -> None:
        r = api.post(f"/zoom_events/events/{event_id}/tickets", json={"tickets": [
            {"email": email, "ticket_type_id": made_types[type_index], "first_name": "Ana", "last_name": "Lee"}]})
        assert r.status_code == 201 and not r.json().get("errors"), r.text

    sell("free@example.com", 0)
    sell("paid@example.com", 1)
    free = sends(api, event_id, type_id(api, event_id, "Free ticket confirmation"))["emails"]
    paid = sends(api, event_id, type_id(api, event_id, "Paid ticket confirmation"))["emails"]
    assert [(e["email"], e["name"], e["status"]) for e in free] == [("free@example.com", "Ana Lee", "delivered")]
    assert [e["email"] for e in paid] == ["paid@example.com"] and "sent_date" in paid[0]
    reminder = type_id(api, event_id, "Event reminder")
    assert [e["status"] for e in sends(api, event_id, reminder)["emails"]] == ["scheduled", "scheduled"]
    clock.clock(now="2031-07-28T11:00:00Z")              # the day-before reminder has gone, the hour's not yet
    api.fetch_token()
    sell("late@example.com", 0)                          # sold after the reminder went: never got it
    went = sends(api, event_id, reminder)
    assert [(e["email"], e["status"], e["sent_date"]) for e in went["emails"]] == [
        ("free@example.com", "delivered", "2031-07-27T13:00:00Z"), ("paid@example.com", "delivered",
                                                                     "2031-07-27T13:00:00Z")]
    assert sends(api, event_id, reminder, status="delivered", search_text="paid")["total_records"] == 1
    soon = sends(api, event_id, type_id(api, event_id, "Event starting soon"))["emails"]
    assert [e["email"] for e in soon] == ["free@example.com", "paid@example.com", "late@example.com"]
    assert {e["status"] for e in soon} == {"scheduled"}
