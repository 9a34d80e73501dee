"""Webhook fault rules over HTTP, both backends, against real receivers: a duplicate that an
idempotent receiver must drop, a delivery held back on zoomsim's clock so a later event
overtakes it, copies sent later, matching by event and subscription, the determinism of a
seeded delay, a rolled-back change counting nothing, and the rules' own errors."""
from __future__ import annotations

import time
from typing import Any, Iterator

import pytest

from support import Admin, Api, expect_error, freeze, new_meeting
from ui_kit import Dashboard
import webhook_kit
from webhook_kit import Delivery, Receiver, check_delivery, subscribe
from zoomsim import clock as clockmod

receiver = webhook_kit.receiver     # the fixture


@pytest.fixture
def faults(admin: Admin) -> Iterator[Admin]:
    """The admin client; every rule is gone after the test (rules are server-wide)."""
    yield admin
    admin.call("DELETE", "/faults")


def rule(admin: Admin, api: Api, effect: dict[str, Any], **match: Any) -> dict[str, Any]:
    body = {"match": {"operation": "webhook", "account_id": api.account_id, **match}, "effect": effect}
    return admin.call("POST", "/faults", body)  # type: ignore[no-any-return]


def deliveries(admin: Admin, api: Api) -> list[dict[str, Any]]:
    return admin.call("GET", f"/webhooks/deliveries?account_id={api.account_id}")["deliveries"]  # type: ignore


def frozen_now(clock: Admin, api: Api) -> None:
    freeze(clock, api, clockmod.iso(time.time()))


class IdempotentReceiver:
    """What a receiver should do: act once per event, whatever Zoom sends twice. Zoom's
    deliveries of one event carry the same x-zm-trackingid and body."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.acted: list[str] = []

    def handle(self, d: Delivery) -> None:
        key = d.headers["x-zm-trackingid"]
        if key in self.seen:
            return
        self.seen.add(key)
        self.acted.append(d.body["payload"]["object"]["topic"])


def test_a_duplicate_reaches_the_receiver_which_acts_once(faults: Admin, api: Api, receiver: Receiver) -> None:
    subscribe(faults, api, receiver, ["meeting.created"])
    made = rule(faults, api, {"duplicate": 1}, event="meeting.created", nth=1)
    new_meeting(api, topic="Twice")
    new_meeting(api, topic="Once")
    got = receiver.wait(3)
    receiver.quiet(0.5)
    assert len(receiver.deliveries) == 3
    twice = [d for d in got if d.body["payload"]["object"]["topic"] == "Twice"]
    assert len(twice) == 2 and twice[0].raw == twice[1].raw           # the same event, byte for byte
    assert twice[0].headers["x-zm-trackingid"] == twice[1].headers["x-zm-trackingid"]
    assert all(d.signature_ok and d.fresh for d in got)                # each signed as Zoom signs
    for d in got:
        check_delivery(d)
    idem = IdempotentReceiver()
    for d in got:
        idem.handle(d)
    assert sorted(idem.acted) == ["Once", "Twice"]
    listed = deliveries(faults, api)
    assert [d["fault"] for d in listed].count(made["id"]) == 2          # the original and its copy
    assert len({d["request_id"] for d in listed}) == 3                  # each a delivery of its own
    assert all(d["state"] == "delivered" for d in listed)
    seen = faults.call("GET", f"/faults/{made['id']}")
    assert seen["matched"] == 2 and seen["fired"] == 1
    board = Dashboard(api.server).sign_in()          # the dashboard marks both
    assert board.get("/webhooks", params={"account": api.account_id}).text.count('class="badge warn fault"') == 2
    marked = next(d for d in listed if d["fault"])
    assert f"copied by fault rule <code>{made['id']}</code>" in board.get(f"/webhooks/{marked['seq']}").text


def test_a_late_delivery_is_overtaken_by_the_next_event(faults: Admin, clock: Admin, api: Api,
                                                        receiver: Receiver) -> None:
    frozen_now(clock, api)
    subscribe(faults, api, receiver, ["meeting.created", "meeting.updated"])
    rule(faults, api, {"delay_seconds": 30}, event="meeting.created")
    meeting = new_meeting(api, topic="Late")
    assert api.patch(f"/meetings/{meeting['id']}", json={"topic": "Later"}).status_code == 204
    receiver.wait(1)
    receiver.quiet(0.7)
    assert [d.event for d in receiver.deliveries] == ["meeting.updated"]      # the update came first
    (held,) = [d for d in deliveries(faults, api) if d["event"] == "meeting.created"]
    assert held["state"] == "pending" and held["attempts"] == 0 and held["tries"] == []
    created_at = clockmod.parse_iso(held["created_at"])
    assert clockmod.parse_iso(held["next_retry"]) == pytest.approx(created_at + 30, abs=1)
    clock.clock(advance_seconds=29)
    receiver.quiet(0.7)
    clock.clock(advance_seconds=2)
    receiver.wait(2)
    assert [d.event for d in receiver.deliveries] == ["meeting.updated", "meeting.created"]
    late = receiver.deliveries[1]
    assert late.body["payload"]["object"]["topic"] == "Late"      # as it was when it happened
    assert late.body["event_ts"] <= receiver.deliveries[0].body["event_ts"]           # its own time, not the send's


def test_copies_come_later_on_the_clock(faults: Admin, clock: Admin, api: Api, receiver: Receiver) -> None:
    frozen_now(clock, api)
    subscribe(faults, api, receiver, ["meeting.created"])
    rule(faults, api, {"duplicate": 2, "duplicate_after_seconds": 60})
    new_meeting(api, topic="Echo")
    receiver.wait(1)
    receiver.quiet(0.7)
    clock.clock(advance_seconds=61)
    got = receiver.wait(3)
    assert len({d.raw for d in got}) == 1


def test_matching_by_subscription_and_event(faults: Admin, admin: Admin, api: Api, receiver: Receiver) -> None:
    other = Receiver().start()
    try:
        first = subscribe(faults, api, receiver, ["meeting.created", "meeting.deleted"])
        subscribe(faults, api, other, ["meeting.created"])
        other.secret = receiver.secret
        rule(faults, api, {"duplicate": 1}, subscription_id=first["event_subscription_id"], event="meeting.created")
        meeting = new_meeting(api, topic="Two listeners")
        assert api.delete(f"/meetings/{meeting['id']}").status_code == 204
        receiver.wait(3)
        other.wait(1)
        receiver.quiet(0.5)
        other.quiet(0.2)
        assert sorted(d.event for d in receiver.deliveries) == ["meeting.created", "meeting.created",
                                                               "meeting.deleted"]
        assert [d.event for d in other.deliveries] == ["meeting.created"]
    finally:
        other.stop()


def test_a_seeded_delay_repeats_and_reorders(faults: Admin, clock: Admin, api: Api, receiver: Receiver) -> None:
    frozen_now(clock, api)
    subscribe(faults, api, receiver, ["meeting.created"])
    from zoomsim.faults.rules import draw

    def delays(seed: int) -> list[float]:
        faults.call("DELETE", "/faults")
        made = faults.call("POST", "/faults", {"match": {"operation": "webhook", "account_id": api.account_id},
                                               "effect": {"delay": {"distribution": "uniform", "min_seconds": 10,
                                                                    "max_seconds": 100}}, "seed": seed})
        start = len(deliveries(faults, api))
        for n in range(6):
            new_meeting(api, topic=f"m{n}")
        listed = deliveries(faults, api)[start:]
        assert all(d["fault"] == made["id"] for d in listed)
        return [clockmod.parse_iso(d["next_retry"]) - clockmod.parse_iso(d["created_at"]) for d in listed]

    first = delays(3)
    assert first == pytest.approx([10 + 90 * draw(3, k, "delay") for k in range(1, 7)], abs=1)
    assert delays(3) == pytest.approx(first, abs=0.01)
    assert sorted(first) != first                     # held back by different amounts: out of order
    clock.clock(advance_seconds=101)
    got = receiver.wait(12)
    assert len(got) == 12


def test_a_rolled_back_change_counts_nothing(faults: Admin, api: Api, receiver: Receiver) -> None:
    subscribe(faults, api, receiver, ["meeting.created"])
    made = rule(faults, api, {"duplicate": 1})
    expect_error(api.post("/users/me/meetings", json={"topic": "x" * 300}), 400, 300)
    assert faults.call("GET", f"/faults/{made['id']}")["matched"] == 0
    new_meeting(api)
    receiver.wait(2)
    assert faults.call("GET", f"/faults/{made['id']}")["matched"] == 1


def test_webhook_rules_leave_requests_alone(faults: Admin, api: Api) -> None:
    rule(faults, api, {"delay_seconds": 5})
    assert api.get("/users/me").status_code == 200
    assert new_meeting(api)["id"]


@pytest.mark.parametrize("body,field", [
    ({"match": {"operation": "webhook"}, "effect": {"status": 500}}, "effect.status"),
    ({"match": {"operation": "webhook"}, "effect": {"delay_seconds": -1}}, "effect.delay_seconds"),
    ({"match": {"operation": "webhook"}, "effect": {"delay_seconds": 8 * 86_400}}, "effect.delay_seconds"),
    ({"match": {"operation": "webhook"}, "effect": {"duplicate": 0}}, "effect.duplicate"),
    ({"match": {"operation": "webhook"}, "effect": {"duplicate": 11}}, "effect.duplicate"),
    ({"match": {"operation": "webhook"}, "effect": {"duplicate_after_seconds": 5}}, "effect.duplicate"),
    ({"match": {"operation": "webhook"}, "effect": {"delay_seconds": 1, "delay": {}}}, "effect.delay"),
    ({"match": {"operation": "webhook"}, "effect": {"delay": {"distribution": "normal"}}},
     "effect.delay.distribution"),
    ({"match": {"operation": "webhook"}, "effect": {"delay": {"distribution": "uniform", "min_seconds": 9,
                                                              "max_seconds": 3}}}, "effect.delay.max_seconds"),
    ({"match": {"operation": "webhook", "method": "POST"}, "effect": {"duplicate": 1}}, "match.method"),
    ({"match": {"operation": "meetingCreate", "event": "meeting.created"}, "effect": {"status": 500}},
     "match.event"),
    ({"match": {"subscription_id": "x"}, "effect": {"status": 500}}, "match.subscription_id"),
    ({"match": {"operation": "meetingCreate"}, "effect": {"duplicate": 1}}, "effect"),
])
def test_bad_webhook_rules_name_the_field(faults: Admin, body: dict[str, Any], field: str) -> None:
    r = faults.http.post("/_zoomsim/faults", json=body)
    assert r.status_code == 400 and r.json()["code"] == 300, r.text
    assert r.json()["errors"][0]["field"] == field, r.text
    assert faults.call("GET", "/faults")["faults"] == []


def test_the_nth_delivery_across_two_workers(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Two workers on one PostgreSQL database: "the 3rd meeting.created" is the 3rd meeting made,
    whichever worker wrote each one."""
    import httpx

    from procs import ServeProcess
    from support import pg_schema

    for url in pg_schema("zs_faults_hooks"):
        srv = ServeProcess(url, workers=2, rate_limits=False, log=tmp_path_factory.mktemp("hooks") / "s.log").start()
        hook = Receiver().start()
        try:
            out = srv.admin("POST", "/accounts", {"plan": "business"})
            app, account = out["apps"][0], out["account_id"]
            hook.secret = next(a["secret_token"] for a in srv.admin("GET", f"/accounts/{account}")["apps"]
                               if a["client_id"] == app["client_id"])
            srv.admin("POST", f"/accounts/{account}/apps/{app['client_id']}/event_subscriptions",
                      {"events": ["meeting.created"], "event_webhook_url": hook.url})
            srv.admin("POST", "/faults", {"match": {"operation": "webhook", "account_id": account, "nth": 3},
                                          "effect": {"duplicate": 1}})
            token = srv.token(app["client_id"], app["client_secret"], account)
            for n in range(1, 6):                # fresh connections: both workers take some
                r = httpx.post(srv.url + "/v2/users/me/meetings", json={"topic": f"m{n}"}, timeout=30,
                               headers={"Authorization": f"Bearer {token}", "Connection": "close"})
                assert r.status_code == 201, r.text
            got = hook.wait(6)
            hook.quiet(0.5)
            topics = sorted(d.body["payload"]["object"]["topic"] for d in got)
            assert topics == ["m1", "m2", "m3", "m3", "m4", "m5"]
        finally:
            hook.stop()
            srv.stop()
