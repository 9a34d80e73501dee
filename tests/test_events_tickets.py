"""Zoom Events ticket types and tickets over HTTP: the default type every event gets, conference
types (sale window, sessions, quantity), tickets with partial success and Zoom's error codes,
sold_quantity never passing quantity under concurrent sales, validation levels, paging,
tenancy (both backends)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from support import Admin, Api, bad_fields, expect_error
from test_events_actions import sessions
from test_events_events import act, made
from test_events_sessions import added, conference

SALE = {"start_time": "2026-01-01T00:00:00Z", "end_time": "2031-07-28T12:00:00Z"}


def types_path(event_id: str) -> str:
    return f"/zoom_events/events/{event_id}/ticket_types"


def tickets_path(event_id: str) -> str:
    return f"/zoom_events/events/{event_id}/tickets"


def ticket_types(api: Api, event_id: str) -> list[dict[str, Any]]:
    r = api.get(types_path(event_id))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["ticket_types"])
    return body["ticket_types"]  # type: ignore[no-any-return]


def new_type(api: Api, event_id: str, **over: Any) -> str:
    r = api.post(types_path(event_id), json={"name": "VIP", "currency": "usd", **SALE, **over})
    assert r.status_code == 201, r.text
    return r.json()["ticket_type_id"]  # type: ignore[no-any-return]


def sell(api: Api, event_id: str, *tickets: dict[str, Any], **params: Any) -> httpx.Response:
    return api.post(tickets_path(event_id), json={"tickets": list(tickets)}, params=params)


def live_conference(api: Api) -> str:
    event_id = conference(api)
    added(api, event_id)
    return event_id


def publish(api: Api, event_id: str) -> None:
    assert act(api, event_id, operation="publish").status_code == 201


# ---- ticket types ---------------------------------------------------------------------------

def test_every_event_has_a_default_type(api: Api) -> None:
    event = made(api)
    (default,) = ticket_types(api, event["event_id"])
    assert (default["name"], default["free"], default["price"], default["sessions"], default["sold_quantity"]) == \
        ("General Admission", True, "0", ["ALL"], 0)
    assert default["end_time"] == event["end_time"] and "quantity" not in default
    message = "Operation is not supported for this event type."
    expect_error(api.post(types_path(event["event_id"]), json={"name": "X", "currency": "USD", **SALE}), 400, 1006,
                 message)
    expect_error(api.delete(f"{types_path(event['event_id'])}/{default['ticket_type_id']}"), 400, 1006)


def test_create_update_delete_a_conference_type(api: Api) -> None:
    event_id = live_conference(api)
    session_id = sessions(api, event_id)[0]["session_id"]
    type_id = new_type(api, event_id, free=False, price="25.50", quantity=10, sessions=[session_id],
                       attendance_type="hybrid", description="Front row",
                       private_visibility_rules={"allow_domain_list": ["Example.com"]})
    vip = next(t for t in ticket_types(api, event_id) if t["ticket_type_id"] == type_id)
    assert (vip["currency"], vip["free"], vip["price"], vip["quantity"], vip["sessions"], vip["sold_quantity"]) == \
        ("USD", False, "25.50", 10, [session_id], 0)
    assert vip["private_visibility_rules"] == {"account_restrict": False, "allow_domain_list": ["example.com"],
                                               "email_restrict_list": [], "attendance_type": "hybrid"}
    path = f"{types_path(event_id)}/{type_id}"
    assert api.patch(path, json={"name": "VVIP", "quantity": 20}).status_code == 204
    assert [t["name"] for t in ticket_types(api, event_id)] == ["General Admission", "VVIP"]
    assert api.delete(path).status_code == 204
    expect_error(api.delete(path), 404, 26502, "The ticket type ID is invalid.")
    expect_error(api.patch(path, json={"name": "x"}), 404, 26502)


def test_type_rules(api: Api) -> None:
    event_id = live_conference(api)
    bad = "The ticket sale dates are invalid."

    def create(**over: Any) -> httpx.Response:
        return api.post(types_path(event_id), json={"name": "T", "currency": "USD", **SALE, **over})

    assert bad_fields(api.post(types_path(event_id), json={})) == {"name", "currency", "start_time", "end_time"}
    expect_error(create(end_time=SALE["start_time"]), 400, 26401, bad)
    expect_error(create(end_time="2031-08-01T00:00:00Z"), 400, 26401, bad)      # after the event
    expect_error(create(sessions=["nosuchsession000000000"]), 400, 26402, "One or more session IDs are invalid.")
    assert "currency" in bad_fields(create(currency="dollars"))
    assert "price" in bad_fields(create(free=True, price="3"))
    assert "price" in bad_fields(create(free=False, price="-1"))
    assert "quantity" in bad_fields(create(quantity=0))
    assert "start_time" in bad_fields(create(start_time="soon"))
    for _ in range(49):
        assert create().status_code == 201
    expect_error(create(), 400, 300)                                             # 50 per event


# ---- tickets --------------------------------------------------------------------------------

def test_tickets_need_a_published_event(api: Api) -> None:
    event_id = live_conference(api)
    expect_error(sell(api, event_id, {"email": "a@example.com"}), 400, 26501, "Event is not published yet.")
    publish(api, event_id)
    assert "tickets" in bad_fields(api.post(tickets_path(event_id), json={"tickets": []}))
    assert "tickets" in bad_fields(sell(api, event_id, *[{"email": f"x{i}@example.com"} for i in range(31)]))
    assert "tickets[0].email" in bad_fields(sell(api, event_id, {"email": "nobody"}))


def test_sell_tickets_with_partial_success(api: Api) -> None:
    event_id = live_conference(api)
    two = new_type(api, event_id, quantity=2)
    later = new_type(api, event_id, start_time="2031-01-01T00:00:00Z")
    publish(api, event_id)
    r = sell(api, event_id, {"email": "a@example.com", "ticket_type_id": two, "first_name": "Ana"},
             {"email": "b@example.com", "ticket_type_id": two, "registration_needed": True},
             {"email": "c@example.com", "ticket_type_id": two},
             {"email": "d@example.com", "ticket_type_id": "nosuchtype000000000000"},
             {"email": "e@example.com", "ticket_type_id": later},
             {"email": "f@example.com", "fast_join": True, "registration_needed": True},
             {"email": "g@example.com", "external_ticket_id": "ext-1"})       # the default type
    assert r.status_code == 201, r.text
    body = r.json()
    assert [t["email"] for t in body["tickets"]] == ["a@example.com", "b@example.com", "g@example.com"]
    assert "event_join_link" in body["tickets"][0] and "event_registration_link" in body["tickets"][1]
    assert [(e["email"], e["error_code"]) for e in body["errors"]] == [
        ("c@example.com", "stock_not_exist"), ("d@example.com", "ticket_type_notfound"),
        ("e@example.com", "invalid_sale_time"), ("f@example.com", "fast_join_with_registrationNeeded")]
    sold = {t["ticket_type_id"]: t["sold_quantity"] for t in ticket_types(api, event_id)}
    assert sold[two] == 2 and sold[later] == 0
    expect_error(sell(api, event_id, {"email": "h@example.com", "ticket_type_id": two}), 404, 2007,
                 "Not enough stock or invalid ticket_type_id.")
    ticket = api.get(f"{tickets_path(event_id)}/{body['tickets'][0]['ticket_id']}").json()
    assert (ticket["first_name"], ticket["ticket_role_type"], ticket["ticket_type_id"]) == ("Ana", "normal", two)


def test_list_get_update_delete(api: Api) -> None:
    event_id = live_conference(api)
    vip = new_type(api, event_id)
    publish(api, event_id)
    emails = [f"p{i}@example.com" for i in range(5)]
    assert sell(api, event_id, *[{"email": e} for e in emails], {"email": "V@example.com", "ticket_type_id": vip,
                                                                  "external_ticket_id": "x9"}).status_code == 201
    first = api.get(tickets_path(event_id), params={"page_size": 4}).json()
    assert first["total_records"] == 6 and len(first["tickets"]) == 4
    rest = api.get(tickets_path(event_id), params={"page_size": 4, "next_page_token": first["next_page_token"]}).json()
    assert [t["email"] for t in first["tickets"] + rest["tickets"]] == emails + ["V@example.com"]
    assert rest["next_page_token"] == ""
    by_email = api.get(tickets_path(event_id), params={"email": "v@example.com"}).json()["tickets"]
    assert [t["ticket_type_id"] for t in by_email] == [vip]
    assert api.get(tickets_path(event_id), params={"ticket_type_id": vip}).json()["total_records"] == 1
    assert api.get(tickets_path(event_id), params={"external_ticket_id": "x9"}).json()["tickets"] == by_email
    path = f"{tickets_path(event_id)}/{by_email[0]['ticket_id']}"
    assert api.patch(path, json={"city": "Lyon", "custom_questions": [{"title": "Why", "answer": "Fun"}]}) \
        .status_code == 204
    got = api.get(path).json()
    assert (got["city"], got["custom_questions"]) == ("Lyon", [{"title": "Why", "answer": "Fun"}])
    expect_error(api.patch(path, json={"ticket_id": "another"}), 400, 1063, "Ticket ID can not updated.")
    expect_error(api.delete(f"{types_path(event_id)}/{vip}"), 400, 300)          # it has sold tickets
    assert api.delete(path).status_code == 204
    expect_error(api.get(path), 404, 26503, "Ticket not found.")
    expect_error(api.delete(path), 404, 26503)


def test_validation_levels(api: Api) -> None:
    event_id = live_conference(api)
    publish(api, event_id)
    expect_error(sell(api, event_id, {"email": "a@example.com", "first_name": "A"}, validation_level="standard"),
                 400, 260504, 'Missing required fields - ["last_name"].')
    expect_error(sell(api, event_id, {"email": "a@example.com", "first_name": "A", "last_name": "B", "city": "X"},
                      validation_level="strict"), 400, 260503, 'Nonconfigured fields - ["city"].')
    assert sell(api, event_id, {"email": "a@example.com", "first_name": "A", "last_name": "B"},
                validation_level="strict").status_code == 201
    assert sell(api, event_id, {"email": "b@example.com", "registration_needed": True},
                validation_level="standard").status_code == 201
    assert sell(api, event_id, {"email": "c@example.com"}).status_code == 201          # no level: no field checks


def test_sold_quantity_never_passes_quantity(api: Api) -> None:
    event_id = live_conference(api)
    five = new_type(api, event_id, quantity=5)
    publish(api, event_id)

    def buy(i: int) -> int:
        return sell(api, event_id, {"email": f"c{i}@example.com", "ticket_type_id": five}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(buy, range(24)))
    assert codes.count(201) == 5 and codes.count(404) == 19
    assert next(t for t in ticket_types(api, event_id) if t["ticket_type_id"] == five)["sold_quantity"] == 5


def test_cancelling_an_event_with_registrants_needs_a_message(api: Api) -> None:
    event_id = live_conference(api)
    publish(api, event_id)
    sell(api, event_id, {"email": "a@example.com"})
    assert "cancel_message" in bad_fields(act(api, event_id, operation="cancel"))
    assert act(api, event_id, operation="cancel", cancel_message="Sorry").status_code == 201
    expect_error(sell(api, event_id, {"email": "b@example.com"}), 400, 26501)


def test_a_ticket_holder_sees_the_event_as_attendee(admin: Admin, api: Api) -> None:
    event_id = live_conference(api)
    publish(api, event_id)
    member = admin.member(api, scopes=["zoom_events_basic:read"])
    assert member.get("/zoom_events/events").json()["events"] == []     # attendee is the default role
    email = api.get(f"/users/{member.owner_id}").json()["email"]
    assert sell(api, event_id, {"email": email.upper()}).status_code == 201
    assert [e["event_id"] for e in member.get("/zoom_events/events").json()["events"]] == [event_id]
    assert member.get("/zoom_events/events", params={"role_type": "host"}).json()["events"] == []


def test_tenancy(admin: Admin, api: Api) -> None:
    event_id = live_conference(api)
    type_id = new_type(api, event_id)
    publish(api, event_id)
    ticket = sell(api, event_id, {"email": "a@example.com"}).json()["tickets"][0]["ticket_id"]
    other = admin.tenant()
    for r in (other.get(types_path(event_id)), other.post(types_path(event_id), json={"name": "X", "currency": "USD",
                                                                                       **SALE}),
              other.patch(f"{types_path(event_id)}/{type_id}", json={"name": "X"}),
              other.delete(f"{types_path(event_id)}/{type_id}"), other.get(tickets_path(event_id)),
              sell(other, event_id, {"email": "b@example.com"}), other.get(f"{tickets_path(event_id)}/{ticket}"),
              other.patch(f"{tickets_path(event_id)}/{ticket}", json={"city": "X"}),
              other.delete(f"{tickets_path(event_id)}/{ticket}")):
        expect_error(r, 404, 2002)
    another = live_conference(api)
    expect_error(api.get(f"{tickets_path(another)}/{ticket}"), 404, 26503)
    expect_error(api.patch(f"{types_path(another)}/{type_id}", json={"name": "X"}), 404, 26502)



def test_registrants_are_the_ticket_holders(admin: Admin, api: Api) -> None:
    event_id = live_conference(api)
    vip = new_type(api, event_id)
    publish(api, event_id)
    path = f"/zoom_events/events/{event_id}/registrants"
    assert api.get(path).json() == {"total_records": 0, "next_page_token": "", "registrants": []}
    sell(api, event_id, {"email": "Zed@example.com"}, {"email": "amy@example.com", "registration_needed": True},
         {"email": "zed@example.com", "ticket_type_id": vip}, {"email": "bob@example.com"})
    first = api.get(path, params={"page_size": 2}).json()
    assert first["total_records"] == 3
    assert [(r["email"], r["registration_status"]) for r in first["registrants"]] == [
        ("amy@example.com", "PRE_REGISTER_INVITED"), ("bob@example.com", "PRE_REGISTERED")]
    rest = api.get(path, params={"page_size": 2, "next_page_token": first["next_page_token"]}).json()
    (zed,) = rest["registrants"]
    assert zed["email"] == "zed@example.com" and [t["role"] for t in zed["tickets"]] == ["ATTENDEE", "ATTENDEE"]
    assert rest["next_page_token"] == ""
    expect_error(admin.tenant().get(path), 404, 2002)


def test_ticket_holders_register_for_the_sessions_their_type_admits(admin: Admin, api: Api) -> None:
    event_id = live_conference(api)                                     # one webinar session
    added(api, event_id, type=0, start_time="2031-07-28T16:00:00Z", end_time="2031-07-28T17:00:00Z")  # a workshop
    keynote_only = new_type(api, event_id, sessions=[sessions(api, event_id)[0]["session_id"]])
    publish(api, event_id)
    webinar_id, meeting_id = (s["webinar_id"] or s["meeting_id"] for s in sessions(api, event_id))
    sell(api, event_id, {"email": "ana@example.com", "first_name": "Ana", "last_name": "Lee"},
         {"email": "kim@example.com", "ticket_type_id": keynote_only})
    on_webinar = api.get(f"/webinars/{webinar_id}/registrants").json()["registrants"]
    assert sorted((r["email"], r["status"]) for r in on_webinar) == [("ana@example.com", "approved"),
                                                                      ("kim@example.com", "approved")]
    on_meeting = api.get(f"/meetings/{meeting_id}/registrants").json()["registrants"]
    assert [r["email"] for r in on_meeting] == ["ana@example.com"]
    ana = next(r for r in on_webinar if r["email"] == "ana@example.com")
    late = added(api, event_id, type=0, start_time="2031-07-28T18:00:00Z", end_time="2031-07-28T19:00:00Z")
    assert [r["email"] for r in api.get(f"/meetings/{late['meeting_id']}/registrants").json()["registrants"]] == \
        ["ana@example.com"]                                              # a later session registers holders too
    # the session runs through the admin simulation with the ticket holder joining
    assert admin.http.post(f"/_zoomsim/webinars/{webinar_id}/start").status_code < 300
    joined = admin.http.post(f"/_zoomsim/webinars/{webinar_id}/participants", json={"registrant_id": ana["id"]})
    assert joined.status_code < 300 and joined.json()["name"] == "Ana Lee", joined.text
    assert admin.http.post(f"/_zoomsim/webinars/{webinar_id}/end").status_code < 300
    kim = api.get(f"{tickets_path(event_id)}", params={"email": "kim@example.com"}).json()["tickets"][0]
    assert api.delete(f"{tickets_path(event_id)}/{kim['ticket_id']}").status_code == 204
    assert [r["email"] for r in api.get(f"/webinars/{webinar_id}/registrants").json()["registrants"]] == \
        ["ana@example.com"]                                              # no ticket, no registration
