"""Zoom Events event_actions over HTTP: publish (sessions get real meetings and webinars),
cancel (their meetings go), duplicate (a new draft answering its id); errors (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_events import act, fetched, made

SESSION = {"name": "Keynote", "start_time": "2031-07-28T13:00:00Z", "end_time": "2031-07-28T14:00:00Z",
           "timezone": "UTC", "type": 2}


def sessions(api: Api, event_id: str) -> list[dict[str, Any]]:
    r = api.get(f"/zoom_events/events/{event_id}/sessions")
    assert r.status_code == 200, r.text
    return r.json()["sessions"]  # type: ignore[no-any-return]


def test_publishing_a_simple_event_makes_its_meeting(api: Api) -> None:
    event = made(api)
    (draft_session,) = sessions(api, event["event_id"])
    assert draft_session["meeting_id"] is None and draft_session["webinar_id"] is None
    r = act(api, event["event_id"], operation="publish")
    assert r.status_code == 201, r.text
    assert r.json() == {"status": "published", "event_id": event["event_id"]}
    assert fetched(api, event["event_id"])["status"] == "PUBLISHED"
    (session,) = sessions(api, event["event_id"])
    meeting = api.get(f"/meetings/{session['meeting_id']}").json()
    assert (meeting["topic"], meeting["type"], meeting["start_time"], meeting["duration"]) == \
        ("Launch", 2, "2031-07-28T13:00:00Z", 120)
    assert meeting["host_id"] == api.owner_id
    expect_error(act(api, event["event_id"], operation="publish"), 400, 300, "Event is already published.")


def test_a_published_simple_events_meeting_moves_with_it(api: Api) -> None:
    event = made(api)
    act(api, event["event_id"], operation="publish")
    cal = [{"start_time": "2031-09-01T10:00:00Z", "end_time": "2031-09-01T10:45:00Z"}]
    r = api.patch(f"/zoom_events/events/{event['event_id']}", json={"name": "Moved", "calendar": cal})
    assert r.status_code == 204, r.text
    (session,) = sessions(api, event["event_id"])
    meeting = api.get(f"/meetings/{session['meeting_id']}").json()
    assert (meeting["topic"], meeting["start_time"], meeting["duration"]) == ("Moved", "2031-09-01T10:00:00Z", 45)


def test_a_conference_publishes_a_webinar_and_a_meeting(api: Api) -> None:
    event = made(api, event_type="CONFERENCE", meeting_type=None)
    expect_error(act(api, event["event_id"], operation="publish"), 400, 300)      # no sessions yet
    path = f"/zoom_events/events/{event['event_id']}/sessions"
    assert api.post(path, json=SESSION).status_code == 201
    assert api.post(path, json={**SESSION, "name": "Workshop", "type": 0, "start_time": "2031-07-28T14:00:00Z",
                                "end_time": "2031-07-28T15:30:00Z"}).status_code == 201
    assert api.post(path, json={**SESSION, "name": "Expo", "type": 4}).status_code == 201
    act(api, event["event_id"], operation="publish")
    webinar, meeting, expo = sessions(api, event["event_id"])
    assert webinar["meeting_id"] is None and webinar["webinar_id"]
    assert api.get(f"/webinars/{webinar['webinar_id']}").json()["topic"] == "Keynote"
    assert api.get(f"/meetings/{meeting['meeting_id']}").json()["duration"] == 90
    assert expo["meeting_id"] is None and expo["webinar_id"] is None


def test_a_recurring_event_publishes_a_recurring_webinar(api: Api) -> None:
    rule = {"type": 1, "repeat_interval": 1, "end_times": 3}
    event = made(api, event_type="RECURRING", meeting_type="WEBINAR", recurrence=rule,
                 calendar=[{"start_time": "2031-07-28T13:00:00Z", "end_time": "2031-07-28T14:00:00Z"}])
    act(api, event["event_id"], operation="publish")
    (session,) = sessions(api, event["event_id"])
    webinar = api.get(f"/webinars/{session['webinar_id']}").json()
    assert webinar["type"] == 9 and len(webinar["occurrences"]) == 3


def test_cancel_deletes_the_meetings(api: Api) -> None:
    event = made(api)
    expect_error(act(api, event["event_id"], operation="cancel"), 400, 300)      # a draft is deleted, not cancelled
    act(api, event["event_id"], operation="publish")
    (session,) = sessions(api, event["event_id"])
    r = act(api, event["event_id"], operation="cancel", cancel_message="Sorry")
    assert r.status_code == 201 and r.json()["status"] == "cancelled"
    assert fetched(api, event["event_id"])["status"] == "CANCELLED"
    expect_error(api.get(f"/meetings/{session['meeting_id']}"), 404, 3001)
    expect_error(act(api, event["event_id"], operation="publish"), 400, 300)


def test_duplicate_makes_a_new_draft(api: Api) -> None:
    event = made(api, event_type="CONFERENCE", meeting_type=None)
    api.post(f"/zoom_events/events/{event['event_id']}/sessions", json=SESSION)
    act(api, event["event_id"], operation="publish")
    r = act(api, event["event_id"], operation="duplicate",
            duplicate_event={"name": "Launch again", "start_time": "2032-01-10T13:00:00Z", "timezone": "Europe/Paris"})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "duplicated"
    copy_id = r.json()["event_id"]
    assert copy_id != event["event_id"]
    copy = fetched(api, copy_id)
    assert (copy["name"], copy["status"], copy["timezone"], copy["start_time"], copy["end_time"]) == \
        ("Launch again", "DRAFT", "Europe/Paris", "2032-01-10T13:00:00Z", "2032-01-10T15:00:00Z")
    (session,) = sessions(api, copy_id)
    assert (session["name"], session["start_time"], session["meeting_id"], session["webinar_id"]) == \
        ("Keynote", "2032-01-10T13:00:00Z", None, None)
    assert session["session_id"] != sessions(api, event["event_id"])[0]["session_id"]
    (general,) = api.get(f"/zoom_events/events/{copy_id}/ticket_types").json()["ticket_types"]
    assert (general["name"], general["sold_quantity"], general["end_time"]) == \
        ("General Admission", 0, "2032-01-10T15:00:00Z")


def test_duplicate_errors(api: Api) -> None:
    event = made(api)

    def dup(**given: Any) -> Any:
        return act(api, event["event_id"], operation="duplicate", duplicate_event=given)

    expect_error(dup(start_time="2032-01-10T13:00:00Z"), 400, 1002, "Invalid duplicated event name.")
    expect_error(dup(name="X", start_time="later"), 400, 1002, "Invalid duplicated event start time.")
    expect_error(dup(name="X", start_time="2001-01-10T13:00:00Z"), 400, 1002, "Invalid duplicated event start time.")
    expect_error(dup(name="X", start_time="2032-01-10T13:00:00Z", timezone="Nowhere"), 400, 1003,
                 "Invalid duplicate event timezone.")


def test_unknown_operation(api: Api) -> None:
    event = made(api)
    assert "operation" in bad_fields(act(api, event["event_id"], operation="archive"))
    assert "operation" in bad_fields(act(api, event["event_id"]))


def test_actions_on_another_hosts_event(admin: Admin, api: Api) -> None:
    event = made(api)
    member = admin.member(api, scopes=["zoom_events_basic:write"])
    expect_error(act(member, event["event_id"], operation="publish"), 403, 260200)
