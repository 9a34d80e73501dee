"""Webhooks with `zoomsim serve` as real processes: deliveries survive `kill -9` (a retry that
was pending, rows committed but never tried), and with two workers on PostgreSQL every try of
every delivery is made exactly once."""
from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from procs import ServeProcess
from support import free_port, pg_schema
from webhook_kit import Receiver, check_delivery
from zoomsim import clock as clockmod


class Tenant:
    """An account of a served process, with its app's token and its subscriptions."""

    def __init__(self, srv: ServeProcess) -> None:
        self.srv = srv
        out = srv.admin("POST", "/accounts", {"plan": "business"})
        self.account_id = out["account_id"]
        self.app = out["apps"][0]
        self.token = srv.token(self.app["client_id"], self.app["client_secret"], self.account_id)

    def secret(self) -> str:
        apps = self.srv.admin("GET", f"/accounts/{self.account_id}")["apps"]
        return str(next(a["secret_token"] for a in apps if a["client_id"] == self.app["client_id"]))

    def subscribe(self, url: str, validate: bool = True) -> None:
        self.srv.admin("POST", f"/accounts/{self.account_id}/apps/{self.app['client_id']}/event_subscriptions",
                       {"events": ["meeting.created"], "event_webhook_url": url, "validate": validate})

    def create_meeting(self, topic: str) -> int:
        r = httpx.post(self.srv.url + "/v2/users/me/meetings", json={"topic": topic}, timeout=30,
                       headers={"Authorization": f"Bearer {self.token}", "Connection": "close"})
        assert r.status_code == 201, r.text
        return int(r.json()["id"])

    def deliveries(self, srv: ServeProcess | None = None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        after = 0
        while True:
            page = (srv or self.srv).admin(
                "GET", f"/webhooks/deliveries?account_id={self.account_id}&after={after}&limit=1000")["deliveries"]
            out += page
            if len(page) < 1000:
                return out
            after = page[-1]["seq"]

    def wait_tries(self, count: int, tries: int, srv: ServeProcess | None = None,
                   timeout: float = 30.0) -> list[dict[str, Any]]:
        """The account's deliveries once `count` of them have `tries` tries recorded."""
        deadline = time.time() + timeout
        while True:
            found = self.deliveries(srv)
            if sum(len(d["tries"]) >= tries for d in found) >= count or time.time() > deadline:
                assert sum(len(d["tries"]) >= tries for d in found) >= count, found[:3]
                return found
            time.sleep(0.05)


def freeze(srv: ServeProcess) -> None:
    srv.admin("POST", "/clock", {"now": clockmod.iso(time.time())})


def advance(srv: ServeProcess, seconds: float) -> None:
    srv.admin("POST", "/clock", {"advance_seconds": seconds})


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


# ---- kill -9 and a restart (SQLite file, one worker) --------------------------------------------

@pytest.mark.parametrize("failure", ["refused", "status_500"])
def test_a_pending_retry_goes_out_after_kill_9(tmp_path: Path, failure: str) -> None:
    url = f"sqlite:///{tmp_path / 'hooks.db'}"
    log = tmp_path / "serve.log"
    port = free_port()                 # the receiver's; it comes back there after the crash
    srv = ServeProcess(url, rate_limits=False, log=log).start()
    first = later = None
    try:
        freeze(srv)
        t = Tenant(srv)
        if failure == "refused":
            t.subscribe(f"http://127.0.0.1:{port}/zoom/webhook", validate=False)     # nothing listens yet
        else:
            first = Receiver(status=500, secret=t.secret(), port=port).start()
            t.subscribe(first.url)
        meeting_id = t.create_meeting("Across a crash")
        (pending,) = t.wait_tries(1, 1)
        assert pending["state"] == "pending"
        assert pending["tries"][0]["failed_reason_type"] == (2 if failure == "refused" else 7)
        srv.kill()
        if first is not None:
            first.stop()
        srv = t.srv = ServeProcess(url, rate_limits=False, log=log).start()
        later = Receiver(secret=t.secret(), port=port).start()
        assert later.url == pending["url"]
        advance(srv, 299)
        later.quiet(0.7)                                   # the schedule survived the crash too
        advance(srv, 2)
        (d,) = later.wait(1)
        check_delivery(d)
        assert d.headers["x-zm-trackingid"] == pending["trace_id"]
        assert d.body["payload"]["object"]["id"] == meeting_id
        (done,) = t.wait_tries(1, 2)
        assert done["state"] == "delivered" and [x["retry_num"] for x in done["tries"]] == [0, 1]
    finally:
        srv.kill()
        if later is not None:
            later.stop()


def test_rows_committed_but_never_tried_go_out_after_restart(tmp_path: Path, receiver: Receiver,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'hooks.db'}"
    log = tmp_path / "serve.log"
    monkeypatch.setenv("ZOOMSIM_WEBHOOKS", "0")        # the sender is off: rows are written, none is sent
    srv = ServeProcess(url, rate_limits=False, log=log).start()
    try:
        t = Tenant(srv)
        receiver.secret = t.secret()
        t.subscribe(receiver.url)
        made = {t.create_meeting(f"Never tried {n}") for n in range(3)}
        waiting = t.deliveries()
        assert [(d["state"], d["attempts"], d["tries"]) for d in waiting] == [("pending", 0, [])] * 3
        srv.kill()
        assert receiver.deliveries == []
        monkeypatch.delenv("ZOOMSIM_WEBHOOKS")
        srv = t.srv = ServeProcess(url, rate_limits=False, log=log).start()
        got = receiver.wait(3)
        for d in got:
            check_delivery(d)
        assert {d.body["payload"]["object"]["id"] for d in got} == made
        assert sorted(d.headers["x-zm-trackingid"] for d in got) == sorted(d["trace_id"] for d in waiting)
        assert {d["state"] for d in t.wait_tries(3, 1)} == {"delivered"}
        receiver.quiet(0.5)
        assert len(receiver.deliveries) == 3
    finally:
        srv.kill()


# ---- two workers on PostgreSQL: once per attempt --------------------------------------------------

@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    yield from pg_schema("zs_hooks")


@pytest.fixture(scope="module")
def two_workers(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """Two servers of two workers each on one database: every worker runs its own sender, so
    four senders claim from the same outbox while the four workers fill it."""
    srv = ServeProcess(pg_url, workers=2, rate_limits=False,
                       log=tmp_path_factory.mktemp("hooks") / "serve.log").start()
    other = ServeProcess(pg_url, workers=2, rate_limits=False,
                         log=tmp_path_factory.mktemp("hooks") / "serve2.log").start()
    yield srv
    srv.admin("POST", "/clock", {"mode": "real"})
    other.stop()
    srv.stop()


CREATES = 200


def _create_many(t: Tenant, n: int) -> set[int]:
    with ThreadPoolExecutor(32) as pool:        # fresh connections: both workers take some
        return set(pool.map(lambda i: t.create_meeting(f"Parallel {i}"), range(n)))


def test_each_delivery_once_with_two_workers(two_workers: ServeProcess, receiver: Receiver) -> None:
    t = Tenant(two_workers)
    receiver.secret = t.secret()
    t.subscribe(receiver.url)
    made = _create_many(t, CREATES)
    assert len(made) == CREATES
    receiver.wait(CREATES, timeout=60)
    t.wait_tries(CREATES, 1, timeout=60)
    receiver.quiet(1.0)
    per_tracking = Counter(d.headers["x-zm-trackingid"] for d in receiver.deliveries)
    assert len(per_tracking) == CREATES and set(per_tracking.values()) == {1}
    assert Counter(d.body["payload"]["object"]["id"] for d in receiver.deliveries) == Counter(made)
    logged = t.deliveries()
    assert {d["trace_id"] for d in logged} == set(per_tracking)
    assert all(len(d["tries"]) == 1 for d in logged)
    # a try the receiver answered after 3 s (a loaded test machine) failed and waits for its retry
    # 5 minutes on; the receiver still got it exactly once
    assert all(d["state"] == "delivered" or (d["state"] == "pending" and d["tries"][0]["failed_reason_type"] == 1)
               for d in logged), [d["tries"] for d in logged if d["state"] != "delivered"]


def test_each_retry_once_with_two_workers(two_workers: ServeProcess, receiver: Receiver) -> None:
    freeze(two_workers)
    try:
        t = Tenant(two_workers)
        receiver.secret = t.secret()
        t.subscribe(receiver.url)
        receiver.status = 500
        made = _create_many(t, CREATES)
        receiver.wait(CREATES, timeout=60)
        t.wait_tries(CREATES, 1, timeout=60)           # every first try recorded, each retry scheduled
        receiver.quiet(1.0)
        assert len(receiver.deliveries) == CREATES
        advance(two_workers, 301)
        receiver.wait(2 * CREATES, timeout=60)
        logged = t.wait_tries(CREATES, 2, timeout=60)
        receiver.quiet(1.0)
        per_tracking = Counter(d.headers["x-zm-trackingid"] for d in receiver.deliveries)
        assert len(per_tracking) == CREATES and set(per_tracking.values()) == {2}
        assert Counter(d.body["payload"]["object"]["id"] for d in receiver.deliveries) == \
            Counter({m: 2 for m in made})
        assert all([x["retry_num"] for x in d["tries"]] == [0, 1] for d in logged)
        assert all(d["state"] == "pending" and d["attempts"] == 2 for d in logged)
    finally:
        two_workers.admin("POST", "/clock", {"mode": "real"})
