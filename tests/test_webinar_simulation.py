"""Running webinars through the admin simulation API (start, attendees, panelists, registrants,
Q&A with answers, poll votes, survey answers, chat, end, one-call runs), the webinar rules of
who may ask and answer, the kind checks of the admin routes, and live chat over the API
(deleting and editing a running meeting's or webinar's chat messages), on both backends."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from support import Admin, Api, bad_fields, freeze, new_meeting, ok
from support import expect_error as err
from test_webinars import new_webinar

NOW = "2026-11-02T15:00:00Z"


def enc(value: str) -> str:
    """Zoom's double encoding of a base64 id in a path."""
    return quote(quote(value, safe=""), safe="")


def step(admin: Admin, kind: str, method: str, path: str, json: Any = None) -> Any:
    """An admin simulation call that must succeed; its JSON."""
    r = admin.http.request(method, f"/_zoomsim/{kind}{path}", json=json)
    assert r.status_code < 300, r.text
    return r.json()


def raw(admin: Admin, kind: str, method: str, path: str, json: Any = None) -> Any:
    return admin.http.request(method, f"/_zoomsim/{kind}{path}", json=json)


def register(api: Api, wid: int, first: str, email: str, path: str = "webinars") -> str:
    r = api.post(f"/{path}/{wid}/registrants", json={"email": email, "first_name": first, "last_name": "Reg"})
    assert r.status_code == 201, r.text
    return str(r.json()["registrant_id"])


def join(admin: Admin, wid: int, **spec: Any) -> dict[str, Any]:
    return step(admin, "webinars", "POST", f"/{wid}/participants", spec)  # type: ignore[no-any-return]


# ---- step by step --------------------------------------------------------------------------

def test_a_webinar_step_by_step(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    w = new_webinar(api, topic="Launch", start_time=NOW, settings={"approval_type": 0})
    wid = w["id"]
    rid = register(api, wid, "Rita", "rita@example.com")
    started = step(admin, "webinars", "POST", f"/{wid}/start")
    assert started["uuid"] == w["uuid"] and started["status"] == "started"
    assert ok(api, f"/webinars/{wid}")["status"] == "started"
    host = join(admin, wid, user_id=api.owner_id)
    ann = join(admin, wid, name="Ann", email="ann@example.com")
    pat = join(admin, wid, name="Pat Panel", email="pat@example.com", role="panelist")
    rita = join(admin, wid, registrant_id=rid)
    assert (host["role"], ann["role"], pat["role"], rita["role"]) == ("host", "attendee", "panelist", "attendee")
    assert (rita["name"], rita["email"], rita["registrant_id"]) == ("Rita Reg", "rita@example.com", rid)
    clock.clock(advance_seconds=300)
    q = step(admin, "webinars", "POST", f"/{wid}/qa", {
        "participant_id": ann["participant_id"], "question": "Is it out today?",
        "answers": [{"content": "Yes, at noon.", "participant_id": pat["participant_id"]}, "And the docs too."]})
    assert (q["status"], q["answers"]) == ("answered", 2)
    comment = step(admin, "webinars", "POST", f"/{wid}/qa", {
        "participant_id": rita["participant_id"], "question": "Pricing?",
        "answers": [{"content": "+1", "participant_id": ann["participant_id"], "type": "participant_commented"}]})
    assert comment["answers"] == 1
    said = step(admin, "webinars", "POST", f"/{wid}/chat", {"participant_id": ann["participant_id"],
                                                            "message": "Hello all"})
    assert said["message_id"] and said["participant_id"] == ann["participant_id"]
    clock.clock(advance_seconds=600)
    step(admin, "webinars", "DELETE", f"/{wid}/participants/{ann['participant_id']}")
    clock.clock(advance_seconds=900)
    ended = step(admin, "webinars", "POST", f"/{wid}/end")
    # 30 minutes; host, Pat and Rita 30 each, Ann 15: 105 participant minutes, 4 people
    assert (ended["uuid"], ended["duration"], ended["participants_count"], ended["total_minutes"]) == \
        (w["uuid"], 30, 4, 105)
    after = ok(api, f"/webinars/{wid}")
    assert after["status"] == "waiting" and after["uuid"] != w["uuid"]
    history = ok(api, "/report/history_meetings", **{"from": "2026-11-02", "to": "2026-11-02",
                                                     "meeting_type": "webinar"})["history_meetings"]
    assert [(h["meeting_id"], h["type"]) for h in history] == [(wid, "Webinar")]
    flags = history[0]["feature_used"]
    assert flags["in_meeting_chat"] and flags["meeting_questions"] and flags["registration"]


def test_who_asks_and_who_answers(admin: Admin, api: Api) -> None:
    wid = new_webinar(api)["id"]
    step(admin, "webinars", "POST", f"/{wid}/start")
    host = join(admin, wid, user_id=api.owner_id)
    ann = join(admin, wid, name="Ann")
    bo = join(admin, wid, name="Bo")
    pat = join(admin, wid, name="Pat", role="panelist")
    for asker in (host, pat):
        assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/qa", {
            "participant_id": asker["participant_id"], "question": "Anyone?"})) == {"participant_id"}
    assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/qa", {
        "participant_id": ann["participant_id"], "question": "Why?",
        "answers": [{"content": "Because", "participant_id": bo["participant_id"]}]})) == {"answers[0].participant_id"}
    # the host answers by name too
    by_host = step(admin, "webinars", "POST", f"/{wid}/qa", {
        "participant_id": ann["participant_id"], "question": "When?",
        "answers": [{"content": "Soon", "participant_id": host["participant_id"], "type": "host_answered_privately"}]})
    assert by_host["status"] == "answered"
    assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/participants", {"name": "X", "role": "host"})) == {"role"}
    # anonymous questions and Q&A itself follow the webinar's settings
    assert api.patch(f"/webinars/{wid}", json={"settings": {"question_and_answer": {
        "enable": True, "allow_anonymous_questions": False}}}).status_code == 204
    assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/qa", {
        "participant_id": ann["participant_id"], "question": "Secret?", "anonymous": True})) == {"anonymous"}
    assert api.patch(f"/webinars/{wid}", json={"settings": {"question_and_answer": {"enable": False}}}).status_code == 204
    err(raw(admin, "webinars", "POST", f"/{wid}/qa", {"participant_id": ann["participant_id"], "question": "Hi?"}),
        400, 3000, f"Q&A is not enabled for webinar {wid}.")
    step(admin, "webinars", "POST", f"/{wid}/end")


def test_registrants_must_be_approved_and_of_this_webinar(admin: Admin, api: Api) -> None:
    manual = new_webinar(api, settings={"approval_type": 1})["id"]
    other = new_webinar(api, settings={"approval_type": 0})["id"]
    pending = register(api, manual, "Pen", "pen@example.com")
    theirs = register(api, other, "Oth", "oth@example.com")
    step(admin, "webinars", "POST", f"/{manual}/start")
    for rid in (pending, theirs, "nope"):
        assert bad_fields(raw(admin, "webinars", "POST", f"/{manual}/participants", {"registrant_id": rid})) \
            == {"registrant_id"}
    assert api.put(f"/webinars/{manual}/registrants/status",
                   json={"action": "approve", "registrants": [{"id": pending}]}).status_code == 204
    assert join(admin, manual, registrant_id=pending)["name"] == "Pen Reg"
    step(admin, "webinars", "POST", f"/{manual}/end")


def test_a_named_panelist_joins_as_one(admin: Admin, api: Api) -> None:
    wid = new_webinar(api)["id"]
    added = api.post(f"/webinars/{wid}/panelists", json={"panelists": [{"name": "Pia Panel", "email": "pia@example.com"}]})
    if added.status_code != 201:
        pytest.skip("webinar panelists are not served yet")
    pid = ok(api, f"/webinars/{wid}/panelists")["panelists"][0]["id"]
    step(admin, "webinars", "POST", f"/{wid}/start")
    pia = join(admin, wid, panelist_id=pid)
    assert (pia["name"], pia["email"], pia["role"]) == ("Pia Panel", "pia@example.com", "panelist")
    assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/participants", {"panelist_id": "nope"})) == {"panelist_id"}
    assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/participants",
                          {"panelist_id": pid, "role": "attendee"})) == {"panelist_id"}
    step(admin, "webinars", "POST", f"/{wid}/end")


def test_poll_votes_and_survey_answers(admin: Admin, api: Api) -> None:
    wid = new_webinar(api)["id"]
    poll = api.post(f"/webinars/{wid}/polls", json={"title": "Ready?", "questions": [
        {"name": "Ship it?", "type": "single", "answers": ["Yes", "No"]}]})
    assert poll.status_code == 201, poll.text
    assert api.patch(f"/webinars/{wid}/survey", json={"custom_survey": {"title": "After", "questions": [
        {"name": "How was it?", "type": "rating_scale", "rating_min_value": 1, "rating_max_value": 5,
         "rating_min_label": "Bad", "rating_max_label": "Good"}]}}).status_code == 204
    step(admin, "webinars", "POST", f"/{wid}/start")
    ann = join(admin, wid, name="Ann", email="ann@example.com")
    vote = step(admin, "webinars", "POST", f"/{wid}/polls/{poll.json()['id']}/votes",
                {"participant_id": ann["participant_id"], "answers": {"Ship it?": "Yes"}})
    assert vote["answers"] == [{"question": "Ship it?", "answer": "Yes"}]
    err(raw(admin, "webinars", "POST", f"/{wid}/polls/nope/votes", {"participant_id": ann["participant_id"],
                                                                     "answers": {"Ship it?": "Yes"}}),
        404, 4400, f"Poll nope does not exist in webinar {wid}.")
    survey = step(admin, "webinars", "POST", f"/{wid}/survey/answers",
                  {"participant_id": ann["participant_id"], "answers": {"How was it?": 4}})
    assert survey["answers"] == [{"question": "How was it?", "answer": "4"}]
    ended = api.put(f"/webinars/{wid}/status", json={"action": "end"})     # the API ends it, as live.end does
    assert ended.status_code in (200, 204), ended.text
    assert [i["uuid"] for i in ok(api, f"/past_webinars/{wid}/instances")["webinars"]] != []
    err(raw(admin, "webinars", "POST", f"/{wid}/end"), 400, 3000, f"Webinar {wid} is not in progress.")


def test_run_a_webinar_in_one_call(admin: Admin, api: Api) -> None:
    wid = new_webinar(api, settings={"approval_type": 0})["id"]
    rids = [register(api, wid, f"R{n}", f"r{n}@example.com") for n in range(3)]
    spec = {"participants": 8, "panelists": 2, "registrants": True, "duration_minutes": 40, "qa": 6, "chat": 4,
            "seed": 9}
    ran = step(admin, "webinars", "POST", f"/{wid}/run", spec)
    roles = {p["participant_id"]: p["role"] for p in ran["participants"]}
    assert sorted(set(roles.values())) == ["attendee", "host", "panelist"]
    assert ran["participants_count"] == 1 + 2 + 3 + 8 and ran["duration"] == 40
    past = ok(api, f"/past_webinars/{wid}/participants", page_size=300)["participants"]
    assert sorted({p["registrant_id"] for p in past} - {""}) == sorted(rids)
    qa = ok(api, f"/report/webinars/{wid}/qa")
    askers = {e["user_id"] for e in qa["questions"]}
    assert askers and all(roles[a] == "attendee" for a in askers)      # only attendees ask
    assert sum(len(e["question_details"]) for e in qa["questions"]) == 6
    again = step(admin, "webinars", "POST", f"/{wid}/run", spec)
    assert [p["role"] for p in again["participants"]] == [p["role"] for p in ran["participants"]]
    assert again["total_minutes"] == ran["total_minutes"]


# ---- kinds ---------------------------------------------------------------------------------

def test_routes_keep_to_their_kind(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    wid = new_webinar(api)["id"]
    for suffix in ("/start", "/end", "/participants", "/qa", "/chat", "/run", "/survey/answers"):
        err(raw(admin, "webinars", "POST", f"/{mid}{suffix}", {}), 404, 3001, f"Webinar does not exist: {mid}.")
        err(raw(admin, "meetings", "POST", f"/{wid}{suffix}", {}), 404, 3001, f"Meeting does not exist: {wid}.")
    err(raw(admin, "webinars", "DELETE", f"/{mid}/participants/1"), 404, 3001)
    step(admin, "meetings", "POST", f"/{mid}/start")
    assert bad_fields(raw(admin, "meetings", "POST", f"/{mid}/participants", {"name": "Pat", "role": "panelist"})) \
        == {"role"}
    step(admin, "meetings", "POST", f"/{mid}/end")
    assert bad_fields(raw(admin, "meetings", "POST", f"/{mid}/run", {"panelists": 2})) == {"panelists"}
    err(raw(admin, "webinars", "POST", f"/{wid}/participants", {"name": "Early"}), 400, 3000,
        f"Webinar {wid} is not in progress.")
    step(admin, "webinars", "POST", f"/{wid}/start")
    err(raw(admin, "webinars", "POST", f"/{wid}/start"), 400, 3000, f"Webinar {wid} is already in progress.")
    err(raw(admin, "webinars", "POST", f"/{wid}/run", {}), 400, 3000, f"Webinar {wid} is already in progress.")
    step(admin, "webinars", "POST", f"/{wid}/end")


def test_bad_chat_and_run_input(admin: Admin, api: Api) -> None:
    wid = new_webinar(api)["id"]
    step(admin, "webinars", "POST", f"/{wid}/start")
    ann = join(admin, wid, name="Ann")["participant_id"]
    for body, field in (({"participant_id": ann}, "message"), ({"participant_id": ann, "message": " "}, "message"),
                        ({"participant_id": ann, "message": "x" * 4097}, "message"),
                        ({"participant_id": "1", "message": "hi"}, "participant_id"),
                        ({"participant_id": ann, "message": "hi", "to": "9"}, "to"),
                        ({"participant_id": ann, "message": "hi", "files": "a.pdf"}, "files"),
                        ({"participant_id": ann, "message": "hi", "files": [{"name": 1}]}, "files")):
        assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/chat", body)) == {field}, body
    # NUL is stored nowhere (PostgreSQL refuses it): such input names nothing or is refused
    assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/chat", {"participant_id": "1\x00",
                                                                       "message": "hi"})) == {"participant_id"}
    assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/participants", {"name": "A\x00"})) == {"name"}
    assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/participants",
                          {"name": "A", "role": "panelist", "panelist_id": "p\x00"})) == {"panelist_id"}
    err(raw(admin, "webinars", "DELETE", f"/{wid}/participants/%2500{ann}"), 404, 3001)
    step(admin, "webinars", "POST", f"/{wid}/end")
    for body, field in (({"panelists": -1}, "panelists"), ({"registrants": [1]}, "registrants"),
                        ({"chat": "lots"}, "chat"), ({"panelists": [{"name": "x" * 300}]}, "panelists[0].name"),
                        ({"participants": [{"name": "Al", "role": "boss"}]}, "role")):
        assert bad_fields(raw(admin, "webinars", "POST", f"/{wid}/run", body)) == {field}, body


# ---- live chat over the API ----------------------------------------------------------------------

def chat(admin: Admin, kind: str, number: int, participant: str, **more: Any) -> dict[str, Any]:
    return step(admin, kind, "POST", f"/{number}/chat",  # type: ignore[no-any-return]
                {"participant_id": participant, "message": "Notes attached", **more})


def test_meeting_chat_messages_are_edited_and_deleted(admin: Admin, api: Api) -> None:
    mid = new_meeting(api)["id"]
    step(admin, "meetings", "POST", f"/{mid}/start")
    ann = step(admin, "meetings", "POST", f"/{mid}/participants", {"name": "Ann"})["participant_id"]
    bo = step(admin, "meetings", "POST", f"/{mid}/participants", {"name": "Bo"})["participant_id"]
    sent = chat(admin, "meetings", mid, ann, files=["a.pdf", "b.png"], to=bo)
    path = f"/live_meetings/{mid}/chat/messages/{enc(sent['message_id'])}"
    assert api.patch(path, json={"message_content": "Notes, edited"}).status_code == 204
    assert bad_fields(api.patch(path, json={"message_content": ""})) == {"message_content"}
    err(api.delete(path, params={"file_ids": "nope"}), 400, 300, "Invalid parameter: file_ids.")
    first = sent["files"][0]["file_id"]
    assert api.delete(path, params={"file_ids": first}).status_code == 204
    err(api.delete(path, params={"file_ids": first}), 400, 300)        # that file is gone already
    assert api.delete(path).status_code == 204
    err(api.delete(path), 404, 3001, f"Message does not exist: {sent['message_id']}.")
    err(api.patch(path, json={"message_content": "again"}), 404, 3001)
    err(api.delete(f"/live_meetings/{mid}/chat/messages/nosuchmessage"), 404, 3001,
        "Message does not exist: nosuchmessage.")
    kept = chat(admin, "meetings", mid, bo)
    step(admin, "meetings", "POST", f"/{mid}/end")
    err(api.delete(f"/live_meetings/{mid}/chat/messages/{enc(kept['message_id'])}"), 400, 3000,
        f"Meeting {mid} is not in progress.")
    # a message of an earlier run is not in the next one
    step(admin, "meetings", "POST", f"/{mid}/start")
    err(api.delete(f"/live_meetings/{mid}/chat/messages/{enc(kept['message_id'])}"), 404, 3001)
    step(admin, "meetings", "POST", f"/{mid}/end")


def test_webinar_chat_messages_are_deleted(admin: Admin, api: Api) -> None:
    wid = new_webinar(api)["id"]
    mid = new_meeting(api)["id"]
    step(admin, "webinars", "POST", f"/{wid}/start")
    step(admin, "meetings", "POST", f"/{mid}/start")
    ann = join(admin, wid, name="Ann")["participant_id"]
    sent = chat(admin, "webinars", wid, ann, files=["slides.pdf"])
    other = admin.tenant()
    path = f"/live_webinars/{wid}/chat/messages/{enc(sent['message_id'])}"
    err(other.delete(path), 404, 3001, f"Webinar does not exist: {wid}.")
    err(api.delete(f"/live_webinars/{mid}/chat/messages/{enc(sent['message_id'])}"), 404, 3001,
        f"Webinar does not exist: {mid}.")
    err(api.delete(f"/live_meetings/{wid}/chat/messages/{enc(sent['message_id'])}"), 404, 3001,
        f"Meeting does not exist: {wid}.")
    assert api.delete(path, params={"file_ids": sent["files"][0]["file_id"]}).status_code == 204
    assert api.delete(path).status_code == 204
    err(api.delete(path), 404, 3001)
    step(admin, "webinars", "POST", f"/{wid}/end")
    step(admin, "meetings", "POST", f"/{mid}/end")
    err(api.delete(path), 400, 3000, f"Webinar {wid} is not in progress.")
