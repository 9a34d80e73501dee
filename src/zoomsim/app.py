"""The ASGI application and the one place that lists the request chain, in order:

    errors -> routing -> auth -> scopes -> rate limit -> parse/validate -> handler -> encode

Everything is built by create_app(); importing this module does nothing.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl, unquote

from zoomsim import about, jsonio
from zoomsim.admin.routes import admin_call
from zoomsim.clock import Clock
from zoomsim.config import Config
from zoomsim.context import Ctx, Input, Raw, Reply
from zoomsim.errors import RawError, ZoomError, missing_scopes
from zoomsim.faults import engine as faults
from zoomsim.faults.engine import FaultSet
from zoomsim.ids import decode_uuid
from zoomsim.legacy_v1.auth import v1_call
from zoomsim.oauth.token import token_endpoint
from zoomsim.optable import Operation, field_errors, load_operations
from zoomsim.optable.openapi import openapi_document
from zoomsim.optable.router import Router
from zoomsim.platform import bootstrap
from zoomsim.platform.calllog import CallLog, basic_client, logged_path, subject_of, user_of
from zoomsim.platform.paging import Pager
from zoomsim.platform.ratelimit import RateLimiter
from zoomsim.platform.shared import Shared, make_shared
from zoomsim.platform.tokens import APP_CACHE_SECONDS, Claims, TokenError, TokenSigner, app_tag
from zoomsim.platform import uploads
from zoomsim.reports.oplog import LOGGED, record_operation
from zoomsim.storage import Storage
from zoomsim.storage.engine import DB_DOWN
from zoomsim.storage.urls import describe as describe_db
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import apps as apps_repo
from zoomsim.webhooks import outbox
from zoomsim.webhooks.sender import Sender
from zoomsim.webhooks.subscriptions import SubscriptionCache

log = logging.getLogger("zoomsim")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

DB_DOWN_BODY = {"code": 503, "message": "Service unavailable: the database is not answering. Try again later."}
JSON_HEADERS = [(b"content-type", b"application/json;charset=UTF-8")]
# A multipart/form-data body may be this large (more than the JSON limit): uploads are capped
# at 15 MB by the operations themselves, and a file over that cap must get their documented
# error 120, not a 413. Bodies of other operations still keep Config.max_body_bytes (parse).
UPLOAD_BODY_BYTES = 32 * 1024 * 1024
UI_PREFIX = "/_zoomsim/ui"


@dataclass
class Services:
    """Everything a request may need, created once per worker by create_app()."""

    config: Config
    storage: Storage
    clock: Clock
    operations: list[Operation]
    router: Router
    installation: bootstrap.Installation
    signer: TokenSigner
    pager: Pager
    limiter: RateLimiter
    shared: Shared
    admin_key: str | None
    by_id: dict[str, Operation] = field(default_factory=dict)
    scopes: tuple[str, ...] = ()        # every scope any operation accepts (what "all" grants)
    app_cache: dict[str, tuple[float, str | None, str]] = field(default_factory=dict)
    v1_keys: dict[tuple[str, str], tuple[float, Any]] = field(default_factory=dict)   # legacy_v1/auth.py
    subscriptions: SubscriptionCache = field(default_factory=SubscriptionCache)
    sender: Sender = field(init=False)
    calls: CallLog = field(init=False)
    faults: FaultSet = field(default_factory=FaultSet)

    def all_scopes(self) -> list[str]:
        return list(self.scopes)

    def forget_apps(self) -> None:
        """A new shared generation: drop what this worker cached of apps and subscriptions."""
        self.app_cache.clear()
        self.v1_keys.clear()
        self.subscriptions.forget()
        self.faults.forget()
        self.sender.forget_tokens()
        self.sender.wake()      # the clock may have moved: retries may be due


# what ZoomSim.identify works out: the operation, its path values, and (v2) claims and plan
Identified = tuple[Operation, dict[str, str], "Claims | None", "str | None"]


@dataclass(slots=True)
class Request:
    method: str
    path: str
    segments: list[str]
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    # what the chain learned, for the API-call log (platform/calllog.py)
    op_id: str | None = None
    account_id: str | None = None
    app_id: str | None = None
    subject: str | None = None
    user: str | None = None
    fault: str | None = None        # the fault rule that answered or slowed it
    identified: "Identified | None" = None     # ZoomSim.identify's answer, once worked out


def create_app(config: Config) -> "ZoomSim":
    from zoomsim.handlers import all_handlers

    operations = load_operations()
    handlers = all_handlers()
    for op in operations:
        op.handler = handlers.get(op.id)
    storage = Storage(config.db_url)
    storage.migrate()
    clock = Clock()
    scopes = scope_universe(operations)
    shared = make_shared(storage, clock)      # loads the stored clock and token epochs
    inst = bootstrap.ensure(storage, config.base_url, scopes, clock.now())
    admin_key = config.admin_key or (inst.admin_key if config.admin_enabled else None)
    services = Services(
        config=config, storage=storage, clock=clock, operations=operations, router=Router(operations),
        installation=inst, signer=TokenSigner(inst.key("access-token"), scopes), pager=Pager(inst.key("page-token")),
        limiter=RateLimiter(shared), shared=shared, admin_key=admin_key, by_id={op.id: op for op in operations},
        scopes=tuple(scopes),
    )
    services.calls = CallLog(storage, clock, enabled=config.call_log, keep_rows=config.call_log_rows,
                             keep_days=config.call_log_days)
    services.sender = Sender(services)
    services.sender.enabled = config.webhooks
    shared.on_change(services.forget_apps)
    return ZoomSim(services)


def scope_universe(operations: list[Operation]) -> list[str]:
    """Every scope any operation accepts: what the default app holds."""
    return sorted({s for op in operations for s in op.all_scopes})


def worker_app() -> "ZoomSim":
    """Factory for uvicorn worker processes; settings come through the environment."""
    return create_app(Config.from_env())


class ZoomSim:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._ui: Any = None

    async def dashboard(self, scope: Scope, receive: Receive, send: Send) -> None:
        """/_zoomsim/ui: the dashboard's own Starlette app, built on first use (404 where the
        admin API is off)."""
        if not self.services.admin_key:
            payload = jsonio.dumps({"code": 404, "message": "Not Found."})
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-length", str(len(payload)).encode()), *JSON_HEADERS]})
            await send({"type": "http.response.body", "body": payload})
            return
        if self._ui is None:
            from zoomsim.ui.app import build

            self._ui = build(self.services)
        await self._ui(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.services.sender.ensure_started()     # deliveries left pending go out
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    self.services.calls.close()
                    await self.services.sender.stop()
                    self.services.storage.dispose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.services.sender.ensure_started()
        if scope["path"].startswith(UI_PREFIX) and scope["path"][len(UI_PREFIX):len(UI_PREFIX) + 1] in ("", "/"):
            await self.dashboard(scope, receive, send)
            return
        started = time.perf_counter()
        headers: dict[str, str] = {}
        for k, v in scope["headers"]:
            headers[k.decode("latin-1").lower()] = v.decode("latin-1")
        extra: dict[str, str] = {}
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = raw_path.decode("latin-1").split("?", 1)[0]
        calls = self.services.calls
        api_path = logged_path(path)          # the API and the token endpoint: logged and faultable
        logged = calls.enabled and api_path
        req: Request | None = None
        body = b""
        try:
            body = await self._read_body(receive, headers)
            query = dict(parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True))
            req = Request(scope["method"], path, path.split("/")[1:], query, headers, body)
            answer = None
            if api_path:
                self.services.shared.sync()
                answer = await self.faulted(req, send)
                if answer == "dropped":
                    if logged:
                        calls.record(scope["method"], path, scope.get("query_string", b""), headers, body, 0, b"",
                                     {}, (time.perf_counter() - started) * 1000, "", req)
                    return
            status, payload, extra = answer or self.dispatch(req, synced=api_path)
        except ZoomError as err:
            status, payload, extra = err.status, jsonio.dumps(err.body()), err.headers
        except RawError as err:
            status, payload, extra = err.status, jsonio.dumps(err.body), err.headers
        except DB_DOWN as exc:      # the database went away: say so, and let the client retry
            log.warning("database unavailable: %s", describe_db(exc, self.services.storage.url))
            status, payload, extra = 503, jsonio.dumps(DB_DOWN_BODY), {"Retry-After": "1"}
        except Exception:  # a bug of ours must still answer in Zoom's envelope
            log.exception("unhandled error")
            status, payload = 500, jsonio.dumps({"code": 500, "message": "Internal server error."})
        out = [(b"content-length", str(len(payload)).encode())]
        if payload:
            out.extend(JSON_HEADERS)
        for k, v in extra.items():
            out.append((k.encode(), v.encode()))
        trace_id = ""
        if logged:
            trace_id = calls.trace_id()
            out.append((b"x-zm-trackingid", trace_id.encode()))
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": payload})
        if logged:
            calls.record(scope["method"], path, scope.get("query_string", b""), headers, body, status, payload,
                         extra, (time.perf_counter() - started) * 1000, trace_id, req)

    async def _read_body(self, receive: Receive, headers: dict[str, str]) -> bytes:
        limit = self.services.config.max_body_bytes
        if uploads.is_multipart(headers.get("content-type", "")):
            limit = max(limit, UPLOAD_BODY_BYTES)
        declared = headers.get("content-length")
        if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise ZoomError(413, 413, "Request entity too large.")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise ZoomError(413, 413, "Request entity too large.")
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    async def faulted(self, req: Request, send: Send) -> Any:
        """What a fault rule makes of this request (faults/): an answer instead of the handler's,
        "dropped", or None to go on (after a delay, if the rule says so)."""
        s = self.services
        if not s.faults.active(s):
            return None
        found = self.fault_for(req)
        if found is None:
            return None
        hit, label = found
        effect = hit.rule.effect
        if "pass" in effect:
            return None
        req.fault = hit.rule.id
        if "drop" in effect:
            await faults.drop(send)
            return "dropped"
        if "status" in effect:
            return faults.error_answer(hit.rule, label)
        await asyncio.sleep(hit.rule.latency_seconds(hit.k))
        return None

    def fault_for(self, req: Request) -> tuple[faults.Hit, str | None] | None:
        """The rule that fires for this request, counted; the token must be good (its app and
        account are what rules match), except at the token endpoint, matched by its client id."""
        s = self.services
        if req.path == "/oauth/token":
            hit = s.faults.decide(s, faults.TOKEN, faults.TOKEN, req.method, None, basic_client(req.headers))
            return (hit, None) if hit else None
        try:
            op, _, claims, _ = self.identify(req)
        except (ZoomError, RawError):
            return None                     # the chain answers it (a bad token is not faulted)
        account_id, app_id = (claims.account_id, claims.client_id) if claims is not None else (None, None)
        hit = s.faults.decide(s, op.id, op.family, req.method, account_id, app_id)
        return (hit, op.label) if hit else None

    def dispatch(self, req: Request, synced: bool = False) -> tuple[int, bytes, dict[str, str]]:
        if req.path == "/_zoomsim/health":
            return health(self.services)
        if not synced:
            self.services.shared.sync()    # the clock, epochs and app lookups as every worker sees them
        first = req.segments[0] if req.segments else ""
        if req.path == "/v2/openapi.json" and req.method == "GET":
            return 200, openapi_document(self.services), {}
        if first in ("v2", "v1"):
            return self.api_call(req)
        if req.path == "/oauth/token":
            return token_endpoint(self.services, req)
        if first == "_zoomsim":
            return admin_call(self.services, req)
        raise ZoomError(404, 404, "Not Found.")

    # ---- the API request chain -------------------------------------------------------------

    def identify(self, req: Request) -> "Identified":
        """The operation, its path values and, for v2, the token's claims and plan; noted on the
        request for the call log, and kept there, so a fault check and the chain do it once."""
        if req.identified is not None:
            return req.identified
        try:
            op, params = self.route(req)
        except ZoomError as err:
            if req.segments[0] == "v1":     # v1 clients read v1's envelope, even for a wrong path
                raise RawError(err.status, {"error": err.body()}, err.headers) from None
            raise
        req.op_id = op.id
        claims: Claims | None = None
        plan: str | None = None
        if op.api != "v1":                  # v1 authenticates by key pair, in v1_call
            claims = self.authenticate(req.headers.get("authorization", ""))
            plan = self.check_app(claims)
            req.account_id, req.app_id = claims.account_id, claims.client_id
            req.subject, req.user = subject_of(params), user_of(params)
        req.identified = (op, params, claims, plan)
        return req.identified

    def api_call(self, req: Request) -> tuple[int, bytes, dict[str, str]]:
        s = self.services
        op, params, claims, plan = self.identify(req)
        if op.api == "v1":
            return v1_call(s, op, params, req)
        assert claims is not None and plan is not None
        if not (op.all_scopes & claims.scopes) and op.all_scopes:
            raise scopes_wanted(op)
        headers: dict[str, str] = {}
        if s.config.rate_limits:
            user_key = params.get("userId")
            if user_key == "me":
                user_key = claims.user_id
            headers = s.limiter.check(claims.account_id, plan, op.label, op.id, user_key, s.clock.now())
        try:
            inp = self.parse(op, params, req)
            if op.handler is None:
                raise not_implemented(op)
            status, payload, more = self.run(op, claims, plan, inp)
        except ZoomError as err:
            err.headers = {**headers, **err.headers}   # errors carry the rate-limit headers too
            raise
        if more:
            headers = {**headers, **more}
        return status, payload, headers

    def route(self, req: Request) -> tuple[Operation, dict[str, str]]:
        segments = req.segments[:-1] if len(req.segments) > 1 and req.segments[-1] == "" else req.segments
        decoded = [unquote(seg) for seg in segments]
        op, params, exists = self.services.router.match(req.method, decoded)
        if op is None:
            if exists:
                allow = ", ".join(self.services.router.methods(decoded))
                raise ZoomError(405, 405, f"Method {req.method} is not allowed for this endpoint.",
                                headers={"Allow": allow})
            raise ZoomError(404, 2300, "This API endpoint is not recognized.")
        return op, {k: decode_uuid(v) for k, v in params.items()}

    def authenticate(self, header: str) -> Claims:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ZoomError(401, 124, "Invalid access token.")
        rt = self.services.shared.runtime
        try:
            return self.services.signer.verify(token.strip(), rt.reset_epoch, rt.expiry_epoch)
        except TokenError as err:
            raise ZoomError(401, 124, "Access token is expired." if err.expired else "Invalid access token.") from None

    def check_app(self, claims: Claims) -> str:
        """The token's app and account must still exist (reset or deletion revokes tokens).
        Cached for a moment per worker so the hot path does not pay a query per request; any
        admin change (a new shared generation) drops the cache on every worker."""
        s = self.services
        now = time.monotonic()
        hit = s.app_cache.get(claims.client_id)
        if hit is None or hit[0] < now:
            with s.storage.read() as db:
                app_row = apps_repo.get(db, claims.client_id)
                account = accounts_repo.get(db, claims.account_id) if app_row is not None else None
            valid = app_row is not None and account is not None and app_row.account_id == claims.account_id
            plan = account.plan if valid and account is not None else None
            hit = (now + APP_CACHE_SECONDS, plan, app_tag(app_row.secret_salt) if app_row is not None else "")
            s.app_cache[claims.client_id] = hit
        if hit[1] is None or hit[2] != claims.app_tag:
            raise ZoomError(401, 124, "Invalid access token.")
        return hit[1]

    def parse(self, op: Operation, params: dict[str, str], req: Request) -> Input:
        validator = op.checker()
        body: Any = None
        try:
            query = validator.check_query(req.query) if req.query or validator.defaults or validator.required_query \
                else {}
        except ZoomError as err:
            raise field_errors.documented(op.id, err, req.query) from None
        if len(req.body) > self.services.config.max_body_bytes and op.body_type != "multipart":
            raise ZoomError(413, 413, "Request entity too large.")
        if req.body and req.method in ("POST", "PUT", "PATCH", "DELETE") and req.body.strip():
            body = decode_body(req, op)
        if op.body is not None:
            try:
                body = validator.check_body(body)
            except ZoomError as err:
                raise field_errors.documented(op.id, err, body) from None
        return Input(params, query, body)

    def run(self, op: Operation, claims: Claims, plan: str, inp: Input) -> tuple[int, bytes, dict[str, str]]:
        s = self.services
        db = s.storage.unit(write=op.method != "GET")
        ok = False
        try:
            ctx = Ctx(s, op, db, claims.account_id, plan, claims.client_id, claims.user_id, claims.scopes)
            result = outbox.call(ctx, inp)
            if op.id in LOGGED:   # admin changes the operation logs report lists (same transaction)
                record_operation(ctx, inp, result)
            ok = True
        finally:
            db.finish(ok)
        return encode_result(op.status, result)


def health(s: Services) -> tuple[int, bytes, dict[str, str]]:
    """No authentication: 200 while the database answers, 503 (with the reason) when it doesn't."""
    storage: dict[str, Any] = {"backend": "sqlite" if s.storage.is_sqlite else "postgresql"}
    try:
        s.storage.ping()
        storage["ok"] = True
    except DB_DOWN as exc:
        storage.update(ok=False, error=describe_db(exc, s.storage.url))
    body = {"status": "ok" if storage["ok"] else "unavailable", "version": about.version(), "storage": storage}
    return (200 if storage["ok"] else 503), jsonio.dumps(body), {"Cache-Control": "no-store"}


def encode_result(status: int, result: Any) -> tuple[int, bytes, dict[str, str]]:
    if isinstance(result, Reply):
        inner = encode_result(result.status, result.body)
        return inner[0], inner[1], result.headers
    if result is None:
        return status, b"", {}
    if isinstance(result, Raw):
        return status, result.data, {}
    return status, jsonio.dumps(result), {}


def decode_body(req: Request, op: Operation) -> Any:
    ctype = req.headers.get("content-type", "").lower()
    if op.body_type == "multipart" and uploads.is_multipart(ctype):
        return uploads.parse(req.body, req.headers["content-type"])
    if op.body_type == "form" or "application/x-www-form-urlencoded" in ctype:
        return dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        return jsonio.loads(req.body)
    except (jsonio.DecodeError, UnicodeDecodeError, RecursionError):
        raise ZoomError(400, 300, "Request Body should be a valid JSON object.") from None


def scopes_wanted(op: Operation) -> ZoomError:
    return missing_scopes(op.granular_scopes or op.scopes)


def not_implemented(op: Operation) -> ZoomError:
    return ZoomError(501, 501, f"zoomsim does not implement {op.method} {op.path} ({op.id}) yet.")
