"""Zoom Events session polls over HTTP: a PUT replaces the set (ids kept when named, the meeting's
question rules), Events prompts and active/inactive against the meeting's shapes, a published
session's polls are its meeting's (the Meetings API shows them, a simulated vote lands on them),
tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_events import act
from test_events_sessions import added, conference

POLL = {"title": "Mood", "anonymous": False, "poll_type": 1,
        "questions": [{"name": "How is it?", "type": "single", "answers": ["Good", "Bad"]}]}
MATCHING = {"title": "Capitals", "anonymous": True, "poll_type": 2, "status": "inactive",
            "questions": [{"name": "Match them", "type": "matching", "answers": ["Paris", "Rome"],
                           "prompts": ["France", "Italy"], "prompt_right_answers": ["Paris", "Rome"]}]}


def path(event_id: str, session_id: str) -> str:
    return f"/zoom_events/events/{event_id}/sessions/{session_id}/polls"


def polls(api: Api, event_id: str, session_id: str) -> list[dict[str, Any]]:
    r = api.get(path(event_id, session_id))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["polls"])
    return body["polls"]  # type: ignore[no-any-return]


def put(api: Api, event_id: str, session_id: str, *given: dict[str, Any]) -> None:
    r = api.put(path(event_id, session_id), json={"polls": list(given)})
    assert r.status_code == 204, r.text


def test_put_replaces_the_set(api: Api) -> None:
    event_id = conference(api)
    sid = added(api, event_id)["session_id"]
    assert polls(api, event_id, sid) == []
    put(api, event_id, sid, POLL, MATCHING)
    mood, capitals = polls(api, event_id, sid)
    assert len(mood["id"]) == 22 and mood["status"] == "active"
    assert mood["questions"] == [{"name": "How is it?", "type": "single", "answers": ["Good", "Bad"],
                                  "answer_required": True, "show_as_dropdown": False}]
    assert (capitals["status"], capitals["anonymous"], capitals["poll_type"]) == ("inactive", True, 2)
    assert capitals["questions"][0]["prompts"] == ["France", "Italy"]
    assert capitals["questions"][0]["prompt_right_answers"] == ["Paris", "Rome"]
    # naming a poll keeps it (and switches it on again); leaving one out deletes it
    put(api, event_id, sid, {**MATCHING, "id": capitals["id"], "status": "active", "title": "Capitals 2"})
    (kept,) = polls(api, event_id, sid)
    assert (kept["id"], kept["title"], kept["status"]) == (capitals["id"], "Capitals 2", "active")
    put(api, event_id, sid, {**POLL, "id": "not-one-of-its-polls00"})
    (fresh,) = polls(api, event_id, sid)
    assert fresh["id"] not in (capitals["id"], "not-one-of-its-polls00")
    put(api, event_id, sid)
    assert polls(api, event_id, sid) == []


def test_the_meetings_question_rules(api: Api) -> None:
    event_id = conference(api)
    sid = added(api, event_id)["session_id"]

    def refused(*given: dict[str, Any]) -> set[str]:
        return bad_fields(api.put(path(event_id, sid), json={"polls": list(given)}))

    assert refused({**POLL, "title": " "}) == {"polls[0].title"}
    assert refused({**POLL, "questions": []}) == {"polls[0].questions"}
    assert "polls[1].questions[0].type" in refused(POLL, {**POLL, "questions": [
        {"name": "Why?", "type": "short_answer"}]})                     # a basic poll asks choices only
    assert "polls[0].questions[0].right_answers" in refused({**POLL, "poll_type": 3})   # a quiz grades
    assert "polls[0].questions[0].prompt_right_answers" in refused({**MATCHING, "questions": [
        {**MATCHING["questions"][0], "prompt_right_answers": ["Paris"]}]})
    assert "polls" in refused(*[POLL] * 51)
    assert bad_fields(api.put(path(event_id, sid), json={"polls": [{"title": "x", "anonymous": False}]})) == \
        {"polls[0].poll_type"}
    assert polls(api, event_id, sid) == []      # nothing of a refused PUT is kept


def test_a_published_sessions_polls_are_its_meetings(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    webinar = added(api, event_id)
    meeting = added(api, event_id, type=0, start_time="2031-07-28T15:00:00Z", end_time="2031-07-28T16:00:00Z")
    put(api, event_id, webinar["session_id"], POLL)             # a draft's set, shown until the meeting has its own
    (draft,) = polls(api, event_id, webinar["session_id"])
    assert act(api, event_id, operation="publish").status_code == 201
    session = api.get(f"/zoom_events/events/{event_id}/sessions/{meeting['session_id']}").json()
    mid = session["meeting_id"]
    put(api, event_id, meeting["session_id"], POLL, MATCHING)
    on_meeting = api.get(f"/meetings/{mid}/polls").json()["polls"]
    mood, capitals = polls(api, event_id, meeting["session_id"])
    assert [p["id"] for p in on_meeting] == [mood["id"], capitals["id"]]
    assert (on_meeting[1]["status"], on_meeting[1]["questions"][0]["prompts"]) == \
        ("deactivated", [{"prompt_question": "France", "prompt_right_answers": ["Paris"]},
                         {"prompt_question": "Italy", "prompt_right_answers": ["Rome"]}])
    # a poll made through the Meetings API is one of the session's
    r = api.post(f"/meetings/{mid}/polls", json={"title": "Lunch", "questions": [
        {"name": "Where?", "type": "single", "answers": ["Pizza", "Sushi"]}]})
    assert r.status_code == 201, r.text
    assert [p["title"] for p in polls(api, event_id, meeting["session_id"])] == ["Mood", "Capitals", "Lunch"]
    # a simulated vote lands on the session's poll
    sim = admin.http
    assert sim.post(f"/_zoomsim/meetings/{mid}/start").status_code < 300
    who = sim.post(f"/_zoomsim/meetings/{mid}/participants", json={"name": "Ann", "email": "ann@example.com"}).json()
    r = sim.post(f"/_zoomsim/meetings/{mid}/polls/{mood['id']}/votes",
                 json={"participant_id": who["participant_id"], "answers": {"How is it?": "Good"}})
    assert r.status_code < 300, r.text
    assert sim.post(f"/_zoomsim/meetings/{mid}/end").status_code < 300
    results = api.get(f"/past_meetings/{mid}/polls").json()
    assert [(q["email"], q["question_details"][0]["answer"]) for q in results["questions"]] == \
        [("ann@example.com", "Good")]
    # the webinar session's draft set went onto its webinar when the event was published
    assert [p["id"] for p in polls(api, event_id, webinar["session_id"])] == [draft["id"]]
    wid = api.get(f"/zoom_events/events/{event_id}/sessions/{webinar['session_id']}").json()["webinar_id"]
    assert [p["id"] for p in api.get(f"/webinars/{wid}/polls").json()["polls"]] == [draft["id"]]


def test_tenancy_and_access(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    sid = added(api, event_id)["session_id"]
    expect_error(api.get(path(event_id, "nosuchsession000000000")), 404, 2003, "Session not found.")
    other = admin.tenant()
    expect_error(other.get(path(event_id, sid)), 404, 2002, "Event not found.")
    expect_error(other.put(path(event_id, sid), json={"polls": [POLL]}), 404, 2002)
    member = admin.member(api, scopes=["zoom_events_sessions:read", "zoom_events_sessions:write"])
    expect_error(member.get(path(event_id, sid)), 403, 260200, "Event access denied.")
    expect_error(member.put(path(event_id, sid), json={"polls": [POLL]}), 403, 260200, "Event access denied.")
