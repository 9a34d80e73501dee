"""Past meetings over HTTP (both backends): meetings are run through the admin simulation with a
frozen clock, then read back through details, instances, participants, polls and Q&A, checking
the exact times, durations, counts and tallies that went in, paging, and the documented errors."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from support import Admin, Api, freeze, new_meeting, ok
from support import expect_error as err

NOW = "2026-11-02T15:00:00Z"
NOT_ENDED = "Meeting ID is invalid or not end."
BAD_TOKEN = "The next page token is invalid or expired."
SINGLE_INSTANCE_OPS = ("", "/participants", "/polls", "/qa")


def enc(uuid: str) -> str:
    """Zoom's double encoding of an instance UUID in a path."""
    return quote(quote(uuid, safe=""), safe="")


def sim(admin: Admin, method: str, path: str, json: Any = None) -> Any:
    r = admin.http.request(method, "/_zoomsim/meetings" + path, json=json)
    assert r.status_code < 300, r.text
    return r.json()


def frozen(clock: Admin, api: Api, now: str = NOW) -> None:
    freeze(clock, api, now)


def join(admin: Admin, mid: int, **spec: Any) -> str:
    return str(sim(admin, "POST", f"/{mid}/participants", spec)["participant_id"])


def leave(admin: Admin, mid: int, pid: str) -> None:
    sim(admin, "DELETE", f"/{mid}/participants/{pid}")


def run(admin: Admin, mid: int, **spec: Any) -> dict[str, Any]:
    return sim(admin, "POST", f"/{mid}/run", spec)  # type: ignore[no-any-return]


def stepped_meeting(admin: Admin, api: Api, clock: Admin) -> tuple[dict[str, Any], dict[str, str]]:
    """15:00 start; host stays 30 min; Ann 0-10 min, back 15-30; Bo (no email) 10-30 min."""
    frozen(clock, api)
    m = new_meeting(api, topic="Retro")
    mid = m["id"]
    sim(admin, "POST", f"/{mid}/start")
    ids = {"host": join(admin, mid, user_id=api.owner_id), "ann": join(admin, mid, name="Ann", email="ann@example.com")}
    clock.clock(advance_seconds=600)
    leave(admin, mid, ids["ann"])
    ids["bo"] = join(admin, mid, name="Bo")
    clock.clock(advance_seconds=300)
    ids["ann2"] = join(admin, mid, name="Ann", email="ann@example.com")
    clock.clock(advance_seconds=900)
    sim(admin, "POST", f"/{mid}/end")
    return m, ids


# ---- details, participants -----------------------------------------------------------------

def test_details_of_a_step_by_step_run(admin: Admin, api: Api, clock: Admin) -> None:
    m, _ = stepped_meeting(admin, api, clock)
    me = ok(api, "/users/me")
    body = ok(api, f"/past_meetings/{m['id']}")
    assert body == {
        "id": m["id"], "uuid": m["uuid"], "duration": 30, "start_time": "2026-11-02T15:00:00Z",
        "end_time": "2026-11-02T15:30:00Z", "host_id": api.owner_id, "dept": me.get("dept", ""),
        "participants_count": 3, "source": "Zoom", "topic": "Retro",
        # host 1800 s + Ann 600 s + Bo 1200 s + Ann again 900 s = 4500 s = 75 minutes
        "total_minutes": 75, "type": 2, "user_email": me["email"], "user_name": body["user_name"],
        "has_meeting_summary": True,
    }
    assert body["user_name"]
    assert ok(api, f"/past_meetings/{enc(m['uuid'])}") == body


def test_participants_one_entry_per_session(admin: Admin, api: Api, clock: Admin) -> None:
    m, ids = stepped_meeting(admin, api, clock)
    me = ok(api, "/users/me")
    body = ok(api, f"/past_meetings/{m['id']}/participants")
    assert (body["total_records"], body["page_count"], body["page_size"], body["next_page_token"]) == (4, 1, 30, "")
    rows = body["participants"]
    assert [r["user_id"] for r in rows] == [ids["host"], ids["ann"], ids["bo"], ids["ann2"]]
    assert [(r["join_time"][11:19], r["leave_time"][11:19], r["duration"]) for r in rows] == [
        ("15:00:00", "15:30:00", 1800), ("15:00:00", "15:10:00", 600),
        ("15:10:00", "15:30:00", 1200), ("15:15:00", "15:30:00", 900)]
    host, ann, bo, ann2 = rows
    assert (host["id"], host["user_email"], host["internal_user"]) == (api.owner_id, me["email"], True)
    assert ann == {"id": "", "name": "Ann", "user_id": ids["ann"], "registrant_id": "",
                   "user_email": "ann@example.com", "join_time": "2026-11-02T15:00:00Z",
                   "leave_time": "2026-11-02T15:10:00Z", "duration": 600, "failover": False,
                   "status": "in_meeting", "internal_user": False}
    assert (bo["name"], bo["user_email"], bo["id"]) == ("Bo", "", "")
    assert ann2["name"] == "Ann" and ann2["user_id"] != ann["user_id"]
    # the sessions' seconds add up to the instance's participant minutes
    assert -(-sum(r["duration"] for r in rows) // 60) == ok(api, f"/past_meetings/{m['id']}")["total_minutes"]


def test_paging_across_75_sessions(admin: Admin, api: Api, clock: Admin) -> None:
    frozen(clock, api)
    mid = new_meeting(api)["id"]
    sim(admin, "POST", f"/{mid}/start")
    joined = []
    for n in range(75):
        joined.append(join(admin, mid, name=f"Guest {n:02d}", email=f"guest{n:02d}@example.com"))
        clock.clock(advance_seconds=10)
    sim(admin, "POST", f"/{mid}/end")
    pages, params = [], {"page_size": 30}
    while True:
        page = ok(api, f"/past_meetings/{mid}/participants", **params)
        pages.append(page)
        if not page["next_page_token"]:
            break
        params["next_page_token"] = page["next_page_token"]
    assert [len(p["participants"]) for p in pages] == [30, 30, 15]
    assert {(p["total_records"], p["page_count"], p["page_size"]) for p in pages} == {(75, 3, 30)}
    seen = [r for p in pages for r in p["participants"]]
    assert [r["user_id"] for r in seen] == joined
    assert [r["name"] for r in seen] == [f"Guest {n:02d}" for n in range(75)]
    # Guest n joined 10n seconds in and stayed until the end, 750 s after the start
    assert [r["duration"] for r in seen] == [750 - 10 * n for n in range(75)]
    assert ok(api, f"/past_meetings/{mid}")["participants_count"] == 75


def test_page_size_limits(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    ended = run(admin, mid, participants=40, duration_minutes=20, seed=3)
    sessions = len(ended["participants"])
    default = ok(api, f"/past_meetings/{mid}/participants")
    assert default["page_size"] == 30 and default["total_records"] == sessions
    assert len(default["participants"]) == min(30, sessions)
    big = ok(api, f"/past_meetings/{mid}/participants", page_size=300)
    assert len(big["participants"]) == sessions and big["next_page_token"] == ""
    assert [r["user_id"] for r in big["participants"]] == [p["participant_id"] for p in ended["participants"]]
    seconds = sum(r["duration"] for r in big["participants"])
    assert ended["total_minutes"] == -(-seconds // 60)
    assert ok(api, f"/past_meetings/{mid}")["total_minutes"] == ended["total_minutes"]


def test_bad_page_tokens(admin: Admin, api: Api, clock: Admin) -> None:
    frozen(clock, api)
    first, second = new_meeting(api)["id"], new_meeting(api)["id"]
    run(admin, first, participants=5, duration_minutes=10)
    run(admin, second, participants=5, duration_minutes=10)
    token = ok(api, f"/past_meetings/{first}/participants", page_size=2)["next_page_token"]
    assert token
    err(api.get(f"/past_meetings/{first}/participants", params={"next_page_token": "garbage"}), 400, 300, BAD_TOKEN)
    err(api.get(f"/past_meetings/{first}/participants", params={"next_page_token": token[:-2] + "xx"}),
        400, 300, BAD_TOKEN)
    # a token belongs to the instance that issued it
    err(api.get(f"/past_meetings/{second}/participants", params={"next_page_token": token}), 400, 300, BAD_TOKEN)
    assert len(ok(api, f"/past_meetings/{first}/participants", page_size=2, next_page_token=token)["participants"]) == 2
    clock.clock(advance_seconds=16 * 60)
    api.fetch_token()
    err(api.get(f"/past_meetings/{first}/participants", params={"next_page_token": token}), 400, 300, BAD_TOKEN)


# ---- instances, UUIDs ----------------------------------------------------------------------

def test_by_uuid_and_by_number_after_two_runs(admin: Admin, api: Api, clock: Admin) -> None:
    frozen(clock, api)
    m = new_meeting(api, topic="Weekly")
    mid = m["id"]
    one = run(admin, mid, participants=3, duration_minutes=20, start_time="2026-11-01T09:00:00Z", seed=1)
    two = run(admin, mid, participants=6, duration_minutes=45, start_time="2026-11-02T09:00:00Z", seed=2)
    assert one["uuid"] == m["uuid"] and two["uuid"] != one["uuid"]
    assert ok(api, f"/past_meetings/{mid}/instances") == {"meetings": [
        {"uuid": one["uuid"], "start_time": "2026-11-01T09:00:00Z"},
        {"uuid": two["uuid"], "start_time": "2026-11-02T09:00:00Z"}]}
    latest = ok(api, f"/past_meetings/{mid}")
    assert (latest["uuid"], latest["duration"], latest["participants_count"], latest["total_minutes"]) == \
        (two["uuid"], 45, two["participants_count"], two["total_minutes"])
    assert latest["end_time"] == "2026-11-02T09:45:00Z"
    for path in (enc(one["uuid"]), quote(one["uuid"], safe="")):
        older = ok(api, f"/past_meetings/{path}")
        assert (older["uuid"], older["duration"], older["participants_count"], older["total_minutes"]) == \
            (one["uuid"], 20, one["participants_count"], one["total_minutes"])
        assert older["start_time"] == "2026-11-01T09:00:00Z" and older["end_time"] == "2026-11-01T09:20:00Z"
        assert older["has_meeting_summary"] is True
    by_uuid = ok(api, f"/past_meetings/{enc(one['uuid'])}/participants", page_size=300)
    assert [r["user_id"] for r in by_uuid["participants"]] == [p["participant_id"] for p in one["participants"]]
    assert by_uuid["total_records"] == len(one["participants"])
    for suffix in ("/polls", "/qa"):
        assert ok(api, f"/past_meetings/{enc(one['uuid'])}{suffix}")["uuid"] == one["uuid"]
        assert ok(api, f"/past_meetings/{mid}{suffix}")["uuid"] == two["uuid"]


def test_uuid_holding_slash_or_plus(admin: Admin, api: Api) -> None:
    """Instance UUIDs are random base64: run until one holds '/' or '+', then read it."""
    mid = new_meeting(api)["id"]
    uuid = ""
    for _ in range(60):
        uuid = run(admin, mid, participants=1, duration_minutes=1)["uuid"]
        if "/" in uuid or "+" in uuid:
            break
    assert "/" in uuid or "+" in uuid
    assert ok(api, f"/past_meetings/{enc(uuid)}")["uuid"] == uuid
    assert ok(api, f"/past_meetings/{enc(uuid)}/participants")["total_records"] == 2   # host + guest
    assert ok(api, f"/past_meetings/{enc(uuid)}/qa")["uuid"] == uuid
    assert uuid in [i["uuid"] for i in ok(api, f"/past_meetings/{mid}/instances")["meetings"]]


def test_meeting_that_never_ended(admin: Admin, api: Api) -> None:
    m = new_meeting(api)
    mid = m["id"]
    assert ok(api, f"/past_meetings/{mid}/instances") == {"meetings": []}
    for suffix in SINGLE_INSTANCE_OPS:
        err(api.get(f"/past_meetings/{mid}{suffix}"), 404, 3001, NOT_ENDED)
    # running, not yet over: neither the number nor the running instance's UUID is a past meeting
    sim(admin, "POST", f"/{mid}/start")
    for suffix in SINGLE_INSTANCE_OPS:
        err(api.get(f"/past_meetings/{mid}{suffix}"), 404, 3001, NOT_ENDED)
        err(api.get(f"/past_meetings/{enc(m['uuid'])}{suffix}"), 404, 3001, NOT_ENDED)
    assert ok(api, f"/past_meetings/{mid}/instances") == {"meetings": []}
    sim(admin, "POST", f"/{mid}/end")
    assert [i["uuid"] for i in ok(api, f"/past_meetings/{mid}/instances")["meetings"]] == [m["uuid"]]


def test_summary_flag_follows_the_trash(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    run(admin, mid, participants=2, duration_minutes=5)
    assert ok(api, f"/past_meetings/{mid}")["has_meeting_summary"] is True
    assert api.delete(f"/meetings/{mid}/meeting_summary").status_code == 204
    assert ok(api, f"/past_meetings/{mid}")["has_meeting_summary"] is False


# ---- polls and Q&A ---------------------------------------------------------------------------

def test_poll_results_per_voter(admin: Admin, api: Api, clock: Admin) -> None:
    frozen(clock, api)
    mid = new_meeting(api)["id"]
    lunch = api.post(f"/meetings/{mid}/polls", json={"title": "Lunch", "questions": [
        {"name": "Where?", "type": "single", "answers": ["Pizza", "Sushi"]},
        {"name": "Who?", "type": "multiple", "answers": ["Ann", "Bo", "Cy"]}]}).json()
    mood = api.post(f"/meetings/{mid}/polls", json={"title": "Mood", "anonymous": True, "questions": [
        {"name": "How was it?", "type": "single", "answers": ["Good", "Bad"]}]}).json()
    started = sim(admin, "POST", f"/{mid}/start")
    ann = join(admin, mid, name="Ann", email="ann@example.com")
    bo = join(admin, mid, name="Bo", email="bo@example.com")

    def vote(poll: dict[str, Any], who: str, answers: dict[str, Any]) -> None:
        clock.clock(advance_seconds=60)
        sim(admin, "POST", f"/{mid}/polls/{poll['id']}/votes", {"participant_id": who, "answers": answers})

    vote(lunch, bo, {"Where?": "Pizza", "Who?": ["Ann"]})              # 15:01
    vote(mood, ann, {"How was it?": "Good"})                            # 15:02
    leave(admin, mid, ann)
    ann_again = join(admin, mid, name="Ann", email="ann@example.com")   # same person, new session
    vote(lunch, ann_again, {"Where?": "Sushi", "Who?": ["Bo", "Cy"]})   # 15:03
    vote(mood, bo, {"How was it?": "Bad"})                              # 15:04
    sim(admin, "POST", f"/{mid}/end")
    body = ok(api, f"/past_meetings/{mid}/polls")
    assert (body["id"], body["uuid"], body["start_time"]) == (mid, started["uuid"], NOW)

    def detail(poll: dict[str, Any], q: str, a: str, at: str) -> dict[str, str]:
        return {"question": q, "answer": a, "polling_id": poll["id"], "date_time": f"2026-11-02T15:{at}:00Z"}

    assert body["questions"] == [
        {"name": "Bo", "email": "bo@example.com", "question_details": [
            detail(lunch, "Where?", "Pizza", "01"), detail(lunch, "Who?", "Ann", "01")]},
        {"name": "Anonymous", "email": "", "question_details": [detail(mood, "How was it?", "Good", "02")]},
        {"name": "Ann", "email": "ann@example.com", "question_details": [
            detail(lunch, "Where?", "Sushi", "03"), detail(lunch, "Who?", "Bo;Cy", "03")]},
        {"name": "Anonymous", "email": "", "question_details": [detail(mood, "How was it?", "Bad", "04")]},
    ]


def test_poll_votes_from_a_full_run_add_up(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    api.post(f"/meetings/{mid}/polls", json={"title": "Go?", "questions": [
        {"name": "Ship it?", "type": "single", "answers": ["Yes", "No"]}]})
    run(admin, mid, participants=9, duration_minutes=30, poll_votes=True, seed=5)
    body = ok(api, f"/past_meetings/{mid}/polls")
    voters = body["questions"]
    assert len(voters) == 10    # the host and nine attendees each voted once
    assert all(len(v["question_details"]) == 1 and v["question_details"][0]["answer"] in ("Yes", "No")
               for v in voters)
    times = [v["question_details"][0]["date_time"] for v in voters]
    assert times == sorted(times)


def test_qa_grouped_by_asker(admin: Admin, api: Api, clock: Admin) -> None:
    frozen(clock, api)
    mid = new_meeting(api)["id"]
    sim(admin, "POST", f"/{mid}/start")
    host = join(admin, mid, user_id=api.owner_id)
    ann = join(admin, mid, name="Ann", email="ann@example.com")
    bo = join(admin, mid, name="Bo")

    def ask(who: str, question: str, answers: list[Any] | None = None, anonymous: bool = False) -> None:
        clock.clock(advance_seconds=30)
        sim(admin, "POST", f"/{mid}/qa", {"participant_id": who, "question": question, "answers": answers or [],
                                          "anonymous": anonymous})

    ask(ann, "When is the release?", ["Friday", {"content": "Maybe Monday", "participant_id": host}])
    ask(bo, "Who owns QA?", anonymous=True)
    ask(ann, "Is there a demo?")
    ask(bo, "Where are the notes?", ["In the wiki"])
    ask(ann, "Can I skip?", ["No"], anonymous=True)
    sim(admin, "POST", f"/{mid}/end")
    body = ok(api, f"/past_meetings/{mid}/qa")
    assert (body["id"], body["start_time"]) == (mid, NOW)
    assert body["questions"] == [
        {"name": "Ann", "email": "ann@example.com", "question_details": [
            {"question": "When is the release?", "answer": "Friday; Maybe Monday"},
            {"question": "Is there a demo?", "answer": ""}]},
        {"name": "Anonymous", "email": "", "question_details": [{"question": "Who owns QA?", "answer": ""}]},
        {"name": "Bo", "email": "", "question_details": [
            {"question": "Where are the notes?", "answer": "In the wiki"}]},
        {"name": "Anonymous", "email": "", "question_details": [{"question": "Can I skip?", "answer": "No"}]},
    ]


def test_no_polls_or_questions(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    ended = run(admin, mid, participants=2, duration_minutes=5)
    assert ok(api, f"/past_meetings/{mid}/polls")["questions"] == []
    assert ok(api, f"/past_meetings/{mid}/qa") == {"id": mid, "uuid": ended["uuid"],
                                                   "start_time": ended["start_time"], "questions": []}


def test_qa_count_from_a_full_run(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    run(admin, mid, participants=6, duration_minutes=30, qa=7, seed=11)
    body = ok(api, f"/past_meetings/{mid}/qa")
    assert sum(len(e["question_details"]) for e in body["questions"]) == 7
    askers = [(e["name"], e["email"]) for e in body["questions"]]   # made-up names may repeat; e-mails don't
    assert len(askers) == len(set(askers))   # none anonymous: one entry per asker


# ---- age, plan, access -----------------------------------------------------------------------

def test_a_year_on_the_instance_is_out_of_reach(admin: Admin, api: Api, clock: Admin) -> None:
    frozen(clock, api)
    mid = new_meeting(api)["id"]
    ended = run(admin, mid, participants=2, duration_minutes=10)
    frozen(clock, api, "2027-11-02T14:59:00Z")      # a minute short of a year after it ended
    assert ok(api, f"/past_meetings/{mid}")["uuid"] == ended["uuid"]
    frozen(clock, api, "2027-11-02T15:00:01Z")
    err(api.get(f"/past_meetings/{mid}"), 400, 12702, "Cannot access a meeting a year ago.")
    err(api.get(f"/past_meetings/{enc(ended['uuid'])}"), 400, 12702, "Cannot access a meeting a year ago.")
    for suffix in ("/participants", "/polls", "/qa"):
        err(api.get(f"/past_meetings/{mid}{suffix}"), 400, 12702, "Can not access a meeting a year ago.")
    # the list of instances still names it
    assert [i["uuid"] for i in ok(api, f"/past_meetings/{mid}/instances")["meetings"]] == [ended["uuid"]]


def test_free_plan(admin: Admin) -> None:
    free = admin.tenant(plan="free")
    mid = new_meeting(free)["id"]
    ended = run(admin, mid, participants=2, duration_minutes=5)
    err(free.get(f"/past_meetings/{mid}"), 400, 200, f"Only available for paid account: {free.account_id}.")
    err(free.get(f"/past_meetings/{mid}/participants"), 400, 200, f"Only available for paid account: {free.account_id}")
    assert ok(free, f"/past_meetings/{mid}/instances")["meetings"][0]["uuid"] == ended["uuid"]
    assert ok(free, f"/past_meetings/{mid}/polls")["uuid"] == ended["uuid"]
    assert ok(free, f"/past_meetings/{mid}/qa")["uuid"] == ended["uuid"]


def test_other_account_gets_not_found(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    ended = run(admin, mid, participants=2, duration_minutes=5)
    other = admin.tenant()
    missing = f"Meeting does not exist: {mid}."
    err(other.get(f"/past_meetings/{mid}"), 404, 3001, missing)
    err(other.get(f"/past_meetings/{mid}/instances"), 404, 3001, missing)
    err(other.get(f"/past_meetings/{mid}/participants"), 404, 3001, missing)
    err(other.get(f"/past_meetings/{mid}/polls"), 404, 3001, missing)
    err(other.get(f"/past_meetings/{mid}/qa"), 404, 3001, NOT_ENDED)
    err(other.get(f"/past_meetings/{enc(ended['uuid'])}"), 404, 3001, f"Meeting does not exist: {ended['uuid']}.")
    assert ok(api, f"/past_meetings/{mid}")["uuid"] == ended["uuid"]


def test_member_without_admin_scope(admin: Admin, api: Api) -> None:
    member = admin.member(api)
    owners = new_meeting(api)["id"]
    theirs = run(admin, owners, participants=2, duration_minutes=5)
    for path in (f"/past_meetings/{owners}", f"/past_meetings/{owners}/instances",
                 f"/past_meetings/{enc(theirs['uuid'])}", f"/past_meetings/{owners}/participants",
                 f"/past_meetings/{owners}/polls", f"/past_meetings/{owners}/qa"):
        err(member.get(path), 400, 3000)
    mine = new_meeting(member)["id"]
    ended = run(admin, mine, participants=3, duration_minutes=15)
    body = ok(member, f"/past_meetings/{mine}")
    assert (body["host_id"], body["duration"], body["participants_count"]) == (member.owner_id, 15, 4)
    assert ok(member, f"/past_meetings/{mine}/instances")["meetings"][0]["uuid"] == ended["uuid"]
    assert ok(member, f"/past_meetings/{mine}/participants")["total_records"] == len(ended["participants"])
    assert ok(member, f"/past_meetings/{mine}/qa")["questions"] == []
    # the account's admin reads the member's meeting
    assert ok(api, f"/past_meetings/{mine}")["uuid"] == ended["uuid"]


@pytest.mark.parametrize("raw", ["12345", "9999999999999999999", "99999999999999999999", "%C2%B2", "not-a-uuid",
                                 "%2500abc", "abc%2500", "%20"])
def test_ids_that_name_nothing(api: Api, raw: str) -> None:
    for suffix in ("", "/participants", "/polls", "/instances"):
        r = api.get(f"/past_meetings/{raw}{suffix}")
        assert r.status_code == 404 and r.json()["code"] == 3001, (suffix, r.text)
    r = api.get(f"/past_meetings/{raw}/qa")
    err(r, 404, 3001, NOT_ENDED)
