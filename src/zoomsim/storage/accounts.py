"""Accounts: plan and licences decide rate limits and which products a tenant may use."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row

from zoomsim.storage.db import Db

from zoomsim import jsonio
from zoomsim.storage.schema import accounts

_BY_ID = sa.select(accounts).where(accounts.c.id == sa.bindparam("id"))


def get(db: Db, account_id: str) -> Row | None:
    return db.execute(_BY_ID, {"id": account_id}).first()


def insert(db: Db, account_id: str, plan: str, created_at: str, doc: dict[str, Any]) -> None:
    db.execute(accounts.insert().values(id=account_id, plan=plan, created_at=created_at, doc=jsonio.dumps(doc).decode()))


def set_owner(db: Db, account_id: str, owner_id: str) -> None:
    db.execute(accounts.update().where(accounts.c.id == account_id).values(owner_id=owner_id))


def list_all(db: Db) -> list[Row]:
    return list(db.execute(sa.select(accounts).order_by(accounts.c.seq)))


def delete_all(db: Db, account_id: str) -> None:
    """The account and every row it owns, in the caller's transaction. Rows that hang off an
    instance (Q&A, votes) go with the account's instances."""
    from zoomsim.storage.schema import instance_records, instances, metadata

    db.execute(instance_records.delete().where(instance_records.c.instance_seq.in_(
        sa.select(instances.c.seq).where(instances.c.account_id == account_id))))
    for table in reversed(metadata.sorted_tables):
        if table is not accounts and "account_id" in table.c:
            db.execute(table.delete().where(table.c.account_id == account_id))
    db.execute(accounts.delete().where(accounts.c.id == account_id))
