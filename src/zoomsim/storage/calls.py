"""The API-call log (table api_calls in schema.py): written in batches, read newest first."""
from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import chain
from typing import Any, Sequence

import sqlalchemy as sa

from zoomsim.storage.db import Db
from zoomsim.storage.schema import api_calls as calls

WRITES = ("POST", "PATCH", "PUT", "DELETE")
INSERTED = tuple(c.name for c in calls.c if c.name != "seq")     # the order of insert_rows' tuples
TEXTS = ("query", "request_headers", "request_body", "response_headers", "response_body")
LIST_COLUMNS = [c for c in calls.c if c.name not in TEXTS]
WRITE_TERM = sa.text("method <> 'GET'")     # as the partial index's WHERE says it (the planner matches it)
_statements: dict[tuple[str, int], str] = {}


@dataclass(frozen=True, slots=True)
class Call:
    """One logged request. The headers and bodies are read only when asked for (lists read
    none of them)."""

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
    query: str = ""
    request_headers: str = "{}"
    request_body: str = ""
    response_headers: str = "{}"
    response_body: str = ""
    fault: str | None = None        # the fault rule that answered or slowed it

    @property
    def request(self) -> dict[str, Any]:
        return {"query": self.query, "headers": json.loads(self.request_headers), "body": self.request_body}

    @property
    def response(self) -> dict[str, Any]:
        return {"headers": json.loads(self.response_headers), "body": self.response_body}


def _call(row: Any) -> Call:
    m = row._mapping
    texts = {name: m[name] for name in TEXTS if name in m}
    return Call(m["seq"], m["wall"], m["at"], m["account_id"], m["app_id"], m["method"], m["path"],
                m["operation_id"], m["status"], m["code"], m["latency_ms"], m["trace_id"], m["subject"], **texts,
                fault=m.get("fault"))


def insert_rows(db: Db, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows (tuples in INSERTED order) as ONE multi-row INSERT on the transaction's driver
    connection: the driver hands the whole batch to the database in one call, and sqlite3 and
    psycopg release the GIL while it runs, so a writer thread does its work beside the event
    loop (executemany would take the GIL back after every row). SQLAlchemy's per-row work cost
    about as much as SQLite's own, too."""
    if not rows:
        return
    conn = db.conn
    name = conn.dialect.name
    sql = _statements.get((name, len(rows)))
    if sql is None:
        mark = "?" if name == "sqlite" else "%s"
        one = "(" + ", ".join([mark] * len(INSERTED)) + ")"
        sql = f"INSERT INTO {calls.name} ({', '.join(INSERTED)}) VALUES " + ", ".join([one] * len(rows))
        if len(_statements) > 64:
            _statements.clear()
        _statements[(name, len(rows))] = sql
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(sql, list(chain.from_iterable(rows)))
    finally:
        cur.close()


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
    for col, value in ((calls.c.account_id, account_id), (calls.c.app_id, app_id),
                       (calls.c.operation_id, operation_id), (calls.c.code, code), (calls.c.method, method),
                       (calls.c.subject, subject)):
        if value is not None:
            query = query.where(col == value)
    if isinstance(status, str) and len(status) == 3 and status[0].isdigit() and status.endswith("xx"):
        low = int(status[0]) * 100
        query = query.where(calls.c.status >= low, calls.c.status < low + 100)
    elif status is not None:
        query = query.where(calls.c.status == int(status))
    if path_contains:       # case-blind on both backends
        pattern = f"%{_escape_like(path_contains.lower())}%"
        query = query.where(sa.func.lower(calls.c.path).like(pattern, escape="\\"))
    if api_only:            # the API's calls that were answered, not token requests
        query = query.where(calls.c.path != "/oauth/token", calls.c.status > 0)
    if writes_only:
        query = query.where(WRITE_TERM, calls.c.method.in_(WRITES))
    if at_from is not None:
        query = query.where(calls.c.at >= at_from)
    if before_seq is not None:
        query = query.where(calls.c.seq < before_seq)
    query = query.order_by(calls.c.seq.desc()).limit(limit)
    return [_call(r) for r in db.execute(query)]


def first_seq_since(db: Db, wall_from: float) -> int | None:
    """The first row written at or after a wall time, found by bisecting the key (rows are
    written in wall order, give or take a worker's batch): no index on `wall` to pay for."""
    bounds = db.execute(sa.select(sa.func.min(calls.c.seq), sa.func.max(calls.c.seq))).first()
    if bounds is None or bounds[0] is None:
        return None
    at_or_after = (sa.select(calls.c.seq, calls.c.wall).where(calls.c.seq >= sa.bindparam("s"))
                   .order_by(calls.c.seq).limit(1))
    low, high = int(bounds[0]), int(bounds[1]) + 1
    while low < high:
        mid = (low + high) // 2
        row = db.execute(at_or_after, {"s": mid}).first()
        if row is None or row.wall >= wall_from:
            high = mid
        else:
            low = int(row.seq) + 1
    return low


def window(db: Db, wall_from: float, limit: int = 200_000) -> list[tuple[float, str | None, int, int | None, float]]:
    """(wall, operation_id, status, code, latency_ms) of the calls since a wall time, oldest
    first: what the charts add up."""
    start = first_seq_since(db, wall_from)
    if start is None:
        return []
    slack = start - 2 * 500         # a worker's batch may land a little out of wall order
    query = (sa.select(calls.c.wall, calls.c.operation_id, calls.c.status, calls.c.code, calls.c.latency_ms)
             .where(calls.c.seq >= slack, calls.c.wall >= wall_from).order_by(calls.c.seq).limit(limit))
    return sorted(tuple(r) for r in db.execute(query))  # type: ignore[misc]


def prune(db: Db, keep_rows: int, wall_before: float) -> int:
    """Retention: all but the newest `keep_rows`, and rows written before `wall_before` (wall
    time: a clock frozen in the past must not age the log). Both by the key. Idempotent, so
    every worker may run it."""
    gone = 0
    top = db.execute(sa.select(sa.func.max(calls.c.seq))).scalar()
    if top is not None and keep_rows >= 0 and int(top) > keep_rows:
        gone += db.execute(calls.delete().where(calls.c.seq <= int(top) - keep_rows)).rowcount or 0
    # The key is handed out before a batch commits, so a worker's batch can become visible
    # below rows already there: the wall time decides, the key only narrows the range (a bare
    # `seq < boundary` once deleted another worker's calls committed between the two reads).
    boundary = first_seq_since(db, wall_before)
    if boundary is not None:
        gone += db.execute(calls.delete().where(calls.c.seq < boundary, calls.c.wall < wall_before)).rowcount or 0
    return int(gone)
