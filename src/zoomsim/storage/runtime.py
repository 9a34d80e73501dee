"""The shared runtime row (generation + clock and token epochs) and the rate-limit counters.

The counters are only used on PostgreSQL, where several workers must count together; their
statement is written for it (one INSERT ... ON CONFLICT per request, every counter of the
request in it, answered with the new counts)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from zoomsim.storage.db import Db, FastReader
from zoomsim.storage.schema import rate_counters, runtime_state as t

ROW = 1
_READ = sa.select(t.c.generation, t.c.doc).where(t.c.id == sa.bindparam("row"))
_READ_LOCKED = _READ.with_for_update()


def read(fast: FastReader) -> tuple[int, str] | None:
    """The current generation and document, on the worker's autocommit connection."""
    row = fast.one(_READ, {"row": ROW})
    return None if row is None else (int(row[0]), row[1])


def read_for_change(db: Db) -> tuple[int, str] | None:
    """The row, locked until the change commits, so two changes made at once both count."""
    row = db.execute(_READ_LOCKED, {"row": ROW}).first()
    return None if row is None else (int(row[0]), row[1])


def write(db: Db, generation: int, doc: str) -> None:
    if db.execute(t.update().where(t.c.id == ROW).values(generation=generation, doc=doc)).rowcount == 0:
        db.execute(t.insert().values(id=ROW, generation=generation, doc=doc))


def _hit_sql(n: int) -> str:
    values = ", ".join(["(%s, %s, 1)"] * n)
    return ("INSERT INTO rate_counters AS c (key, win, hits) VALUES " + values +
            " ON CONFLICT (key) DO UPDATE SET hits = CASE WHEN c.win = EXCLUDED.win THEN c.hits + 1 ELSE 1 END,"
            " win = EXCLUDED.win RETURNING key, hits")


_HIT_SQL = {n: _hit_sql(n) for n in range(1, 5)}


def hit(fast: FastReader, keys: list[tuple[str, int]]) -> dict[str, int]:
    """Count one request in each (counter, window); the counts after it, by counter."""
    args: list[Any] = []
    for key, window in keys:
        args.extend((key, window))
    sql = _HIT_SQL.get(len(keys)) or _hit_sql(len(keys))
    return {k: int(n) for k, n in fast.rows(sql, args)}


def clear_counters(db: Db) -> None:
    db.execute(rate_counters.delete())
