"""Installation-wide key/value settings (signing key, default tenant ids, clock state)."""
from __future__ import annotations

import sqlalchemy as sa
from zoomsim.storage.db import Db

from zoomsim.storage.schema import settings

_GET = sa.select(settings.c.value).where(settings.c.key == sa.bindparam("key"))


def get(db: Db, key: str) -> str | None:
    return db.execute(_GET, {"key": key}).scalar()


def put(db: Db, key: str, value: str) -> None:
    if db.execute(_GET, {"key": key}).scalar() is None:
        db.execute(settings.insert().values(key=key, value=value))
    else:
        db.execute(settings.update().where(settings.c.key == key).values(value=value))


def get_all(db: Db) -> dict[str, str]:
    return {row.key: row.value for row in db.execute(sa.select(settings))}
