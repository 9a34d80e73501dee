"""Benchmark what the API-call log costs: bench/users_get.py's GET /v2/users/{userId} against
three servers in the same run: the bare baseline, zoomsim with the call log on (the default) and
zoomsim with it off (ZOOMSIM_CALL_LOG=0), all on the same seeded SQLite file and loaded in turn
by the same generator. Each round gives ratio_on = on/baseline and ratio_off = off/baseline; the
number that matters is ratio_on / ratio_off (target >= 0.9), median over rounds.

    .venv/bin/python bench/call_log.py [--duration 5] [--rounds 5] [--connections 64] [--json]
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import loadgen
import users_get as common

NAMES = ("baseline", "log_on", "log_off")


def start_zoomsim(tmp: Path, data: dict[str, Any], name: str, log_on: bool) -> tuple[int, Path]:
    """A zoomsim on its own copy of the seeded file: servers sharing one SQLite file in WAL mode
    slow each other's reads (measured: the second server on a file ran ~17% slower than the first
    with the log off in both), which would bias whichever is started later."""
    port = common.free_port()
    own = tmp / f"{name}.db"
    shutil.copy(data["db_path"], own)
    py = [sys.executable, "-m", "uvicorn"]
    common.start(py + ["zoomsim.app:worker_app", "--factory", "--port", str(port)] + common.UVICORN_FLAGS,
                        {"ZOOMSIM_DB": f"sqlite:///{own}", "ZOOMSIM_HOST": common.LOOPBACK, "ZOOMSIM_PORT": str(port),
                         "ZOOMSIM_RATE_LIMITS": "0", "ZOOMSIM_CALL_LOG": "1" if log_on else "0",
                         "ZOOMSIM_WEBHOOKS": "0"},
                        tmp / f"{name}.log", port)
    return port, own


def logged_rows(db_path: Path) -> int:
    """How many calls a server's file holds (proves the log was on, or off)."""
    time.sleep(0.5)
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM api_calls").fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    p = common.base_parser(__doc__, 5, "wrk threads (default 1: the server needs the other core)")
    p.add_argument("--users", type=int, default=1000)
    p.add_argument("--ids", type=int, default=16)
    args = p.parse_args(argv)
    common.check_common(p, args)
    common.watchdog(60 + args.rounds * 3 * (args.duration + 3) + 3 * args.warmup)
    rps: dict[str, list[float]] = {n: [] for n in NAMES}
    bad = 0
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            common.log(f"bench: seeding {args.users} users ...")
            data = common.seed(tmp, args.users)
            ports, pids = common.start_targets(tmp, data)
            ports = {"baseline": ports["baseline"]}
            common.stop(next(c for c in common._children if c.pid == pids["zoomsim"]))
            files = {}
            for name, on in (("log_on", True), ("log_off", False)):
                ports[name], files[name] = start_zoomsim(tmp, data, name, on)
            paths = [f"/v2/users/{uid}" for uid in common.pick_ids(data["ids"], args.ids)]
            auth = f"Bearer {data['token']}"
            common.sanity({"baseline": ports["baseline"], "zoomsim": ports["log_on"]}, paths, auth)
            common.sanity({"baseline": ports["baseline"], "zoomsim": ports["log_off"]}, paths, auth)

            def measure(name: str, seconds: float) -> loadgen.Result:
                return loadgen.run(args.loadgen, ports[name], paths, auth, args.connections, seconds, args.threads)

            for name in NAMES if args.warmup > 0 else ():
                measure(name, args.warmup)
            for rnd in range(1, args.rounds + 1):
                order = NAMES if rnd % 2 else ("baseline", "log_off", "log_on")
                got = {name: measure(name, args.duration) for name in order}
                for name, res in got.items():
                    rps[name].append(res.rps)
                    bad += res.non_2xx + res.errors
                on, off = got["log_on"].rps / got["baseline"].rps, got["log_off"].rps / got["baseline"].rps
                common.log(f"round {rnd}  baseline {got['baseline'].rps:8,.0f}  log on {got['log_on'].rps:8,.0f}  "
                           f"log off {got['log_off'].rps:8,.0f} req/s   ratio on {on:.3f} off {off:.3f}  "
                           f"on/off {on / off:.3f}")
            rows, rows_off = logged_rows(files["log_on"]), logged_rows(files["log_off"])
        finally:
            common.stop_all()
    ratio_on = [o / b for o, b in zip(rps["log_on"], rps["baseline"])]
    ratio_off = [o / b for o, b in zip(rps["log_off"], rps["baseline"])]
    on_off = [a / b for a, b in zip(ratio_on, ratio_off)]
    out = {
        "benchmark": "GET /v2/users/{userId}, API-call log on vs off", "loadgen": args.loadgen,
        "connections": args.connections, "duration": args.duration, "rounds": args.rounds,
        **{f"{n}_rps": [round(x) for x in rps[n]] for n in NAMES},
        "ratio_on_median": round(common.median(ratio_on) or 0, 4),
        "ratio_off_median": round(common.median(ratio_off) or 0, 4),
        "on_over_off": [round(x, 4) for x in on_off], "on_over_off_median": round(common.median(on_off) or 0, 4),
        "rows_logged": rows, "rows_logged_when_off": rows_off, "non_2xx_or_errors": bad,
    }
    if args.json:
        print(json.dumps(out))
    else:
        print(f"ratio log on / baseline   {out['ratio_on_median']:.3f}   (median of {args.rounds})")
        print(f"ratio log off / baseline  {out['ratio_off_median']:.3f}")
        print(f"on / off                  {out['on_over_off_median']:.3f}   (median of per-round quotients; "
              f"{rows:,} rows logged)")
    return 1 if bad or rows_off else 0


if __name__ == "__main__":
    sys.exit(main())
