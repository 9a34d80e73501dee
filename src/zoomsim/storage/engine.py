"""Engine creation and migrations; called by the app factory and the CLI, never at import."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sqlalchemy.pool import StaticPool

from zoomsim.storage.db import Db, FastReader
from zoomsim.storage.urls import is_memory

MIGRATIONS = Path(__file__).parent / "migrations"
# A database that can't be reached or used right now (not a bug of ours): SQLAlchemy's wrapper,
# and the drivers' own errors from the fast read path.
DB_DOWN: tuple[type[BaseException], ...] = (sa.exc.OperationalError, sqlite3.OperationalError,
                                            psycopg.OperationalError)


def normalize_url(url: str) -> str:
    """Accept the URLs users type (postgresql://, postgres://) and pick our drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_conn.isolation_level = None     # we say BEGIN ourselves (below), so writes can say IMMEDIATE
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    """A write unit takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so a count and
    the insert it allows can't interleave with another writer's; reads begin deferred."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("zoomsim_write") else "BEGIN")


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if is_memory(url):
        # one connection for everything: each new connection to :memory: would be another database
        engine = sa.create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    elif url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False}, pool_size=8, max_overflow=16)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = sa.create_engine(url, pool_size=8, max_overflow=16, pool_pre_ping=False)
    return engine


class Storage:
    """Owns the engine; hands out one connection (and transaction) per request."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.memory = is_memory(url)
        self.fast = FastReader(self.engine, keep=self.memory)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (Alembic), under a lock on PostgreSQL."""
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7243001)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def unit(self, write: bool) -> Db:
        """A request's unit of work; the caller ends it with finish(ok)."""
        return Db(self.engine, self.fast, write)

    @contextmanager
    def read(self) -> Iterator[Db]:
        db = self.unit(write=False)
        try:
            yield db
        finally:
            db.finish(ok=False)

    @contextmanager
    def write(self) -> Iterator[Db]:
        db = self.unit(write=True)
        ok = False
        try:
            yield db
            ok = True
        finally:
            db.finish(ok)

    def ping(self) -> None:
        """One round trip on a fresh connection; raises what the driver raises."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    def dispose(self) -> None:
        self.fast.close()
        self.engine.dispose()
