"""The sender: an asyncio task on each worker's event loop that claims due outbox rows, posts
them signed, and records each try (webhook_attempts) and what follows (delivered, due again on
zoomsim's clock, or given up after the third retry).

It runs on the loop the handlers run on, so its database work shares the worker's one thread
(and the one connection of an in-memory database) with them; only the HTTP waits overlap. The
loop is woken after a commit that wrote rows, and after a clock change; otherwise it looks for
due rows (retries, rows of other workers, rows left by a crashed one) every POLL_SECONDS."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

import httpx

from zoomsim import jsonio
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import webhooks as repo
from zoomsim.webhooks import wire
from zoomsim.webhooks.http import Client, RemoteError
from zoomsim.webhooks.oauth import OAuthTokens, TokenError
from zoomsim.webhooks.subscriptions import Subscription, static_headers

if TYPE_CHECKING:
    from zoomsim.app import Services

log = logging.getLogger("zoomsim.webhooks")

POLL_SECONDS = 0.5
BATCH = 64                       # rows claimed at once; all are in flight together
BODY_KEPT = 2000                 # characters of a receiver's answer kept in the log

# failed_reason_type of Zoom's webhook log
READ_TIMEOUT, CONNECTION_REFUSED, REMOTE_ERROR, DNS_TIMEOUT, NOT_FOUND, TOO_MANY = 1, 2, 7, 13, 15, 16


class Sender:
    def __init__(self, services: "Services") -> None:
        self.services = services
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._client: httpx.AsyncClient | None = None
        self._http = Client()
        self.poll_seconds = POLL_SECONDS
        self._tokens: dict[str, str] = {}
        self.oauth = OAuthTokens(services)
        self.enabled = True

    # ---- life -------------------------------------------------------------------------------

    def ensure_started(self) -> None:
        """Start on the running loop (a worker's first request or its lifespan startup)."""
        if self._task is not None or not self.enabled:
            return
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="zoomsim-webhooks")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self._http.close()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def wake(self) -> None:
        """Look for due rows now (called on the loop's thread, after a commit or clock change)."""
        if self._wake is not None:
            self._wake.set()

    # ---- the loop ---------------------------------------------------------------------------

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            try:
                sent = await self.cycle()
            except asyncio.CancelledError:
                raise
            except Exception:       # the database went away, say: try again on the next poll
                log.exception("webhook delivery cycle failed")
                sent = 0
            if sent:
                await asyncio.sleep(0)
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()

    async def cycle(self) -> int:
        """Claim what is due, send it all at once, record the outcomes; how many were sent."""
        s = self.services
        s.shared.sync()
        if not repo.any_due(s.storage.fast, s.clock.now(), time.time()):
            return 0
        with s.storage.write() as db:
            rows = repo.claim(db, s.clock.now(), time.time(), BATCH)
            if not rows:
                return 0
            need = {r.app_id for r in rows} - set(self._tokens)
            if need:
                self._tokens.update(apps_repo.secret_tokens(db, sorted(need)))
            subs = {i: Subscription.of(r) for i, r in
                    repo.subscriptions_by_id(db, {r.subscription_id for r in rows}).items()}
        outcomes, attempts = [], []
        gone = [r for r in rows if r.subscription_id not in subs]     # unsubscribed since: not sent
        for row in gone:
            outcomes.append({"seq": row.seq, "state": "failed", "attempts": row.attempts, "due_at": s.clock.now()})
        rows = [r for r in rows if r.subscription_id in subs]
        results = await asyncio.gather(*(self._send(r, subs[r.subscription_id]) for r in rows))
        now = s.clock.now()
        for row, (status, ok, reason, req_headers, resp_headers, resp_body, elapsed) in zip(rows, results):
            retry_num = row.attempts
            attempts.append({"delivery_seq": row.seq, "account_id": row.account_id, "app_id": row.app_id,
                             "event": row.event, "retry_num": retry_num, "at": now, "status": status, "ok": ok,
                             "failed_reason_type": reason, "request_headers": jsonio.dumps(req_headers).decode(),
                             "response_headers": jsonio.dumps(resp_headers).decode(), "response_body": resp_body,
                             "elapsed_ms": elapsed})
            if ok:
                outcomes.append({"seq": row.seq, "state": "delivered", "attempts": retry_num + 1, "due_at": now})
            elif retry_num < len(wire.RETRY_DELAYS):
                outcomes.append({"seq": row.seq, "state": "pending", "attempts": retry_num + 1,
                                 "due_at": now + wire.RETRY_DELAYS[retry_num]})
            else:
                outcomes.append({"seq": row.seq, "state": "failed", "attempts": retry_num + 1, "due_at": now})
        with s.storage.write() as db:
            repo.settle(db, outcomes, attempts)
        return len(rows) + len(gone)

    def _oauth_client(self) -> httpx.AsyncClient:
        """For token endpoints only (rare, and form posts): deliveries go through self._http."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(wire.TIMEOUT_SECONDS), follow_redirects=False,
                                             trust_env=False)
        return self._client

    def forget_tokens(self) -> None:
        """A secret token rotated (or an app gone): read them again."""
        self._tokens.clear()

    async def _send(self, row: Any, sub: Subscription
                    ) -> tuple[int, bool, int | None, dict[str, str], dict[str, str], str, int]:
        body = row.body.encode()
        spec = sub.custom_header
        custom = static_headers(spec)
        if spec.get("custom_header_type") == 2:
            started = time.monotonic()
            try:
                custom = {"authorization": "Bearer " + await self.oauth.token(self._oauth_client(), spec)}
            except TokenError as exc:      # no token, no delivery: the try fails as Zoom's does
                return -1, False, REMOTE_ERROR, {}, {}, str(exc)[:BODY_KEPT], _ms(started)
        timestamp = str(int(time.time()))     # receivers judge freshness by their own (wall) clock
        headers = wire.headers(secret_token=self._tokens.get(row.app_id, ""), timestamp=timestamp, body=body,
                               trace_id=row.trace_id, client_id=row.app_id, custom=custom)
        started = time.monotonic()
        try:
            resp = await self._http.post(row.url, body, headers, wire.TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            return -1, False, READ_TIMEOUT, headers, {}, "Timeout connecting to server.", _ms(started)
        except (RemoteError, ValueError, OSError) as exc:
            # several addresses (localhost: ::1 and 127.0.0.1) refusing come as one OSError
            refused = isinstance(exc, ConnectionRefusedError) or "Connect call failed" in str(exc)
            return -1, False, CONNECTION_REFUSED if refused else REMOTE_ERROR, headers, {}, _why(exc), _ms(started)
        ok = resp.status in wire.OK_STATUSES
        reason = None if ok else {404: NOT_FOUND, 429: TOO_MANY}.get(resp.status, REMOTE_ERROR)
        text = resp.body.decode("utf-8", "replace")[:BODY_KEPT]
        return resp.status, ok, reason, headers, resp.headers, text, _ms(started)


def _why(exc: BaseException) -> str:
    return (f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)[:BODY_KEPT]


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
