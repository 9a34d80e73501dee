"""A meeting's livestream over HTTP: its destination (GET/PATCH .../livestream) and its status
(PATCH .../livestream/status), which only a running meeting accepts."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, Server, expect_error as err, new_meeting as create
from zoomsim.storage import parts as parts_repo

DEST = {"stream_url": "rtmp://live.example.com/app", "stream_key": "key-1",
        "page_url": "https://example.com/watch"}
MEMBER_SCOPES = ("meeting:read", "meeting:write")


def start(admin: Admin, meeting: dict[str, Any]) -> None:
    """Run the meeting (the simulation's start), so its status is "started"."""
    admin.call("POST", f"/meetings/{meeting['id']}/start")


def live_state(server: Server, meeting_id: int) -> dict[str, Any]:
    with server.app.services.storage.read() as db:
        return (parts_repo.get(db, meeting_id, "livestream") or {}).get("live") or {}


def status(api: Api, mid: int, action: str | None, **settings: Any) -> Any:
    body: dict[str, Any] = {} if action is None else {"action": action}
    if settings:
        body["settings"] = settings
    return api.patch(f"/meetings/{mid}/livestream/status", json=body)


# ---- destination -------------------------------------------------------------------------------

def test_never_configured_answers_empty_strings(api: Api) -> None:
    m = create(api)
    r = api.get(f"/meetings/{m['id']}/livestream")
    assert r.status_code == 200
    assert r.json() == {"stream_url": "", "stream_key": "", "page_url": "", "resolution": ""}


def test_update_then_get(api: Api) -> None:
    m = create(api)
    r = api.patch(f"/meetings/{m['id']}/livestream", json={**DEST, "resolution": "1080p"})
    assert r.status_code == 204 and r.content == b""
    assert api.get(f"/meetings/{m['id']}/livestream").json() == {**DEST, "resolution": "1080p"}
    # a later update without resolution changes the destination and keeps the resolution
    new = {**DEST, "stream_key": "key-2"}
    assert api.patch(f"/meetings/{m['id']}/livestream", json=new).status_code == 204
    assert api.get(f"/meetings/{m['id']}/livestream").json() == {**new, "resolution": "1080p"}


def test_update_validation(api: Api) -> None:
    m = create(api)
    path = f"/meetings/{m['id']}/livestream"
    body = err(api.patch(path, json={"stream_url": "rtmp://x"}), 400, 300)
    assert {e["field"] for e in body["errors"]} == {"page_url", "stream_key"}
    err(api.patch(path, json={**DEST, "resolution": "4k"}), 400, 300)
    err(api.patch(path, json={**DEST, "page_url": "not a url"}), 400, 300)
    err(api.patch(path, json={**DEST, "stream_key": "  "}), 400, 300)
    err(api.patch(path, json={**DEST, "stream_url": "x" * 1025}), 400, 300)
    assert api.get(path).json()["stream_url"] == ""


# ---- status ------------------------------------------------------------------------------------

def test_status_needs_a_running_meeting(api: Api) -> None:
    m = create(api)
    api.patch(f"/meetings/{m['id']}/livestream", json=DEST)
    err(status(api, m["id"], "start"), 400, 4927, f"Meeting {m['id']} has not started.")
    err(status(api, m["id"], "stop"), 400, 4927)


def test_start_mode_stop(api: Api, admin: Admin, server: Server) -> None:
    m = create(api)
    start(admin, m)
    err(status(api, m["id"], "start"), 400, 3000)   # nothing configured to stream to
    err(status(api, m["id"], "stop"), 400, 3000)    # nothing streaming
    assert api.patch(f"/meetings/{m['id']}/livestream", json=DEST).status_code == 204
    r = status(api, m["id"], "start", active_speaker_name=True, display_name="Town hall live")
    assert r.status_code == 204 and r.content == b""
    live = live_state(server, m["id"])
    assert live["status"] == "started" and live["meeting_uuid"] == m["uuid"]
    assert live["settings"] == {"active_speaker_name": True, "display_name": "Town hall live",
                                "layout": "follow_host", "close_caption": "burnt-in"}
    assert status(api, m["id"], "mode", layout="gallery_view", close_caption="off").status_code == 204
    live = live_state(server, m["id"])
    assert live["settings"]["layout"] == "gallery_view" and live["settings"]["close_caption"] == "off"
    assert live["settings"]["display_name"] == "Town hall live"
    assert status(api, m["id"], "stop").status_code == 204
    assert live_state(server, m["id"])["status"] == "stopped"
    err(status(api, m["id"], "mode", layout="speaker_view"), 400, 3000)
    # the destination is untouched by the stream's life
    assert api.get(f"/meetings/{m['id']}/livestream").json()["stream_key"] == DEST["stream_key"]


def test_a_new_instance_does_not_inherit_the_stream(api: Api, admin: Admin) -> None:
    m = create(api)
    api.patch(f"/meetings/{m['id']}/livestream", json=DEST)
    start(admin, m)
    assert status(api, m["id"], "start").status_code == 204
    assert api.put(f"/meetings/{m['id']}/status", json={"action": "end"}).status_code == 204
    err(status(api, m["id"], "stop"), 400, 4927)
    start(admin, m)
    err(status(api, m["id"], "stop"), 400, 3000)


def test_status_validation(api: Api, admin: Admin) -> None:
    m = create(api)
    api.patch(f"/meetings/{m['id']}/livestream", json=DEST)
    start(admin, m)
    err(status(api, m["id"], None), 400, 300)
    err(status(api, m["id"], "pause"), 400, 300)
    err(status(api, m["id"], "start", layout="grid"), 400, 300)
    err(status(api, m["id"], "start", display_name=""), 400, 300)
    err(status(api, m["id"], "start", display_name="x" * 51), 400, 300)


def test_end_to_end_encrypted_meetings_cannot_stream(api: Api, admin: Admin) -> None:
    m = create(api, settings={"encryption_type": "e2ee"})
    api.patch(f"/meetings/{m['id']}/livestream", json=DEST)
    start(admin, m)
    body = err(status(api, m["id"], "start"), 400, 4400)
    assert "End-to-end encrypted" in body["message"]


# ---- access ------------------------------------------------------------------------------------

def _all_three(client: Api, mid: int) -> list[Any]:
    return [client.get(f"/meetings/{mid}/livestream"),
            client.patch(f"/meetings/{mid}/livestream", json=DEST),
            status(client, mid, "start")]


def test_other_account_gets_not_found(api: Api, admin: Admin) -> None:
    m = create(api)
    api.patch(f"/meetings/{m['id']}/livestream", json=DEST)
    other = admin.tenant()
    for resp in _all_three(other, m["id"]):
        err(resp, 404, 3001, f"Meeting does not exist: {m['id']}.")
    assert api.get(f"/meetings/{m['id']}/livestream").json()["stream_key"] == DEST["stream_key"]


def test_user_level_token_on_another_hosts_meeting(api: Api, admin: Admin) -> None:
    member = admin.member(api, MEMBER_SCOPES)
    owners = create(api)
    for resp in _all_three(member, owners["id"]):
        err(resp, 400, 3000)
    mine = create(member)
    assert member.patch(f"/meetings/{mine['id']}/livestream", json=DEST).status_code == 204
    assert member.get(f"/meetings/{mine['id']}/livestream").json()["page_url"] == DEST["page_url"]
    # the account-level app reaches the member's meeting
    assert api.get(f"/meetings/{mine['id']}/livestream").json()["stream_url"] == DEST["stream_url"]


def test_deleted_and_unknown_meetings(api: Api) -> None:
    m = create(api)
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    for resp in _all_three(api, m["id"]):
        err(resp, 404, 3001)
    err(api.get("/meetings/12345678901/livestream"), 404, 3001)
