"""Meeting templates over HTTP: create from a meeting, list, detail (Users API), meetings made
from a template, Zoom's limits and errors, tenancy and scopes (both backends)."""
from __future__ import annotations

import httpx

from support import Api, unique_email, expect_error as assert_error, new_meeting as meeting

SETTINGS = {"host_video": True, "participant_video": True, "mute_upon_entry": True,
            "waiting_room": True, "auto_recording": "cloud", "breakout_room": {"enable": True}}
RECURRENCE = {"type": 1, "repeat_interval": 1, "end_times": 3}


def template(api, meeting_id, name, user="me", **extra):
    return api.post(f"/users/{user}/meeting_templates", json={"meeting_id": meeting_id, "name": name, **extra})


def made(api, meeting_id, name, user="me", **extra):
    r = template(api, meeting_id, name, user, **extra)
    assert r.status_code == 201, r.text
    return r.json()


def listed(api, user="me"):
    r = api.get(f"/users/{user}/meeting_templates")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["templates"])
    return body["templates"]


def peer(admin, api, **spec):
    return admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("peer"), **spec})


def same_account_app(admin, api, scopes):
    """Another app of the same account (acting as its owner) holding only `scopes`."""
    app = admin.call("POST", f"/accounts/{api.account_id}/apps", {"scopes": scopes})
    other = Api(api.server, api.account_id, api.owner_id, app["client_id"], app["client_secret"],
                app["scopes"], httpx.Client(base_url=api.server.url, timeout=30))
    other.fetch_token()
    return other


# ---- create / list / detail -----------------------------------------------------------------

def test_create_list_and_detail(api):
    m = meeting(api, agenda="Plans", duration=45, timezone="Europe/Berlin", settings=SETTINGS)
    body = made(api, m["id"], "Team sync")
    assert set(body) == {"id", "name"}
    assert body["name"] == "Team sync" and len(body["id"]) == 22
    assert listed(api) == [{"id": body["id"], "name": "Team sync", "type": 1}]
    r = api.get(f"/users/me/meeting_templates/{body['id']}")
    assert r.status_code == 200, r.text
    detail = r.json()
    assert detail["id"] == body["id"] and detail["name"] == "Team sync"
    assert detail["settings"] == {
        "schedule_meeting": {"host_video": True, "participant_video": True, "mute_upon_entry": True},
        "in_meeting": {"breakout_room": True},
        "recording": {"auto_recording": "cloud"},
        "meeting_security": {"waiting_room": True},
    }
    # the owner's id and email reach the same templates as `me`
    assert listed(api, api.owner_id) == listed(api)
    email = api.get("/users/me").json()["email"]
    assert api.get(f"/users/{email}/meeting_templates/{body['id']}").json()["name"] == "Team sync"


def test_list_is_empty_and_in_creation_order(api):
    assert listed(api) == []
    m = meeting(api)
    ids = [made(api, m["id"], name)["id"] for name in ("b", "a", "c")]
    assert [t["id"] for t in listed(api)] == ids
    assert [t["name"] for t in listed(api)] == ["b", "a", "c"]


def test_meeting_from_template_takes_its_options(api):
    tf = api.post("/tracking_fields", json={"field": "Cost centre", "visible": False})
    assert tf.status_code == 201, tf.text
    src = meeting(api, topic="Design review", agenda="Mocks", duration=90, timezone="Asia/Tokyo",
                  settings=SETTINGS, tracking_fields=[{"field": "Cost centre", "value": "R&D"}])
    tid = made(api, src["id"], "Review")["id"]
    new = meeting(api, template_id=tid, topic=None)
    assert new["topic"] == "Design review" and new["agenda"] == "Mocks"
    assert new["duration"] == 90 and new["timezone"] == "Asia/Tokyo"
    assert new["template_id"] == tid
    for key in ("host_video", "waiting_room", "mute_upon_entry"):
        assert new["settings"][key] is True
    assert new["settings"]["auto_recording"] == "cloud"
    assert new["tracking_fields"] == [{"field": "Cost centre", "value": "R&D", "visible": False}]
    assert new["id"] != src["id"]
    # what the body gives wins over the template, nested settings key by key
    mine = meeting(api, template_id=tid, topic="My own", settings={"host_video": False})
    assert mine["topic"] == "My own" and mine["agenda"] == "Mocks"
    assert mine["settings"]["host_video"] is False and mine["settings"]["waiting_room"] is True
    stored = api.get(f"/meetings/{mine['id']}").json()
    assert stored["topic"] == "My own" and stored["settings"]["waiting_room"] is True


def test_update_meeting_with_template(api):
    src = meeting(api, topic="From template", agenda="T", settings={"waiting_room": True})
    tid = made(api, src["id"], "T1")["id"]
    plain = meeting(api, topic="Plain")
    r = api.patch(f"/meetings/{plain['id']}", json={"template_id": tid, "agenda": "Mine"})
    assert r.status_code == 204, r.text
    got = api.get(f"/meetings/{plain['id']}").json()
    assert got["topic"] == "From template" and got["agenda"] == "Mine"
    assert got["settings"]["waiting_room"] is True


def test_unknown_template_id_is_refused(api, admin):
    body = assert_error(api.post("/users/me/meetings", json={"topic": "x", "template_id": "nope"}), 400, 300)
    assert "template_id" in body["message"]
    m = meeting(api)
    assert_error(api.patch(f"/meetings/{m['id']}", json={"template_id": "nope"}), 400, 300)
    # another user's template is not this host's
    p = peer(admin, api)
    theirs = made(api, meeting(api, user=p["id"], topic="Peer's")["id"], "Theirs", user=p["id"])["id"]
    assert_error(api.post("/users/me/meetings", json={"topic": "x", "template_id": theirs}), 400, 300)
    assert meeting(api, user=p["id"], template_id=theirs, topic=None)["topic"] == "Peer's"


def test_save_recurrence(api, clock):
    clock.clock(now="2030-01-01T00:00:00Z")
    api.fetch_token()   # the frozen clock is years ahead of the fixture's token
    src = meeting(api, type=8, start_time="2030-02-01T10:00:00Z", recurrence=RECURRENCE)
    plain = made(api, src["id"], "Flat")["id"]
    keep = made(api, src["id"], "Repeating", save_recurrence=True)["id"]
    flat = meeting(api, template_id=plain, start_time="2030-03-01T10:00:00Z")
    assert flat["type"] == 2 and "recurrence" not in flat and "occurrences" not in flat
    again = meeting(api, template_id=keep, start_time="2030-03-01T10:00:00Z")
    assert again["type"] == 8
    assert again["recurrence"]["type"] == 1 and again["recurrence"]["end_times"] == 3
    assert len(again["occurrences"]) == 3


# ---- names, overwrite and the 40 limit ---------------------------------------------------------

def test_duplicate_name_and_overwrite(api):
    first = meeting(api, topic="First", settings={"waiting_room": True})
    second = meeting(api, topic="Second", settings={"waiting_room": False})
    tid = made(api, first["id"], "Same")["id"]
    assert_error(template(api, second["id"], "Same"), 400, 3000, "Meeting template name already exists: Same.")
    assert_error(template(api, second["id"], "Same", overwrite=False), 400, 3000)
    again = made(api, second["id"], "Same", overwrite=True)
    assert again == {"id": tid, "name": "Same"}
    assert listed(api) == [{"id": tid, "name": "Same", "type": 1}]
    assert meeting(api, template_id=tid, topic=None)["topic"] == "Second"
    detail = api.get(f"/users/me/meeting_templates/{tid}").json()
    assert detail["settings"]["meeting_security"] == {"waiting_room": False}
    # overwrite with a new name simply creates it
    other = made(api, first["id"], "Other", overwrite=True)
    assert other["id"] != tid and len(listed(api)) == 2


def test_names_are_per_user(api, admin):
    p = peer(admin, api)
    made(api, meeting(api)["id"], "Shared name")
    made(api, meeting(api, user=p["id"])["id"], "Shared name", user=p["id"])
    assert [t["name"] for t in listed(api)] == ["Shared name"]
    assert [t["name"] for t in listed(api, p["id"])] == ["Shared name"]


def test_forty_templates_per_user(api, admin):
    m = meeting(api)
    for i in range(40):
        made(api, m["id"], f"t{i:02d}")
    assert_error(template(api, m["id"], "one too many"), 400, 300, "You can only create up to 40 meeting templates.")
    assert len(listed(api)) == 40
    # replacing one is still allowed, and another user has their own 40
    assert made(api, m["id"], "t00", overwrite=True)["name"] == "t00"
    p = peer(admin, api)
    made(api, meeting(api, user=p["id"])["id"], "t00", user=p["id"])


# ---- errors -----------------------------------------------------------------------------------

def test_meeting_must_exist_and_be_the_users(api, admin):
    assert_error(template(api, 12345678901, "x"), 400, 3001, "Meeting does not exist: 12345678901")
    gone = meeting(api)
    assert api.delete(f"/meetings/{gone['id']}").status_code == 204
    assert_error(template(api, gone["id"], "x"), 400, 3001, f"Meeting does not exist: {gone['id']}")
    other = admin.tenant()
    foreign = meeting(other)
    assert_error(template(api, foreign["id"], "x"), 400, 3001, f"Meeting does not exist: {foreign['id']}")
    # a meeting of another user of the account is not the path user's meeting
    p = peer(admin, api)
    theirs = meeting(api, user=p["id"])
    assert_error(template(api, theirs["id"], "x"), 400, 3001)
    mine = meeting(api)
    assert_error(template(api, mine["id"], "x", user=p["id"]), 400, 3001)
    # an admin app may save a template for another user from that user's meeting
    assert made(api, theirs["id"], "For peer", user=p["id"])["name"] == "For peer"
    assert listed(api) == []


def test_missing_fields(api):
    m = meeting(api)
    r = api.post("/users/me/meeting_templates", json={"meeting_id": m["id"]})
    assert {e["field"] for e in assert_error(r, 400, 300)["errors"]} == {"name"}
    r = api.post("/users/me/meeting_templates", json={"name": "x"})
    assert {e["field"] for e in assert_error(r, 400, 300)["errors"]} == {"meeting_id"}
    assert_error(api.post("/users/me/meeting_templates", json={"name": "x", "meeting_id": "abc"}), 400, 300)
    assert_error(api.post("/users/me/meeting_templates", json={"name": "   ", "meeting_id": m["id"]}), 400, 300)
    assert listed(api) == []


def test_unknown_user(api):
    assert_error(api.get("/users/nobody@example.com/meeting_templates"), 404, 1001,
                 "User does not exist: nobody@example.com.")
    assert_error(template(api, 12345678901, "x", user="no-such-user"), 404, 1001)
    assert_error(api.get("/users/no-such-user/meeting_templates/abc"), 404, 1001)


def test_user_who_cannot_host(api, admin):
    pending = peer(admin, api, status="pending")
    msg = "Meeting hosting and scheduling capabilities are not allowed for your user account."
    assert_error(api.get(f"/users/{pending['id']}/meeting_templates"), 400, 3161, msg)
    assert_error(template(api, 12345678901, "x", user=pending["id"]), 400, 3161, msg)


def test_detail_of_unknown_or_foreign_template(api, admin):
    assert_error(api.get("/users/me/meeting_templates/nope"), 404, 3001)
    p = peer(admin, api)
    theirs = made(api, meeting(api, user=p["id"])["id"], "Theirs", user=p["id"])["id"]
    assert_error(api.get(f"/users/me/meeting_templates/{theirs}"), 404, 3001)
    assert api.get(f"/users/{p['id']}/meeting_templates/{theirs}").status_code == 200


# ---- tenancy and scopes -------------------------------------------------------------------------

def test_other_account_sees_nothing(api, admin):
    tid = made(api, meeting(api)["id"], "Private")["id"]
    other = admin.tenant()
    assert listed(other) == []
    assert_error(other.get(f"/users/{api.owner_id}/meeting_templates"), 404, 1001)
    assert_error(other.get(f"/users/{api.owner_id}/meeting_templates/{tid}"), 404, 1001)
    assert_error(other.get(f"/users/me/meeting_templates/{tid}"), 404, 3001)
    assert_error(template(other, 12345678901, "x", user=api.owner_id), 404, 1001)
    assert_error(other.post("/users/me/meetings", json={"topic": "x", "template_id": tid}), 400, 300)


def test_user_level_token(admin):
    full = admin.tenant(scopes="all")
    p = peer(admin, full)
    theirs = meeting(full, user=p["id"])
    peer_template = made(full, theirs["id"], "Theirs", user=p["id"])["id"]
    api = same_account_app(admin, full, ["meeting:read", "meeting:write", "user:read"])
    tid = made(api, meeting(api)["id"], "Mine")["id"]
    assert [t["id"] for t in listed(api)] == [tid]
    assert api.get(f"/users/me/meeting_templates/{tid}").status_code == 200
    assert_error(api.get(f"/users/{p['id']}/meeting_templates"), 400, 4711)
    assert_error(template(api, theirs["id"], "x", user=p["id"]), 400, 4711)
    assert_error(api.get(f"/users/{p['id']}/meeting_templates/{peer_template}"), 400, 4711)
    # another host's meeting through `me` needs an account-level scope
    assert_error(template(api, theirs["id"], "x"), 400, 3000, "Cannot access webinar information.")
    assert [t["id"] for t in listed(api)] == [tid]


def test_scopes_needed(admin):
    api = admin.tenant(scopes=["meeting:write"])
    assert_error(api.get("/users/me/meeting_templates"), 400, 4711)
    assert_error(api.get("/users/me/meeting_templates/abc"), 400, 4711)
    reader = admin.tenant(scopes=["meeting:read"])
    assert listed(reader) == []
    assert_error(template(reader, 12345678901, "x"), 400, 4711)
    granular = admin.tenant(scopes=["meeting:write:template", "meeting:read:list_templates", "meeting:write:meeting"])
    m = meeting(granular)
    made(granular, m["id"], "G")
    assert [t["name"] for t in listed(granular)] == ["G"]
