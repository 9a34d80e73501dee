"""Meeting registration over HTTP: add one or a batch, duplicates, approval, status actions,
questions and required answers, paging, occurrences, capacity and the access errors (both backends)."""
from __future__ import annotations

from typing import Any

import pytest
from support import Admin, Api, bad_fields, new_meeting, unique_email, every_registrant_call
from support import expect_error as err

from zoomsim import clock as clockmod
from zoomsim.storage import registrants as registrants_repo

FUTURE = "2031-03-10T15:00:00Z"
FIELDS = {"id", "first_name", "last_name", "email", "address", "city", "country", "zip", "state", "phone",
          "industry", "org", "job_title", "purchasing_time_frame", "role_in_purchase_process", "no_of_employees",
          "comments", "custom_questions", "status", "create_time", "join_url"}
INVALID_REGISTRANT = "The value that you entered for the Registrant ID field is invalid. Enter a valid value and try again."
NOT_SCHEDULED = ("This API can only be used for scheduled meeting(meeting type: 2). Batch registration is not "
                 "supported for other meeting types.")


def meeting(api: Api, approval: int = 0, **body: Any) -> dict[str, Any]:
    settings = {"approval_type": approval, **body.pop("settings", {})}
    body.setdefault("type", 2)
    body.setdefault("start_time", FUTURE)
    return new_meeting(api, settings=settings, **body)


def register(api: Api, mid: int, email: str | None = None, **fields: Any) -> dict[str, Any]:
    r = api.post(f"/meetings/{mid}/registrants", json={"email": email or unique_email("reg"),
                                                        "first_name": fields.pop("first_name", "Jill"), **fields})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def listed(api: Api, mid: int, **params: Any) -> dict[str, Any]:
    r = api.get(f"/meetings/{mid}/registrants", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def status_of(api: Api, mid: int, rid: str) -> str:
    r = api.get(f"/meetings/{mid}/registrants/{rid}")
    assert r.status_code == 200, r.text
    return str(r.json()["status"])


def set_status(api: Api, mid: int, action: str, *entries: dict[str, str]) -> None:
    r = api.put(f"/meetings/{mid}/registrants/status", json={"action": action, "registrants": list(entries)})
    assert r.status_code == 204, r.text


def batch(api: Api, mid: int, people: list[dict[str, Any]], **extra: Any):  # type: ignore[no-untyped-def]
    return api.post(f"/meetings/{mid}/batch_registrants", json={"registrants": people, **extra})


# ---- add, get, list ---------------------------------------------------------------------------

def test_automatic_approval_registers_with_a_personal_link(api: Api) -> None:
    m = meeting(api, topic="Launch")
    email = unique_email("jill")
    out = register(api, m["id"], email, last_name="Chill", city="Mountain View", country="US",
                   no_of_employees="1-20", purchasing_time_frame="1-3 months", comments="Hi", language="en-US")
    assert list(out) == ["id", "join_url", "registrant_id", "start_time", "topic"]
    assert (out["id"], out["start_time"], out["topic"]) == (m["id"], FUTURE, "Launch")
    assert f"/w/{m['id']}?tk=" in out["join_url"] and out["join_url"].endswith(f"&pwd={m['encrypted_password']}")
    assert len(out["registrant_id"]) == 22
    got = api.get(f"/meetings/{m['id']}/registrants/{out['registrant_id']}").json()
    assert set(got) == FIELDS
    assert (got["id"], got["email"], got["first_name"], got["last_name"]) == (out["registrant_id"], email, "Jill", "Chill")
    assert (got["city"], got["country"], got["no_of_employees"], got["comments"]) == ("Mountain View", "US", "1-20", "Hi")
    assert (got["status"], got["join_url"], got["address"], got["custom_questions"]) == \
        ("approved", out["join_url"], "", [])
    assert got["create_time"].endswith("Z")
    page = listed(api, m["id"])
    assert page == {"next_page_token": "", "page_count": 1, "page_size": 30, "total_records": 1,
                    "page_number": 1, "registrants": [got]}


def test_each_registrant_gets_a_different_link(api: Api) -> None:
    m = meeting(api)
    a, b = register(api, m["id"]), register(api, m["id"])
    assert a["registrant_id"] != b["registrant_id"] and a["join_url"] != b["join_url"]
    assert listed(api, m["id"])["total_records"] == 2


def test_manual_approval_leaves_registrants_pending(api: Api) -> None:
    m = meeting(api, approval=1)
    out = register(api, m["id"])
    assert "join_url" not in out
    rid = out["registrant_id"]
    assert status_of(api, m["id"], rid) == "pending"
    assert listed(api, m["id"])["registrants"] == []
    assert [r["id"] for r in listed(api, m["id"], status="pending")["registrants"]] == [rid]
    set_status(api, m["id"], "approve", {"id": rid})
    assert [r["id"] for r in listed(api, m["id"])["registrants"]] == [rid]
    assert listed(api, m["id"], status="pending")["total_records"] == 0


def test_auto_approve_overrides_manual_approval(api: Api) -> None:
    m = meeting(api, approval=1)
    out = register(api, m["id"], auto_approve=True)
    assert "join_url" in out and status_of(api, m["id"], out["registrant_id"]) == "approved"


def test_same_address_answers_the_existing_registration(api: Api) -> None:
    m = meeting(api)
    email = unique_email("twice")
    first = register(api, m["id"], email, first_name="Ann")
    again = register(api, m["id"], email.upper(), first_name="Other")
    assert (again["registrant_id"], again["join_url"]) == (first["registrant_id"], first["join_url"])
    assert listed(api, m["id"])["total_records"] == 1
    got = api.get(f"/meetings/{m['id']}/registrants/{first['registrant_id']}").json()
    assert (got["first_name"], got["email"]) == ("Ann", email)


def test_a_denied_address_stays_denied(api: Api) -> None:
    m = meeting(api)
    email = unique_email("denied")
    rid = register(api, m["id"], email)["registrant_id"]
    set_status(api, m["id"], "deny", {"email": email})
    again = register(api, m["id"], email)
    assert again["registrant_id"] == rid and "join_url" not in again
    assert status_of(api, m["id"], rid) == "denied"


def test_body_validation(api: Api) -> None:
    m = meeting(api)
    path = f"/meetings/{m['id']}/registrants"
    assert bad_fields(api.post(path, json={"first_name": "A"})) == {"email"}
    assert bad_fields(api.post(path, json={"email": "nope", "first_name": "A"})) == {"email"}
    assert bad_fields(api.post(path, json={"email": unique_email()})) == {"first_name"}
    assert bad_fields(api.post(path, json={"email": unique_email(), "first_name": " "})) == {"first_name"}
    assert bad_fields(api.post(path, json={"email": unique_email(), "first_name": "A", "no_of_employees": "7"})) \
        == {"no_of_employees"}
    assert listed(api, m["id"])["total_records"] == 0


# ---- registration must be on ------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    {"type": 2, "settings": {"approval_type": 2}},
    {"type": 2},
    {"type": 1, "settings": {"approval_type": 0}},
    {"type": 3, "settings": {"approval_type": 0}},
])
def test_registration_not_enabled(api: Api, body: dict[str, Any]) -> None:
    m = new_meeting(api, **body)
    mid = m["id"]
    message = f"Registration has not been enabled for this meeting: {mid}."
    reg = {"email": unique_email(), "first_name": "A"}
    for resp in (api.post(f"/meetings/{mid}/registrants", json=reg), api.get(f"/meetings/{mid}/registrants"),
                 api.put(f"/meetings/{mid}/registrants/status", json={"action": "approve", "registrants": []}),
                 api.get(f"/meetings/{mid}/registrants/questions"),
                 api.patch(f"/meetings/{mid}/registrants/questions", json={"questions": []})):
        err(resp, 400, 404, message)
    err(api.delete(f"/meetings/{mid}/registrants/abc"), 400, 300, message)
    resp = batch(api, mid, [reg])
    if body["type"] == 2:
        err(resp, 400, 404, message)
    else:
        err(resp, 400, 303, NOT_SCHEDULED)


def test_basic_host_is_refused(api: Api, admin: Admin) -> None:
    basic = admin.member(api, type=1)
    m = meeting(basic)
    err(api.post(f"/meetings/{m['id']}/registrants", json={"email": unique_email(), "first_name": "A"}),
        400, 200, f"Only available for paid users: {basic.owner_id}.")
    err(api.delete(f"/meetings/{m['id']}/registrants/abc"), 400, 200, f"Only available for paid users: {basic.owner_id}.")


def test_closed_registration_after_the_meeting(api: Api, clock: Admin) -> None:
    m = meeting(api, settings={"close_registration": True}, start_time="2031-01-01T10:00:00Z", duration=60)
    open_ = meeting(api, start_time="2031-01-01T10:00:00Z", duration=60)
    clock.clock(now="2031-01-01T10:30:00Z")
    api.fetch_token()
    register(api, m["id"])
    clock.clock(now="2031-01-01T11:00:01Z")
    api.fetch_token()
    over = "Meeting is over, you can not register now. If you have any questions, please contact the Meeting host."
    err(api.post(f"/meetings/{m['id']}/registrants", json={"email": unique_email(), "first_name": "A"}), 400, 3038, over)
    err(batch(api, m["id"], [{"email": unique_email(), "first_name": "A"}]), 400, 3038, over)
    register(api, open_["id"])       # close_registration off: still open


# ---- questions --------------------------------------------------------------------------------

def test_questions_default_update_and_enforcement(api: Api) -> None:
    m = meeting(api)
    qpath = f"/meetings/{m['id']}/registrants/questions"
    assert api.get(qpath).json() == {"questions": [], "custom_questions": []}
    body = {"questions": [{"field_name": "city", "required": True}, {"field_name": "org", "required": False}],
            "custom_questions": [{"title": "Why?", "type": "short", "required": True},
                                 {"title": "Size", "type": "single", "required": False, "answers": ["S", "L"]}]}
    r = api.patch(qpath, json=body)
    assert r.status_code == 204, r.text
    assert api.get(qpath).json() == {
        "questions": body["questions"],
        "custom_questions": [{"title": "Why?", "type": "short", "required": True},
                             {"title": "Size", "type": "single", "required": False, "answers": ["S", "L"]}]}
    path = f"/meetings/{m['id']}/registrants"
    assert bad_fields(api.post(path, json={"email": unique_email(), "first_name": "A"})) == {"city", "custom_questions"}
    assert bad_fields(api.post(path, json={"email": unique_email(), "first_name": "A", "city": "Oslo",
                                           "custom_questions": [{"title": "Why?", "value": "x"},
                                                                {"title": "Size", "value": "XL"}]})) \
        == {"custom_questions.value"}
    answers = [{"title": "Why?", "value": "To learn"}, {"title": "Size", "value": "L"}]
    out = register(api, m["id"], city="Oslo", custom_questions=answers)
    got = api.get(f"{path}/{out['registrant_id']}").json()
    assert got["custom_questions"] == answers and got["city"] == "Oslo"
    # a list left out of the PATCH stays; an empty one clears
    assert api.patch(qpath, json={"custom_questions": []}).status_code == 204
    assert api.get(qpath).json() == {"questions": body["questions"], "custom_questions": []}


def test_question_validation(api: Api) -> None:
    m = meeting(api)
    qpath = f"/meetings/{m['id']}/registrants/questions"
    assert bad_fields(api.patch(qpath, json={"questions": [{"field_name": "email", "required": True}]})) \
        == {"questions[0].field_name"}
    assert bad_fields(api.patch(qpath, json={"custom_questions": [{"title": "Pick", "type": "single"}]})) \
        == {"custom_questions[0].answers"}
    assert bad_fields(api.patch(qpath, json={"custom_questions": [{"title": "", "type": "short"}]})) \
        == {"custom_questions[0].title"}
    assert api.get(qpath).json() == {"questions": [], "custom_questions": []}


# ---- status, delete ---------------------------------------------------------------------------

def test_status_actions(api: Api) -> None:
    m = meeting(api, approval=1)
    mid = m["id"]
    a, b, c = (register(api, mid, unique_email(n))["registrant_id"] for n in "abc")
    set_status(api, mid, "cancel", {"id": a})                 # only an approved registration cancels
    assert status_of(api, mid, a) == "pending"
    set_status(api, mid, "approve", {"id": a}, {"id": b}, {"id": "nobody"}, {"email": "none@example.com"})
    assert (status_of(api, mid, a), status_of(api, mid, b), status_of(api, mid, c)) == ("approved", "approved", "pending")
    set_status(api, mid, "cancel", {"id": a})
    set_status(api, mid, "deny", {"id": c})
    assert (status_of(api, mid, a), status_of(api, mid, c)) == ("denied", "denied")
    assert {r["id"] for r in listed(api, mid, status="denied")["registrants"]} == {a, c}
    set_status(api, mid, "approve", {"id": c})
    assert status_of(api, mid, c) == "approved"
    set_status(api, mid, "deny")                              # nobody named: nothing changes
    assert listed(api, mid)["total_records"] == 2
    too_many = [{"id": f"x{i}"} for i in range(31)]
    assert bad_fields(api.put(f"/meetings/{mid}/registrants/status",
                              json={"action": "approve", "registrants": too_many})) == {"registrants"}
    assert bad_fields(api.put(f"/meetings/{mid}/registrants/status", json={"action": "maybe"})) == {"action"}
    assert bad_fields(api.put(f"/meetings/{mid}/registrants/status", json={"registrants": []})) == {"action"}


def test_delete_and_unknown_registrants(api: Api) -> None:
    m = meeting(api)
    mid = m["id"]
    rid = register(api, mid)["registrant_id"]
    assert api.delete(f"/meetings/{mid}/registrants/{rid}").status_code == 204
    err(api.get(f"/meetings/{mid}/registrants/{rid}"), 400, 3079, f"This registrant does not exist: {rid}.")
    err(api.delete(f"/meetings/{mid}/registrants/{rid}"), 400, 300, INVALID_REGISTRANT)
    assert listed(api, mid)["total_records"] == 0
    # another meeting's registrant is not this meeting's
    other = meeting(api)
    theirs = register(api, other["id"])["registrant_id"]
    err(api.delete(f"/meetings/{mid}/registrants/{theirs}"), 400, 300, INVALID_REGISTRANT)
    err(api.get(f"/meetings/{mid}/registrants/{theirs}"), 400, 3079)


def test_deleted_meeting_answers_not_found(api: Api) -> None:
    m = meeting(api)
    rid = register(api, m["id"])["registrant_id"]
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    err(api.get(f"/meetings/{m['id']}/registrants"), 404, 3001, f"Meeting does not exist: {m['id']}.")
    err(api.get(f"/meetings/{m['id']}/registrants/{rid}"), 404, 3001)
    assert api.put(f"/meetings/{m['id']}/status", json={"action": "recover"}).status_code == 204
    assert [r["id"] for r in listed(api, m["id"])["registrants"]] == [rid]


# ---- batch ------------------------------------------------------------------------------------

def test_batch_registration(api: Api) -> None:
    m = meeting(api)
    mid = m["id"]
    known = register(api, mid, unique_email("known"))
    known_email = api.get(f"/meetings/{mid}/registrants/{known['registrant_id']}").json()["email"]
    people = [{"email": unique_email(f"b{i}"), "first_name": f"B{i}", "last_name": "Batch"} for i in range(3)]
    r = batch(api, mid, people + [{"email": known_email.upper(), "first_name": "Known"}, dict(people[0])])
    assert r.status_code == 201, r.text
    out = r.json()["registrants"]
    assert [o["email"] for o in out] == [p["email"] for p in people] + [known_email.upper(), people[0]["email"]]
    assert out[3]["registrant_id"] == known["registrant_id"] and out[3]["join_url"] == known["join_url"]
    assert out[4] == out[0]
    assert all(f"/w/{mid}?tk=" in o["join_url"] for o in out)
    assert listed(api, mid)["total_records"] == 4
    got = api.get(f"/meetings/{mid}/registrants/{out[1]['registrant_id']}").json()
    assert (got["first_name"], got["last_name"], got["status"]) == ("B1", "Batch", "approved")


def test_batch_with_manual_approval(api: Api) -> None:
    m = meeting(api, approval=1)
    pending = batch(api, m["id"], [{"email": unique_email(), "first_name": "P"}]).json()["registrants"]
    assert "join_url" not in pending[0]
    approved = batch(api, m["id"], [{"email": unique_email(), "first_name": "A"}], auto_approve=True,
                     registrants_confirmation_email=False).json()["registrants"]
    assert "join_url" in approved[0]
    assert status_of(api, m["id"], pending[0]["registrant_id"]) == "pending"
    assert status_of(api, m["id"], approved[0]["registrant_id"]) == "approved"


def test_batch_limits_and_types(api: Api) -> None:
    m = meeting(api)
    many = [{"email": unique_email(), "first_name": "X"} for _ in range(31)]
    assert bad_fields(batch(api, m["id"], many)) == {"registrants"}
    assert bad_fields(batch(api, m["id"], [])) == {"registrants"}
    assert bad_fields(batch(api, m["id"], [{"email": unique_email()}])) == {"registrants[0].first_name"}
    assert listed(api, m["id"])["total_records"] == 0
    recurring = meeting(api, type=8, recurrence={"type": 1, "repeat_interval": 1, "end_times": 2})
    err(batch(api, recurring["id"], many[:1]), 400, 303, NOT_SCHEDULED)


def test_capacity_of_4999(api: Api) -> None:
    m = meeting(api)
    mid = m["id"]
    now = clockmod.iso(0)
    docs = [{"id": f"cap{mid}-{i}", "email": f"cap{i}@example.com", "first_name": "C", "status": "approved",
             "create_time": now} for i in range(4998)]
    with api.server.app.services.storage.write() as db:
        registrants_repo.insert_many(db, api.account_id, mid, docs)
    last = register(api, mid)
    full = "Meeting has reached maximum attendee capacity."
    err(api.post(f"/meetings/{mid}/registrants", json={"email": unique_email(), "first_name": "A"}), 400, 3043, full)
    err(batch(api, mid, [{"email": unique_email(), "first_name": "A"}]), 400, 3043, full)
    assert register(api, mid, api.get(f"/meetings/{mid}/registrants/{last['registrant_id']}").json()["email"]) == last
    set_status(api, mid, "deny", {"id": last["registrant_id"]})     # a denied registrant frees the seat
    register(api, mid)
    assert listed(api, mid, page_size=1)["total_records"] == 4999


# ---- paging -----------------------------------------------------------------------------------

def test_paging_with_tokens_and_page_numbers(api: Api) -> None:
    m = meeting(api)
    mid = m["id"]
    people = [{"email": unique_email(f"p{i}"), "first_name": f"P{i}"} for i in range(7)]
    ids = [o["registrant_id"] for o in batch(api, mid, people).json()["registrants"]]
    seen: list[str] = []
    params: dict[str, Any] = {"page_size": 3}
    pages = 0
    while True:
        page = listed(api, mid, **params)
        pages += 1
        assert (page["total_records"], page["page_count"], page["page_size"]) == (7, 3, 3)
        seen += [r["id"] for r in page["registrants"]]
        if not page["next_page_token"]:
            break
        params = {"page_size": 3, "next_page_token": page["next_page_token"]}
    assert seen == ids and pages == 3
    third = listed(api, mid, page_size=3, page_number=3)
    assert [r["id"] for r in third["registrants"]] == ids[6:] and third["page_number"] == 3
    token = listed(api, mid, page_size=3)["next_page_token"]
    err(api.get(f"/meetings/{mid}/registrants", params={"page_size": 3, "next_page_token": token, "status": "pending"}),
        400, 300, "The next page token is invalid or expired.")
    assert bad_fields(api.get(f"/meetings/{mid}/registrants", params={"status": "gone"})) == {"status"}


# ---- recurring meetings -----------------------------------------------------------------------

def test_recurring_meeting_registration_per_occurrence(api: Api) -> None:
    m = meeting(api, type=8, recurrence={"type": 1, "repeat_interval": 1, "end_times": 3},
                settings={"registration_type": 3})
    mid = m["id"]
    occ = [o["occurrence_id"] for o in m["occurrences"]]
    r = api.post(f"/meetings/{mid}/registrants", params={"occurrence_ids": f"{occ[1]},{occ[2]}"},
                 json={"email": unique_email("occ"), "first_name": "O"})
    assert r.status_code == 201, r.text
    picked = r.json()
    assert [o["occurrence_id"] for o in picked["occurrences"]] == occ[1:]
    assert picked["start_time"] == m["occurrences"][1]["start_time"]
    everyone = register(api, mid)
    assert [o["occurrence_id"] for o in everyone["occurrences"]] == occ
    assert {r["id"] for r in listed(api, mid, occurrence_id=occ[0])["registrants"]} == {everyone["registrant_id"]}
    assert listed(api, mid, occurrence_id=occ[2])["total_records"] == 2
    assert listed(api, mid)["total_records"] == 2
    err(api.get(f"/meetings/{mid}/registrants", params={"occurrence_id": "123"}), 400, 300)
    err(api.post(f"/meetings/{mid}/registrants", params={"occurrence_ids": "123"},
                 json={"email": unique_email(), "first_name": "O"}), 400, 300)
    # giving up one occurrence keeps the registration; the last one ends it
    rid = picked["registrant_id"]
    assert api.delete(f"/meetings/{mid}/registrants/{rid}", params={"occurrence_id": occ[1]}).status_code == 204
    assert listed(api, mid, occurrence_id=occ[1])["total_records"] == 1
    assert status_of(api, mid, rid) == "approved"
    assert api.delete(f"/meetings/{mid}/registrants/{rid}", params={"occurrence_id": occ[2]}).status_code == 204
    err(api.get(f"/meetings/{mid}/registrants/{rid}"), 400, 3079)


def test_recurring_meeting_registered_once_attends_all(api: Api) -> None:
    m = meeting(api, type=8, recurrence={"type": 2, "repeat_interval": 1, "weekly_days": "2", "end_times": 2})
    occ = [o["occurrence_id"] for o in m["occurrences"]]
    r = api.post(f"/meetings/{m['id']}/registrants", params={"occurrence_ids": occ[1]},
                 json={"email": unique_email(), "first_name": "O"})
    assert r.status_code == 201, r.text
    assert [o["occurrence_id"] for o in r.json()["occurrences"]] == occ
    assert listed(api, m["id"], occurrence_id=occ[0])["total_records"] == 1


# ---- access -------------------------------------------------------------------------------------

def _calls(api: Api, number: int | str, rid: str) -> list[Any]:
    return every_registrant_call(api, "meetings", number, rid)


def test_other_account_sees_nothing(api: Api, admin: Admin) -> None:
    m = meeting(api)
    rid = register(api, m["id"])["registrant_id"]
    other = admin.tenant()
    for resp in _calls(other, m["id"], rid):
        body = err(resp, 404, 1001 if resp.request.method == "POST" and resp.url.path.endswith("/registrants")
                   else 3001)
        assert rid not in str(body) and body["message"] == f"Meeting does not exist: {m['id']}."
    assert status_of(api, m["id"], rid) == "approved"
    assert listed(api, m["id"])["total_records"] == 1


def test_user_level_token_on_another_hosts_meeting(api: Api, admin: Admin) -> None:
    member = admin.member(api)
    own = meeting(member)
    mine = register(member, own["id"])
    assert listed(member, own["id"])["registrants"][0]["id"] == mine["registrant_id"]
    owners = meeting(api)
    rid = register(api, owners["id"])["registrant_id"]
    for resp in _calls(member, owners["id"], rid):
        err(resp, 400, 3000)
    assert status_of(api, owners["id"], rid) == "approved"
    # the account-level app reaches the member's meeting
    assert listed(api, own["id"])["total_records"] == 1


def test_unknown_meeting(api: Api) -> None:
    err(api.get("/meetings/12345678901/registrants"), 404, 3001, "Meeting does not exist: 12345678901.")
    err(api.post("/meetings/12345678901/registrants", json={"email": unique_email(), "first_name": "A"}),
        404, 1001, "Meeting does not exist: 12345678901.")
