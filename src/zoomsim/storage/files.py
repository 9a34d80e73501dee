"""Uploaded files: one row per file of a meeting or webinar, keyed by its id, with its bytes.
Everything but `get_data` reads the small columns only, so listing a webinar's ten 15 MB
backgrounds never moves 150 MB through the driver."""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa

from zoomsim.storage.db import Db
from zoomsim.storage.schema import files as t


class FileRow(NamedTuple):
    seq: int
    id: str
    meeting_id: int
    kind: str
    name: str
    content_type: str
    size: int
    created_at: str


_COLS = (t.c.seq, t.c.id, t.c.meeting_id, t.c.kind, t.c.name, t.c.content_type, t.c.size, t.c.created_at)


def insert(db: Db, account_id: str, meeting_id: int, kind: str, file_id: str, name: str, content_type: str,
           data: bytes, created_at: str) -> FileRow:
    db.execute(t.insert().values(id=file_id, account_id=account_id, meeting_id=meeting_id, kind=kind, name=name,
                                 content_type=content_type, size=len(data), created_at=created_at, data=data))
    found = get(db, meeting_id, kind, file_id)
    assert found is not None
    return found


def get(db: Db, meeting_id: int, kind: str, file_id: str) -> FileRow | None:
    row = db.execute(sa.select(*_COLS).where(t.c.meeting_id == meeting_id, t.c.kind == kind,
                                             t.c.id == file_id)).first()
    return None if row is None else FileRow._make(row)


def list_of(db: Db, meeting_id: int, kind: str) -> list[FileRow]:
    """A meeting's files of one kind, oldest first."""
    q = sa.select(*_COLS).where(t.c.meeting_id == meeting_id, t.c.kind == kind).order_by(t.c.seq)
    return [FileRow._make(r) for r in db.execute(q)]


def count(db: Db, meeting_id: int, kind: str) -> int:
    q = sa.select(sa.func.count()).select_from(t).where(t.c.meeting_id == meeting_id, t.c.kind == kind)
    return int(db.execute(q).scalar() or 0)


def get_data(db: Db, meeting_id: int, file_id: str) -> bytes | None:
    """The stored bytes of one file."""
    value = db.execute(sa.select(t.c.data).where(t.c.meeting_id == meeting_id, t.c.id == file_id)).scalar()
    return None if value is None else bytes(value)


def delete(db: Db, meeting_id: int, kind: str, ids: Sequence[str] | None = None) -> int:
    """Delete the named files of `kind` (all of them when `ids` is None). Returns rows deleted."""
    conds = [t.c.meeting_id == meeting_id, t.c.kind == kind]
    if ids is not None:
        conds.append(t.c.id.in_(list(ids)))
    return int(db.execute(t.delete().where(*conds)).rowcount or 0)
