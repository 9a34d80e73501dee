"""Usage reports: daily usage, active/inactive hosts, cloud recording storage and upcoming events,
read back from meetings run through the simulation on a frozen clock."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, expect_error, new_meeting, unique_email

PAID_ONLY = "This is only available for paid account: {}."


def at(admin: Admin, when: str) -> None:
    admin.clock(now=when)


def sim(admin: Admin, method: str, path: str, json: Any = None) -> Any:
    r = admin.http.request(method, "/_zoomsim/meetings" + path, json=json)
    assert r.status_code < 300, r.text
    return r.json()


def run(admin: Admin, mid: int, start: str, minutes: int, guests: int = 0,
        guest_minutes: int | None = None) -> dict[str, Any]:
    """Host starts at `start` and stays `minutes`; each guest joins at the start and stays
    `guest_minutes` (default: to the end). Moves the clock to the end."""
    at(admin, start)
    sim(admin, "POST", f"/{mid}/start")
    sim(admin, "POST", f"/{mid}/participants", {"name": "Host"})
    joined = [sim(admin, "POST", f"/{mid}/participants", {"name": f"Guest {i}", "email": f"g{i}-{mid}@example.com"})
              for i in range(guests)]
    if guest_minutes is not None:
        admin.clock(advance_seconds=guest_minutes * 60)
        for g in joined:
            sim(admin, "DELETE", f"/{mid}/participants/{g['participant_id']}")
        admin.clock(advance_seconds=(minutes - guest_minutes) * 60)
    else:
        admin.clock(advance_seconds=minutes * 60)
    return sim(admin, "POST", f"/{mid}/end")  # type: ignore[no-any-return]


def add_user(admin: Admin, api: Api, **spec: Any) -> dict[str, Any]:
    spec.setdefault("email", unique_email("u"))
    return admin.call("POST", f"/accounts/{api.account_id}/users", spec)  # type: ignore[no-any-return]


def scenario(clock: Admin) -> dict[str, Any]:
    """A business account created on 2026-11-03 with meetings on 5, 6 and 7 November:
    - owner: 'A' 11-05 10:00 30 min, host + 2 guests -> 3 people, 90 min
    - host2: 'B' 11-06 23:30 UTC for 45 min (ends 11-07) -> host + 1 guest, 90 min
    - owner: 'C' (Asia/Tokyo meeting) 11-07 20:00 UTC (11-08 in Tokyo) 20 min, host alone -> 1, 20
    - host2: 'D' started 11-08 and still running: not counted
    - a user added on 11-05 (new user), nobody else hosting."""
    at(clock, "2026-11-03T08:00:00Z")
    api = clock.tenant()
    host2 = add_user(clock, api, first_name="Bea", last_name="Host")
    assert api.patch(f"/users/{host2['id']}", json={"dept": "Sales"}).status_code == 204
    a = new_meeting(api, topic="A", type=2, start_time="2026-11-05T10:00:00Z", duration=30)["id"]
    b = new_meeting(api, user=host2["id"], topic="B", type=2, start_time="2026-11-06T23:30:00Z", duration=45)["id"]
    c = new_meeting(api, topic="C", type=2, start_time="2026-11-08T05:00:00", timezone="Asia/Tokyo", duration=20)["id"]
    d = new_meeting(api, user=host2["id"], topic="D")["id"]
    at(clock, "2026-11-05T09:00:00Z")
    newcomer = add_user(clock, api, type=1)
    ended_a = run(clock, a, "2026-11-05T10:00:00Z", 30, guests=2)
    ended_b = run(clock, b, "2026-11-06T23:30:00Z", 45, guests=1)
    ended_c = run(clock, c, "2026-11-07T20:00:00Z", 20)
    at(clock, "2026-11-08T12:00:00Z")
    sim(clock, "POST", f"/{d}/start")
    at(clock, "2026-11-10T12:00:00Z")
    api.fetch_token()
    return {"api": api, "host2": host2, "newcomer": newcomer, "a": ended_a, "b": ended_b, "c": ended_c}


def test_daily_counts_each_utc_day(clock: Admin) -> None:
    s = scenario(clock)
    api: Api = s["api"]
    assert (s["a"]["participants_count"], s["a"]["total_minutes"]) == (3, 90)
    assert (s["b"]["participants_count"], s["b"]["total_minutes"]) == (2, 90)
    assert s["b"]["end_time"] == "2026-11-07T00:15:00Z"
    assert (s["c"]["participants_count"], s["c"]["total_minutes"]) == (1, 20)
    r = api.get("/report/daily", params={"year": 2026, "month": 11})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["year"], body["month"]) == (2026, 11)
    days = {d["date"]: d for d in body["dates"]}
    assert list(days) == [f"2026-11-{n:02d}" for n in range(1, 11)]   # through today only
    assert days["2026-11-03"] == {"date": "2026-11-03", "new_users": 2, "meetings": 0, "participants": 0,
                                  "meeting_minutes": 0}
    assert days["2026-11-05"] == {"date": "2026-11-05", "new_users": 1, "meetings": 1, "participants": 3,
                                  "meeting_minutes": 90}
    # 23:30 UTC start: counted on the day it started, not the one it ended
    assert days["2026-11-06"] == {"date": "2026-11-06", "new_users": 0, "meetings": 1, "participants": 2,
                                  "meeting_minutes": 90}
    # the Tokyo meeting started on 11-08 local time, 11-07 UTC
    assert days["2026-11-07"] == {"date": "2026-11-07", "new_users": 0, "meetings": 1, "participants": 1,
                                  "meeting_minutes": 20}
    assert days["2026-11-08"]["meetings"] == 0       # still running: not counted
    assert sum(d["meetings"] for d in body["dates"]) == 3
    # default month is the current one
    assert api.get("/report/daily").json() == body
    october = api.get("/report/daily", params={"year": 2026, "month": 10}).json()
    assert len(october["dates"]) == 31
    assert all(d["meetings"] == d["new_users"] == d["participants"] == d["meeting_minutes"] == 0
               for d in october["dates"])


def test_daily_guest_who_left_early(clock: Admin) -> None:
    at(clock, "2026-11-03T08:00:00Z")
    api = clock.tenant()
    mid = new_meeting(api)["id"]
    ended = run(clock, mid, "2026-11-04T10:00:00Z", 30, guests=2, guest_minutes=10)
    assert ended["total_minutes"] == 30 + 10 + 10
    at(clock, "2026-11-05T00:00:00Z")
    api.fetch_token()
    day = api.get("/report/daily").json()["dates"][3]
    assert day == {"date": "2026-11-04", "new_users": 0, "meetings": 1, "participants": 3, "meeting_minutes": 50}


def test_daily_month_rules(clock: Admin) -> None:
    at(clock, "2026-11-10T12:00:00Z")
    api = clock.tenant()
    message = "Daily report can only be provided for a month that falls within the recent 6 months."
    assert api.get("/report/daily", params={"year": 2026, "month": 5}).status_code == 200
    expect_error(api.get("/report/daily", params={"year": 2026, "month": 4}), 400, 300, message)
    expect_error(api.get("/report/daily", params={"year": 2026, "month": 12}), 400, 300, message)
    expect_error(api.get("/report/daily", params={"year": 2027, "month": 1}), 400, 300, message)
    expect_error(api.get("/report/daily", params={"year": 2026, "month": 13}), 400, 300)
    expect_error(api.get("/report/daily", params={"month": "eleven"}), 400, 300, "Validation Failed.")
    expect_error(api.get("/report/daily", params={"group_id": "g1"}), 404, 4130, "Group does not exist: g1.")


def test_users_active_and_inactive(clock: Admin) -> None:
    s = scenario(clock)
    api: Api = s["api"]
    window = {"from": "2026-11-01", "to": "2026-11-10"}
    r = api.get("/report/users", params=window)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["from"], body["to"]) == ("2026-11-01", "2026-11-10")
    users = {u["id"]: u for u in body["users"]}
    assert list(users) == [api.owner_id, s["host2"]["id"]]      # creation order
    owner = users[api.owner_id]
    assert (owner["meetings"], owner["participants"], owner["meeting_minutes"]) == (2, 4, 110)
    assert owner["type"] == 2 and owner["custom_attributes"] == []
    bea = users[s["host2"]["id"]]
    assert bea == {"id": s["host2"]["id"], "email": s["host2"]["email"], "user_name": "Bea Host", "type": 2,
                   "dept": "Sales", "meetings": 1, "participants": 2, "meeting_minutes": 90, "custom_attributes": []}
    assert (body["total_meetings"], body["total_participants"], body["total_meeting_minutes"]) == (3, 6, 200)
    assert (body["total_records"], body["page_count"], body["page_number"], body["page_size"]) == (2, 1, 1, 30)
    assert body["next_page_token"] == ""
    # a window holding only B's day: the owner is inactive there
    only_b = api.get("/report/users", params={"from": "2026-11-06", "to": "2026-11-06"}).json()
    assert [u["id"] for u in only_b["users"]] == [s["host2"]["id"]]
    assert (only_b["total_meetings"], only_b["total_participants"], only_b["total_meeting_minutes"]) == (1, 2, 90)
    inactive = api.get("/report/users", params={**window, "type": "inactive"}).json()
    assert [u["id"] for u in inactive["users"]] == [s["newcomer"]["id"]]
    assert inactive["users"][0]["meetings"] == 0 and inactive["users"][0]["type"] == 1
    assert (inactive["total_meetings"], inactive["total_participants"], inactive["total_meeting_minutes"]) == (0, 0, 0)
    # `to` past today is reported up to today
    ahead = api.get("/report/users", params={"from": "2026-11-01", "to": "2026-11-30"}).json()
    assert ahead["to"] == "2026-11-30" and ahead["total_meetings"] == 3


def test_users_paging(clock: Admin) -> None:
    at(clock, "2026-11-03T08:00:00Z")
    api = clock.tenant()
    made = [add_user(clock, api)["id"] for _ in range(34)]
    everyone = [api.owner_id] + made
    hosts = made[:3]
    meetings = [new_meeting(api, user=host)["id"] for host in hosts]
    for i, mid in enumerate(meetings):
        run(clock, mid, f"2026-11-0{4 + i}T10:00:00Z", 10 * (i + 1), guests=i)
    at(clock, "2026-11-10T12:00:00Z")
    api.fetch_token()
    window = {"from": "2026-11-01", "to": "2026-11-10", "type": "inactive", "page_size": 10}
    first = api.get("/report/users", params=window).json()
    assert (first["total_records"], first["page_count"], first["page_size"]) == (32, 4, 10)
    seen = [u["id"] for u in first["users"]]
    token = first["next_page_token"]
    while token:
        page = api.get("/report/users", params={**window, "next_page_token": token}).json()
        seen += [u["id"] for u in page["users"]]
        token = page["next_page_token"]
    assert seen == [u for u in everyone if u not in hosts]
    second = api.get("/report/users", params={**window, "page_number": 2}).json()
    assert second["page_number"] == 2 and [u["id"] for u in second["users"]] == seen[10:20]
    beyond = api.get("/report/users", params={**window, "page_number": 9}).json()
    assert beyond["users"] == [] and beyond["total_records"] == 32
    # active hosts page by one; totals always cover the whole report
    active = {"from": "2026-11-01", "to": "2026-11-10", "page_size": 2}
    p1 = api.get("/report/users", params=active).json()
    p2 = api.get("/report/users", params={**active, "next_page_token": p1["next_page_token"]}).json()
    assert [u["id"] for u in p1["users"] + p2["users"]] == hosts and p2["next_page_token"] == ""
    for p in (p1, p2):
        assert (p["total_meetings"], p["total_participants"], p["total_meeting_minutes"]) == (3, 1 + 2 + 3, 10 + 40 + 90)
    # a token belongs to its query
    expect_error(api.get("/report/users", params={**active, "type": "inactive", "next_page_token": p1["next_page_token"]}),
                 400, 300, "The next page token is invalid or expired.")
    expect_error(api.get("/report/users", params={**active, "next_page_token": "junk"}), 400, 300,
                 "The next page token is invalid or expired.")
    clock.clock(advance_seconds=16 * 60)
    api.fetch_token()
    expect_error(api.get("/report/users", params={**active, "next_page_token": p1["next_page_token"]}), 400, 300,
                 "The next page token is invalid or expired.")


def test_users_date_rules(clock: Admin) -> None:
    at(clock, "2026-11-10T12:00:00Z")
    api = clock.tenant()
    get = lambda **q: api.get("/report/users", params=q)  # noqa: E731
    expect_error(get(**{"from": "2026-11-05", "to": "2026-11-01"}), 400, 300,
                 "The 'to' date can not be earlier than the 'from' date.")
    expect_error(get(**{"from": "2026-09-01", "to": "2026-10-02"}), 400, 300,
                 "The date range can not be more than one month.")
    assert get(**{"from": "2026-09-01", "to": "2026-10-01"}).status_code == 200
    expect_error(get(**{"from": "2026-05-09", "to": "2026-05-20"}), 400, 300, "Only provide report in recent 6 months")
    assert get(**{"from": "2026-05-10", "to": "2026-05-20"}).status_code == 200
    expect_error(get(**{"from": "2026-11-11", "to": "2026-11-12"}), 400, 300,
                 "The 'from' date can not be later than today.")
    expect_error(get(**{"from": "2026-13-01", "to": "2026-11-12"}), 400, 300, "Invalid parameter: from.")
    expect_error(get(**{"from": "2026-11-01", "to": "soon"}), 400, 300, "Invalid parameter: to.")
    assert "from" in _fields(get(to="2026-11-02"))
    expect_error(get(**{"from": "2026-11-01", "to": "2026-11-02", "type": "idle"}), 400, 300, "Validation Failed.")
    expect_error(get(**{"from": "2026-11-01", "to": "2026-11-02", "group_id": "abc"}), 404, 4130,
                 "Group does not exist: abc.")


def _fields(resp: Any) -> set[str]:
    body = expect_error(resp, 400, 300, "Validation Failed.")
    return {e["field"] for e in body["errors"]}


def test_paid_plan_and_scope(clock: Admin, admin: Admin) -> None:
    at(clock, "2026-11-10T12:00:00Z")
    free = admin.tenant(plan="free")
    wording = PAID_ONLY.format(free.account_id)
    window = {"from": "2026-11-01", "to": "2026-11-02"}
    expect_error(free.get("/report/daily"), 400, 200, wording)
    expect_error(free.get("/report/users", params=window), 400, 200, wording)
    expect_error(free.get("/report/cloud_recording", params=window), 400, 200, wording)
    expect_error(free.get("/report/upcoming_events", params=window), 400, 200,
                 f"This is only available for the paid account: {free.account_id}")
    reader = admin.tenant(scopes=["meeting:read:admin"])
    for path in ("/report/daily", "/report/users", "/report/cloud_recording", "/report/upcoming_events"):
        expect_error(reader.get(path, params=window), 400, 4711)
    pro = admin.tenant(plan="pro")
    assert pro.get("/report/daily").status_code == 200


# ---- cloud recording ------------------------------------------------------------------------------

def test_cloud_recording_usage(clock: Admin) -> None:
    at(clock, "2026-11-03T08:00:00Z")
    api = clock.tenant()
    cloud = {"auto_recording": "cloud"}
    first = new_meeting(api, topic="Rec 1", settings=cloud)["id"]
    second = new_meeting(api, topic="Rec 2", settings=cloud)["id"]
    late = new_meeting(api, topic="Late", settings=cloud)["id"]
    plain = new_meeting(api, topic="Not recorded")["id"]
    run(clock, first, "2026-10-20T10:00:00Z", 30)     # before the window: 54,000,000 bytes
    run(clock, second, "2026-11-05T10:00:00Z", 60)    # 108,000,000 bytes
    run(clock, late, "2026-11-06T23:50:00Z", 20)      # ends 11-07: 36,000,000 bytes
    run(clock, plain, "2026-11-06T10:00:00Z", 60)
    at(clock, "2026-11-10T12:00:00Z")
    api.fetch_token()
    r = api.get("/report/cloud_recording", params={"from": "2026-11-04", "to": "2026-11-09"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["from"], body["to"]) == ("2026-11-04", "2026-11-09")
    days = {d["date"]: d for d in body["cloud_recording_storage"]}
    assert list(days) == [f"2026-11-{n:02d}" for n in range(4, 10)]
    # allowance: 1 GB for the one licensed user + 30 GB cloud recording add-on = 31744 MB
    assert days["2026-11-04"] == {"date": "2026-11-04", "usage": "0 MB", "plan_usage": "51.5 MB",
                                  "free_usage": "30.9 GB"}
    assert days["2026-11-05"] == {"date": "2026-11-05", "usage": "103 MB", "plan_usage": "154.5 MB",
                                  "free_usage": "30.8 GB"}
    assert days["2026-11-06"]["usage"] == "0 MB" and days["2026-11-06"]["plan_usage"] == "154.5 MB"
    assert days["2026-11-07"] == {"date": "2026-11-07", "usage": "34.3 MB", "plan_usage": "188.8 MB",
                                  "free_usage": "30.8 GB"}
    assert days["2026-11-09"]["plan_usage"] == "188.8 MB"


def test_cloud_recording_storage_runs_out(clock: Admin) -> None:
    at(clock, "2026-11-01T00:00:00Z")
    api = clock.tenant(plan="pro", licences={"cloud_recording": False})
    mid = new_meeting(api, settings={"auto_recording": "cloud"})["id"]
    for day in range(2, 5):      # 3 x 1439 min x 30,000 B/s: 7.2 GB, past pro's 5 GB (5120 - 4940.4 MB = 179.6 MB)
        run(clock, mid, f"2026-11-0{day}T00:00:00Z", 24 * 60 - 1)
    at(clock, "2026-11-10T00:00:00Z")
    api.fetch_token()
    days = api.get("/report/cloud_recording", params={"from": "2026-11-02", "to": "2026-11-04"}).json()
    rows = days["cloud_recording_storage"]
    assert [d["usage"] for d in rows] == ["2.4 GB"] * 3
    assert [d["plan_usage"] for d in rows] == ["2.4 GB", "4.8 GB", "7.2 GB"]
    assert [d["free_usage"] for d in rows] == ["2.6 GB", "179.6 MB", "0 MB"]


def test_cloud_recording_date_rules(clock: Admin) -> None:
    at(clock, "2026-11-10T12:00:00Z")
    api = clock.tenant()
    get = lambda f, t: api.get("/report/cloud_recording", params={"from": f, "to": t})  # noqa: E731
    yesterday_only = "The 'to' date must be earlier than today: cloud recording usage is reported up to yesterday."
    assert get("2026-11-09", "2026-11-09").status_code == 200
    expect_error(get("2026-11-09", "2026-11-10"), 400, 300, yesterday_only)
    expect_error(get("2026-11-10", "2026-11-10"), 400, 300, yesterday_only)
    expect_error(get("2026-11-11", "2026-11-12"), 400, 300, "The 'from' date can not be later than today.")
    assert get("2026-10-01", "2026-10-31").status_code == 200
    expect_error(get("2026-10-01", "2026-11-01"), 400, 300, "The date range can not be more than 30 days.")
    expect_error(get("2026-10-05", "2026-10-01"), 400, 300, "The 'to' date can not be earlier than the 'from' date.")
    expect_error(get("2026-05-01", "2026-05-20"), 400, 300, "Only provide report in recent 6 months")
    expect_error(get("2026-11-xx", "2026-11-02"), 400, 300, "Invalid parameter: from.")
    assert _fields(api.get("/report/cloud_recording", params={"from": "2026-11-01"})) == {"to"}
    expect_error(api.get("/report/cloud_recording", params={"from": "2026-11-01", "to": "2026-11-02", "group_id": "x"}),
                 404, 4130, "Group does not exist: x.")


# ---- upcoming events ------------------------------------------------------------------------------

def test_upcoming_events(clock: Admin) -> None:
    at(clock, "2026-11-10T12:00:00Z")
    api = clock.tenant()
    member = add_user(clock, api, first_name="Max", last_name="Member")
    assert api.patch(f"/users/{member['id']}", json={"dept": "Ops"}).status_code == 204
    one = new_meeting(api, topic="One-off", type=2, start_time="2026-11-12T09:00:00Z", duration=30)
    daily = new_meeting(api, user=member["id"], topic="Daily", type=8, start_time="2026-11-11T08:00:00Z",
                        duration=15, timezone="UTC", recurrence={"type": 1, "repeat_interval": 1, "end_times": 5})
    occurrences = daily["occurrences"]
    assert len(occurrences) == 5
    r = api.delete(f"/meetings/{daily['id']}", params={"occurrence_id": occurrences[1]["occurrence_id"]})
    assert r.status_code == 204, r.text
    gone = new_meeting(api, topic="Gone", type=2, start_time="2026-11-12T10:00:00Z")
    assert api.delete(f"/meetings/{gone['id']}").status_code == 204
    new_meeting(api, topic="Instant", type=1)
    new_meeting(api, topic="No fixed time", type=3)
    new_meeting(api, topic="Later", type=2, start_time="2026-11-20T09:00:00Z")
    window = {"from": "2026-11-10", "to": "2026-11-13"}
    r = api.get("/report/upcoming_events", params=window)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["from"], body["to"], body["page_size"], body["next_page_token"]) == ("2026-11-10", "2026-11-13", 30, "")
    starts = [(e["topic"], e["start_time"]) for e in body["upcoming_events"]]
    assert starts == [("Daily", "2026-11-11T08:00:00Z"), ("One-off", "2026-11-12T09:00:00Z"),
                      ("Daily", "2026-11-13T08:00:00Z")]
    first = body["upcoming_events"][0]
    assert first == {"dept": "Ops", "host_id": member["id"], "host_name": "Max Member", "id": str(daily["id"]),
                     "start_time": "2026-11-11T08:00:00Z", "topic": "Daily"}
    assert body["upcoming_events"][1]["host_id"] == api.owner_id and body["upcoming_events"][1]["id"] == str(one["id"])
    assert api.get("/report/upcoming_events", params={**window, "type": "meeting"}).json()["upcoming_events"] \
        == body["upcoming_events"]
    assert api.get("/report/upcoming_events", params={**window, "type": "webinar"}).json()["upcoming_events"] == []
    # paging through the whole month, two at a time
    month = {"from": "2026-11-10", "to": "2026-12-10", "page_size": 2}
    p1 = api.get("/report/upcoming_events", params=month).json()
    pages, token = [p1], p1["next_page_token"]
    while token:
        pages.append(api.get("/report/upcoming_events", params={**month, "next_page_token": token}).json())
        token = pages[-1]["next_page_token"]
    assert len(pages) == 3
    assert [e["start_time"] for p in pages for e in p["upcoming_events"]] == [
        "2026-11-11T08:00:00Z", "2026-11-12T09:00:00Z", "2026-11-13T08:00:00Z", "2026-11-14T08:00:00Z",
        "2026-11-15T08:00:00Z", "2026-11-20T09:00:00Z"]
    expect_error(api.get("/report/upcoming_events", params={**month, "type": "webinar",
                                                            "next_page_token": p1["next_page_token"]}),
                 400, 300, "The next page token is invalid or expired.")


def test_upcoming_events_date_rules(clock: Admin) -> None:
    at(clock, "2026-11-10T12:00:00Z")
    api = clock.tenant()
    get = lambda f, t: api.get("/report/upcoming_events", params={"from": f, "to": t})  # noqa: E731
    assert get("2026-12-01", "2026-12-31").status_code == 200          # the future is allowed
    assert get("2026-06-01", "2026-06-30").status_code == 200          # so is the past six months
    expect_error(get("2026-05-01", "2026-05-31"), 400, 300, "Only provide report in recent 6 months")
    expect_error(get("2026-11-10", "2026-12-11"), 400, 300, "The date range can not be more than one month.")
    expect_error(get("2026-11-10", "2026-11-09"), 400, 300, "The 'to' date can not be earlier than the 'from' date.")
    expect_error(get("tomorrow", "2026-11-09"), 400, 300, "Invalid parameter: from.")
    expect_error(api.get("/report/upcoming_events", params={"from": "2026-11-10", "to": "2026-11-11", "group_id": "g"}),
                 404, 4130, "Group does not exist: g.")
    expect_error(api.get("/report/upcoming_events", params={"from": "2026-11-10", "to": "2026-11-11",
                                                            "next_page_token": "nope"}),
                 400, 300, "The next page token is invalid or expired.")
