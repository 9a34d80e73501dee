"""The invitation text, per-attendee invite links and a user's PAC accounts, over HTTP."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from support import Admin, Api, Server, unique_email, expect_error as err, new_meeting as create
from zoomsim import jsonio
from zoomsim.meetings import tokens
from zoomsim.storage import users as users_repo

MEMBER_SCOPES = ("meeting:read", "meeting:write", "pac:read")


def invitation(api: Api, mid: int) -> dict[str, Any]:
    r = api.get(f"/meetings/{mid}/invitation")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def pretty(mid: int) -> str:
    s = str(mid)
    return f"{s[:3]} {s[3:7]} {s[7:]}"


# ---- invitation --------------------------------------------------------------------------------

def test_invitation_of_a_scheduled_meeting(admin: Admin) -> None:
    api = admin.tenant(owner={"first_name": "Jill", "last_name": "Chill"})
    m = create(api, start_time="2031-03-10T15:00:00Z", timezone="America/Los_Angeles", password="abc123")
    body = invitation(api, m["id"])
    text = body["invitation"]
    assert text.startswith("Jill Chill invites you to a scheduled Zoom meeting.\r\n")
    assert "Topic: Planning\r\n" in text
    assert "Time: Mar 10, 2031 08:00 AM America/Los_Angeles\r\n" in text    # PDT from Mar 9, 2031
    assert m["join_url"] + "\r\n" in text
    assert f"Meeting ID: {pretty(m['id'])}\r\n" in text and "Passcode: abc123\r\n" in text
    assert "one tap" not in text.lower()    # computer audio only: no phone numbers
    assert body["sip_links"] == [f"{m['id']}@zoomcrc.com"]
    assert f"{m['id']}@zoomcrc.com" in text


def test_invitation_with_phone_audio_lists_the_dial_in_numbers(api: Api) -> None:
    m = create(api, start_time="2031-03-10T15:00:00Z", timezone="UTC", password="abc123",
               settings={"audio": "both"})
    text = invitation(api, m["id"])["invitation"]
    pstn = m["pstn_password"]
    assert f"+16465588656,,{m['id']}#,,,,*{pstn}# US (New York)" in text
    assert f"+16699006833,,{m['id']}#,,,,*{pstn}# US (San Jose)" in text
    assert "+1 6465588656 US (New York)" in text and f"Passcode: {pstn}" in text
    assert text.count(f"Meeting ID: {pretty(m['id'])}") == 2
    assert "Time: Mar 10, 2031 03:00 PM UTC" in text
    no_pass = create(api, default_password=False, settings={"audio": "telephony"})
    text = invitation(api, no_pass["id"])["invitation"]
    assert f"+16465588656,,{no_pass['id']}# US (New York)" in text and "Passcode" not in text


def test_invitation_of_recurring_meetings(api: Api) -> None:
    m = create(api, type=8, start_time="2031-03-03T16:00:00Z", timezone="UTC", duration=30,
               recurrence={"type": 2, "weekly_days": "2,4", "end_times": 4})
    text = invitation(api, m["id"])["invitation"]
    assert "invites you to a recurring Zoom meeting." in text
    assert "Time: Mar 03, 2031 04:00 PM UTC" in text
    assert "Every week on Mon, Wed, until Mar 12, 2031, 4 occurrence(s)" in text
    for day in ("Mar 03, 2031", "Mar 05, 2031", "Mar 10, 2031", "Mar 12, 2031"):
        assert f"    {day} 04:00 PM" in text
    monthly = create(api, type=8, start_time="2031-03-03T16:00:00Z", timezone="UTC",
                     recurrence={"type": 3, "repeat_interval": 2, "monthly_week": -1, "monthly_week_day": 6,
                                 "end_times": 2})
    assert "Every 2 months on the last Fri, until" in invitation(api, monthly["id"])["invitation"]
    anytime = create(api, type=3)
    text = invitation(api, anytime["id"])["invitation"]
    assert "no fixed time" in text and anytime["join_url"] in text


def test_invitation_of_a_meeting_with_registration(api: Api) -> None:
    m = create(api, start_time="2031-03-10T15:00:00Z", settings={"approval_type": 0})
    text = invitation(api, m["id"])["invitation"]
    assert m["registration_url"] in text and m["join_url"] not in text


# ---- invite links ------------------------------------------------------------------------------

def test_invite_links_carry_signed_attendee_tokens(api: Api, server: Server) -> None:
    m = create(api, password="abc123")
    r = api.post(f"/meetings/{m['id']}/invite_links",
                 json={"attendees": [{"name": "Ann"}, {"name": "Bob", "disable_video": True, "disable_audio": True}],
                       "ttl": 600})
    assert r.status_code == 201, r.text
    links = r.json()["attendees"]
    assert [a["name"] for a in links] == ["Ann", "Bob"]
    now = server.app.services.clock.now()
    for link, (dv, da) in zip(links, [(False, False), (True, True)]):
        url = urlsplit(link["join_url"])
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{server.config.base_url}/j/{m['id']}"
        query = parse_qs(url.query)
        assert query["pwd"] == [m["encrypted_password"]]
        claims = tokens.verify(server.app.services, query["tk"][0], "invite_link", now)
        assert (claims["mid"], claims["name"], claims["dv"], claims["da"]) == (m["id"], link["name"], dv, da)
        assert claims["exp"] - claims["iat"] == 600
    assert links[0]["join_url"] != links[1]["join_url"]


def test_invite_link_lifetime(api: Api, server: Server) -> None:
    m = create(api, default_password=False)
    now = server.app.services.clock.now()

    def claims(body: dict[str, Any]) -> dict[str, Any]:
        url = api.post(f"/meetings/{m['id']}/invite_links", json=body).json()["attendees"][0]["join_url"]
        assert "pwd=" not in url
        return tokens.verify(server.app.services, parse_qs(urlsplit(url).query)["tk"][0], "invite_link", now)

    first = claims({"attendees": [{"name": "Ann"}]})
    assert first["exp"] - first["iat"] == 7200
    forever = claims({"attendees": [{"name": "Ann"}], "ttl": 0})
    assert "exp" not in forever and forever["name"] == "Ann"


def test_invite_links_validation(api: Api) -> None:
    m = create(api)
    path = f"/meetings/{m['id']}/invite_links"
    err(api.post(path, json={}), 400, 300)
    err(api.post(path, json={"attendees": []}), 400, 300)
    err(api.post(path, json={"attendees": [{"name": "x"}] * 501}), 400, 300)
    err(api.post(path, json={"attendees": [{"disable_video": True}]}), 400, 300)
    err(api.post(path, json={"attendees": [{"name": "  "}]}), 400, 300)
    err(api.post(path, json={"attendees": [{"name": "x" * 65}]}), 400, 300)
    err(api.post(path, json={"attendees": [{"name": "x"}], "ttl": 7776001}), 400, 300)
    err(api.post(path, json={"attendees": [{"name": "x"}], "ttl": -1}), 400, 300)
    assert len(api.post(path, json={"attendees": [{"name": f"p{i}"} for i in range(500)]}).json()["attendees"]) == 500


def test_invitation_and_links_access(api: Api, admin: Admin) -> None:
    m = create(api)
    other = admin.tenant()
    err(other.get(f"/meetings/{m['id']}/invitation"), 404, 3001, f"Meeting does not exist: {m['id']}.")
    err(other.post(f"/meetings/{m['id']}/invite_links", json={"attendees": [{"name": "x"}]}), 404, 3001)
    member = admin.member(api, MEMBER_SCOPES)
    err(member.get(f"/meetings/{m['id']}/invitation"), 400, 3000)
    err(member.post(f"/meetings/{m['id']}/invite_links", json={"attendees": [{"name": "x"}]}), 400, 3000)
    mine = create(member)
    assert mine["join_url"] in invitation(member, mine["id"])["invitation"]
    assert invitation(api, mine["id"])["sip_links"] == [f"{mine['id']}@zoomcrc.com"]
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    err(api.get(f"/meetings/{m['id']}/invitation"), 404, 3001)
    err(api.post(f"/meetings/{m['id']}/invite_links", json={"attendees": [{"name": "x"}]}), 404, 3001)


def test_host_without_meeting_rights_gets_3161(api: Api, admin: Admin, server: Server) -> None:
    member = admin.member(api, MEMBER_SCOPES)
    mine = create(member)
    with server.app.services.storage.write() as db:    # the host is deactivated
        row = users_repo.get(db, api.account_id, member.owner_id)
        assert row is not None
        users_repo.save(db, {**jsonio.loads(row.doc), "status": "inactive"})
    body = err(api.get(f"/meetings/{mine['id']}/invitation"), 400, 3161)
    assert "hosting and scheduling" in body["message"]
    err(api.post(f"/meetings/{mine['id']}/invite_links", json={"attendees": [{"name": "x"}]}), 400, 3161)


# ---- PAC ---------------------------------------------------------------------------------------

def test_pac_needs_the_audio_conferencing_add_on(api: Api) -> None:
    err(api.get("/users/me/pac"), 400, 2024, "User does not have PAC enabled.")


def test_pac_accounts(admin: Admin) -> None:
    api = admin.tenant(licences={"audio_conferencing": True})
    r = api.get("/users/me/pac")
    assert r.status_code == 200, r.text
    accounts = r.json()["pac_accounts"]
    assert len(accounts) == 1
    pac = accounts[0]
    me = api.get("/users/me").json()
    assert pac["conference_id"] == me["pmi"]
    for key in ("participant_password", "listen_only_password"):
        assert len(pac[key]) == 6 and pac[key].isdigit()
    assert pac["participant_password"] != pac["listen_only_password"]
    assert pac["global_dial_in_numbers"] == [{"country": "US", "number": "+1 6465588656"},
                                             {"country": "US", "number": "+1 6699006833"}]
    assert pac["dedicated_dial_in_number"] == []
    assert api.get(f"/users/{me['email']}/pac").json() == r.json()     # stable, by id or email
    peer = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("pac")})
    theirs = api.get(f"/users/{peer['id']}/pac").json()["pac_accounts"][0]
    assert theirs["conference_id"] == peer["pmi"] and theirs["participant_password"] != pac["participant_password"]
    basic = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("b"), "type": 1})
    err(api.get(f"/users/{basic['id']}/pac"), 400, 2024)


def test_pac_on_a_free_plan_and_access(admin: Admin) -> None:
    free = admin.tenant(plan="free", licences={"audio_conferencing": True})
    err(free.get("/users/me/pac"), 400, 2024)
    api = admin.tenant(licences={"audio_conferencing": True})
    err(api.get("/users/nobody@example.com/pac"), 404, 1001)
    other = admin.tenant(licences={"audio_conferencing": True})
    err(other.get(f"/users/{api.owner_id}/pac"), 404, 1001)
    member = admin.member(api, MEMBER_SCOPES)
    own = member.get("/users/me/pac").json()["pac_accounts"][0]
    assert own["conference_id"] == api.get(f"/users/{member.owner_id}").json()["pmi"]
    err(member.get(f"/users/{api.owner_id}/pac"), 400, 4711)
