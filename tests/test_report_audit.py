"""Audit reports over HTTP on both backends: operation logs written by admin changes made through
the API, sign in / sign out activities (token grants and signed-in participants), and meeting
activity logs derived from meeting runs."""
from __future__ import annotations

from typing import Any

import pytest

from support import Admin, Api, expect_error, new_meeting, unique_email

DAY = "2026-11-02"
NOON = f"{DAY}T12:00:00Z"


def sim(admin: Admin, method: str, path: str, json: Any = None) -> Any:
    r = admin.http.request(method, "/_zoomsim/meetings" + path, json=json)
    assert r.status_code < 300, r.text
    return r.json() if r.content else None


def at(clock: Admin, api: Api, when: str) -> None:
    clock.clock(now=when)
    api.fetch_token()


def oplogs(api: Api, **params: Any) -> dict[str, Any]:
    r = api.get("/report/operationlogs", params={"from": DAY, "to": DAY, **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def activities(api: Api, **params: Any) -> dict[str, Any]:
    r = api.get("/report/activities", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def meeting_log(api: Api, **params: Any) -> dict[str, Any]:
    r = api.get("/report/meeting_activities", params={"from": DAY, "to": DAY, "activity_type": "All Activities",
                                                      **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def every_page(get: Any, key: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    token = ""
    while True:
        body = get(**params, **({"next_page_token": token} if token else {}))
        rows.extend(body[key])
        token = body["next_page_token"]
        if not token:
            return rows


def owner_email(api: Api) -> str:
    r = api.get("/users/me")
    assert r.status_code == 200, r.text
    return str(r.json()["email"])


# ---- operation logs ------------------------------------------------------------------------------

def make_changes(clock: Admin, api: Api) -> dict[str, Any]:
    """One change of each family a minute apart from NOON; returns the ids involved."""
    at(clock, api, NOON)
    email = unique_email("new")
    user = api.post("/users", json={"action": "create", "user_info": {"email": email, "type": 1}})
    assert user.status_code == 201, user.text
    clock.clock(advance_seconds=60)
    assert api.patch(f"/users/{user.json()['id']}", json={"first_name": "Ada", "dept": "R&D",
                                                          "phone_numbers": None}).status_code == 204
    clock.clock(advance_seconds=60)
    meeting = new_meeting(api, topic="Budget")
    clock.clock(advance_seconds=60)
    assert api.patch(f"/meetings/{meeting['id']}", json={"topic": "Budget 2027",
                                                         "settings": {"waiting_room": True}}).status_code == 204
    clock.clock(advance_seconds=60)
    field = api.post("/tracking_fields", json={"field": "Cost center", "required": True})
    assert field.status_code == 201, field.text
    clock.clock(advance_seconds=60)
    assert api.patch("/tsp", json={"tsp_provider": "Acme Audio"}).status_code == 204
    clock.clock(advance_seconds=60)
    phone = api.post("/sip_phones/phones", json={
        "user_email": email, "user_name": "2002", "password": "pw2026", "domain": "sip.example.com",
        "authorization_name": "auth2002", "voice_mail": "5000",
        "server": {"proxy_server": "198.51.100.2", "register_server": "198.51.100.1"}})
    assert phone.status_code == 201, phone.text
    clock.clock(advance_seconds=60)
    assert api.delete(f"/meetings/{meeting['id']}").status_code == 204
    return {"email": email, "user_id": user.json()["id"], "meeting": meeting["id"], "field": field.json()["id"],
            "phone": phone.json()["phone_id"]}


def test_operation_logs_name_each_change(clock: Admin, api: Api) -> None:
    made = make_changes(clock, api)
    me = owner_email(api)
    rows = oplogs(api)["operation_logs"]
    assert [(r["time"], r["category_type"], r["action"], r["operation_detail"]) for r in rows] == [
        (f"{DAY}T12:07:00Z", "User Settings", "Delete", f"Delete Meeting {made['meeting']}"),
        (f"{DAY}T12:06:00Z", "Account", "Add", f"Add SIP Phone {made['phone']} for {made['email']}"),
        (f"{DAY}T12:05:00Z", "Account", "Update", "Update Account TSP Settings - tsp_provider"),
        (f"{DAY}T12:04:00Z", "Account", "Add", f"Add Tracking Field Cost center ({made['field']})"),
        (f"{DAY}T12:03:00Z", "User Settings", "Update",
         f"Update Meeting {made['meeting']} - topic, settings.waiting_room"),
        (f"{DAY}T12:02:00Z", "User Settings", "Add", f"Add Meeting {made['meeting']} \"Budget\" for {me}"),
        (f"{DAY}T12:01:00Z", "User", "Update", f"Update User {made['email']} - first_name, dept"),
        (f"{DAY}T12:00:00Z", "User", "Add", f"Add User {made['email']} - User Type: Basic"),
    ]
    assert {r["operator"] for r in rows} == {me}


def test_failed_requests_leave_nothing(clock: Admin, api: Api) -> None:
    at(clock, api, NOON)
    field = api.post("/tracking_fields", json={"field": "Region"}).json()
    expect_error(api.post("/tracking_fields", json={"field": "Region"}), 400, 200)
    expect_error(api.patch("/meetings/81234567890", json={"topic": "x"}), 404, 3001)
    expect_error(api.post("/users", json={"action": "create", "user_info": {"email": "nope", "type": 1}}), 400, 300)
    expect_error(api.delete(f"/users/{api.owner_id}"), 400, 200)
    expect_error(api.patch("/tsp", json={"tsp_bridge": "ASIA_TSP_TB"}), 400, 300)
    rows = oplogs(api)["operation_logs"]
    assert [r["operation_detail"] for r in rows] == [f"Add Tracking Field Region ({field['id']})"]


def test_more_operations_are_logged(admin: Admin, clock: Admin, api: Api) -> None:
    at(clock, api, NOON)
    other = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("tsp")})
    field = api.post("/tracking_fields", json={"field": "Team"}).json()
    assert api.patch(f"/tracking_fields/{field['id']}", json={"field": "Squad", "visible": False}).status_code == 204
    assert api.delete(f"/tracking_fields/{field['id']}").status_code == 204
    assert api.post(f"/users/{other['id']}/tsp", json={"conference_code": "0125", "leader_pin": "1118"}).status_code == 201
    assert api.patch(f"/users/{other['email']}/tsp/1", json={"conference_code": "77",
                                                           "leader_pin": "42"}).status_code == 204
    phone = api.post("/sip_phones", json={"user_email": other["email"], "user_name": "1001", "password": "s3cret",
                                          "domain": "pbx.example.com", "authorization_name": "a",
                                          "voice_mail": "4000", "register_server": "192.0.2.1",
                                          "proxy_server": "192.0.2.2"}).json()
    assert api.patch(f"/sip_phones/phones/{phone['id']}", json={"voice_mail": "4001"}).status_code == 204
    assert api.delete(f"/sip_phones/{phone['id']}").status_code == 204
    meeting = new_meeting(api)
    assert api.delete(f"/meetings/{meeting['id']}").status_code == 204
    assert api.put(f"/meetings/{meeting['id']}/status", json={"action": "recover"}).status_code == 204
    assert api.delete(f"/users/{other['id']}", params={"action": "delete"}).status_code == 204
    details = [(r["category_type"], r["action"], r["operation_detail"]) for r in oplogs(api)["operation_logs"]]
    # all at one instant: newest write first
    assert details == [
        ("User", "Delete", f"Delete User {other['id']}"),
        ("User Settings", "Update", f"Update Meeting {meeting['id']} - status: recover"),
        ("User Settings", "Delete", f"Delete Meeting {meeting['id']}"),
        ("User Settings", "Add", f"Add Meeting {meeting['id']} \"Planning\" for {owner_email(api)}"),
        ("Account", "Delete", f"Delete SIP Phone {phone['id']}"),
        ("Account", "Update", f"Update SIP Phone {phone['id']} ({other['email']}) - voice_mail"),
        ("Account", "Add", f"Add SIP Phone {phone['id']} for {other['email']}"),
        ("User Settings", "Update", f"Update TSP Account 1 of {other['email']} - conference_code, leader_pin"),
        ("User Settings", "Add", f"Add TSP Account 1 for {other['email']}"),
        ("Account", "Delete", f"Delete Tracking Field {field['id']}"),
        ("Account", "Update", f"Update Tracking Field Squad ({field['id']}) - field, visible"),
        ("Account", "Add", f"Add Tracking Field Team ({field['id']})"),
    ]


def test_category_filter(clock: Admin, api: Api) -> None:
    make_changes(clock, api)
    counts = {cat: len(oplogs(api, category_type=cat)["operation_logs"])
              for cat in ("all", "user", "user_settings", "account", "billing", "role")}
    assert counts == {"all": 8, "user": 2, "user_settings": 3, "account": 3, "billing": 0, "role": 0}
    assert {r["category_type"] for r in oplogs(api, category_type="account")["operation_logs"]} == {"Account"}
    bad = api.get("/report/operationlogs", params={"from": DAY, "to": DAY, "category_type": "meetings"})
    expect_error(bad, 400, 300)


def test_operation_logs_page_and_window(clock: Admin, api: Api) -> None:
    at(clock, api, NOON)
    labels = [f"Label {n}" for n in range(7)]
    for label in labels:
        assert api.post("/tracking_fields", json={"field": label}).status_code == 201
    clock.clock(now="2026-11-03T09:00:00Z")   # the next day: outside a one-day window
    api.fetch_token()
    assert api.post("/tracking_fields", json={"field": "Tomorrow"}).status_code == 201
    first = oplogs(api, page_size=3)
    assert first["page_size"] == 3 and len(first["operation_logs"]) == 3 and first["next_page_token"]
    rows = every_page(lambda **p: oplogs(api, **p), "operation_logs", page_size=3)
    assert [r["operation_detail"].split(" (")[0] for r in rows] == [f"Add Tracking Field {x}" for x in reversed(labels)]
    both = oplogs(api, to="2026-11-03")["operation_logs"]
    assert len(both) == 8 and both[0]["operation_detail"].startswith("Add Tracking Field Tomorrow")
    # a token belongs to its filters; a forged one is refused
    r = api.get("/report/operationlogs", params={"from": DAY, "to": DAY, "category_type": "user",
                                                 "next_page_token": first["next_page_token"]})
    expect_error(r, 400, 300, "The next page token is invalid or expired.")
    expect_error(api.get("/report/operationlogs", params={"from": DAY, "to": DAY, "next_page_token": "abc.def"}),
                 400, 300, "The next page token is invalid or expired.")


def test_operation_logs_date_rules(clock: Admin, api: Api) -> None:
    at(clock, api, NOON)
    get = api.get
    expect_error(get("/report/operationlogs", params={"from": DAY}), 400, 300)
    expect_error(get("/report/operationlogs", params={"from": "2026-11-02", "to": "2026-11-01"}), 400, 300,
                 "The 'to' date can not be earlier than the 'from' date.")
    expect_error(get("/report/operationlogs", params={"from": "2026-09-01", "to": "2026-10-15"}), 400, 300,
                 "The date range can not be more than one month.")
    expect_error(get("/report/operationlogs", params={"from": "2026-04-01", "to": "2026-04-15"}), 400, 300,
                 "Only provide report in recent 6 months")
    expect_error(get("/report/operationlogs", params={"from": "2026-11-12", "to": "2026-11-13"}), 400, 300,
                 "The 'from' date can not be later than today.")
    expect_error(get("/report/operationlogs", params={"from": "2026-13-01", "to": DAY}), 400, 300)


def test_other_accounts_do_not_see_each_other(admin: Admin, clock: Admin, api: Api) -> None:
    make_changes(clock, api)
    other = admin.tenant()
    assert oplogs(other)["operation_logs"] == []
    assert meeting_log(other)["meeting_activity_logs"] == []
    assert {r["email"] for r in activities(other)["activity_logs"]} == {owner_email(other)}


# ---- plan and scope --------------------------------------------------------------------------

def test_free_plan_and_missing_scope(admin: Admin, clock: Admin) -> None:
    free = admin.tenant(plan="free")
    expect_error(free.get("/report/operationlogs", params={"from": DAY, "to": DAY}), 400, 200, "No permission.")
    expect_error(free.get("/report/activities"), 400, 200, "No permission.")
    expect_error(free.get("/report/meeting_activities", params={"from": DAY, "to": DAY, "activity_type": "User Join"}), 403, 200,
                 "No permission.")
    narrow = admin.tenant(scopes=["meeting:read:admin"])
    for path, params in (("/report/operationlogs", {"from": DAY, "to": DAY}), ("/report/activities", {}),
                         ("/report/meeting_activities", {"from": DAY, "to": DAY, "activity_type": "User Join"})):
        expect_error(narrow.get(path, params=params), 400, 4711)
    granular = admin.tenant(scopes=["report:read:operation_logs:admin"])
    at(clock, granular, NOON)
    assert oplogs(granular)["operation_logs"] == []
    expect_error(granular.get("/report/activities"), 400, 4711)


# ---- sign in / sign out ---------------------------------------------------------------------------

def test_signins_from_token_grants_and_meetings(admin: Admin, clock: Admin, api: Api) -> None:
    at(clock, api, NOON)
    r = api.http.post("/oauth/token", params={"grant_type": "account_credentials", "account_id": api.account_id},
                      auth=(api.client_id, api.client_secret), headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"})
    assert r.status_code == 200
    member = admin.member(api)     # a second user with an app: its token grant signs it in too
    mid = new_meeting(api)["id"]
    at(clock, api, f"{DAY}T13:00:00Z")   # tokens last an hour: this grant is a sign-in too
    sim(admin, "POST", f"/{mid}/start")
    host = sim(admin, "POST", f"/{mid}/participants", {"user_id": api.owner_id, "device": "Web",
                                                       "ip_address": "198.51.100.7"})
    sim(admin, "POST", f"/{mid}/participants", {"name": "Guest", "email": "guest@example.com"})
    clock.clock(advance_seconds=300)
    sim(admin, "POST", f"/{mid}/participants", {"user_id": member.owner_id, "device": "iOS"})
    clock.clock(advance_seconds=300)
    sim(admin, "DELETE", f"/{mid}/participants/{host['participant_id']}")
    clock.clock(advance_seconds=600)
    sim(admin, "POST", f"/{mid}/end")
    me, them = owner_email(api), api.get(f"/users/{member.owner_id}").json()["email"]
    body = activities(api, **{"from": DAY, "to": DAY})
    assert body["from"] == f"{DAY}T00:00:00Z" and body["to"] == f"{DAY}T00:00:00Z" and body["page_size"] == 30
    got = [(x["time"], x["email"], x["type"], x["client_type"], x["ip_address"]) for x in body["activity_logs"]]
    assert got == [
        (f"{DAY}T13:20:00Z", them, "Sign out", "iOS", ""),
        (f"{DAY}T13:10:00Z", me, "Sign out", "Browser", "198.51.100.7"),
        (f"{DAY}T13:05:00Z", them, "Sign in", "iOS", ""),
        (f"{DAY}T13:00:00Z", me, "Sign in", "Browser", "198.51.100.7"),
        (f"{DAY}T13:00:00Z", me, "Sign in", "API", ""),
        (NOON, them, "Sign in", "API", ""),
        (NOON, me, "Sign in", "API", "203.0.113.9"),
        (NOON, me, "Sign in", "API", ""),
    ]
    assert all(x["version"] == "" for x in body["activity_logs"])
    paged = every_page(lambda **p: activities(api, **p), "activity_logs", page_size=2, **{"from": DAY, "to": DAY})
    assert [(x["time"], x["email"], x["type"], x["ip_address"]) for x in paged] == [g[:3] + (g[4],) for g in got]
    assert activities(api, **{"from": "2026-11-01", "to": "2026-11-01"})["activity_logs"] == []


def test_activity_default_window(clock: Admin, api: Api) -> None:
    at(clock, api, NOON)
    body = activities(api)
    assert body["to"] == f"{DAY}T00:00:00Z" and body["from"] == "2026-10-03T00:00:00Z"
    assert [x["time"] for x in body["activity_logs"]] == [NOON]
    assert activities(api, to="2026-10-20")["from"] == "2026-09-21T00:00:00Z"
    expect_error(api.get("/report/activities", params={"from": "2026-09-01", "to": "2026-10-15"}), 400, 300,
                 "The date range can not be more than one month.")
    expect_error(api.get("/report/activities", params={"from": "2026-11-03"}), 400, 300)


# ---- meeting activity logs ---------------------------------------------------------------------------

def stepped_meeting(admin: Admin, clock: Admin, api: Api) -> dict[str, Any]:
    """Created at 09:00; runs 10:00-10:30 with Ann (leaves at 10:10, back at 10:15) and Bo."""
    at(clock, api, f"{DAY}T09:00:00Z")
    meeting = new_meeting(api, topic="Retro")
    clock.clock(now=f"{DAY}T10:00:00Z")
    sim(admin, "POST", f"/{meeting['id']}/start")
    ann = sim(admin, "POST", f"/{meeting['id']}/participants", {"name": "Ann Lee", "email": "ann@example.com",
                                                                 "device": "Mac"})
    clock.clock(advance_seconds=120)
    sim(admin, "POST", f"/{meeting['id']}/participants", {"name": "Bo", "phone_number": "+1 555 0100"})
    clock.clock(now=f"{DAY}T10:10:00Z")
    sim(admin, "DELETE", f"/{meeting['id']}/participants/{ann['participant_id']}")
    clock.clock(now=f"{DAY}T10:15:00Z")
    sim(admin, "POST", f"/{meeting['id']}/participants", {"name": "Ann Lee", "email": "ann@example.com"})
    clock.clock(now=f"{DAY}T10:30:00Z")
    sim(admin, "POST", f"/{meeting['id']}/end")
    api.fetch_token()
    return meeting


def spaced(number: int) -> str:
    digits = str(number)
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}" if len(digits) == 11 else f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def test_meeting_activity_of_a_run(admin: Admin, clock: Admin, api: Api) -> None:
    meeting = stepped_meeting(admin, clock, api)
    me = owner_email(api)
    host_name = api.get("/users/me").json()["display_name"]
    rows = meeting_log(api)["meeting_activity_logs"]
    assert {r["meeting_number"] for r in rows} == {spaced(meeting["id"])}
    assert [(r["activity_time"], r["activity_category"], r["operator"], r["operator_email"], r["activity_detail"])
            for r in rows] == [
        (f"{DAY} 10:30:00:000", "Meeting Ended", host_name, me, 'Ended meeting "Retro" after 30 minutes.'),
        (f"{DAY} 10:30:00:000", "User Left", "Ann Lee", "ann@example.com", 'Left meeting "Retro" after 15 minutes.'),
        (f"{DAY} 10:30:00:000", "User Left", "Bo", "", 'Left meeting "Retro" after 28 minutes.'),
        (f"{DAY} 10:15:00:000", "User Join", "Ann Lee", "ann@example.com", 'Joined meeting "Retro" from Windows.'),
        (f"{DAY} 10:10:00:000", "User Left", "Ann Lee", "ann@example.com", 'Left meeting "Retro" after 10 minutes.'),
        (f"{DAY} 10:02:00:000", "User Join", "Bo", "", 'Joined meeting "Retro" from Phone.'),
        (f"{DAY} 10:00:00:000", "User Join", "Ann Lee", "ann@example.com", 'Joined meeting "Retro" from Mac.'),
        (f"{DAY} 10:00:00:000", "Meeting Started", host_name, me, 'Started meeting "Retro".'),
        (f"{DAY} 09:00:00:000", "Meeting Created", host_name, me, 'Created meeting "Retro".'),
    ]
    joins = meeting_log(api, activity_type="User Join")["meeting_activity_logs"]
    assert [r["operator"] for r in joins] == ["Ann Lee", "Bo", "Ann Lee"]
    assert [r["activity_category"] for r in meeting_log(api, activity_type="Meeting Created")["meeting_activity_logs"]] \
        == ["Meeting Created"]
    for never in ("Remote Control", "In-Meeting Chat"):
        assert meeting_log(api, activity_type=never)["meeting_activity_logs"] == []
    ann = meeting_log(api, search_key="ANN@example")["meeting_activity_logs"]
    assert len(ann) == 4 and {r["operator"] for r in ann} == {"Ann Lee"}
    host_rows = meeting_log(api, search_key=me.split("@")[0])["meeting_activity_logs"]
    assert [r["activity_category"] for r in host_rows] == ["Meeting Ended", "Meeting Started", "Meeting Created"]
    assert meeting_log(api, search_key="%")["meeting_activity_logs"] == []
    assert len(meeting_log(api, meeting_number=spaced(meeting["id"]))["meeting_activity_logs"]) == 9
    assert len(meeting_log(api, meeting_number=str(meeting["id"]))["meeting_activity_logs"]) == 9
    assert meeting_log(api, meeting_number="81234567890")["meeting_activity_logs"] == []
    expect_error(api.get("/report/meeting_activities", params={"from": DAY, "to": DAY, "meeting_number": "abc"}),
                 400, 300)
    assert meeting_log(api, **{"from": "2026-11-01", "to": "2026-11-01"})["meeting_activity_logs"] == []


def test_meeting_activity_counts_and_paging(admin: Admin, clock: Admin, api: Api) -> None:
    at(clock, api, f"{DAY}T18:00:00Z")
    mid = new_meeting(api, topic="All hands")["id"]
    run = sim(admin, "POST", f"/{mid}/run", {"participants": 25, "duration_minutes": 60, "seed": 3})
    sessions = len(run["participants"])
    assert sessions >= 26
    rows = every_page(lambda **p: meeting_log(api, **p), "meeting_activity_logs", page_size=7)
    kinds = [r["activity_category"] for r in rows]
    assert kinds.count("User Join") == sessions and kinds.count("User Left") == sessions
    assert kinds.count("Meeting Started") == kinds.count("Meeting Ended") == kinds.count("Meeting Created") == 1
    times = [r["activity_time"] for r in rows]
    assert times == sorted(times, reverse=True)
    page = meeting_log(api, page_size=7)
    assert page["page_size"] == 7 and len(page["meeting_activity_logs"]) == 7
    r = api.get("/report/meeting_activities", params={"from": DAY, "to": DAY, "activity_type": "User Left",
                                                      "next_page_token": page["next_page_token"]})
    expect_error(r, 400, 300, "The next page token is invalid or expired.")


def test_meeting_activity_dates(clock: Admin, api: Api) -> None:
    at(clock, api, NOON)
    expect_error(api.get("/report/meeting_activities", params={"from": DAY, "activity_type": "User Join"}), 400, 300)
    expect_error(api.get("/report/meeting_activities", params={"from": DAY, "to": "2026-11-01",
                                                              "activity_type": "User Join"}), 400, 300,
                 "The 'to' date can not be earlier than the 'from' date.")
    expect_error(api.get("/report/meeting_activities", params={"from": DAY, "to": DAY, "activity_type": "Chat"}),
                 400, 300)


@pytest.mark.parametrize("path", ["/report/operationlogs", "/report/meeting_activities"])
def test_required_dates(api: Api, path: str) -> None:
    expect_error(api.get(path), 400, 300)


def test_activity_type_may_be_left_out(api: Api) -> None:
    """activity_type is required but has a default: leaving it out means all activities."""
    import datetime as dt
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    r = api.get("/report/meeting_activities", params={"from": today, "to": today})
    assert r.status_code == 200, r.text
