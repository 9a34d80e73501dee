"""Meetings: typed columns for lookup and list filters; `doc` is the meeting object Zoom
returns, `extra` our own bookkeeping (template, occurrence changes)."""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.storage.db import Db
from zoomsim.storage.schema import meetings as t
from zoomsim.storage.schema import users as u


class MeetingRow(NamedTuple):
    seq: int
    id: int
    uuid: str
    account_id: str
    host_id: str
    type: int
    status: str
    start_time: str | None
    end_time: str | None
    doc: str
    extra: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]

    def extras(self) -> dict[str, Any]:
        return jsonio.loads(self.extra)  # type: ignore[no-any-return]


_COLS = (t.c.seq, t.c.id, t.c.uuid, t.c.account_id, t.c.host_id, t.c.type, t.c.status,
         t.c.start_time, t.c.end_time, t.c.doc, t.c.extra)
_BY_ID = sa.select(*_COLS).where(t.c.id == sa.bindparam("key"))
_BY_UUID = sa.select(*_COLS).where(t.c.uuid == sa.bindparam("key"))
# The meeting and its host's status in one read (the host row is in the meeting's account):
# every call on a meeting checks the host may still hold meetings, and a second query for it
# cost GET /v2/meetings/{meetingId} about as much as the meeting read itself.
_BY_ID_HOST = (sa.select(*_COLS, u.c.status)
               .select_from(t.outerjoin(u, sa.and_(u.c.account_id == t.c.account_id, u.c.id == t.c.host_id)))
               .where(t.c.id == sa.bindparam("key")))


def get(db: Db, meeting_id: int) -> MeetingRow | None:
    """Any account's meeting: callers decide what another account may learn of it."""
    row = db.one(_BY_ID, {"key": meeting_id})
    return None if row is None else MeetingRow._make(row)


def get_with_host_status(db: Db, meeting_id: int) -> tuple[MeetingRow, str | None] | None:
    """Any account's meeting, with its host's user status (None when the host is gone)."""
    row = db.one(_BY_ID_HOST, {"key": meeting_id})
    return None if row is None else (MeetingRow._make(row[:-1]), row[-1])


def get_by_uuid(db: Db, uuid: str) -> MeetingRow | None:
    row = db.one(_BY_UUID, {"key": uuid})
    return None if row is None else MeetingRow._make(row)


def _values(doc: dict[str, Any], extra: dict[str, Any], span: tuple[str | None, str | None]) -> dict[str, Any]:
    return {
        "uuid": doc["uuid"], "host_id": doc["host_id"], "type": doc["type"],
        "status": "deleted" if extra.get("deleted_at") else doc.get("status", "waiting"),
        "start_time": span[0], "end_time": span[1],
        "doc": jsonio.dumps(doc).decode(), "extra": jsonio.dumps(extra).decode(),
    }


# Built once: constructing DML per request costs more than running it on SQLite.
_INSERT = t.insert()
_UPDATE = t.update().where(t.c.id == sa.bindparam("key"))
_DELETE = t.delete().where(t.c.id == sa.bindparam("key"))


def insert(db: Db, account_id: str, doc: dict[str, Any], extra: dict[str, Any],
           span: tuple[str | None, str | None]) -> None:
    db.execute(_INSERT, {"id": doc["id"], "account_id": account_id, "created_at": doc["created_at"],
                         **_values(doc, extra, span)})


def save(db: Db, doc: dict[str, Any], extra: dict[str, Any], span: tuple[str | None, str | None]) -> None:
    db.execute(_UPDATE, {"key": doc["id"], **_values(doc, extra, span)})


def delete(db: Db, meeting_id: int) -> None:
    db.execute(_DELETE, {"key": meeting_id})


def number_taken(db: Db, meeting_id: int) -> bool:
    return db.one(_BY_ID, {"key": meeting_id}) is not None


def _host_conds(host_id: str, *, ends_after: str | None = None, ends_before: str | None = None,
                starts_after: str | None = None,
                starts_before: str | None = None, status: str | None = None,
                types: Sequence[int] | None = None) -> list[Any]:
    """A host's meetings, filtered by the columns the list types need. Deleted meetings (kept
    for `recover`) only show when asked for by status. Meetings with no time match any range."""
    conds: list[Any] = [t.c.host_id == host_id]
    if ends_after is not None:
        conds.append(sa.or_(t.c.end_time.is_(None), t.c.end_time >= ends_after))
    if ends_before is not None:     # over by then: meetings with no time never are
        conds.append(t.c.end_time < ends_before)
    if starts_after is not None:
        conds.append(sa.or_(t.c.start_time.is_(None), t.c.start_time >= starts_after))
    if starts_before is not None:
        conds.append(sa.or_(t.c.start_time.is_(None), t.c.start_time <= starts_before))
    conds.append(t.c.status == status if status is not None else t.c.status != "deleted")
    if types is not None:
        conds.append(t.c.type.in_(list(types)))
    return conds


def for_host(db: Db, host_id: str, *, after: int | None = None, offset: int = 0, limit: int | None = None,
             **filters: Any) -> list[MeetingRow]:
    """In creation order; keyset on seq when `after` is given."""
    conds = _host_conds(host_id, **filters)
    if after is not None:
        conds.append(t.c.seq > after)
    q = sa.select(*_COLS).where(*conds).order_by(t.c.seq)
    if limit is not None:
        q = q.limit(limit)
    if offset and after is None:
        q = q.offset(offset)
    return [MeetingRow._make(r) for r in db.execute(q)]


def count_for_host(db: Db, host_id: str, **filters: Any) -> int:
    q = sa.select(sa.func.count()).select_from(t).where(*_host_conds(host_id, **filters))
    return int(db.execute(q).scalar() or 0)
