"""Zoom Events registration questions of an event over HTTP: the standing fields before any
change, PUT replacing each list it gives, question ids kept when named, the checks on fields and
custom questions (types, options, lengths), tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_events import made


def path(event_id: str) -> str:
    return f"/zoom_events/events/{event_id}/questions"


def current(api: Api, event_id: str) -> dict[str, Any]:
    r = api.get(path(event_id))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def put(api: Api, event_id: str, **body: Any) -> None:
    r = api.put(path(event_id), json=body)
    assert r.status_code == 204, r.text
    assert r.content == b""


def test_an_event_starts_with_first_and_last_name(api: Api) -> None:
    event_id = made(api)["event_id"]
    body = current(api, event_id)
    assert [(q["field_name"], q["title"], q["required"]) for q in body["questions"]] == \
        [("first_name", "First Name", True), ("last_name", "Last Name", True)]
    assert body["custom_questions"] == []
    assert current(api, event_id) == body                      # the same ids every time
    other = current(api, made(api)["event_id"])
    assert other["questions"][0]["question_id"] != body["questions"][0]["question_id"]


def test_put_replaces_the_lists_it_gives(api: Api) -> None:
    event_id = made(api)["event_id"]
    first = current(api, event_id)["questions"][0]
    put(api, event_id, questions=[{"field_name": "first_name", "required": True, "question_id": first["question_id"]},
                                  {"field_name": "city", "required": False, "title": "Where from?"}])
    body = current(api, event_id)
    assert body["questions"][0] == first                       # named: keeps its id
    assert (body["questions"][1]["field_name"], body["questions"][1]["title"], body["questions"][1]["required"]) == \
        ("city", "Where from?", False)
    put(api, event_id, custom_questions=[
        {"title": "Why come?", "type": "long_answer", "required": True},
        {"title": "Track", "type": "single_dropdown", "options": ["Dev", "Ops"]},
        {"title": "Nickname", "type": "short_answer", "min_length": 2, "max_length": 20}])
    after = current(api, event_id)
    assert after["questions"] == body["questions"]             # not given: unchanged
    why, track, nick = after["custom_questions"]
    assert (why["type"], why["required"], why["min_length"], why["max_length"]) == ("long_answer", True, 1, 2000)
    assert track["options"] == ["Dev", "Ops"] and "min_length" not in track
    assert (nick["min_length"], nick["max_length"], nick["required"]) == (2, 20, False)
    assert len({why["question_id"], track["question_id"], nick["question_id"]}) == 3
    put(api, event_id, custom_questions=[])
    assert current(api, event_id)["custom_questions"] == []


def test_question_checks(api: Api) -> None:
    event_id = made(api)["event_id"]
    before = current(api, event_id)

    def refused(**body: Any) -> set[str]:
        return bad_fields(api.put(path(event_id), json=body))

    assert "questions[0].field_name" in refused(questions=[{"field_name": "email"}])
    assert refused(questions=[{"field_name": "city"}, {"field_name": "city"}]) == {"questions[1].field_name"}
    assert refused(custom_questions=[{"type": "short_answer"}]) == {"custom_questions[0].title"}
    assert refused(custom_questions=[{"title": "A", "type": "short_answer", "options": ["x"]}]) == \
        {"custom_questions[0].options"}
    assert refused(custom_questions=[{"title": "A", "type": "single_radio"}]) == {"custom_questions[0].options"}
    assert refused(custom_questions=[{"title": "A", "type": "multiple_choice", "options": ["x", "x"]}]) == \
        {"custom_questions[0].options"}
    assert refused(custom_questions=[{"title": "A", "type": "short_answer", "max_length": 501}]) == \
        {"custom_questions[0].max_length"}
    assert refused(custom_questions=[{"title": "A", "type": "long_answer", "min_length": 10, "max_length": 5}]) == \
        {"custom_questions[0].max_length"}
    assert refused(custom_questions=[{"title": "A", "type": "short_answer", "required": True, "min_length": 0}]) == \
        {"custom_questions[0].min_length"}
    assert refused(custom_questions=[{"title": "A", "type": "essay"}]) == {"custom_questions[0].type"}
    assert refused(questions=[{"field_name": "city"}],                       # nothing half-written
                   custom_questions=[{"title": "A", "type": "essay"}]) == {"custom_questions[0].type"}
    assert current(api, event_id) == before


def test_another_accounts_event_is_not_found(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    other = admin.tenant()
    expect_error(other.get(path(event_id)), 404, 2002, "Event not found.")
    expect_error(other.put(path(event_id), json={"custom_questions": []}), 404, 2002, "Event not found.")
    member = admin.member(api, scopes=["zoom_events_ticket_types:read", "zoom_events_ticket_types:write"])
    expect_error(member.get(path(event_id)), 403, 260200, "Event access denied.")
    expect_error(member.put(path(event_id), json={"custom_questions": []}), 403, 260200, "Event access denied.")
