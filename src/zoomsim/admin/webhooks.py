"""Admin API for webhooks: an app's secret token and event subscriptions (the same rules as
Zoom's API, per app, for tests), and the outbox's deliveries with every try."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from zoomsim import clock as clockmod
from zoomsim import jsonio, tenants
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.marketplace import subscriptions as subs
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import webhooks as repo
from zoomsim.storage.db import Db

if TYPE_CHECKING:
    from zoomsim.app import Services

Result = tuple[int, Any]
STATES = ("pending", "delivered", "failed")


def _app(db: Db, account_id: str, client_id: str) -> Any:
    if accounts_repo.get(db, account_id) is None:
        raise ZoomError(404, 404, f"Account does not exist: {account_id}.")
    app = apps_repo.get(db, client_id)
    if app is None or app.account_id != account_id:
        raise ZoomError(404, 404, f"App does not exist: {client_id}.")
    return app


def rotate_secret_token(s: "Services", body: dict[str, Any], account_id: str, client_id: str) -> Result:
    """A new secret token: deliveries from now on (retries too) are signed with it."""
    token = body.get("secret_token") or tenants.new_secret_token()
    if not isinstance(token, str) or not 8 <= len(token) <= 64 or not token.isascii() or not token.isprintable():
        raise invalid_field("secret_token")
    with s.storage.write() as db:
        _app(db, account_id, client_id)
        apps_repo.set_secret_token(db, account_id, client_id, token)
        s.shared.bump(db)
    return 200, {"client_id": client_id, "secret_token": token}


def _validate_flag(body: dict[str, Any]) -> bool:
    flag = body.pop("validate", True)
    if not isinstance(flag, bool):
        raise invalid_field("validate")
    return flag


def create_subscription(s: "Services", body: dict[str, Any], account_id: str, client_id: str) -> Result:
    """Zoom's createEventSubscription body, for any app; `"validate": false` skips the URL check."""
    body = dict(body)
    validate = _validate_flag(body)
    body.setdefault("subscription_scope", "account")
    with s.storage.write() as db:
        _app(db, account_id, client_id)
        sub = subs.create(s, db, account_id=account_id, app_id=client_id, body=body, source="default",
                          validate=validate)
    return 201, sub.entry()


def list_subscriptions(s: "Services", body: dict[str, Any], account_id: str, client_id: str) -> Result:
    with s.storage.read() as db:
        _app(db, account_id, client_id)
        rows = repo.subscriptions_of_app(db, client_id)
    return 200, {"event_subscriptions": [subs.Subscription.of(r).entry() for r in rows]}


def update_subscription(s: "Services", body: dict[str, Any], account_id: str, client_id: str, sub_id: str) -> Result:
    body = dict(body)
    validate = _validate_flag(body)
    with s.storage.write() as db:
        _app(db, account_id, client_id)
        sub = subs.update(s, db, subs.of_app(db, client_id, sub_id), body, validate=validate)
    return 200, sub.entry()


def delete_subscription(s: "Services", body: dict[str, Any], account_id: str, client_id: str, sub_id: str) -> Result:
    with s.storage.write() as db:
        _app(db, account_id, client_id)
        subs.delete(s, db, subs.of_app(db, client_id, sub_id).id)
    return 204, None


def _delivery(row: Any, tries: list[Any]) -> dict[str, Any]:
    return {
        "request_id": row.request_id, "trace_id": row.trace_id, "account_id": row.account_id,
        "app_id": row.app_id, "subscription_id": row.subscription_id, "user_id": row.user_id,
        "event": row.event, "event_ts": row.event_ts, "url": row.url, "state": row.state,
        "attempts": row.attempts, "next_retry": clockmod.iso(row.due_at) if row.state == "pending" else None,
        "created_at": row.created_at, "body": jsonio.loads(row.body), "seq": row.seq, "fault": row.fault,
        "tries": [{"retry_num": t.retry_num, "date_time": clockmod.iso(t.at), "status": t.status, "ok": t.ok,
                   "failed_reason_type": t.failed_reason_type, "elapsed_ms": t.elapsed_ms,
                   "request_headers": jsonio.loads(t.request_headers),
                   "response_headers": jsonio.loads(t.response_headers), "response_body": t.response_body}
                  for t in tries],
    }


def list_deliveries(s: "Services", body: dict[str, Any]) -> Result:
    """Deliveries in the order they were made; filters account_id, app_id, event, state;
    paging by `after` (the last `seq` seen) and `limit` (at most 1000)."""
    state = body.get("state")
    if state is not None and state not in STATES:
        raise invalid_field("state")
    for name in ("account_id", "app_id", "event"):     # compared with text columns (PostgreSQL refuses others)
        if body.get(name) is not None and (not isinstance(body[name], str) or "\x00" in body[name]):
            raise invalid_field(name)
    try:
        after = int(body.get("after") or 0)
        limit = min(max(int(body.get("limit") or 100), 1), 1000)
    except (TypeError, ValueError):
        raise invalid_field("after") from None
    with s.storage.read() as db:
        rows = repo.deliveries(db, account_id=body.get("account_id"), app_id=body.get("app_id"),
                               event=body.get("event"), state=state, after_seq=after, limit=limit)
        tries = repo.attempts_of(db, [r.seq for r in rows])
    return 200, {"deliveries": [_delivery(r, tries[r.seq]) for r in rows]}


ROUTES: list[tuple[str, tuple[str, ...], Callable[..., Result]]] = [
    ("POST", ("accounts", "{id}", "apps", "{client_id}", "secret_token"), rotate_secret_token),
    ("POST", ("accounts", "{id}", "apps", "{client_id}", "event_subscriptions"), create_subscription),
    ("GET", ("accounts", "{id}", "apps", "{client_id}", "event_subscriptions"), list_subscriptions),
    ("PATCH", ("accounts", "{id}", "apps", "{client_id}", "event_subscriptions", "{sub}"), update_subscription),
    ("DELETE", ("accounts", "{id}", "apps", "{client_id}", "event_subscriptions", "{sub}"), delete_subscription),
    ("GET", ("webhooks", "deliveries"), list_deliveries),
]
