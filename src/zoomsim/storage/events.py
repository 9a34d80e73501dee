"""Zoom Events storage: hubs, events and their sessions. Rows carry the columns lookups and
lists filter on; `doc` holds the rest of Zoom's object. Lookups by id answer any account's row:
callers decide what another account may learn of it (nothing)."""
from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.storage.db import Db
from zoomsim.storage.schema import event_sessions as s
from zoomsim.storage.schema import events as e
from zoomsim.storage.schema import hubs as h
from zoomsim.storage.schema import ticket_types as tt
from zoomsim.storage.schema import tickets as tk


def _text(doc: dict[str, Any]) -> str:
    return jsonio.dumps(doc).decode()


# --- hubs -------------------------------------------------------------------------------------

class HubRow(NamedTuple):
    seq: int
    id: str
    account_id: str
    created_at: str
    doc: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]


_HUB_COLS = (h.c.seq, h.c.id, h.c.account_id, h.c.created_at, h.c.doc)
_HUB = sa.select(*_HUB_COLS).where(h.c.id == sa.bindparam("key"))


def insert_hub(db: Db, account_id: str, hub_id: str, created_at: str, doc: dict[str, Any]) -> None:
    db.execute(h.insert().values(id=hub_id, account_id=account_id, created_at=created_at, doc=_text(doc)))


def save_hub(db: Db, account_id: str, hub_id: str, doc: dict[str, Any]) -> None:
    db.execute(h.update().where(h.c.id == hub_id, h.c.account_id == account_id).values(doc=_text(doc)))


def get_hub(db: Db, account_id: str, hub_id: str) -> HubRow | None:
    """The account's hub by id; another account's is None."""
    row = db.one(_HUB, {"key": hub_id})
    hub = None if row is None else HubRow._make(row)
    return hub if hub is not None and hub.account_id == account_id else None


def hubs_of(db: Db, account_id: str) -> list[HubRow]:
    q = sa.select(*_HUB_COLS).where(h.c.account_id == account_id).order_by(h.c.seq)
    return [HubRow._make(r) for r in db.execute(q)]


# --- events -----------------------------------------------------------------------------------

class EventRow(NamedTuple):
    seq: int
    id: str
    account_id: str
    hub_id: str
    host_id: str
    event_type: str
    status: str
    start_time: str | None
    end_time: str | None
    created_at: str
    doc: str
    extra: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]

    def extras(self) -> dict[str, Any]:
        return jsonio.loads(self.extra)  # type: ignore[no-any-return]


_EVENT_COLS = (e.c.seq, e.c.id, e.c.account_id, e.c.hub_id, e.c.host_id, e.c.event_type, e.c.status,
               e.c.start_time, e.c.end_time, e.c.created_at, e.c.doc, e.c.extra)
_EVENT = sa.select(*_EVENT_COLS).where(e.c.id == sa.bindparam("key"))


def get_event(db: Db, event_id: str) -> EventRow | None:
    row = db.one(_EVENT, {"key": event_id})
    return None if row is None else EventRow._make(row)


def _event_values(doc: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    return {"hub_id": doc["hub_id"], "host_id": doc["host_id"], "event_type": doc["event_type"],
            "status": doc["status"], "start_time": doc.get("start_time"), "end_time": doc.get("end_time"),
            "doc": _text(doc), "extra": _text(extra)}


def insert_event(db: Db, account_id: str, doc: dict[str, Any], extra: dict[str, Any], created_at: str) -> None:
    db.execute(e.insert().values(id=doc["event_id"], account_id=account_id, created_at=created_at,
                                 **_event_values(doc, extra)))


def save_event(db: Db, doc: dict[str, Any], extra: dict[str, Any]) -> None:
    db.execute(e.update().where(e.c.id == doc["event_id"]).values(**_event_values(doc, extra)))


def delete_event(db: Db, event_id: str) -> None:
    """The event and everything that hangs off it."""
    db.execute(tk.delete().where(tk.c.event_id == event_id))
    db.execute(tt.delete().where(tt.c.event_id == event_id))
    db.execute(s.delete().where(s.c.event_id == event_id))
    db.execute(e.delete().where(e.c.id == event_id))


# Which events a list's `event_status_type` means, at `now` (UTC text).
def _status_conds(status_type: str, now_iso: str) -> list[Any]:
    if status_type == "draft":
        return [e.c.status == "DRAFT"]
    if status_type == "cancelled":
        return [e.c.status == "CANCELLED"]
    if status_type == "past":
        return [e.c.status == "PUBLISHED", e.c.end_time < now_iso]
    return [e.c.status == "PUBLISHED", sa.or_(e.c.end_time.is_(None), e.c.end_time >= now_iso)]


def _list_conds(account_id: str, role: str, user_id: str, email: str, status_type: str, now_iso: str) -> list[Any]:
    """Events the user hosts (`host`) or holds a ticket for (`attendee`), in the account."""
    conds = [e.c.account_id == account_id, *_status_conds(status_type, now_iso)]
    if role == "host":
        conds.append(e.c.host_id == user_id)
    else:
        held = sa.select(tk.c.event_id).where(tk.c.account_id == account_id, sa.func.lower(tk.c.email) == email.lower(),
                                              tk.c.status != "cancelled")
        conds.append(e.c.id.in_(held))
    return conds


def list_events(db: Db, account_id: str, role: str, user_id: str, email: str, status_type: str, now_iso: str,
                after: int | None, limit: int) -> list[EventRow]:
    """In creation order, keyset on seq."""
    conds = _list_conds(account_id, role, user_id, email, status_type, now_iso)
    if after is not None:
        conds.append(e.c.seq > after)
    q = sa.select(*_EVENT_COLS).where(*conds).order_by(e.c.seq).limit(limit)
    return [EventRow._make(r) for r in db.execute(q)]


def count_events(db: Db, account_id: str, role: str, user_id: str, email: str, status_type: str,
                 now_iso: str) -> int:
    q = sa.select(sa.func.count()).select_from(e).where(
        *_list_conds(account_id, role, user_id, email, status_type, now_iso))
    return int(db.execute(q).scalar() or 0)


# --- sessions ---------------------------------------------------------------------------------

class SessionRow(NamedTuple):
    seq: int
    id: str
    event_id: str
    account_id: str
    type: int
    start_time: str
    end_time: str
    meeting_id: int | None
    doc: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]


_SESSION_COLS = (s.c.seq, s.c.id, s.c.event_id, s.c.account_id, s.c.type, s.c.start_time, s.c.end_time,
                 s.c.meeting_id, s.c.doc)
_SESSION = sa.select(*_SESSION_COLS).where(s.c.id == sa.bindparam("key"), s.c.event_id == sa.bindparam("event"))


def get_session(db: Db, event_id: str, session_id: str) -> SessionRow | None:
    row = db.one(_SESSION, {"key": session_id, "event": event_id})
    return None if row is None else SessionRow._make(row)


def sessions_of(db: Db, event_id: str) -> list[SessionRow]:
    q = sa.select(*_SESSION_COLS).where(s.c.event_id == event_id).order_by(s.c.seq)
    return [SessionRow._make(r) for r in db.execute(q)]


def sessions_backed_by(db: Db, account_id: str, meeting_id: int) -> list[SessionRow]:
    """The account's sessions that this meeting or webinar backs (a published event's)."""
    q = sa.select(*_SESSION_COLS).where(s.c.meeting_id == meeting_id, s.c.account_id == account_id).order_by(s.c.seq)
    return [SessionRow._make(r) for r in db.execute(q)]


def _session_values(doc: dict[str, Any], meeting_id: int | None) -> dict[str, Any]:
    return {"type": doc["type"], "start_time": doc["start_time"], "end_time": doc["end_time"],
            "meeting_id": meeting_id, "doc": _text(doc)}


def insert_session(db: Db, account_id: str, event_id: str, doc: dict[str, Any], created_at: str) -> None:
    db.execute(s.insert().values(id=doc["session_id"], event_id=event_id, account_id=account_id,
                                 created_at=created_at, **_session_values(doc, None)))


def save_session(db: Db, event_id: str, doc: dict[str, Any], meeting_id: int | None) -> None:
    db.execute(s.update().where(s.c.id == doc["session_id"], s.c.event_id == event_id)
               .values(**_session_values(doc, meeting_id)))


def delete_session(db: Db, event_id: str, session_id: str) -> None:
    db.execute(s.delete().where(s.c.id == session_id, s.c.event_id == event_id))


# --- tickets ----------------------------------------------------------------------------------

def count_registrants(db: Db, event_id: str) -> int:
    """Tickets of the event that still hold a place (every ticket makes a registrant)."""
    q = sa.select(sa.func.count()).select_from(tk).where(tk.c.event_id == event_id, tk.c.status != "cancelled")
    return int(db.execute(q).scalar() or 0)
