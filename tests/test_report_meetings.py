"""Reports on one meeting instance (details, participants, polls, Q&A, survey) over HTTP, on
both backends: meetings are run step by step on a frozen clock so every number is known, or in
one call for volume; then each field that derives from what went in is checked, along with
paging and the documented errors."""
from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

import pytest
from support import Admin, Api, expect_error, freeze, new_meeting
from support import ok as get

NOW = "2026-11-02T15:00:00Z"
FIRST_SESSION = 16778240          # Zoom's first per-meeting participant id
PAID_ONLY = "This is only available for paid account: {}."


def sim(admin: Admin, method: str, path: str, json: Any = None, status: int | None = None) -> Any:
    r = admin.http.request(method, "/_zoomsim/meetings" + path, json=json)
    assert r.status_code == (status or r.status_code) and r.status_code < 300, r.text
    return r.json()


def enc(uuid: str) -> str:
    """An instance UUID as a path segment: double encoded, as Zoom asks."""
    return quote(quote(uuid, safe=""), safe="")


@pytest.fixture
def review(admin: Admin, api: Api, clock: Admin) -> dict[str, Any]:
    """A meeting run step by step from 14:00 to 14:30 UTC: the host stays throughout, Ann
    (a guest) leaves after 10 minutes and comes back 5 minutes later, Bo (a registrant) joins
    a minute in. Returns ids and the instance's numbers."""
    freeze(clock, api, "2026-11-02T14:00:00Z")
    m = new_meeting(api, topic="Quarterly review", type=2, start_time="2026-11-02T14:00:00Z",
                    timezone="Asia/Tokyo", tracking_fields=[{"field": "Cost center", "value": "42"}],
                    settings={"approval_type": 0, "waiting_room": False})
    mid = m["id"]
    reg = api.post(f"/meetings/{mid}/registrants", json={"email": "bo@example.com", "first_name": "Bo",
                                                         "last_name": "Berg"})
    assert reg.status_code == 201, reg.text
    sim(admin, "POST", f"/{mid}/start", status=201)
    host = sim(admin, "POST", f"/{mid}/participants", {"user_id": api.owner_id, "customer_key": "ck-1"})
    ann = sim(admin, "POST", f"/{mid}/participants", {"name": "Ann Lee", "email": "ann@example.com"})
    clock.clock(advance_seconds=60)
    bo = sim(admin, "POST", f"/{mid}/participants", {"registrant_id": reg.json()["registrant_id"]})
    clock.clock(advance_seconds=540)
    sim(admin, "DELETE", f"/{mid}/participants/{ann['participant_id']}")
    clock.clock(advance_seconds=300)
    ann2 = sim(admin, "POST", f"/{mid}/participants", {"name": "Ann Lee", "email": "ann@example.com"})
    clock.clock(advance_seconds=900)
    ended = sim(admin, "POST", f"/{mid}/end")
    freeze(clock, api, NOW)
    return {"id": mid, "uuid": m["uuid"], "host": host, "ann": ann, "ann2": ann2, "bo": bo,
            "registrant_id": reg.json()["registrant_id"], "ended": ended}


# ---- details and participants ----------------------------------------------------------------------

def test_details_add_up_the_sessions(api: Api, review: dict[str, Any]) -> None:
    owner = get(api, "/users/me")
    got = get(api, f"/report/meetings/{review['id']}")
    # host 1800 s, Ann 600 + 900 s, Bo 1740 s: 5040 s = 84 minutes
    assert got == {
        "custom_keys": [], "dept": owner.get("dept", ""), "duration": 30,
        "end_time": "2026-11-02T14:30:00Z", "id": review["id"], "participants_count": 3,
        "start_time": "2026-11-02T14:00:00Z", "topic": "Quarterly review", "total_minutes": 84,
        "tracking_fields": [{"field": "Cost center", "value": "42"}], "type": 2,
        "user_email": owner["email"], "user_name": owner["display_name"], "uuid": review["uuid"],
    }
    assert review["ended"]["total_minutes"] == 84
    # the instance UUID names the same run
    assert get(api, f"/report/meetings/{enc(review['uuid'])}") == got


def test_participants_one_entry_per_session(api: Api, review: dict[str, Any]) -> None:
    got = get(api, f"/report/meetings/{review['id']}/participants")
    assert (got["total_records"], got["page_count"], got["page_size"], got["next_page_token"]) == (4, 1, 30, "")
    rows = got["participants"]
    assert [r["user_id"] for r in rows] == [str(FIRST_SESSION + i * 1024) for i in range(4)]
    assert [r["user_id"] for r in rows] == [review[k]["participant_id"] for k in ("host", "ann", "bo", "ann2")]
    assert [(r["join_time"][11:], r["leave_time"][11:], r["duration"]) for r in rows] == [
        ("14:00:00Z", "14:30:00Z", 1800), ("14:00:00Z", "14:10:00Z", 600),
        ("14:01:00Z", "14:30:00Z", 1740), ("14:15:00Z", "14:30:00Z", 900)]
    host, ann, bo, ann2 = rows
    assert host["id"] == api.owner_id and ann["id"] == "" and bo["id"] == ""
    assert ann["participant_user_id"] == ann2["participant_user_id"] != bo["participant_user_id"]
    assert ann["participant_user_id"] == review["ann"]["participant_user_id"]
    assert (bo["name"], bo["user_email"]) == ("Bo Berg", "bo@example.com")
    assert (ann["name"], ann["user_email"]) == ("Ann Lee", "ann@example.com")
    assert host["customer_key"] == "ck-1" and ann["customer_key"] == ""
    assert all(r["failover"] is False and r["status"] == "in_meeting" and r["bo_mtg_id"] == "" for r in rows)
    assert all("registrant_id" not in r for r in rows)
    with_reg = get(api, f"/report/meetings/{review['id']}/participants", include_fields="registrant_id")
    assert [r["registrant_id"] for r in with_reg["participants"]] == ["", "", review["registrant_id"], ""]


def test_participant_pages_follow_the_token(admin: Admin, api: Api, review: dict[str, Any]) -> None:
    path = f"/report/meetings/{review['id']}/participants"
    first = get(api, path, page_size=3)
    assert (len(first["participants"]), first["page_count"], first["total_records"]) == (3, 2, 4)
    assert first["next_page_token"]
    # include_fields may change between pages; the token stays good
    second = get(api, path, page_size=3, next_page_token=first["next_page_token"], include_fields="registrant_id")
    assert [r["user_id"] for r in second["participants"]] == [review["ann2"]["participant_id"]]
    assert second["participants"][0]["registrant_id"] == "" and second["next_page_token"] == ""
    # a token belongs to its meeting instance
    other = new_meeting(api)["id"]
    sim(admin, "POST", f"/{other}/run", {"participants": 5, "duration_minutes": 10}, 201)
    expect_error(api.get(f"/report/meetings/{other}/participants", params={"next_page_token": first["next_page_token"]}),
                 400, 300, "The next page token is invalid or expired.")
    expect_error(api.get(path, params={"next_page_token": "garbage"}), 400, 300,
                 "The next page token is invalid or expired.")


def test_many_participants_page_through(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    mid = new_meeting(api, topic="All hands")["id"]
    ran = sim(admin, "POST", f"/{mid}/run", {"participants": 80, "duration_minutes": 50, "seed": 3}, 201)
    path = f"/report/meetings/{mid}/participants"
    rows: list[dict[str, Any]] = []
    token, pages = "", 0
    while True:
        page = get(api, path, page_size=25, **({"next_page_token": token} if token else {}))
        pages += 1
        rows += page["participants"]
        token = page["next_page_token"]
        if not token:
            break
    assert len(rows) == page["total_records"] == len(ran["participants"])
    assert pages == page["page_count"] == math.ceil(len(rows) / 25)
    assert len({r["user_id"] for r in rows}) == len(rows)
    assert len({r["participant_user_id"] for r in rows}) == ran["participants_count"] == 81
    assert math.ceil(sum(r["duration"] for r in rows) / 60) == ran["total_minutes"]
    offsets = sorted((p["join_offset_seconds"], p["leave_offset_seconds"]) for p in ran["participants"])
    assert sorted((r["duration"]) for r in rows) == sorted(b - a for a, b in offsets)
    details = get(api, f"/report/meetings/{mid}")
    assert (details["participants_count"], details["total_minutes"], details["duration"]) == \
        (81, ran["total_minutes"], 50)


# ---- polls, Q&A, survey --------------------------------------------------------------------------

def test_poll_report_groups_votes_per_voter(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, "2026-11-02T10:00:00Z")
    mid = new_meeting(api, topic="Lunch")["id"]
    open_poll = api.post(f"/meetings/{mid}/polls", json={"title": "Lunch", "questions": [
        {"name": "Where?", "type": "single", "answers": ["Pizza", "Sushi"]},
        {"name": "Who?", "type": "multiple", "answers": ["Ann", "Bo", "Cy"]}]}).json()
    secret = api.post(f"/meetings/{mid}/polls", json={"title": "Mood", "anonymous": True, "questions": [
        {"name": "Happy?", "type": "single", "answers": ["Yes", "No"]}]}).json()
    sim(admin, "POST", f"/{mid}/start")
    ann = sim(admin, "POST", f"/{mid}/participants", {"name": "Ann Lee", "email": "ann@example.com"})
    bo = sim(admin, "POST", f"/{mid}/participants", {"name": "Bo", "email": "bo@example.com"})
    clock.clock(advance_seconds=120)
    sim(admin, "POST", f"/{mid}/polls/{open_poll['id']}/votes",
        {"participant_id": ann["participant_id"], "answers": {"Where?": "Sushi", "Who?": ["Bo", "Cy"]}})
    clock.clock(advance_seconds=60)
    sim(admin, "POST", f"/{mid}/polls/{secret['id']}/votes", {"participant_id": ann["participant_id"],
                                                             "answers": {"Happy?": "Yes"}})
    sim(admin, "POST", f"/{mid}/polls/{secret['id']}/votes", {"participant_id": bo["participant_id"],
                                                             "answers": {"Happy?": "No"}})
    clock.clock(advance_seconds=60)
    # Ann leaves and comes back: her next vote still lands in her entry
    sim(admin, "DELETE", f"/{mid}/participants/{ann['participant_id']}")
    again = sim(admin, "POST", f"/{mid}/participants", {"name": "Ann Lee", "email": "ann@example.com"})
    clock.clock(advance_seconds=60)
    third = api.post(f"/meetings/{mid}/polls", json={"title": "Dessert", "questions": [
        {"name": "Cake?", "type": "single", "answers": ["Yes", "No"]}]}).json()
    sim(admin, "POST", f"/{mid}/polls/{third['id']}/votes", {"participant_id": again["participant_id"],
                                                            "answers": [{"index": 0, "answer": "No"}]})
    ended = sim(admin, "POST", f"/{mid}/end")
    freeze(clock, api, NOW)
    got = get(api, f"/report/meetings/{mid}/polls")
    assert (got["id"], got["uuid"], got["start_time"]) == (mid, ended["uuid"], "2026-11-02T10:00:00Z")
    assert got["questions"] == [
        {"name": "Ann Lee", "email": "ann@example.com", "first_name": "Ann", "last_name": "Lee", "question_details": [
            {"answer": "Sushi", "date_time": "2026-11-02T10:02:00Z", "polling_id": open_poll["id"], "question": "Where?"},
            {"answer": "Bo;Cy", "date_time": "2026-11-02T10:02:00Z", "polling_id": open_poll["id"], "question": "Who?"},
            {"answer": "No", "date_time": "2026-11-02T10:05:00Z", "polling_id": third["id"], "question": "Cake?"}]},
        {"name": "Anonymous", "email": "", "first_name": "", "last_name": "", "question_details": [
            {"answer": "Yes", "date_time": "2026-11-02T10:03:00Z", "polling_id": secret["id"], "question": "Happy?"}]},
        {"name": "Anonymous", "email": "", "first_name": "", "last_name": "", "question_details": [
            {"answer": "No", "date_time": "2026-11-02T10:03:00Z", "polling_id": secret["id"], "question": "Happy?"}]},
    ]


def test_poll_report_of_a_run_counts_every_vote(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    mid = new_meeting(api)["id"]
    api.post(f"/meetings/{mid}/polls", json={"title": "T", "questions": [
        {"name": "Q1", "type": "single", "answers": ["A", "B"]}, {"name": "Q2", "type": "single", "answers": ["C", "D"]}]})
    sim(admin, "POST", f"/{mid}/run", {"participants": 15, "poll_votes": True, "seed": 9}, 201)
    got = get(api, f"/report/meetings/{mid}/polls")
    assert len(got["questions"]) == 16      # every attendee and the host voted once
    assert all([d["question"] for d in v["question_details"]] == ["Q1", "Q2"] for v in got["questions"])
    assert len({v["email"] for v in got["questions"]}) == 16


def test_qa_report_groups_questions_per_asker(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, "2026-11-02T09:00:00Z")
    mid = new_meeting(api, topic="AMA")["id"]
    started = sim(admin, "POST", f"/{mid}/start")
    owner = get(api, "/users/me")
    ann = sim(admin, "POST", f"/{mid}/participants", {"name": "Ann", "email": "ann@example.com"})
    bo = sim(admin, "POST", f"/{mid}/participants", {"name": "Bo", "email": "bo@example.com"})
    clock.clock(advance_seconds=60)
    sim(admin, "POST", f"/{mid}/qa", {"participant_id": ann["participant_id"], "question": "When is launch?",
                                      "answers": ["Friday", {"content": "Me too", "type": "participant_commented",
                                                             "participant_id": bo["participant_id"]}]})
    clock.clock(advance_seconds=60)
    sim(admin, "POST", f"/{mid}/qa", {"participant_id": bo["participant_id"], "question": "Secret?", "anonymous": True})
    sim(admin, "POST", f"/{mid}/qa", {"participant_id": ann["participant_id"], "question": "Budget?"})
    sim(admin, "POST", f"/{mid}/end")
    freeze(clock, api, NOW)
    got = get(api, f"/report/meetings/{mid}/qa")
    assert (got["id"], got["uuid"], got["start_time"]) == (mid, started["uuid"], "2026-11-02T09:00:00Z")
    ann_entry, anonymous = got["questions"]
    assert {k: ann_entry[k] for k in ("user_id", "name", "email")} == \
        {"user_id": ann["participant_id"], "name": "Ann", "email": "ann@example.com"}
    first, second = ann_entry["question_details"]
    assert first["question"] == "When is launch?" and first["question_status"] == "answered"
    assert first["answer"] == "Friday; Me too" and first["create_time"] == "2026-11-02T09:01:00Z"
    assert first["answer_details"] == [
        {"user_id": "", "name": owner["display_name"], "email": owner["email"], "content": "Friday",
         "create_time": "2026-11-02T09:01:00Z", "type": "host_answered_publicly"},
        {"user_id": bo["participant_id"], "name": "Bo", "email": "bo@example.com", "content": "Me too",
         "create_time": "2026-11-02T09:01:00Z", "type": "participant_commented"}]
    assert (second["question"], second["question_status"], second["answer"], second["answer_details"]) == \
        ("Budget?", "open", "", [])
    assert first["question_id"] and first["question_id"] != second["question_id"]
    assert {k: anonymous[k] for k in ("user_id", "name", "email")} == {"user_id": "", "name": "Anonymous", "email": ""}
    assert [q["question"] for q in anonymous["question_details"]] == ["Secret?"]


def test_survey_report(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, "2026-11-02T08:00:00Z")
    mid = new_meeting(api, topic="Offsite")["id"]
    r = api.patch(f"/meetings/{mid}/survey", json={"custom_survey": {"title": "How was it", "questions": [
        {"name": "Rate it", "type": "rating_scale", "rating_min_value": 1, "rating_max_value": 5},
        {"name": "Again?", "type": "single", "answers": ["Yes", "No"]}]}})
    assert r.status_code == 204, r.text
    started = sim(admin, "POST", f"/{mid}/start")
    ann = sim(admin, "POST", f"/{mid}/participants", {"name": "Ann Marie Lee", "email": "ann@example.com"})
    bo = sim(admin, "POST", f"/{mid}/participants", {"name": "Bo", "email": "bo@example.com"})
    clock.clock(advance_seconds=300)
    sim(admin, "POST", f"/{mid}/survey/answers", {"participant_id": ann["participant_id"],
                                                  "answers": {"Rate it": 4, "Again?": "Yes"}})
    clock.clock(advance_seconds=60)
    sim(admin, "POST", f"/{mid}/survey/answers", {"participant_id": bo["participant_id"],
                                                  "answers": {"Rate it": 2, "Again?": "No"}})
    sim(admin, "POST", f"/{mid}/end")
    freeze(clock, api, NOW)
    got = get(api, f"/report/meetings/{mid}/survey")
    assert (got["meeting_id"], got["meeting_uuid"], got["start_time"], got["survey_name"]) == \
        (mid, started["uuid"], "2026-11-02T08:00:00Z", "How was it")
    assert got["survey_id"] and get(api, f"/report/meetings/{mid}/survey")["survey_id"] == got["survey_id"]
    ann_entry, bo_entry = got["survey_answers"]
    assert {k: ann_entry[k] for k in ("name", "email", "first_name", "last_name")} == \
        {"name": "Ann Marie Lee", "email": "ann@example.com", "first_name": "Ann", "last_name": "Marie Lee"}
    assert [(d["question"], d["answer"], d["date_time"]) for d in ann_entry["answer_details"]] == [
        ("Rate it", "4", "2026-11-02T08:05:00Z"), ("Again?", "Yes", "2026-11-02T08:05:00Z")]
    assert [(d["question"], d["answer"], d["date_time"]) for d in bo_entry["answer_details"]] == [
        ("Rate it", "2", "2026-11-02T08:06:00Z"), ("Again?", "No", "2026-11-02T08:06:00Z")]
    ids = [[d["question_id"] for d in e["answer_details"]] for e in (ann_entry, bo_entry)]
    assert ids[0] == ids[1] and ids[0][0] != ids[0][1]


def test_reports_of_a_meeting_without_records(api: Api, review: dict[str, Any]) -> None:
    mid = review["id"]
    base = {"id": mid, "uuid": review["uuid"], "start_time": "2026-11-02T14:00:00Z"}
    assert get(api, f"/report/meetings/{mid}/polls") == {**base, "questions": []}
    assert get(api, f"/report/meetings/{mid}/qa") == {**base, "questions": []}
    survey = get(api, f"/report/meetings/{mid}/survey")
    assert survey["survey_answers"] == [] and survey["meeting_uuid"] == review["uuid"]


# ---- which instance, and errors --------------------------------------------------------------------

def test_number_means_latest_instance_uuid_an_exact_one(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    mid = new_meeting(api)["id"]
    first = sim(admin, "POST", f"/{mid}/run", {"participants": 2, "duration_minutes": 20,
                                              "start_time": "2026-11-01T10:00:00Z"}, 201)
    second = sim(admin, "POST", f"/{mid}/run", {"participants": 5, "duration_minutes": 40}, 201)
    latest = get(api, f"/report/meetings/{mid}")
    assert (latest["uuid"], latest["participants_count"], latest["duration"]) == (second["uuid"], 6, 40)
    older = get(api, f"/report/meetings/{enc(first['uuid'])}")
    assert (older["uuid"], older["participants_count"], older["duration"], older["start_time"]) == \
        (first["uuid"], 3, 20, "2026-11-01T10:00:00Z")
    assert get(api, f"/report/meetings/{enc(first['uuid'])}/participants")["total_records"] == len(first["participants"])


NOT_FOUND = {
    "": "Meeting {} not found or has expired.",
    "/participants": "Meeting {} not found or has expired.",
    "/polls": 'Meeting "{}" not found or has expired.',
    "/qa": "Meeting {} not found or has expired.",
    "/survey": "Webinar {} not found or has expired.",
}


@pytest.mark.parametrize("suffix", list(NOT_FOUND))
def test_unknown_unended_and_foreign_meetings(admin: Admin, api: Api, suffix: str) -> None:
    message = NOT_FOUND[suffix]
    expect_error(api.get(f"/report/meetings/85746352412{suffix}"), 404, 3001, message.format("85746352412"))
    expect_error(api.get(f"/report/meetings/NoSuchUuid0000000000A=={suffix}"), 404, 3001,
                 message.format("NoSuchUuid0000000000A=="))
    never_ran = new_meeting(api)["id"]
    expect_error(api.get(f"/report/meetings/{never_ran}{suffix}"), 404, 3001, message.format(never_ran))
    other = admin.tenant()
    theirs = new_meeting(other)["id"]
    ran = sim(admin, "POST", f"/{theirs}/run", {"participants": 1, "duration_minutes": 5}, 201)
    expect_error(api.get(f"/report/meetings/{theirs}{suffix}"), 404, 3001, message.format(theirs))
    expect_error(api.get(f"/report/meetings/{enc(ran['uuid'])}{suffix}"), 404, 3001, message.format(ran["uuid"]))
    assert other.get(f"/report/meetings/{theirs}{suffix}").status_code == 200


YEAR_AGO = {"": "Can not access meeting a year ago.", "/participants": "Can not access meeting a year ago.",
            "/polls": "Can not access meeting a year ago.", "/qa": "Can not access a meeting a year ago.",
            "/survey": "Can not access a webinar a year ago."}


def test_meetings_older_than_a_year(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, "2025-10-01T12:00:00Z")
    mid = new_meeting(api)["id"]
    ran = sim(admin, "POST", f"/{mid}/run", {"participants": 2, "duration_minutes": 30}, 201)
    freeze(clock, api, "2026-09-30T12:00:00Z")      # 364 days later: still there
    assert get(api, f"/report/meetings/{mid}")["uuid"] == ran["uuid"]
    freeze(clock, api, "2026-10-02T12:00:00Z")
    for suffix, message in YEAR_AGO.items():
        expect_error(api.get(f"/report/meetings/{mid}{suffix}"), 400, 12702, message)
        expect_error(api.get(f"/report/meetings/{enc(ran['uuid'])}{suffix}"), 400, 12702, message)


@pytest.mark.parametrize("suffix", list(NOT_FOUND))
def test_free_plan_and_missing_scope(admin: Admin, suffix: str) -> None:
    free = admin.tenant(plan="free")
    mid = new_meeting(free)["id"]
    sim(admin, "POST", f"/{mid}/run", {"participants": 2, "duration_minutes": 5}, 201)
    expect_error(free.get(f"/report/meetings/{mid}{suffix}"), 400, 200, PAID_ONLY.format(free.account_id))
    paid = admin.tenant()
    own = new_meeting(paid)["id"]
    sim(admin, "POST", f"/{own}/run", {"participants": 2, "duration_minutes": 5}, 201)
    reader = admin.member(paid, scopes=["meeting:read"])
    body = expect_error(reader.get(f"/report/meetings/{own}{suffix}"), 400, 4711)
    assert "report:read" in body["message"]
    assert paid.get(f"/report/meetings/{own}{suffix}").status_code == 200
