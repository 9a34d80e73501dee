"""The API-call log's recorder: every request to /v2, /v1 and /oauth/token, kept per worker in
a buffer and written in batches, so a request pays for an append, not for a write.

The request chain notes what it learned on the Request as it goes (operation, app, account,
the resource the path names); `record` keeps the raw pieces. A batch is cut when it holds
FLUSH_ROWS calls or FLUSH_SECONDS after its first call; the loop turns it into rows (masking,
decoding bodies, the Zoom error code, the id a create answered) and hands them to one writer
thread per worker, which writes them in its own transaction as one multi-row INSERT: the log
never takes part in (or rolls back with) a request's, and the database's work runs beside the
event loop, since the drivers release the GIL for the length of the statement. (A thread that
also built the rows, or wrote them with executemany, was measured and made requests slower: the
GIL went back and forth between it and the loop.) An in-memory SQLite database has a single
connection, so there the loop writes. Readers call `flush()` first: it waits until this
worker's calls so far are written (never from inside a write transaction on SQLite: the writer
would wait for that transaction's lock). Other workers' calls arrive within FLUSH_SECONDS.

Retention: rows older than `keep_days` of wall time and all but the newest `keep_rows` go,
checked every PRUNE_EVERY batches. (Zoom's own `duration` filter counts on zoomsim's clock.)"""
from __future__ import annotations

import asyncio
import base64
import itertools
import logging
import queue
import secrets
import threading
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
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self.threaded = not storage.memory
        self._trace = itertools.count(1)
        self._worker = secrets.token_hex(4)

    def trace_id(self) -> str:
        """Zoom's x-zm-trackingid shape; unique across workers (a random worker tag and a counter)."""
        return f"v=2.0;clid=zs1;rid=ZS_{self._worker}_{next(self._trace)}"

    def record(self, method: str, path: str, query: bytes, headers: dict[str, str], body: bytes,
               status: int, payload: bytes, out_headers: dict[str, str], latency_ms: float, trace_id: str,
               note: Any) -> None:
        """Keep one call: one tuple of what it is made of. `note` is the Request, holding what the
        chain learned; it is read now, not kept, and neither is the Authorization header (a token
        can be 30 KB: keeping 500 of them alive until the flush cost more than the flush)."""
        if not self.enabled:
            return
        if note is not None:
            op_id, account_id, app_id, subject, user = note.op_id, note.account_id, note.app_id, note.subject, \
                note.user
            fault = note.fault
        else:
            op_id = account_id = app_id = subject = user = fault = None
        auth = headers.get("authorization")
        if auth is not None:
            if app_id is None and path == "/oauth/token":
                app_id = basic_client(headers)
            headers["authorization"] = _masked(auth)     # the request is over: its own dict, no copy
        self._buffer.append((time.time(), self.clock.now(), method, path, query, headers, body, status, payload,
                             out_headers, latency_ms, trace_id, op_id, account_id, app_id, subject, user, fault))
        if len(self._buffer) >= FLUSH_ROWS:
            self._cut()
        elif self._timer is None:
            try:
                self._timer = asyncio.get_running_loop().call_later(FLUSH_SECONDS, self._cut)
            except RuntimeError:        # no loop (a synchronous caller): write now
                self.flush()

    def _cut(self) -> None:
        """The batch so far, as rows, to the writer."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._buffer:
            return
        pending, self._buffer = self._buffer, []
        rows = []
        for item in pending:
            try:
                rows.append(_row(item))
            except Exception:       # a bug here must cost one call, not the batch
                log.exception("API-call log: a call could not be recorded")
        if not self.threaded:
            self._store(rows)
            return
        if self._writer is None or not self._writer.is_alive():
            self._writer = threading.Thread(target=self._run, name="zoomsim-call-log", daemon=True)
            self._writer.start()
        self._queue.put(rows)

    def flush(self, timeout: float = 5.0) -> None:
        """Write what this worker has recorded so far, and wait until it is written."""
        self._cut()
        if self._writer is not None and self._writer.is_alive():
            done = threading.Event()
            self._queue.put(done)
            done.wait(timeout)

    def close(self) -> None:
        self.flush()
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join(timeout=10)
            self._writer = None

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, threading.Event):
                item.set()
            else:
                self._store(item)

    def _store(self, rows: list[tuple[Any, ...]]) -> None:
        try:
            with self.storage.write() as db:
                calls_repo.insert_rows(db, rows)
                self._batches += 1
                if self._batches % PRUNE_EVERY == 1:
                    calls_repo.prune(db, self.keep_rows, time.time() - self.keep_days * 86_400)
        except DB_DOWN as exc:      # the log is not worth failing requests for: these calls are lost
            log.warning("API-call log: %d calls not written (%s)", len(rows), type(exc).__name__)
        except Exception:           # a bug here must not stop the writer
            log.exception("API-call log: %d calls not written", len(rows))


def _text(data: bytes) -> str:
    """A body as text for a Text column (PostgreSQL refuses NUL in text)."""
    if not data:
        return ""
    text = data[:BODY_LIMIT * 4].decode("utf-8", "replace")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + "…"


def _masked(auth: str) -> str:
    """The scheme and the last characters of a credential (a token can be 30 KB: never copied)."""
    cut = auth.find(" ")
    if cut < 0:
        return "…"
    return f"{auth[:cut]} …{auth[-6:]}" if len(auth) - cut > 13 else f"{auth[:cut]} …"


def basic_client(headers: dict[str, str]) -> str | None:
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


def _row(item: tuple[Any, ...]) -> tuple[Any, ...]:
    """A recorded call as a row of api_calls, in storage.calls.INSERTED order."""
    (wall, at, method, path, query, headers, body, status, payload, out_headers, latency_ms, trace_id,
     op_id, account_id, app_id, subject, user, fault) = item
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
        subject = user
    return (wall, at, account_id, app_id, method[:16], path.replace("\x00", "\ufffd"), op_id, status, code,
            latency_ms, trace_id, subject, query.decode("utf-8", "replace").replace("\x00", ""),
            _json(headers), _text(body), _json(out_headers), _text(payload), fault)


def _json(headers: dict[str, str]) -> str:
    return jsonio.dumps(headers).decode() if headers else "{}"
