"""Benchmark POST /v2/users/me/meetings: zoomsim's whole chain against a bare baseline, same run.

zoomsim (token verify, scope check, rate limits off, body validation, meeting defaults,
passcodes, one write transaction) against a bare baseline in this file: Starlette, one
stdlib sqlite3 connection on the same SQLite file, the body decoded, a stored meeting document
(one zoomsim made, so the same size) copied with a new number and inserted, the document
returned with 201. Both served by uvicorn (one worker, uvloop + httptools, no access log) and
loaded alternately by wrk (a Lua script POSTing one JSON body) or, without wrk, by
bench/loadgen.py's asyncio generator. bench/registrants_list.py runs this too, on its own seed.

    .venv/bin/python bench/meeting_create.py [--duration 5] [--rounds 3] [--connections 64] [--json]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import loadgen
import users_get as common

PATH = "/v2/users/me/meetings"
BODY = {"topic": "Bench", "type": 2, "start_time": "2031-01-01T10:00:00Z", "duration": 30,
        "timezone": "UTC", "settings": {"approval_type": 0}}
TEMPLATE_ENV = "BENCH_TEMPLATE"


# ---- the baseline ------------------------------------------------------------------------------

def create_baseline() -> Any:
    """Bare Starlette: decode the body, copy the template meeting with a new number and the
    given fields, INSERT it, answer it (201). Settings: BENCH_DB, BENCH_TEMPLATE (a file)."""
    import msgspec
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    conn = sqlite3.connect(os.environ["BENCH_DB"], check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("CREATE TABLE IF NOT EXISTS bench_meetings (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)")
    template = json.loads(Path(os.environ[TEMPLATE_ENV]).read_text())
    encode, decode = msgspec.json.encode, msgspec.json.decode

    async def create(request: Request) -> Response:
        body = decode(await request.body())
        doc = dict(template)
        doc.update({k: body[k] for k in ("topic", "type", "start_time", "duration", "timezone") if k in body})
        doc["id"] = secrets.randbelow(90_000_000_000) + 10_000_000_000
        data = encode(doc)
        conn.execute("BEGIN")
        conn.execute("INSERT INTO bench_meetings (id, doc) VALUES (?, ?)", (doc["id"], data.decode()))
        conn.execute("COMMIT")
        return Response(data, status_code=201, media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        conn.close()

    return Starlette(routes=[Route(PATH, create, methods=["POST"])], lifespan=lifespan)


# ---- load ----------------------------------------------------------------------------------------

_LUA_POST = """
local body = [==[%(body)s]==]
local req
init = function(args)
  req = wrk.format("POST", "%(path)s", {["Authorization"] = "%(auth)s", ["Content-Type"] = "application/json"}, body)
end
request = function()
  return req
end
"""


def run_post(kind: str, port: int, path: str, auth: str, body: bytes, connections: int, seconds: float,
             threads: int = 1) -> loadgen.Result:
    """Keep-alive POSTs of one JSON body, one in flight per connection (wrk, or loadgen's driver)."""
    if kind == "wrk":
        lua = _LUA_POST % {"body": body.decode(), "path": path, "auth": auth}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            fh.write(lua)
            script = fh.name
        try:
            cmd = ["wrk", "-t", str(threads), "-c", str(max(connections, threads)), "-d",
                   f"{max(1, round(seconds))}s", "--timeout", "5s", "-s", script, f"http://127.0.0.1:{port}"]
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 20, check=True).stdout
        finally:
            os.unlink(script)
        return loadgen.parse_wrk(out)
    import asyncio
    raw = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: {auth}\r\n"
           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1") + body
    return asyncio.run(loadgen._drive(port, [raw], connections, seconds))


# ---- pieces registrants_list.py shares ---------------------------------------------------------------

def write_template(tmp: Path, base_url: str, auth: str) -> Path:
    """A meeting zoomsim made (so the baseline answers a document of the same size)."""
    r = httpx.post(base_url + PATH, json=BODY, headers={"Authorization": auth}, timeout=30)
    if r.status_code != 201:
        raise SystemExit(f"creating the template meeting failed: {r.status_code} {r.text[:300]}")
    path = tmp / "template.json"
    path.write_text(r.text)
    return path


def start_baseline(tmp: Path, db_path: str, template: Path) -> tuple[int, int]:
    port = common.free_port()
    proc = common.start([sys.executable, "-m", "uvicorn", "meeting_create:create_baseline", "--factory",
                         "--app-dir", str(common.BENCH_DIR), "--port", str(port)] + common.UVICORN_FLAGS,
                        {"BENCH_DB": db_path, TEMPLATE_ENV: str(template)}, tmp / "baseline_post.log", port)
    return port, proc.pid


def start_zoomsim(tmp: Path, db_url: str) -> tuple[int, int]:
    port = common.free_port()
    proc = common.start([sys.executable, "-m", "uvicorn", "zoomsim.app:worker_app", "--factory", "--port", str(port)]
                        + common.UVICORN_FLAGS,
                        {"ZOOMSIM_DB": db_url, "ZOOMSIM_HOST": common.LOOPBACK, "ZOOMSIM_PORT": str(port),
                         "ZOOMSIM_RATE_LIMITS": "0"}, tmp / "zoomsim.log", port)
    return port, proc.pid


def sanity_post(ports: dict[str, int], auth: str) -> int:
    """Both targets answer 201 with a meeting of the given topic; returns the larger body size."""
    size = 0
    for name, port in ports.items():
        r = httpx.post(f"http://{common.LOOPBACK}:{port}{PATH}", json=BODY, headers={"Authorization": auth},
                       timeout=10)
        if r.status_code != 201 or r.json().get("topic") != BODY["topic"]:
            raise SystemExit(f"sanity check failed: {name} POST {PATH} -> {r.status_code} {r.text[:300]}")
        size = max(size, len(r.content))
    return size


class Meter:
    """Runs measurements and keeps req/s plus server CPU per request (Linux /proc) per target."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.rps: dict[str, list[float]] = {n: [] for n in pids}
        self.cpu_us: dict[str, list[float]] = {n: [] for n in pids}
        self.bad = 0

    def measure(self, name: str, run: Any, keep: bool = True) -> loadgen.Result:
        before = common.cpu_seconds(self.pids[name])
        res: loadgen.Result = run()
        after = common.cpu_seconds(self.pids[name])
        if keep:
            self.rps[name].append(res.rps)
            if before is not None and after is not None and res.requests:
                self.cpu_us[name].append((after - before) / res.requests * 1e6)
            self.bad += res.non_2xx + res.errors
        return res


def post_summary(meter: Meter, prefix: str = "") -> dict[str, Any]:
    ratios = [z / b if b else 0.0 for b, z in zip(meter.rps[prefix + "baseline"], meter.rps[prefix + "zoomsim"])]

    def r(x: float | None, nd: int = 1) -> float | None:
        return None if x is None else round(x, nd)

    return {
        "post_baseline_rps": r(common.median(meter.rps[prefix + "baseline"])),
        "post_zoomsim_rps": r(common.median(meter.rps[prefix + "zoomsim"])),
        "post_ratio_median": r(common.median(ratios), 4),
        "post_baseline_cpu_us_per_req": r(common.median(meter.cpu_us[prefix + "baseline"])),
        "post_zoomsim_cpu_us_per_req": r(common.median(meter.cpu_us[prefix + "zoomsim"])),
    }


def finish(args: argparse.Namespace, out: dict[str, Any], lines: list[str], bad: int) -> int:
    """Print the result (JSON with --json, else the lines); exit status 1 if any request failed."""
    print(json.dumps(out) if args.json else "\n".join(lines))
    if bad:
        common.log(f"bench: WARNING: {bad} non-2xx responses or socket errors during measurement")
        return 1
    return 0


# ---- standalone run ----------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = common.base_parser(__doc__, 3)
    args = p.parse_args(argv)
    common.check_common(p, args)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    common.watchdog(60 + args.rounds * 2 * (args.duration + 3) + 2 * args.warmup)
    body = json.dumps(BODY, separators=(",", ":")).encode()
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            common.log(f"bench: seeding {tmp / 'zoomsim.db'} ...")
            data = common.seed(tmp, 1)
            auth = f"Bearer {data['token']}"
            zport, zpid = start_zoomsim(tmp, data["db_url"])
            template = write_template(tmp, f"http://{common.LOOPBACK}:{zport}", auth)
            bport, bpid = start_baseline(tmp, data["db_path"], template)
            ports = {"baseline": bport, "zoomsim": zport}
            size = sanity_post(ports, auth)
            common.log(f"bench: POST {PATH}, body {len(body)} B, answer {size} B, loadgen {args.loadgen}, "
                       f"{args.connections} connections, {args.rounds} rounds x {args.duration:g}s")
            meter = Meter({"baseline": bpid, "zoomsim": zpid})

            def post(name: str, seconds: float) -> Any:
                return lambda: run_post(args.loadgen, ports[name], PATH, auth, body, args.connections, seconds,
                                        args.threads)

            for name in ports if args.warmup > 0 else ():
                meter.measure(name, post(name, args.warmup), keep=False)
            for rnd in range(1, args.rounds + 1):
                for name in ("baseline", "zoomsim"):
                    meter.measure(name, post(name, args.duration))
                b, z = meter.rps["baseline"][-1], meter.rps["zoomsim"][-1]
                common.log(f"round {rnd}  baseline {b:9,.0f} req/s   zoomsim {z:9,.0f} req/s   ratio {z / b if b else 0:.3f}")
        finally:
            common.stop_all()
    out = {"benchmark": f"POST {PATH}", "loadgen": args.loadgen, "connections": args.connections,
           "duration": args.duration, "rounds": args.rounds, **post_summary(meter), "non_2xx_or_errors": meter.bad}
    return finish(args, out, [
        f"baseline (Starlette + sqlite3 INSERT)  {out['post_baseline_rps']:10,.0f} req/s",
        f"zoomsim  (full chain)                  {out['post_zoomsim_rps']:10,.0f} req/s",
        f"ratio zoomsim/baseline                 {out['post_ratio_median']:10.3f}"], meter.bad)


if __name__ == "__main__":
    sys.exit(main())
