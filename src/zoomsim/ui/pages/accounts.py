"""Accounts: every tenant at a glance, then one account's plan, licences, users and apps.

Everything is read from the database (several workers show the same thing); the counts of the
list are grouped queries over the page's accounts only, so a server with thousands of tenants
stays one page of reads."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim import jsonio
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import items as items_repo
from zoomsim.storage.db import Db
from zoomsim.storage.schema import accounts, apps, events, meetings, users
from zoomsim.ui import web
from zoomsim.users import features
from zoomsim.users.model import ROLE_NAMES

PAGE = 50           # accounts per page of the list
USERS_SHOWN = 200   # users listed on an account page (the count says how many more)
USER_TYPES = {1: "Basic", 2: "Licensed", 4: "Unassigned", 99: "None"}


def keyset(request: Request, name: str = "before") -> int | None:
    """A positive seq from the query string; anything else is ignored (no 500 for a bad link)."""
    return web.seq_of(request.query_params.get(name)) or None


def usable_id(text: str) -> bool:
    """Whether a path's id could name a stored row (ids are short and never hold NUL, which
    PostgreSQL refuses as a parameter): anything else is simply not found."""
    return 0 < len(text) <= 64 and "\x00" not in text


def _counts(db: Db, table: sa.Table, ids: list[str], *where: Any) -> dict[str, int]:
    query = (sa.select(table.c.account_id, sa.func.count()).where(table.c.account_id.in_(ids), *where)
             .group_by(table.c.account_id))
    return {str(aid): int(n) for aid, n in db.execute(query)}


def account_rows(db: Db, before: int | None) -> tuple[list[dict[str, Any]], int | None]:
    """One page of accounts, newest first, with owner email and how much each holds; and the
    seq to ask for the next (older) page, or None at the end."""
    owner = users.alias("owner")
    query = (sa.select(accounts.c.seq, accounts.c.id, accounts.c.plan, accounts.c.created_at, accounts.c.doc,
                       owner.c.email)
             .select_from(accounts.outerjoin(owner, owner.c.id == accounts.c.owner_id))
             .order_by(accounts.c.seq.desc()).limit(PAGE + 1))
    if before is not None:
        query = query.where(accounts.c.seq < before)
    found = list(db.execute(query))
    more = len(found) > PAGE
    found = found[:PAGE]
    ids = [r.id for r in found]
    n_users = _counts(db, users, ids)
    n_apps = _counts(db, apps, ids)
    n_meetings = _counts(db, meetings, ids, meetings.c.status != "deleted")
    n_events = _counts(db, events, ids)
    rows = [{"seq": r.seq, "id": r.id, "name": jsonio.loads(r.doc).get("name", ""), "plan": r.plan,
             "owner_email": r.email or "", "created_at": r.created_at, "users": n_users.get(r.id, 0),
             "apps": n_apps.get(r.id, 0), "meetings": n_meetings.get(r.id, 0), "events": n_events.get(r.id, 0)}
            for r in found]
    return rows, (found[-1].seq if more and found else None)


@web.page
async def account_list(request: Request) -> Response:
    s = web.services(request)
    with s.storage.read() as db:
        rows, older = account_rows(db, keyset(request))
        total = int(db.execute(sa.select(sa.func.count()).select_from(accounts)).scalar() or 0)
    return web.render(request, "accounts.html", title="Accounts", rows=rows, older=older, total=total,
                      default_account=s.installation.account_id, paged=keyset(request) is not None)


def user_rows(db: Db, account_id: str) -> tuple[list[dict[str, Any]], int]:
    """The account's first users in creation order, each with its add-on licences (one read of
    the account's feature items, not one per user), and how many users there are in all."""
    found = list(db.execute(sa.select(users.c.id, users.c.email, users.c.type, users.c.role_id, users.c.status,
                                      users.c.doc)
                            .where(users.c.account_id == account_id).order_by(users.c.seq).limit(USERS_SHOWN)))
    total = int(db.execute(sa.select(sa.func.count()).select_from(users)
                           .where(users.c.account_id == account_id)).scalar() or 0)
    granted = {item.owner_id or item.id: {**features.DEFAULTS, **item.data()}
               for item in items_repo.all_of(db, account_id, features.KIND)}
    rows = []
    for r in found:
        doc = jsonio.loads(r.doc)
        name = " ".join(p for p in (doc.get("first_name", ""), doc.get("last_name", "")) if p)
        feats = granted.get(r.id, features.DEFAULTS)
        rows.append({"id": r.id, "email": r.email, "name": name or doc.get("display_name", ""),
                     "type": USER_TYPES.get(r.type, str(r.type)), "role": ROLE_NAMES.get(r.role_id, r.role_id),
                     "status": r.status, "webinar": int(feats["webinar_capacity"]) if feats["webinar"] else 0,
                     "large_meeting": int(feats["large_meeting_capacity"]) if feats["large_meeting"] else 0,
                     "zoom_events": bool(feats["zoom_events"])})
    return rows, total


def app_rows(request: Request, db: Db, account_id: str, emails: dict[str, str]) -> list[dict[str, Any]]:
    """The account's S2S apps. Only the default app's client secret can be shown: it is derived
    from the installation key (platform/bootstrap.py); every other one is stored as a salted hash."""
    inst = web.services(request).installation
    rows = []
    for a in apps_repo.list_for_account(db, account_id):
        scopes = a.scopes.split()
        rows.append({"client_id": a.client_id, "name": a.name, "user_id": a.user_id,
                     "user_email": emails.get(a.user_id, ""), "scopes": scopes, "created_at": a.created_at,
                     "secret_token": a.secret_token or "",
                     "client_secret": inst.client_secret if a.client_id == inst.client_id else None})
    return rows


def resource_counts(db: Db, account_id: str) -> dict[str, int]:
    """What the resource tabs hold (meetings and webinars apart, deleted ones included)."""
    from zoomsim.meetings.kinds import WEBINAR

    kinds = sa.case((meetings.c.type.in_(sorted(WEBINAR.types)), "webinars"), else_="meetings")
    out = {"meetings": 0, "webinars": 0, "events": 0}
    for kind, n in db.execute(sa.select(kinds, sa.func.count()).where(meetings.c.account_id == account_id)
                              .group_by(kinds)):
        out[str(kind)] = int(n)
    out["events"] = int(db.execute(sa.select(sa.func.count()).select_from(events)
                                   .where(events.c.account_id == account_id)).scalar() or 0)
    return out


@web.page
async def account_page(request: Request) -> Response:
    account_id = request.path_params["account_id"]
    s = web.services(request)
    with s.storage.read() as db:
        row = accounts_repo.get(db, account_id) if usable_id(account_id) else None
        if row is None:
            return web.not_found(request, f"account {account_id}")
        doc = jsonio.loads(row.doc)
        user_list, n_users = user_rows(db, account_id)
        emails = {u["id"]: u["email"] for u in user_list}
        app_list = app_rows(request, db, account_id, emails)
        counts = resource_counts(db, account_id)
    owner = next((u for u in user_list if u["id"] == row.owner_id), None)
    return web.render(request, "accounts_detail.html", title=doc.get("name") or account_id, account=doc,
                      account_id=account_id, plan=row.plan, owner=owner, users=user_list, n_users=n_users,
                      users_shown=USERS_SHOWN, apps=app_list, counts=counts,
                      licences=sorted((doc.get("licences") or {}).items()),
                      is_default=account_id == s.installation.account_id)


ROUTES = [
    Route("/accounts", account_list, methods=["GET"]),
    Route("/accounts/{account_id}", account_page, methods=["GET"]),
]
