"""Installation-wide key/value settings (signing key, default tenant ids, clock state)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from zoomsim.storage.schema import settings

_GET = sa.select(settings.c.value).where(settings.c.key == sa.bindparam("key"))


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(_GET, {"key": key}).scalar()


def put(conn: Connection, key: str, value: str) -> None:
    if conn.execute(_GET, {"key": key}).scalar() is None:
        conn.execute(settings.insert().values(key=key, value=value))
    else:
        conn.execute(settings.update().where(settings.c.key == key).values(value=value))


def get_all(conn: Connection) -> dict[str, str]:
    return {row.key: row.value for row in conn.execute(sa.select(settings))}
