"""Webinar reports over HTTP (both backends): details, participants, polls, Q&A (with the
panelists' and host's answers) and survey of a webinar run step by step on a frozen clock, their
webinar wording, the kind check against meeting reports, and how the account-wide reports
treat webinars (upcoming events, history, a user's meetings and the operation logs list them;
the daily and host reports count meetings only)."""
from __future__ import annotations

from typing import Any

import pytest
from support import Admin, Api, freeze, new_meeting, ok
from support import expect_error as err
from test_webinar_simulation import enc, join, register, step
from test_webinars import new_webinar

NOW = "2026-11-02T15:00:00Z"
DAY = "2026-11-02"


@pytest.fixture
def launch(admin: Admin, api: Api, clock: Admin) -> dict[str, Any]:
    """A webinar from 14:00 to 14:30 UTC: the host and the panelist Pat stay throughout, the
    registrant Rita joins a minute in, the guest Ann leaves after 10 minutes. Ann asks (Pat and
    the host answer), votes and answers the survey."""
    freeze(clock, api, "2026-11-02T14:00:00Z")
    w = new_webinar(api, topic="Launch", start_time="2026-11-02T14:00:00Z", settings={"approval_type": 0},
                    tracking_fields=[{"field": "Campaign", "value": "Q4"}])
    wid = w["id"]
    rid = register(api, wid, "Rita", "rita@example.com")
    poll = api.post(f"/webinars/{wid}/polls", json={"title": "Ready?", "questions": [
        {"name": "Ship it?", "type": "single", "answers": ["Yes", "No"]}]}).json()
    assert api.patch(f"/webinars/{wid}/survey", json={"custom_survey": {"title": "After the launch", "questions": [
        {"name": "How was it?", "type": "single", "answers": ["Good", "Bad"]}]}}).status_code == 204
    step(admin, "webinars", "POST", f"/{wid}/start")
    host = join(admin, wid, user_id=api.owner_id)
    pat = join(admin, wid, name="Pat Panel", email="pat@example.com", role="panelist")
    ann = join(admin, wid, name="Ann Lee", email="ann@example.com")
    clock.clock(advance_seconds=60)
    rita = join(admin, wid, registrant_id=rid)
    step(admin, "webinars", "POST", f"/{wid}/qa", {"participant_id": ann["participant_id"], "question": "Today?",
                                                    "answers": [{"content": "Yes", "participant_id": pat["participant_id"]},
                                                                "At noon"]})
    step(admin, "webinars", "POST", f"/{wid}/polls/{poll['id']}/votes",
         {"participant_id": ann["participant_id"], "answers": {"Ship it?": "Yes"}})
    step(admin, "webinars", "POST", f"/{wid}/survey/answers",
         {"participant_id": ann["participant_id"], "answers": {"How was it?": "Good"}})
    clock.clock(advance_seconds=540)
    step(admin, "webinars", "DELETE", f"/{wid}/participants/{ann['participant_id']}")
    clock.clock(advance_seconds=1200)
    ended = step(admin, "webinars", "POST", f"/{wid}/end")
    freeze(clock, api, NOW)
    return {"id": wid, "uuid": w["uuid"], "host": host, "pat": pat, "ann": ann, "rita": rita, "rid": rid,
            "poll": poll, "ended": ended}


def test_details(api: Api, launch: dict[str, Any]) -> None:
    owner = ok(api, "/users/me")
    got = ok(api, f"/report/webinars/{launch['id']}")
    # host 1800 s, Pat 1800 s, Ann 600 s, Rita 1740 s: 5940 s = 99 minutes
    assert got == {
        "custom_keys": [], "dept": owner.get("dept", ""), "duration": 30, "end_time": "2026-11-02T14:30:00Z",
        "id": launch["id"], "participants_count": 4, "start_time": "2026-11-02T14:00:00Z", "topic": "Launch",
        "total_minutes": 99, "tracking_fields": [{"field": "Campaign", "value": "Q4"}], "type": 5,
        "user_email": owner["email"], "user_name": owner["display_name"], "uuid": launch["uuid"],
    }
    assert ok(api, f"/report/webinars/{enc(launch['uuid'])}") == got


def test_participants(api: Api, launch: dict[str, Any]) -> None:
    got = ok(api, f"/report/webinars/{launch['id']}/participants", include_fields="registrant_id")
    assert (got["total_records"], got["page_count"], got["next_page_token"]) == (4, 1, "")
    rows = got["participants"]
    assert [r["user_id"] for r in rows] == [launch[k]["participant_id"] for k in ("host", "pat", "ann", "rita")]
    rita = rows[3]
    assert (rita["name"], rita["user_email"], rita["registrant_id"], rita["duration"]) == \
        ("Rita Reg", "rita@example.com", launch["rid"], 1740)
    assert rita["participant_user_id"] == launch["rita"]["participant_user_id"]
    plain = ok(api, f"/report/webinars/{launch['id']}/participants", page_size=2)
    assert "registrant_id" not in plain["participants"][0] and plain["page_count"] == 2


def test_polls_qa_and_survey(api: Api, launch: dict[str, Any]) -> None:
    owner = ok(api, "/users/me")
    polls = ok(api, f"/report/webinars/{launch['id']}/polls")
    assert polls["questions"] == [{"name": "Ann Lee", "email": "ann@example.com", "first_name": "Ann",
                                   "last_name": "Lee", "question_details": [
                                       {"answer": "Yes", "date_time": "2026-11-02T14:01:00Z",
                                        "polling_id": launch["poll"]["id"], "question": "Ship it?"}]}]
    qa = ok(api, f"/report/webinars/{launch['id']}/qa")
    (entry,) = qa["questions"]
    assert (entry["name"], entry["email"], entry["user_id"]) == ("Ann Lee", "ann@example.com",
                                                                  launch["ann"]["participant_id"])
    (detail,) = entry["question_details"]
    assert (detail["question"], detail["answer"], detail["question_status"]) == ("Today?", "Yes; At noon", "answered")
    assert [(a["name"], a["email"], a["content"]) for a in detail["answer_details"]] == [
        ("Pat Panel", "pat@example.com", "Yes"), (owner["display_name"], owner["email"], "At noon")]
    survey = ok(api, f"/report/webinars/{launch['id']}/survey")
    assert (survey["webinar_id"], survey["webinar_uuid"], survey["survey_name"]) == \
        (launch["id"], launch["uuid"], "After the launch")
    assert "meeting_id" not in survey
    assert [(a["name"], [d["answer"] for d in a["answer_details"]]) for a in survey["survey_answers"]] == \
        [("Ann Lee", ["Good"])]


NOT_FOUND = {"": "Meeting {} not found or has expired.", "/participants": 'Webinar "{}" not found or has expired',
             "/polls": "Webinar {} not found or has expired.", "/qa": "Webinar {} not found or has expired.",
             "/survey": "Webinar {} not found or has expired."}


@pytest.mark.parametrize("suffix", list(NOT_FOUND))
def test_kinds_accounts_and_unended_webinars(admin: Admin, api: Api, suffix: str) -> None:
    message = NOT_FOUND[suffix]
    never = new_webinar(api)["id"]
    err(api.get(f"/report/webinars/{never}{suffix}"), 404, 3001, message.format(never))
    mid = new_meeting(api)["id"]
    meeting_run = step(admin, "meetings", "POST", f"/{mid}/run", {"participants": 1, "duration_minutes": 5})
    err(api.get(f"/report/webinars/{mid}{suffix}"), 404, 3001, message.format(mid))
    err(api.get(f"/report/webinars/{enc(meeting_run['uuid'])}{suffix}"), 404, 3001)
    wid = new_webinar(api)["id"]
    webinar_run = step(admin, "webinars", "POST", f"/{wid}/run", {"participants": 1, "duration_minutes": 5})
    assert api.get(f"/report/webinars/{wid}{suffix}").status_code == 200
    err(api.get(f"/report/meetings/{wid}{suffix}"), 404, 3001)
    err(api.get(f"/report/meetings/{enc(webinar_run['uuid'])}{suffix}"), 404, 3001)
    err(admin.tenant().get(f"/report/webinars/{wid}{suffix}"), 404, 3001, message.format(wid))


def test_a_year_later_and_the_free_plan(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, "2025-10-01T12:00:00Z")
    wid = new_webinar(api)["id"]
    step(admin, "webinars", "POST", f"/{wid}/run", {"participants": 1, "duration_minutes": 5})
    freeze(clock, api, "2026-10-02T12:00:00Z")
    for suffix in ("", "/participants", "/polls", "/qa", "/survey"):
        err(api.get(f"/report/webinars/{wid}{suffix}"), 400, 12702, "Can not access a webinar a year ago.")


# ---- account-wide reports ----------------------------------------------------------------------

def test_upcoming_events_list_webinars(api: Api, clock: Admin) -> None:
    freeze(clock, api, "2026-11-10T12:00:00Z")
    meeting = new_meeting(api, topic="Sync", type=2, start_time="2026-11-12T09:00:00Z")
    webinar = new_webinar(api, topic="Launch", start_time="2026-11-11T16:00:00Z")
    series = new_webinar(api, topic="Series", type=9, start_time="2026-11-12T18:00:00Z",
                         recurrence={"type": 1, "repeat_interval": 1, "end_times": 2})
    new_webinar(api, topic="Whenever", type=6)
    window = {"from": "2026-11-10", "to": "2026-11-20"}

    def listed(**params: Any) -> list[tuple[str, str]]:
        return [(e["id"], e["start_time"]) for e in ok(api, "/report/upcoming_events", **window, **params)["upcoming_events"]]

    webinars = [(str(webinar["id"]), "2026-11-11T16:00:00Z"), (str(series["id"]), "2026-11-12T18:00:00Z"),
                (str(series["id"]), "2026-11-13T18:00:00Z")]
    assert listed(type="webinar") == webinars
    assert listed(type="meeting") == [(str(meeting["id"]), "2026-11-12T09:00:00Z")]
    assert listed() == sorted(webinars + [(str(meeting["id"]), "2026-11-12T09:00:00Z")], key=lambda e: e[1])


def test_history_and_user_reports_mix_webinars_in(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    mid = new_meeting(api)["id"]
    wid = new_webinar(api)["id"]
    ran = step(admin, "meetings", "POST", f"/{mid}/run", {"participants": 2, "duration_minutes": 20,
                                                          "start_time": "2026-11-02T10:00:00Z"})
    step(admin, "webinars", "POST", f"/{wid}/run", {"participants": 3, "panelists": 1, "duration_minutes": 30,
                                                    "start_time": "2026-11-02T11:00:00Z"})
    window = {"from": DAY, "to": DAY}
    history = ok(api, "/report/history_meetings", **window)["history_meetings"]
    assert [(h["meeting_id"], h["type"]) for h in history] == [(mid, "Meeting"), (wid, "Webinar")]
    assert [h["meeting_id"] for h in ok(api, "/report/history_meetings", **window,
                                        meeting_type="meeting")["history_meetings"]] == [mid]
    hosted = ok(api, "/report/users/me/meetings", **window)["meetings"]
    assert [(m["id"], m["type"]) for m in hosted] == [(mid, 2), (wid, 5)]
    # the daily and active-host reports count meetings only
    day = ok(api, "/report/daily", year=2026, month=11)["dates"][1]
    counted = (1, 3, ran["total_minutes"])
    assert (day["date"], day["meetings"], day["participants"], day["meeting_minutes"]) == (DAY, *counted)
    (owner,) = ok(api, "/report/users", **window)["users"]
    assert (owner["meetings"], owner["participants"], owner["meeting_minutes"]) == counted
    activities = ok(api, "/report/meeting_activities", **window, activity_type="Meeting Started")
    assert {a["meeting_number"].replace(" ", "") for a in activities["meeting_activity_logs"]} == {str(mid)}


def test_operation_logs_list_webinar_changes(api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    w = new_webinar(api, topic="Launch")
    assert api.patch(f"/webinars/{w['id']}", json={"topic": "Launch 2", "settings": {"audio": "voip"}}).status_code == 204
    assert api.delete(f"/webinars/{w['id']}").status_code == 204
    new_meeting(api, topic="Sync")
    logs = ok(api, "/report/operationlogs", **{"from": DAY, "to": DAY, "category_type": "webinar"})["operation_logs"]
    owner = ok(api, "/users/me")["email"]
    assert [(e["category_type"], e["action"], e["operation_detail"]) for e in logs] == [
        ("Webinar", "Delete", f"Delete Webinar {w['id']}"),
        ("Webinar", "Update", f"Update Webinar {w['id']} - topic, settings.audio"),
        ("Webinar", "Add", f"Add Webinar {w['id']} \"Launch\" for {owner}")]
    assert {e["operator"] for e in logs} == {owner}
    meetings = ok(api, "/report/operationlogs", **{"from": DAY, "to": DAY,
                                                   "category_type": "user_settings"})["operation_logs"]
    assert [e["operation_detail"].split(" ")[:2] for e in meetings] == [["Add", "Meeting"]]
