"""Zoom Events registration questions of a ticket type over HTTP: a type asks the event's
questions until it is given its own, a PUT replaces each list it gives (the event-level rules),
other types and the event keep theirs, not on single-session events (1006), 26502 for a type
that is not the event's, tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_events import made
from test_events_questions import current as event_questions
from test_events_questions import put as put_event
from test_events_sessions import added, conference
from test_events_tickets import new_type, publish, sell, ticket_types


def path(event_id: str, type_id: str) -> str:
    return f"/zoom_events/events/{event_id}/ticket_types/{type_id}/questions"


def current(api: Api, event_id: str, type_id: str) -> dict[str, Any]:
    r = api.get(path(event_id, type_id))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def put(api: Api, event_id: str, type_id: str, **body: Any) -> Any:
    return api.put(path(event_id, type_id), json=body)


def test_a_type_asks_the_events_questions_until_it_has_its_own(api: Api) -> None:
    event_id = conference(api)
    vip, floor = new_type(api, event_id), new_type(api, event_id, name="Floor")
    assert current(api, event_id, vip) == event_questions(api, event_id)
    put_event(api, event_id, custom_questions=[{"title": "Diet?", "type": "short_answer"}])
    assert current(api, event_id, vip) == event_questions(api, event_id)      # follows the event's
    r = put(api, event_id, vip, custom_questions=[{"title": "Company?", "type": "short_answer", "required": True},
                                                  {"title": "Size", "type": "single_radio", "options": ["S", "L"]}])
    assert r.status_code == 204 and r.content == b""
    own = current(api, event_id, vip)
    assert own["questions"] == event_questions(api, event_id)["questions"]    # not given: the event's, kept
    assert [(q["title"], q["type"], q["required"]) for q in own["custom_questions"]] == \
        [("Company?", "short_answer", True), ("Size", "single_radio", False)]
    assert own["custom_questions"][0]["min_length"] == 1
    assert put(api, event_id, vip, questions=[{"field_name": "city", "required": True}]).status_code == 204
    after = current(api, event_id, vip)
    assert [q["field_name"] for q in after["questions"]] == ["city"]
    assert after["custom_questions"] == own["custom_questions"]
    # the event and the other type are untouched
    assert [q["title"] for q in event_questions(api, event_id)["custom_questions"]] == ["Diet?"]
    assert current(api, event_id, floor) == event_questions(api, event_id)


def test_the_event_level_rules(api: Api) -> None:
    event_id = conference(api)
    vip = new_type(api, event_id)
    assert bad_fields(put(api, event_id, vip, questions=[{"field_name": "city"}, {"field_name": "city"}])) == \
        {"questions[1].field_name"}
    assert bad_fields(put(api, event_id, vip, custom_questions=[{"title": "Why?", "type": "single_radio"}])) == \
        {"custom_questions[0].options"}
    assert bad_fields(put(api, event_id, vip, custom_questions=[
        {"title": "Why?", "type": "short_answer", "max_length": 501}])) == {"custom_questions[0].max_length"}
    assert current(api, event_id, vip) == event_questions(api, event_id)


def test_not_on_a_single_session_event(api: Api) -> None:
    event_id = made(api)["event_id"]
    (default,) = ticket_types(api, event_id)
    assert current(api, event_id, default["ticket_type_id"]) == event_questions(api, event_id)
    expect_error(put(api, event_id, default["ticket_type_id"], questions=[]), 400, 1006)


def test_another_events_type_and_tenancy(admin: Admin, api: Api) -> None:
    event_id, elsewhere = conference(api), conference(api)
    theirs = new_type(api, elsewhere)
    expect_error(api.get(path(event_id, theirs)), 404, 26502, "The ticket type ID is invalid.")
    expect_error(put(api, event_id, "nosuchtype000000000000", questions=[]), 404, 26502)
    other = admin.tenant()
    expect_error(other.get(path(elsewhere, theirs)), 404, 2002, "Event not found.")
    expect_error(put(other, elsewhere, theirs, questions=[]), 404, 2002)
    member = admin.member(api, scopes=["zoom_events_ticket_types:read", "zoom_events_ticket_types:write"])
    expect_error(member.get(path(elsewhere, theirs)), 403, 260200, "Event access denied.")
    expect_error(put(member, elsewhere, theirs, questions=[]), 403, 260200, "Event access denied.")


def test_tickets_are_judged_by_their_types_questions(api: Api) -> None:
    """A sale is checked against the questions of the ticket's own type, once it has its own."""
    event_id = conference(api)
    added(api, event_id)
    vip, floor = new_type(api, event_id), new_type(api, event_id, name="Floor")
    assert put(api, event_id, vip, custom_questions=[
        {"title": "Company?", "type": "short_answer", "required": True}]).status_code == 204
    publish(api, event_id)
    buyer = {"first_name": "A", "last_name": "B"}
    expect_error(sell(api, event_id, {"email": "a@example.com", "ticket_type_id": vip, **buyer},
                      validation_level="standard"), 400, 260504, 'Missing required fields - ["Company?"].')
    assert sell(api, event_id, {"email": "a@example.com", "ticket_type_id": floor, **buyer},
                validation_level="standard").status_code == 201          # the event's questions: names only
    r = sell(api, event_id, {"email": "b@example.com", "ticket_type_id": vip, **buyer,
                             "custom_questions": [{"title": "Company?", "answer": "Acme"}]},
             validation_level="standard")
    assert r.status_code == 201, r.text
