"""Legacy v1 (/v1/webinar/*) over HTTP on both backends: api_key/api_secret, parameters from the
form body or the query string, v1's shapes and errors, and the same webinars, registrants and
panelists as v2 sees them."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import Admin, Api, ok, unique_email
from zoomsim.optable import load_operations
from test_webinar_simulation import join, step
from test_webinars import new_webinar

FUTURE = "2031-05-04T16:00:00Z"
V1_OPS = [op for op in load_operations() if op.api == "v1"]
FUZZ_WEBINAR: dict[str, dict[str, Any]] = {}   # one webinar per tenant for the fuzz examples


def v1(api: Api, call: str, *, query: bool = False, **fields: Any) -> dict[str, Any]:
    """A v1 call as a plain form post (or, with query=True, as zoomus sends it: all in the URL)."""
    params = {"api_key": api.client_id, "api_secret": api.client_secret, **fields}
    if query:
        r = api.http.post(f"/v1/webinar/{call}", params=params)
    else:
        r = api.http.post(f"/v1/webinar/{call}", data=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def v1_err(body: dict[str, Any], code: int, message: str | None = None) -> None:
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    if message is not None:
        assert body["error"]["message"] == message, body


def made(api: Api, **fields: Any) -> dict[str, Any]:
    fields.setdefault("topic", "Legacy launch")
    return v1(api, "create", host_id=api.owner_id, **fields)


# ---- auth and routing ----------------------------------------------------------------------

def test_api_key_and_secret(admin: Admin, api: Api) -> None:
    r = api.http.post("/v1/webinar/list", data={"host_id": api.owner_id})
    v1_err(r.json(), 300, "Api key and secret are required.")
    r = api.http.post("/v1/webinar/list", data={"api_key": api.client_id, "api_secret": "wrong", "host_id": "x"})
    v1_err(r.json(), 102, "You app key and secret doesn't match.")
    other = admin.tenant()
    r = api.http.post("/v1/webinar/list", data={"api_key": api.client_id, "api_secret": other.client_secret,
                                                "host_id": api.owner_id})
    v1_err(r.json(), 102)
    # the key of one account cannot reach another account's host or webinar
    w = made(api)
    v1_err(v1(other, "get", host_id=api.owner_id, id=w["id"]), 1001, f"User not exist: {api.owner_id}.")
    v1_err(v1(other, "register", id=w["id"], email=unique_email(), first_name="A", last_name="B"), 3001)
    # a deleted app's key stops working at once, on every worker
    assert v1(other, "list", host_id=other.owner_id)["total_records"] == 0
    r = admin.http.delete(f"/_zoomsim/accounts/{other.account_id}/apps/{other.client_id}")
    assert r.status_code < 300, r.text
    v1_err(v1(other, "list", host_id=other.owner_id), 102)


def test_unknown_path_method_and_data_type(api: Api) -> None:
    nope = api.http.post("/v1/webinar/nope")
    assert nope.status_code == 404 and nope.json() == {"error": {"code": 2300,
                                                                 "message": "This API endpoint is not recognized."}}
    wrong = api.http.get("/v1/webinar/list")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == 405
    v1_err(v1(api, "list", host_id=api.owner_id, data_type="XML"), 300, "Invalid parameter: data_type")
    assert "webinars" in v1(api, "list", host_id=api.owner_id, data_type="json")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_input_breaks_a_v1_call(api: Api, data: st.DataObject) -> None:
    """Any call with any values (text, nested brackets, huge numbers) answers v1's envelope or
    a v1 object with a 200, never a 500 and never v2's envelope."""
    w = FUZZ_WEBINAR.setdefault(api.account_id, made(api, approval_type="0"))
    op = data.draw(st.sampled_from(V1_OPS))
    names = sorted((op.body or {}).get("properties", {})) + ["recurrence[type]", "panelists[0][email]", "uuid"]
    values = st.one_of(st.text(max_size=40), st.sampled_from(["0", "-1", "99999999999999999999", "true", "[]",
                                                                "{}", w["id"], api.owner_id, "null", ""]))
    fields = data.draw(st.dictionaries(st.sampled_from(names), values, max_size=8))
    if data.draw(st.booleans()):
        fields.setdefault("host_id", api.owner_id)
        fields.setdefault("id", w["id"])
    r = api.http.post(f"/v1{op.path}", data={"api_key": api.client_id, "api_secret": api.client_secret, **fields})
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body, dict) and "code" not in body, body
    if "error" in body:
        assert set(body["error"]) == {"code", "message"} and isinstance(body["error"]["code"], int)


# ---- webinars ------------------------------------------------------------------------------

def test_create_is_a_v2_webinar(api: Api) -> None:
    w = made(api, type="5", start_time=FUTURE, duration="45", timezone="Europe/Paris", password="ab@-_*9",
             agenda="Notes", option_audio="voip", option_host_video="false", option_practice_session="true",
             option_enforce_login="true", option_enforce_login_domains="example.com", option_auto_record_type="cloud")
    assert set(w) >= {"uuid", "id", "host_id", "topic", "status", "type", "start_time", "duration", "timezone",
                      "start_url", "join_url", "registration_url", "created_at", "option_audio",
                      "option_start_type", "option_enforce_login", "option_alternative_hosts"}
    assert isinstance(w["id"], str) and w["id"].isdigit() and w["host_id"] == api.owner_id
    assert (w["type"], w["duration"], w["timezone"], w["start_time"], w["status"]) == (5, 45, "Europe/Paris", FUTURE, 0)
    assert (w["option_audio"], w["option_start_type"], w["option_host_video"]) == ("voip", "screen_share", False)
    assert (w["option_auto_record_type"], w["registration_url"], w["password"]) == ("cloud", "", "ab@-_*9")
    v2 = ok(api, f"/webinars/{w['id']}")
    s = v2["settings"]
    assert (v2["uuid"], v2["topic"], v2["agenda"], v2["password"]) == (w["uuid"], "Legacy launch", "Notes", "ab@-_*9")
    assert (s["audio"], s["host_video"], s["practice_session"], s["enforce_login"], s["enforce_login_domains"],
            s["auto_recording"], s["approval_type"]) == ("voip", False, True, True, "example.com", "cloud", 2)


def test_v1_defaults(api: Api) -> None:
    w = made(api)
    assert (w["type"], w["option_host_video"], w["option_panelist_video"], w["option_auto_record_type"]) == \
        (5, True, True, "local")
    assert w["password"] == "" and "pwd=" not in w["join_url"]


def test_v2_webinar_read_updated_and_deleted_through_v1(api: Api) -> None:
    w = new_webinar(api, topic="From v2", start_time=FUTURE, settings={"approval_type": 0})
    got = v1(api, "get", host_id=api.owner_id, id=str(w["id"]))
    assert (got["id"], got["topic"], got["uuid"], got["approval_type"]) == (str(w["id"]), "From v2", w["uuid"], 0)
    assert got["registration_url"] == w["registration_url"] and got["occurrences"] == []
    upd = v1(api, "update", host_id=api.owner_id, id=str(w["id"]), topic="Renamed", option_panelist_video="1",
             approval_type="1")
    assert upd["id"] == str(w["id"]) and upd["updated_at"].endswith("Z")
    v2 = ok(api, f"/webinars/{w['id']}")
    assert (v2["topic"], v2["settings"]["panelists_video"], v2["settings"]["approval_type"]) == ("Renamed", True, 1)
    gone = v1(api, "delete", host_id=api.owner_id, id=str(w["id"]))
    assert gone["id"] == str(w["id"]) and "deleted_at" in gone
    assert api.get(f"/webinars/{w['id']}").status_code == 404
    v1_err(v1(api, "get", host_id=api.owner_id, id=str(w["id"])), 3001, f"Webinar {w['id']} not found or expired.")


def test_recurring_with_occurrences(api: Api) -> None:
    w = made(api, type="9", start_time=FUTURE, recurrence=json.dumps({"type": 1, "repeat_interval": 1, "end_times": 3}))
    got = v1(api, "get", host_id=api.owner_id, id=w["id"])
    assert got["type"] == 9 and len(got["occurrences"]) == 3 and got["recurrence"]["end_times"] == 3
    assert set(got["occurrences"][0]) == {"occurrence_id", "start_time", "duration", "status"}
    occ = got["occurrences"][1]["occurrence_id"]
    v1(api, "delete", host_id=api.owner_id, id=w["id"], occurrence_id=occ)
    assert len(ok(api, f"/webinars/{w['id']}")["occurrences"]) == 2


def test_end(admin: Admin, api: Api) -> None:
    w = made(api)
    assert v1(api, "end", host_id=api.owner_id, id=w["id"])["id"] == w["id"]   # not running: nothing to end
    step(admin, "webinars", "POST", f"/{w['id']}/start")
    assert ok(api, f"/webinars/{w['id']}")["status"] == "started"
    assert v1(api, "get", host_id=api.owner_id, id=w["id"])["status"] == 1
    ended = v1(api, "end", host_id=api.owner_id, id=w["id"])
    assert ended["id"] == w["id"] and ended["ended_at"].endswith("Z")
    assert ok(api, f"/webinars/{w['id']}")["status"] == "waiting"
    assert [x["uuid"] for x in v1(api, "uuid/list", host_id=api.owner_id, id=w["id"])["webinars"]] == [w["uuid"]]


def test_lists_split_by_registration(api: Api) -> None:
    open_ones = [made(api, topic=f"Open {i}") for i in range(3)]
    reg = made(api, topic="Registration", approval_type="0", start_time=FUTURE)
    page = v1(api, "list", host_id=api.owner_id, page_size="2")
    assert (page["total_records"], page["page_count"], page["page_number"], page["page_size"]) == (3, 2, 1, 2)
    assert [w["id"] for w in page["webinars"]] == [w["id"] for w in open_ones[:2]]
    second = v1(api, "list", host_id=api.owner_id, page_size="2", page_number="2")
    assert [w["id"] for w in second["webinars"]] == [open_ones[2]["id"]]
    upcoming = v1(api, "list/registration", host_id=api.owner_id)
    assert [w["id"] for w in upcoming["webinars"]] == [reg["id"]] and upcoming["page_size"] == 30
    assert upcoming["webinars"][0]["registration_url"]
    v1_err(v1(api, "list", host_id=api.owner_id, page_size="301"), 300, "Invalid parameter: page_size")


# ---- registration --------------------------------------------------------------------------

def test_register_approve_cancel(api: Api) -> None:
    w = made(api, approval_type="1", start_time=FUTURE)
    answer = [{"title": "Team", "value": "Blue"}]
    api.patch(f"/webinars/{w['id']}/registrants/questions",
              json={"questions": [{"field_name": "city", "required": False}],
                    "custom_questions": [{"title": "Team", "type": "short", "required": False}]})
    r = v1(api, "register", id=w["id"], email="rita@example.com", first_name="Rita", last_name="Reg",
           city="Lyon", custom_questions=json.dumps(answer))
    assert set(r) == {"registrant_id", "id", "topic", "start_time", "join_url"} and r["id"] == w["id"]
    rid = r["registrant_id"]
    v2 = ok(api, f"/webinars/{w['id']}/registrants", status="pending")["registrants"]
    assert [(x["id"], x["email"], x["city"], x["custom_questions"]) for x in v2] == \
        [(rid, "rita@example.com", "Lyon", answer)]
    pending = v1(api, "registrants/list", host_id=api.owner_id, id=w["id"])
    assert (pending["type"], pending["total_records"], pending["users"][0]["id"]) == (0, 1, rid)
    assert set(pending["users"][0]) == {"id", "first_name", "last_name", "email", "registration_time"}
    assert v1(api, "registrants/list", host_id=api.owner_id, id=w["id"], type="1")["users"] == []
    assert v1(api, "registrants/approve", host_id=api.owner_id, id=w["id"], registrant_ids=rid)["id"] == w["id"]
    approved = v1(api, "registrants/list", host_id=api.owner_id, id=w["id"], type="1")["users"]
    assert [x["id"] for x in approved] == [rid]
    gathered = v1(api, "registration", host_id=api.owner_id, id=w["id"])
    assert gathered["attendees"][0]["approval"] == "approved" and gathered["attendees"][0]["registration_url"]
    assert v1(api, "registration/cancel", host_id=api.owner_id, id=w["id"], registrant_ids=rid)["updated_at"]
    assert ok(api, f"/webinars/{w['id']}/registrants")["total_records"] == 0


def test_v2_registrant_seen_by_v1(api: Api) -> None:
    w = new_webinar(api, settings={"approval_type": 0})
    r = api.post(f"/webinars/{w['id']}/registrants", json={"email": "v2@example.com", "first_name": "Vee"})
    assert r.status_code == 201
    users = v1(api, "registrants/list", host_id=api.owner_id, id=str(w["id"]), type="1")["users"]
    assert [(u["id"], u["email"]) for u in users] == [(r.json()["registrant_id"], "v2@example.com")]


def test_registration_errors(api: Api) -> None:
    open_one = made(api)
    v1_err(v1(api, "register", id=open_one["id"], email="a@example.com", first_name="A", last_name="B"), 3000)
    w = made(api, approval_type="0")
    v1_err(v1(api, "register", id=w["id"], first_name="A", last_name="B"), 300, "Missing field: email")
    v1_err(v1(api, "register", id=w["id"], email="not-an-email", first_name="A", last_name="B"), 300,
           "Invalid parameter: email")
    v1_err(v1(api, "register", id=w["id"], email="a@example.com", first_name="A", last_name="B",
              custom_questions="{oops"), 300, "Invalid parameter: custom_questions")
    ids = ",".join(f"r{i}" for i in range(16))
    v1_err(v1(api, "registrants/approve", host_id=api.owner_id, id=w["id"], registrant_ids=ids), 300,
           "Invalid parameter: registrant_ids")
    v1_err(v1(api, "registration/cancel", host_id=api.owner_id, id=w["id"]), 300, "Missing field: registrant_ids")
    v1_err(v1(api, "registration/cancel", host_id=api.owner_id, id=w["id"], registrant_ids="nobody"), 300,
           "Invalid parameter: registrant_ids")


# ---- panelists and ended webinars ----------------------------------------------------------

def test_panelists_both_ways(api: Api) -> None:
    people = [{"name": "Pat Panel", "email": "pat@example.com"}]
    w = made(api, panelists=json.dumps(people))
    got = v1(api, "panelists", host_id=api.owner_id, id=w["id"])
    assert got["total_records"] == 1 and got["panelists"][0]["email"] == "pat@example.com"
    assert set(got["panelists"][0]) == {"name", "email", "join_url"}
    v2 = ok(api, f"/webinars/{w['id']}/panelists")["panelists"]
    assert [p["email"] for p in v2] == ["pat@example.com"]
    lee = [{"name": "Lee", "email": "lee@example.com"}]
    v1(api, "update", host_id=api.owner_id, id=w["id"], panelists=json.dumps(lee))
    assert v1(api, "panelists", host_id=api.owner_id, id=w["id"])["total_records"] == 2
    v1_err(made(api, panelists='[{"name": "no email"}]'), 300, "Invalid parameter: panelists")


def test_ended_webinar_reports(admin: Admin, api: Api) -> None:
    w = made(api, approval_type="0", start_time=FUTURE)
    wid = int(w["id"])
    rid = v1(api, "register", id=w["id"], email="rita@example.com", first_name="Rita", last_name="Reg",
             country="FR")["registrant_id"]
    v1(api, "register", id=w["id"], email="absent@example.com", first_name="Abe", last_name="Sent")
    poll = api.post(f"/webinars/{wid}/polls", json={"title": "Ready?", "questions": [
        {"name": "Ship it?", "type": "single", "answers": ["Yes", "No"]}]}).json()
    step(admin, "webinars", "POST", f"/{wid}/start")
    rita = join(admin, wid, registrant_id=rid)
    pat = join(admin, wid, name="Pat Panel", email="pat@example.com", role="panelist")
    answer = {"content": "Now", "participant_id": pat["participant_id"]}
    step(admin, "webinars", "POST", f"/{wid}/qa",
         {"participant_id": rita["participant_id"], "question": "When?", "answers": [answer]})
    step(admin, "webinars", "POST", f"/{wid}/polls/{poll['id']}/votes",
         {"participant_id": rita["participant_id"], "answers": {"Ship it?": "Yes"}})
    step(admin, "webinars", "POST", f"/{wid}/end")
    uuids = v1(api, "uuid/list", host_id=api.owner_id, id=w["id"])["webinars"]
    assert [u["uuid"] for u in uuids] == [w["uuid"]]
    people = v1(api, "attendees/list", host_id=api.owner_id, id=w["id"], uuid=w["uuid"])["attendees"]
    by_mail = {p["email"]: p for p in people}
    rita_line = by_mail["rita@example.com"]
    assert rita_line["attended"] == "Yes" and rita_line["questions"] == {"country": "FR"}
    assert by_mail["absent@example.com"]["attended"] == "No"
    assert set(by_mail["rita@example.com"]) == {"first_name", "last_name", "email", "join_time", "leave_time",
                                                "time_in_session", "attended", "custom_questions", "questions"}
    qa = v1(api, "questions", host_id=api.owner_id, id=w["id"])
    assert (qa["id"], qa["uuid"]) == (w["id"], w["uuid"])
    assert qa["questions"][0]["question_details"] == [{"question": "When?", "answer": "Now"}]
    votes = v1(api, "polls", host_id=api.owner_id, id=w["id"], uuid=w["uuid"])
    other = made(api)
    v1_err(v1(api, "questions", host_id=api.owner_id, id=other["id"], uuid=w["uuid"]), 300,
           "Invalid parameter: uuid")       # a run of another webinar
    assert votes["questions"][0]["question_details"] == [{"question": "Ship it?", "answer": "Yes"}]


# ---- bad input -----------------------------------------------------------------------------

def test_bad_input_is_a_v1_error(admin: Admin, api: Api) -> None:
    w = made(api)
    v1_err(v1(api, "create", topic="No host"), 300, "Missing field: host_id")
    v1_err(v1(api, "create", host_id=api.owner_id), 300, "Missing field: topic")
    v1_err(made(api, type="five"), 300, "Invalid parameter: type")
    v1_err(made(api, type="2"), 300, "Invalid parameter: type")
    v1_err(made(api, topic="x" * 301), 300, "Invalid parameter: topic")
    v1_err(made(api, password="spaces not ok"), 300, "Invalid parameter: password")
    v1_err(made(api, option_host_video="maybe"), 300, "Invalid parameter: option_host_video")
    v1_err(made(api, option_audio="loud"), 300, "Invalid parameter: option_audio")
    v1_err(made(api, duration="-5"), 300, "Invalid parameter: duration")
    v1_err(made(api, recurrence="[1]"), 300, "Invalid parameter: recurrence")
    v1_err(made(api, timezone="Mars/Olympus"), 300, "Invalid parameter: timezone")
    v1_err(v1(api, "get", host_id="nobody", id=w["id"]), 1001, "User not exist: nobody.")
    v1_err(v1(api, "get", host_id=api.owner_id, id="99999999999"), 3001, "Webinar 99999999999 not found or expired.")
    v1_err(v1(api, "get", host_id=api.owner_id, id="abc"), 300, "Invalid webinarId.")
    v1_err(v1(api, "get", host_id=api.owner_id), 300, "Missing field: id")
    # another host's webinar, and a host without a webinar licence
    member = admin.member(api)
    v1_err(v1(api, "update", host_id=member.owner_id, id=w["id"], topic="Mine"), 200,
           f"Cannot use webinar API, You need to subscribe webinar plan and then enable webinar for this "
           f"user:{member.owner_id}.")
    admin.call("PATCH", f"/accounts/{api.account_id}/users/{member.owner_id}/features", {"webinar": 100})
    v1_err(v1(api, "update", host_id=member.owner_id, id=w["id"], topic="Mine"), 3003, "Not meeting host.")
    v1_err(v1(api, "get", host_id=member.owner_id, id=w["id"]), 3001)
    assert ok(api, f"/webinars/{w['id']}")["topic"] == "Legacy launch"   # nothing was written
    meeting = api.post("/users/me/meetings", json={"topic": "Not a webinar"}).json()
    v1_err(v1(api, "get", host_id=api.owner_id, id=str(meeting["id"])), 3001)


# ---- how real clients send -----------------------------------------------------------------

def test_query_string_calls(api: Api) -> None:
    """zoomus 1.2.1 sends an empty body and everything, credentials included, in the URL."""
    w = v1(api, "create", query=True, host_id=api.owner_id, topic="From the URL", option_host_video="False")
    assert w["option_host_video"] is False
    assert v1(api, "get", query=True, host_id=api.owner_id, id=w["id"])["topic"] == "From the URL"


def test_node_form_shape(api: Api) -> None:
    """Zoom's Node client (zoomus 0.1.5) form-encodes nested values in qs' bracket form."""
    body = ("api_key={k}&api_secret={s}&host_id={h}&topic=Nested&type=9&start_time=2031-05-04T16%3A00%3A00Z"
            "&recurrence%5Btype%5D=2&recurrence%5Bweekly_days%5D=2%2C4&recurrence%5Bend_times%5D=4"
            "&panelists%5B0%5D%5Bname%5D=Pat&panelists%5B0%5D%5Bemail%5D=pat%40example.com"
            ).format(k=api.client_id, s=api.client_secret, h=api.owner_id)
    r = api.http.post("/v1/webinar/create", content=body,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    w = r.json()
    assert r.status_code == 200 and w["type"] == 9, w
    assert w["recurrence"] == {"type": 2, "weekly_days": "2,4", "end_times": 4}
    assert [p["email"] for p in ok(api, f"/webinars/{w['id']}/panelists")["panelists"]] == ["pat@example.com"]
    # the form body wins over the query string
    r = api.http.post("/v1/webinar/get", params={"id": "1"}, data={
        "api_key": api.client_id, "api_secret": api.client_secret, "host_id": api.owner_id, "id": w["id"]})
    assert r.json()["id"] == w["id"]
