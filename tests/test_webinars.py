"""Webinars over HTTP: create/get/list/update/delete/end, the webinar licence, and the rule that
meetings and webinars share the id space but never each other's operations."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, expect_error as err, new_meeting, ok, unique_email

FUTURE = "2031-03-10T15:00:00Z"
PLAN_MISSING = ("Webinar plan is missing. You must subscribe to the webinar plan and enable webinars for "
                "this user in order to perform this action.")


def new_webinar(api: Api, user: str = "me", **body: Any) -> dict[str, Any]:
    body.setdefault("topic", "Launch")
    r = api.post(f"/users/{user}/webinars", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_webinar_has_zoom_defaults(api: Api) -> None:
    w = new_webinar(api, start_time=FUTURE, duration=90, timezone="Europe/Paris")
    assert (w["type"], w["duration"], w["timezone"], w["start_time"]) == (5, 90, "Europe/Paris", FUTURE)
    assert w["host_id"] == api.owner_id and w["is_simulive"] is False
    assert w["h323_passcode"].isdigit() and "h323_password" not in w and "pstn_password" not in w
    assert w["join_url"].endswith(f"/j/{w['id']}?pwd={w['encrypted_passcode']}")
    s = w["settings"]
    assert (s["audio"], s["approval_type"], s["registration_type"], s["registrants_restrict_number"]) == ("both", 2, 1, 0)
    assert s["practice_session"] is False and s["question_and_answer"]["enable"] is True
    assert "participant_video" not in s and "pre_schedule" not in w
    got = ok(api, f"/webinars/{w['id']}")
    assert got == w


def test_default_type_and_topic(api: Api) -> None:
    r = api.post("/users/me/webinars", json={})
    assert r.status_code == 201, r.text
    assert (r.json()["type"], r.json()["topic"]) == (5, "Zoom Webinar")


def test_meeting_and_webinar_paths_do_not_cross(api: Api) -> None:
    w = new_webinar(api)
    m = new_meeting(api)
    err(api.get(f"/meetings/{w['id']}"), 404, 3001, f"Meeting does not exist: {w['id']}.")
    err(api.get(f"/webinars/{m['id']}"), 404, 3001, f"Webinar does not exist: {m['id']}.")
    err(api.delete(f"/meetings/{w['id']}"), 404, 3001)
    listed = ok(api, "/users/me/meetings")
    assert [x["id"] for x in listed["meetings"]] == [m["id"]]
    webinars = ok(api, "/users/me/webinars")
    assert [x["id"] for x in webinars["webinars"]] == [w["id"]] and webinars["total_records"] == 1


def test_recurring_webinar_occurrences(api: Api) -> None:
    w = new_webinar(api, type=9, start_time=FUTURE, recurrence={"type": 1, "repeat_interval": 1, "end_times": 3})
    assert len(w["occurrences"]) == 3 and w["recurrence"]["end_times"] == 3
    occ = w["occurrences"][1]["occurrence_id"]
    assert api.delete(f"/webinars/{w['id']}", params={"occurrence_id": occ}).status_code == 204
    assert len(ok(api, f"/webinars/{w['id']}")["occurrences"]) == 2
    nf = new_webinar(api, type=6)
    assert "start_time" not in nf and "occurrences" not in nf


def test_update_and_delete(api: Api) -> None:
    w = new_webinar(api)
    assert api.patch(f"/webinars/{w['id']}", json={"topic": "Renamed", "settings": {"panelists_video": True}}).status_code == 204
    got = ok(api, f"/webinars/{w['id']}")
    assert got["topic"] == "Renamed" and got["settings"]["panelists_video"] is True
    assert api.patch(f"/webinars/{w['id']}", json={"type": 2}).status_code == 400
    assert api.delete(f"/webinars/{w['id']}").status_code == 204
    err(api.get(f"/webinars/{w['id']}"), 404, 3001)


def test_meeting_types_are_refused(api: Api) -> None:
    assert api.post("/users/me/webinars", json={"type": 2}).status_code == 400


def test_webinar_plan_is_needed(admin: Admin, api: Api) -> None:
    member = admin.member(api, scopes=("webinar:read", "webinar:write"))
    err(member.post("/users/me/webinars", json={}), 400, 200)
    err(member.get("/users/me/webinars"), 400, 200, PLAN_MISSING)
    admin.call("PATCH", f"/accounts/{api.account_id}/users/{member.owner_id}/features", {"webinar": 1000})
    w = new_webinar(member)
    assert ok(member, f"/webinars/{w['id']}")["host_id"] == member.owner_id
    admin.call("PATCH", f"/accounts/{api.account_id}/users/{member.owner_id}/features", {"webinar": False})
    err(member.get(f"/webinars/{w['id']}"), 400, 200)


def test_free_account_has_no_webinars(admin: Admin) -> None:
    free = admin.tenant(plan="free")
    err(free.post("/users/me/webinars", json={}), 400, 200)


def test_another_account_sees_nothing(admin: Admin, api: Api) -> None:
    w = new_webinar(api)
    other = admin.tenant()
    err(other.get(f"/webinars/{w['id']}"), 404, 3001)


def test_end_a_webinar_not_running(api: Api) -> None:
    w = new_webinar(api)
    err(api.put(f"/webinars/{w['id']}/status", json={"action": "end"}), 400, 3000, f"Webinar {w['id']} is not in progress.")


def test_simulive_is_refused_as_zoom_does_without_recordings(api: Api) -> None:
    err(api.post("/users/me/webinars", json={"is_simulive": True, "type": 6}), 400, 4505, "Simulive can't select No Fixed Time.")
    err(api.post("/users/me/webinars", json={"is_simulive": True}), 400, 300, "Account hasn't enabled simulive webinar.")
    w = new_webinar(api)
    err(api.patch(f"/webinars/{w['id']}", json={"is_simulive": True}), 400, 300)


def test_unknown_occurrence(api: Api) -> None:
    w = new_webinar(api, type=9, start_time=FUTURE, recurrence={"type": 1, "end_times": 2})
    err(api.delete(f"/webinars/{w['id']}", params={"occurrence_id": "1"}), 400, 3000, "Webinar occurrence does not exist.")
    err(api.get(f"/webinars/{w['id']}", params={"occurrence_id": "1"}), 400, 300)


def test_schedule_for_another_user(admin: Admin, api: Api) -> None:
    email = unique_email("host")
    made = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": email, "features": {"webinar": 500}})
    w = new_webinar(api, schedule_for=email)
    assert w["host_id"] == made["id"] and w["host_email"] == email
    err(api.post("/users/me/webinars", json={"schedule_for": "nobody@example.com"}), 400, 300,
        "The value that you entered for the schedule_for field is invalid. Enter a valid value and try again.")
    member = admin.member(api, scopes=("webinar:read", "webinar:write"), features={"webinar": 500})
    err(member.post("/users/me/webinars", json={"schedule_for": email}), 400, 3000, f"You cannot schedule a meeting for {email}.")


def test_list_types_and_paging(api: Api, clock: Admin) -> None:
    clock.clock(now="2031-01-01T00:00:00Z")
    api.fetch_token()
    made = [new_webinar(api, start_time=f"2031-02-{d:02d}T10:00:00Z")["id"] for d in range(1, 6)]
    page = ok(api, "/users/me/webinars", page_size=2)
    assert page["total_records"] == 5 and len(page["webinars"]) == 2 and page["next_page_token"]
    rest = ok(api, "/users/me/webinars", page_size=2, next_page_token=page["next_page_token"])
    assert [w["id"] for w in page["webinars"] + rest["webinars"]] == made[:4]
    clock.clock(now="2031-02-03T12:00:00Z")
    api.fetch_token()
    upcoming = ok(api, "/users/me/webinars", type="upcoming")
    assert [w["id"] for w in upcoming["webinars"]] == made[3:]
    assert all(w["type"] == 5 and w["is_simulive"] is False for w in upcoming["webinars"])
