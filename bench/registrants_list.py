"""Benchmark GET /v2/meetings/{meetingId}/registrants?page_size=300 at the start and at the end
of a full meeting (4,999 registrants), plus POST /v2/users/me/meetings against its bare baseline.
With --kind webinar the same for GET /v2/webinars/{webinarId}/registrants on a webinar filled
to its host's licence (the owner is given a 5,000-seat webinar licence; 5,000 registrants).

The list pages by keyset (seq > last seen, along the (meeting_id, status, seq) index), so a page
reached through next_page_token should cost what the first page costs. Measured: page 1, the
last full page (page 16 of 17, 300 registrants, via its token) and the last page (199
registrants), each req/s, and the time-per-request ratio of the later pages to the first
(target: at most 1.5). Then meeting creation, zoomsim against bench/meeting_create.py's
Starlette + sqlite3 baseline, as bench/users_get.py does for GETs.

    .venv/bin/python bench/registrants_list.py [--kind meeting|webinar] [--duration 5] [--rounds 3]
        [--connections 64] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import loadgen
import meeting_create
import users_get as common

BATCH = 30
PAGE_SIZE = 300
# What each kind's full list holds, where it lives and how one is made (a scheduled one).
KINDS = {
    "meeting": {"full": 4999, "collection": "meetings", "type": 2},
    "webinar": {"full": 5000, "collection": "webinars", "type": 5},
}
WEBINAR_LICENCE = 5000


def seed(tmp: Path, registrants: int, kind: str = "meeting") -> dict[str, Any]:
    """Credentials and a token (users_get's seed), then, on a zoomsim served once: one meeting
    (or webinar, whose host gets a webinar licence first) with automatic approval and
    `registrants` registrants through batch_registrants."""
    data = common.seed(tmp, 1)
    spec = KINDS[kind]
    port = common.free_port()
    proc = common.start([str(common.BIN / "zoomsim"), "serve", "--db", data["db_url"], "--host", common.LOOPBACK,
                         "--port", str(port), "--no-rate-limits"], {}, tmp / "seed2.log", port)
    auth = {"Authorization": f"Bearer {data['token']}"}
    t0 = time.monotonic()
    with httpx.Client(base_url=f"http://{common.LOOPBACK}:{port}", headers=auth, timeout=60) as http:
        if kind == "webinar":
            admin = {"Authorization": f"Bearer {data['admin_key']}"}
            owner = http.get(f"/_zoomsim/accounts/{data['account_id']}", headers=admin).json()["owner_id"]
            r = http.patch(f"/_zoomsim/accounts/{data['account_id']}/users/{owner}/features", headers=admin,
                           json={"webinar": WEBINAR_LICENCE})
            if r.status_code != 200:
                raise SystemExit(f"granting the webinar licence failed: {r.status_code} {r.text[:300]}")
        r = http.post(f"/v2/users/me/{spec['collection']}", json={
            "topic": "Registrants bench", "type": spec["type"], "start_time": "2031-01-01T10:00:00Z",
            "settings": {"approval_type": 0}})
        if r.status_code != 201:
            raise SystemExit(f"creating the {kind} failed: {r.status_code} {r.text[:300]}")
        mid = r.json()["id"]
        for start in range(0, registrants, BATCH):
            people = [{"email": f"bench.reg{i:05d}@example.com", "first_name": f"Reg{i}", "last_name": "Bench"}
                      for i in range(start, min(start + BATCH, registrants))]
            r = http.post(f"/v2/{spec['collection']}/{mid}/batch_registrants", json={"registrants": people})
            if r.status_code != 201:
                raise SystemExit(f"batch at {start} failed: {r.status_code} {r.text[:300]}")
    common.log(f"bench: {registrants} registrants added in {time.monotonic() - t0:.1f}s")
    common.stop(proc)
    return {**data, "meeting_id": mid}


def walk(port: int, mid: int, auth: str, kind: str = "meeting") -> list[dict[str, Any]]:
    """Every page from the first, following next_page_token: [{path, count, bytes}]."""
    base = f"/v2/{KINDS[kind]['collection']}/{mid}/registrants?page_size={PAGE_SIZE}"
    pages: list[dict[str, Any]] = []
    path = base
    seen: set[str] = set()
    with httpx.Client(base_url=f"http://{common.LOOPBACK}:{port}", headers={"Authorization": auth},
                      timeout=30) as http:
        while True:
            r = http.get(path)
            if r.status_code != 200:
                raise SystemExit(f"walking pages failed: GET {path} -> {r.status_code} {r.text[:300]}")
            body = r.json()
            ids = [x["id"] for x in body["registrants"]]
            seen.update(ids)
            pages.append({"path": path, "count": len(ids), "bytes": len(r.content), "total": body["total_records"]})
            if not body["next_page_token"]:
                break
            path = f"{base}&next_page_token={body['next_page_token']}"
    if len(seen) != pages[0]["total"]:
        raise SystemExit(f"walking pages failed: saw {len(seen)} registrants, total_records {pages[0]['total']}")
    return pages


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = common.base_parser(__doc__, 3)
    p.add_argument("--kind", choices=sorted(KINDS), default="meeting", help="meeting (default) or webinar")
    p.add_argument("--registrants", type=int, default=None,
                   help="registrants (default: a full list, 4999 for a meeting, 5000 for a webinar)")
    args = p.parse_args(argv)
    common.check_common(p, args)
    full = KINDS[args.kind]["full"]
    if args.registrants is None:
        args.registrants = full
    if not 2 * PAGE_SIZE < args.registrants <= full:
        p.error(f"registrants must be between {2 * PAGE_SIZE + 1} and {full}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # seeding (~170 batches) + 5 measurements per round; page tokens live 15 minutes
    common.watchdog(240 + args.rounds * 5 * (args.duration + 3) + 5 * args.warmup)
    body = json.dumps(meeting_create.BODY, separators=(",", ":")).encode()
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            common.log(f"bench: seeding {args.registrants} registrants in {tmp / 'zoomsim.db'} ...")
            data = seed(tmp, args.registrants, args.kind)
            auth = f"Bearer {data['token']}"
            zport, zpid = meeting_create.start_zoomsim(tmp, data["db_url"])
            pages = walk(zport, data["meeting_id"], auth, args.kind)
            targets = {"first": pages[0], "last_full": pages[-2], "last": pages[-1]}
            template = meeting_create.write_template(tmp, f"http://{common.LOOPBACK}:{zport}", auth)
            bport, bpid = meeting_create.start_baseline(tmp, data["db_path"], template)
            post_ports = {"post_baseline": bport, "post_zoomsim": zport}
            meeting_create.sanity_post({"baseline": bport, "zoomsim": zport}, auth)
            common.log(f"bench: {len(pages)} pages of {PAGE_SIZE}; first {pages[0]['count']} registrants "
                       f"{pages[0]['bytes']} B, last full (page {len(pages) - 1}) {pages[-2]['count']}, last "
                       f"{pages[-1]['count']} registrants {pages[-1]['bytes']} B; loadgen {args.loadgen}, "
                       f"{args.connections} connections, {args.rounds} rounds x {args.duration:g}s")
            meter = meeting_create.Meter({"first": zpid, "last_full": zpid, "last": zpid,
                                          "post_baseline": bpid, "post_zoomsim": zpid})

            def run(name: str, seconds: float) -> Any:
                if name in targets:
                    return lambda: loadgen.run(args.loadgen, zport, [targets[name]["path"]], auth, args.connections,
                                               seconds, args.threads)
                return lambda: meeting_create.run_post(args.loadgen, post_ports[name], meeting_create.PATH, auth,
                                                       body, args.connections, seconds, args.threads)

            names = ("first", "last_full", "last", "post_baseline", "post_zoomsim")
            for name in names if args.warmup > 0 else ():
                meter.measure(name, run(name, args.warmup), keep=False)
            for rnd in range(1, args.rounds + 1):
                for name in names:
                    meter.measure(name, run(name, args.duration))
                f, lf, la = (meter.rps[n][-1] for n in ("first", "last_full", "last"))
                pb, pz = meter.rps["post_baseline"][-1], meter.rps["post_zoomsim"][-1]
                common.log(f"round {rnd}  list first {f:7,.0f}  last full {lf:7,.0f}  last {la:7,.0f} req/s   "
                           f"POST baseline {pb:7,.0f}  zoomsim {pz:7,.0f} req/s")
        finally:
            common.stop_all()

    def r(x: float | None, nd: int = 1) -> float | None:
        return None if x is None else round(x, nd)

    def time_ratio(name: str) -> float | None:
        """Median over rounds of (time per request on this page) / (time per request on page 1)."""
        return r(common.median([f / x for f, x in zip(meter.rps["first"], meter.rps[name]) if x]), 3)

    out = {
        "benchmark": f"GET /v2/{KINDS[args.kind]['collection']}/{{id}}/registrants?page_size=300; "
                     "POST /v2/users/me/meetings",
        "loadgen": args.loadgen, "connections": args.connections, "duration": args.duration, "rounds": args.rounds,
        "registrants": args.registrants, "pages": len(pages),
        "first_page_rps": r(common.median(meter.rps["first"])),
        "last_full_page_rps": r(common.median(meter.rps["last_full"])),
        "last_page_rps": r(common.median(meter.rps["last"])),
        "last_full_over_first_time": time_ratio("last_full"), "last_over_first_time": time_ratio("last"),
        "first_page_cpu_us_per_req": r(common.median(meter.cpu_us["first"])),
        "last_full_page_cpu_us_per_req": r(common.median(meter.cpu_us["last_full"])),
        "page_bytes": {n: t["bytes"] for n, t in targets.items()},
        **meeting_create.post_summary(meter, "post_"), "non_2xx_or_errors": meter.bad,
    }
    return meeting_create.finish(args, out, [
        f"list page 1 ({pages[0]['count']} registrants)              {out['first_page_rps']:9,.0f} req/s",
        f"list page {len(pages) - 1} via token ({pages[-2]['count']}, last full)  "
        f"{out['last_full_page_rps']:9,.0f} req/s   time ratio {out['last_full_over_first_time']:.3f} (target <= 1.5)",
        f"list page {len(pages)} via token ({pages[-1]['count']}, last)       "
        f"{out['last_page_rps']:9,.0f} req/s   time ratio {out['last_over_first_time']:.3f} (target <= 1.5)",
        f"POST meetings: baseline {out['post_baseline_rps']:,.0f} req/s, zoomsim {out['post_zoomsim_rps']:,.0f} "
        f"req/s, ratio {out['post_ratio_median']:.3f}"], meter.bad)

if __name__ == "__main__":
    sys.exit(main())
