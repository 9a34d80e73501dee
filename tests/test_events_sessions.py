"""Zoom Events sessions over HTTP: a conference's sessions (create, list, get, update, delete),
the single session of a simple event, overlap, types, published sessions backed by meetings and
webinars, errors and tenancy (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_actions import SESSION, sessions
from test_events_events import act, fetched, made


def conference(api: Api) -> str:
    return made(api, event_type="CONFERENCE", meeting_type=None)["event_id"]  # type: ignore[no-any-return]


def add(api: Api, event_id: str, **over: Any) -> Any:
    return api.post(f"/zoom_events/events/{event_id}/sessions", json={**SESSION, **over})


def added(api: Api, event_id: str, **over: Any) -> dict[str, Any]:
    r = add(api, event_id, **over)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_create_get_list_a_conference_session(api: Api) -> None:
    event_id = conference(api)
    body = added(api, event_id, description="Opening", track_labels=["Main"], panelist=["Pan@Example.com"],
                 featured=True, session_reservation={"allow_reservations": True, "max_capacity": 20})
    assert len(body["session_id"]) == 22
    assert (body["type"], body["featured"], body["visible_in_lobby"], body["panelist"]) == \
        (2, True, True, ["pan@example.com"])
    assert body["session_reservation"] == {"allow_reservations": True, "max_capacity": 20}
    assert body["meeting_id"] is None and body["webinar_id"] is None
    got = api.get(f"/zoom_events/events/{event_id}/sessions/{body['session_id']}").json()
    assert got == body
    assert sessions(api, event_id) == [body]


def test_session_field_rules(api: Api) -> None:
    event_id = conference(api)
    assert bad_fields(api.post(f"/zoom_events/events/{event_id}/sessions", json={})) == \
        {"name", "start_time", "end_time", "timezone", "type"}
    assert "type" in bad_fields(add(api, event_id, type=1))
    assert "end_time" in bad_fields(add(api, event_id, end_time=SESSION["start_time"]))
    assert "timezone" in bad_fields(add(api, event_id, timezone="Nowhere"))
    assert "panelist" in bad_fields(add(api, event_id, panelist=["not-an-address"]))
    assert "is_simulive" in bad_fields(add(api, event_id, type=0, is_simulive=True))


def test_meeting_and_webinar_sessions_may_not_overlap(api: Api) -> None:
    event_id = conference(api)
    added(api, event_id)
    overlap = "The time range is overlapping or you have reached the maximum number of sessions on the same day."
    expect_error(add(api, event_id, type=0, start_time="2031-07-28T13:30:00Z", end_time="2031-07-28T14:30:00Z"),
                 400, 26302, overlap)
    assert add(api, event_id, type=4).status_code == 201               # neither: may overlap
    later = added(api, event_id, type=0, start_time="2031-07-28T14:00:00Z", end_time="2031-07-28T15:00:00Z")
    r = api.patch(f"/zoom_events/events/{event_id}/sessions/{later['session_id']}",
                  json={"start_time": "2031-07-28T13:59:00Z"})
    expect_error(r, 400, 26302)


def test_a_simple_event_has_exactly_its_one_session(api: Api) -> None:
    event = made(api, meeting_type="WEBINAR")
    (session,) = sessions(api, event["event_id"])
    assert (session["name"], session["type"], session["start_time"]) == ("Launch", 2, "2031-07-28T13:00:00Z")
    assert "session_reservation" not in session
    message = "Operation is not supported for this event type."
    expect_error(add(api, event["event_id"]), 400, 1006, message)
    expect_error(api.delete(f"/zoom_events/events/{event['event_id']}/sessions/{session['session_id']}"),
                 400, 1006, message)
    path = f"/zoom_events/events/{event['event_id']}/sessions/{session['session_id']}"
    assert "type" in bad_fields(api.patch(path, json={"type": 4}))
    assert "session_reservation" in bad_fields(api.patch(path, json={"session_reservation": {"max_capacity": 3}}))
    r = api.patch(path, json={"type": 0, "end_time": "2031-07-28T16:00:00Z"})
    assert r.status_code == 204, r.text
    got = fetched(api, event["event_id"])
    assert (got["meeting_type"], got["end_time"]) == ("MEETING", "2031-07-28T16:00:00Z")


def test_update_and_delete(api: Api) -> None:
    event_id = conference(api)
    body = added(api, event_id)
    path = f"/zoom_events/events/{event_id}/sessions/{body['session_id']}"
    assert api.patch(path, json={"name": "Closing", "level": ["L1"], "visible_in_lobby": False}).status_code == 204
    got = api.get(path).json()
    assert (got["name"], got["level"], got["visible_in_lobby"], got["start_time"]) == \
        ("Closing", ["L1"], False, SESSION["start_time"])
    assert api.delete(path).status_code == 204
    expect_error(api.get(path), 404, 2003)
    expect_error(api.delete(path), 404, 2003, "Session not found.")
    expect_error(api.patch(path, json={"name": "x"}), 404, 2003)


def test_published_sessions_follow_their_meetings(api: Api) -> None:
    event_id = conference(api)
    first = added(api, event_id)
    act(api, event_id, operation="publish")
    webinar_id = sessions(api, event_id)[0]["webinar_id"]
    path = f"/zoom_events/events/{event_id}/sessions/{first['session_id']}"
    api.patch(path, json={"name": "Moved", "start_time": "2031-07-28T12:00:00Z"})
    webinar = api.get(f"/webinars/{webinar_id}").json()
    assert (webinar["topic"], webinar["start_time"], webinar["duration"]) == ("Moved", "2031-07-28T12:00:00Z", 120)
    api.patch(path, json={"type": 0})                       # webinar -> meeting: a new meeting replaces it
    now = api.get(path).json()
    assert now["webinar_id"] is None and now["meeting_id"]
    expect_error(api.get(f"/webinars/{webinar_id}"), 404, 3001)
    late = added(api, event_id, type=0, start_time="2031-07-28T16:00:00Z", end_time="2031-07-28T17:00:00Z")
    assert late["meeting_id"] and api.get(f"/meetings/{late['meeting_id']}").status_code == 200
    api.delete(f"/zoom_events/events/{event_id}/sessions/{late['session_id']}")
    expect_error(api.get(f"/meetings/{late['meeting_id']}"), 404, 3001)


def test_sessions_of_a_cancelled_event_are_not_editable(api: Api) -> None:
    event_id = conference(api)
    body = added(api, event_id)
    act(api, event_id, operation="publish")
    act(api, event_id, operation="cancel")
    path = f"/zoom_events/events/{event_id}/sessions/{body['session_id']}"
    expect_error(api.patch(path, json={"name": "x"}), 403, 260210, "Past and cancelled events are not editable.")
    expect_error(add(api, event_id, type=4), 403, 260210)


def test_tenancy_and_access(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    body = added(api, event_id)
    path = f"/zoom_events/events/{event_id}/sessions"
    other = admin.tenant()
    for r in (other.get(path), other.post(path, json=SESSION), other.get(f"{path}/{body['session_id']}"),
              other.patch(f"{path}/{body['session_id']}", json={"name": "x"}),
              other.delete(f"{path}/{body['session_id']}")):
        expect_error(r, 404, 2002)
    member = admin.member(api, scopes=["zoom_events_sessions:read", "zoom_events_sessions:write"])
    expect_error(member.get(path), 403, 260200, "Event access denied.")
    expect_error(member.post(path, json=SESSION), 403, 260200)
    other_event = conference(api)
    expect_error(api.get(f"/zoom_events/events/{other_event}/sessions/{body['session_id']}"), 404, 2003)


def test_session_speakers(api: Api) -> None:
    event_id = conference(api)
    r = api.post(f"/zoom_events/events/{event_id}/speakers",
                 json={"name": "Ana", "email": "ana@example.com", "job_title": "CTO", "company_name": "Acme"})
    assert r.status_code == 201, r.text
    speaker_id = r.json()["speaker_id"]
    body = added(api, event_id, session_speakers=[{"speaker_id": speaker_id, "access_to_edit_session": True}])
    (shown,) = body["session_speakers"]
    assert shown == {"speaker_id": speaker_id, "access_to_edit_session": True, "show_in_session_detail": True,
                     "has_alternative_host_permission": False, "name": "Ana", "company": "Acme", "title": "CTO",
                     "meeting_role": 2}
    assert "session_speakers" in bad_fields(add(api, event_id, type=4,
                                                session_speakers=[{"speaker_id": "nosuchspeaker000000000"}]))
    expect_error(add(api, event_id, type=4, panelist=["ana@example.com"],
                     session_speakers=[{"speaker_id": speaker_id}]), 400, 1005)
    api.delete(f"/zoom_events/events/{event_id}/speakers/{speaker_id}")
    assert sessions(api, event_id)[0]["session_speakers"] == []


def test_deleting_a_draft_takes_its_parts(api: Api) -> None:
    event_id = conference(api)
    assert api.post(f"/zoom_events/events/{event_id}/speakers", json={"name": "Ana"}).status_code == 201
    assert api.delete(f"/zoom_events/events/{event_id}").status_code == 204
    expect_error(api.get(f"/zoom_events/events/{event_id}/speakers"), 404, 2002)
