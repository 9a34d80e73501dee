"""A request's view of the database: a lazily opened SQLAlchemy connection (one transaction
for writes) plus a fast path for single-row reads.

Hot single-row reads of a read-only request skip SQLAlchemy's pool checkout and statement
machinery: they run through the driver on one autocommit connection kept per worker, with the
SQL compiled once from the same Core statement. bench/users_get.py measured the difference
(SQLAlchemy per request: 0.40 of the bare baseline; this path: ~0.9). Inside a write
transaction the same compiled SQL runs on the transaction's own driver connection (SQLAlchemy's
statement machinery cost about as much as the query on a meeting create).
"""
from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy import text
from sqlalchemy.sql import Select


class FastReader:
    """One autocommit DBAPI connection per thread (in a server, the event-loop thread)."""

    def __init__(self, engine: Engine, keep: bool = False) -> None:
        self._engine = engine
        self._keep = keep           # an in-memory database's one connection must never be closed
        self._local = threading.local()
        self._opened: list[Any] = []
        self._compiled: dict[int, tuple[Select[Any], str, tuple[str, ...] | None]] = {}

    def _connection(self) -> Any:
        driver: Any = getattr(self._local, "driver", None)
        if driver is None:
            pooled = self._engine.raw_connection()
            driver = pooled.driver_connection
            if self._engine.dialect.name == "sqlite":
                driver.isolation_level = None      # autocommit: each SELECT sees the latest commit
            else:
                driver.autocommit = True
            self._local.pooled, self._local.driver = pooled, driver
            self._opened.append(pooled)
        return driver

    def _sql(self, stmt: Select[Any]) -> tuple[str, tuple[str, ...] | None]:
        entry = self._compiled.get(id(stmt))
        if entry is None or entry[0] is not stmt:
            compiled = stmt.compile(dialect=self._engine.dialect)
            order = tuple(compiled.positiontup or ()) if compiled.positional else None
            entry = (stmt, str(compiled), order)
            self._compiled[id(stmt)] = entry
        return entry[1], entry[2]

    def one(self, stmt: Select[Any], params: dict[str, Any]) -> tuple[Any, ...] | None:
        sql, order = self._sql(stmt)
        args: Any = tuple(params[k] for k in order) if order is not None else params
        return self._run(sql, args, many=False)  # type: ignore[no-any-return]

    def one_in(self, conn: Connection, stmt: Select[Any], params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The same single-row read inside a request's own transaction: the statement's compiled
        SQL through the driver connection under `conn`, so it sees the transaction's writes."""
        sql, order = self._sql(stmt)
        args: Any = tuple(params[k] for k in order) if order is not None else params
        driver: Any = conn.connection.driver_connection
        cur = driver.cursor()
        try:
            cur.execute(sql, args)
            return cur.fetchone()  # type: ignore[no-any-return]
        finally:
            cur.close()

    def rows(self, sql: str, args: Any) -> list[tuple[Any, ...]]:
        """A driver-level statement on the same autocommit connection (it may write: each
        statement commits on its own), with all the rows it answers."""
        return self._run(sql, args, many=True)  # type: ignore[no-any-return]

    def _run(self, sql: str, args: Any, many: bool) -> Any:
        try:
            cur = self._connection().execute(sql, args)
            out = cur.fetchall() if many else cur.fetchone()
            cur.close()
            return out
        except Exception:
            self._drop(getattr(self._local, "pooled", None))   # replaced on the next call
            raise

    def _drop(self, pooled: Any) -> None:
        if self._keep:
            return
        self._local.pooled = self._local.driver = None
        if pooled is not None:
            if pooled in self._opened:
                self._opened.remove(pooled)
            try:
                pooled.invalidate()
            except Exception:
                pass

    def close(self) -> None:
        if self._keep:
            self._opened.clear()
            return
        for pooled in self._opened:
            try:
                pooled.invalidate()
            except Exception:
                pass
        self._opened.clear()
        self._local = threading.local()


_ADVISORY = text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))")


class Db:
    """What repositories receive. Writes share one transaction committed at the end of the
    request; reads open a connection only if something needs more than a single row."""

    def __init__(self, engine: Engine, fast: FastReader | None, write: bool) -> None:
        self._engine = engine
        self._fast = fast
        self.write = write
        self._conn: Connection | None = None
        self._after: list[Any] = []

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = self._engine.connect()
            if self.write:
                self._conn.execution_options(zoomsim_write=True)
                self._conn.begin()
        return self._conn

    def execute(self, stmt: Any, params: Any = None) -> CursorResult[Any]:
        return self.conn.execute(stmt, params) if params is not None else self.conn.execute(stmt)

    def exec_driver_sql(self, sql: str) -> CursorResult[Any]:
        return self.conn.exec_driver_sql(sql)

    def one(self, stmt: Select[Any], params: dict[str, Any]) -> Any:
        """A single row (or None), by the fastest route that keeps this request consistent.

        A key holding NUL matches nothing we store (validation refuses NUL in every string we
        write), and PostgreSQL rejects it as a parameter, so it is simply not found."""
        if any(isinstance(v, str) and "\x00" in v for v in params.values()):
            return None
        if self._fast is None:
            return self.conn.execute(stmt, params).first()
        if not self.write and self._conn is None:
            return self._fast.one(stmt, params)
        return self._fast.one_in(self.conn, stmt, params)

    def serialize(self, name: str) -> None:
        """Hold `name` until this unit ends, so the units that count and then write under one
        name (seats of a meeting, say) run one after another, whatever the number of workers.
        PostgreSQL: a transaction-level advisory lock. SQLite: a write unit already holds the
        database's write lock from its BEGIN IMMEDIATE."""
        if self.write and self.conn.dialect.name == "postgresql":
            self.conn.execute(_ADVISORY, {"name": name})

    def after_commit(self, fn: Any) -> None:
        """Run `fn()` once this unit has committed (never if it rolls back): what must only
        happen for a change that holds, e.g. waking the webhook sender for rows it wrote."""
        if fn not in self._after:
            self._after.append(fn)

    def finish(self, ok: bool) -> None:
        conn, self._conn = self._conn, None
        after, self._after = self._after, []
        if conn is None:
            return
        try:
            if self.write:
                if ok:
                    conn.commit()
                else:
                    conn.rollback()
        finally:
            conn.close()
        if ok and self.write:
            for fn in after:
                fn()
