"""Webhooks: the outbox's deliveries (what was sent where, how it went, when the next retry is
due on zoomsim's clock) and, per delivery, its payload and every try with the receiver's answer.

Rows come from the webhook tables through storage/webhooks.py and are shaped by the admin API's
own `_delivery` (admin/webhooks.py), so the page and `GET /_zoomsim/webhooks/deliveries` say the
same thing. The list is newest first (what someone debugging wants to see), paged by seq."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim.admin import webhooks as admin_webhooks
from zoomsim.storage import webhooks as repo
from zoomsim.storage.schema import webhook_deliveries as dl
from zoomsim.ui import web
from zoomsim.webhooks import sender

PAGE = 50
STATES = admin_webhooks.STATES
STATE_BADGES = {"pending": "warn", "delivered": "ok", "failed": "err"}
# (query parameter, column) of the list's filters
FILTERS = (("account", dl.c.account_id), ("app", dl.c.app_id), ("event", dl.c.event), ("state", dl.c.state))
# failed_reason_type of Zoom's webhook log, in words
REASONS = {sender.READ_TIMEOUT: "read timeout", sender.CONNECTION_REFUSED: "connection refused",
           sender.REMOTE_ERROR: "remote error (not 200/204)", sender.DNS_TIMEOUT: "DNS timeout",
           sender.NOT_FOUND: "not found", sender.TOO_MANY: "too many requests"}


def _filters(request: Request) -> tuple[dict[str, str], list[str]]:
    """The filters given, and a note for each one ignored (an unknown state, a value no column
    holds): a bad filter is said, never a 500."""
    given: dict[str, str] = {}
    ignored: list[str] = []
    for name, col in FILTERS:
        value = request.query_params.get(name, "").strip()
        if not value:
            continue
        if "\x00" in value or len(value) > (col.type.length or 2000):
            ignored.append(f"{name}: not a value it can hold")
        elif name == "state" and value not in STATES:
            ignored.append(f"state: one of {', '.join(STATES)}")
        else:
            given[name] = value
    return given, ignored


def _in(seconds: float) -> str:
    """How long until a retry is due, as people say it."""
    if seconds <= 0:
        return "due now"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"in {hours} h {minutes} min"
    return f"in {minutes} min" + (f" {secs} s" if secs else "") if minutes else f"in {secs} s"


def _row(view: dict[str, Any], due_at: float, now: float) -> dict[str, Any]:
    last = view["tries"][-1] if view["tries"] else None
    return {**view, "badge": STATE_BADGES.get(view["state"], ""), "last": last,
            "retry_in": _in(due_at - now) if view["state"] == "pending" else ""}


@web.page
async def deliveries(request: Request) -> Response:
    s = web.services(request)
    given, ignored = _filters(request)
    before = web.seq_of(request.query_params.get("before"))
    now = s.clock.now()
    with s.storage.read() as db:
        rows = repo.deliveries(db, account_id=given.get("account"), app_id=given.get("app"),
                               event=given.get("event"), state=given.get("state"), before_seq=before,
                               newest_first=True, limit=PAGE + 1)
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        tries = repo.attempts_of(db, [r.seq for r in rows])
    shown = [_row(admin_webhooks._delivery(r, tries[r.seq]), r.due_at, now) for r in rows]
    older = {**given, "before": str(rows[-1].seq)} if more else None
    return web.render(request, "webhooks.html", title="Webhooks", deliveries=shown, given=given, ignored=ignored,
                      states=STATES, older=older, paged=before is not None, reasons=REASONS)


@web.page
async def delivery(request: Request) -> Response:
    s = web.services(request)
    seq = web.seq_of(request.path_params["seq"])
    if seq is None:
        return web.not_found(request, f"webhook delivery {request.path_params['seq']}")
    with s.storage.read() as db:
        found = [r for r in repo.deliveries(db, after_seq=seq - 1, limit=1) if r.seq == seq]
        tries = repo.attempts_of(db, [seq]) if found else {}
    if not found:
        return web.not_found(request, f"webhook delivery {seq}")
    view = _row(admin_webhooks._delivery(found[0], tries[seq]), found[0].due_at, s.clock.now())
    return web.render(request, "webhooks_delivery.html", title=f"Webhook {view['event']}", d=view, reasons=REASONS)


ROUTES = [
    Route("/webhooks", deliveries, methods=["GET"]),
    Route("/webhooks/{seq}", delivery, methods=["GET"]),
]
