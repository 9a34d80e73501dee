"""Fault rules (table fault_rules in schema.py)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row

from zoomsim.storage.db import Db
from zoomsim.storage.schema import fault_rules as rules


def all_rules(db: Db) -> list[Row]:
    return list(db.execute(sa.select(rules).order_by(rules.c.seq)))


def get(db: Db, rule_id: str) -> Row | None:
    return db.execute(sa.select(rules).where(rules.c.id == rule_id)).first()


def insert(db: Db, **values: Any) -> None:
    db.execute(rules.insert().values(**values))


def delete(db: Db, rule_id: str) -> bool:
    return bool(db.execute(rules.delete().where(rules.c.id == rule_id)).rowcount)


def delete_all(db: Db) -> None:
    db.execute(rules.delete())


def counts(db: Db, rule_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(matched, fired) of each rule, read in the caller's (locked) transaction."""
    found = db.execute(sa.select(rules.c.id, rules.c.matched, rules.c.fired).where(rules.c.id.in_(rule_ids)))
    return {r.id: (int(r.matched), int(r.fired)) for r in found}


def set_counts(db: Db, rule_id: str, matched: int, fired: int) -> None:
    db.execute(rules.update().where(rules.c.id == rule_id).values(matched=matched, fired=fired))
