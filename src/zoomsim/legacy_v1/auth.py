"""The v1 request chain: parameters from the query string and the form body, api_key/api_secret
(an app's client id and secret), v1's rate limits, then the call in one transaction. Errors,
ours or the v2 handlers', leave as v1's {"error": {"code", "message"}}."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zoomsim import jsonio
from zoomsim.errors import ZoomError
from zoomsim.legacy_v1.call import V1Call, translate
from zoomsim.legacy_v1.params import Form, invalid, merge, v1_error
from zoomsim.legacy_v1.webinars import WRITES
from zoomsim.optable import Operation
from zoomsim.platform.tokens import APP_CACHE_SECONDS, check_secret
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import apps as apps_repo

if TYPE_CHECKING:
    from zoomsim.app import Request, Services

# v1's per-second cap of 1 covered the list calls and the ended-webinar reports.
LISTING = frozenset({"/webinar/polls", "/webinar/questions"})


@dataclass(frozen=True, slots=True)
class V1App:
    client_id: str
    account_id: str
    user_id: str
    plan: str


def authenticate(s: "Services", form: Form) -> V1App:
    """The app whose client id and secret the call carries. Every v1 call carries them, so a
    good pair is remembered for as long as v2 remembers a token's app (a shared generation
    change, e.g. an app deleted or a reset, forgets it on every worker)."""
    key, secret = form.values.get("api_key"), form.values.get("api_secret")
    if not isinstance(key, str) or not isinstance(secret, str) or not key or not secret:
        raise v1_error(300, "Api key and secret are required.")
    slot = (key, hashlib.sha256(secret.encode()).hexdigest())
    now = time.monotonic()
    hit = s.v1_keys.get(slot)
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[no-any-return]
    with s.storage.read() as db:
        app = apps_repo.get(db, key)
        account = accounts_repo.get(db, app.account_id) if app is not None else None
    if app is None or account is None or not check_secret(secret, app.secret_salt, app.secret_hash):
        raise v1_error(102, "You app key and secret doesn't match.")
    found = V1App(app.client_id, app.account_id, app.user_id, str(account.plan))
    if len(s.v1_keys) > 10_000:
        s.v1_keys.clear()
    s.v1_keys[slot] = (now + APP_CACHE_SECONDS, found)
    return found


def v1_call(s: "Services", op: Operation, params: dict[str, str], req: "Request") -> tuple[int, bytes, dict[str, str]]:
    form = Form(merge(req.query, req.body, req.headers.get("content-type", "")))
    app = authenticate(s, form)
    req.account_id, req.app_id = app.account_id, app.client_id      # for the API-call log
    if isinstance(form.values.get("id"), str):
        req.subject = form.values["id"][:64]
    if str(form.values.get("data_type") or "JSON").upper() != "JSON":
        raise invalid("data_type")      # v1 could answer XML too; zoomsim speaks JSON only
    if s.config.rate_limits:
        try:
            s.limiter.legacy_v1(app.account_id, "list" in op.path.split("/") or op.path in LISTING, s.clock.now())
        except ZoomError as err:
            raise v1_error(err.code, err.message, err.headers) from None
    if op.handler is None:
        raise v1_error(300, f"POST /v1{op.path} is not available.")
    db = s.storage.unit(write=op.id in WRITES)
    ok = False
    try:
        call = V1Call(s, db, app.account_id, app.plan, app.client_id, app.user_id, form)
        result = op.handler(call)
        ok = True
    except ZoomError as err:
        raise translate(err, form) from None
    finally:
        db.finish(ok)
    return 200, jsonio.dumps(result), {}
