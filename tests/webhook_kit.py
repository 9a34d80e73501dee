"""A webhook receiver on 127.0.0.1 that checks every delivery the way Zoom's sample receiver
does, and a check of each delivered payload against the reference schema of its event.

The receiver verifies `x-zm-signature` as Zoom's Node sample does: HMAC-SHA256 over
"v0:{x-zm-request-timestamp}:" + JSON.stringify(req.body), i.e. over the body parsed and
written again compactly (Python's json with these options writes what JSON.stringify writes
for the values Zoom sends), and refuses a timestamp more than 5 minutes off its own clock. It
answers endpoint.url_validation with the encrypted token, unless told to answer wrongly."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from support import Admin, Api

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
WEBHOOK_SPECS = ("zoom-meetings-webhooks_2026-03_Meetings.json", "zoom-events-webhooks_2026-03_Events.json")


def js_stringify(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    raw: bytes
    body: Any
    signature_ok: bool
    fresh: bool
    at: float

    @property
    def event(self) -> str:
        return str(self.body.get("event"))


class _Server(ThreadingHTTPServer):
    """A listen backlog for a sender's burst (the default 5 resets connections under load)."""

    request_queue_size = 256


@dataclass
class Receiver:
    """Answers `status` (or what `answer(delivery)` returns) after `delay` seconds."""

    secret: str = ""
    status: int = 200
    delay: float = 0.0
    validation: str = "right"          # right | wrong | none (no body) | status (answer 500)
    answer: Callable[[Delivery], int] | None = None
    port: int = 0                      # 0: any free port; a fixed one to come back on after a restart
    deliveries: list[Delivery] = field(default_factory=list)
    validations: list[Delivery] = field(default_factory=list)

    def start(self) -> "Receiver":
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                ts = headers.get("x-zm-request-timestamp", "")
                ok = body is not None and hmac.compare_digest(
                    sign(outer.secret, ts, js_stringify(body)), headers.get("x-zm-signature", ""))
                fresh = ts.isdigit() and abs(time.time() - int(ts)) < 300
                d = Delivery(self.path, headers, raw, body, ok, fresh, time.time())
                if isinstance(body, dict) and body.get("event") == "endpoint.url_validation":
                    outer.validations.append(d)
                    self._validation(body)
                    return
                outer.deliveries.append(d)
                status = outer.answer(d) if outer.answer else outer.status
                if outer.delay:
                    time.sleep(outer.delay)
                self._reply(status, b"")

            def _validation(self, body: dict[str, Any]) -> None:
                plain = body["payload"]["plainToken"]
                secret = outer.secret if outer.validation != "wrong" else "not-the-secret"
                out = js_stringify({"plainToken": plain, "encryptedToken": hmac.new(
                    secret.encode(), plain.encode(), hashlib.sha256).hexdigest()})
                if outer.validation == "none":
                    self._reply(200, b"")
                elif outer.validation == "status":
                    self._reply(500, out)
                else:
                    self._reply(200, out)

            def _reply(self, status: int, out: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                except OSError:
                    pass       # zoomsim gave up waiting (3 s) and closed the connection

            def log_message(self, *args: Any) -> None:
                pass

        self._server = _Server(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/zoom/webhook"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def of(self, event: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.event == event]

    def wait(self, count: int = 1, event: str | None = None, timeout: float = 10.0) -> list[Delivery]:
        """The first `count` deliveries (of `event`), waiting for them to arrive."""
        deadline = time.time() + timeout
        while True:
            found = self.of(event) if event else list(self.deliveries)
            if len(found) >= count or time.time() > deadline:
                assert len(found) >= count, f"{len(found)} of {count} deliveries ({event}) arrived: " \
                    f"{[d.event for d in self.deliveries]}"
                return found
            time.sleep(0.02)

    def quiet(self, seconds: float = 1.0) -> None:
        """Wait and assert nothing (more) arrives."""
        before = len(self.deliveries)
        time.sleep(seconds)
        assert len(self.deliveries) == before, [d.event for d in self.deliveries[before:]]


def secret_token(admin: Admin, api: Api) -> str:
    account = admin.call("GET", f"/accounts/{api.account_id}")
    return next(a["secret_token"] for a in account["apps"] if a["client_id"] == api.client_id)


def subscribe(admin: Admin, api: Api, receiver: Receiver, events: list[str], **extra: Any) -> dict[str, Any]:
    """The tenant's app subscribed to `events` at the receiver (through the admin API, validated)."""
    receiver.secret = secret_token(admin, api)
    return admin.call("POST", f"/accounts/{api.account_id}/apps/{api.client_id}/event_subscriptions",
                      {"events": events, "event_webhook_url": receiver.url, **extra})


@pytest.fixture
def receiver() -> Any:
    r = Receiver().start()
    yield r
    r.stop()


# ---- payload schemas ----------------------------------------------------------------------------

def schemas_available() -> bool:
    return all((REFERENCE / name).is_file() for name in WEBHOOK_SPECS)


@lru_cache(maxsize=None)
def _spec(name: str) -> dict[str, Any]:
    doc = json.loads((REFERENCE / name).read_text())
    # the documents' internal references say #/paths/<event>/...; their events live under webhooks
    doc["paths"] = doc.get("webhooks", {})
    return doc  # type: ignore[no-any-return]


def event_schema(event: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    for name in WEBHOOK_SPECS:
        spec = _spec(name)
        item = spec["webhooks"].get(event)
        if item:
            return item["post"]["requestBody"]["content"]["application/json"]["schema"], spec
    return None


def spec_name(event: str) -> str:
    return next(name for name in WEBHOOK_SPECS if event in _spec(name)["webhooks"])


@lru_cache(maxsize=None)
def _registry(name: str) -> Registry:
    return Registry().with_resource("urn:zoom-webhooks", Resource.from_contents(_spec(name), DRAFT202012))


def check_payload(body: Any) -> None:
    """The delivered body validates against its event's schema (skipped without ../shared)."""
    if not schemas_available():
        return
    found = event_schema(body["event"])
    assert found is not None, f"no schema for {body['event']}"
    _schema, spec = found
    registry = _registry(spec_name(body["event"]))
    pointer = "/webhooks/" + body["event"].replace("~", "~0").replace("/", "~1") + \
        "/post/requestBody/content/application~1json/schema"
    validator = jsonschema.Draft202012Validator({"$ref": "urn:zoom-webhooks#" + pointer}, registry=registry,
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{body['event']}: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5])


def check_delivery(d: Delivery) -> None:
    """What every delivery must be: signed right, fresh, Zoom's headers, JSON.stringify's bytes,
    and a payload its event's schema accepts."""
    assert d.signature_ok, d.headers
    assert d.fresh
    assert d.headers["content-type"] == "application/json; charset=utf-8"
    assert d.headers["user-agent"] == "Zoom Marketplace/1.0a"
    assert d.headers.get("x-zm-trackingid") and d.headers.get("clientid")
    assert d.raw == js_stringify(d.body), "the body is not what JSON.stringify writes"
    assert isinstance(d.body["event_ts"], int) and d.body["event_ts"] > 10**12    # milliseconds
    check_payload(d.body)
