"""Meetings over HTTP: create/get/update/delete, recurrence, lists, and the access errors."""
from __future__ import annotations

from typing import Any

import pytest

from support import Admin, Api, unique_email, expect_error as err, new_meeting as create

FUTURE = "2031-03-10T15:00:00Z"


def at(clock: Admin, api: Api, when: str) -> None:
    """Freeze the clock; the tenant takes a new token, as a client would after expiry."""
    clock.clock(now=when)
    api.fetch_token()


# ---- create ------------------------------------------------------------------------------------

def test_scheduled_meeting_has_everything_zoom_returns(api: Api) -> None:
    m = create(api, type=2, start_time=FUTURE, duration=45, timezone="Europe/Paris", agenda="Q3")
    assert len(str(m["id"])) == 11 and isinstance(m["id"], int)
    assert len(m["uuid"]) == 24 and m["uuid"].endswith("==")
    assert m["host_id"] == api.owner_id and "@" in m["host_email"]
    assert (m["type"], m["status"], m["duration"], m["timezone"]) == (2, "waiting", 45, "Europe/Paris")
    assert m["start_time"] == FUTURE and m["agenda"] == "Q3" and m["pre_schedule"] is False
    assert len(m["password"]) == 6 and m["h323_password"].isdigit() and m["pstn_password"].isdigit()
    assert m["join_url"].endswith(f"/j/{m['id']}?pwd={m['encrypted_password']}")
    assert f"/s/{m['id']}?zak=" in m["start_url"]
    s = m["settings"]
    assert (s["host_video"], s["join_before_host"], s["approval_type"], s["audio"], s["auto_recording"]) == \
        (False, False, 2, "voip", "none")
    assert s["waiting_room"] is False and s["encryption_type"] == "enhanced_encryption"
    assert "registration_url" not in m and "occurrences" not in m
    assert m["created_at"].endswith("Z")


def test_local_start_time_is_read_in_the_meeting_time_zone(api: Api) -> None:
    m = create(api, type=2, start_time="2031-07-01T09:00:00", timezone="America/New_York")
    assert m["start_time"] == "2031-07-01T13:00:00Z"


def test_missing_or_past_start_time_means_now(api: Api, clock: Admin) -> None:
    at(clock, api, "2031-01-01T12:00:00Z")
    assert create(api, type=2)["start_time"] == "2031-01-01T12:00:00Z"
    assert create(api, type=2, start_time="2020-01-01T00:00:00Z")["start_time"] == "2031-01-01T12:00:00Z"


def test_passcode_given_none_and_numeric(api: Api) -> None:
    m = create(api, password="12345")
    assert m["password"] == m["h323_password"] == m["pstn_password"] == "12345"
    bare = create(api, default_password=False)
    assert bare["password"] == "" and "encrypted_password" not in bare and "?pwd=" not in bare["join_url"]
    err(api.post("/users/me/meetings", json={"password": "12345678901"}), 400, 300)


def test_settings_given_override_defaults_only_where_given(api: Api) -> None:
    m = create(api, settings={"host_video": True, "approval_type": 0, "breakout_room": {"enable": True}})
    assert m["settings"]["host_video"] is True and m["settings"]["participant_video"] is False
    assert m["settings"]["breakout_room"] == {"enable": True}
    assert "/meeting/register/" in m["registration_url"]


def test_instant_and_no_fixed_time_meetings(api: Api) -> None:
    instant = create(api, type=1)
    assert instant["type"] == 1 and "occurrences" not in instant
    floating = create(api, type=3, start_time=FUTURE)
    assert "start_time" not in floating and "occurrences" not in floating
    assert api.get(f"/meetings/{floating['id']}").json()["type"] == 3


def test_tracking_fields_are_kept(api: Api) -> None:
    m = create(api, tracking_fields=[{"field": "Cost center", "value": "42"}])
    got = api.get(f"/meetings/{m['id']}").json()
    assert got["tracking_fields"] == [{"field": "Cost center", "value": "42", "visible": True}]


@pytest.mark.parametrize("body, field", [
    ({"type": 5}, "type"),
    ({"duration": "long"}, "duration"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"topic": 7}, "topic"),
    ({"settings": {"audio": "radio"}}, "settings.audio"),
    ({"start_time": "next tuesday"}, "start_time"),
])
def test_create_validation(api: Api, body: dict[str, Any], field: str) -> None:
    b = err(api.post("/users/me/meetings", json=body), 400, 300)
    assert field in {e["field"] for e in b.get("errors", [])}, b


def test_enforce_login_domains_need_semicolons(api: Api) -> None:
    b = err(api.post("/users/me/meetings", json={"settings": {"enforce_login_domains": "a.com,b.com"}}), 400, 300)
    assert "semicolons" in b["message"]
    assert create(api, settings={"enforce_login_domains": "a.com;b.com"})["settings"]["enforce_login_domains"] == "a.com;b.com"


# ---- recurrence --------------------------------------------------------------------------------

def occ_starts(m: dict[str, Any]) -> list[str]:
    return [o["start_time"] for o in m["occurrences"]]


def test_daily_recurrence(api: Api) -> None:
    m = create(api, type=8, start_time="2031-03-10T15:00:00Z", timezone="UTC", duration=30,
               recurrence={"type": 1, "repeat_interval": 2, "end_times": 3})
    assert occ_starts(m) == ["2031-03-10T15:00:00Z", "2031-03-12T15:00:00Z", "2031-03-14T15:00:00Z"]
    o = m["occurrences"][0]
    assert o["status"] == "available" and o["duration"] == 30 and o["occurrence_id"].isdigit()


def test_weekly_recurrence_on_several_days_keeps_local_time_across_dst(api: Api) -> None:
    # Monday 2031-03-03 09:00 New York; DST starts 2031-03-09
    m = create(api, type=8, start_time="2031-03-03T09:00:00", timezone="America/New_York",
               recurrence={"type": 2, "weekly_days": "2,4", "end_times": 4})
    assert occ_starts(m) == ["2031-03-03T14:00:00Z", "2031-03-05T14:00:00Z",
                             "2031-03-10T13:00:00Z", "2031-03-12T13:00:00Z"]


def test_monthly_by_day_and_by_week(api: Api) -> None:
    by_day = create(api, type=8, start_time="2031-01-31T10:00:00Z", timezone="UTC",
                    recurrence={"type": 3, "monthly_day": 31, "end_times": 3})
    assert occ_starts(by_day) == ["2031-01-31T10:00:00Z", "2031-03-31T10:00:00Z", "2031-05-31T10:00:00Z"]
    last_friday = create(api, type=8, start_time="2031-01-01T10:00:00Z", timezone="UTC",
                         recurrence={"type": 3, "monthly_week": -1, "monthly_week_day": 6, "end_times": 2})
    assert occ_starts(last_friday) == ["2031-01-31T10:00:00Z", "2031-02-28T10:00:00Z"]


def test_end_date_time_and_limits(api: Api) -> None:
    m = create(api, type=8, start_time="2031-03-10T15:00:00Z", timezone="UTC",
               recurrence={"type": 1, "end_date_time": "2031-03-13T23:59:00Z"})
    assert len(m["occurrences"]) == 4
    most = create(api, type=8, start_time=FUTURE, timezone="UTC", recurrence={"type": 1, "end_times": 60})
    assert len(most["occurrences"]) == 60
    err(api.post("/users/me/meetings", json={"type": 8, "start_time": FUTURE,
                                            "recurrence": {"type": 1, "end_times": 61}}), 400, 300)
    err(api.post("/users/me/meetings", json={"type": 8, "start_time": FUTURE,
                                            "recurrence": {"type": 1, "repeat_interval": 100}}), 400, 300)
    err(api.post("/users/me/meetings", json={"type": 8, "recurrence": {"type": 2, "weekly_days": "1,9"}}), 400, 300)


def test_one_occurrence_moves_or_goes_alone(api: Api) -> None:
    m = create(api, type=8, start_time=FUTURE, timezone="UTC", recurrence={"type": 1, "end_times": 3})
    first, second, third = (o["occurrence_id"] for o in m["occurrences"])
    r = api.patch(f"/meetings/{m['id']}", params={"occurrence_id": second},
                  json={"start_time": "2031-03-11T18:00:00Z", "duration": 90})
    assert r.status_code == 204, r.text
    got = api.get(f"/meetings/{m['id']}").json()
    moved = got["occurrences"][1]
    assert (moved["start_time"], moved["duration"]) == ("2031-03-11T18:00:00Z", 90)
    assert got["occurrences"][2]["start_time"] == "2031-03-12T15:00:00Z"
    one = api.get(f"/meetings/{m['id']}", params={"occurrence_id": second}).json()
    assert one["start_time"] == "2031-03-11T18:00:00Z" and one["duration"] == 90
    assert api.delete(f"/meetings/{m['id']}", params={"occurrence_id": first}).status_code == 204
    got = api.get(f"/meetings/{m['id']}").json()
    assert [o["occurrence_id"] for o in got["occurrences"]] == [second, third]
    assert got["start_time"] == "2031-03-11T18:00:00Z"
    b = err(api.delete(f"/meetings/{m['id']}", params={"occurrence_id": "123"}), 400, 300)
    assert b["message"] == "Invalid parameter: occurrence_id."
    err(api.get(f"/meetings/{m['id']}", params={"occurrence_id": "123"}), 400, 300)


def test_previous_occurrences_only_on_request(api: Api, clock: Admin) -> None:
    at(clock, api, "2031-03-01T00:00:00Z")
    m = create(api, type=8, start_time="2031-03-10T15:00:00Z", timezone="UTC", recurrence={"type": 1, "end_times": 5})
    at(clock, api, "2031-03-12T20:00:00Z")
    assert len(api.get(f"/meetings/{m['id']}").json()["occurrences"]) == 2
    full = api.get(f"/meetings/{m['id']}", params={"show_previous_occurrences": "true"}).json()
    assert len(full["occurrences"]) == 5


# ---- get / update / delete ---------------------------------------------------------------------

def test_get_returns_exactly_what_create_returned(api: Api) -> None:
    m = create(api, type=2, start_time=FUTURE)
    assert api.get(f"/meetings/{m['id']}").json() == m


def test_patch_merges_deeply_and_get_shows_it(api: Api) -> None:
    m = create(api, settings={"breakout_room": {"enable": True, "rooms": [{"name": "A"}]}})
    r = api.patch(f"/meetings/{m['id']}", json={
        "topic": "Renamed", "duration": 15, "settings": {"host_video": True, "breakout_room": {"enable": False}}})
    assert r.status_code == 204 and r.content == b""
    got = api.get(f"/meetings/{m['id']}").json()
    assert (got["topic"], got["duration"]) == ("Renamed", 15)
    assert got["settings"]["host_video"] is True
    assert got["settings"]["breakout_room"] == {"enable": False, "rooms": [{"name": "A"}]}
    assert got["settings"]["mute_upon_entry"] is False
    unchanged = {k: v for k, v in got.items() if k not in ("topic", "duration", "settings")}
    assert unchanged == {k: v for k, v in m.items() if k not in ("topic", "duration", "settings")}


def test_patch_password_type_and_time(api: Api) -> None:
    m = create(api, type=2, start_time=FUTURE)
    assert api.patch(f"/meetings/{m['id']}", json={"password": "987654"}).status_code == 204
    got = api.get(f"/meetings/{m['id']}").json()
    assert got["password"] == "987654" and got["join_url"] != m["join_url"]
    assert api.patch(f"/meetings/{m['id']}", json={
        "type": 8, "recurrence": {"type": 1, "end_times": 2}}).status_code == 204
    got = api.get(f"/meetings/{m['id']}").json()
    assert got["type"] == 8 and len(got["occurrences"]) == 2
    err(api.patch(f"/meetings/{m['id']}", json={"start_time": "soon"}), 400, 300)
    err(api.patch(f"/meetings/{m['id']}", json={"duration": "x"}), 400, 300)
    assert api.get(f"/meetings/{m['id']}").json()["type"] == 8


def test_delete_then_recover(api: Api) -> None:
    m = create(api)
    assert api.delete(f"/meetings/{m['id']}", params={"schedule_for_reminder": "true"}).status_code == 204
    b = err(api.get(f"/meetings/{m['id']}"), 404, 3001)
    assert b["message"] == f"Meeting does not exist: {m['id']}."
    err(api.delete(f"/meetings/{m['id']}"), 404, 3001)
    err(api.patch(f"/meetings/{m['id']}", json={"topic": "x"}), 404, 3001)
    assert m["id"] not in [x["id"] for x in api.get("/users/me/meetings").json()["meetings"]]
    assert api.put(f"/meetings/{m['id']}/status", json={"action": "recover"}).status_code == 204
    assert api.get(f"/meetings/{m['id']}").json()["topic"] == m["topic"]
    err(api.put(f"/meetings/{m['id']}/status", json={"action": "recover"}), 400, 3000)


def test_end_needs_a_running_meeting(api: Api) -> None:
    m = create(api)
    err(api.put(f"/meetings/{m['id']}/status", json={"action": "end"}), 400, 3000)
    err(api.put(f"/meetings/{m['id']}/status", json={"action": "pause"}), 400, 300)
    err(api.put("/meetings/99999999999/status", json={"action": "end"}), 404, 3001)


# ---- lists -------------------------------------------------------------------------------------

def test_list_types_and_paging(api: Api, clock: Admin) -> None:
    at(clock, api, "2031-05-01T12:00:00Z")
    past = create(api, type=2, start_time="2031-05-01T12:00:00Z", duration=30)
    future = [create(api, type=2, start_time=f"2031-06-0{d}T10:00:00Z") for d in range(1, 5)]
    floating = create(api, type=3)
    instant = create(api, type=1)
    at(clock, api, "2031-05-20T00:00:00Z")

    def ids(**params: Any) -> list[int]:
        r = api.get("/users/me/meetings", params=params)
        assert r.status_code == 200, r.text
        return [m["id"] for m in r.json()["meetings"]]

    every = [past["id"]] + [m["id"] for m in future] + [floating["id"]]
    assert ids() == every                                  # scheduled: everything but instant ones
    assert instant["id"] not in ids()
    assert ids(type="upcoming") == [m["id"] for m in future] + [floating["id"]]
    assert ids(type="previous_meetings") == [past["id"], instant["id"]]
    assert ids(type="live") == []
    assert ids(**{"from": "2031-06-02", "to": "2031-06-03"}) == [future[1]["id"], future[2]["id"], floating["id"]]
    first = api.get("/users/me/meetings", params={"page_size": 2}).json()
    assert first["total_records"] == 6 and first["page_size"] == 2 and first["next_page_token"]
    second = api.get("/users/me/meetings", params={"page_size": 2, "next_page_token": first["next_page_token"]}).json()
    assert [m["id"] for m in first["meetings"] + second["meetings"]] == every[:4]
    third = api.get("/users/me/meetings", params={"page_size": 2, "page_number": 3}).json()
    assert [m["id"] for m in third["meetings"]] == every[4:]
    item = first["meetings"][0]
    assert set(item) >= {"uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone",
                         "created_at", "join_url"}
    err(api.get("/users/me/meetings", params={"type": "someday"}), 400, 300)
    err(api.get("/users/me/meetings", params={"next_page_token": "forged"}), 400, 300)


def test_upcoming_meetings_soonest_first(api: Api, clock: Admin) -> None:
    at(clock, api, "2031-05-01T00:00:00Z")
    later = create(api, type=2, start_time="2031-05-09T10:00:00Z")
    sooner = create(api, type=8, start_time="2031-05-01T10:00:00Z", timezone="UTC",
                    recurrence={"type": 2, "weekly_days": "2", "end_times": 3})
    create(api, type=3)
    body = api.get("/users/me/upcoming_meetings").json()
    assert [m["id"] for m in body["meetings"]] == [sooner["id"], later["id"]]
    assert body["total_records"] == 2
    assert body["meetings"][0]["start_time"] == "2031-05-05T10:00:00Z"   # next Monday occurrence
    assert body["meetings"][1]["passcode"] == later["password"]


# ---- who may do what ---------------------------------------------------------------------------

def test_other_accounts_meeting_does_not_exist(api: Api, admin: Admin) -> None:
    m = create(api)
    other = admin.tenant()
    for resp in (other.get(f"/meetings/{m['id']}"), other.patch(f"/meetings/{m['id']}", json={"topic": "x"}),
                 other.delete(f"/meetings/{m['id']}")):
        err(resp, 404, 3001)
    err(other.get(f"/users/{api.owner_id}/meetings"), 404, 1001)
    assert api.get(f"/meetings/{m['id']}").json()["topic"] == "Planning"


def test_unknown_user_and_meeting(api: Api) -> None:
    err(api.post("/users/nobody@example.com/meetings", json={}), 404, 1001)
    err(api.get("/users/nobody/meetings"), 404, 1001)
    err(api.get("/meetings/12345678901"), 404, 3001)
    err(api.get("/meetings/not-a-number"), 404, 3001)


def test_user_level_token_reaches_own_meetings_only(api: Api, admin: Admin) -> None:
    member = admin.member(api)
    mine = create(member)
    assert member.get(f"/meetings/{mine['id']}").status_code == 200
    owners = create(api)
    err(member.get(f"/meetings/{owners['id']}"), 400, 3000)
    err(member.patch(f"/meetings/{owners['id']}", json={"topic": "x"}), 400, 3000)
    err(member.delete(f"/meetings/{owners['id']}"), 400, 3000)
    err(member.post(f"/users/{api.owner_id}/meetings", json={}), 400, 4711)
    # the admin-scoped app of the account reaches the member's meeting and lists it
    assert api.get(f"/meetings/{mine['id']}").status_code == 200
    assert [m["id"] for m in api.get(f"/users/{member.owner_id}/meetings").json()["meetings"]] == [mine["id"]]


def test_missing_scopes(admin: Admin) -> None:
    reader = admin.tenant(scopes=["meeting:read"])
    b = err(reader.post("/users/me/meetings", json={}), 400, 4711)
    assert "meeting:write:meeting" in b["message"]
    assert reader.get("/users/me/meetings").status_code == 200


def test_host_without_meeting_rights_gets_3161(api: Api, admin: Admin) -> None:
    pending = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("p"), "status": "pending"})
    b = err(api.post(f"/users/{pending['id']}/meetings", json={}), 400, 3161)
    assert "hosting and scheduling" in b["message"]
    err(api.get(f"/users/{pending['id']}/meetings"), 400, 3161)


def test_schedule_for(api: Api, admin: Admin) -> None:
    peer = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("peer")})
    m = create(api, schedule_for=peer["email"])
    assert m["host_id"] == peer["id"] and m["host_email"] == peer["email"]
    assert m["assistant_id"] == api.owner_id
    assert [x["id"] for x in api.get(f"/users/{peer['id']}/meetings").json()["meetings"]] == [m["id"]]
    b = err(api.post("/users/me/meetings", json={"type": 1, "schedule_for": peer["email"]}), 400, 3000)
    assert "Instant meetings" in b["message"]
    b = err(api.post("/users/me/meetings", json={"schedule_for": "ghost@example.com"}), 400, 300)
    assert "schedule_for" in b["message"]
    member = admin.member(api)
    b = err(member.post("/users/me/meetings", json={"schedule_for": peer["email"]}), 400, 3000)
    assert b["message"] == f"You cannot schedule a meeting for {peer['email']}"
    assert api.patch(f"/meetings/{m['id']}", json={"schedule_for": api.owner_id}).status_code == 204
    assert api.get(f"/meetings/{m['id']}").json()["host_id"] == api.owner_id


def test_failed_update_writes_nothing(api: Api) -> None:
    m = create(api, type=2, start_time=FUTURE)
    r = api.patch(f"/meetings/{m['id']}", json={"topic": "New", "settings": {"enforce_login_domains": "a,b"}})
    err(r, 400, 300)
    assert api.get(f"/meetings/{m['id']}").json() == m


def test_start_then_end_through_the_api(api: Api, admin: Admin) -> None:
    m = create(api)
    started = admin.call("POST", f"/meetings/{m['id']}/start")
    assert started["uuid"] == m["uuid"] and started["status"] == "started"
    assert api.get(f"/meetings/{m['id']}").json()["status"] == "started"
    assert [x["id"] for x in api.get("/users/me/meetings", params={"type": "live"}).json()["meetings"]] == [m["id"]]
    r = admin.http.post(f"/_zoomsim/meetings/{m['id']}/start")
    assert r.status_code == 400 and r.json()["code"] == 3000
    assert api.put(f"/meetings/{m['id']}/status", json={"action": "end"}).status_code == 204
    after = api.get(f"/meetings/{m['id']}").json()
    assert after["status"] == "waiting" and after["uuid"] != m["uuid"]
    r = admin.http.post(f"/_zoomsim/meetings/{m['id']}/end")
    assert r.status_code == 400 and r.json()["code"] == 3000
    assert admin.http.post("/_zoomsim/meetings/123/start").status_code == 404


def test_use_pmi_names_the_hosts_pmi(api: Api) -> None:
    pmi = api.get("/users/me").json()["pmi"]
    m = create(api, settings={"use_pmi": True})
    assert m["pmi"] == str(pmi)
    assert "pmi" not in create(api)
    listed = api.get("/users/me/meetings").json()["meetings"]
    assert [x.get("pmi") for x in listed if x["id"] == m["id"]] == [str(pmi)]


def test_ids_no_meeting_can_carry_are_not_found(api: Api) -> None:
    """A superscript digit passes str.isdigit() and a 19-digit number overflows int64: both name
    no meeting, on every path that takes a meeting number."""
    for raw in ("%C2%B2", "9999999999999999999", "99999999999999999999999"):
        for path in (f"/meetings/{raw}", f"/meetings/{raw}/meeting_summary", f"/past_meetings/{raw}"):
            r = api.get(path)
            assert r.status_code == 404, (path, r.text)
