"""The landing page: how much is in this server, at a glance, with links to the rest."""
from __future__ import annotations

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim.storage import schema
from zoomsim.ui import web

COUNTED = [
    ("Accounts", schema.accounts, None, "/accounts"),
    ("Users", schema.users, None, "/accounts"),
    ("Apps", schema.apps, None, "/accounts"),
    ("Meetings and webinars", schema.meetings, schema.meetings.c.status != "deleted", "/accounts"),
    ("Running now", schema.instances, schema.instances.c.end_time.is_(None), "/live"),
    ("Zoom Events events", schema.events, None, "/accounts"),
    ("Webhook deliveries", schema.webhook_deliveries, None, "/webhooks"),
]


@web.page
async def overview(request: Request) -> Response:
    s = web.services(request)
    stats = []
    with s.storage.read() as db:
        for label, table, where, link in COUNTED:
            query = sa.select(sa.func.count()).select_from(table)
            if where is not None:
                query = query.where(where)
            stats.append((label, db.conn.execute(query).scalar_one(), link))
    info = {"api_url": s.config.base_url + "/v2", "token_url": s.config.base_url + "/oauth/token",
            "backend": "SQLite" if s.storage.is_sqlite else "PostgreSQL", "account_id": s.installation.account_id,
            "client_id": s.installation.client_id}
    return web.render(request, "overview.html", title="Overview", stats=stats, info=info)


ROUTES = [Route("/", overview, methods=["GET"])]
