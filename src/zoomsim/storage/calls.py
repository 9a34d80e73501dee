"""The API-call log (table api_calls in schema.py): written in batches, read newest first."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

import sqlalchemy as sa

from zoomsim.storage.db import Db
from zoomsim.storage.schema import api_calls as calls

WRITES = ("POST", "PATCH", "PUT", "DELETE")
_INSERT = calls.insert()
LIST_COLUMNS = [c for c in calls.c if c.name not in ("request", "response")]


@dataclass(frozen=True, slots=True)
class Call:
    """One logged request. `request` and `response` are decoded only when asked for (lists
    read neither)."""

    seq: int
    wall: float
    at: float
    account_id: str | None
    app_id: str | None
    method: str
    path: str
    operation_id: str | None
    status: int
    code: int | None
    latency_ms: float
    trace_id: str
    subject: str | None
    request_text: str = "{}"
    response_text: str = "{}"

    @property
    def request(self) -> dict[str, Any]:
        return json.loads(self.request_text)

    @property
    def response(self) -> dict[str, Any]:
        return json.loads(self.response_text)


def _call(row: Any) -> Call:
    m = row._mapping
    return Call(m["seq"], m["wall"], m["at"], m["account_id"], m["app_id"], m["method"], m["path"],
                m["operation_id"], m["status"], m["code"], m["latency_ms"], m["trace_id"], m["subject"],
                m.get("request", "{}"), m.get("response", "{}"))


def insert_many(db: Db, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        db.execute(_INSERT, list(rows))


def get(db: Db, seq: int) -> Call | None:
    row = db.execute(sa.select(calls).where(calls.c.seq == seq)).first()
    return _call(row) if row is not None else None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def recent(db: Db, *, account_id: str | None = None, app_id: str | None = None, operation_id: str | None = None,
           status: int | str | None = None, code: int | None = None, method: str | None = None,
           subject: str | None = None, path_contains: str | None = None, writes_only: bool = False,
           api_only: bool = False,
           at_from: float | None = None, before_seq: int | None = None, limit: int = 100,
           bodies: bool = False) -> list[Call]:
    """Newest first. `status` is a number or a class ("2xx", "4xx", "5xx"); `before_seq` pages
    (keyset: the seq of the last row of the page before). `path_contains` ignores case."""
    query = sa.select(*(list(calls.c) if bodies else LIST_COLUMNS))
    if account_id is not None:
        query = query.where(calls.c.account_id == account_id)
    if app_id is not None:
        query = query.where(calls.c.app_id == app_id)
    if operation_id is not None:
        query = query.where(calls.c.operation_id == operation_id)
    if isinstance(status, str) and len(status) == 3 and status[0].isdigit() and status.endswith("xx"):
        low = int(status[0]) * 100
        query = query.where(calls.c.status >= low, calls.c.status < low + 100)
    elif status is not None:
        query = query.where(calls.c.status == int(status))
    if code is not None:
        query = query.where(calls.c.code == code)
    if method is not None:
        query = query.where(calls.c.method == method)
    if subject is not None:
        query = query.where(calls.c.subject == subject)
    if path_contains:       # case-blind on both backends
        pattern = f"%{_escape_like(path_contains.lower())}%"
        query = query.where(sa.func.lower(calls.c.path).like(pattern, escape="\\"))
    if api_only:            # the API's calls, not token requests
        query = query.where(calls.c.path != "/oauth/token")
    if writes_only:
        query = query.where(calls.c.method.in_(WRITES))
    if at_from is not None:
        query = query.where(calls.c.at >= at_from)
    if before_seq is not None:
        query = query.where(calls.c.seq < before_seq)
    query = query.order_by(calls.c.seq.desc()).limit(limit)
    return [_call(r) for r in db.execute(query)]


def window(db: Db, wall_from: float, limit: int = 200_000) -> list[tuple[float, str | None, int, int | None, float]]:
    """(wall, operation_id, status, code, latency_ms) of the calls since a wall time, oldest
    first: what the charts add up."""
    query = (sa.select(calls.c.wall, calls.c.operation_id, calls.c.status, calls.c.code, calls.c.latency_ms)
             .where(calls.c.wall >= wall_from).order_by(calls.c.wall).limit(limit))
    return [tuple(r) for r in db.execute(query)]  # type: ignore[misc]


def prune(db: Db, keep_rows: int, at_before: float) -> int:
    """Retention: rows older than `at_before` on zoomsim's clock, and all but the newest
    `keep_rows`. Idempotent, so every worker may run it."""
    gone = db.execute(calls.delete().where(calls.c.at < at_before)).rowcount or 0
    top = db.execute(sa.select(sa.func.max(calls.c.seq))).scalar()
    if top is not None and keep_rows >= 0:
        gone += db.execute(calls.delete().where(calls.c.seq <= int(top) - keep_rows)).rowcount or 0
    return int(gone)
