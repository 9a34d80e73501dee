"""The API-call log with several workers: two `zoomsim serve` processes of two workers each on
one PostgreSQL database. Every worker buffers and writes its own calls; Zoom's api_call_logs and
the dashboard, asked through any worker, list every call exactly once."""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import httpx
import pytest

from procs import ServeProcess
from support import pg_schema

CALLS = 120


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    yield from pg_schema("zs_calls_scale")


@pytest.fixture(scope="module")
def servers(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ServeProcess]]:
    logs = tmp_path_factory.mktemp("calls")
    first = ServeProcess(pg_url, workers=2, rate_limits=False, log=logs / "a.log").start()
    second = ServeProcess(pg_url, workers=2, rate_limits=False, log=logs / "b.log").start()
    yield [first, second]
    second.stop()
    first.stop()


def test_every_workers_calls_are_listed_once(servers: list[ServeProcess]) -> None:
    first, second = servers
    out = first.admin("POST", "/accounts", {"plan": "business"})
    app, account = out["apps"][0], out["account_id"]
    token = first.token(app["client_id"], app["client_secret"], account)

    def call(n: int) -> str:
        srv = servers[n % 2]            # fresh connections: both workers of both servers take some
        r = httpx.get(f"{srv.url}/v2/meetings/{1000 + n}", timeout=30,
                      headers={"Authorization": f"Bearer {token}", "Connection": "close"})
        assert r.status_code == 404, r.text
        return r.headers["x-zm-trackingid"]

    with ThreadPoolExecutor(16) as pool:
        traces = set(pool.map(call, range(CALLS)))
    assert len(traces) == CALLS
    workers = {t.rsplit("_", 2)[1] for t in traces}
    assert len(workers) >= 3, workers               # the calls really were spread over the workers

    def listed(srv: ServeProcess) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        token_param: dict[str, Any] = {"page_size": 100, "status_code": 404}
        while True:
            r = httpx.get(f"{srv.url}/v2/marketplace/apps/{app['client_id']}/api_call_logs", params=token_param,
                          headers={"Authorization": f"Bearer {token}"}, timeout=30)
            assert r.status_code == 200, r.text
            out += r.json()["call_logs"]
            if not r.json()["next_page_token"]:
                return out
            token_param["next_page_token"] = r.json()["next_page_token"]

    deadline = time.time() + 10                    # other workers write within their 0.2 s batches
    while True:
        found = listed(second)
        if len(found) >= CALLS or time.time() > deadline:
            break
        time.sleep(0.1)
    assert sorted(e["trace_id"] for e in found) == sorted(traces)      # each once
    assert {e["url_pattern"].rsplit("/", 1)[1] for e in found} == {str(1000 + n) for n in range(CALLS)}

    board = httpx.Client(base_url=first.url, headers={"Origin": first.url}, timeout=30)
    signed = board.post("/_zoomsim/ui/login", data={"admin_key": first.admin_key})
    assert signed.status_code == 303
    page = board.get("/_zoomsim/ui/calls", params={"app": app["client_id"], "status": "404"})
    assert page.status_code == 200
    assert len(set(re.findall(r"/v2/meetings/(1\d{3})", page.text))) == min(CALLS, 50)   # a page of 50
