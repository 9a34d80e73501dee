"""The bare baseline for bench/users_get.py and bench/meeting_get.py: Starlette plus stdlib
sqlite3, nothing else.

Two routes, GET /v2/users/{userId} and GET /v2/meetings/{meetingId}: read the stored `doc`
from the same SQLite file zoomsim uses (one connection, one indexed query) and return it as the
JSON body. No auth, no scopes, no rate limits, no validation, no host check, no occurrence
filtering: the floor that zoomsim's full chain is compared to.

Served by uvicorn as a factory:
    BENCH_DB=/path/zoomsim.db BENCH_ACCOUNT_ID=... \
    python -m uvicorn baseline_app:create_app --factory --app-dir bench --loop uvloop --http httptools
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

QUERY = "SELECT doc FROM users WHERE account_id=? AND id=?"
MEETING_QUERY = "SELECT doc FROM meetings WHERE id=? AND account_id=?"


def create_app() -> Starlette:
    """Build the app; settings come through the environment (BENCH_DB, BENCH_ACCOUNT_ID)."""
    path = os.environ["BENCH_DB"]
    account_id = os.environ["BENCH_ACCOUNT_ID"]
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=10000")

    async def get_user(request: Request) -> Response:
        row = conn.execute(QUERY, (account_id, request.path_params["userId"])).fetchone()
        if row is None:
            return JSONResponse({"code": 1001, "message": "User does not exist."}, status_code=404)
        return Response(row[0].encode(), media_type="application/json")

    async def get_meeting(request: Request) -> Response:
        raw = request.path_params["meetingId"]
        row = conn.execute(MEETING_QUERY, (int(raw), account_id)).fetchone() if raw.isdigit() else None
        if row is None:
            return JSONResponse({"code": 3001, "message": f"Meeting does not exist: {raw}."}, status_code=404)
        return Response(row[0].encode(), media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        conn.close()

    return Starlette(routes=[Route("/v2/users/{userId}", get_user),
                             Route("/v2/meetings/{meetingId}", get_meeting)], lifespan=lifespan)
