"""Webhooks of the simulation's steps: started, participant joined / left, chat message sent and
ended, for meetings and webinars, from every path that runs a step (the admin step routes, the
one-call run, PUT .../status {"action": "end"}, deleting a running meeting). Times come from
the step, not the clock of the delivery; a failed step sends nothing."""
from __future__ import annotations

from typing import Any

import pytest
from support import Admin, Api, unique_email
from test_webhooks_meetings import KINDS, heard, make, now_frozen, register
from webhook_kit import Receiver, receiver, subscribe  # noqa: F401

from zoomsim import clock as clockmod
from zoomsim.simulation import bulk

FUTURE = "2031-03-10T15:00:00Z"


def sim(admin: Admin, kind: str, mid: int, path: str, json: Any = None, method: str = "POST") -> Any:
    r = admin.http.request(method, f"/_zoomsim/{kind}s/{mid}{path}", json=json)
    assert r.status_code < 300, r.text
    return r.json()


def running(admin: Admin, api: Api, kind: str, **body: Any) -> dict[str, Any]:
    m = make(api, kind, **body)
    sim(admin, kind, m["id"], "/start")
    return m


@pytest.mark.parametrize("kind", KINDS)
def test_started(admin: Admin, api: Api, receiver: Receiver, clock: Admin, kind: str) -> None:  # noqa: F811
    at = now_frozen(clock, api)
    m = make(api, kind, topic="Stand-up", duration=25, timezone="Europe/Paris")
    subscribe(admin, api, receiver, [f"{kind}.started"])
    sim(admin, kind, m["id"], "/start")
    (p,) = heard(receiver, f"{kind}.started")
    assert p["object"] == {"id": str(m["id"]), "uuid": m["uuid"], "host_id": api.owner_id, "topic": "Stand-up",
                           "type": m["type"], "start_time": clockmod.iso(at), "timezone": "Europe/Paris",
                           "duration": 25}
    r = admin.http.post(f"/_zoomsim/{kind}s/{m['id']}/start")      # already running: refused, nothing sent
    assert r.status_code == 400
    receiver.quiet(0.5)


@pytest.mark.parametrize("kind", KINDS)
def test_participant_joined(admin: Admin, api: Api, receiver: Receiver, clock: Admin, kind: str) -> None:  # noqa: F811
    at = now_frozen(clock, api)
    m = running(admin, api, kind, start_time=FUTURE, settings={"approval_type": 0})
    email = unique_email("reg")
    rid = register(api, kind, m["id"], email, "Rita")
    subscribe(admin, api, receiver, [f"{kind}.participant_joined"])
    clock.clock(advance_seconds=60)
    host = sim(admin, kind, m["id"], "/participants", {"user_id": api.owner_id})
    guest = sim(admin, kind, m["id"], "/participants", {"registrant_id": rid, "customer_key": "ck-1"})
    got = {p["object"]["participant"]["user_id"]: p for p in heard(receiver, f"{kind}.participant_joined", 2)}
    first, second = got[host["participant_id"]], got[guest["participant_id"]]
    assert first["object"]["id"] == str(m["id"]) and first["object"]["uuid"] == m["uuid"]
    assert first["object"]["start_time"] == clockmod.iso(at)
    hp = first["object"]["participant"]
    assert (hp["user_id"], hp["id"], hp["join_time"]) == (host["participant_id"], api.owner_id,
                                                          clockmod.iso(at + 60))
    gp = second["object"]["participant"]
    assert (gp["user_id"], gp["user_name"], gp["email"], gp["registrant_id"], gp["id"], gp["customer_key"]) == \
        (guest["participant_id"], "Rita Chill", email, rid, "", "ck-1")
    assert gp["participant_user_id"] == guest["participant_user_id"]
    # someone held in the waiting room has not joined the meeting (Zoom's waiting-room events tell of it)
    sim(admin, kind, m["id"], "/participants", {"name": "Wai", "email": "wai@example.com", "in_waiting_room": True})
    # a join to a meeting that is not running fails and emits nothing
    idle = make(api, kind)
    assert admin.http.post(f"/_zoomsim/{kind}s/{idle['id']}/participants", json={"name": "X"}).status_code == 400
    receiver.quiet(0.5)


@pytest.mark.parametrize("kind", KINDS)
def test_participant_left(admin: Admin, api: Api, receiver: Receiver, clock: Admin, kind: str) -> None:  # noqa: F811
    at = now_frozen(clock, api)
    m = running(admin, api, kind)
    ann = sim(admin, kind, m["id"], "/participants", {"name": "Ann Lee", "email": "ann@example.com"})
    subscribe(admin, api, receiver, [f"{kind}.participant_left"])
    clock.clock(advance_seconds=300)
    sim(admin, kind, m["id"], f"/participants/{ann['participant_id']}", method="DELETE")
    (p,) = heard(receiver, f"{kind}.participant_left")
    part = p["object"]["participant"]
    assert (part["user_id"], part["user_name"], part["email"], part["leave_time"]) == \
        (ann["participant_id"], "Ann Lee", "ann@example.com", clockmod.iso(at + 300))
    assert part["leave_reason"] == f"Ann Lee left the {kind}."
    r = admin.http.delete(f"/_zoomsim/{kind}s/{m['id']}/participants/{ann['participant_id']}")
    assert r.status_code == 404                  # left already: nothing more
    receiver.quiet(0.5)


@pytest.mark.parametrize("kind", KINDS)
def test_chat_message_sent(admin: Admin, api: Api, receiver: Receiver, clock: Admin, kind: str) -> None:  # noqa: F811
    at = now_frozen(clock, api)
    m = running(admin, api, kind)
    host = sim(admin, kind, m["id"], "/participants", {"user_id": api.owner_id})
    bo = sim(admin, kind, m["id"], "/participants", {"name": "Bo", "email": "bo@example.com"})
    subscribe(admin, api, receiver, [f"{kind}.chat_message_sent"])
    clock.clock(advance_seconds=30)
    said = sim(admin, kind, m["id"], "/chat", {"participant_id": bo["participant_id"], "message": "Hello, all é"})
    private = sim(admin, kind, m["id"], "/chat", {"participant_id": bo["participant_id"], "message": "psst",
                                                  "to": host["participant_id"], "files": ["notes.txt"]})
    got = {p["object"]["chat_message"]["message_id"]: p for p in heard(receiver, f"{kind}.chat_message_sent", 2)}
    first, second = got[said["message_id"]], got[private["message_id"]]     # deliveries may arrive in any order
    assert (first["object"]["id"], first["object"]["uuid"]) == (m["id"], m["uuid"])
    c = first["object"]["chat_message"]
    assert (c["message_id"], c["message_content"], c["date_time"]) == (said["message_id"], "Hello, all é",
                                                                       clockmod.iso(at + 30))
    assert (c["sender_session_id"], c["sender_name"], c["sender_email"], c["sender_type"], c["recipient_type"]) == \
        (bo["participant_id"], "Bo", "bo@example.com", "guest", "everyone")
    assert c["sender_context"] == c["recipient_context"] == kind
    d = second["object"]["chat_message"]
    assert (d["message_id"], d["recipient_session_id"], d["recipient_type"]) == \
        (private["message_id"], host["participant_id"], "host")
    assert d["file_ids"] == [f["file_id"] for f in private["files"]]


@pytest.mark.parametrize("kind", KINDS)
def test_ended(admin: Admin, api: Api, receiver: Receiver, clock: Admin, kind: str) -> None:  # noqa: F811
    at = now_frozen(clock, api)
    m = running(admin, api, kind, topic="Retro", duration=40)
    cy = sim(admin, kind, m["id"], "/participants", {"name": "Cy", "email": "cy@example.com"})
    subscribe(admin, api, receiver, [f"{kind}.ended", f"{kind}.participant_left"])
    clock.clock(advance_seconds=1200)
    sim(admin, kind, m["id"], "/end")
    (p,) = heard(receiver, f"{kind}.ended")
    o = p["object"]
    assert (o["id"], o["uuid"], o["topic"], o["duration"]) == (str(m["id"]), m["uuid"], "Retro", 40)
    assert (o["start_time"], o["end_time"]) == (clockmod.iso(at), clockmod.iso(at + 1200))
    # whoever was still in left when the host ended it
    (left,) = heard(receiver, f"{kind}.participant_left")
    part = left["object"]["participant"]
    assert part["user_id"] == cy["participant_id"] and part["leave_time"] == clockmod.iso(at + 1200)
    assert part["leave_reason"] == f"Cy left the {kind}.<br>Reason: Host ended the {kind}."


@pytest.mark.parametrize("kind", KINDS)
def test_the_api_end_emits_ended(admin: Admin, api: Api, receiver: Receiver, clock: Admin, kind: str) -> None:  # noqa: F811
    at = now_frozen(clock, api)
    m = running(admin, api, kind)
    subscribe(admin, api, receiver, [f"{kind}.ended"])
    clock.clock(advance_seconds=90)
    assert api.put(f"/{kind}s/{m['id']}/status", json={"action": "end"}).status_code == 204
    (p,) = heard(receiver, f"{kind}.ended")
    assert (p["object"]["uuid"], p["object"]["end_time"]) == (m["uuid"], clockmod.iso(at + 90))
    assert api.put(f"/{kind}s/{m['id']}/status", json={"action": "end"}).status_code == 400   # not running
    receiver.quiet(0.5)
    assert len(receiver.deliveries) == 1


def test_deleting_a_running_meeting_ends_it(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    m = running(admin, api, "meeting")
    subscribe(admin, api, receiver, ["meeting.ended", "meeting.deleted"])
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    (ended,) = heard(receiver, "meeting.ended")
    (gone,) = heard(receiver, "meeting.deleted")
    assert ended["object"]["uuid"] == m["uuid"] and gone["object"]["id"] == m["id"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_run_emits_each_step_at_its_time(admin: Admin, api: Api, receiver: Receiver, clock: Admin,  # noqa: F811
                                           kind: str) -> None:
    at = now_frozen(clock, api)
    m = make(api, kind, topic="Replayed")
    events = [f"{kind}.{e}" for e in ("started", "participant_joined", "participant_left", "chat_message_sent",
                                      "ended")]
    subscribe(admin, api, receiver, events)
    people = [{"name": f"P{i}", "email": f"p{i}@example.com"} for i in range(3)]
    out = sim(admin, kind, m["id"], "/run", {"duration_minutes": 30, "participants": people, "chat": 2, "seed": 7})
    begin = at - 1800
    (started,) = heard(receiver, f"{kind}.started")
    (ended,) = heard(receiver, f"{kind}.ended")
    assert started["object"]["start_time"] == clockmod.iso(begin)
    assert (ended["object"]["start_time"], ended["object"]["end_time"]) == (clockmod.iso(begin), clockmod.iso(at))
    sessions = len(out["participants"])        # the host and three people, some of them more than once
    joined = heard(receiver, f"{kind}.participant_joined", sessions)
    left = heard(receiver, f"{kind}.participant_left", sessions)
    chats = heard(receiver, f"{kind}.chat_message_sent", 2)
    by_id = {p["participant_id"]: p for p in out["participants"]}
    for p in joined:
        part = p["object"]["participant"]
        assert part["join_time"] == clockmod.iso(begin + by_id[part["user_id"]]["join_offset_seconds"])
    for p in left:
        part = p["object"]["participant"]
        assert begin <= clockmod.parse_iso(part["leave_time"]) <= at
    assert all(begin <= clockmod.parse_iso(c["object"]["chat_message"]["date_time"]) <= at for c in chats)
    receiver.quiet(0.5)
    assert len(receiver.deliveries) == 1 + 2 * sessions + 2 + 1     # each step once
    assert {p["object"]["participant"]["user_id"] for p in joined} == set(by_id)


def test_a_failed_run_emits_nothing(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    m = make(api, "meeting")
    subscribe(admin, api, receiver, ["meeting.started", "meeting.participant_joined", "meeting.ended"])
    r = admin.http.post(f"/_zoomsim/meetings/{m['id']}/run", json={"participants": 2, "qa": [{"participant": 99}]})
    assert r.status_code == 400, r.text          # rolled back after the start and the joins: nothing sent
    receiver.quiet(1.0)
    assert receiver.deliveries == []


def test_bulk_history_emits_nothing(admin: Admin, api: Api, backend: str, receiver: Receiver) -> None:  # noqa: F811
    """`zoomsim simulate` writes the past in bulk: no step of it is news to anyone."""
    events = [f"{k}.{e}" for k in KINDS for e in ("started", "participant_joined", "participant_left", "ended")]
    subscribe(admin, api, receiver, events)
    summary = bulk.simulate(backend, bulk.Plan(users=2, meetings=2, webinars=1, per_meeting=3, days=1, seed="quiet",
                                               account_id=api.account_id), progress=False)
    assert summary["account_id"] == api.account_id and summary["participants"] > 0
    receiver.quiet(1.0)
    assert receiver.deliveries == []
    assert admin.call("GET", f"/webhooks/deliveries?account_id={api.account_id}")["deliveries"] == []
