"""Benchmark GET /v2/users/{userId}: zoomsim's whole chain against a bare baseline, same run.

zoomsim (token verify, scope check, rate limits off, storage) and bench/baseline_app.py
(Starlette + one stdlib sqlite3 query) read the same user rows from the same SQLite file.
Both are served by uvicorn (one worker, uvloop + httptools, no access log) on loopback, and
loaded alternately by the same generator (wrk if on PATH, else bench/loadgen.py's asyncio one).
The number that matters is the ratio zoomsim/baseline, median over rounds.

    .venv/bin/python bench/users_get.py [--duration 5] [--rounds 5] [--connections 64] [--scopes all] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

import loadgen

BENCH_DIR = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"
UVICORN_FLAGS = ["--host", LOOPBACK, "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                 "--log-level", "warning", "--lifespan", "on"]
_children: list[subprocess.Popen[bytes]] = []


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def start(cmd: list[str], env: dict[str, str], logfile: Path, port: int) -> subprocess.Popen[bytes]:
    """Start a server subprocess and wait until it answers HTTP on its port."""
    with open(logfile, "wb") as out:
        proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    _children.append(proc)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early: {' '.join(cmd)}\n{logfile.read_text()}")
        try:
            httpx.get(f"http://{LOOPBACK}:{port}/", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit(f"server did not start: {' '.join(cmd)}\n{logfile.read_text()}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stop_all() -> None:
    for proc in _children:
        stop(proc)


def seed(tmp: Path, users: int, scopes: str = "all") -> dict[str, Any]:
    """A fresh SQLite file, started once via `zoomsim serve`; ~N users through the admin API; a token
    from the default app (all scopes) or, with scopes='user:read:admin', from an app holding only that."""
    db_url = f"sqlite:///{tmp / 'zoomsim.db'}"
    creds = json.loads(subprocess.run([str(BIN / "zoomsim"), "init", "--db", db_url, "--json"],
                                      capture_output=True, text=True, check=True, timeout=60).stdout)
    port = free_port()
    proc = start([str(BIN / "zoomsim"), "serve", "--db", db_url, "--host", LOOPBACK, "--port", str(port),
                  "--no-rate-limits"], {}, tmp / "seed.log", port)
    base = f"http://{LOOPBACK}:{port}"
    aid = creds["account_id"]
    ids: list[str] = []
    with httpx.Client(base_url=base, timeout=30) as http:
        admin = {"Authorization": f"Bearer {creds['admin_key']}"}
        for i in range(users):
            r = http.post(f"/_zoomsim/accounts/{aid}/users", headers=admin,
                          json={"email": f"bench.user{i:05d}@example.com", "type": 1, "first_name": f"Bench{i}",
                                "last_name": "User"})
            if r.status_code != 201:
                raise SystemExit(f"creating user {i} failed: {r.status_code} {r.text}")
            ids.append(r.json()["id"])
        client = (creds["client_id"], creds["client_secret"])
        if scopes != "all":   # a second app holding only the scope this operation needs
            r = http.post(f"/_zoomsim/accounts/{aid}/apps", headers=admin, json={"scopes": [scopes]})
            if r.status_code != 201:
                raise SystemExit(f"creating the {scopes} app failed: {r.status_code} {r.text}")
            client = (r.json()["client_id"], r.json()["client_secret"])
        r = http.post("/oauth/token", params={"grant_type": "account_credentials", "account_id": aid},
                      auth=client)
        if r.status_code != 200:
            raise SystemExit(f"token request failed: {r.status_code} {r.text}")
        token = r.json()["access_token"]
    stop(proc)
    return {"db_url": db_url, "db_path": str(tmp / "zoomsim.db"), "account_id": aid, "token": token, "ids": ids,
            "admin_key": creds["admin_key"]}


def start_targets(tmp: Path, data: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """zoomsim (its worker factory) and the baseline, each its own uvicorn process: (ports, pids)."""
    ports = {"baseline": free_port(), "zoomsim": free_port()}
    py = [sys.executable, "-m", "uvicorn"]
    base = start(py + ["baseline_app:create_app", "--factory", "--app-dir", str(BENCH_DIR),
                       "--port", str(ports["baseline"])] + UVICORN_FLAGS,
                 {"BENCH_DB": data["db_path"], "BENCH_ACCOUNT_ID": data["account_id"]},
                 tmp / "baseline.log", ports["baseline"])
    zoom = start(py + ["zoomsim.app:worker_app", "--factory", "--port", str(ports["zoomsim"])] + UVICORN_FLAGS,
                 {"ZOOMSIM_DB": data["db_url"], "ZOOMSIM_HOST": LOOPBACK, "ZOOMSIM_PORT": str(ports["zoomsim"]),
                  "ZOOMSIM_RATE_LIMITS": "0"},
                 tmp / "zoomsim.log", ports["zoomsim"])
    return ports, {"baseline": base.pid, "zoomsim": zoom.pid}


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def sanity(ports: dict[str, int], paths: list[str], auth: str) -> int:
    """Both targets must answer 200 with byte-identical bodies for every path, each the resource
    the path names (users, meetings). Returns the body size."""
    size = 0
    with httpx.Client(timeout=10) as http:
        for path in paths:
            got = {name: http.get(f"http://{LOOPBACK}:{port}{path}", headers={"Authorization": auth})
                   for name, port in ports.items()}
            for name, r in got.items():
                if r.status_code != 200:
                    raise SystemExit(f"sanity check failed: {name} GET {path} -> {r.status_code} {r.text[:300]}")
            if got["baseline"].content != got["zoomsim"].content:
                raise SystemExit(f"sanity check failed: bodies differ for {path}:\n"
                                 f"baseline {got['baseline'].content[:300]!r}\nzoomsim  {got['zoomsim'].content[:300]!r}")
            if str(json.loads(got["zoomsim"].content)["id"]) != path.rsplit("/", 1)[1]:
                raise SystemExit(f"sanity check failed: wrong resource returned for {path}")
            size = max(size, len(got["zoomsim"].content))
    return size


def report(out: dict[str, Any], rounds: int, as_json: bool, bad: int) -> int:
    """Print a bench result (one JSON object, or the human lines); exit status 1 if any answer failed."""
    if as_json:
        print(json.dumps(out))
    else:
        print(f"baseline (Starlette + sqlite3)  {out['baseline_median']:10,.0f} req/s  (median of {rounds})")
        print(f"zoomsim  (full chain)           {out['zoomsim_median']:10,.0f} req/s  (median of {rounds})")
        print(f"ratio zoomsim/baseline          {out['ratio_median']:10.3f}        (median of per-round ratios)")
        if out["cpu_ratio_median"] is not None:
            print(f"server CPU per request          {out['baseline_cpu_us_per_req']:6.1f} us baseline, "
                  f"{out['zoomsim_cpu_us_per_req']:6.1f} us zoomsim -> ratio {out['cpu_ratio_median']:.3f} "
                  f"(busy {out['baseline_server_busy']:.0%} / {out['zoomsim_server_busy']:.0%} of a core)")
    if bad:
        log(f"bench: WARNING: {bad} non-2xx responses or socket errors during measurement")
        return 1
    return 0


def pick_ids(ids: list[str], count: int) -> list[str]:
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def base_parser(doc: str, rounds: int, threads_help: str = "wrk threads (default 1)") -> argparse.ArgumentParser:
    """The options every bench here takes; each adds its own."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=5.0, help="seconds per measurement (default 5)")
    p.add_argument("--rounds", type=int, default=rounds, help=f"measurement rounds (default {rounds})")
    p.add_argument("--connections", type=int, default=64, help="concurrent keep-alive connections (default 64)")
    p.add_argument("--threads", type=int, default=1, help=threads_help)
    p.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds per target first (default 1)")
    p.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument("--json", action="store_true", help="print one machine-readable JSON result on stdout")
    return p


def check_common(p: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Pick the load generator and refuse nonsense in the shared options."""
    if args.loadgen == "auto":
        args.loadgen = "wrk" if loadgen.have_wrk() else "python"
    elif args.loadgen == "wrk" and not loadgen.have_wrk():
        p.error("wrk is not on PATH (apt-get install wrk), or use --loadgen python")
    if args.duration <= 0 or args.rounds < 1 or args.connections < 1:
        p.error("duration, rounds and connections must be positive")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = base_parser(__doc__, 5, "wrk threads (default 1: the server needs the other core)")
    p.add_argument("--users", type=int, default=1000, help="users to create besides the owner (default 1000)")
    p.add_argument("--ids", type=int, default=16, help="user ids the requests rotate through (default 16)")
    p.add_argument("--scopes", default="all", help="token of the default app ('all', every scope: a ~30 KB token) "
                   "or of an app holding just this one scope, e.g. user:read:admin (default all)")
    args = p.parse_args(argv)
    check_common(p, args)
    if args.users < 1:
        p.error("users must be positive")
    return args


def watchdog(seconds: float) -> None:
    """Whatever happens, stop the servers and exit after `seconds`."""
    def fire() -> None:
        log(f"bench: time budget of {seconds:.0f}s exceeded, stopping")
        stop_all()
        os._exit(3)
    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    watchdog(45 + args.rounds * 2 * (args.duration + 3) + 2 * args.warmup)
    t_start = time.monotonic()
    names = ("baseline", "zoomsim")
    results: dict[str, list[loadgen.Result]] = {n: [] for n in names}
    cpu_us: dict[str, list[float]] = {n: [] for n in names}      # server CPU per request
    busy: dict[str, list[float]] = {n: [] for n in names}        # server CPU seconds per wall second
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            log(f"bench: seeding {args.users} users in {tmp / 'zoomsim.db'} ...")
            data = seed(tmp, args.users, args.scopes)
            ports, pids = start_targets(tmp, data)
            ids = pick_ids(data["ids"], args.ids)
            paths = [f"/v2/users/{uid}" for uid in ids]
            auth = f"Bearer {data['token']}"
            body_bytes = sanity(ports, paths, auth)
            log(f"bench: GET /v2/users/{{userId}}, {len(ids)} ids rotated, body {body_bytes} B, token "
                f"{len(data['token'])} B ({args.scopes} scopes), loadgen {args.loadgen}, "
                f"{args.connections} connections, {args.rounds} rounds x {args.duration:g}s")

            def measure(name: str, seconds: float) -> loadgen.Result:
                before, t0 = cpu_seconds(pids[name]), time.monotonic()
                res = loadgen.run(args.loadgen, ports[name], paths, auth, args.connections, seconds, args.threads)
                after, t1 = cpu_seconds(pids[name]), time.monotonic()
                if before is not None and after is not None and res.requests:
                    cpu_us[name].append((after - before) / res.requests * 1e6)
                    busy[name].append((after - before) / (t1 - t0))
                return res

            for name in names if args.warmup > 0 else ():
                measure(name, args.warmup)
                cpu_us[name].clear()
                busy[name].clear()
            for rnd in range(1, args.rounds + 1):
                for name in names:
                    results[name].append(measure(name, args.duration))
                b, z = results["baseline"][-1], results["zoomsim"][-1]
                cpu = (f"   server CPU/req {cpu_us['baseline'][-1]:6.1f} / {cpu_us['zoomsim'][-1]:6.1f} us"
                       if cpu_us["zoomsim"] else "")
                log(f"round {rnd}  baseline {b.rps:9,.0f} req/s   zoomsim {z.rps:9,.0f} req/s   "
                    f"ratio {z.rps / b.rps if b.rps else 0:.3f}{cpu}")
        finally:
            stop_all()
    rps = {name: [r.rps for r in rs] for name, rs in results.items()}
    ratios = [z / b if b else 0.0 for b, z in zip(rps["baseline"], rps["zoomsim"])]
    cpu_ratios = [b / z for b, z in zip(cpu_us["baseline"], cpu_us["zoomsim"]) if z]
    bad = sum(r.non_2xx + r.errors for rs in results.values() for r in rs)

    def r(x: float | None, nd: int = 1) -> float | None:
        return None if x is None else round(x, nd)

    out = {
        "benchmark": "GET /v2/users/{userId}", "loadgen": args.loadgen, "connections": args.connections,
        "duration": args.duration, "rounds": args.rounds, "users": args.users + 1, "ids": len(ids),
        "body_bytes": body_bytes, "scopes": args.scopes, "token_bytes": len(data["token"]),
        "baseline_rps": [r(x) for x in rps["baseline"]], "zoomsim_rps": [r(x) for x in rps["zoomsim"]],
        "ratios": [r(x, 4) for x in ratios],
        "baseline_median": r(median(rps["baseline"])), "zoomsim_median": r(median(rps["zoomsim"])),
        "ratio_median": r(median(ratios), 4),
        "baseline_cpu_us_per_req": r(median(cpu_us["baseline"])),
        "zoomsim_cpu_us_per_req": r(median(cpu_us["zoomsim"])),
        "cpu_ratio_median": r(median(cpu_ratios), 4),
        "baseline_server_busy": r(median(busy["baseline"]), 3), "zoomsim_server_busy": r(median(busy["zoomsim"]), 3),
        "non_2xx_or_errors": bad, "wall_seconds": r(time.monotonic() - t_start),
    }
    return report(out, args.rounds, args.json, bad)


if __name__ == "__main__":
    sys.exit(main())
