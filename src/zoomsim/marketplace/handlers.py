"""Marketplace operations: an app's event subscriptions (the calling token's app), its
webhook logs and its API-call logs (api_call_logs.py)."""
from __future__ import annotations

import re
from typing import Any, Callable

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError
from zoomsim.marketplace import subscriptions as subs
from zoomsim.marketplace.api_call_logs import api_call_logs
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage import webhooks as repo

LOG_DAYS = 7
LOG_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _account(ctx: Ctx, account_id: Any, code: int = 1300) -> None:
    """The app acts for its own account only (zoomsim's apps are account-level S2S apps)."""
    if account_id not in (None, "", ctx.account_id):
        raise ZoomError(400, code, f"The user don't authorize the app: {account_id}.")


def create_subscription(ctx: Ctx, inp: Input) -> dict[str, Any]:
    body = inp.body or {}
    _account(ctx, body.get("account_id"))
    sub = subs.create(ctx.services, ctx.db, account_id=ctx.account_id, app_id=ctx.client_id, body=body,
                      source="openapi")
    return {"event_subscription_id": sub.id}


def list_subscriptions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    q = inp.query
    _account(ctx, q.get("account_id"))
    key = str(q.get("user_id") or "")
    user = users_repo.get(ctx.db, ctx.account_id, ctx.user_id if key == "me" else key)
    if user is None:          # this operation's wording names no user
        raise ZoomError(404, 1001, "User does not exist or does not belong to this account.")
    if q.get("team_id"):
        subs.check_teams([str(q["team_id"])])
    scope = q.get("subscription_scope")
    items = []
    for row in repo.subscriptions_of_app(ctx.db, ctx.client_id):
        sub = subs.Subscription.of(row)
        if sub.account_id != ctx.account_id or (scope and sub.scope != scope):
            continue
        if sub.scope == "user" and user.id not in sub.user_ids:
            continue
        items.append((f"{row.seq:012d}", sub.entry()))
    page = ctx.services.pager.paginate_list(f"event_subscriptions:{ctx.client_id}", q, ctx.now, items,
                                            filters=("user_id", "account_id", "subscription_scope"))
    return {"next_page_token": page.next_page_token, "page_size": page.page_size,
            "event_subscriptions": list(page.rows)}


def _user_list(ctx: Ctx, raw: Any) -> list[str]:
    names = [u.strip() for u in str(raw or "").split(",") if u.strip()]
    if len(names) > subs.MAX_USERS:
        raise subs.bad("The size of user_ids exceed maximum.")
    return subs.check_users(ctx.db, ctx.account_id, names)


def unsubscribe(ctx: Ctx, inp: Input) -> None:
    """With user_ids, those users leave the subscription; without, the account leaves it (the
    subscription goes)."""
    q = inp.query
    sub = subs.of_app(ctx.db, ctx.client_id, str(q.get("event_subscription_id") or ""))
    _account(ctx, q.get("account_id"))
    subs.check_teams(str(q.get("team_ids") or ""))
    users = _user_list(ctx, q.get("user_ids"))
    if users:
        subs.set_users(ctx.services, ctx.db, sub, [u for u in sub.user_ids if u not in users])
    else:
        subs.delete(ctx.services, ctx.db, sub.id)


def delete_subscription(ctx: Ctx, inp: Input) -> None:
    sub = subs.of_app(ctx.db, ctx.client_id, inp.path["eventSubscriptionId"])
    subs.delete(ctx.services, ctx.db, sub.id)


def subscribe(ctx: Ctx, inp: Input) -> None:
    """Users (or the account) join an existing subscription."""
    sub = subs.of_app(ctx.db, ctx.client_id, inp.path["eventSubscriptionId"])
    body = inp.body or {}
    _account(ctx, body.get("account_id"), code=1002)
    subs.check_teams(body.get("team_ids"))
    try:
        users = subs.check_users(ctx.db, ctx.account_id, body.get("user_ids") or [])
    except ZoomError as err:      # this operation's wording of 1001 ends " ." (the reference's)
        if err.code != 1001:
            raise
        raise ZoomError(404, 1001, err.message.removesuffix(".") + " .") from None
    merged = list(sub.user_ids) + [u for u in users if u not in sub.user_ids]
    if merged != list(sub.user_ids):
        subs.set_users(ctx.services, ctx.db, sub, merged)


# ---- webhook logs ------------------------------------------------------------------------------

def _log_time(value: Any) -> float:
    if not isinstance(value, str) or not LOG_TIME.match(value):
        raise ZoomError(404, 1503, "The dates must follow the format: yyyy-MM-dd'T'HH:mm:ss'Z'.")
    try:
        return clockmod.parse_iso(value)
    except ValueError:
        raise ZoomError(404, 1503, "The dates must follow the format: yyyy-MM-dd'T'HH:mm:ss'Z'.") from None


def webhook_logs(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """The app's webhook tries of the last 7 days on zoomsim's clock, newest first; `type` 1
    all, 2 failed (Zoom's default), 3 succeeded."""
    app_id = inp.path["appId"]
    app = apps_repo.get(ctx.db, app_id) if "\x00" not in app_id else None
    if app is None or app.account_id != ctx.account_id:
        raise ZoomError(404, 1401, f"APP ID does not exist: {app_id}.")
    q = inp.query
    now = ctx.now
    retry = q.get("retry_num")
    if retry is not None and (isinstance(retry, bool) or not isinstance(retry, int) or not 0 <= retry <= 3):
        raise ZoomError(400, 1506, "The 'retry_num' value must be an integer within the range of 0 to 3.")
    since = _log_time(q["from"]) if q.get("from") else now - LOG_DAYS * 86400
    until = _log_time(q["to"]) if q.get("to") else now
    if q.get("from") and since > now:
        raise ZoomError(404, 1504, "The 'from' date must be before the current date(UTC).")
    if until < since:
        raise ZoomError(404, 1501, "The 'to' date must be after the 'from' date.")
    if until - since > LOG_DAYS * 86400 or since < now - LOG_DAYS * 86400 - 1:
        raise ZoomError(404, 1502, "The date range must be within the last seven days.")
    ok = {1: None, 2: False, 3: True}.get(q.get("type", 2))

    def fetch(after: Any, offset: int, limit: int) -> list[Any]:
        return repo.log_query(ctx.db, app_id=app_id, since=since, until=until, event=q.get("event") or None,
                              ok=ok, retry_num=retry, after_seq=int(after or 0), limit=limit)

    page = ctx.services.pager.paginate(f"webhook_logs:{app_id}", q, now, fetch=fetch, count=lambda: 0,
                                       cursor_of=lambda r: r.seq, filters=("from", "to", "event", "type", "retry_num"))
    return {"next_page_token": page.next_page_token, "page_size": page.page_size,
            "webhook_logs": [_log_entry(r) for r in page.rows]}


def _log_entry(r: Any) -> dict[str, Any]:
    return {
        "event": r.event, "status": r.status,
        **({"failed_reason_type": r.failed_reason_type} if r.failed_reason_type is not None else {}),
        "user_id": r.user_id or "", "endpoint": r.url, "subscription_id": r.subscription_id,
        "request_headers": r.request_headers, "request_body": r.body,
        "response_headers": r.response_headers, "response_body": r.response_body,
        "date_time": clockmod.iso(r.at), "trace_id": r.trace_id, "request_id": r.request_id,
        "retry_num": r.retry_num,
    }


HANDLERS: dict[str, Callable[..., Any]] = {
    "createEventSubscription": create_subscription,
    "getUserEventSubscriptions": list_subscriptions,
    "unSubscribeEventSubscription": unsubscribe,
    "deleteEventSubscription": delete_subscription,
    "subscribeEventSubscription": subscribe,
    "getWebhookLogs": webhook_logs,
    "Getapicalllogs": api_call_logs,
}
