"""Durability: concurrent writers, `kill -9` of the whole server, a restart on the same database,
and every write that was acknowledged is there (SQLite with one worker; PostgreSQL with two)."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from procs import ServeProcess
from support import pg_schema

WRITERS = 8


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, int]]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.db'}", 1
        return
    for url in pg_schema("zs_crash"):
        yield url, 2


def test_acknowledged_writes_survive_kill_9(db_url: tuple[str, int], tmp_path: Path) -> None:
    url, workers = db_url
    srv = ServeProcess(url, workers=workers, rate_limits=False, log=tmp_path / "serve.log").start()
    creds = srv.creds
    token = srv.token(creds["client_id"], creds["client_secret"], creds["account_id"])
    acked: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = http.post("/v2/users/me/meetings", json={"topic": f"w{n}-{i}"})
                except httpx.HTTPError:
                    return          # the server is gone: what was answered before counts
                if r.status_code == 201:
                    with lock:
                        acked.append(r.json()["id"])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while len(acked) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    srv.kill()                        # in the middle of the writes
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(acked) >= 200

    again = ServeProcess(url, workers=workers, rate_limits=False, log=tmp_path / "serve.log").start()
    try:
        token = again.token(creds["client_id"], creds["client_secret"], creds["account_id"])
        with httpx.Client(base_url=again.url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            missing = [mid for mid in acked if http.get(f"/v2/meetings/{mid}").status_code != 200]
    finally:
        again.stop()
    assert missing == []
