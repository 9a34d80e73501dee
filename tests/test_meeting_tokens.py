"""Per-meeting tokens over HTTP: the closed caption URL, the SDK join tokens (local recording,
live streaming, local archiving) and the SIP dial string. Every token is signed and checked
here with the server's own verifier."""
from __future__ import annotations

import string
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from support import Admin, Api, Server, expect_error as err, new_meeting as create
from zoomsim.meetings import tokens

MEMBER_SCOPES = ("meeting:read", "meeting:write", "meeting_token:read:local_recording",
                 "meeting_token:read:live_streaming", "meeting:write:sip_dialing")
JOIN_PATHS = {"local_recording": "jointoken/local_recording", "live_streaming": "jointoken/live_streaming",
              "local_archiving": "jointoken/local_archiving"}


def now(server: Server) -> float:
    return server.app.services.clock.now()


# ---- closed caption token ----------------------------------------------------------------------

def test_caption_url_is_signed_and_fixed_per_meeting(api: Api, server: Server) -> None:
    m, other = create(api), create(api)
    r = api.get(f"/meetings/{m['id']}/token")
    assert r.status_code == 200
    url = r.json()["token"]
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == server.config.base_url and parts.path == "/closedcaption"
    fields = dict(parse_qsl(parts.query))
    assert fields["id"] == str(m["id"]) and fields["expire"] == "86400"
    assert fields["spparams"] == "id,ns,expire" and fields["ns"] and fields["signature"]
    assert api.get(f"/meetings/{m['id']}/token", params={"type": "closed_caption_token"}).json()["token"] == url
    assert tokens.verify_caption_url(server.app.services, url, m["id"])
    assert not tokens.verify_caption_url(server.app.services, url, other["id"])
    assert not tokens.verify_caption_url(server.app.services, url.replace("signature=", "signature=x"), m["id"])
    assert api.get(f"/meetings/{other['id']}/token").json()["token"] != url


def test_caption_token_type_is_checked(api: Api) -> None:
    m = create(api)
    err(api.get(f"/meetings/{m['id']}/token", params={"type": "zak"}), 400, 300)


# ---- join tokens -------------------------------------------------------------------------------

@pytest.mark.parametrize("purpose", sorted(JOIN_PATHS))
def test_join_tokens_are_signed_for_their_purpose(api: Api, server: Server, purpose: str) -> None:
    m = create(api)
    r = api.get(f"/meetings/{m['id']}/{JOIN_PATHS[purpose]}")
    assert r.status_code == 200
    body = r.json()
    assert body["expire_in"] == 120 and set(body) == {"token", "expire_in"}
    claims = tokens.verify(server.app.services, body["token"], purpose, now(server))
    assert claims["mid"] == m["id"] and claims["aid"] == api.account_id and claims["exp"] - claims["iat"] == 120
    other = "live_streaming" if purpose != "live_streaming" else "local_recording"
    with pytest.raises(tokens.BadToken):
        tokens.verify(server.app.services, body["token"], other, now(server))
    with pytest.raises(tokens.BadToken):
        tokens.verify(server.app.services, body["token"], purpose, claims["exp"])
    with pytest.raises(tokens.BadToken):
        tokens.verify(server.app.services, body["token"][:-2] + "xx", purpose, now(server))


def test_local_recording_token_carries_waiting_room_bypass(api: Api, server: Server) -> None:
    m = create(api)
    r = api.get(f"/meetings/{m['id']}/jointoken/local_recording", params={"bypass_waiting_room": "true"})
    assert tokens.verify(server.app.services, r.json()["token"], "local_recording", now(server))["bwr"] is True
    r = api.get(f"/meetings/{m['id']}/jointoken/local_recording")
    assert "bwr" not in tokens.verify(server.app.services, r.json()["token"], "local_recording", now(server))


def test_free_accounts_may_record_locally_but_not_stream_or_archive(admin: Admin) -> None:
    free = admin.tenant(plan="free")
    m = create(free)
    assert free.get(f"/meetings/{m['id']}/jointoken/local_recording").status_code == 200
    body = err(free.get(f"/meetings/{m['id']}/jointoken/live_streaming"), 400, 3000)
    assert body["message"].startswith("Not allowed to start live streaming")
    body = err(free.get(f"/meetings/{m['id']}/jointoken/local_archiving"), 400, 3000)
    assert body["message"].startswith("Not allowed to start local archiving")


# ---- SIP dial string ---------------------------------------------------------------------------

def test_sip_dialing_without_a_crc_plan(api: Api, server: Server) -> None:
    m = create(api)
    r = api.post(f"/meetings/{m['id']}/sip_dialing", json={"passcode": "4321"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sip_dialing"] == f"{m['id']}.4321@zoomcrc.com"
    assert body["paid_crc_plan_participant"] is False and body["expire_in"] == 7200
    code = body["participant_identifier_code"]
    assert len(code) == 9 and set(code) <= set(string.ascii_lowercase + string.digits)
    bare = api.post(f"/meetings/{m['id']}/sip_dialing", json={}).json()
    assert bare["sip_dialing"] == f"{m['id']}@zoomcrc.com"
    assert api.post(f"/meetings/{m['id']}/sip_dialing").json()["sip_dialing"] == f"{m['id']}@zoomcrc.com"


def test_sip_dialing_with_a_crc_plan_embeds_the_participant_code(admin: Admin, clock: Admin,
                                                                 server: Server) -> None:
    api = admin.tenant(licences={"crc": True})
    m = create(api)
    clock.clock(now="2031-05-01T12:00:00Z")
    api.fetch_token()
    body = api.post(f"/meetings/{m['id']}/sip_dialing", json={"passcode": "9876"}).json()
    code = body["participant_identifier_code"]
    assert body["paid_crc_plan_participant"] is True
    assert body["sip_dialing"] == f"{m['id']}.9876....{code}@zoomcrc.com"
    assert code == tokens.participant_code(server.app.services, m["id"], int(now(server)) + 7200)
    no_pass = api.post(f"/meetings/{m['id']}/sip_dialing", json={}).json()
    assert no_pass["sip_dialing"] == f"{m['id']}.....{code}@zoomcrc.com"


def test_sip_passcode_cannot_break_the_dial_string(api: Api) -> None:
    m = create(api)
    body = api.post(f"/meetings/{m['id']}/sip_dialing", json={"passcode": "a.b@c d"}).json()
    local, _, domain = body["sip_dialing"].partition("@")
    assert domain == "zoomcrc.com" and local.split(".") == [str(m["id"]), "a%2Eb%40c%20d"]


def test_end_to_end_encrypted_meetings_have_no_sip_uri(api: Api) -> None:
    m = create(api, settings={"encryption_type": "e2ee"})
    err(api.post(f"/meetings/{m['id']}/sip_dialing", json={}), 400, 3000,
        f"The meeting's SIP URI does not exist: {m['id']}.")


# ---- access ------------------------------------------------------------------------------------

def _every(client: Api, mid: int) -> list[Any]:
    return [client.get(f"/meetings/{mid}/token")] + [
        client.get(f"/meetings/{mid}/{path}") for path in JOIN_PATHS.values()
    ] + [client.post(f"/meetings/{mid}/sip_dialing", json={})]


def test_other_account_gets_not_found(api: Api, admin: Admin) -> None:
    m = create(api)
    for resp in _every(admin.tenant(), m["id"]):
        err(resp, 404, 3001)


def test_deleted_meeting_is_not_found(api: Api) -> None:
    m = create(api)
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    for resp in _every(api, m["id"]):
        err(resp, 404, 3001)


def test_user_level_token_on_another_hosts_meeting(api: Api, admin: Admin, server: Server) -> None:
    member = admin.member(api, MEMBER_SCOPES)
    owners = create(api)
    token, local_rec, live, archive, sip = _every(member, owners["id"])
    for resp in (token, local_rec, live, sip):
        err(resp, 400, 3000)
    err(archive, 400, 4711)     # archiving tokens are for account-level apps only
    mine = create(member)
    r = member.get(f"/meetings/{mine['id']}/jointoken/local_recording")
    assert tokens.verify(server.app.services, r.json()["token"], "local_recording", now(server))["mid"] == mine["id"]
    assert member.post(f"/meetings/{mine['id']}/sip_dialing", json={}).status_code == 200
    assert api.get(f"/meetings/{mine['id']}/jointoken/local_archiving").status_code == 200
