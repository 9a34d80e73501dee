"""Zoom Events session livestream configuration and join tokens over HTTP: incoming RTMP only
for webinar sessions (26303/26304/26305), one generated key per session; join tokens for the
host and ticket holders with Zoom's in-body codes (1120, 1130); tenancy (both backends)."""
from __future__ import annotations

from support import Admin, Api, expect_error
from test_events_actions import sessions
from test_events_events import act, made
from test_events_sessions import added, conference


def live_path(event_id: str, session_id: str) -> str:
    return f"/zoom_events/events/{event_id}/sessions/{session_id}/livestream"


def test_incoming_livestream_for_a_webinar_session(api: Api) -> None:
    event_id = conference(api)
    session = added(api, event_id)
    path = live_path(event_id, session["session_id"])
    assert api.get(path).json() == {"incoming_enabled": False}
    r = api.patch(path, json={"incoming_enabled": True, "incoming_config": {"stream_key_type": "GENERATED"}})
    assert r.status_code == 204, r.text
    got = api.get(path).json()
    config = got["incoming_config"]
    assert got["incoming_enabled"] is True and config["stream_key_type"] == "GENERATED"
    assert config["stream_url"].startswith("rtmp://") and config["stream_key"]
    assert (config["effective_time"], config["expiration_time"]) == ("2031-07-28T12:00:00Z", "2031-07-28T15:00:00Z")
    assert api.patch(path, json={"incoming_enabled": False}).status_code == 204
    assert api.get(path).json() == {"incoming_enabled": False}
    api.patch(path, json={"incoming_enabled": True, "incoming_config": {"stream_key_type": "GENERATED"}})
    assert api.get(path).json()["incoming_config"]["stream_key"] == config["stream_key"]     # the same key again
    assert "incoming_livestream" not in sessions(api, event_id)[0]


def test_livestream_errors(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    meeting = added(api, event_id, type=0)
    webinar = added(api, event_id, start_time="2031-07-28T15:00:00Z", end_time="2031-07-28T16:00:00Z")
    on = {"incoming_enabled": True, "incoming_config": {"stream_key_type": "GENERATED"}}
    expect_error(api.patch(live_path(event_id, meeting["session_id"]), json=on), 400, 26303,
                 "Incoming livestream is supported only for webinar meeting_type sessions.")
    expect_error(api.patch(live_path(event_id, webinar["session_id"]), json={"incoming_enabled": True}), 400, 26304,
                 "Incoming livestream configuration is missing.")
    expect_error(api.patch(live_path(event_id, webinar["session_id"]), json={"incoming_enabled": True,
                                                                             "incoming_config": {}}), 400, 26305)
    expect_error(api.get(live_path(event_id, "nosuchsession000000000")), 404, 2003, "Session not found.")
    other = admin.tenant()
    expect_error(other.get(live_path(event_id, webinar["session_id"])), 404, 2002)
    expect_error(other.patch(live_path(event_id, webinar["session_id"]), json=on), 404, 2002)


def test_join_tokens(admin: Admin, api: Api) -> None:
    event = made(api)
    (session,) = sessions(api, event["event_id"])
    path = f"/zoom_events/events/{event['event_id']}/sessions/{session['session_id']}/join_token"
    assert api.get(path).json() == {"code": 1120, "error_message": "BAD_REQUEST", "join_token": ""}   # a draft
    act(api, event["event_id"], operation="publish")
    mine = api.get(path).json()
    assert mine["code"] == 0 and mine["error_message"] == "success" and len(mine["join_token"]) == 58
    assert api.get(path).json() == mine
    member = admin.member(api, scopes=["zoom_events_sessions:read"])
    assert member.get(path).json()["code"] == 1130
    email = api.get(f"/users/{member.owner_id}").json()["email"]
    r = api.post(f"/zoom_events/events/{event['event_id']}/tickets", json={"tickets": [{"email": email}]})
    assert r.status_code == 201, r.text
    theirs = member.get(path).json()
    assert theirs["code"] == 0 and theirs["join_token"] != mine["join_token"]
    expect_error(admin.tenant().get(path), 404, 2002)
