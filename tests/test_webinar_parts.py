"""A webinar's parts over HTTP, served by the meeting handlers with the webinar's own behaviour:
polls, survey (with the follow-up email switch), livestream (start/stop only while running),
the closed caption token (only while running), join tokens, SIP dialing, invite links and
webinar templates (webinar_id, their own list, template_id on webinar create); wording,
invalid ids and isolation from other accounts and from meetings (both backends)."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from support import Admin, Api, Server, bad_fields, new_meeting, unique_email
from support import expect_error as err
from test_webinars import PLAN_MISSING, new_webinar

from zoomsim.meetings import tokens
from zoomsim.storage import parts as parts_repo

DEST = {"stream_url": "rtmp://live.example.com/app", "stream_key": "key-1", "page_url": "https://example.com/watch"}
POLLS_OFF = ("Webinar polls disabled. To enable this feature, enable the Webinar Polls/Quizzes setting in the "
             "Zoom web portal's Settings interface.")
SURVEY_OFF = ("Webinar survey disabled. To enable this feature, enable the Webinar Survey setting in the Zoom web "
              "portal's Settings interface.")
SURVEY_OFF_PATCH = ("Webinar survey disabled. To use this feature, enable the Webinar Survey setting in the Zoom "
                    "web portal's Settings interface.")
JOIN_PATHS = {"live_streaming": "jointoken/live_streaming", "local_archiving": "jointoken/local_archiving",
              "local_recording": "jointoken/local_recording"}


def poll(**fields: Any) -> dict[str, Any]:
    fields.setdefault("title", "Quick check")
    fields.setdefault("questions", [{"name": "Pick one", "type": "single", "answers": ["Yes", "No"]}])
    return fields


def start(admin: Admin, wid: int) -> None:
    admin.call("POST", f"/webinars/{wid}/start")


def basic_host_webinar(admin: Admin, api: Api) -> int:
    """A webinar whose host is a Basic user holding a webinar licence: licensed features are off."""
    basic = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("basic"), "type": 1,
                                                                     "features": {"webinar": 100}})
    return int(new_webinar(api, schedule_for=basic["email"])["id"])


# ---- polls ------------------------------------------------------------------------------------

def test_poll_round_trip(api: Api) -> None:
    wid = new_webinar(api)["id"]
    r = api.post(f"/webinars/{wid}/polls", json=poll(anonymous=True))
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["status"] == "notstart" and p["poll_type"] == 1 and p["anonymous"] is True
    assert api.get(f"/webinars/{wid}/polls/{p['id']}").json() == p
    quiz = api.post(f"/webinars/{wid}/polls", json=poll(poll_type=3, questions=[
        {"name": "2+2", "type": "single", "answers": ["3", "4"], "right_answers": ["4"]}])).json()
    assert api.get(f"/webinars/{wid}/polls").json() == {"polls": [p, quiz], "total_records": 2}
    assert api.get(f"/webinars/{wid}/polls", params={"anonymous": "false"}).json()["polls"] == [quiz]
    assert api.put(f"/webinars/{wid}/polls/{p['id']}", json=poll(title="Renamed")).status_code == 204
    assert api.get(f"/webinars/{wid}/polls/{p['id']}").json()["title"] == "Renamed"
    assert bad_fields(api.put(f"/webinars/{wid}/polls/{p['id']}", json={"title": "x"})) == {"questions"}
    assert api.delete(f"/webinars/{wid}/polls/{p['id']}").status_code == 204
    assert api.get(f"/webinars/{wid}/polls").json()["total_records"] == 1


def test_unknown_polls(api: Api) -> None:
    wid = new_webinar(api)["id"]
    err(api.get(f"/webinars/{wid}/polls/nope"), 404, 404, "Webinar Poll not found.")
    err(api.put(f"/webinars/{wid}/polls/nope", json=poll()), 404, 404, "Webinar Poll not found.")
    err(api.delete(f"/webinars/{wid}/polls/nope"), 400, 4400, "Invalid poll IDs.")


def test_polls_are_off_for_a_basic_host(admin: Admin, api: Api) -> None:
    wid = basic_host_webinar(admin, api)
    err(api.get(f"/webinars/{wid}/polls"), 400, 4400, POLLS_OFF)
    err(api.post(f"/webinars/{wid}/polls", json=poll()), 400, 4400, POLLS_OFF)


# ---- survey -----------------------------------------------------------------------------------

def test_survey_has_the_follow_up_email_switch(api: Api) -> None:
    wid = new_webinar(api)["id"]
    path = f"/webinars/{wid}/survey"
    empty = {"show_in_the_browser": True, "show_in_the_follow_up_email": False, "third_party_survey": ""}
    assert api.get(path).json() == empty
    custom = {"title": "How was it?", "questions": [{"name": "Rate", "type": "rating_scale", "rating_min_value": 1,
                                                     "rating_max_value": 5}]}
    r = api.patch(path, json={"show_in_the_follow_up_email": True, "custom_survey": custom})
    assert r.status_code == 204, r.text
    got = api.get(path).json()
    assert list(got) == ["custom_survey", "show_in_the_browser", "show_in_the_follow_up_email", "third_party_survey"]
    assert got["show_in_the_follow_up_email"] is True and got["custom_survey"]["title"] == "How was it?"
    assert api.patch(path, json={"show_in_the_browser": False}).status_code == 204
    assert api.get(path).json()["show_in_the_follow_up_email"] is True
    err(api.patch(path, json={"third_party_survey": "not a link"}), 400, 300, "Invalid third party survey: not a link.")
    assert api.delete(path).status_code == 204
    assert api.get(path).json() == empty
    # a meeting's survey has no such switch
    m = new_meeting(api)
    assert api.get(f"/meetings/{m['id']}/survey").json() == {"show_in_the_browser": True, "third_party_survey": ""}


def test_survey_is_off_for_a_basic_host(admin: Admin, api: Api) -> None:
    wid = basic_host_webinar(admin, api)
    err(api.get(f"/webinars/{wid}/survey"), 400, 3000, SURVEY_OFF)
    err(api.patch(f"/webinars/{wid}/survey", json={}), 400, 3000, SURVEY_OFF_PATCH)
    err(api.delete(f"/webinars/{wid}/survey"), 400, 3000, SURVEY_OFF)


# ---- livestream -------------------------------------------------------------------------------

def _live(server: Server, wid: int) -> dict[str, Any]:
    with server.app.services.storage.read() as db:
        return (parts_repo.get(db, wid, "livestream") or {}).get("live") or {}


def test_livestream_destination(api: Api) -> None:
    wid = new_webinar(api)["id"]
    path = f"/webinars/{wid}/livestream"
    assert api.get(path).json() == {"stream_url": "", "stream_key": "", "page_url": "", "resolution": ""}
    assert api.patch(path, json={**DEST, "resolution": "720p"}).status_code == 204
    assert api.get(path).json() == {**DEST, "resolution": "720p"}
    assert bad_fields(api.patch(path, json={"stream_url": "rtmp://x"})) == {"page_url", "stream_key"}


def test_livestream_starts_and_stops_while_running(admin: Admin, api: Api, server: Server) -> None:
    w = new_webinar(api, topic="Live launch")
    wid = w["id"]
    path = f"/webinars/{wid}/livestream/status"
    err(api.patch(path, json={"action": "start"}), 400, 200, f"Webinar {wid} has not started.")
    start(admin, wid)
    err(api.patch(path, json={"action": "start"}), 400, 3000,
        "The current webinar is not configured with a custom streaming service.")
    assert api.patch(f"/webinars/{wid}/livestream", json=DEST).status_code == 204
    err(api.patch(path, json={"action": "stop"}), 400, 3000, "The webinar is not being livestreamed.")
    r = api.patch(path, json={"action": "start", "settings": {"active_speaker_name": True, "layout": "gallery_view"}})
    assert r.status_code == 204, r.text
    live = _live(server, wid)
    # webinar streams have no layout or caption settings
    assert live["status"] == "started" and live["settings"] == {"active_speaker_name": True,
                                                                  "display_name": "Live launch"}
    assert bad_fields(api.patch(path, json={"action": "mode"})) == {"action"}
    assert api.patch(path, json={"action": "stop"}).status_code == 204
    assert _live(server, wid)["status"] == "stopped"


# ---- tokens -----------------------------------------------------------------------------------

def test_caption_token_only_while_running(admin: Admin, api: Api, server: Server) -> None:
    wid = new_webinar(api)["id"]
    err(api.get(f"/webinars/{wid}/token"), 400, 3000, f"Webinar {wid} has not started.")
    start(admin, wid)
    r = api.get(f"/webinars/{wid}/token")
    assert r.status_code == 200, r.text
    assert tokens.verify_caption_url(server.app.services, r.json()["token"], wid)
    err(api.get(f"/webinars/{wid}/token", params={"type": "zak"}), 400, 300)


@pytest.mark.parametrize("purpose", sorted(JOIN_PATHS))
def test_join_tokens(api: Api, server: Server, purpose: str) -> None:
    wid = new_webinar(api)["id"]
    body = api.get(f"/webinars/{wid}/{JOIN_PATHS[purpose]}").json()
    assert body["expire_in"] == 120 and set(body) == {"token", "expire_in"}
    claims = tokens.verify(server.app.services, body["token"], purpose, server.app.services.clock.now())
    assert claims["mid"] == wid and claims["aid"] == api.account_id


def test_sip_dialing(api: Api) -> None:
    wid = new_webinar(api)["id"]
    r = api.post(f"/webinars/{wid}/sip_dialing", json={"passcode": "4321"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["sip_dialing"] == f"{wid}.4321@zoomcrc.com" and body["expire_in"] == 7200
    assert body["paid_crc_plan_participant"] is False and len(body["participant_identifier_code"]) == 9


# ---- invite links -----------------------------------------------------------------------------

def test_invite_links(api: Api, server: Server) -> None:
    w = new_webinar(api, password="abc123")
    r = api.post(f"/webinars/{w['id']}/invite_links",
                 json={"attendees": [{"name": "Ann"}, {"name": "Bob", "disable_video": True}], "ttl": 600})
    assert r.status_code == 201, r.text
    links = r.json()["attendees"]
    assert [a["name"] for a in links] == ["Ann", "Bob"]
    url = urlsplit(links[1]["join_url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{server.config.base_url}/j/{w['id']}"
    query = parse_qs(url.query)
    assert query["pwd"] == [w["encrypted_passcode"]]
    claims = tokens.verify(server.app.services, query["tk"][0], "invite_link", server.app.services.clock.now())
    assert (claims["mid"], claims["name"], claims["dv"], claims["exp"] - claims["iat"]) == (w["id"], "Bob", True, 600)
    path = f"/webinars/{w['id']}/invite_links"
    assert bad_fields(api.post(path, json={"attendees": []})) == {"attendees"}
    assert bad_fields(api.post(path, json={"attendees": [{"name": "x"}], "ttl": 7776001})) == {"ttl"}


# ---- templates ----------------------------------------------------------------------------------

def template(api: Api, wid: Any, name: str, user: str = "me", **extra: Any) -> httpx.Response:
    return api.post(f"/users/{user}/webinar_templates", json={"webinar_id": wid, "name": name, **extra})


def test_webinar_templates(api: Api) -> None:
    w = new_webinar(api, agenda="Keynote", duration=45, settings={"panelists_video": True, "approval_type": 1})
    r = template(api, w["id"], "Launch kit")
    assert r.status_code == 201, r.text
    made = r.json()
    assert set(made) == {"id", "name"} and made["name"] == "Launch kit"
    listed = api.get("/users/me/webinar_templates").json()
    assert listed == {"total_records": 1, "templates": [{"id": made["id"], "name": "Launch kit", "type": 1}]}
    assert api.get("/users/me/meeting_templates").json()["total_records"] == 0     # separate lists
    # a webinar made from the template takes its options; the body given wins
    r = api.post("/users/me/webinars", json={"template_id": made["id"], "topic": "From kit"})
    assert r.status_code == 201, r.text
    got = r.json()
    assert (got["type"], got["agenda"], got["duration"], got["topic"]) == (5, "Keynote", 45, "From kit")
    assert got["settings"]["panelists_video"] is True and got["settings"]["approval_type"] == 1
    assert got["template_id"] == made["id"]
    err(api.post("/users/me/meetings", json={"template_id": made["id"]}), 400, 300, f"Invalid template_id: {made['id']}.")


def test_webinar_template_errors(api: Api) -> None:
    w = new_webinar(api)
    m = new_meeting(api)
    assert bad_fields(api.post("/users/me/webinar_templates", json={"meeting_id": w["id"], "name": "x"})) == {"webinar_id"}
    err(template(api, m["id"], "x"), 400, 3001, f"Webinar does not exist: {m['id']}.")
    err(api.post("/users/me/meeting_templates", json={"meeting_id": w["id"], "name": "x"}), 400, 3001)
    assert template(api, w["id"], "Dup").status_code == 201
    err(template(api, w["id"], "Dup"), 400, 3000, "Webinar template name already exists: Dup.")
    assert template(api, w["id"], "Dup", overwrite=True).status_code == 201
    for i in range(39):
        assert template(api, w["id"], f"t{i:02d}").status_code == 201
    err(template(api, w["id"], "one too many"), 400, 300, "You can only create up to 40 webinar templates.")


def test_webinar_templates_need_a_licence(admin: Admin, api: Api) -> None:
    member = admin.member(api, scopes=("webinar:read", "webinar:write"))
    err(member.get("/users/me/webinar_templates"), 400, 200, PLAN_MISSING)
    err(template(member, 12345678901, "x"), 400, 200, PLAN_MISSING)


def test_templates_of_another_account(admin: Admin, api: Api) -> None:
    w = new_webinar(api)
    other = admin.tenant()
    err(template(other, w["id"], "x"), 400, 3001, f"Webinar does not exist: {w['id']}.")
    err(other.get(f"/users/{api.owner_id}/webinar_templates"), 404, 1001)


# ---- access -----------------------------------------------------------------------------------

def _every(client: Api, wid: Any) -> list[httpx.Response]:
    return [
        client.get(f"/webinars/{wid}/polls"), client.post(f"/webinars/{wid}/polls", json=poll()),
        client.get(f"/webinars/{wid}/polls/p1"), client.put(f"/webinars/{wid}/polls/p1", json=poll()),
        client.delete(f"/webinars/{wid}/polls/p1"),
        client.get(f"/webinars/{wid}/survey"), client.patch(f"/webinars/{wid}/survey", json={}),
        client.delete(f"/webinars/{wid}/survey"),
        client.get(f"/webinars/{wid}/livestream"), client.patch(f"/webinars/{wid}/livestream", json=DEST),
        client.patch(f"/webinars/{wid}/livestream/status", json={"action": "stop"}),
        client.get(f"/webinars/{wid}/token"),
        *[client.get(f"/webinars/{wid}/{path}") for path in JOIN_PATHS.values()],
        client.post(f"/webinars/{wid}/sip_dialing", json={}),
        client.post(f"/webinars/{wid}/invite_links", json={"attendees": [{"name": "x"}]}),
    ]


def test_other_account_gets_not_found(admin: Admin, api: Api) -> None:
    wid = new_webinar(api)["id"]
    for resp in _every(admin.tenant(), wid):
        err(resp, 404, 3001, f"Webinar does not exist: {wid}.")


def test_meeting_ids_are_not_webinars(api: Api) -> None:
    mid = new_meeting(api)["id"]
    for resp in _every(api, mid):
        err(resp, 404, 3001, f"Webinar does not exist: {mid}.")


def test_ids_that_are_not_numbers(api: Api) -> None:
    for resp in _every(api, "abc"):
        body = err(resp, 400, 300)
        assert body["message"].lower() == "invalid webinar id.", body


def test_host_without_a_webinar_licence(admin: Admin, api: Api) -> None:
    wid = new_webinar(api)["id"]
    admin.call("PATCH", f"/accounts/{api.account_id}/users/{api.owner_id}/features", {"webinar": False})
    for resp in _every(api, wid):
        err(resp, 400, 200, PLAN_MISSING)
