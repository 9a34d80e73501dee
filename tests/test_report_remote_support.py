"""GET /report/remote_support over sessions given through the admin step
POST /_zoomsim/meetings/{id}/remote_support, on a frozen clock."""
from __future__ import annotations

from typing import Any

import httpx
from support import Admin, Api, bad_fields, expect_error, freeze, new_meeting, ok

REPORT = "/report/remote_support"
WEEK = {"from": "2026-11-01", "to": "2026-11-10"}


def sim(admin: Admin, method: str, path: str, json: Any = None) -> httpx.Response:
    return admin.http.request(method, "/_zoomsim/meetings" + path, json=json)


def step(admin: Admin, method: str, path: str, json: Any = None) -> Any:
    r = sim(admin, method, path, json)
    assert r.status_code < 300, r.text
    return r.json()


def live_meeting(admin: Admin, api: Api, topic: str, at: str) -> tuple[int, str, str, str]:
    """A meeting started at `at` with Jill (who supports) and Tom (who is supported) in it:
    (id, uuid, Jill's participant id, Tom's)."""
    mid = new_meeting(api, topic=topic)["id"]
    admin.clock(now=at)
    uuid = step(admin, "POST", f"/{mid}/start")["uuid"]
    jill = step(admin, "POST", f"/{mid}/participants", {"name": "Jill Chill", "email": "jchill@example.com"})
    tom = step(admin, "POST", f"/{mid}/participants", {"name": "Tom", "email": "tom@example.com"})
    return mid, uuid, jill["participant_id"], tom["participant_id"]


def support(admin: Admin, mid: int, supporter: str, supportee: str, wait: int, duration: int) -> Any:
    return step(admin, "POST", f"/{mid}/remote_support", {
        "supporter_participant_id": supporter, "supportee_participant_id": supportee,
        "wait_seconds": wait, "duration_seconds": duration})


def scenario(clock: Admin, api: Api) -> dict[str, Any]:
    """A: 11-05 10:00, support requested 10:01:32, from 10:03:00 for 19:37 (over before the end).
    B: starts 11-05 23:55; support from 11-06 00:05 planned for two hours, cut when Tom
    leaves ten minutes in. The clock then stands at 11-10."""
    freeze(clock, api, "2026-11-03T08:00:00Z")
    a, a_uuid, jill, tom = live_meeting(clock, api, "A", "2026-11-05T10:00:00Z")
    clock.clock(advance_seconds=180)
    given = support(clock, a, jill, tom, 88, 1177)
    assert (given["request_time"], given["start_time"], given["end_time"]) == \
        ("2026-11-05T10:01:32Z", "2026-11-05T10:03:00Z", "2026-11-05T10:22:37Z")
    clock.clock(now="2026-11-05T10:30:00Z")
    step(clock, "POST", f"/{a}/end")
    b, b_uuid, jill_b, tom_b = live_meeting(clock, api, "B", "2026-11-05T23:55:00Z")
    clock.clock(now="2026-11-06T00:05:00Z")
    support(clock, b, jill_b, tom_b, 30, 7200)
    clock.clock(advance_seconds=600)
    step(clock, "DELETE", f"/{b}/participants/{tom_b}")
    clock.clock(advance_seconds=600)
    step(clock, "POST", f"/{b}/end")
    freeze(clock, api, "2026-11-10T12:00:00Z")
    return {"a": a, "a_uuid": a_uuid, "b": b, "b_uuid": b_uuid}


def test_sessions_in_two_meetings(clock: Admin, api: Api) -> None:
    s = scenario(clock, api)
    body = ok(api, REPORT, **WEEK)
    assert body["page_size"] == 30 and body["next_page_token"] == ""
    first, second = body["remote_support_logs"]
    assert first == {
        "meeting_start_time": "2026-11-05T10:00:00Z", "meeting_uuid": s["a_uuid"], "meeting_number": s["a"],
        "topic": "A", "meeting_host_id": api.owner_id,
        "supporter_name": "Jill Chill", "supporter_email": "jchill@example.com",
        "supportee_name": "Tom", "supportee_email": "tom@example.com",
        "request_time": "2026-11-05T10:01:32Z", "wait_time": "01:28",
        "start_time": "2026-11-05T10:03:00Z", "end_time": "2026-11-05T10:22:37Z", "duration": "19:37",
    }
    assert (second["meeting_uuid"], second["meeting_start_time"]) == (s["b_uuid"], "2026-11-05T23:55:00Z")
    assert (second["request_time"], second["start_time"], second["end_time"]) == \
        ("2026-11-06T00:04:30Z", "2026-11-06T00:05:00Z", "2026-11-06T00:15:00Z")
    assert (second["wait_time"], second["duration"]) == ("00:30", "10:00")


def test_days_are_the_sessions_own(clock: Admin, api: Api) -> None:
    """B started on 11-05 but its support started on 11-06: that is the day it counts on."""
    s = scenario(clock, api)
    only_a = ok(api, REPORT, **{"from": "2026-11-05", "to": "2026-11-05"})["remote_support_logs"]
    assert [log["meeting_number"] for log in only_a] == [s["a"]]
    only_b = ok(api, REPORT, **{"from": "2026-11-06", "to": "2026-11-30"})["remote_support_logs"]
    assert [log["meeting_number"] for log in only_b] == [s["b"]]
    assert ok(api, REPORT, **{"from": "2026-11-07", "to": "2026-11-10"})["remote_support_logs"] == []


def test_pages_follow_the_token(clock: Admin, api: Api) -> None:
    s = scenario(clock, api)
    first = ok(api, REPORT, **WEEK, page_size="1")
    assert first["page_size"] == 1 and first["next_page_token"]
    assert [log["meeting_number"] for log in first["remote_support_logs"]] == [s["a"]]
    second = ok(api, REPORT, **WEEK, page_size="1", next_page_token=first["next_page_token"])
    assert [log["meeting_number"] for log in second["remote_support_logs"]] == [s["b"]]
    assert second["next_page_token"] == ""
    assert ok(api, REPORT, **WEEK, page_size="1000")["page_size"] == 300
    other_days = {"from": "2026-11-02", "to": "2026-11-10", "next_page_token": first["next_page_token"]}
    expect_error(api.get(REPORT, params=other_days), 400, 300, "The next page token is invalid or expired.")
    expect_error(api.get(REPORT, params={**WEEK, "next_page_token": "nope"}), 400, 300)
    expect_error(api.get(REPORT, params={**WEEK, "page_size": "ten"}), 400, 300, "Invalid parameter: page_size.")


def test_another_account_sees_none(clock: Admin, api: Api) -> None:
    scenario(clock, api)
    other = clock.tenant()
    assert ok(other, REPORT, **WEEK)["remote_support_logs"] == []


def test_a_session_still_going_is_not_listed(clock: Admin, api: Api) -> None:
    """Listed once over: by its planned end while the meeting runs, or when the meeting ends."""
    freeze(clock, api, "2026-11-03T08:00:00Z")
    mid, _, jill, tom = live_meeting(clock, api, "Live", "2026-11-05T10:00:00Z")
    support(clock, mid, jill, tom, 0, 600)
    api.fetch_token()
    assert ok(api, REPORT, **WEEK)["remote_support_logs"] == []
    clock.clock(advance_seconds=600)
    assert [log["duration"] for log in ok(api, REPORT, **WEEK)["remote_support_logs"]] == ["10:00"]
    support(clock, mid, tom, jill, 0, 3 * 3600)      # cut by the meeting's end
    clock.clock(advance_seconds=300)
    step(clock, "POST", f"/{mid}/end")
    logs = ok(api, REPORT, **WEEK)["remote_support_logs"]
    assert [(log["supporter_name"], log["end_time"], log["duration"]) for log in logs][1] == \
        ("Tom", "2026-11-05T10:15:00Z", "05:00")


def test_bad_dates_and_plans(clock: Admin, api: Api) -> None:
    freeze(clock, api, "2026-11-10T12:00:00Z")
    expect_error(api.get(REPORT, params={"to": "2026-11-10"}), 400, 300)
    expect_error(api.get(REPORT, params={"from": "2026-11-31", "to": "2026-12-01"}), 400, 300,
                 "Invalid parameter: from.")
    expect_error(api.get(REPORT, params={"from": "2026-11-05", "to": "2026-11-01"}), 400, 300,
                 "The 'to' date can not be earlier than the 'from' date.")
    expect_error(api.get(REPORT, params={"from": "2026-09-01", "to": "2026-11-01"}), 400, 300,
                 "The date range can not be more than one month.")
    expect_error(api.get(REPORT, params={"from": "2026-11-11", "to": "2026-11-12"}), 400, 300,
                 "The 'from' date can not be later than today.")
    expect_error(api.get(REPORT, params={"from": "2026-04-01", "to": "2026-04-20"}), 400, 300,
                 "Only provide report in recent 6 months")
    free = clock.tenant(plan="free")
    expect_error(free.get(REPORT, params=WEEK), 400, 200, f"This is only available for paid account: {free.account_id}.")


def test_step_errors(clock: Admin, api: Api) -> None:
    freeze(clock, api, "2026-11-03T08:00:00Z")
    idle = new_meeting(api)["id"]
    body = {"supporter_participant_id": "1", "supportee_participant_id": "2", "duration_seconds": 60}
    expect_error(sim(clock, "POST", f"/{idle}/remote_support", body), 400, 3000)
    expect_error(sim(clock, "POST", "/123/remote_support", body), 404, 3001)
    mid, _, jill, tom = live_meeting(clock, api, "Help", "2026-11-05T10:00:00Z")
    good = {"supporter_participant_id": jill, "supportee_participant_id": tom, "wait_seconds": 0,
            "duration_seconds": 60}
    path = f"/{mid}/remote_support"
    for change, field in [
        ({"supporter_participant_id": "999"}, "supporter_participant_id"),
        ({"supportee_participant_id": None}, "supportee_participant_id"),
        ({"supportee_participant_id": True}, "supportee_participant_id"),
        ({"supportee_participant_id": jill}, "supportee_participant_id"),
        ({"wait_seconds": -1}, "wait_seconds"),
        ({"wait_seconds": "5"}, "wait_seconds"),
        ({"wait_seconds": 5}, "wait_seconds"),            # Tom joined just now: he cannot have asked 5 s ago
        ({"duration_seconds": 0}, "duration_seconds"),
        ({"duration_seconds": 1.5}, "duration_seconds"),
        ({"duration_seconds": 10 ** 9}, "duration_seconds"),
        ({"duration_seconds": None}, "duration_seconds"),
    ]:
        assert bad_fields(sim(clock, "POST", path, {**good, **change})) == {field}, change
    assert sim(clock, "POST", path, good).status_code == 201
    expect_error(sim(clock, "POST", path, good), 409, 3000)      # Tom is being helped already
    clock.clock(advance_seconds=60)
    step(clock, "DELETE", f"/{mid}/participants/{tom}")
    assert bad_fields(sim(clock, "POST", path, good)) == {"supportee_participant_id"}   # Tom has left
    assert sim(clock, "POST", path, "[]").status_code == 400
    webinar_path = clock.http.post(f"/_zoomsim/webinars/{mid}/remote_support", json=good)
    assert webinar_path.status_code == 404
