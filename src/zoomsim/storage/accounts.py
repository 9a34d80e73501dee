"""Accounts: plan and licences decide rate limits and which products a tenant may use."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from zoomsim import jsonio
from zoomsim.storage.schema import accounts

_BY_ID = sa.select(accounts).where(accounts.c.id == sa.bindparam("id"))


def get(conn: Connection, account_id: str) -> Row | None:
    return conn.execute(_BY_ID, {"id": account_id}).first()


def insert(conn: Connection, account_id: str, plan: str, created_at: str, doc: dict[str, Any]) -> None:
    conn.execute(accounts.insert().values(id=account_id, plan=plan, created_at=created_at, doc=jsonio.dumps(doc).decode()))


def set_owner(conn: Connection, account_id: str, owner_id: str) -> None:
    conn.execute(accounts.update().where(accounts.c.id == account_id).values(owner_id=owner_id))


def list_all(conn: Connection) -> list[Row]:
    return list(conn.execute(sa.select(accounts).order_by(accounts.c.seq)))
