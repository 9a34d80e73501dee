"""Account items: small account- or user-owned resources kept as documents (tracking fields,
SIP phones, TSP accounts and settings, meeting templates), one `kind` each."""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.storage.db import Db
from zoomsim.storage.schema import account_items as t


class Item(NamedTuple):
    seq: int
    id: str
    owner_id: str
    name: str
    created_at: str
    doc: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]


_COLS = (t.c.seq, t.c.id, t.c.owner_id, t.c.name, t.c.created_at, t.c.doc)
_GET = sa.select(*_COLS).where(
    t.c.account_id == sa.bindparam("aid"), t.c.kind == sa.bindparam("kind"), t.c.id == sa.bindparam("key"))


def get(db: Db, account_id: str, kind: str, item_id: str, owner_id: str | None = None) -> Item | None:
    """One item by id; with `owner_id`, only if that user owns it."""
    row = db.one(_GET, {"aid": account_id, "kind": kind, "key": item_id})
    if row is None:
        return None
    item = Item._make(row)
    if owner_id is not None and item.owner_id != owner_id:
        return None
    return item


def find_by_name(db: Db, account_id: str, kind: str, name: str, owner_id: str | None = None) -> Item | None:
    conds = [t.c.account_id == account_id, t.c.kind == kind, t.c.name == name]
    if owner_id is not None:
        conds.append(t.c.owner_id == owner_id)
    row = db.execute(sa.select(*_COLS).where(*conds).limit(1)).first()
    return None if row is None else Item._make(row)


def insert(db: Db, account_id: str, kind: str, item_id: str, doc: dict[str, Any], *,
           owner_id: str = "", name: str = "", created_at: str = "") -> None:
    db.execute(t.insert().values(
        account_id=account_id, kind=kind, owner_id=owner_id, id=item_id, name=name,
        created_at=created_at, doc=jsonio.dumps(doc).decode()))


def save(db: Db, account_id: str, kind: str, item_id: str, doc: dict[str, Any], *,
         name: str | None = None, owner_id: str | None = None) -> None:
    values: dict[str, Any] = {"doc": jsonio.dumps(doc).decode()}
    if name is not None:
        values["name"] = name
    if owner_id is not None:
        values["owner_id"] = owner_id
    db.execute(t.update().where(t.c.account_id == account_id, t.c.kind == kind, t.c.id == item_id).values(**values))


def upsert(db: Db, account_id: str, kind: str, item_id: str, doc: dict[str, Any], *, owner_id: str = "") -> None:
    """For singletons (an account's TSP settings): one row per (account, kind, id)."""
    if get(db, account_id, kind, item_id) is None:
        insert(db, account_id, kind, item_id, doc, owner_id=owner_id)
    else:
        save(db, account_id, kind, item_id, doc)


def delete(db: Db, account_id: str, kind: str, item_id: str) -> None:
    db.execute(t.delete().where(t.c.account_id == account_id, t.c.kind == kind, t.c.id == item_id))


def _conds(account_id: str, kind: str, owner_id: str | None) -> list[Any]:
    conds = [t.c.account_id == account_id, t.c.kind == kind]
    if owner_id is not None:
        conds.append(t.c.owner_id == owner_id)
    return conds


def page(db: Db, account_id: str, kind: str, owner_id: str | None,
         after: int | None, offset: int, limit: int) -> Sequence[Any]:
    """Rows in creation order; keyset on seq when `after` is given, else offset."""
    conds = _conds(account_id, kind, owner_id)
    if after is not None:
        conds.append(t.c.seq > after)
    q = sa.select(*_COLS).where(*conds).order_by(t.c.seq).limit(limit)
    if offset and after is None:
        q = q.offset(offset)
    return [Item._make(r) for r in db.execute(q)]


def all_of(db: Db, account_id: str, kind: str, owner_id: str | None = None) -> list[Item]:
    q = sa.select(*_COLS).where(*_conds(account_id, kind, owner_id)).order_by(t.c.seq)
    return [Item._make(r) for r in db.execute(q)]


def count(db: Db, account_id: str, kind: str, owner_id: str | None = None) -> int:
    q = sa.select(sa.func.count()).select_from(t).where(*_conds(account_id, kind, owner_id))
    return int(db.execute(q).scalar() or 0)
