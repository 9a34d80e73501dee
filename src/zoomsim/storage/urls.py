"""Database URLs as users type them, and database failures as one line a person can act on.

The command line and the health endpoint use these, so a bad `--db` or an unreachable server
is a sentence naming the problem, never a driver traceback."""
from __future__ import annotations

from pathlib import Path

SQLITE_MEMORY = ("sqlite://", "sqlite:///:memory:")


class DatabaseUrlError(ValueError):
    """The URL names no database zoomsim can use; the message says what to type instead."""


def check_url(url: str) -> str:
    """`url` if zoomsim can use it, else DatabaseUrlError with the fix."""
    text = url.strip()
    if not text:
        raise DatabaseUrlError("the database URL is empty: use sqlite:///path/to/zoomsim.db or postgresql://user@host/db")
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise DatabaseUrlError(f"{url!r} is not a database URL: use sqlite:///{text} for a SQLite file, "
                               "or postgresql://user@host/db")
    base = scheme.split("+", 1)[0].lower()
    if base == "sqlite":
        if scheme.lower() not in ("sqlite", "sqlite+pysqlite"):
            raise DatabaseUrlError(f"unsupported SQLite driver in {url!r}: use sqlite:///path")
        if rest and not rest.startswith("/"):
            raise DatabaseUrlError(f"{url!r} has a host; a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        return text
    if base in ("postgresql", "postgres"):
        if scheme.lower() not in ("postgresql", "postgres", "postgresql+psycopg"):
            raise DatabaseUrlError(f"unsupported PostgreSQL driver in {url!r}: use postgresql://user@host/db (psycopg 3)")
        return text
    raise DatabaseUrlError(f"unsupported database {scheme!r} in {url!r}: zoomsim stores its state in SQLite "
                           "(sqlite:///path) or PostgreSQL (postgresql://user@host/db)")


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names (None for PostgreSQL and in-memory databases)."""
    if not url.lower().startswith("sqlite") or url in SQLITE_MEMORY:
        return None
    rest = url.partition("://")[2]
    path = rest[1:] if rest.startswith("/") else rest
    path = path.split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def is_memory(url: str) -> bool:
    return url.strip() in SQLITE_MEMORY


def describe(exc: BaseException, url: str) -> str:
    """One line for a failure to open or use the database at `url`."""
    raw = getattr(exc, "orig", None) or exc
    first = (str(raw).strip().splitlines() or [type(raw).__name__])[0].strip()
    path = sqlite_path(url)
    if path is not None:
        if "unable to open database file" in first:
            folder = path.parent if str(path.parent) else Path(".")
            if not folder.exists():
                return f"cannot open SQLite database {path}: the folder {folder} does not exist"
            return f"cannot open SQLite database {path}: the file or its folder is not writable"
        if "file is not a database" in first:
            return f"{path} is not a SQLite database (file is not a database)"
        if "readonly" in first or "read-only" in first:
            return f"cannot write to SQLite database {path}: it is read-only"
        return f"SQLite database {path}: {first}"
    if "FATAL:" in first:
        first = first.split("FATAL:", 1)[1].strip()
    if "does not exist" in first and "database" in first:
        return f"PostgreSQL: {first}: create it (createdb) or point --db at an existing database"
    if "connection" in first.lower() or "connect" in first.lower():
        return f"cannot reach PostgreSQL: {first.removeprefix('connection failed: ')}"
    return f"database error: {first}"
