"""Benchmark GET /v2/meetings/{meetingId}: zoomsim's whole chain against a bare baseline, same run.

zoomsim (token verify, scope check, rate limits off, the meeting access gate: account, host,
host may hold meetings; occurrences for recurring meetings) and bench/baseline_app.py's meetings
route (Starlette + one stdlib sqlite3 query returning the stored `doc`) read the same meetings
from the same SQLite file. The meetings are made through the real API (POST
/v2/users/me/meetings) before measuring. Served and loaded as bench/users_get.py does; the
number that matters is the ratio zoomsim/baseline, median over rounds.

    .venv/bin/python bench/meeting_get.py [--kind scheduled|recurring] [--duration 5] [--rounds 5] [--json]
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

import loadgen
import users_get as common

CREATE = "/v2/users/me/meetings"
SCHEDULED = {"topic": "Bench scheduled", "type": 2, "start_time": "2031-01-01T10:00:00Z", "duration": 30,
             "timezone": "America/New_York", "agenda": "Weekly numbers"}
# Every occurrence lies in the future, so GET shows them all and the stored document is the answer.
RECURRING = {"topic": "Bench recurring", "type": 8, "start_time": "2031-01-01T10:00:00Z", "duration": 45,
             "timezone": "Europe/Berlin", "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "2,4",
                                                         "end_times": 20}}


def create_meetings(port: int, auth: str, count: int, kind: str) -> list[int]:
    """`count` meetings of the owner through the API; returns their numbers."""
    body = RECURRING if kind == "recurring" else SCHEDULED
    numbers = []
    with httpx.Client(base_url=f"http://{common.LOOPBACK}:{port}", timeout=30,
                      headers={"Authorization": auth}) as http:
        for i in range(count):
            r = http.post(CREATE, json={**body, "topic": f"{body['topic']} {i}"})
            if r.status_code != 201:
                raise SystemExit(f"creating meeting {i} failed: {r.status_code} {r.text[:300]}")
            numbers.append(r.json()["id"])
    return numbers


def parse_args(argv: list[str] | None) -> Any:
    p = common.base_parser(__doc__, 5, "wrk threads (default 1: the server needs the other core)")
    p.add_argument("--kind", choices=["scheduled", "recurring"], default="scheduled",
                   help="type 2 meetings (served as stored bytes) or type 8 with 20 future occurrences (default scheduled)")
    p.add_argument("--meetings", type=int, default=200, help="meetings to create (default 200)")
    p.add_argument("--ids", type=int, default=16, help="meeting ids the requests rotate through (default 16)")
    args = p.parse_args(argv)
    common.check_common(p, args)
    if args.meetings < 1 or args.ids < 1:
        p.error("meetings and ids must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    common.watchdog(90 + args.rounds * 2 * (args.duration + 3) + 2 * args.warmup)
    t_start = time.monotonic()
    names = ("baseline", "zoomsim")
    rps: dict[str, list[float]] = {n: [] for n in names}
    cpu_us: dict[str, list[float]] = {n: [] for n in names}      # server CPU per request
    busy: dict[str, list[float]] = {n: [] for n in names}        # server CPU seconds per wall second
    bad = 0
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            common.log(f"bench: seeding {tmp / 'zoomsim.db'} ...")
            data = common.seed(tmp, 1)
            auth = f"Bearer {data['token']}"
            ports, pids = common.start_targets(tmp, data)
            common.log(f"bench: creating {args.meetings} {args.kind} meetings through POST {CREATE} ...")
            numbers = create_meetings(ports["zoomsim"], auth, args.meetings, args.kind)
            paths = [f"/v2/meetings/{n}" for n in common.pick_ids([str(n) for n in numbers], args.ids)]
            body_bytes = common.sanity(ports, paths, auth)
            common.log(f"bench: GET /v2/meetings/{{meetingId}} ({args.kind}), {len(paths)} ids rotated, body "
                       f"{body_bytes} B, token {len(data['token'])} B, loadgen {args.loadgen}, "
                       f"{args.connections} connections, {args.rounds} rounds x {args.duration:g}s")

            def measure(name: str, seconds: float, keep: bool = True) -> loadgen.Result:
                before, t0 = common.cpu_seconds(pids[name]), time.monotonic()
                res = loadgen.run(args.loadgen, ports[name], paths, auth, args.connections, seconds, args.threads)
                after, t1 = common.cpu_seconds(pids[name]), time.monotonic()
                if keep:
                    rps[name].append(res.rps)
                    if before is not None and after is not None and res.requests:
                        cpu_us[name].append((after - before) / res.requests * 1e6)
                        busy[name].append((after - before) / (t1 - t0))
                return res

            for name in names if args.warmup > 0 else ():
                measure(name, args.warmup, keep=False)
            for rnd in range(1, args.rounds + 1):
                for name in names:
                    res = measure(name, args.duration)
                    bad += res.non_2xx + res.errors
                b, z = rps["baseline"][-1], rps["zoomsim"][-1]
                cpu = (f"   server CPU/req {cpu_us['baseline'][-1]:6.1f} / {cpu_us['zoomsim'][-1]:6.1f} us"
                       if cpu_us["zoomsim"] else "")
                common.log(f"round {rnd}  baseline {b:9,.0f} req/s   zoomsim {z:9,.0f} req/s   "
                           f"ratio {z / b if b else 0:.3f}{cpu}")
        finally:
            common.stop_all()
    ratios = [z / b if b else 0.0 for b, z in zip(rps["baseline"], rps["zoomsim"])]
    cpu_ratios = [b / z for b, z in zip(cpu_us["baseline"], cpu_us["zoomsim"]) if z]

    def r(x: float | None, nd: int = 1) -> float | None:
        return None if x is None else round(x, nd)

    med = common.median
    out = {
        "benchmark": "GET /v2/meetings/{meetingId}", "kind": args.kind, "loadgen": args.loadgen,
        "connections": args.connections, "duration": args.duration, "rounds": args.rounds,
        "meetings": args.meetings, "ids": len(paths), "body_bytes": body_bytes, "token_bytes": len(data["token"]),
        "baseline_rps": [r(x) for x in rps["baseline"]], "zoomsim_rps": [r(x) for x in rps["zoomsim"]],
        "ratios": [r(x, 4) for x in ratios],
        "baseline_median": r(med(rps["baseline"])), "zoomsim_median": r(med(rps["zoomsim"])),
        "ratio_median": r(med(ratios), 4),
        "baseline_cpu_us_per_req": r(med(cpu_us["baseline"])), "zoomsim_cpu_us_per_req": r(med(cpu_us["zoomsim"])),
        "cpu_ratio_median": r(med(cpu_ratios), 4),
        "baseline_server_busy": r(med(busy["baseline"]), 3), "zoomsim_server_busy": r(med(busy["zoomsim"]), 3),
        "non_2xx_or_errors": bad, "wall_seconds": r(time.monotonic() - t_start),
    }
    return common.report(out, args.rounds, args.json, bad)


if __name__ == "__main__":
    sys.exit(main())
