"""What the test kit costs a test: a fresh account from the pytest plugin, and one API request
in process (zoomsim.intercept) against the same request over a loopback socket.

    .venv/bin/python bench/testkit.py [--accounts 100] [--requests 300] [--json]

Prints medians in milliseconds. The socket numbers use the plugin's own server (uvicorn in a
thread, as `zoomsim_server` runs it); requests alternate between the two paths in small batches
so a busy machine slows both alike.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import httpx
import requests

import zoomsim
from zoomsim.testing.server import ZoomsimServer

BATCH = 20


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def accounts(server: ZoomsimServer, n: int) -> dict[str, float]:
    """The `zoom` fixture's set-up (one admin call), and that plus the first token and request."""
    bare, first_use = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        zoom = server.new_account()
        t1 = time.perf_counter()
        assert zoom.client.get("/users/me").status_code == 200
        t2 = time.perf_counter()
        zoom.close()
        bare.append(t1 - t0)
        first_use.append(t2 - t0)
    return {"fresh_account_ms": median_ms(bare), "fresh_account_token_first_request_ms": median_ms(first_use)}


def requests_me(server: ZoomsimServer, n: int) -> dict[str, float]:
    """GET /v2/users/me through httpx and requests, in process and over the socket."""
    socket_acct = server.new_account()
    out: dict[str, list[float]] = {k: [] for k in ("httpx_socket", "httpx_inprocess", "requests_socket",
                                                   "requests_inprocess")}
    t = time.perf_counter()
    with zoomsim.intercept() as zs:
        first_block = time.perf_counter() - t
        hx_sock = httpx.Client(base_url=socket_acct.base_url, headers={"Authorization": f"Bearer {socket_acct.token}"})
        hx_in = httpx.Client(base_url=zs.base_url, headers={"Authorization": f"Bearer {zs.token}"})
        rq = requests.Session()
        sock_h = {"Authorization": f"Bearer {socket_acct.token}"}
        in_h = {"Authorization": f"Bearer {zs.token}"}
        calls: dict[str, Callable[[], Any]] = {
            "httpx_socket": lambda: hx_sock.get("/users/me"),
            "httpx_inprocess": lambda: hx_in.get("/users/me"),
            "requests_socket": lambda: rq.get(socket_acct.base_url + "/users/me", headers=sock_h),
            "requests_inprocess": lambda: rq.get(zs.base_url + "/users/me", headers=in_h),
        }
        for fn in calls.values():          # warm-up, and every path must answer 200
            for _ in range(10):
                assert fn().status_code == 200
        done = 0
        while done < n:
            for name, fn in calls.items():
                out[name].extend(timed(fn) for _ in range(BATCH))
            done += BATCH
        hx_sock.close()
        hx_in.close()
    t = time.perf_counter()
    with zoomsim.intercept():
        later_block = time.perf_counter() - t
    result = {f"{k}_ms": median_ms(v) for k, v in out.items()}
    result["intercept_first_block_ms"] = round(first_block * 1000, 1)
    result["intercept_later_block_ms"] = round(later_block * 1000, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmp:
        t = time.perf_counter()
        server = ZoomsimServer.start(Path(tmp) / "zoomsim.db", rate_limits=False)
        started = time.perf_counter() - t
        try:
            server.new_account().close()      # warm-up
            result: dict[str, Any] = {"server_start_ms": round(started * 1000, 1)}
            result.update(accounts(server, args.accounts))
            result.update(requests_me(server, args.requests))
        finally:
            server.stop()
    result["samples"] = {"accounts": args.accounts, "requests": args.requests}
    if args.json:
        json.dump(result, sys.stdout)
        print()
    else:
        for key, value in result.items():
            print(f"{key:42} {value}")
        speedup = result["httpx_socket_ms"] / result["httpx_inprocess_ms"]
        print(f"{'httpx: socket / in process':42} {speedup:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
