"""Meeting registrants: one row per (meeting, email). Typed columns for what lists filter and
page on (meeting, status, seq) and what must be unique (email, stored lower-cased); `doc` is
the registrant object Zoom returns, so a list page is the stored texts joined, never decoded."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from zoomsim import jsonio
from zoomsim.storage.db import Db
from zoomsim.storage.schema import registrants as t


class RegistrantRow(NamedTuple):
    seq: int
    id: str
    meeting_id: int
    email: str
    status: str
    created_at: str
    doc: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]


_COLS = (t.c.seq, t.c.id, t.c.meeting_id, t.c.email, t.c.status, t.c.created_at, t.c.doc)
_BY_ID = sa.select(*_COLS).where(t.c.meeting_id == sa.bindparam("mid"), t.c.id == sa.bindparam("key"))
_BY_EMAIL = sa.select(*_COLS).where(t.c.meeting_id == sa.bindparam("mid"), t.c.email == sa.bindparam("key"))


def get(db: Db, meeting_id: int, registrant_id: str) -> RegistrantRow | None:
    row = db.one(_BY_ID, {"mid": meeting_id, "key": registrant_id})
    return None if row is None else RegistrantRow._make(row)


def get_by_email(db: Db, meeting_id: int, email: str) -> RegistrantRow | None:
    row = db.one(_BY_EMAIL, {"mid": meeting_id, "key": email.lower()})
    return None if row is None else RegistrantRow._make(row)


def find(db: Db, meeting_id: int, ids: Iterable[str] = (), emails: Iterable[str] = ()) -> list[RegistrantRow]:
    """A meeting's registrants named by id or by email (any case), in registration order."""
    ids, emails = list(dict.fromkeys(ids)), list(dict.fromkeys(e.lower() for e in emails))
    if not ids and not emails:
        return []
    match = []
    if ids:
        match.append(t.c.id.in_(ids))
    if emails:
        match.append(t.c.email.in_(emails))
    q = sa.select(*_COLS).where(t.c.meeting_id == meeting_id, sa.or_(*match)).order_by(t.c.seq)
    return [RegistrantRow._make(r) for r in db.execute(q)]


def _insert_ignoring_duplicates(db: Db) -> Any:
    """INSERT that skips a row whose (meeting, email) is already registered, so two requests
    registering the same address at once leave one registration and no error."""
    dialect = db.conn.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(t).on_conflict_do_nothing(index_elements=["meeting_id", "email"])
    if dialect == "sqlite":
        return sqlite.insert(t).on_conflict_do_nothing(index_elements=["meeting_id", "email"])
    return t.insert()


def row_values(account_id: str, meeting_id: int, doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["id"], "meeting_id": meeting_id, "account_id": account_id, "email": doc["email"].lower(),
            "status": doc["status"], "created_at": doc["create_time"], "doc": jsonio.dumps(doc).decode()}


def insert_many(db: Db, account_id: str, meeting_id: int, docs: Sequence[dict[str, Any]]) -> None:
    """Insert registrants; an address already registered for the meeting is skipped."""
    if docs:
        db.execute(_insert_ignoring_duplicates(db), [row_values(account_id, meeting_id, d) for d in docs])


def save(db: Db, meeting_id: int, docs: Sequence[dict[str, Any]]) -> None:
    """Rewrite registrants' status and document (the document carries the status too)."""
    if not docs:
        return
    stmt = (t.update().where(t.c.meeting_id == meeting_id, t.c.id == sa.bindparam("key"))
            .values(status=sa.bindparam("new_status"), doc=sa.bindparam("new_doc")))
    db.execute(stmt, [{"key": d["id"], "new_status": d["status"], "new_doc": jsonio.dumps(d).decode()}
                      for d in docs])


def delete(db: Db, meeting_id: int, registrant_id: str) -> int:
    return int(db.execute(t.delete().where(t.c.meeting_id == meeting_id, t.c.id == registrant_id)).rowcount or 0)


def _conds(meeting_id: int, statuses: Sequence[str] | None, exclude: Sequence[str] | None,
           include: Sequence[str] | None = None) -> list[Any]:
    conds: list[Any] = [t.c.meeting_id == meeting_id]
    if statuses is not None:
        conds.append(t.c.status == statuses[0] if len(statuses) == 1 else t.c.status.in_(list(statuses)))
    if exclude:
        conds.append(t.c.id.not_in(list(exclude)))
    if include is not None:
        conds.append(t.c.id.in_(list(include)))
    return conds


_COUNT_STATUS = sa.select(sa.func.count()).select_from(t).where(
    t.c.meeting_id == sa.bindparam("mid"), t.c.status == sa.bindparam("st"))


def count(db: Db, meeting_id: int, statuses: Sequence[str] | None = None,
          exclude: Sequence[str] | None = None, include: Sequence[str] | None = None) -> int:
    """Counted by the database on the (meeting_id, status, seq) index; rows are never loaded.
    `exclude` leaves those registrants out; `include`, when given, counts only those."""
    if statuses is not None and len(statuses) == 1 and not exclude and include is None:
        return int(db.execute(_COUNT_STATUS, {"mid": meeting_id, "st": statuses[0]}).scalar() or 0)
    q = sa.select(sa.func.count()).select_from(t).where(*_conds(meeting_id, statuses, exclude, include))
    return int(db.execute(q).scalar() or 0)


# The list's page query, built once: keyset (seq > after) when a page token is given, OFFSET only
# for the deprecated page_number. Both walk the (meeting_id, status, seq) index in order.
_PAGE_AFTER = (sa.select(t.c.seq, t.c.doc)
               .where(t.c.meeting_id == sa.bindparam("mid"), t.c.status == sa.bindparam("st"),
                      t.c.seq > sa.bindparam("after"))
               .order_by(t.c.seq).limit(sa.bindparam("lim")))
_PAGE_FIRST = (sa.select(t.c.seq, t.c.doc)
               .where(t.c.meeting_id == sa.bindparam("mid"), t.c.status == sa.bindparam("st"))
               .order_by(t.c.seq).limit(sa.bindparam("lim")).offset(sa.bindparam("off")))


def page(db: Db, meeting_id: int, status: str, after: int | None, offset: int, limit: int,
         exclude: Sequence[str] | None = None, include: Sequence[str] | None = None) -> list[Any]:
    """(seq, doc text) rows of one page of a meeting's registrants with `status`, in registration order,
    leaving out the `exclude`d ones (those not attending an occurrence) and, when `include` is
    given, all but those (the registrants of one tracking source)."""
    # fetchall(): one driver call for the page (iterating a result fetches row by row)
    if not exclude and include is None:
        if after is not None:
            return list(db.execute(_PAGE_AFTER, {"mid": meeting_id, "st": status, "after": after,
                                                 "lim": limit}).fetchall())
        return list(db.execute(_PAGE_FIRST, {"mid": meeting_id, "st": status, "lim": limit,
                                             "off": offset}).fetchall())
    conds = _conds(meeting_id, [status], exclude, include)
    if after is not None:
        conds.append(t.c.seq > after)
    q = sa.select(t.c.seq, t.c.doc).where(*conds).order_by(t.c.seq).limit(limit)
    if offset and after is None:
        q = q.offset(offset)
    return list(db.execute(q).fetchall())
