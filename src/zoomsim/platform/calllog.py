"""The API-call log's recorder: every request to /v2, /v1 and /oauth/token, kept per worker in
a buffer and written in batches, so a request pays for an append, not for a write.

The request chain notes what it learned on the Request as it goes (operation, app, account,
the resource the path names); `record` keeps the raw pieces, and everything that costs (masking
the Authorization header, decoding bodies, reading the Zoom error code, the id a create
answered) happens in `flush`, once per batch. A batch is written when it holds FLUSH_ROWS
calls or FLUSH_SECONDS after its first call, in its own transaction: the log never takes part
in (or rolls back with) the request's. Readers call `flush()` first so a worker's own calls are
visible at once; other workers' arrive within FLUSH_SECONDS.

Retention is bounded on both clocks' terms: rows older than `keep_days` on zoomsim's clock and
all but the newest `keep_rows` go, checked every PRUNE_EVERY batches."""
from __future__ import annotations

import asyncio
import base64
import itertools
import logging
import secrets
import time
from typing import TYPE_CHECKING, Any

from zoomsim import jsonio
from zoomsim.storage import calls as calls_repo
from zoomsim.storage.engine import DB_DOWN

if TYPE_CHECKING:
    from zoomsim.clock import Clock
    from zoomsim.storage import Storage

log = logging.getLogger("zoomsim")

FLUSH_ROWS = 500
FLUSH_SECONDS = 0.2
PRUNE_EVERY = 50
BODY_LIMIT = 64 * 1024        # characters of a request or response body kept
# the path parameter naming the resource a call is about, most general first: a session's
# changes are part of its event's history, a registrant's of its meeting's. A call under a user
# only (create a meeting, update a user) is about what it created, else about the user.
SUBJECT_PARAMS = ("eventId", "webinarId", "meetingId", "meetingUUID", "hubId")
CREATED_IDS = ("id", "event_id", "hub_id")
LOGGED_PREFIXES = ("/v2/", "/v1/")


def logged_path(path: str) -> bool:
    return (path.startswith(LOGGED_PREFIXES) and path != "/v2/openapi.json") or path == "/oauth/token"


def subject_of(params: dict[str, str]) -> str | None:
    for name in SUBJECT_PARAMS:
        value = params.get(name)
        if value:
            return value[:64]
    return None


def user_of(params: dict[str, str]) -> str | None:
    value = params.get("userId")
    return value[:64] if value else None


class CallLog:
    def __init__(self, storage: "Storage", clock: "Clock", *, enabled: bool = True, keep_rows: int = 100_000,
                 keep_days: float = 30.0) -> None:
        self.storage = storage
        self.clock = clock
        self.enabled = enabled
        self.keep_rows = keep_rows
        self.keep_days = keep_days
        self._buffer: list[tuple[Any, ...]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._batches = 0
        self._trace = itertools.count(1)
        self._worker = secrets.token_hex(4)

    def trace_id(self) -> str:
        """Zoom's x-zm-trackingid shape; unique across workers (a random worker tag and a counter)."""
        return f"v=2.0;clid=zs1;rid=ZS_{self._worker}_{next(self._trace)}"

    def record(self, method: str, path: str, query: bytes, headers: dict[str, str], body: bytes,
               status: int, payload: bytes, out_headers: dict[str, str], latency_ms: float, trace_id: str,
               note: Any) -> None:
        """Keep one call (cheap: one tuple); `note` is the Request, holding what the chain learned."""
        if not self.enabled:
            return
        self._buffer.append((time.time(), self.clock.now(), method, path, query, headers, body, status, payload,
                             out_headers, latency_ms, trace_id, note))
        if len(self._buffer) >= FLUSH_ROWS:
            self.flush()
        elif self._timer is None:
            try:
                self._timer = asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)
            except RuntimeError:        # no loop (a synchronous caller): write now
                self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._buffer:
            return
        pending, self._buffer = self._buffer, []
        rows = [_row(item) for item in pending]
        try:
            with self.storage.write() as db:
                calls_repo.insert_many(db, rows)
                self._batches += 1
                if self._batches % PRUNE_EVERY == 1:
                    calls_repo.prune(db, self.keep_rows, self.clock.now() - self.keep_days * 86_400)
        except DB_DOWN as exc:      # the log is not worth failing requests for: these calls are lost
            log.warning("API-call log: %d calls not written (%s)", len(rows), type(exc).__name__)


def _text(data: bytes) -> str:
    text = data[:BODY_LIMIT * 4].decode("utf-8", "replace")
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + "…"


def _masked(headers: dict[str, str]) -> dict[str, str]:
    out = dict(headers)
    auth = out.get("authorization")
    if auth:
        scheme, _, secret = auth.partition(" ")
        out["authorization"] = f"{scheme} …{secret[-6:]}" if len(secret) > 12 else f"{scheme} …"
    return out


def _basic_client(headers: dict[str, str]) -> str | None:
    """The client id of a token request (HTTP Basic), for the app column."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")[0]
    except (ValueError, UnicodeDecodeError):
        return None
    return client[:64] or None


def _answer(payload: bytes) -> Any:
    try:
        return jsonio.loads(payload) if payload[:1] in (b"{", b"[") else None
    except (jsonio.DecodeError, UnicodeDecodeError, RecursionError):
        return None


def _row(item: tuple[Any, ...]) -> dict[str, Any]:
    (wall, at, method, path, query, headers, body, status, payload, out_headers, latency_ms, trace_id,
     note) = item
    op_id = getattr(note, "op_id", None)
    app_id = getattr(note, "app_id", None) or (_basic_client(headers) if path == "/oauth/token" else None)
    subject = getattr(note, "subject", None)
    code = None
    answer = None
    failed = status >= 400 or payload.startswith(b'{"error":{')     # v1 answers its errors with a 200
    if failed or (subject is None and method == "POST" and status < 300):
        answer = _answer(payload)
    if failed and isinstance(answer, dict):
        inner = answer.get("error", answer) if "error" in answer and isinstance(answer.get("error"), dict) else answer
        value = inner.get("code") if isinstance(inner, dict) else None
        code = value if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**31 else None
    elif subject is None and isinstance(answer, dict):
        for key in CREATED_IDS:
            if isinstance(answer.get(key), (str, int)) and not isinstance(answer.get(key), bool):
                subject = str(answer[key])[:64]
                break
    if subject is None:
        subject = getattr(note, "user", None)
    request = {"query": query.decode("utf-8", "replace"), "headers": _masked(headers), "body": _text(body)}
    response = {"headers": out_headers, "body": _text(payload)}
    return {
        "wall": wall, "at": at, "account_id": getattr(note, "account_id", None), "app_id": app_id,
        "method": method[:16], "path": path.replace("\x00", "\ufffd"), "operation_id": op_id, "status": status,
        "code": code,
        "latency_ms": round(latency_ms, 3), "trace_id": trace_id, "subject": subject,
        "request": jsonio.dumps(request).decode(), "response": jsonio.dumps(response).decode(),
    }
