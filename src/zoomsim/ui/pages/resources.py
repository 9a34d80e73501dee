"""An account's meetings, webinars and Zoom Events events, and one of them in detail: its key
facts, the JSON stored now, and the history of the API calls that changed it (the call log's
rows whose subject is the resource)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim import jsonio
from zoomsim.meetings import kinds
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import calls as calls_repo
from zoomsim.storage import events as events_repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import tickets as tickets_repo
from zoomsim.storage.db import Db
from zoomsim.storage.schema import events, meetings, users
from zoomsim.ui import web
from zoomsim.ui.pages.accounts import keyset, resource_counts, usable_id

PAGE = 50           # rows per page of a resource list
HISTORY = 50        # changes shown on a detail page
TICKETS_SHOWN = 100
TYPE_NAMES = {1: "instant", 2: "scheduled", 3: "recurring, no fixed time", 8: "recurring", 10: "screen share",
              5: "webinar", 6: "recurring webinar, no fixed time", 9: "recurring webinar"}
SESSION_TYPES = {0: "meeting", 2: "webinar", 4: "no Zoom session"}
TABS = (("meetings", "Meetings"), ("webinars", "Webinars"), ("events", "Zoom Events"))


def emails_of(db: Db, account_id: str, user_ids: set[str]) -> dict[str, str]:
    """Host ids to addresses for the rows on one page (one read)."""
    if not user_ids:
        return {}
    query = sa.select(users.c.id, users.c.email).where(users.c.account_id == account_id,
                                                       users.c.id.in_(sorted(user_ids)))
    return {str(uid): str(email) for uid, email in db.execute(query)}


def _page(db: Db, query: sa.Select[Any], seq: Any, before: int | None) -> tuple[list[Any], int | None]:
    """Newest first, keyset on seq: the rows, and the seq that asks for the older page."""
    if before is not None:
        query = query.where(seq < before)
    found = list(db.execute(query.order_by(seq.desc()).limit(PAGE + 1)))
    more = len(found) > PAGE
    found = found[:PAGE]
    return found, (found[-1].seq if more and found else None)


def meeting_rows(db: Db, account_id: str, kind: kinds.Kind, before: int | None) -> tuple[list[dict[str, Any]],
                                                                                          int | None]:
    query = (sa.select(meetings.c.seq, meetings.c.id, meetings.c.host_id, meetings.c.type, meetings.c.status,
                       meetings.c.start_time, meetings.c.created_at, meetings.c.doc)
             .where(meetings.c.account_id == account_id, meetings.c.type.in_(sorted(kind.types))))
    found, older = _page(db, query, meetings.c.seq, before)
    hosts = emails_of(db, account_id, {r.host_id for r in found})
    rows = [{"id": r.id, "link": f"/meetings/{r.id}", "name": jsonio.loads(r.doc).get("topic", ""),
             "host": hosts.get(r.host_id, r.host_id), "type": TYPE_NAMES.get(r.type, str(r.type)),
             "status": r.status, "start_time": r.start_time or "", "created_at": r.created_at} for r in found]
    return rows, older


def event_rows(db: Db, account_id: str, before: int | None) -> tuple[list[dict[str, Any]], int | None]:
    query = (sa.select(events.c.seq, events.c.id, events.c.host_id, events.c.event_type, events.c.status,
                       events.c.start_time, events.c.created_at, events.c.doc)
             .where(events.c.account_id == account_id))
    found, older = _page(db, query, events.c.seq, before)
    hosts = emails_of(db, account_id, {r.host_id for r in found})
    rows = [{"id": r.id, "link": f"/events/{r.id}", "name": jsonio.loads(r.doc).get("name", ""),
             "host": hosts.get(r.host_id, r.host_id), "type": r.event_type.replace("_", " ").lower(),
             "status": r.status.lower(), "start_time": r.start_time or "", "created_at": r.created_at}
            for r in found]
    return rows, older


def _resource_list(tab: str) -> web.Endpoint:
    """One endpoint per tab (the three lists differ only in what they read)."""
    @web.page
    async def listing(request: Request) -> Response:
        account_id = request.path_params["account_id"]
        before = keyset(request)
        with web.services(request).storage.read() as db:
            account = accounts_repo.get(db, account_id) if usable_id(account_id) else None
            if account is None:
                return web.not_found(request, f"account {account_id}")
            if tab == "events":
                rows, older = event_rows(db, account_id, before)
            else:
                rows, older = meeting_rows(db, account_id, kinds.KINDS[tab[:-1]], before)
            counts = resource_counts(db, account_id)
        name = jsonio.loads(account.doc).get("name") or account_id
        return web.render(request, "resources_list.html", title=f"{dict(TABS)[tab]} · {name}", tab=tab, tabs=TABS,
                          rows=rows, older=older, paged=before is not None, counts=counts, account_id=account_id,
                          tab_label=dict(TABS)[tab],
                          account_name=name)
    listing.__name__ = f"list_{tab}"
    return listing


def history(db: Db, subject: str) -> list[calls_repo.Call]:
    """The writes the call log holds for this resource, newest first, with their bodies."""
    return calls_repo.recent(db, subject=subject, writes_only=True, limit=HISTORY, bodies=True)


def _status_class(status: str) -> str:
    return {"started": "ok", "waiting": "", "deleted": "err", "finished": "warn"}.get(status, "")


@web.page
async def meeting_page(request: Request) -> Response:
    raw = request.path_params["meeting_id"]
    if not raw.isdigit() or len(raw) > 18:
        return web.not_found(request, f"meeting {raw}")
    with web.services(request).storage.read() as db:
        row = meetings_repo.get(db, int(raw))
        if row is None:
            return web.not_found(request, f"meeting {raw}")
        kind = kinds.of_type(row.type)
        doc = row.data()
        host = emails_of(db, row.account_id, {row.host_id}).get(row.host_id, "")
        backs = [(s.event_id, s.id) for s in events_repo.sessions_backed_by(db, row.account_id, row.id)]
        changes = history(db, str(row.id))
    facts = {"kind": kind.name, "type": f"{row.type} ({TYPE_NAMES.get(row.type, '?')})", "status": row.status,
             "host": host, "host_id": row.host_id, "start_time": row.start_time or "", "end_time": row.end_time or "",
             "duration": doc.get("duration", ""), "timezone": doc.get("timezone", ""),
             "created_at": doc.get("created_at", ""), "join_url": doc.get("join_url", ""), "uuid": row.uuid}
    tab = "webinars" if kind is kinds.WEBINAR else "meetings"
    return web.render(request, "resources_meeting.html", title=f"{kind.word} {row.id}", row=row, doc=doc,
                      stored=row.doc, facts=facts, kind=kind, tab=tab, account_id=row.account_id, backs=backs,
                      changes=changes, status_class=_status_class(row.status))


@web.page
async def event_page(request: Request) -> Response:
    event_id = request.path_params["event_id"]
    with web.services(request).storage.read() as db:
        row = events_repo.get_event(db, event_id) if usable_id(event_id) else None
        if row is None:
            return web.not_found(request, f"event {event_id}")
        doc = row.data()
        host = emails_of(db, row.account_id, {row.host_id}).get(row.host_id, "")
        sessions = [{"id": s.id, "name": s.data().get("name", ""), "type": SESSION_TYPES.get(s.type, str(s.type)),
                     "start_time": s.start_time, "end_time": s.end_time, "meeting_id": s.meeting_id}
                    for s in events_repo.sessions_of(db, event_id)]
        sold = tickets_repo.sold(db, event_id)
        types = []
        for t in tickets_repo.types_of(db, event_id):
            tdoc = t.data()
            types.append({"id": t.id, "name": tdoc.get("name", ""), "free": bool(tdoc.get("free")),
                          "price": tdoc.get("price", ""), "currency": tdoc.get("currency", ""),
                          "quantity": t.quantity, "sold": sold.get(t.id, 0), "default": bool(tdoc.get("default"))})
        type_names = {t["id"]: t["name"] for t in types}
        tickets = []
        for k in tickets_repo.tickets_of(db, event_id, {}, None, TICKETS_SHOWN):
            kdoc = k.data()
            tickets.append({"id": k.id, "email": k.email, "type": type_names.get(k.ticket_type_id, k.ticket_type_id),
                            "name": " ".join(p for p in (kdoc.get("first_name", ""), kdoc.get("last_name", "")) if p),
                            "status": k.status})
        n_tickets = tickets_repo.count_tickets(db, event_id, {})
        changes = history(db, event_id)
    facts = {"name": doc.get("name", ""), "event_type": row.event_type, "status": row.status, "host": host,
             "host_id": row.host_id, "hub_id": row.hub_id, "start_time": row.start_time or "",
             "end_time": row.end_time or "", "timezone": doc.get("timezone", ""), "created_at": row.created_at}
    return web.render(request, "resources_event.html", title=f"Event {doc.get('name') or event_id}", row=row,
                      stored=row.doc, facts=facts, sessions=sessions, types=types, tickets=tickets,
                      n_tickets=n_tickets, changes=changes, tab="events", account_id=row.account_id)


ROUTES = [
    Route("/accounts/{account_id}/meetings", _resource_list("meetings"), methods=["GET"]),
    Route("/accounts/{account_id}/webinars", _resource_list("webinars"), methods=["GET"]),
    Route("/accounts/{account_id}/events", _resource_list("events"), methods=["GET"]),
    Route("/meetings/{meeting_id}", meeting_page, methods=["GET"]),
    Route("/events/{event_id}", event_page, methods=["GET"]),
]
