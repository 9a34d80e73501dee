"""The audit trail and the event streams the audit reports read, newest first.

Stored rows (table audit_log): admin changes made through the API (kind 'operation') and
token grants (kind 'signin'). Derived streams read what meetings already recorded (meetings,
instances, participant sessions); nothing is written twice.

Every stream pages the same way so several can be merged into one list: rows sort newest first
by (time, rank, seq), where `rank` orders the streams that share a time and `seq` is the row's
own key. A cursor is the (time, rank, seq) of the last row a page showed."""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import sqlalchemy as sa

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.storage.db import Db
from zoomsim.storage.schema import audit_log as t
from zoomsim.storage.schema import instances as i_t
from zoomsim.storage.schema import meetings as m_t
from zoomsim.storage.schema import participants as p_t
from zoomsim.storage.schema import users as u_t

# Zoom ends any meeting after 30 hours, so a session (or instance) that ended inside a window
# began at most this long before it. Bounding the start keeps the scans on their indexes.
LONGEST_MEETING_SECONDS = 30 * 3600

Cursor = tuple[str, int, int]


class Event(NamedTuple):
    """One row of a stream: its sort key and the stream's own columns."""

    time: str
    rank: int
    seq: int
    row: Any


def cursor(value: Any) -> Cursor | None:
    """A cursor read back from a page token (a JSON list), or None for the first page."""
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:])):
        raise ValueError("bad cursor")
    return value[0], value[1], value[2]


def _older(time_col: Any, seq_col: Any, rank: int, after: Cursor | None) -> list[Any]:
    """Rows of a stream of `rank` that sort after the cursor (newest first)."""
    if after is None:
        return []
    at, at_rank, at_seq = after
    if rank < at_rank:
        return [time_col <= at]
    if rank > at_rank:
        return [time_col < at]
    return [sa.or_(time_col < at, sa.and_(time_col == at, seq_col < at_seq))]


def _events(db: Db, q: Any, rank: int, limit: int) -> list[Event]:
    rows: Any = db.execute(q.limit(limit))
    return [Event(r.time, rank, int(r.seq), r) for r in rows]


def merge(streams: Sequence[list[Event]], limit: int) -> list[Event]:
    """The newest `limit` events of several streams, each already newest first."""
    every = [e for stream in streams for e in stream]
    every.sort(key=lambda e: (e.time, e.rank, e.seq), reverse=True)
    return every[:limit]


# ---- stored rows ------------------------------------------------------------------------------

def add(db: Db, account_id: str, kind: str, time: str, category: str, doc: dict[str, Any]) -> None:
    db.execute(t.insert(), {"account_id": account_id, "kind": kind, "time": time, "category": category,
                            "doc": jsonio.dumps(doc).decode()})


def logged(db: Db, account_id: str, kind: str, start: str, end: str, categories: Sequence[str] | None,
           rank: int, after: Cursor | None, limit: int) -> list[Event]:
    """Stored rows of one kind with start <= time < end (optionally of some categories)."""
    conds = [t.c.account_id == account_id, t.c.kind == kind, t.c.time >= start, t.c.time < end,
             *_older(t.c.time, t.c.seq, rank, after)]
    if categories is not None:
        conds.append(t.c.category.in_(list(categories)))
    q = (sa.select(t.c.seq, t.c.time, t.c.category, t.c.doc).where(*conds)
         .order_by(t.c.time.desc(), t.c.seq.desc()))
    return _events(db, q, rank, limit)


# ---- signed-in users' sessions (sign in / sign out) -----------------------------------------------

def _shift(stamp: str, seconds: int) -> str:
    return clockmod.iso(clockmod.parse_iso(stamp) - seconds)


def signed_in_sessions(db: Db, account_id: str, start: str, end: str, *, leaving: bool, rank: int,
                       after: Cursor | None, limit: int) -> list[Event]:
    """Sessions of the account's own users who joined (or, with `leaving`, left) in the window.

    Goes through the (user_id, join_time) index: one range per user of the account."""
    time_col = p_t.c.leave_time if leaving else p_t.c.join_time
    members = sa.select(u_t.c.id).where(u_t.c.account_id == account_id).scalar_subquery()
    conds = [p_t.c.user_id.in_(members), p_t.c.account_id == account_id]
    if leaving:
        conds += [p_t.c.join_time >= _shift(start, LONGEST_MEETING_SECONDS), p_t.c.join_time < end,
                  p_t.c.leave_time.is_not(None)]
    conds += [time_col >= start, time_col < end, *_older(time_col, p_t.c.seq, rank, after)]
    q = (sa.select(p_t.c.seq, time_col.label("time"), p_t.c.email, p_t.c.doc).where(*conds)
         .order_by(time_col.desc(), p_t.c.seq.desc()))
    return _events(db, q, rank, limit)


# ---- meeting activity: created, started, ended, joined, left ---------------------------------------

def meetings_created(db: Db, account_id: str, start: str, end: str, meeting_id: int | None,
                     host_ids: Sequence[str] | None, rank: int, after: Cursor | None, limit: int) -> list[Event]:
    """The account's meetings created in the window (deleted ones too: the creation happened)."""
    conds = [m_t.c.account_id == account_id, m_t.c.created_at >= start, m_t.c.created_at < end,
             *_older(m_t.c.created_at, m_t.c.seq, rank, after)]
    if meeting_id is not None:
        conds.append(m_t.c.id == meeting_id)
    if host_ids is not None:
        conds.append(m_t.c.host_id.in_(list(host_ids)))
    q = (sa.select(m_t.c.seq, m_t.c.created_at.label("time"), m_t.c.id.label("meeting_id"), m_t.c.host_id,
                   m_t.c.doc).where(*conds).order_by(m_t.c.created_at.desc(), m_t.c.seq.desc()))
    return _events(db, q, rank, limit)


def _instance_conds(account_id: str, start: str, end: str, meeting_id: int | None) -> list[Any]:
    """Meeting instances that may hold something inside the window."""
    conds = [i_t.c.account_id == account_id, i_t.c.kind == "meeting",
             i_t.c.start_time >= _shift(start, LONGEST_MEETING_SECONDS), i_t.c.start_time < end]
    if meeting_id is not None:
        conds.append(i_t.c.meeting_id == meeting_id)
    return conds


def instance_edges(db: Db, account_id: str, start: str, end: str, meeting_id: int | None,
                   host_ids: Sequence[str] | None, *, ending: bool, rank: int, after: Cursor | None,
                   limit: int) -> list[Event]:
    """Instances that started (or, with `ending`, ended) in the window."""
    time_col = i_t.c.end_time if ending else i_t.c.start_time
    conds = [*_instance_conds(account_id, start, end, meeting_id), time_col >= start, time_col < end,
             *_older(time_col, i_t.c.seq, rank, after)]
    if host_ids is not None:
        conds.append(i_t.c.host_id.in_(list(host_ids)))
    q = (sa.select(i_t.c.seq, time_col.label("time"), i_t.c.meeting_id, i_t.c.topic, i_t.c.start_time, i_t.c.doc)
         .where(*conds).order_by(time_col.desc(), i_t.c.seq.desc()))
    return _events(db, q, rank, limit)


def session_edges(db: Db, account_id: str, start: str, end: str, meeting_id: int | None, search: str,
                  *, leaving: bool, rank: int, after: Cursor | None, limit: int) -> list[Event]:
    """Sessions in the account's meetings that joined (or, with `leaving`, left) in the window,
    optionally only those whose name or email holds `search` (any case)."""
    time_col = p_t.c.leave_time if leaving else p_t.c.join_time
    conds = [*_instance_conds(account_id, start, end, meeting_id), time_col >= start, time_col < end,
             *_older(time_col, p_t.c.seq, rank, after)]
    if search:
        needle = search.lower()
        conds.append(sa.or_(sa.func.lower(p_t.c.name).contains(needle, autoescape=True),
                            sa.func.lower(p_t.c.email).contains(needle, autoescape=True)))
    q = (sa.select(p_t.c.seq, time_col.label("time"), i_t.c.meeting_id, i_t.c.topic, p_t.c.name, p_t.c.email,
                   p_t.c.duration, p_t.c.doc)
         .select_from(p_t.join(i_t, i_t.c.seq == p_t.c.instance_seq)).where(*conds)
         .order_by(time_col.desc(), p_t.c.seq.desc()))
    return _events(db, q, rank, limit)


def users_matching(db: Db, account_id: str, search: str) -> dict[str, tuple[str, str]]:
    """The account's users whose email or display name holds `search` (any case): id -> (name, email)."""
    needle = search.lower()
    q = sa.select(u_t.c.id, u_t.c.email, u_t.c.doc).where(
        u_t.c.account_id == account_id,
        sa.or_(sa.func.lower(u_t.c.email).contains(needle, autoescape=True),
               sa.func.lower(u_t.c.doc).contains(needle, autoescape=True)))
    out: dict[str, tuple[str, str]] = {}
    rows: Any = db.execute(q)
    for user_id, email, doc in rows:
        name = str(jsonio.loads(doc).get("display_name") or email)
        if needle in email.lower() or needle in name.lower():
            out[str(user_id)] = (name, str(email))
    return out


def user_names(db: Db, account_id: str, user_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """id -> (display name, email) for the users given (absent when deleted)."""
    if not user_ids:
        return {}
    q = sa.select(u_t.c.id, u_t.c.email, u_t.c.doc).where(u_t.c.account_id == account_id,
                                                          u_t.c.id.in_(sorted(set(user_ids))))
    out: dict[str, tuple[str, str]] = {}
    rows: Any = db.execute(q)
    for user_id, email, doc in rows:
        out[str(user_id)] = (str(jsonio.loads(doc).get("display_name") or email), str(email))
    return out
