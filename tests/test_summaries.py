"""Meeting summaries over HTTP. Nothing in the API writes a summary yet (the meeting simulation
will, when a meeting ends), so the tests put summary parts in through the storage layer and
read, list and delete them through the API."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from support import Admin, Api, Server, expect_error as err, new_meeting as create
from zoomsim.storage import parts as parts_repo

MEMBER_SCOPES = ("meeting:read", "meeting:write", "meeting_summary:read", "meeting_summary:write")
TRASH = "The meeting summary has been moved to Trash and cannot be accessed."


def enc(uuid: str) -> str:
    """Zoom's double encoding of a UUID in a path."""
    return quote(quote(uuid, safe=""), safe="")


def put_summary(server: Server, api: Api, meeting: dict[str, Any], start: str = "2031-01-05T10:00:00Z",
                part_id: str = "", **over: Any) -> dict[str, Any]:
    """A summary as the simulation will record one when the meeting ends."""
    end = start[:11] + "11:00:00Z"
    doc = {
        "meeting_host_id": meeting["host_id"], "meeting_host_email": meeting["host_email"],
        "meeting_uuid": part_id or meeting["uuid"], "meeting_id": meeting["id"],
        "meeting_topic": meeting["topic"], "meeting_start_time": start, "meeting_end_time": end,
        "summary_start_time": start, "summary_end_time": end, "summary_created_time": end,
        "summary_last_modified_time": end, "summary_title": f"Summary of {meeting['topic']}",
        "summary_overview": "We looked back at the sprint.",
        "summary_details": [{"label": "Wins", "summary": "Shipped the release."}],
        "next_steps": ["Plan the next sprint"], "summary_content": "## Wins\n- Shipped the release.",
        **over,
    }
    with server.app.services.storage.write() as db:
        parts_repo.put(db, api.account_id, meeting["id"], "summary", doc, part_id)
    return doc


# ---- read --------------------------------------------------------------------------------------

def test_meeting_without_summary_is_not_found(api: Api) -> None:
    m = create(api)
    err(api.get(f"/meetings/{m['id']}/meeting_summary"), 404, 3001, f"Meeting does not exist: {m['id']}.")
    err(api.delete(f"/meetings/{m['id']}/meeting_summary"), 404, 3001)
    err(api.get(f"/meetings/{enc(m['uuid'])}/meeting_summary"), 404, 3001)


def test_get_by_meeting_id_and_by_uuid(api: Api, server: Server) -> None:
    m = create(api)
    doc = put_summary(server, api, m, _internal="not shown")
    r = api.get(f"/meetings/{m['id']}/meeting_summary")
    assert r.status_code == 200
    body = r.json()
    assert body == {k: v for k, v in doc.items() if not k.startswith("_")}
    assert api.get(f"/meetings/{enc(m['uuid'])}/meeting_summary").json() == body


def test_instances_are_read_by_their_uuid(api: Api, server: Server) -> None:
    m = create(api, type=8, start_time="2031-01-05T10:00:00Z", recurrence={"type": 1, "end_times": 3})
    first = put_summary(server, api, m, part_id="/first+instance//uuid==")
    second = put_summary(server, api, m, start="2031-01-06T10:00:00Z", part_id="second-instance-uuid==")
    assert api.get(f"/meetings/{m['id']}/meeting_summary").json()["meeting_uuid"] == second["meeting_uuid"]
    assert enc(first["meeting_uuid"]) == "%252Ffirst%252Binstance%252F%252Fuuid%253D%253D"
    assert api.get(f"/meetings/{enc(first['meeting_uuid'])}/meeting_summary").json()["meeting_start_time"] == first["meeting_start_time"]


# ---- delete ------------------------------------------------------------------------------------

def test_delete_moves_to_trash(api: Api, server: Server) -> None:
    m = create(api)
    put_summary(server, api, m)
    r = api.delete(f"/meetings/{m['id']}/meeting_summary")
    assert r.status_code == 204 and r.content == b""
    err(api.get(f"/meetings/{m['id']}/meeting_summary"), 403, 2305, TRASH)
    err(api.delete(f"/meetings/{m['id']}/meeting_summary"), 403, 2305, TRASH)
    assert api.get("/meetings/meeting_summaries").json()["summaries"] == []


# ---- list --------------------------------------------------------------------------------------

def test_empty_list(api: Api) -> None:
    r = api.get("/meetings/meeting_summaries")
    assert r.status_code == 200
    assert r.json() == {"page_size": 30, "next_page_token": "", "summaries": []}


def test_list_pages_and_filters(api: Api, admin: Admin, server: Server) -> None:
    member = admin.member(api, MEMBER_SCOPES)
    days = ["2031-01-05", "2031-01-06", "2031-01-07"]
    meetings = [create(api), create(member), create(api)]
    for m, day in zip(meetings, days):
        put_summary(server, api, m, start=f"{day}T10:00:00Z")
    listed = api.get("/meetings/meeting_summaries").json()
    assert [s["meeting_id"] for s in listed["summaries"]] == [m["id"] for m in meetings]
    item = listed["summaries"][0]
    assert set(item) == {"meeting_host_id", "meeting_host_email", "meeting_uuid", "meeting_id", "meeting_topic",
                         "meeting_start_time", "meeting_end_time", "summary_start_time", "summary_end_time",
                         "summary_created_time", "summary_last_modified_time"}
    seen = []
    params: dict[str, Any] = {"page_size": 2}
    while True:
        page = api.get("/meetings/meeting_summaries", params=params).json()
        assert page["page_size"] == 2
        seen += [s["meeting_id"] for s in page["summaries"]]
        if not page["next_page_token"]:
            break
        params["next_page_token"] = page["next_page_token"]
    assert seen == [m["id"] for m in meetings]
    ranged = api.get("/meetings/meeting_summaries",
                     params={"from": "2031-01-06T00:00:00Z", "to": "2031-01-06T23:59:59Z"}).json()
    assert [s["meeting_id"] for s in ranged["summaries"]] == [meetings[1]["id"]]
    assert ranged["from"] == "2031-01-06T00:00:00Z" and ranged["to"] == "2031-01-06T23:59:59Z"
    by_created = api.get("/meetings/meeting_summaries", params={
        "from": "2031-01-07T10:30:00Z", "time_filter_field": "summary_created_time"}).json()
    assert [s["meeting_id"] for s in by_created["summaries"]] == [meetings[2]["id"]]
    day = api.get("/meetings/meeting_summaries", params={"from": "2031-01-05", "to": "2031-01-05"}).json()
    assert [s["meeting_id"] for s in day["summaries"]] == [meetings[0]["id"]]
    # a page token belongs to the filters it came with
    token = api.get("/meetings/meeting_summaries", params={"page_size": 1}).json()["next_page_token"]
    err(api.get("/meetings/meeting_summaries", params={"page_size": 1, "next_page_token": token,
                                                       "from": "2031-01-06T00:00:00Z"}), 400, 300)


def test_list_validation(api: Api) -> None:
    err(api.get("/meetings/meeting_summaries", params={"from": "yesterday"}), 400, 300)
    err(api.get("/meetings/meeting_summaries", params={"time_filter_field": "meeting_start_time"}), 400, 300)
    err(api.get("/meetings/meeting_summaries", params={"from": "2031-02-01T00:00:00Z", "to": "2031-01-01T00:00:00Z"}),
        400, 300)


# ---- plans and access --------------------------------------------------------------------------

def test_free_plan_gets_code_200(admin: Admin, server: Server) -> None:
    free = admin.tenant(plan="free")
    m = create(free)
    put_summary(server, free, m)
    for resp in (free.get(f"/meetings/{m['id']}/meeting_summary"), free.delete(f"/meetings/{m['id']}/meeting_summary"),
                 free.get("/meetings/meeting_summaries")):
        err(resp, 400, 200, "Only available for Paid account.")


def test_other_account_sees_nothing(api: Api, admin: Admin, server: Server) -> None:
    m = create(api)
    put_summary(server, api, m)
    other = admin.tenant()
    err(other.get(f"/meetings/{m['id']}/meeting_summary"), 404, 3001)
    err(other.get(f"/meetings/{enc(m['uuid'])}/meeting_summary"), 404, 3001)
    err(other.delete(f"/meetings/{m['id']}/meeting_summary"), 404, 3001)
    assert other.get("/meetings/meeting_summaries").json()["summaries"] == []
    assert api.get(f"/meetings/{m['id']}/meeting_summary").status_code == 200


def test_user_level_token_on_another_hosts_meeting(api: Api, admin: Admin, server: Server) -> None:
    member = admin.member(api, MEMBER_SCOPES)
    owners = create(api)
    put_summary(server, api, owners)
    err(member.get(f"/meetings/{owners['id']}/meeting_summary"), 400, 3000)
    err(member.get(f"/meetings/{enc(owners['uuid'])}/meeting_summary"), 400, 3000)
    err(member.delete(f"/meetings/{owners['id']}/meeting_summary"), 400, 3000)
    err(member.get("/meetings/meeting_summaries"), 400, 4711)
    mine = create(member)
    put_summary(server, api, mine)
    assert member.get(f"/meetings/{mine['id']}/meeting_summary").json()["meeting_id"] == mine["id"]
    assert member.delete(f"/meetings/{mine['id']}/meeting_summary").status_code == 204
    assert api.get(f"/meetings/{owners['id']}/meeting_summary").status_code == 200


def test_deleted_meeting_takes_its_summary_out_of_sight(api: Api, server: Server) -> None:
    m = create(api)
    put_summary(server, api, m)
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    err(api.get(f"/meetings/{m['id']}/meeting_summary"), 404, 3001)
    err(api.get(f"/meetings/{enc(m['uuid'])}/meeting_summary"), 404, 3001)
    err(api.delete(f"/meetings/{m['id']}/meeting_summary"), 404, 3001)
    assert api.get("/meetings/meeting_summaries").json()["summaries"] == []
