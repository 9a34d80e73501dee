"""Users: typed columns for lookup and filters, `doc` holds the user object Zoom returns."""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Row

from zoomsim.storage.db import Db

from zoomsim import jsonio
from zoomsim.storage.schema import users

class UserRow(NamedTuple):
    seq: int
    id: str
    account_id: str
    email: str
    status: str
    type: int
    role_id: str
    host_key: str
    doc: str


_COLS = (users.c.seq, users.c.id, users.c.account_id, users.c.email, users.c.status,
         users.c.type, users.c.role_id, users.c.host_key, users.c.doc)
_BY_ID = sa.select(*_COLS).where(users.c.account_id == sa.bindparam("aid"), users.c.id == sa.bindparam("key"))
_BY_EMAIL = sa.select(*_COLS).where(users.c.account_id == sa.bindparam("aid"), users.c.email == sa.bindparam("key"))


def get(db: Db, account_id: str, key: str) -> UserRow | None:
    """By user id, or by email when the key holds an '@' (emails are stored lower-cased)."""
    if "@" in key:
        row = db.one(_BY_EMAIL, {"aid": account_id, "key": key.lower()})
    else:
        row = db.one(_BY_ID, {"aid": account_id, "key": key})
    return None if row is None else UserRow._make(row)


def insert(db: Db, doc: dict[str, Any], host_key: str) -> None:
    db.execute(users.insert().values(
        id=doc["id"], account_id=doc["account_id"], email=doc["email"].lower(), status=doc["status"],
        type=doc["type"], role_id=doc["role_id"], created_at=doc["created_at"], host_key=host_key,
        doc=jsonio.dumps(doc).decode(),
    ))


def save(db: Db, doc: dict[str, Any], host_key: str | None = None) -> None:
    values: dict[str, Any] = {
        "status": doc["status"], "type": doc["type"], "role_id": doc["role_id"],
        "email": doc["email"].lower(), "doc": jsonio.dumps(doc).decode(),
    }
    if host_key is not None:
        values["host_key"] = host_key
    db.execute(users.update().where(users.c.account_id == doc["account_id"], users.c.id == doc["id"]).values(**values))


def delete(db: Db, account_id: str, user_id: str) -> None:
    db.execute(users.delete().where(users.c.account_id == account_id, users.c.id == user_id))


def _filtered(account_id: str, status: str | None, role_id: str | None) -> list[Any]:
    conds = [users.c.account_id == account_id]
    if status:
        conds.append(users.c.status == status)
    if role_id:
        conds.append(users.c.role_id == role_id)
    return conds


def page(db: Db, account_id: str, status: str | None, role_id: str | None,
         after: int | None, offset: int, limit: int) -> Sequence[Row]:
    conds = _filtered(account_id, status, role_id)
    if after is not None:
        conds.append(users.c.seq > after)
    q = sa.select(*_COLS).where(*conds).order_by(users.c.seq).limit(limit)
    if offset:
        q = q.offset(offset)
    return list(db.execute(q))


def count(db: Db, account_id: str, status: str | None, role_id: str | None) -> int:
    return db.execute(sa.select(sa.func.count()).select_from(users).where(*_filtered(account_id, status, role_id))).scalar() or 0
