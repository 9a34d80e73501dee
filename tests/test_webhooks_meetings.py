"""Meeting and webinar webhooks of the API: created, updated (old values), deleted, recovered,
registrations (single, batch, approve / cancel / deny), live streaming; a user-scoped
subscription; v1's webinar create. Every delivery is checked as Zoom's sample receiver would
(signature, headers, JSON.stringify bytes) and against its event's schema, then for content."""
from __future__ import annotations

import time
from typing import Any

import pytest
from support import Admin, Api, unique_email
from test_v1 import made as v1_webinar
from webhook_kit import Receiver, check_delivery, receiver, subscribe  # noqa: F401

from zoomsim import clock as clockmod
from zoomsim.webhooks import catalog
from zoomsim.webhooks.payloads import BUILDERS, LOADERS, STEP_BUILDERS

KINDS = ["meeting", "webinar"]
FUTURE = "2031-03-10T15:00:00Z"
DEST = {"stream_url": "rtmp://live.example.com/app", "stream_key": "key-1", "page_url": "https://example.com/watch"}


def make(api: Api, kind: str, user: str = "me", **body: Any) -> dict[str, Any]:
    body.setdefault("topic", f"Planning {kind}")
    r = api.post(f"/users/{user}/{kind}s", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def heard(receiver: Receiver, event: str, count: int = 1) -> list[dict[str, Any]]:  # noqa: F811
    """The payloads of the first `count` deliveries of `event`, each checked as Zoom's receiver would."""
    found = receiver.wait(count, event)
    for d in found:
        check_delivery(d)
        assert d.body["event"] == event
    return [d.body["payload"] for d in found[:count]]


def email_of(api: Api) -> str:
    r = api.get("/users/me")
    assert r.status_code == 200, r.text
    return str(r.json()["email"])


def now_frozen(clock: Admin, api: Api) -> float:
    at = float(int(time.time()))
    clock.clock(now=clockmod.iso(at))
    api.fetch_token()
    return at


# ---- the meeting itself ---------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_created(admin: Admin, api: Api, receiver: Receiver, kind: str) -> None:  # noqa: F811
    subscribe(admin, api, receiver, [f"{kind}.created"])
    m = make(api, kind, topic="Kick-off é", start_time=FUTURE, duration=45)
    (p,) = heard(receiver, f"{kind}.created")
    assert list(p)[:5] == ["account_id", "operator", "operator_id", "operation", "object"]
    assert (p["operator"], p["operator_id"], p["operation"]) == (email_of(api), api.owner_id, "single")
    o = p["object"]
    assert (o["id"], o["uuid"], o["host_id"], o["topic"], o["type"]) == (m["id"], m["uuid"], api.owner_id,
                                                                        "Kick-off é", m["type"])
    assert (o["start_time"], o["duration"], o["join_url"]) == (FUTURE, 45, m["join_url"])
    assert ("creation_source" in o) == (kind == "webinar")


@pytest.mark.parametrize("kind", KINDS)
def test_updated_has_the_old_values(admin: Admin, api: Api, receiver: Receiver, kind: str) -> None:  # noqa: F811
    m = make(api, kind, topic="Before", duration=30, settings={"host_video": False})
    subscribe(admin, api, receiver, [f"{kind}.updated"])
    r = api.patch(f"/{kind}s/{m['id']}", json={"topic": "After", "duration": 50, "settings": {"host_video": True}})
    assert r.status_code == 204, r.text
    (p,) = heard(receiver, f"{kind}.updated")
    assert list(p) == ["account_id", "operator", "operator_id", "scope", "object", "old_object", "time_stamp"]
    assert p["object"] == {"id": m["id"], "topic": "After", "duration": 50, "settings": {"host_video": True}}
    assert p["old_object"] == {"id": m["id"], "topic": "Before", "duration": 30, "settings": {"host_video": False}}
    assert p["scope"] == "single" and p["operator_id"] == api.owner_id
    assert isinstance(p["time_stamp"], int) and p["time_stamp"] > 10**12
    # a failed update emits nothing
    assert api.patch(f"/{kind}s/{m['id']}", json={"timezone": "Mars/Olympus"}).status_code == 400
    receiver.quiet(0.5)


def test_updating_one_occurrence_is_single(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    m = make(api, "meeting", type=8, start_time=FUTURE, recurrence={"type": 1, "repeat_interval": 1, "end_times": 3})
    subscribe(admin, api, receiver, ["meeting.updated"])
    occ = m["occurrences"][1]
    r = api.patch(f"/meetings/{m['id']}", params={"occurrence_id": occ["occurrence_id"]}, json={"duration": 15})
    assert r.status_code == 204, r.text
    (p,) = heard(receiver, "meeting.updated")
    assert p["scope"] == "single"
    new = {o["occurrence_id"]: o for o in p["object"]["occurrences"]}
    old = {o["occurrence_id"]: o for o in p["old_object"]["occurrences"]}
    assert (new[occ["occurrence_id"]]["duration"], old[occ["occurrence_id"]]["duration"]) == (15, occ["duration"])
    r = api.patch(f"/meetings/{m['id']}", json={"topic": "All of them"})
    assert r.status_code == 204
    assert heard(receiver, "meeting.updated", 2)[1]["scope"] == "all"


@pytest.mark.parametrize("kind", KINDS)
def test_deleted(admin: Admin, api: Api, receiver: Receiver, kind: str) -> None:  # noqa: F811
    m = make(api, kind, topic="Doomed", start_time=FUTURE)
    subscribe(admin, api, receiver, [f"{kind}.deleted"])
    assert api.delete(f"/{kind}s/{m['id']}").status_code == 204
    (p,) = heard(receiver, f"{kind}.deleted")
    assert (p["operator_id"], p["operation"]) == (api.owner_id, "single")
    o = p["object"]
    assert (o["id"], o["uuid"], o["host_id"], o["topic"], o["start_time"]) == (m["id"], m["uuid"], api.owner_id,
                                                                             "Doomed", FUTURE)
    assert api.delete(f"/{kind}s/{m['id']}").status_code == 404     # gone: nothing more is sent
    receiver.quiet(0.5)


def test_deleting_one_occurrence(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    m = make(api, "meeting", type=8, start_time=FUTURE, recurrence={"type": 1, "repeat_interval": 1, "end_times": 3})
    subscribe(admin, api, receiver, ["meeting.deleted"])
    occ = m["occurrences"][2]
    assert api.delete(f"/meetings/{m['id']}", params={"occurrence_id": occ["occurrence_id"]}).status_code == 204
    (p,) = heard(receiver, "meeting.deleted")
    assert p["operation"] == "single"
    assert p["object"]["occurrences"] == [{"occurrence_id": occ["occurrence_id"], "start_time": occ["start_time"]}]


def test_recovered(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    m = make(api, "meeting", topic="Back again", start_time=FUTURE)
    subscribe(admin, api, receiver, ["meeting.recovered"])
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    assert api.put(f"/meetings/{m['id']}/status", json={"action": "recover"}).status_code == 204
    (p,) = heard(receiver, "meeting.recovered")
    assert (p["operator_id"], p["object"]["id"], p["object"]["topic"]) == (api.owner_id, m["id"], "Back again")
    # recovering a meeting that is not deleted fails and emits nothing
    assert api.put(f"/meetings/{m['id']}/status", json={"action": "recover"}).status_code == 400
    receiver.quiet(0.5)


# ---- registration ---------------------------------------------------------------------------

def register(api: Api, kind: str, mid: int, email: str, first: str = "Jill") -> str:
    r = api.post(f"/{kind}s/{mid}/registrants", json={"email": email, "first_name": first, "last_name": "Chill",
                                                      "city": "Mountain View"})
    assert r.status_code == 201, r.text
    return str(r.json()["registrant_id"])


@pytest.mark.parametrize("kind", KINDS)
def test_registration_created(admin: Admin, api: Api, receiver: Receiver, kind: str) -> None:  # noqa: F811
    m = make(api, kind, start_time=FUTURE, settings={"approval_type": 0})
    subscribe(admin, api, receiver, [f"{kind}.registration_created"])
    email = unique_email("jill")
    rid = register(api, kind, m["id"], email)
    (p,) = heard(receiver, f"{kind}.registration_created")
    assert list(p) == ["account_id", "object"]
    o, reg = p["object"], p["object"]["registrant"]
    assert (o["id"], o["uuid"], o["host_id"], o["topic"]) == (m["id"], m["uuid"], api.owner_id, m["topic"])
    assert (reg["id"], reg["email"], reg["first_name"], reg["last_name"], reg["city"], reg["status"]) == \
        (rid, email, "Jill", "Chill", "Mountain View", "approved")
    got = api.get(f"/{kind}s/{m['id']}/registrants/{rid}").json()
    assert reg["join_url"] == got["join_url"]
    register(api, kind, m["id"], email)          # the same address again: its old registration, no event
    receiver.quiet(0.5)


@pytest.mark.parametrize("kind", KINDS)
def test_batch_registration_created(admin: Admin, api: Api, receiver: Receiver, kind: str) -> None:  # noqa: F811
    m = make(api, kind, start_time=FUTURE, settings={"approval_type": 1})
    known = unique_email("known")
    register(api, kind, m["id"], known)
    subscribe(admin, api, receiver, [f"{kind}.registration_created"])
    people = [{"email": unique_email("b1"), "first_name": "Ann"}, {"email": known, "first_name": "Old"},
              {"email": unique_email("b2"), "first_name": "Bo"}]
    r = api.post(f"/{kind}s/{m['id']}/batch_registrants", json={"registrants": people})
    assert r.status_code == 201, r.text
    ids = {x["email"]: x["registrant_id"] for x in r.json()["registrants"]}
    payloads = heard(receiver, f"{kind}.registration_created", 2)
    got = {p["object"]["registrant"]["email"]: p["object"]["registrant"] for p in payloads}
    assert set(got) == {people[0]["email"], people[2]["email"]}
    assert all(got[e]["id"] == ids[e] and got[e]["status"] == "pending" for e in got)
    receiver.quiet(0.5)                         # the address already registered emits nothing


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action,approval,event", [("approve", 1, "registration_approved"),
                                                   ("deny", 1, "registration_denied"),
                                                   ("cancel", 0, "registration_cancelled")])
def test_registration_status(admin: Admin, api: Api, receiver: Receiver, kind: str,  # noqa: F811
                             action: str, approval: int, event: str) -> None:
    m = make(api, kind, start_time=FUTURE, settings={"approval_type": approval})
    one, two = unique_email("one"), unique_email("two")
    r1, r2 = register(api, kind, m["id"], one, "One"), register(api, kind, m["id"], two, "Two")
    subscribe(admin, api, receiver, [f"{kind}.registration_approved", f"{kind}.registration_denied",
                                     f"{kind}.registration_cancelled"])
    r = api.put(f"/{kind}s/{m['id']}/registrants/status",
                json={"action": action, "registrants": [{"id": r1}, {"email": two}, {"id": "nobody"}]})
    assert r.status_code == 204, r.text
    payloads = heard(receiver, f"{kind}.{event}", 2)
    got = {p["object"]["registrant"]["id"]: p for p in payloads}
    assert set(got) == {r1, r2}
    reg = got[r1]["object"]["registrant"]
    assert (reg["email"], reg["first_name"], reg["last_name"]) == (one, "One", "Chill")
    assert ("join_url" in reg) == (action == "approve")
    assert got[r1]["operator_id"] == api.owner_id and got[r1]["object"]["id"] == m["id"]
    # the same action again changes nobody: nothing more
    assert api.put(f"/{kind}s/{m['id']}/registrants/status",
                   json={"action": action, "registrants": [{"id": r1}]}).status_code == 204
    receiver.quiet(0.5)
    assert [d.event for d in receiver.deliveries] == [f"{kind}.{event}"] * 2


# ---- live streaming -------------------------------------------------------------------------

def _streaming(admin: Admin, api: Api) -> dict[str, Any]:
    m = make(api, "meeting", topic="On air")
    assert api.patch(f"/meetings/{m['id']}/livestream", json={**DEST, "resolution": "1080p"}).status_code == 204
    admin.call("POST", f"/meetings/{m['id']}/start")
    return m


def test_live_streaming_started(admin: Admin, api: Api, receiver: Receiver, clock: Admin) -> None:  # noqa: F811
    at = now_frozen(clock, api)
    m = _streaming(admin, api)
    subscribe(admin, api, receiver, ["meeting.live_streaming_started"])
    assert api.patch(f"/meetings/{m['id']}/livestream/status", json={"action": "start"}).status_code == 204
    (p,) = heard(receiver, "meeting.live_streaming_started")
    o = p["object"]
    assert (o["id"], o["uuid"], o["topic"], o["start_time"]) == (m["id"], m["uuid"], "On air", clockmod.iso(at))
    assert o["live_streaming"] == {"service": "Custom_Live_Streaming_Service",
                                   "custom_live_streaming_settings": {**DEST, "resolution": "1080p"},
                                   "date_time": clockmod.iso(at)}
    mode = {"action": "mode", "settings": {"layout": "gallery_view"}}
    assert api.patch(f"/meetings/{m['id']}/livestream/status", json=mode).status_code == 204
    receiver.quiet(0.5)                         # a mode change is no start


def test_live_streaming_stopped(admin: Admin, api: Api, receiver: Receiver, clock: Admin) -> None:  # noqa: F811
    at = now_frozen(clock, api)
    m = _streaming(admin, api)
    subscribe(admin, api, receiver, ["meeting.live_streaming_stopped"])
    assert api.patch(f"/meetings/{m['id']}/livestream/status", json={"action": "start"}).status_code == 204
    clock.clock(advance_seconds=120)
    assert api.patch(f"/meetings/{m['id']}/livestream/status", json={"action": "stop"}).status_code == 204
    (p,) = heard(receiver, "meeting.live_streaming_stopped")
    assert p["object"]["live_streaming"]["date_time"] == clockmod.iso(at + 120)
    assert p["operator_id"] == api.owner_id
    # stopping a stream that is not running fails: no event
    assert api.patch(f"/meetings/{m['id']}/livestream/status", json={"action": "stop"}).status_code == 400
    receiver.quiet(0.5)


# ---- who hears what -----------------------------------------------------------------------------

def test_a_user_scoped_subscription_hears_its_users_only(admin: Admin, api: Api,
                                                         receiver: Receiver) -> None:  # noqa: F811
    member = admin.member(api)
    subscribe(admin, api, receiver, ["meeting.created", "meeting.deleted"], subscription_scope="user",
              user_ids=[member.owner_id])
    mine = make(api, "meeting", topic="The owner's")
    theirs = make(api, "meeting", user=member.owner_id, topic="The member's")
    own = make(member, "meeting", topic="Made by the member")
    assert api.delete(f"/meetings/{mine['id']}").status_code == 204
    assert api.delete(f"/meetings/{theirs['id']}").status_code == 204
    created = heard(receiver, "meeting.created", 2)
    assert {p["object"]["id"] for p in created} == {theirs["id"], own["id"]}
    (gone,) = heard(receiver, "meeting.deleted")
    assert gone["object"]["id"] == theirs["id"]
    receiver.quiet(0.5)
    assert len(receiver.deliveries) == 3
    assert all(d.body["payload"]["object"]["host_id"] == member.owner_id for d in receiver.deliveries)


def test_v1_webinar_create_emits_webinar_created(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["webinar.created"])
    w = v1_webinar(api, topic="Legacy launch")
    (p,) = heard(receiver, "webinar.created")
    assert (p["object"]["id"], p["object"]["topic"], p["object"]["host_id"]) == (int(w["id"]), "Legacy launch",
                                                                               api.owner_id)
    assert p["operator_id"] == api.owner_id


def test_every_meeting_and_webinar_event_has_a_builder() -> None:
    family = ("meeting.", "webinar.")
    emitted = {e for events in catalog.OPERATION_EVENTS.values() for e in events if e.startswith(family)}
    assert emitted and emitted <= set(BUILDERS), emitted - set(BUILDERS)
    stepped = {e for kinds in catalog.STEP_EVENTS.values() for events in kinds.values() for e in events
               if e.startswith(family)}
    assert stepped and stepped <= set(STEP_BUILDERS), stepped - set(STEP_BUILDERS)
    ours = {op for op, events in catalog.OPERATION_EVENTS.items() if any(e.startswith(family) for e in events)}
    assert {catalog.BEFORE[op] for op in ours if op in catalog.BEFORE} <= set(LOADERS)


def test_a_webinar_registrant_names_its_tracking_source(admin: Admin, api: Api,
                                                         receiver: Receiver) -> None:  # noqa: F811
    w = make(api, "webinar", start_time=FUTURE, settings={"approval_type": 0})
    source = admin.call("POST", f"/webinars/{w['id']}/tracking_sources", {"source_name": "newsletter"})
    subscribe(admin, api, receiver, ["webinar.registration_created"])
    r = api.post(f"/webinars/{w['id']}/registrants", json={"email": unique_email("src"), "first_name": "Sam",
                                                            "source_id": source["id"]})
    assert r.status_code == 201, r.text
    (p,) = heard(receiver, "webinar.registration_created")
    assert p["object"]["registrant"]["tracking_source"] == {"id": source["id"], "source_name": "newsletter",
                                                            "tracking_url": source["tracking_url"]}
