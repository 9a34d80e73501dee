"""Reports over many meeting instances, over HTTP on both backends: a user's meetings
(reportMeetings), the account's meeting history (Gethistorymeetingandwebinarlist) and dial-in
usage (reportTelephone). Meetings are placed on known days with a frozen clock; the checks
cover every field that derives from them, the UTC-day window edges, paging and the errors."""
from __future__ import annotations

import math
from typing import Any

import pytest
from support import (
    Admin,
    Api,
    bad_fields,
    expect_error,
    freeze,
    new_meeting,
    unique_email,
)
from support import ok as get

NOW = "2026-11-02T15:00:00Z"
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
PAID_ONLY = "This is only available for paid account: {}."
BAD_TOKEN = "The next page token is invalid or expired."
TO_BEFORE_FROM = "The 'to' date can not be earlier than the 'from' date."
OVER_A_MONTH = "The date range can not be more than one month."


def sim(admin: Admin, method: str, path: str, json: Any = None) -> Any:
    r = admin.http.request(method, "/_zoomsim/meetings" + path, json=json)
    assert r.status_code < 300, r.text
    return r.json()


def run(admin: Admin, api: Api, start: str, minutes: int = 20, people: int = 1, **more: Any) -> dict[str, Any]:
    """A meeting of `api`'s owner run in one call from `start` (the host plus `people`)."""
    topic = more.pop("topic", f"Run at {start}")
    mid = new_meeting(api, topic=topic, **more)["id"]
    out = sim(admin, "POST", f"/{mid}/run", {"participants": people, "duration_minutes": minutes,
                                             "start_time": start, "seed": 1})
    out["id"] = mid
    return out  # type: ignore[no-any-return]


def pages(api: Api, path: str, key: str, **params: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every item across pages, and each page's envelope."""
    items: list[dict[str, Any]] = []
    seen: list[dict[str, Any]] = []
    token = ""
    while True:
        page = get(api, path, **params, **({"next_page_token": token} if token else {}))
        seen.append(page)
        items += page[key]
        token = page["next_page_token"]
        if not token:
            return items, seen


def add_user(admin: Admin, api: Api, **body: Any) -> dict[str, Any]:
    body.setdefault("email", unique_email("staff"))
    return admin.call("POST", f"/accounts/{api.account_id}/users", body)  # type: ignore[no-any-return]


# ---- reportMeetings ----------------------------------------------------------------------------------

@pytest.fixture
def late_call(admin: Admin, api: Api, clock: Admin) -> dict[str, Any]:
    """A meeting from 23:30 to 23:50 UTC on October 31 (already November 1 in Tokyo, its time
    zone): the host stays throughout, guest Ann from 23:31, staff member Cy (signed in) from
    23:32 to 23:40 and again from 23:45. Recorded to the cloud."""
    staff = add_user(admin, api, first_name="Cy", last_name="Ng")
    freeze(clock, api, "2026-10-31T23:30:00Z")
    m = new_meeting(api, topic="Late call", type=2, start_time="2026-10-31T23:30:00Z", timezone="Asia/Tokyo",
                    settings={"auto_recording": "cloud"})
    mid = m["id"]
    sim(admin, "POST", f"/{mid}/start")
    sim(admin, "POST", f"/{mid}/participants", {"user_id": api.owner_id})
    clock.clock(advance_seconds=60)
    sim(admin, "POST", f"/{mid}/participants", {"name": "Ann", "email": "ann@example.com"})
    clock.clock(advance_seconds=60)
    cy = sim(admin, "POST", f"/{mid}/participants", {"user_id": staff["id"]})
    clock.clock(advance_seconds=480)
    sim(admin, "DELETE", f"/{mid}/participants/{cy['participant_id']}")
    clock.clock(advance_seconds=300)
    sim(admin, "POST", f"/{mid}/participants", {"user_id": staff["id"]})
    clock.clock(advance_seconds=300)
    ended = sim(admin, "POST", f"/{mid}/end")
    freeze(clock, api, NOW)
    return {"id": mid, "uuid": m["uuid"], "staff": staff, "ended": ended}


def test_user_meetings_fields(api: Api, late_call: dict[str, Any]) -> None:
    owner = get(api, "/users/me")
    got = get(api, "/report/users/me/meetings", **OCTOBER)
    assert (got["from"], got["to"], got["total_records"], got["page_count"], got["page_size"], got["next_page_token"]) \
        == ("2026-10-01", "2026-10-31", 1, 1, 30, "")
    [item] = got["meetings"]
    # host 1200 s + Ann 1140 s + Cy 480 + 300 s = 3120 s = 52 minutes
    assert item == {
        "uuid": late_call["uuid"], "id": late_call["id"], "topic": "Late call", "type": 2,
        "start_time": "2026-10-31T23:30:00Z", "end_time": "2026-10-31T23:50:00Z", "duration": 20,
        "total_minutes": 52, "participants_count": 3, "user_name": owner["display_name"],
        "user_email": owner["email"], "host_name": owner["display_name"], "host_organization": item["host_organization"],
        "source": "Zoom", "custom_keys": [], "schedule_time": "2026-10-31T23:30:00Z", "has_screen_share": False,
        "has_chat": False, "has_recording": True, "meeting_encryption_status": 1, "participants_count_my_account": 2,
    }
    assert late_call["ended"]["total_minutes"] == 52
    # the same by email and by id
    assert get(api, f"/report/users/{owner['email']}/meetings", **OCTOBER)["meetings"] == [item]
    assert get(api, f"/report/users/{api.owner_id}/meetings", **OCTOBER)["meetings"] == [item]
    # counted on its UTC day, whatever its time zone says
    assert get(api, "/report/users/me/meetings", **{"from": "2026-11-01", "to": "2026-11-02"})["meetings"] == []
    assert get(api, "/report/users/me/meetings", **{"from": "2026-10-31", "to": "2026-10-31"})["total_records"] == 1


def test_past_joined_gives_the_users_own_times(api: Api, late_call: dict[str, Any]) -> None:
    staff = late_call["staff"]["id"]
    assert get(api, f"/report/users/{staff}/meetings", **OCTOBER)["meetings"] == []   # Cy hosted nothing
    got = get(api, f"/report/users/{staff}/meetings", type="pastJoined", **OCTOBER)
    [item] = got["meetings"]
    assert (item["uuid"], item["join_time"], item["leave_time"]) == \
        (late_call["uuid"], "2026-10-31T23:32:00Z", "2026-10-31T23:50:00Z")
    assert (item["participants_count"], item["total_minutes"]) == (3, 52)
    mine = get(api, "/report/users/me/meetings", type="pastJoined", **OCTOBER)["meetings"]
    assert [(m["join_time"], m["leave_time"]) for m in mine] == [("2026-10-31T23:30:00Z", "2026-10-31T23:50:00Z")]
    assert "join_time" not in get(api, "/report/users/me/meetings", **OCTOBER)["meetings"][0]


def test_past_and_past_one_split_on_participants(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    alone = run(admin, api, "2026-10-10T09:00:00Z", people=0)
    pair = run(admin, api, "2026-10-11T09:00:00Z", people=1)
    mid = new_meeting(api, topic="Empty room")["id"]     # nobody came: in neither list
    sim(admin, "POST", f"/{mid}/run", {"participants": 0, "host_joins": False, "start_time": "2026-10-12T09:00:00Z"})
    past = get(api, "/report/users/me/meetings", **OCTOBER)["meetings"]
    one = get(api, "/report/users/me/meetings", type="pastOne", **OCTOBER)["meetings"]
    assert [m["uuid"] for m in past] == [pair["uuid"]] and past[0]["participants_count"] == 2
    assert [m["uuid"] for m in one] == [alone["uuid"]] and one[0]["participants_count"] == 1
    assert one[0]["participants_count_my_account"] == 1 and past[0]["participants_count_my_account"] == 1


def test_user_meetings_window_edges_and_paging(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    starts = ["2026-09-30T23:59:00Z", "2026-10-01T00:00:00Z", "2026-10-05T10:00:00Z", "2026-10-09T10:00:00Z",
              "2026-10-15T10:00:00Z", "2026-10-20T10:00:00Z", "2026-10-31T23:30:00Z", "2026-11-01T00:00:00Z"]
    made = {s: run(admin, api, s, minutes=1 if s.startswith("2026-09-30") else 20) for s in starts}
    inside = [made[s]["uuid"] for s in starts[1:-1]]
    items, seen = pages(api, "/report/users/me/meetings", "meetings", page_size=4, **OCTOBER)
    assert [m["uuid"] for m in items] == inside      # oldest first, edges included, neighbours out
    assert [len(p["meetings"]) for p in seen] == [4, 2]
    assert all(p["total_records"] == 6 and p["page_count"] == 2 and p["page_size"] == 4 for p in seen)
    # a token is bound to its query
    expect_error(api.get("/report/users/me/meetings", params={**OCTOBER, "type": "pastOne",
                                                              "next_page_token": seen[0]["next_page_token"]}),
                 400, 300, BAD_TOKEN)
    expect_error(api.get("/report/users/me/meetings", params={"from": "2026-10-02", "to": "2026-10-31",
                                                              "next_page_token": seen[0]["next_page_token"]}),
                 400, 300, BAD_TOKEN)
    # a meeting ending while paging does not shift the pages
    run(admin, api, "2026-10-02T10:00:00Z")
    rest = get(api, "/report/users/me/meetings", page_size=4, next_page_token=seen[0]["next_page_token"], **OCTOBER)
    assert [m["uuid"] for m in rest["meetings"]] == inside[4:]


def test_user_meetings_errors(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    path = "/report/users/me/meetings"
    expect_error(api.get("/report/users/nobody@example.com/meetings", params=OCTOBER), 404, 1001,
                 "User nobody@example.com not exist or not belong to this account.")
    other = admin.tenant()
    expect_error(api.get(f"/report/users/{other.owner_id}/meetings", params=OCTOBER), 404, 1001,
                 f"User {other.owner_id} not exist or not belong to this account.")
    expect_error(api.get(path, params={"from": "2026-10-10", "to": "2026-10-01"}), 400, 300, TO_BEFORE_FROM)
    expect_error(api.get(path, params={"from": "2026-09-01", "to": "2026-10-15"}), 400, 300, OVER_A_MONTH)
    expect_error(api.get(path, params={"from": "2026-04-01", "to": "2026-04-30"}), 400, 300,
                 "Only provide report in recent 6 months")
    expect_error(api.get(path, params={"from": "2026-12-01", "to": "2026-12-05"}), 400, 300,
                 "The 'from' date can not be later than today.")
    expect_error(api.get(path, params={"from": "2026-13-01", "to": "2026-10-31"}), 400, 300, "Invalid parameter: from.")
    expect_error(api.get(path, params={"from": "2026-10-01", "to": "yesterday"}), 400, 300, "Invalid parameter: to.")
    assert bad_fields(api.get(path, params={"to": "2026-10-31"})) == {"from"}
    expect_error(api.get(path, params={**OCTOBER, "type": "future"}), 400, 300)
    expect_error(api.get(path, params={**OCTOBER, "next_page_token": "nope"}), 400, 300, BAD_TOKEN)
    # a one-month range (Oct 2 .. Nov 2) is fine; `to` past today stops at today
    got = get(api, path, **{"from": "2026-10-02", "to": "2026-11-02"})
    assert (got["from"], got["to"]) == ("2026-10-02", "2026-11-02")
    got = get(api, path, **{"from": "2026-10-20", "to": "2026-11-10"})
    assert got["to"] == "2026-11-02"


def test_user_meetings_paid_plan_and_scope(admin: Admin, clock: Admin) -> None:
    free = admin.tenant(plan="free")
    expect_error(free.get("/report/users/me/meetings", params=OCTOBER), 400, 200,
                 PAID_ONLY.format(free.account_id))
    paid = admin.tenant()
    reader = admin.member(paid, scopes=["meeting:read"])
    body = expect_error(reader.get("/report/users/me/meetings", params=OCTOBER), 400, 4711)
    assert "report:read" in body["message"]


# ---- Gethistorymeetingandwebinarlist -----------------------------------------------------------------

HISTORY = "/report/history_meetings"


@pytest.fixture
def history(admin: Admin, api: Api, clock: Admin) -> dict[str, Any]:
    """Three meetings in October: 'Sales Poll' with poll votes, Q&A, a dial-in, waiting room,
    registration and cloud recording; 'Design sync' recorded locally; 'Night shift' from
    23:50 on October 31 to 00:10 on November 1."""
    freeze(clock, api, NOW)
    poll_meeting = new_meeting(api, topic="Sales Poll", type=2, start_time="2026-10-05T09:00:00Z",
                               tracking_fields=[{"field": "Region", "value": "EMEA"}],
                               settings={"waiting_room": True, "approval_type": 0, "auto_recording": "cloud"})
    pid = poll_meeting["id"]
    api.post(f"/meetings/{pid}/polls", json={"title": "T", "questions": [
        {"name": "Q", "type": "single", "answers": ["A", "B"]}]})
    sales = sim(admin, "POST", f"/{pid}/run", {
        "participants": [{"name": "Ann", "email": "ann@example.com"}, {"name": "Dial", "phone_number": "+1 555 0100"}],
        "duration_minutes": 45, "start_time": "2026-10-05T09:00:00Z", "poll_votes": True, "qa": 2, "seed": 2})
    design = run(admin, api, "2026-10-06T09:00:00Z", minutes=30, people=3, topic="Design sync",
                 settings={"auto_recording": "local"})
    night = run(admin, api, "2026-10-31T23:50:00Z", minutes=20, people=1, topic="Night shift")
    return {"sales": {**sales, "id": pid, "created": poll_meeting}, "design": design, "night": night}


def topics(items: list[dict[str, Any]]) -> list[str]:
    return [m["topic"] for m in items]


def test_history_items(api: Api, history: dict[str, Any]) -> None:
    owner = get(api, "/users/me")
    got = get(api, HISTORY, **OCTOBER)
    assert (got["page_size"], got["next_page_token"]) == (30, "")
    assert topics(got["history_meetings"]) == ["Sales Poll", "Design sync", "Night shift"]
    sales = got["history_meetings"][0]
    s = history["sales"]
    flags = sales.pop("feature_used")
    assert sales == {
        "meeting_uuid": s["uuid"], "meeting_id": s["id"], "type": "Meeting", "host_display_name": owner["display_name"],
        "host_email": owner["email"], "start_time": "2026-10-05T09:00:00Z", "end_time": "2026-10-05T09:45:00Z",
        "topic": "Sales Poll", "participants": 3, "duration": 45, "total_participant_minutes": s["total_minutes"],
        "department": owner.get("dept", ""), "group": [], "source": "Zoom", "unique_viewers": 0,
        "max_concurrent_views": 0, "create_time": s["created"]["created_at"], "custom_fields": [],
        "tracking_fields": [{"field": "Region", "value": "EMEA"}],
    }
    assert {k for k, v in flags.items() if v} == {"telephone_usage", "poll", "meeting_questions", "record_to_cloud",
                                                  "waiting_room", "registration", "meeting_summary"}
    assert len(flags) == 37
    design = got["history_meetings"][1]["feature_used"]
    assert {k for k, v in design.items() if v} == {"record_to_computer", "meeting_summary"}
    assert got["history_meetings"][1]["participants"] == 4


def test_history_filters(api: Api, history: dict[str, Any]) -> None:
    def listed(**params: Any) -> list[str]:
        return topics(get(api, HISTORY, **OCTOBER, **params)["history_meetings"])

    assert listed(report_type="poll") == listed(report_type="qa") == ["Sales Poll"]
    assert listed(report_type="survey") == listed(report_type="resource") == listed(report_type="reaction") == []
    assert listed(report_type="all") == ["Sales Poll", "Design sync", "Night shift"]
    assert listed(meeting_type="webinar") == []
    assert listed(meeting_type="meeting") == listed(meeting_type="all") == ["Sales Poll", "Design sync", "Night shift"]
    assert listed(search_key="SYNC") == ["Design sync"]
    assert listed(search_key=str(history["night"]["id"])) == ["Night shift"]
    assert listed(search_key="100%") == []
    assert listed(meeting_feature="telephone_usage") == ["Sales Poll"]
    assert listed(meeting_feature="record_to_computer") == ["Design sync"]
    assert listed(meeting_feature="screen_sharing") == []
    assert listed(meeting_feature="telephone_usage,record_to_computer") == ["Sales Poll", "Design sync"]
    assert listed(meeting_feature="meeting_summary") == ["Sales Poll", "Design sync", "Night shift"]
    r = api.delete(f"/meetings/{history['design']['id']}/meeting_summary")
    assert r.status_code == 204, r.text
    assert listed(meeting_feature="meeting_summary") == ["Sales Poll", "Night shift"]
    expect_error(api.get(HISTORY, params={**OCTOBER, "report_type": "chat"}), 400, 300)
    expect_error(api.get(HISTORY, params={**OCTOBER, "meeting_feature": "teleport"}), 400, 300)
    expect_error(api.get(HISTORY, params={**OCTOBER, "meeting_feature": "poll,teleport"}), 400, 300)


def test_history_date_type_and_edges(api: Api, history: dict[str, Any]) -> None:
    nov1 = {"from": "2026-11-01", "to": "2026-11-01"}
    assert topics(get(api, HISTORY, **nov1)["history_meetings"]) == []
    assert topics(get(api, HISTORY, **nov1, date_type="end_time")["history_meetings"]) == ["Night shift"]
    assert topics(get(api, HISTORY, **OCTOBER, date_type="end_time")["history_meetings"]) == \
        ["Sales Poll", "Design sync"]
    assert topics(get(api, HISTORY, **{"from": "2026-10-31", "to": "2026-10-31"})["history_meetings"]) == \
        ["Night shift"]


def test_history_paging_and_window(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    made = [run(admin, api, f"2026-10-{day:02d}T12:00:00Z", topic=f"Day {day}") for day in range(1, 8)]
    items, seen = pages(api, HISTORY, "history_meetings", page_size=3, **OCTOBER)
    assert [m["meeting_uuid"] for m in items] == [m["uuid"] for m in made]
    assert [len(p["history_meetings"]) for p in seen] == [3, 3, 1]
    filtered, fseen = pages(api, HISTORY, "history_meetings", page_size=2, search_key="day", **OCTOBER)
    assert len(filtered) == 7 and len(fseen) == 4
    expect_error(api.get(HISTORY, params={**OCTOBER, "search_key": "other",
                                          "next_page_token": seen[0]["next_page_token"]}), 400, 300, BAD_TOKEN)
    # a year back is allowed here, not more
    assert get(api, HISTORY, **{"from": "2026-01-01", "to": "2026-01-31"})["history_meetings"] == []
    expect_error(api.get(HISTORY, params={"from": "2025-10-01", "to": "2025-10-31"}), 400, 300,
                 "Only provide report in recent 1 year")
    expect_error(api.get(HISTORY, params={"from": "2026-09-01", "to": "2026-10-31"}), 400, 300, OVER_A_MONTH)
    expect_error(api.get(HISTORY, params={"from": "2026-10-31", "to": "2026-10-01"}), 400, 300, TO_BEFORE_FROM)
    expect_error(api.get(HISTORY, params={"from": "2026/10/01", "to": "2026-10-31"}), 400, 300, "Invalid parameter: from.")
    expect_error(api.get(HISTORY, params={"from": "2026-10-01"}), 400, 300)
    big = get(api, HISTORY, page_size=1000, **OCTOBER)
    assert big["page_size"] == 300


def test_history_paid_plan_and_scope(admin: Admin) -> None:
    free = admin.tenant(plan="free")
    expect_error(free.get(HISTORY, params=OCTOBER), 400, 200, PAID_ONLY.format(free.account_id))
    reader = admin.member(admin.tenant(), scopes=["meeting:read"])
    expect_error(reader.get(HISTORY, params=OCTOBER), 400, 4711)


# ---- reportTelephone ---------------------------------------------------------------------------------

TELEPHONE = "/report/telephone"


@pytest.fixture
def calls(admin: Admin, api: Api, clock: Admin) -> dict[str, Any]:
    """A meeting from 23:50 on October 31 to 00:20 on November 1 with three callers: a US
    toll-free caller 23:51-23:53:05 (3 minutes), a German toll-free caller 23:55-00:05 (10
    minutes) and a toll caller 23:52 to the end (28 minutes)."""
    freeze(clock, api, "2026-10-31T23:50:00Z")
    m = new_meeting(api, topic="Phones")
    mid = m["id"]
    sim(admin, "POST", f"/{mid}/start")
    sim(admin, "POST", f"/{mid}/participants", {"user_id": api.owner_id})
    clock.clock(advance_seconds=60)
    us = sim(admin, "POST", f"/{mid}/participants", {"phone_number": "+1 555 0101", "call_type": "toll-free"})
    clock.clock(advance_seconds=60)
    sim(admin, "POST", f"/{mid}/participants", {"phone_number": "+1 555 0102", "call_type": "Toll"})
    clock.clock(advance_seconds=65)
    sim(admin, "DELETE", f"/{mid}/participants/{us['participant_id']}")
    clock.clock(advance_seconds=115)
    de = sim(admin, "POST", f"/{mid}/participants", {"phone_number": "+49 30 1234", "call_type": "toll-free",
                                                     "country_name": "Germany", "call_in_number": "+49 69 7104 9922"})
    clock.clock(advance_seconds=600)
    sim(admin, "DELETE", f"/{mid}/participants/{de['participant_id']}")
    clock.clock(advance_seconds=900)
    ended = sim(admin, "POST", f"/{mid}/end")
    freeze(clock, api, NOW)
    return {"id": mid, "uuid": m["uuid"], "ended": ended,
            "call_in": m["settings"]["global_dial_in_numbers"][0]["number"]}


def test_telephone_items(api: Api, calls: dict[str, Any]) -> None:
    owner = get(api, "/users/me")
    got = get(api, TELEPHONE, **OCTOBER)
    assert (got["from"], got["to"], got["total_records"], got["page_count"], got["page_size"], got["next_page_token"]) \
        == ("2026-10-01", "2026-10-31", 2, 1, 30, "")
    us, de = got["telephony_usage"]
    common = {"dept": owner.get("dept", ""), "host_email": owner["email"], "host_id": api.owner_id,
              "host_name": owner["display_name"], "meeting_id": calls["id"], "meeting_type": "Meeting",
              "uuid": calls["uuid"], "type": "toll-free"}
    assert us == {**common, "call_in_number": calls["call_in"], "country_name": "United States of America",
                  "duration": 3, "start_time": "2026-10-31T23:51:00Z", "end_time": "2026-10-31T23:53:05Z",
                  "phone_number": "+1 555 0101", "signaled_number": "+1 555 0101", "rate": 0.04, "total": 0.12}
    assert de == {**common, "call_in_number": "+49 69 7104 9922", "country_name": "Germany", "duration": 10,
                  "start_time": "2026-10-31T23:55:00Z", "end_time": "2026-11-01T00:05:00Z",
                  "phone_number": "+49 30 1234", "signaled_number": "+49 30 1234", "rate": 0.12, "total": 1.2}
    toll = get(api, TELEPHONE, type="2", **OCTOBER)["telephony_usage"]
    assert [(c["type"], c["duration"], c["rate"], c["total"], c["end_time"]) for c in toll] == \
        [("Toll", 28, 0.0, 0.0, "2026-11-01T00:20:00Z")]
    assert get(api, TELEPHONE, type="3", **OCTOBER)["telephony_usage"] == []
    assert calls["ended"]["dial_in_participants"] == 3


def test_telephone_dates(api: Api, calls: dict[str, Any]) -> None:
    def numbers(**params: Any) -> list[str]:
        return [c["phone_number"] for c in get(api, TELEPHONE, **params)["telephony_usage"]]

    nov1 = {"from": "2026-11-01", "to": "2026-11-01"}
    assert numbers(**nov1) == []
    assert numbers(**nov1, query_date_type="end_time") == ["+49 30 1234"]
    assert numbers(**OCTOBER, query_date_type="end_time") == ["+1 555 0101"]
    assert numbers(**OCTOBER, query_date_type="meeting_start_time") == ["+1 555 0101", "+49 30 1234"]
    assert numbers(**nov1, query_date_type="meeting_end_time") == ["+1 555 0101", "+49 30 1234"]
    assert numbers(**nov1, query_date_type="meeting_end_time", type="2") == ["+1 555 0102"]
    by_meeting = get(api, TELEPHONE, **OCTOBER, query_date_type="meeting_start_time")
    assert "total_records" not in by_meeting and "page_count" not in by_meeting


def test_telephone_paging(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    mid = new_meeting(api)["id"]
    ran = sim(admin, "POST", f"/{mid}/run", {"participants": 12, "dial_in": 1.0, "duration_minutes": 40,
                                             "start_time": "2026-10-20T10:00:00Z", "seed": 5})
    legs = [p for p in ran["participants"] if p["name"]]      # everyone but the host dialled in
    assert ran["dial_in_participants"] == 12
    items, seen = pages(api, TELEPHONE, "telephony_usage", page_size=5, **OCTOBER)
    assert len(items) == len(legs) == seen[0]["total_records"]
    assert [len(p["telephony_usage"]) for p in seen][:-1] == [5] * (len(seen) - 1)
    assert seen[0]["page_count"] == len(seen) == math.ceil(len(legs) / 5)
    assert sorted(c["duration"] for c in items) == \
        sorted(math.ceil((p["leave_offset_seconds"] - p["join_offset_seconds"]) / 60) for p in legs)
    assert all(c["total"] == round(c["rate"] * c["duration"], 2) and c["rate"] == 0.04 for c in items)
    assert [c["start_time"] for c in items] == sorted(c["start_time"] for c in items)
    # page numbers reach the same rows
    second = get(api, TELEPHONE, page_size=5, page_number=2, **OCTOBER)
    assert second["telephony_usage"] == items[5:10]
    expect_error(api.get(TELEPHONE, params={**OCTOBER, "type": "2", "next_page_token": seen[0]["next_page_token"]}),
                 400, 300, BAD_TOKEN)
    # tokens last 15 minutes on the app clock
    clock.clock(advance_seconds=14 * 60)
    assert get(api, TELEPHONE, page_size=5, next_page_token=seen[0]["next_page_token"], **OCTOBER)["telephony_usage"] \
        == items[5:10]
    clock.clock(advance_seconds=2 * 60)
    expect_error(api.get(TELEPHONE, params={**OCTOBER, "page_size": 5, "next_page_token": seen[0]["next_page_token"]}),
                 400, 300, BAD_TOKEN)


def test_telephone_errors(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    expect_error(api.get(TELEPHONE, params={"from": "2026-10-31", "to": "2026-10-01"}), 400, 300, TO_BEFORE_FROM)
    expect_error(api.get(TELEPHONE, params={"from": "2026-09-01", "to": "2026-10-31"}), 400, 300, OVER_A_MONTH)
    expect_error(api.get(TELEPHONE, params={"from": "2026-04-01", "to": "2026-04-30"}), 400, 300,
                 "Only provide report in recent 6 months")
    expect_error(api.get(TELEPHONE, params={"from": "01-10-2026", "to": "2026-10-31"}), 400, 300, "Invalid parameter: from.")
    expect_error(api.get(TELEPHONE, params={**OCTOBER, "type": "4"}), 400, 300)
    expect_error(api.get(TELEPHONE, params={**OCTOBER, "next_page_token": "x.y"}), 400, 300, BAD_TOKEN)
    free = admin.tenant(plan="free")
    expect_error(free.get(TELEPHONE, params=OCTOBER), 400, 200, PAID_ONLY.format(free.account_id))
    reader = admin.member(api, scopes=["meeting:read"])
    expect_error(reader.get(TELEPHONE, params=OCTOBER), 400, 4711)
