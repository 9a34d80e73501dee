"""Delivery as Zoom makes it, proven against real receivers: the retry schedule on zoomsim's
clock (5, 20, 60 minutes, then give up), what counts as success, timeouts and refused
connections, nothing from a failed request, a hanging receiver that never slows the API, the
OAuth custom header, and a real Node receiver that checks the signature as Zoom's sample does."""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs

import pytest

from support import Admin, Api, free_port, freeze, new_meeting
import webhook_kit
from webhook_kit import Receiver, check_delivery, secret_token, subscribe
from zoomsim import clock as clockmod
from zoomsim.webhooks import catalog, outbox

receiver = webhook_kit.receiver     # the fixture
NODE_RECEIVER = Path(__file__).parent / "node" / "webhook_receiver.js"


def deliveries(admin: Admin, api: Api, **filters: Any) -> list[dict[str, Any]]:
    query = "&".join(f"{k}={v}" for k, v in {"account_id": api.account_id, **filters}.items())
    return admin.call("GET", f"/webhooks/deliveries?{query}")["deliveries"]  # type: ignore[no-any-return]


def settled(admin: Admin, api: Api, tries: int, timeout: float = 15.0) -> dict[str, Any]:
    """The account's one delivery once `tries` tries of it are recorded."""
    deadline = time.time() + timeout
    while True:
        (d,) = deliveries(admin, api)
        if len(d["tries"]) >= tries or time.time() > deadline:
            assert len(d["tries"]) == tries, d
            return d
        time.sleep(0.02)


def frozen_now(clock: Admin, api: Api) -> None:
    freeze(clock, api, clockmod.iso(time.time()))


def advance(clock: Admin, seconds: float) -> None:
    clock.clock(advance_seconds=seconds)


# ---- the retry schedule -------------------------------------------------------------------------

def test_retries_fall_due_on_the_clock_then_give_up(clock: Admin, api: Api, receiver: Receiver) -> None:
    frozen_now(clock, api)
    subscribe(clock, api, receiver, ["meeting.created"])
    receiver.status = 500
    new_meeting(api, topic="Retry me")
    receiver.wait(1)                                   # the first try, at once
    settled(clock, api, 1)
    for n, gap in enumerate((300, 1200, 3600), start=2):   # each retry this long after the try before
        advance(clock, gap - 1)
        receiver.quiet(0.7)
        advance(clock, 2)
        receiver.wait(n)
        settled(clock, api, n)                         # recorded (and the next one scheduled) at this time
    advance(clock, 10 * 3600)                          # never again
    receiver.quiet(1.0)
    assert len(receiver.deliveries) == 4
    d = settled(clock, api, 4)
    assert d["state"] == "failed" and d["next_retry"] is None and d["attempts"] == 4
    assert [t["retry_num"] for t in d["tries"]] == [0, 1, 2, 3]
    assert all(t["status"] == 500 and not t["ok"] for t in d["tries"])
    tracking = {x.headers["x-zm-trackingid"] for x in receiver.deliveries}
    assert tracking == {d["trace_id"]}
    for x in receiver.deliveries:
        check_delivery(x)                              # each try freshly stamped and signed
        assert x.raw == receiver.deliveries[0].raw     # the same event each time
    logs = api.get(f"/marketplace/apps/{api.client_id}/webhook_logs",
                   params={"type": 1, "page_size": 300}).json()["webhook_logs"]
    mine = [e for e in logs if e["trace_id"] == d["trace_id"]]
    assert sorted(e["retry_num"] for e in mine) == [0, 1, 2, 3]
    assert {e["request_id"] for e in mine} == {d["request_id"]}


def test_success_on_the_second_retry_stops_retrying(clock: Admin, api: Api, receiver: Receiver) -> None:
    frozen_now(clock, api)
    subscribe(clock, api, receiver, ["meeting.created"])
    receiver.answer = lambda d: 200 if len(receiver.deliveries) >= 3 else 500
    new_meeting(api)
    receiver.wait(1)
    settled(clock, api, 1)
    advance(clock, 301)
    receiver.wait(2)
    settled(clock, api, 2)
    advance(clock, 1201)
    receiver.wait(3)
    d = settled(clock, api, 3)
    assert d["state"] == "delivered" and d["next_retry"] is None
    assert [t["ok"] for t in d["tries"]] == [False, False, True]
    advance(clock, 3 * 3600)
    receiver.quiet(1.0)
    assert len(receiver.deliveries) == 3


@pytest.mark.parametrize("status,ok", [(200, True), (204, True), (201, False), (302, False), (500, False)])
def test_which_answers_count_as_delivered(clock: Admin, api: Api, receiver: Receiver,
                                          status: int, ok: bool) -> None:
    frozen_now(clock, api)
    subscribe(clock, api, receiver, ["meeting.created"])
    receiver.status = status
    new_meeting(api)
    receiver.wait(1)
    d = settled(clock, api, 1)
    assert d["tries"][0]["status"] == status and d["tries"][0]["ok"] is ok
    assert d["state"] == ("delivered" if ok else "pending")
    if not ok:
        assert d["tries"][0]["failed_reason_type"] is not None
        assert clockmod.parse_iso(d["next_retry"]) - clockmod.parse_iso(d["tries"][0]["date_time"]) == 300


def test_a_slow_receiver_is_a_failure_and_is_retried(clock: Admin, api: Api, receiver: Receiver) -> None:
    frozen_now(clock, api)
    subscribe(clock, api, receiver, ["meeting.created"])
    receiver.delay = 3.5                               # answers after Zoom stopped waiting
    new_meeting(api)
    receiver.wait(1)
    receiver.delay = 0
    d = settled(clock, api, 1)
    assert d["state"] == "pending"
    assert d["tries"][0]["ok"] is False and d["tries"][0]["failed_reason_type"] == 1
    advance(clock, 301)
    receiver.wait(2)
    d = settled(clock, api, 2)
    assert d["state"] == "delivered" and d["tries"][1]["retry_num"] == 1


def test_a_refused_connection_is_a_failure(clock: Admin, api: Api) -> None:
    frozen_now(clock, api)
    port = free_port()                                 # nothing listens there
    clock.call("POST", f"/accounts/{api.account_id}/apps/{api.client_id}/event_subscriptions",
               {"events": ["meeting.created"], "event_webhook_url": f"http://127.0.0.1:{port}/hook",
                "validate": False})
    new_meeting(api)
    d = settled(clock, api, 1)
    assert d["state"] == "pending" and d["tries"][0]["failed_reason_type"] == 2
    assert d["tries"][0]["status"] in (-1, None) or d["tries"][0]["status"] < 100


# ---- nothing from a failed request ------------------------------------------------------------

def _call_with_an_error(admin: Admin, api: Api, op_id: str) -> int:
    """Call the operation so that it must answer an error: every path parameter names nothing
    (users are `me`, so body checks run) and the body is not what it expects."""
    op = admin.server.app.services.by_id[op_id]
    path = op.path.removeprefix("/v2")
    for seg in path.split("/"):
        if seg.startswith("{") and seg.endswith("}"):
            name = seg[1:-1]
            path = path.replace(seg, "me" if name in ("userId",) else "8" * 11 if "Id" in name or
                                name in ("meetingId", "webinarId") else "nope")
    body = {"type": "bogus", "start_time": "not a time", "action": "bogus", "email": "bad", "duration": -5,
            "topic": 5}
    r = api.request(op.method.upper(), path, json=body)
    return r.status_code


def test_no_event_from_a_request_that_failed(admin: Admin, api: Api, receiver: Receiver) -> None:
    every = sorted({e for events in catalog.OPERATION_EVENTS.values() for e in events})
    subscribe(admin, api, receiver, every)
    bad = api.post("/users/me/meetings", json={"topic": "x", "type": "bogus"})
    assert bad.status_code == 400
    bad = api.post("/users/me/meetings", json={"topic": "x" * 3000})
    assert bad.status_code in (300, 400)
    statuses = {op_id: _call_with_an_error(admin, api, op_id) for op_id in sorted(catalog.OPERATION_EVENTS)
                if op_id in admin.server.app.services.by_id}
    assert statuses and all(code >= 400 for code in statuses.values()), \
        {k: v for k, v in statuses.items() if v < 400}
    assert deliveries(admin, api) == []
    meeting = new_meeting(api, topic="The one that counts")    # a committed one, delivered after all of the above
    (d,) = receiver.wait(1)
    assert d.event == "meeting.created" and d.body["payload"]["object"]["id"] == meeting["id"]
    assert [x["event"] for x in deliveries(admin, api)] == ["meeting.created"]


def test_no_event_from_an_error_on_an_existing_meeting(admin: Admin, api: Api,
                                                      receiver: Receiver) -> None:
    meeting = new_meeting(api, type=2, start_time="2031-01-01T10:00:00Z", settings={"approval_type": 0})
    every = sorted({e for events in catalog.OPERATION_EVENTS.values() for e in events})
    subscribe(admin, api, receiver, every)
    mid = meeting["id"]
    answers = [
        api.patch(f"/meetings/{mid}", json={"type": "bogus"}),
        api.patch(f"/meetings/{mid}", json={"start_time": "not a time"}),
        api.put(f"/meetings/{mid}/status", json={"action": "bogus"}),
        api.post(f"/meetings/{mid}/registrants", json={"email": "not-an-email", "first_name": "A"}),
        api.put(f"/meetings/{mid}/registrants/status", json={"action": "bogus", "registrants": [{"id": "x"}]}),
        api.delete(f"/meetings/{mid}", params={"occurrence_id": "999"}),
    ]
    assert all(r.status_code >= 400 for r in answers), [(r.status_code, r.text) for r in answers]
    assert deliveries(admin, api) == []
    new_meeting(api, topic="Now it counts")
    (d,) = receiver.wait(1)
    assert d.event == "meeting.created"
    assert [x["event"] for x in deliveries(admin, api)] == ["meeting.created"]


def test_a_rolled_back_request_leaves_no_outbox_row(admin: Admin, api: Api, receiver: Receiver,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox row is written inside the request's transaction; a failure after it (forced
    here, just after the row is written) takes the meeting and the row back together."""
    if not hasattr(admin.server, "app"):
        pytest.skip("needs the in-process server")
    subscribe(admin, api, receiver, ["meeting.created"])
    real_emit = outbox.emit

    def emit_then_fail(services: Any, db: Any, account_id: str, emitted: Any) -> None:
        real_emit(services, db, account_id, emitted)
        if account_id == api.account_id:
            raise RuntimeError("after the outbox write")

    monkeypatch.setattr(outbox, "emit", emit_then_fail)
    r = api.post("/users/me/meetings", json={"topic": "Rolled back"})
    assert r.status_code == 500 and r.json()["code"] == 500
    monkeypatch.setattr(outbox, "emit", real_emit)
    assert api.get("/users/me/meetings").json()["meetings"] == []
    assert deliveries(admin, api) == []
    new_meeting(api, topic="Committed")
    (d,) = receiver.wait(1)
    assert d.body["payload"]["object"]["topic"] == "Committed"
    assert len(deliveries(admin, api)) == 1


# ---- a receiver that hangs never slows the API ----------------------------------------------------

def test_a_hanging_receiver_does_not_delay_answers(admin: Admin, api: Api, receiver: Receiver) -> None:
    subscribe(admin, api, receiver, ["meeting.created"])
    receiver.delay = 5
    first = new_meeting(api, topic="Hang")
    receiver.wait(1)                                   # the receiver now sleeps on this delivery
    later = [new_meeting(api, topic=f"Meanwhile {n}") for n in range(5)]
    assert api.get(f"/meetings/{first['id']}").status_code == 200
    # the try of the first delivery is still open: the API answered while the sender waited
    tries = [d["tries"] for d in deliveries(admin, api) if d["body"]["payload"]["object"]["id"] == first["id"]]
    assert tries == [[]]
    assert len(later) == 5


# ---- custom_header type 2: OAuth ------------------------------------------------------------------

class TokenEndpoint:
    """A small OAuth token endpoint: hands out tok-1, tok-2 ... (or fails with `status`)."""

    def __init__(self, expires_in: int = 3600) -> None:
        self.expires_in = expires_in
        self.status = 200
        self.requests: list[dict[str, Any]] = []

    def start(self) -> "TokenEndpoint":
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
                outer.requests.append({"headers": {k.lower(): v for k, v in self.headers.items()},
                                       "form": {k: v[0] for k, v in parse_qs(raw).items()}})
                out = json.dumps({"access_token": f"tok-{len(outer.requests)}", "token_type": "bearer",
                                  "expires_in": outer.expires_in}).encode()
                if outer.status != 200:
                    out = b'{"error":"invalid_client"}'
                self.send_response(outer.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/oauth/token"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def token_endpoint() -> Iterator[TokenEndpoint]:
    t = TokenEndpoint().start()
    yield t
    t.stop()


def _oauth_header(t: TokenEndpoint, auth: str) -> dict[str, Any]:
    return {"custom_header_type": 2, "client_id": "hook-client", "client_secret": "hook-secret",
            "token_url": t.url, "scope": "hooks:write", "client_authentication": auth}


def test_oauth_header_basic_auth_and_cached(clock: Admin, api: Api, receiver: Receiver,
                                            token_endpoint: TokenEndpoint) -> None:
    frozen_now(clock, api)
    subscribe(clock, api, receiver, ["meeting.created"], custom_header=_oauth_header(token_endpoint, "header"))
    for n in range(3):
        new_meeting(api, topic=f"OAuth {n}")
    got = receiver.wait(3)
    assert {d.headers["authorization"] for d in got} == {"Bearer tok-1"}
    for d in got:
        check_delivery(d)
    (req,) = token_endpoint.requests                   # one fetch, then the cached token
    assert req["form"] == {"grant_type": "client_credentials", "scope": "hooks:write"}
    assert req["headers"]["authorization"] == "Basic aG9vay1jbGllbnQ6aG9vay1zZWNyZXQ="   # hook-client:hook-secret
    advance(clock, 3601)                               # past expires_in: a fresh token
    api.fetch_token()
    new_meeting(api, topic="OAuth later")
    assert receiver.wait(4)[-1].headers["authorization"] == "Bearer tok-2"
    assert len(token_endpoint.requests) == 2


def test_oauth_header_body_fields(admin: Admin, api: Api, receiver: Receiver,
                                  token_endpoint: TokenEndpoint) -> None:
    subscribe(admin, api, receiver, ["meeting.created"], custom_header=_oauth_header(token_endpoint, "body"))
    new_meeting(api)
    (d,) = receiver.wait(1)
    assert d.headers["authorization"] == "Bearer tok-1"
    (req,) = token_endpoint.requests
    assert "authorization" not in req["headers"]
    assert req["form"] == {"grant_type": "client_credentials", "scope": "hooks:write",
                           "client_id": "hook-client", "client_secret": "hook-secret"}


def test_a_failing_token_endpoint_fails_the_try(clock: Admin, api: Api, receiver: Receiver,
                                                token_endpoint: TokenEndpoint) -> None:
    frozen_now(clock, api)
    subscribe(clock, api, receiver, ["meeting.created"], custom_header=_oauth_header(token_endpoint, "header"))
    token_endpoint.status = 401
    new_meeting(api)
    d = settled(clock, api, 1)
    assert d["state"] == "pending" and d["tries"][0]["ok"] is False
    assert d["tries"][0]["failed_reason_type"] is not None
    assert receiver.deliveries == []                   # no token, nothing posted
    token_endpoint.status = 200
    advance(clock, 301)
    (got,) = receiver.wait(1)
    assert got.headers["authorization"].startswith("Bearer tok-")
    assert settled(clock, api, 2)["state"] == "delivered"


# ---- a real Node receiver ---------------------------------------------------------------------------

@pytest.fixture
def node_receiver(admin: Admin, api: Api) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    secret = secret_token(admin, api)
    proc = subprocess.Popen(["node", str(NODE_RECEIVER)], stdout=subprocess.PIPE, text=True,
                            env={"ZOOM_WEBHOOK_SECRET_TOKEN": secret, "PORT": "0"})
    assert proc.stdout is not None
    ready = json.loads(proc.stdout.readline())
    yield f"http://127.0.0.1:{ready['port']}/webhook", proc
    proc.kill()
    proc.wait(timeout=10)


def test_a_node_receiver_verifies_the_signature(admin: Admin, api: Api,
                                                node_receiver: tuple[str, subprocess.Popen[str]]) -> None:
    url, proc = node_receiver
    admin.call("POST", f"/accounts/{api.account_id}/apps/{api.client_id}/event_subscriptions",
               {"events": ["meeting.created"], "event_webhook_url": url})      # validated by the Node side
    assert proc.stdout is not None
    seen = json.loads(proc.stdout.readline())
    assert seen == {"event": "endpoint.url_validation", "signature_ok": True}
    topic = 'Café "quoted" \\ back — 日本語 🎉👩‍💻 </script>'
    meeting = new_meeting(api, topic=topic)
    seen = json.loads(proc.stdout.readline())
    assert seen["event"] == "meeting.created" and seen["signature_ok"] is True
    assert seen["topic"] == topic and seen["id"] == meeting["id"]


# ---- answers framed every way HTTP/1.1 allows --------------------------------------------------------

class RawReceiver:
    """A receiver on a bare socket that frames its 200 answers as told: ended by closing the
    connection, chunked, or with a length then closing (the sender's client must read all)."""

    def __init__(self, framing: str) -> None:
        import socket

        self.framing = framing
        self.bodies: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/raw"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: Any) -> None:
        with conn:
            buf = b""
            while True:
                while b"\r\n\r\n" not in buf:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                head, buf = buf.split(b"\r\n\r\n", 1)
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                while len(buf) < length:
                    buf += conn.recv(65536)
                self.bodies.append(buf[:length])
                buf = buf[length:]
                if self.framing == "eof":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nthanks")
                    return
                if self.framing == "chunked":
                    conn.sendall(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nthx\r\n0\r\n\r\n")
                    continue               # keep-alive: the next delivery may come on this connection
                conn.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
                return                     # closes without saying so: the kept connection is dead

    def stop(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("framing", ["eof", "chunked", "silent_close"])
def test_answers_framed_every_way_are_read(admin: Admin, api: Api, framing: str) -> None:
    raw = RawReceiver(framing)
    try:
        admin.call("POST", f"/accounts/{api.account_id}/apps/{api.client_id}/event_subscriptions",
                   {"events": ["meeting.created"], "event_webhook_url": raw.url, "validate": False})
        for n in range(3):                    # one after another: later ones may reuse a connection
            new_meeting(api, topic=f"Framing {n}")
            deadline = time.time() + 10
            while time.time() < deadline:
                got = deliveries(admin, api)
                if len(got) == n + 1 and got[-1]["tries"]:
                    break
                time.sleep(0.02)
        got = deliveries(admin, api)
        assert [d["state"] for d in got] == ["delivered"] * 3, [d["tries"] for d in got]
        assert len(raw.bodies) == 3
        if framing != "silent_close":
            assert {d["tries"][0]["response_body"] for d in got} == {"thanks" if framing == "eof" else "thx"}
    finally:
        raw.stop()
