"""Meeting parts: documents that belong to one meeting and are served on their own paths.
Polls are one row each (id = poll id); survey, livestream, registration questions and the
summary are singletons (id = "")."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.storage.db import Db
from zoomsim.storage.schema import meeting_parts as t

_GET = sa.select(t.c.doc).where(
    t.c.meeting_id == sa.bindparam("mid"), t.c.kind == sa.bindparam("kind"), t.c.id == sa.bindparam("key"))


def get_raw(db: Db, meeting_id: int, kind: str, part_id: str = "") -> str | None:
    row = db.one(_GET, {"mid": meeting_id, "kind": kind, "key": part_id})
    return None if row is None else str(row[0])


def get(db: Db, meeting_id: int, kind: str, part_id: str = "") -> dict[str, Any] | None:
    raw = get_raw(db, meeting_id, kind, part_id)
    return None if raw is None else jsonio.loads(raw)  # type: ignore[no-any-return]


def put(db: Db, account_id: str, meeting_id: int, kind: str, doc: dict[str, Any], part_id: str = "") -> None:
    """Insert or replace."""
    text = jsonio.dumps(doc).decode()
    done = db.execute(t.update().where(t.c.meeting_id == meeting_id, t.c.kind == kind, t.c.id == part_id)
                      .values(doc=text))
    if not done.rowcount:
        db.execute(t.insert().values(meeting_id=meeting_id, kind=kind, id=part_id, account_id=account_id, doc=text))


def delete(db: Db, meeting_id: int, kind: str, part_id: str | None = "") -> int:
    """Delete one part, or every part of `kind` when part_id is None. Returns rows deleted."""
    conds = [t.c.meeting_id == meeting_id, t.c.kind == kind]
    if part_id is not None:
        conds.append(t.c.id == part_id)
    return int(db.execute(t.delete().where(*conds)).rowcount or 0)


def all_of(db: Db, meeting_id: int, kind: str) -> list[dict[str, Any]]:
    q = sa.select(t.c.doc).where(t.c.meeting_id == meeting_id, t.c.kind == kind).order_by(t.c.seq)
    return [jsonio.loads(r[0]) for r in db.execute(q)]


def count(db: Db, meeting_id: int, kind: str) -> int:
    q = sa.select(sa.func.count()).select_from(t).where(t.c.meeting_id == meeting_id, t.c.kind == kind)
    return int(db.execute(q).scalar() or 0)


def delete_meeting(db: Db, meeting_id: int) -> None:
    db.execute(t.delete().where(t.c.meeting_id == meeting_id))
