"""Running meetings through the admin simulation API: steps, one-call runs, and what ending an
instance records (read back through the meeting summary and the meeting's new UUID)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error, new_meeting


def sim(admin: Admin, method: str, path: str, json: Any = None) -> Any:
    r = admin.http.request(method, "/_zoomsim/meetings" + path, json=json)
    return r


def test_steps_record_an_instance(admin: Admin, api: Api, clock: Admin) -> None:
    clock.clock(now="2026-11-02T15:00:00Z")
    api.fetch_token()
    m = new_meeting(api, topic="Standup")
    mid = m["id"]
    started = sim(admin, "POST", f"/{mid}/start").json()
    assert started["uuid"] == m["uuid"]
    a = sim(admin, "POST", f"/{mid}/participants", {"name": "Ann", "email": "ann@example.com"})
    assert a.status_code == 201, a.text
    host = sim(admin, "POST", f"/{mid}/participants", {"user_id": api.owner_id}).json()
    clock.clock(advance_seconds=600)
    left = sim(admin, "DELETE", f"/{mid}/participants/{a.json()['participant_id']}").json()
    assert left["duration"] == 600
    again = sim(admin, "DELETE", f"/{mid}/participants/{a.json()['participant_id']}")
    assert again.status_code == 404
    q = sim(admin, "POST", f"/{mid}/qa", {"participant_id": host["participant_id"], "question": "Any blockers?",
                                          "answers": ["None"]})
    assert q.status_code == 201, q.text
    clock.clock(advance_seconds=1200)
    ended = sim(admin, "POST", f"/{mid}/end").json()
    assert ended["duration"] == 30 and ended["participants_count"] == 2
    assert ended["total_minutes"] == 10 + 30
    after = api.get(f"/meetings/{mid}").json()
    assert after["uuid"] != m["uuid"] and after["status"] == "waiting"
    summary = api.get(f"/meetings/{mid}/meeting_summary").json()
    assert summary["meeting_uuid"] == m["uuid"]


def test_steps_need_a_running_meeting(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    expect_error(sim(admin, "POST", f"/{mid}/participants", {"name": "Ann"}), 400, 3000)
    expect_error(sim(admin, "POST", f"/{mid}/end"), 400, 3000)
    expect_error(api.put(f"/meetings/{mid}/status", json={"action": "end"}), 400, 3000)
    expect_error(sim(admin, "POST", "/123/start"), 404, 3001)


def test_run_is_deterministic(admin: Admin, api: Api) -> None:
    one = new_meeting(api)["id"]
    two = new_meeting(api)["id"]
    a = sim(admin, "POST", f"/{one}/run", {"participants": 12, "duration_minutes": 45, "seed": 7, "qa": 3,
                                          "dial_in": 0.25})
    assert a.status_code == 201, a.text
    body = a.json()
    assert body["duration"] == 45 and body["participants_count"] == 13
    assert body["dial_in_participants"] == 3
    again = sim(admin, "POST", f"/{one}/run", {"participants": 12, "duration_minutes": 45, "seed": 7, "qa": 3,
                                              "dial_in": 0.25}).json()
    assert [(p["join_offset_seconds"], p["leave_offset_seconds"]) for p in again["participants"]] == \
        [(p["join_offset_seconds"], p["leave_offset_seconds"]) for p in body["participants"]]
    assert again["total_minutes"] == body["total_minutes"]
    assert bad_fields(sim(admin, "POST", f"/{two}/run", {"duration_minutes": 0})) == {"duration_minutes"}


def test_poll_votes_are_checked(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    poll = api.post(f"/meetings/{mid}/polls", json={"title": "Lunch", "questions": [
        {"name": "Where?", "type": "single", "answers": ["Pizza", "Sushi"]},
        {"name": "Who?", "type": "multiple", "answers": ["Ann", "Bo", "Cy"]}]}).json()
    sim(admin, "POST", f"/{mid}/start")
    pid = sim(admin, "POST", f"/{mid}/participants", {"name": "Ann"}).json()["participant_id"]
    bad = sim(admin, "POST", f"/{mid}/polls/{poll['id']}/votes",
              {"participant_id": pid, "answers": [{"question": "Where?", "answer": "Tacos"},
                                                   {"question": "Who?", "answer": ["Ann", "Ann"]}]})
    assert bad_fields(bad) == {"answers[0].answer", "answers[1].answer"}
    ok = sim(admin, "POST", f"/{mid}/polls/{poll['id']}/votes",
             {"participant_id": pid, "answers": {"Where?": "Sushi", "Who?": ["Bo", "Cy"]}})
    assert ok.status_code == 201, ok.text
    assert ok.json()["answers"] == [{"question": "Where?", "answer": "Sushi"}, {"question": "Who?", "answer": "Bo;Cy"}]
    expect_error(sim(admin, "POST", f"/{mid}/polls/{poll['id']}/votes",
                     {"participant_id": pid, "answers": {"Where?": "Pizza", "Who?": ["Bo"]}}), 409, 3000)
    sim(admin, "POST", f"/{mid}/end")


def test_deleting_a_running_meeting_ends_it(admin: Admin, api: Api) -> None:
    m = new_meeting(api)
    sim(admin, "POST", f"/{m['id']}/start")
    sim(admin, "POST", f"/{m['id']}/participants", {"name": "Ann"})
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    past = api.get(f"/past_meetings/{m['id']}/instances").json()
    assert [i["uuid"] for i in past["meetings"]] == [m["uuid"]]
    assert api.put(f"/meetings/{m['id']}/status", json={"action": "recover"}).status_code == 204
    assert api.get(f"/meetings/{m['id']}").json()["status"] == "waiting"
