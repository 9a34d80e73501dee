"""Event subscriptions, the webhook outbox and its attempts (tables in schema.py)."""
from __future__ import annotations

from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Row

from zoomsim.storage.db import Db, FastReader
from zoomsim.storage.schema import event_subscriptions as subs, webhook_attempts as att, webhook_deliveries as dl

LEASE_SECONDS = 15.0     # longer than any try (3 s) plus its bookkeeping


# ---- subscriptions -----------------------------------------------------------------------------

def subscriptions_of_account(db: Db, account_id: str) -> list[Row]:
    return list(db.execute(sa.select(subs).where(subs.c.account_id == account_id).order_by(subs.c.seq)))


def subscriptions_of_app(db: Db, app_id: str) -> list[Row]:
    return list(db.execute(sa.select(subs).where(subs.c.app_id == app_id).order_by(subs.c.seq)))


def subscription(db: Db, sub_id: str) -> Row | None:
    return db.execute(sa.select(subs).where(subs.c.id == sub_id)).first()


def subscriptions_by_id(db: Db, ids: Iterable[str]) -> dict[str, Row]:
    return {r.id: r for r in db.execute(sa.select(subs).where(subs.c.id.in_(list(ids))))}


def count_for_app(db: Db, app_id: str) -> int:
    return int(db.execute(sa.select(sa.func.count()).select_from(subs).where(subs.c.app_id == app_id)).scalar_one())


def insert_subscription(db: Db, **values: Any) -> None:
    db.execute(subs.insert().values(**values))


def update_subscription(db: Db, sub_id: str, **values: Any) -> None:
    db.execute(subs.update().where(subs.c.id == sub_id).values(**values))


def delete_subscription(db: Db, sub_id: str) -> bool:
    return bool(db.execute(subs.delete().where(subs.c.id == sub_id)).rowcount)


def delete_app_subscriptions(db: Db, app_id: str) -> None:
    db.execute(subs.delete().where(subs.c.app_id == app_id))


# ---- the outbox ----------------------------------------------------------------------------------

# built once: the statements of the hot path (every emitting request, every sender cycle)
_ADD_ATTEMPTS = att.insert()
_SETTLE = (dl.update().where(dl.c.seq == sa.bindparam("b_seq"))
           .values(state=sa.bindparam("b_state"), attempts=sa.bindparam("b_attempts"),
                   due_at=sa.bindparam("b_due_at"), lease_until=None))


_ADD_SQL: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...] | None]] = {}


def add_deliveries(db: Db, rows: list[dict[str, Any]]) -> None:
    """Straight to the driver with the INSERT compiled once per dialect and column set: every
    emitting request pays this, and SQLAlchemy's per-execute work was most of it."""
    if not rows:
        return
    conn = db.conn
    keys = tuple(rows[0])
    found = _ADD_SQL.get((conn.dialect.name, keys))
    if found is None:
        compiled = dl.insert().compile(dialect=conn.dialect, column_keys=list(keys))
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        found = _ADD_SQL[(conn.dialect.name, keys)] = (str(compiled), order)
    sql, order = found
    args: list[Any] = [tuple(r[k] for k in order) for r in rows] if order is not None else rows
    cur = conn.connection.driver_connection.cursor()     # the transaction's own driver connection
    try:
        if len(args) > 1:
            cur.executemany(sql, args)
        else:
            cur.execute(sql, args[0])
    finally:
        cur.close()


_ANY_DUE = sa.select(sa.exists().where(
    dl.c.state == sa.bindparam("state"), dl.c.due_at <= sa.bindparam("now"),
    sa.or_(dl.c.lease_until.is_(None), dl.c.lease_until < sa.bindparam("wall"))))


def any_due(fast: FastReader, now: float, wall: float) -> bool:
    """Whether a claim would find anything: a read on the worker's autocommit connection, so an
    idle sender looking every poll takes no write lock."""
    row = fast.one(_ANY_DUE, {"state": "pending", "now": now, "wall": wall})
    return bool(row and row[0])


def claim(db: Db, now: float, wall: float, limit: int) -> list[Row]:
    """Take up to `limit` deliveries that are due and not held by a live lease, holding them
    for LEASE_SECONDS. On PostgreSQL rows another worker is claiming are skipped (SKIP LOCKED),
    so each try of a delivery is made by one worker."""
    due = (sa.select(dl.c.seq)
           .where(dl.c.state == "pending", dl.c.due_at <= now,
                  sa.or_(dl.c.lease_until.is_(None), dl.c.lease_until < wall))
           .order_by(dl.c.due_at, dl.c.seq).limit(limit))
    if db.conn.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    stmt = (dl.update().where(dl.c.seq.in_(due.scalar_subquery())).values(lease_until=wall + LEASE_SECONDS)
            .returning(dl.c.seq, dl.c.request_id, dl.c.trace_id, dl.c.account_id, dl.c.app_id, dl.c.subscription_id,
                       dl.c.user_id, dl.c.event, dl.c.url, dl.c.body, dl.c.attempts))
    return sorted(db.execute(stmt).all(), key=lambda r: r.seq)


def settle(db: Db, outcomes: list[dict[str, Any]], attempts: list[dict[str, Any]]) -> None:
    """Record each try and move its delivery on: delivered, failed for good, or due again."""
    if attempts:
        db.execute(_ADD_ATTEMPTS, attempts)
    if outcomes:        # one executemany for the batch, not a statement per row
        db.execute(_SETTLE, [{"b_seq": o["seq"], "b_state": o["state"], "b_attempts": o["attempts"],
                              "b_due_at": o["due_at"]} for o in outcomes])


def deliveries(db: Db, *, account_id: str | None = None, app_id: str | None = None, event: str | None = None,
               state: str | None = None, after_seq: int = 0, limit: int = 100, before_seq: int | None = None,
               newest_first: bool = False) -> list[Row]:
    """Keyset pages: oldest first after `after_seq` (the admin API), or newest first before
    `before_seq` (the dashboard)."""
    q = sa.select(dl).where(dl.c.seq > after_seq)
    if before_seq is not None:
        q = q.where(dl.c.seq < before_seq)
    for col, value in ((dl.c.account_id, account_id), (dl.c.app_id, app_id), (dl.c.event, event), (dl.c.state, state)):
        if value is not None:
            q = q.where(col == value)
    return list(db.execute(q.order_by(dl.c.seq.desc() if newest_first else dl.c.seq).limit(limit)))


def attempts_of(db: Db, seqs: list[int]) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = {s: [] for s in seqs}
    if seqs:
        for r in db.execute(sa.select(att).where(att.c.delivery_seq.in_(seqs)).order_by(att.c.seq)):
            out[r.delivery_seq].append(r)
    return out


def log_query(db: Db, *, app_id: str, since: float, until: float, event: str | None, ok: bool | None,
              retry_num: int | None, after_seq: int, limit: int) -> list[Row]:
    """Attempts of one app, newest first, joined with their delivery (what Zoom's log lists)."""
    q = (sa.select(att, dl.c.request_id, dl.c.trace_id, dl.c.subscription_id, dl.c.user_id, dl.c.url, dl.c.body)
         .join(dl, dl.c.seq == att.c.delivery_seq)
         .where(att.c.app_id == app_id, att.c.at >= since, att.c.at <= until))
    if event is not None:
        q = q.where(att.c.event == event)
    if ok is not None:
        q = q.where(att.c.ok == ok)
    if retry_num is not None:
        q = q.where(att.c.retry_num == retry_num)
    if after_seq:
        q = q.where(att.c.seq < after_seq)
    return list(db.execute(q.order_by(att.c.seq.desc()).limit(limit)))
