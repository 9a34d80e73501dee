"""Zoom Events session interpreters over HTTP: a PUT replaces the list (language pairs and sign
languages with their display names), the session shows the languages its interpreters offer,
field rules, tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_sessions import added, conference

SPOKEN = {"email": "Ana@Example.com", "type": 1, "source_language_id": "US", "target_language_id": "JP"}
SIGNED = {"email": "bo@example.com", "type": 2, "target_language_id": "ASE"}


def path(event_id: str, session_id: str) -> str:
    return f"/zoom_events/events/{event_id}/sessions/{session_id}/interpreters"


def put(api: Api, event_id: str, session_id: str, *given: dict[str, Any]) -> Any:
    return api.put(path(event_id, session_id), json={"interpreters": list(given)})


def test_put_replaces_the_list(api: Api) -> None:
    event_id = conference(api)
    sid = added(api, event_id)["session_id"]
    assert api.get(path(event_id, sid)).json() == {"total_records": 0, "interpreters": []}
    assert put(api, event_id, sid, SPOKEN, SIGNED, {**SPOKEN, "email": "cy@example.com",
                                                    "source_language_id": "JP", "target_language_id": "FR"}
               ).status_code == 204
    body = api.get(path(event_id, sid)).json()
    assert body["total_records"] == 3
    assert body["interpreters"][:2] == [
        {"email": "ana@example.com", "type": 1, "source_language_id": "US", "source_language_display_name": "English",
         "target_language_id": "JP", "target_language_display_name": "Japanese"},
        {"email": "bo@example.com", "type": 2, "target_language_id": "ASE",
         "target_language_display_name": "American Sign Language"}]
    session = api.get(f"/zoom_events/events/{event_id}/sessions/{sid}").json()
    assert [x["language_id"] for x in session["interpreter_languages"]] == ["US", "JP", "FR"]
    assert session["sign_interpreter_languages"] == [{"language_id": "ASE",
                                                      "language_display_name": "American Sign Language"}]
    assert put(api, event_id, sid, SIGNED).status_code == 204
    assert [i["email"] for i in api.get(path(event_id, sid)).json()["interpreters"]] == ["bo@example.com"]
    assert api.get(f"/zoom_events/events/{event_id}/sessions/{sid}").json()["interpreter_languages"] == []
    assert put(api, event_id, sid).status_code == 204
    assert api.get(path(event_id, sid)).json()["total_records"] == 0


def test_field_rules(api: Api) -> None:
    event_id = conference(api)
    sid = added(api, event_id)["session_id"]
    assert bad_fields(put(api, event_id, sid, {**SPOKEN, "email": "nobody"})) == {"interpreters[0].email"}
    assert bad_fields(put(api, event_id, sid, {**SPOKEN, "target_language_id": "US"})) == \
        {"interpreters[0].target_language_id"}
    assert bad_fields(put(api, event_id, sid, {**SPOKEN, "source_language_id": None})) == \
        {"interpreters[0].source_language_id"}
    assert bad_fields(put(api, event_id, sid, {**SIGNED, "target_language_id": "JP"})) == \
        {"interpreters[0].target_language_id"}
    assert bad_fields(put(api, event_id, sid, {"email": "x@example.com"})) == {"interpreters[0].type"}
    assert bad_fields(put(api, event_id, sid, SPOKEN, {**SPOKEN, "target_language_id": "DE"})) == \
        {"interpreters[1].email"}
    assert "interpreters[0].type" in bad_fields(put(api, event_id, sid, {**SPOKEN, "type": 3}))
    assert api.get(path(event_id, sid)).json()["total_records"] == 0


def test_tenancy_and_access(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    sid = added(api, event_id)["session_id"]
    expect_error(api.get(path(event_id, "nosuchsession000000000")), 404, 2003, "Session not found.")
    expect_error(put(api, event_id, "nosuchsession000000000", SPOKEN), 404, 2003)
    other = admin.tenant()
    expect_error(other.get(path(event_id, sid)), 404, 2002, "Event not found.")
    expect_error(put(other, event_id, sid, SPOKEN), 404, 2002)
    member = admin.member(api, scopes=["zoom_events_sessions:read", "zoom_events_sessions:write"])
    expect_error(member.get(path(event_id, sid)), 403, 260200, "Event access denied.")
    expect_error(put(member, event_id, sid, SPOKEN), 403, 260200, "Event access denied.")
