"""Past webinars over HTTP (both backends): instances, participants (paged), absentees, polls
and Q&A of webinars run through the admin simulation, the webinar wording of their errors, and
the kind check that keeps meetings and webinars off each other's paths. Webinar history made by
`zoomsim simulate --webinars` reads the same way."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, Server, freeze, new_meeting, ok
from support import expect_error as err
from test_simulate_cli import END, tenant
from test_webinar_simulation import enc, join, register, step
from test_webinars import new_webinar
from zoomsim import clock as clockmod
from zoomsim.simulation import bulk

NOW = "2026-11-02T15:00:00Z"
NOT_ENDED = "Webinar ID is invalid or not end."


def run(admin: Admin, wid: int, **spec: Any) -> dict[str, Any]:
    return step(admin, "webinars", "POST", f"/{wid}/run", spec)  # type: ignore[no-any-return]


def absentees(api: Api, wid: Any, **params: Any) -> dict[str, Any]:
    return ok(api, f"/past_webinars/{wid}/absentees", **params)


# ---- instances and participants ------------------------------------------------------------

def test_instances_of_a_webinar(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    w = new_webinar(api)
    wid = w["id"]
    assert ok(api, f"/past_webinars/{wid}/instances") == {"webinars": []}
    one = run(admin, wid, participants=2, duration_minutes=20, start_time="2026-11-01T09:00:00Z")
    two = run(admin, wid, participants=3, duration_minutes=30, start_time="2026-11-02T09:00:00Z")
    assert one["uuid"] == w["uuid"]
    assert ok(api, f"/past_webinars/{wid}/instances") == {"webinars": [
        {"uuid": one["uuid"], "start_time": "2026-11-01T09:00:00Z"},
        {"uuid": two["uuid"], "start_time": "2026-11-02T09:00:00Z"}]}
    mid = new_meeting(api)["id"]
    err(api.get(f"/past_webinars/{mid}/instances"), 404, 3001, f"Webinar does not exist: {mid}.")
    err(api.get(f"/past_meetings/{wid}/instances"), 404, 3001, f"Meeting does not exist: {wid}.")
    err(admin.tenant().get(f"/past_webinars/{wid}/instances"), 404, 3001)


def test_participants_page_through_every_session(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    w = new_webinar(api, settings={"approval_type": 0})
    wid = w["id"]
    rid = register(api, wid, "Rita", "rita@example.com")
    step(admin, "webinars", "POST", f"/{wid}/start")
    joined = [join(admin, wid, user_id=api.owner_id)["participant_id"],
              join(admin, wid, name="Pat", role="panelist")["participant_id"],
              join(admin, wid, registrant_id=rid)["participant_id"]]
    for n in range(42):
        joined.append(join(admin, wid, name=f"Guest {n:02d}", email=f"g{n:02d}@example.com")["participant_id"])
        clock.clock(advance_seconds=10)
    step(admin, "webinars", "POST", f"/{wid}/end")
    pages, params = [], {"page_size": 20}
    while True:
        page = ok(api, f"/past_webinars/{wid}/participants", **params)
        pages.append(page)
        if not page["next_page_token"]:
            break
        params["next_page_token"] = page["next_page_token"]
    assert [len(p["participants"]) for p in pages] == [20, 20, 5]
    assert {(p["total_records"], p["page_count"], p["page_size"]) for p in pages} == {(45, 3, 20)}
    rows = [r for p in pages for r in p["participants"]]
    assert [r["user_id"] for r in rows] == joined
    host, pat, rita = rows[:3]
    assert (host["id"], host["internal_user"]) == (api.owner_id, True)
    assert rita == {"id": "", "name": "Rita Reg", "user_id": joined[2], "registrant_id": rid,
                    "user_email": "rita@example.com", "join_time": NOW, "leave_time": "2026-11-02T15:07:00Z",
                    "duration": 420, "failover": False, "status": "in_meeting", "internal_user": False}
    by_uuid = ok(api, f"/past_webinars/{enc(w['uuid'])}/participants", page_size=300)
    assert [r["user_id"] for r in by_uuid["participants"]] == joined
    err(api.get(f"/past_meetings/{wid}/participants"), 404, 3001, f"Meeting does not exist: {wid}.")
    err(api.get(f"/past_meetings/{enc(w['uuid'])}/participants"), 404, 3001)


def test_a_webinar_that_never_ended(admin: Admin, api: Api) -> None:
    w = new_webinar(api)
    wid = w["id"]
    for suffix in ("/participants", "/polls", "/qa"):
        expected = NOT_ENDED if suffix != "/participants" else "Webinar ID is invalid or not end."
        err(api.get(f"/past_webinars/{wid}{suffix}"), 404, 3001, expected)
    step(admin, "webinars", "POST", f"/{wid}/start")
    err(api.get(f"/past_webinars/{enc(w['uuid'])}/qa"), 404, 3001, NOT_ENDED)
    err(api.get(f"/past_webinars/{wid}/absentees"), 404, 3001, f"Webinar {wid} not found or expired.")
    step(admin, "webinars", "POST", f"/{wid}/end")
    err(api.get("/past_webinars/NoSuchUuid0000000000A==/polls"), 404, 3001, NOT_ENDED)
    err(api.get("/past_webinars/NoSuchUuid0000000000A==/participants"), 404, 3001, "Webinar does not exist.")


# ---- absentees -----------------------------------------------------------------------------

def test_absentees_are_registrants_who_never_came(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    w = new_webinar(api, settings={"approval_type": 0})
    wid = w["id"]
    rids = [register(api, wid, name, f"{name.lower()}@example.com") for name in ("Ann", "Bo", "Cy")]
    step(admin, "webinars", "POST", f"/{wid}/start")
    join(admin, wid, registrant_id=rids[1])
    join(admin, wid, name="Someone else", email="else@example.com")
    clock.clock(advance_seconds=600)
    step(admin, "webinars", "POST", f"/{wid}/end")
    body = absentees(api, wid)
    assert (body["total_records"], body["page_count"], body["page_size"], body["next_page_token"]) == (2, 1, 30, "")
    assert [r["id"] for r in body["registrants"]] == [rids[0], rids[2]]
    ann = body["registrants"][0]
    assert (ann["email"], ann["first_name"], ann["last_name"], ann["status"]) == ("ann@example.com", "Ann", "Reg",
                                                                                   "approved")
    assert ann == ok(api, f"/webinars/{wid}/registrants/{rids[0]}")
    first = absentees(api, wid, page_size=1)
    assert [r["id"] for r in first["registrants"]] == [rids[0]] and first["page_count"] == 2
    second = absentees(api, wid, page_size=1, next_page_token=first["next_page_token"])
    assert [r["id"] for r in second["registrants"]] == [rids[2]] and second["next_page_token"] == ""
    assert absentees(api, enc(w["uuid"]))["total_records"] == 2
    err(api.get(f"/past_webinars/{wid}/absentees", params={"next_page_token": "junk"}), 400, 300)


def test_who_counts_as_an_absentee(admin: Admin, api: Api, clock: Admin) -> None:
    """Attending by email counts; pending registrants and those who registered after the end do not."""
    freeze(clock, api, NOW)
    wid = new_webinar(api, settings={"approval_type": 1})["id"]
    came, away, pending = (register(api, wid, n, f"{n.lower()}@example.com") for n in ("Came", "Away", "Pending"))
    assert api.put(f"/webinars/{wid}/registrants/status", json={
        "action": "approve", "registrants": [{"id": came}, {"id": away}]}).status_code == 204
    step(admin, "webinars", "POST", f"/{wid}/start")
    join(admin, wid, name="Came", email="CAME@example.com")        # not through their link, same address
    clock.clock(advance_seconds=60)
    step(admin, "webinars", "POST", f"/{wid}/end")
    clock.clock(advance_seconds=60)
    late = register(api, wid, "Late", "late@example.com")
    assert api.put(f"/webinars/{wid}/registrants/status", json={
        "action": "approve", "registrants": [{"id": late}]}).status_code == 204
    assert [r["id"] for r in absentees(api, wid)["registrants"]] == [away]
    assert pending


def test_absentee_errors(admin: Admin, api: Api) -> None:
    open_w = new_webinar(api)
    ended = run(admin, open_w["id"], participants=2, duration_minutes=5)
    err(api.get(f"/past_webinars/{open_w['id']}/absentees"), 400, 3000,
        f"This webinar doesn't have registration required: {ended['uuid']}.")
    mid = new_meeting(api, settings={"approval_type": 0})["id"]
    step(admin, "meetings", "POST", f"/{mid}/run", {"participants": 1, "duration_minutes": 5})
    err(api.get(f"/past_webinars/{mid}/absentees"), 404, 3001, f"Webinar {mid} not found or expired.")
    reg = new_webinar(api, settings={"approval_type": 0})["id"]
    run(admin, reg, participants=1, duration_minutes=5)
    err(api.get(f"/past_webinars/{reg}/absentees", params={"occurrence_id": "1234"}), 400, 300,
        "The request could not be completed because you have provided an invalid occurrence ID: 1234.")
    err(admin.tenant().get(f"/past_webinars/{reg}/absentees"), 404, 3001)
    member = admin.member(api, scopes=("webinar:read",))
    err(member.get(f"/past_webinars/{reg}/absentees"), 400, 200, "No permission.")


def test_absentees_of_one_occurrence(admin: Admin, api: Api, clock: Admin) -> None:
    """A recurring webinar whose registrants pick occurrences: each run has its own absentees."""
    freeze(clock, api, "2026-11-01T08:00:00Z")
    w = new_webinar(api, type=9, start_time="2026-11-01T09:00:00Z", settings={"approval_type": 0,
                                                                              "registration_type": 3},
                    recurrence={"type": 1, "repeat_interval": 1, "end_times": 3})
    wid = w["id"]
    first_occ, second_occ = (o["occurrence_id"] for o in w["occurrences"][:2])
    both = api.post(f"/webinars/{wid}/registrants", params={"occurrence_ids": f"{first_occ},{second_occ}"},
                    json={"email": "both@example.com", "first_name": "Both"}).json()["registrant_id"]
    only_second = api.post(f"/webinars/{wid}/registrants", params={"occurrence_ids": second_occ},
                           json={"email": "two@example.com", "first_name": "Two"}).json()["registrant_id"]
    freeze(clock, api, "2026-11-02T12:00:00Z")
    run(admin, wid, participants=1, duration_minutes=30, start_time="2026-11-01T09:00:00Z")
    run(admin, wid, participants=1, duration_minutes=30, start_time="2026-11-02T09:00:00Z")
    assert [r["id"] for r in absentees(api, wid, occurrence_id=first_occ)["registrants"]] == [both]
    assert [r["id"] for r in absentees(api, wid, occurrence_id=second_occ)["registrants"]] == [both, only_second]
    assert [r["id"] for r in absentees(api, wid)["registrants"]] == [both, only_second]
    third = w["occurrences"][2]["occurrence_id"]
    err(api.get(f"/past_webinars/{wid}/absentees", params={"occurrence_id": third}), 404, 3001)


# ---- polls and Q&A ---------------------------------------------------------------------------

def test_polls_and_qa_of_a_past_webinar(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    wid = new_webinar(api)["id"]
    poll = api.post(f"/webinars/{wid}/polls", json={"title": "Ready?", "questions": [
        {"name": "Ship it?", "type": "single", "answers": ["Yes", "No"]}]}).json()
    started = step(admin, "webinars", "POST", f"/{wid}/start")
    ann = join(admin, wid, name="Ann", email="ann@example.com")["participant_id"]
    pat = join(admin, wid, name="Pat", email="pat@example.com", role="panelist")["participant_id"]
    clock.clock(advance_seconds=60)
    step(admin, "webinars", "POST", f"/{wid}/polls/{poll['id']}/votes", {"participant_id": ann,
                                                                         "answers": {"Ship it?": "No"}})
    step(admin, "webinars", "POST", f"/{wid}/qa", {"participant_id": ann, "question": "Why not?",
                                                    "answers": [{"content": "Tests", "participant_id": pat}]})
    step(admin, "webinars", "POST", f"/{wid}/end")
    polls = ok(api, f"/past_webinars/{wid}/polls")
    assert polls == {"id": wid, "uuid": started["uuid"], "start_time": NOW, "questions": [
        {"name": "Ann", "email": "ann@example.com", "question_details": [
            {"question": "Ship it?", "answer": "No", "polling_id": poll["id"], "date_time": "2026-11-02T15:01:00Z"}]}]}
    qa = ok(api, f"/past_webinars/{wid}/qa")
    assert qa["questions"] == [{"name": "Ann", "email": "ann@example.com",
                                "question_details": [{"question": "Why not?", "answer": "Tests"}]}]
    assert ok(api, f"/past_webinars/{enc(started['uuid'])}/qa") == qa
    err(api.get(f"/past_meetings/{wid}/qa"), 404, 3001)
    err(api.get(f"/past_meetings/{enc(started['uuid'])}/polls"), 404, 3001)


def test_a_year_later(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    wid = new_webinar(api)["id"]
    run(admin, wid, participants=1, duration_minutes=10)
    freeze(clock, api, "2027-11-02T15:00:01Z")
    for suffix in ("/participants", "/polls", "/qa"):
        err(api.get(f"/past_webinars/{wid}{suffix}"), 400, 12702, "Can not access a webinar a year ago.")


# ---- bulk history ------------------------------------------------------------------------------

def test_simulated_webinars_read_like_live_ones(server: Server, backend: str) -> None:
    plan = bulk.Plan(users=2, meetings=3, per_meeting=6, days=2, seed="webinars", webinars=2, panelists=2,
                     end=clockmod.parse_iso(END))
    summary = bulk.simulate(backend, plan, progress=False)
    assert (summary["meetings"], summary["webinars"], summary["participants"]) == (3, 2, 30)
    api = tenant(server, summary)
    listed = ok(api, "/report/history_meetings", **{"from": END[:10], "to": END[:10], "meeting_type": "webinar",
                                                    "date_type": "end_time"})["history_meetings"]
    prior = ok(api, "/report/history_meetings", **{"from": "2026-10-31", "to": "2026-11-01",
                                                   "meeting_type": "webinar"})["history_meetings"]
    found = {h["meeting_id"]: h for h in listed + prior}
    assert len(found) == 2 and {h["type"] for h in found.values()} == {"Webinar"}
    for wid, item in found.items():
        assert ok(api, f"/webinars/{wid}")["type"] == 5                 # the host holds the licence
        assert ok(api, f"/past_webinars/{wid}/instances")["webinars"][0]["uuid"] == item["meeting_uuid"]
        people = ok(api, f"/past_webinars/{wid}/participants", page_size=300)["participants"]
        assert len(people) == 6
        assert -(-sum(p["duration"] for p in people) // 60) == item["total_participant_minutes"]
        err(api.get(f"/past_meetings/{wid}/participants"), 404, 3001)
