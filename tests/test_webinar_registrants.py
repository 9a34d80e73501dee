"""Webinar registration over HTTP: the meeting registrant handlers serving webinars with Zoom's
webinar behaviour: seats from the host's licence (and registrants_restrict_number), the host
and panelists not registering, registration ending with the webinar, the webinar wording of
every error, webinar question types, tracking sources, paging and isolation (both backends)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from support import Admin, Api, bad_fields, new_meeting, unique_email, every_registrant_call
from support import expect_error as err
from test_webinars import PLAN_MISSING, new_webinar


FUTURE = "2031-03-10T15:00:00Z"
FIELDS = {"id", "first_name", "last_name", "email", "address", "city", "country", "zip", "state", "phone",
          "industry", "org", "job_title", "purchasing_time_frame", "role_in_purchase_process", "no_of_employees",
          "comments", "custom_questions", "status", "create_time", "join_url"}
LIMIT = ("You have reached the limit for the number of attendees you can add. Contact Zoom Support for "
         "more information.")
FULL = "Webinar has reached maximum attendee capacity."
PANELIST = ("You have been invited as a panelist for the webinar, please check your email to find more "
            "information about this webinar.")
NOT_SCHEDULED = ("This API can only be used for scheduled webinars (type 5). Batch registration is not "
                 "supported for other webinar types.")


def webinar(api: Api, approval: int = 0, **body: Any) -> dict[str, Any]:
    settings = {"approval_type": approval, **body.pop("settings", {})}
    body.setdefault("start_time", FUTURE)
    return new_webinar(api, settings=settings, **body)


def register(api: Api, wid: int, email: str | None = None, **fields: Any) -> dict[str, Any]:
    r = api.post(f"/webinars/{wid}/registrants", json={"email": email or unique_email("reg"),
                                                        "first_name": fields.pop("first_name", "Jill"), **fields})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def add(api: Api, wid: int, **fields: Any) -> httpx.Response:
    return api.post(f"/webinars/{wid}/registrants", json={"email": unique_email(), "first_name": "A", **fields})


def listed(api: Api, wid: int, **params: Any) -> dict[str, Any]:
    r = api.get(f"/webinars/{wid}/registrants", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def status_of(api: Api, wid: int, rid: str) -> str:
    r = api.get(f"/webinars/{wid}/registrants/{rid}")
    assert r.status_code == 200, r.text
    return str(r.json()["status"])


def set_status(api: Api, wid: int, action: str, *entries: dict[str, str]) -> httpx.Response:
    return api.put(f"/webinars/{wid}/registrants/status", json={"action": action, "registrants": list(entries)})


def batch(api: Api, wid: int, people: list[dict[str, Any]], **extra: Any) -> httpx.Response:
    return api.post(f"/webinars/{wid}/batch_registrants", json={"registrants": people, **extra})


def people(n: int, prefix: str = "seat") -> list[dict[str, Any]]:
    return [{"email": unique_email(f"{prefix}{i}"), "first_name": "Seat"} for i in range(n)]


def licence(admin: Admin, api: Api, capacity: int, user: str | None = None) -> None:
    admin.call("PATCH", f"/accounts/{api.account_id}/users/{user or api.owner_id}/features", {"webinar": capacity})


# ---- add, get, list ---------------------------------------------------------------------------

def test_registering_gives_a_webinar_link(api: Api) -> None:
    w = webinar(api, topic="Launch")
    email = unique_email("jill")
    out = register(api, w["id"], email, last_name="Chill", city="Oslo", language="de-DE", comments="Hi")
    assert list(out) == ["id", "join_url", "registrant_id", "start_time", "topic"]
    assert (out["id"], out["start_time"], out["topic"]) == (w["id"], FUTURE, "Launch")
    key = w["registration_url"].rsplit("/", 1)[-1]
    assert f"/w/{w['id']}?tk=" in out["join_url"]
    assert f"&pwd={w['encrypted_passcode']}" in out["join_url"] and key.startswith("WN_") and out["join_url"].endswith(f"&uuid={key}")
    got = api.get(f"/webinars/{w['id']}/registrants/{out['registrant_id']}").json()
    assert set(got) == FIELDS | {"language"}
    assert (got["id"], got["email"], got["last_name"], got["city"], got["language"], got["status"]) == \
        (out["registrant_id"], email, "Chill", "Oslo", "de-DE", "approved")
    assert got["join_url"] == out["join_url"]
    page = listed(api, w["id"])
    assert page == {"next_page_token": "", "page_count": 1, "page_size": 30, "total_records": 1,
                    "page_number": 1, "registrants": [got]}
    # the same address answers the existing registration
    assert register(api, w["id"], email.upper()) == out


def test_manual_approval_and_auto_approve(api: Api) -> None:
    w = webinar(api, approval=1)
    out = register(api, w["id"], auto_approve=True)      # webinar registration takes no auto_approve
    assert "join_url" not in out
    assert status_of(api, w["id"], out["registrant_id"]) == "pending"
    r = batch(api, w["id"], people(2), auto_approve=True)  # the batch does
    assert r.status_code == 201, r.text
    assert all(o["join_url"] for o in r.json()["registrants"])
    assert listed(api, w["id"])["total_records"] == 2 and listed(api, w["id"], status="pending")["total_records"] == 1


def test_body_validation(api: Api) -> None:
    w = webinar(api)
    path = f"/webinars/{w['id']}/registrants"
    assert bad_fields(api.post(path, json={"first_name": "A"})) == {"email"}
    assert bad_fields(api.post(path, json={"email": "nope", "first_name": "A"})) == {"email"}
    assert bad_fields(api.post(path, json={"email": unique_email(), "first_name": " "})) == {"first_name"}
    assert bad_fields(api.post(path, json={"email": unique_email(), "first_name": "A", "language": "xx"})) == {"language"}
    assert bad_fields(batch(api, w["id"], [])) == {"registrants"}
    assert bad_fields(batch(api, w["id"], people(31))) == {"registrants"}
    assert listed(api, w["id"])["total_records"] == 0


# ---- who may register, and when ----------------------------------------------------------------

@pytest.mark.parametrize("body", [{"settings": {"approval_type": 2}}, {}, {"type": 6, "settings": {"approval_type": 0}}])
def test_registration_not_enabled(api: Api, body: dict[str, Any]) -> None:
    w = new_webinar(api, **body)
    wid = w["id"]
    off = f"Registration has not been enabled for this webinar: {wid}."
    err(add(api, wid), 400, 3000, f"This webinar does not have registration as required: {wid}.")
    for resp in (api.get(f"/webinars/{wid}/registrants"), api.get(f"/webinars/{wid}/registrants/abc"),
                 api.delete(f"/webinars/{wid}/registrants/abc"), api.get(f"/webinars/{wid}/registrants/questions"),
                 api.patch(f"/webinars/{wid}/registrants/questions", json={"questions": []})):
        err(resp, 400, 3000, off)
    # Zoom's own wording on the status update says "meeting"
    err(set_status(api, wid, "approve"), 400, 300, f"Registration has not been enabled for this meeting: {wid}.")
    if w["type"] == 5:
        err(batch(api, wid, people(1)), 400, 3000, off)
    else:
        err(batch(api, wid, people(1)), 400, 300, NOT_SCHEDULED)


def test_batch_needs_a_scheduled_webinar(api: Api) -> None:
    w = webinar(api, type=9, recurrence={"type": 1, "repeat_interval": 1, "end_times": 2})
    err(batch(api, w["id"], people(1)), 400, 300, NOT_SCHEDULED)
    register(api, w["id"])


def test_host_and_panelists_do_not_register(api: Api) -> None:
    w = webinar(api)
    host_email = api.get("/users/me").json()["email"]
    err(add(api, w["id"], email=host_email.upper()), 400, 3027, "Host cannot register.")
    err(batch(api, w["id"], [*people(1), {"email": host_email, "first_name": "H"}]), 400, 3027)
    made = api.post(f"/webinars/{w['id']}/panelists", json={"panelists": [{"email": "Guest@Example.com", "name": "Guest"}]})
    assert made.status_code == 201, made.text
    err(add(api, w["id"], email="guest@example.com"), 400, 3000, PANELIST)
    err(batch(api, w["id"], [{"email": "GUEST@example.com", "first_name": "G"}]), 400, 3000, PANELIST)
    assert listed(api, w["id"])["total_records"] == 0
    register(api, w["id"])


def test_registration_ends_with_the_webinar(api: Api, clock: Admin) -> None:
    w = webinar(api, start_time="2031-01-01T10:00:00Z", duration=60)
    clock.clock(now="2031-01-01T10:30:00Z")
    api.fetch_token()
    register(api, w["id"])
    clock.clock(now="2031-01-01T11:00:01Z")
    api.fetch_token()
    err(add(api, w["id"]), 400, 3038,
        "Webinar is over, you cannot register now. If you have any questions, contact the webinar host.")
    err(batch(api, w["id"], people(1)), 400, 3038,
        "The webinar is over. You cannot register now. If you have any questions, contact the webinar's host.")
    clock.call("POST", f"/webinars/{w['id']}/start")       # running late: registration is open again
    register(api, w["id"])
    assert listed(api, w["id"])["total_records"] == 2


def test_recurring_webinar_ends_with_its_last_occurrence(api: Api, clock: Admin) -> None:
    w = webinar(api, type=9, start_time="2031-01-01T10:00:00Z", duration=30,
                recurrence={"type": 1, "repeat_interval": 1, "end_times": 2})
    clock.clock(now="2031-01-01T12:00:00Z")       # the first occurrence is over, not the second
    api.fetch_token()
    register(api, w["id"])
    clock.clock(now="2031-01-02T10:30:01Z")
    api.fetch_token()
    err(add(api, w["id"]), 400, 3038)


# ---- seats ------------------------------------------------------------------------------------

def test_seats_follow_the_host_licence(admin: Admin, api: Api) -> None:
    licence(admin, api, 100)
    w = webinar(api)
    wid = w["id"]
    for i in range(0, 96, 30):
        assert batch(api, wid, people(min(30, 96 - i), f"b{i}-")).status_code == 201
    ids = [register(api, wid)["registrant_id"] for _ in range(4)]
    assert listed(api, wid, page_size=1)["total_records"] == 100
    err(add(api, wid), 400, 3000, LIMIT)
    err(batch(api, wid, people(1)), 400, 3000, LIMIT)
    # a denied registrant frees the seat, and cannot come back while it is taken
    assert set_status(api, wid, "deny", {"id": ids[0]}).status_code == 204
    register(api, wid)
    err(set_status(api, wid, "approve", {"id": ids[0]}), 400, 3035, FULL)
    assert status_of(api, wid, ids[0]) == "denied"
    # a bigger licence makes room
    licence(admin, api, 500)
    assert set_status(api, wid, "approve", {"id": ids[0]}).status_code == 204
    assert listed(api, wid, page_size=1)["total_records"] == 101


def test_registrants_restrict_number_lowers_the_cap(api: Api) -> None:
    w = webinar(api, settings={"registrants_restrict_number": 3})
    wid = w["id"]
    assert batch(api, wid, people(2)).status_code == 201
    err(batch(api, wid, people(2)), 400, 3000, LIMIT)           # a batch past the cap is refused whole
    register(api, wid)
    err(add(api, wid), 400, 3000, LIMIT)
    assert api.patch(f"/webinars/{wid}", json={"settings": {"registrants_restrict_number": 0}}).status_code == 204
    register(api, wid)                                        # 0: the licence (500) is the cap
    assert listed(api, wid)["total_records"] == 4


def test_concurrent_registrations_never_pass_the_cap(admin: Admin, api: Api) -> None:
    licence(admin, api, 100)
    wid = webinar(api)["id"]
    for i in range(3):
        assert batch(api, wid, people(30, f"c{i}-")).status_code == 201

    def one(i: int) -> httpx.Response:
        with httpx.Client(base_url=api.server.url, timeout=60) as http:
            return http.post(f"/v2/webinars/{wid}/registrants", headers={"Authorization": f"Bearer {api.token}"},
                             json={"email": f"late{i}-{wid}@example.com", "first_name": "Late"})
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(one, range(30)))
    codes = [(r.status_code, r.json().get("code")) for r in answers]
    assert codes.count((201, None)) == 10 and codes.count((400, 3000)) == 20
    assert listed(api, wid, page_size=1)["total_records"] == 100


# ---- questions, status, delete ----------------------------------------------------------------

def test_webinar_question_types(api: Api) -> None:
    w = webinar(api)
    qpath = f"/webinars/{w['id']}/registrants/questions"
    assert api.get(qpath).json() == {"questions": [], "custom_questions": []}
    custom = [{"title": "Why?", "type": "short", "required": True},
              {"title": "Size", "type": "single_radio", "required": False, "answers": ["S", "L"]},
              {"title": "Via", "type": "single_dropdown", "required": False, "answers": ["Web", "Mail"]},
              {"title": "Topics", "type": "multiple", "required": False, "answers": ["A", "B", "C"]}]
    body = {"questions": [{"field_name": "org", "required": True}], "custom_questions": custom}
    assert api.patch(qpath, json=body).status_code == 204
    assert api.get(qpath).json() == body
    assert bad_fields(api.patch(qpath, json={"custom_questions": [{"title": "X", "type": "single"}]})) \
        == {"custom_questions[0].type"}                        # the meeting type is not a webinar one
    assert bad_fields(api.patch(qpath, json={"custom_questions": [{"title": "X", "type": "multiple"}]})) \
        == {"custom_questions[0].answers"}
    path = f"/webinars/{w['id']}/registrants"
    assert bad_fields(api.post(path, json={"email": unique_email(), "first_name": "A"})) == {"org", "custom_questions"}
    wrong = [{"title": "Why?", "value": "x"}, {"title": "Via", "value": "Phone"}, {"title": "Topics", "value": "A;D"}]
    assert bad_fields(api.post(path, json={"email": unique_email(), "first_name": "A", "org": "Z",
                                           "custom_questions": wrong})) == {"custom_questions.value"}
    answers = [{"title": "Why?", "value": "x"}, {"title": "Size", "value": "L"}, {"title": "Topics", "value": "A;C"}]
    out = register(api, w["id"], org="Z", custom_questions=answers)
    assert api.get(f"{path}/{out['registrant_id']}").json()["custom_questions"] == answers


def test_status_actions(api: Api) -> None:
    w = webinar(api, approval=1)
    wid = w["id"]
    a, b = (register(api, wid)["registrant_id"] for _ in range(2))
    assert set_status(api, wid, "approve", {"id": a}, {"id": "nobody"}).status_code == 204
    assert (status_of(api, wid, a), status_of(api, wid, b)) == ("approved", "pending")
    assert set_status(api, wid, "cancel", {"id": a}).status_code == 204
    assert set_status(api, wid, "deny", {"id": b}).status_code == 204
    assert {r["id"] for r in listed(api, wid, status="denied")["registrants"]} == {a, b}
    assert bad_fields(api.put(f"/webinars/{wid}/registrants/status", json={"action": "maybe"})) == {"action"}


def test_delete_and_unknown_registrants(api: Api) -> None:
    w = webinar(api)
    wid = w["id"]
    rid = register(api, wid)["registrant_id"]
    assert api.delete(f"/webinars/{wid}/registrants/{rid}").status_code == 204
    err(api.get(f"/webinars/{wid}/registrants/{rid}"), 400, 3079, f"This registrant does not exist: {rid}.")
    err(api.delete(f"/webinars/{wid}/registrants/{rid}"), 400, 3000, f"Registrant {rid} was not found.")
    assert listed(api, wid)["total_records"] == 0


# ---- paging, occurrences, tracking sources -----------------------------------------------------

def test_paging_with_tokens_and_page_numbers(api: Api) -> None:
    wid = webinar(api)["id"]
    ids = [o["registrant_id"] for o in batch(api, wid, people(7)).json()["registrants"]]
    seen: list[str] = []
    params: dict[str, Any] = {"page_size": 3}
    while True:
        page = listed(api, wid, **params)
        assert (page["total_records"], page["page_count"], page["page_size"]) == (7, 3, 3)
        seen += [r["id"] for r in page["registrants"]]
        if not page["next_page_token"]:
            break
        params = {"page_size": 3, "next_page_token": page["next_page_token"]}
    assert seen == ids
    assert [r["id"] for r in listed(api, wid, page_size=3, page_number=3)["registrants"]] == ids[6:]
    token = listed(api, wid, page_size=3)["next_page_token"]
    err(api.get(f"/webinars/{wid}/registrants", params={"page_size": 3, "next_page_token": token,
                                                        "status": "denied"}), 400, 300)


def test_recurring_webinar_registration_per_occurrence(api: Api) -> None:
    w = webinar(api, type=9, recurrence={"type": 1, "repeat_interval": 1, "end_times": 3},
                settings={"registration_type": 3})
    wid = w["id"]
    occ = [o["occurrence_id"] for o in w["occurrences"]]
    r = api.post(f"/webinars/{wid}/registrants", params={"occurrence_ids": f"{occ[1]},{occ[2]}"},
                 json={"email": unique_email("occ"), "first_name": "O"})
    assert r.status_code == 201, r.text
    picked = r.json()
    assert [o["occurrence_id"] for o in picked["occurrences"]] == occ[1:]
    everyone = register(api, wid)
    assert {x["id"] for x in listed(api, wid, occurrence_id=occ[0])["registrants"]} == {everyone["registrant_id"]}
    assert listed(api, wid, occurrence_id=occ[2])["total_records"] == 2
    rid = picked["registrant_id"]
    assert api.delete(f"/webinars/{wid}/registrants/{rid}", params={"occurrence_id": occ[1]}).status_code == 204
    assert listed(api, wid, occurrence_id=occ[1])["total_records"] == 1
    assert api.delete(f"/webinars/{wid}/registrants/{rid}", params={"occurrence_id": occ[2]}).status_code == 204
    err(api.get(f"/webinars/{wid}/registrants/{rid}"), 400, 3079)


def test_tracking_source_filter(api: Api) -> None:
    wid = webinar(api)["id"]
    a = register(api, wid, source_id="src-a")["registrant_id"]
    b = register(api, wid, source_id="src-b")["registrant_id"]
    c = register(api, wid)["registrant_id"]
    assert [x["id"] for x in listed(api, wid, tracking_source_id="src-a")["registrants"]] == [a]
    assert listed(api, wid, tracking_source_id="none")["total_records"] == 0
    assert [x["id"] for x in listed(api, wid)["registrants"]] == [a, b, c]
    assert api.delete(f"/webinars/{wid}/registrants/{a}").status_code == 204
    assert listed(api, wid, tracking_source_id="src-a")["total_records"] == 0


# ---- access -------------------------------------------------------------------------------------

def _calls(api: Api, number: int | str, rid: str) -> list[httpx.Response]:
    return every_registrant_call(api, "webinars", number, rid)


def test_other_account_sees_nothing(admin: Admin, api: Api) -> None:
    w = webinar(api)
    rid = register(api, w["id"])["registrant_id"]
    other = admin.tenant()
    for resp in _calls(other, w["id"], rid):
        body = err(resp, 404, 3001, f"Webinar does not exist: {w['id']}.")
        assert rid not in str(body)
    assert status_of(api, w["id"], rid) == "approved"


def test_meetings_and_webinars_keep_their_registrants(api: Api) -> None:
    w = webinar(api)
    m = new_meeting(api, type=2, start_time=FUTURE, settings={"approval_type": 0})
    for resp in _calls(api, m["id"], "abc"):
        err(resp, 404, 3001, f"Webinar does not exist: {m['id']}.")
    err(api.get(f"/meetings/{w['id']}/registrants"), 404, 3001, f"Meeting does not exist: {w['id']}.")


def test_bad_and_unknown_webinar_ids(api: Api) -> None:
    for resp in _calls(api, "abc", "x")[1:]:
        err(resp, 400, 300, "Invalid webinar ID.")
    err(api.get("/webinars/abc/registrants"), 404, 3001)        # the list documents no such error
    err(api.get("/webinars/12345678901/registrants"), 404, 3001, "Webinar does not exist: 12345678901.")


def test_host_without_a_webinar_licence(admin: Admin, api: Api) -> None:
    w = webinar(api)
    licence(admin, api, 0)
    err(api.get(f"/webinars/{w['id']}/registrants"), 400, 200, PLAN_MISSING)
    err(add(api, w["id"]), 400, 200, PLAN_MISSING)


def test_member_reaches_only_their_own_webinars(admin: Admin, api: Api) -> None:
    member = admin.member(api, scopes=("webinar:read", "webinar:write"))
    licence(admin, api, 100, member.owner_id)
    own = webinar(member)
    rid = register(member, own["id"])["registrant_id"]
    assert status_of(api, own["id"], rid) == "approved"           # the account-level app reaches it
    theirs = webinar(api)
    for resp in _calls(member, theirs["id"], "abc"):
        assert resp.status_code == 400 and resp.json() == {"code": 200, "message": "No permission."}, resp.text
