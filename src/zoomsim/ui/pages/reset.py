"""The reset page: what a reset throws away, and a confirmation step before it does. The reset
itself is the admin API's (admin.routes.reset): every row goes and the reset epoch moves on in
one transaction, then the default account and app are made again."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim.admin import routes as admin
from zoomsim.errors import ZoomError
from zoomsim.storage import schema
from zoomsim.ui import web

WORD = "reset"
# what the page counts, so the person sees the size of what goes before confirming
COUNTED = [
    ("accounts", schema.accounts),
    ("users", schema.users),
    ("apps", schema.apps),
    ("meetings and webinars", schema.meetings),
    ("Zoom Events events", schema.events),
    ("webhook deliveries", schema.webhook_deliveries),
    ("logged API calls", schema.api_calls),
]


@web.page
async def reset_page(request: Request) -> Response:
    s = web.services(request)
    with s.storage.read() as db:
        counts = [(label, db.conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                  for label, table in COUNTED]
    return web.render(request, "reset.html", title="Reset", counts=counts, word=WORD,
                      account_id=s.installation.account_id, client_id=s.installation.client_id)


@web.action
async def reset(request: Request, form: dict[str, Any]) -> Response:
    typed = str(form.get("confirm", "")).strip().lower()
    if typed != WORD:
        return web.back("/reset", error=f'Nothing was deleted: type "{WORD}" in the box to confirm.')
    try:
        admin.reset(web.services(request), {})
    except ZoomError as exc:
        return web.back("/reset", error=f"The reset failed: {web.error_text(exc)}")
    return web.back("/", done="Reset done: every account, app, meeting and logged call is gone; "
                              "the default account and app are back. Tokens issued before no longer work.")


ROUTES = [
    Route("/reset", reset_page, methods=["GET"]),
    Route("/reset", reset, methods=["POST"]),
]
