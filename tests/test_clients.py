"""A real third-party client (zoomus from PyPI) against the server: users, and whole meeting and webinar flows."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from zoomus import ZoomClient

from support import Admin, unique_email


def test_zoomus_users_round_trip(admin: Admin) -> None:
    api = admin.tenant()
    client = ZoomClient(api.client_id, api.client_secret, api.account_id,
                        base_uri=api.server.url + "/v2", oauth_uri=api.server.url + "/oauth/token")
    me = client.user.get(id="me")
    assert me.status_code == 200 and me.json()["id"] == api.owner_id
    email = unique_email("zoomus")
    created = client.user.create(action="custCreate", user_info={"email": email, "type": 1, "first_name": "Zed"})
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    assert client.user.update(id=user_id, last_name="Zoomus").status_code == 204
    got = client.user.get(id=user_id).json()
    assert (got["first_name"], got["last_name"], got["email"]) == ("Zed", "Zoomus", email)
    listed = client.user.list(page_size=1)
    assert listed.status_code == 200 and listed.json()["total_records"] == 2
    assert client.user.delete(id=user_id).status_code == 204
    assert client.user.get(id=user_id).status_code == 404


def test_zoomus_meeting_flow(admin: Admin) -> None:
    """Token, recurring meeting, registrants approved, a poll made and edited, livestream set and
    started, meeting ended and deleted: all through zoomus, as an integration would do it."""
    api = admin.tenant()
    client = ZoomClient(api.client_id, api.client_secret, api.account_id,
                        base_uri=api.server.url + "/v2", oauth_uri=api.server.url + "/oauth/token")
    made = client.meeting.create(
        user_id="me", topic="Weekly sync", type=8, start_time=datetime(2031, 3, 3, 16, 0), duration=30,
        timezone="UTC", recurrence={"type": 2, "weekly_days": "2", "end_times": 4},
        settings={"approval_type": 1, "host_video": True})
    assert made.status_code == 201, made.text
    meeting = made.json()
    mid = meeting["id"]
    assert [o["start_time"] for o in meeting["occurrences"]] == [
        "2031-03-03T16:00:00Z", "2031-03-10T16:00:00Z", "2031-03-17T16:00:00Z", "2031-03-24T16:00:00Z"]
    got = client.meeting.get(id=mid).json()
    assert got["topic"] == "Weekly sync" and got["settings"]["host_video"] is True

    for name in ("ann", "bob"):
        r = client.meeting.add_registrant(id=mid, email=f"{name}-{mid}@example.com", first_name=name)
        assert r.status_code == 201, r.text
    pending = client.meeting.list_registrants(id=mid, status="pending").json()
    assert pending["total_records"] == 2
    ids = [{"id": r["id"], "email": r["email"]} for r in pending["registrants"]]
    r = client.meeting.update_registrant_status(id=mid, action="approve", registrants=ids)
    assert r.status_code == 204, r.text
    approved = client.meeting.list_registrants(id=mid, status="approved").json()
    assert sorted(x["first_name"] for x in approved["registrants"]) == ["ann", "bob"]

    poll = {"title": "Lunch", "questions": [{"name": "Where?", "type": "single", "answers": ["Here", "There"]}]}
    r = client.meeting.post_request(f"/meetings/{mid}/polls", data=poll)
    assert r.status_code == 201, r.text
    poll_id = r.json()["id"]
    poll["title"] = "Dinner"
    assert client.meeting.put_request(f"/meetings/{mid}/polls/{poll_id}", data=poll).status_code == 204
    assert client.meeting.get_request(f"/meetings/{mid}/polls/{poll_id}").json()["title"] == "Dinner"

    r = client.live_stream.update(meeting_id=mid, stream_url="rtmp://live.example.com/app",
                                  stream_key="k-123", page_url="https://example.com/live")
    assert r.status_code == 204, r.text
    assert client.meeting.get_request(f"/meetings/{mid}/livestream").json()["stream_key"] == "k-123"
    admin.call("POST", f"/meetings/{mid}/start")
    r = client.live_stream.update_status(meeting_id=mid, action="start",
                                         settings={"active_speaker_name": True, "display_name": "Sync"})
    assert r.status_code == 204, r.text

    assert client.meeting.update_status(id=mid, action="end").status_code == 204
    assert client.meeting.get(id=mid).json()["status"] == "waiting"
    assert client.meeting.delete(id=mid).status_code == 204
    gone = client.meeting.get(id=mid)
    assert gone.status_code == 404 and gone.json()["code"] == 3001


def test_zoomus_webinar_flow(admin: Admin) -> None:
    """zoomus's v2 webinar component end to end: a recurring webinar with registration,
    registrants added and approved, panelists, a poll, a simulated run, past participants and
    absentees, the participants report, then end and delete."""
    api = admin.tenant()
    client = ZoomClient(api.client_id, api.client_secret, api.account_id,
                        base_uri=api.server.url + "/v2", oauth_uri=api.server.url + "/oauth/token")
    made = client.webinar.create(
        user_id="me", topic="Product launch", type=9, start_time="2031-05-05T15:00:00Z", duration=60,
        timezone="UTC", recurrence={"type": 2, "weekly_days": "2", "end_times": 3},
        settings={"approval_type": 1, "registration_type": 1})
    assert made.status_code == 201, made.text
    webinar = made.json()
    wid = webinar["id"]
    assert webinar["type"] == 9 and len(webinar["occurrences"]) == 3 and webinar["registration_url"]
    assert client.webinar.get(id=wid).json()["topic"] == "Product launch"
    listed = client.webinar.list(user_id="me").json()
    assert [w["id"] for w in listed["webinars"]] == [wid]

    people = {name: f"{name}-{wid}@example.com" for name in ("ann", "bob", "cy")}
    for name, email in people.items():
        r = client.webinar.register(id=wid, email=email, first_name=name, last_name="Guest")
        assert r.status_code == 201, r.text
    pending = client.webinar.get_registrants(id=wid, status="pending").json()
    assert pending["total_records"] == 3
    ids = [{"id": r["id"], "email": r["email"]} for r in pending["registrants"]]
    r = client.webinar.put_request(f"/webinars/{wid}/registrants/status", data={"action": "approve", "registrants": ids})
    assert r.status_code == 204, r.text
    approved = client.webinar.get_registrants(id=wid, status="approved").json()
    by_email = {x["email"]: x for x in approved["registrants"]}
    assert set(by_email) == set(people.values())

    r = client.webinar.add_panelists(id=wid, panelists=[{"name": "Pat Panel", "email": f"pat-{wid}@example.com"}])
    assert r.status_code == 201, r.text
    panelists = client.webinar.list_panelists(id=wid).json()
    assert [p["name"] for p in panelists["panelists"]] == ["Pat Panel"] and panelists["panelists"][0]["join_url"]

    poll = {"title": "Pricing", "questions": [{"name": "Fair?", "type": "single", "answers": ["Yes", "No"]}]}
    r = client.webinar.post_request(f"/webinars/{wid}/polls", data=poll)
    assert r.status_code == 201, r.text
    poll_id = r.json()["id"]

    admin.call("POST", f"/webinars/{wid}/start")
    admin.call("POST", f"/webinars/{wid}/participants", {"name": "Pat Panel", "email": f"pat-{wid}@example.com",
                                                         "role": "panelist"})
    ann = by_email[people["ann"]]
    joined = admin.call("POST", f"/webinars/{wid}/participants", {"registrant_id": ann["id"]})
    admin.call("POST", f"/webinars/{wid}/polls/{poll_id}/votes",
               {"participant_id": joined["participant_id"], "answers": {"Fair?": "Yes"}})
    assert client.webinar.end(id=wid).status_code == 204

    instances = client.webinar.get_request(f"/past_webinars/{wid}/instances").json()["webinars"]
    assert len(instances) == 1
    past = client.webinar.get_request(f"/past_webinars/{wid}/participants").json()
    assert sorted(p["name"] for p in past["participants"]) == ["Pat Panel", "ann Guest"]
    # a UUID may hold "/": Zoom wants it double-encoded in a path, and zoomus leaves that to the caller
    absent = client.webinar.get_absentees(id=quote(quote(instances[0]["uuid"], safe=""), safe="")).json()
    assert "registrants" in absent, absent
    assert sorted(a["email"] for a in absent["registrants"]) == sorted([people["bob"], people["cy"]])
    report = client.report.get_webinar_participants_report(id=wid).json()
    assert {p["name"] for p in report["participants"]} == {"Pat Panel", "ann Guest"}

    assert client.webinar.remove_panelists(id=wid).status_code == 204
    assert client.webinar.list_panelists(id=wid).json()["total_records"] == 0
    assert client.webinar.delete(id=wid).status_code == 204
    gone = client.webinar.get(id=wid)
    assert gone.status_code == 404 and gone.json()["code"] == 3001
