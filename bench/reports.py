"""Benchmark GET /v2/report/daily and GET /v2/report/users over 1,000,000 participant sessions,
against the same aggregates run as bare sqlite3 SQL on the same file, in the same run.

The data is made by `zoomsim simulate`'s code (simulation/bulk.py): by default 20,000 meetings
of 50 sessions over the last 30 days, hosted by 200 users. The file is kept between runs under
--cache-dir, keyed by the parameters and the simulate code, and rebuilt when it is too old for
the reports' six-month window (or with --rebuild). zoomsim is served by uvicorn (one worker,
rate limits off) on that file; each report is requested sequentially on one keep-alive
connection, alternating with the baseline (stdlib sqlite3, read-only connection, the handler's
GROUP BY and the same JSON assembled and encoded). Reported: median and p95 ms of each, and
the ratio zoomsim / baseline of the medians.

    .venv/bin/python bench/reports.py [--requests 20] [--rebuild] [--json]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import httpx

import users_get as common
from zoomsim.reports.dates import months_back

ROOT = Path(__file__).resolve().parent.parent
MAX_AGE_DAYS = 120          # the daily report looks back six months; rebuild well before that


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=200, help="users in the simulated account (default 200)")
    p.add_argument("--meetings", type=int, default=20_000, help="past meetings (default 20,000)")
    p.add_argument("--participants-per-meeting", type=int, default=50, help="sessions per meeting (default 50)")
    p.add_argument("--days", type=int, default=30, help="days the meetings spread over (default 30)")
    p.add_argument("--seed", default="1")
    p.add_argument("--requests", type=int, default=20, help="measured requests per report (default 20)")
    p.add_argument("--warmup", type=int, default=3, help="unmeasured requests per report first (default 3)")
    p.add_argument("--cache-dir", default="/tmp/zoomsim-bench-cache", help="where the simulated file is kept")
    p.add_argument("--rebuild", action="store_true", help="simulate again even if a cached file fits")
    p.add_argument("--json", action="store_true", help="print one machine-readable JSON result on stdout")
    args = p.parse_args(argv)
    if min(args.users, args.meetings, args.participants_per_meeting, args.days, args.requests) < 1 or args.warmup < 0:
        p.error("counts must be positive")
    return args


def utc_today() -> date:
    """Report days are UTC days, as the server counts them."""
    return datetime.now(timezone.utc).date()


# ---- the data ---------------------------------------------------------------------------------

def code_key() -> str:
    """Changes whenever the simulate code or the schema does, so a stale file is not reused."""
    h = hashlib.sha256((ROOT / "src/zoomsim/simulation/bulk.py").read_bytes())
    for path in sorted((ROOT / "src/zoomsim/storage/migrations/versions").glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:10]


def dataset(args: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    """The cached file and its simulate summary, made now if missing, stale or asked for."""
    from zoomsim.simulation import bulk

    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    prefix = f"reports-u{args.users}-m{args.meetings}-p{args.participants_per_meeting}-d{args.days}-s{args.seed}"
    name = f"{prefix}-{code_key()}"
    db, meta = cache / f"{name}.db", cache / f"{name}.json"
    if db.exists() and meta.exists() and not args.rebuild:
        summary = json.loads(meta.read_text())
        age = (utc_today() - date.fromisoformat(summary["to"][:10])).days
        if age <= MAX_AGE_DAYS:
            common.log(f"bench: reusing {db} (built {age} days ago)")
            return db, summary
    for old in cache.glob(f"{prefix}-*.*"):     # this file, or one made by older code or schema
        old.unlink()
    common.log(f"bench: simulating {args.meetings * args.participants_per_meeting:,} sessions into {db} ...")
    plan = bulk.Plan(users=args.users, meetings=args.meetings, per_meeting=args.participants_per_meeting,
                     days=args.days, seed=args.seed)
    summary = bulk.simulate(f"sqlite:///{db}", plan, progress=True)
    meta.write_text(json.dumps(summary))
    common.log(f"bench: simulated in {summary['seconds']:.1f}s ({summary['rows_per_second']:,} rows/s)")
    return db, summary


def busiest_month(first: date, last: date) -> tuple[int, int]:
    """The (year, month) holding most days of the simulated window."""
    days: dict[tuple[int, int], int] = {}
    d = first
    while d <= last:
        days[(d.year, d.month)] = days.get((d.year, d.month), 0) + 1
        d += timedelta(days=1)
    return max(days, key=lambda k: (days[k], k))


# ---- the baseline: the handlers' aggregates as bare SQL -------------------------------------------

ENDED = "account_id = ? AND start_time >= ? AND start_time < ? AND end_time IS NOT NULL AND kind = 'meeting'"


def daily_baseline(conn: sqlite3.Connection, account: str, year: int, month: int, today: date) -> bytes:
    first = date(year, month, 1)
    after = date(year + month // 12, month % 12 + 1, 1)
    last = min(after - timedelta(days=1), today)
    lo, hi = f"{first}T00:00:00Z", f"{last + timedelta(days=1)}T00:00:00Z"
    usage = {d: (n, p, m) for d, n, p, m in conn.execute(
        f"SELECT substr(start_time, 1, 10), COUNT(*), COALESCE(SUM(participants), 0), "
        f"COALESCE(SUM(participant_minutes), 0) FROM instances WHERE {ENDED} GROUP BY 1", (account, lo, hi))}
    joined = dict(conn.execute("SELECT substr(created_at, 1, 10), COUNT(*) FROM users WHERE account_id = ? AND "
                               "created_at >= ? AND created_at < ? GROUP BY 1", (account, lo, hi)).fetchall())
    rows = []
    for i in range((last - first).days + 1):
        key = (first + timedelta(days=i)).isoformat()
        n, p, m = usage.get(key, (0, 0, 0))
        rows.append({"date": key, "new_users": joined.get(key, 0), "meetings": n, "participants": p,
                     "meeting_minutes": m})
    return json.dumps({"year": year, "month": month, "dates": rows}).encode()


def users_baseline(conn: sqlite3.Connection, account: str, first: date, last: date, page_size: int) -> bytes:
    lo, hi = f"{first}T00:00:00Z", f"{last + timedelta(days=1)}T00:00:00Z"
    totals = {h: (n, p, m) for h, n, p, m in conn.execute(
        f"SELECT host_id, COUNT(*), COALESCE(SUM(participants), 0), COALESCE(SUM(participant_minutes), 0) "
        f"FROM instances WHERE {ENDED} GROUP BY host_id", (account, lo, hi))}
    members = conn.execute("SELECT id, email, type, doc FROM users WHERE account_id = ? ORDER BY seq",
                           (account,)).fetchall()
    active = [m for m in members if m[0] in totals]
    items = []
    for uid, email, utype, raw in active[:page_size]:
        doc = json.loads(raw)
        n, p, m = totals[uid]
        items.append({"id": uid, "email": email, "user_name": doc.get("display_name") or "", "type": utype,
                      "dept": doc.get("dept") or "", "meetings": n, "participants": p, "meeting_minutes": m,
                      "custom_attributes": doc.get("custom_attributes") or []})
    out = {"from": first.isoformat(), "to": last.isoformat(), "page_count": math.ceil(len(active) / page_size),
           "page_number": 1, "page_size": page_size, "total_records": len(active), "next_page_token": "",
           "users": items, "total_meetings": sum(t[0] for t in totals.values()),
           "total_participants": sum(t[1] for t in totals.values()),
           "total_meeting_minutes": sum(t[2] for t in totals.values())}
    return json.dumps(out).encode()


# ---- measuring --------------------------------------------------------------------------------

def p95(xs: list[float]) -> float:
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def same_numbers(report: str, ours: dict[str, Any], base: dict[str, Any]) -> None:
    """zoomsim and the baseline must agree on every number before anything is timed."""
    if report == "daily":
        pick: Callable[[dict[str, Any]], Any] = lambda b: [
            (d["date"], d["new_users"], d["meetings"], d["participants"], d["meeting_minutes"]) for d in b["dates"]]
    else:
        pick = lambda b: (b["total_records"], b["total_meetings"], b["total_participants"], b["total_meeting_minutes"],
                          [(u["id"], u["meetings"], u["participants"], u["meeting_minutes"]) for u in b["users"]])
    if pick(ours) != pick(base):
        raise SystemExit(f"sanity check failed: {report} differs from the baseline:\n"
                         f"zoomsim  {str(pick(ours))[:400]}\nbaseline {str(pick(base))[:400]}")


def measure(args: argparse.Namespace, http: httpx.Client, path: str, params: dict[str, Any],
            baseline: Callable[[], bytes]) -> dict[str, Any]:
    """Alternate one request and one baseline run; ms of each after the warm-up."""
    ours: list[float] = []
    base: list[float] = []
    size = 0
    for i in range(args.warmup + args.requests):
        t0 = time.perf_counter()
        r = http.get(path, params=params)
        t1 = time.perf_counter()
        if r.status_code != 200:
            raise SystemExit(f"GET {path} {params} -> {r.status_code} {r.text[:300]}")
        t2 = time.perf_counter()
        baseline()
        t3 = time.perf_counter()
        if i >= args.warmup:
            ours.append((t1 - t0) * 1000)
            base.append((t3 - t2) * 1000)
        size = len(r.content)
    med_o, med_b = common.median(ours) or 0.0, common.median(base) or 0.0
    return {"path": path, "params": params, "body_bytes": size, "zoomsim_ms_median": round(med_o, 2),
            "zoomsim_ms_p95": round(p95(ours), 2), "baseline_ms_median": round(med_b, 2),
            "baseline_ms_p95": round(p95(base), 2), "ratio_median": round(med_o / med_b, 2) if med_b else None}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    common.watchdog(900)
    t_start = time.monotonic()
    db, summary = dataset(args)
    first, last = date.fromisoformat(summary["from"][:10]), date.fromisoformat(summary["to"][:10])
    year, month = busiest_month(first, last)
    users_from = max(first, months_back(last, 1) + timedelta(days=1))    # a report covers at most a month
    port = common.free_port()
    results: dict[str, dict[str, Any]] = {}
    try:
        common.start([sys.executable, "-m", "uvicorn", "zoomsim.app:worker_app", "--factory", "--port", str(port)]
                     + common.UVICORN_FLAGS,
                     {"ZOOMSIM_DB": f"sqlite:///{db}", "ZOOMSIM_HOST": common.LOOPBACK, "ZOOMSIM_PORT": str(port),
                      "ZOOMSIM_RATE_LIMITS": "0"}, db.with_suffix(".log"), port)
        base_url = f"http://{common.LOOPBACK}:{port}"
        with httpx.Client(base_url=base_url, timeout=60) as http:
            r = http.post("/oauth/token", params={"grant_type": "account_credentials",
                                                   "account_id": summary["account_id"]},
                          auth=(summary["client_id"], summary["client_secret"]))
            if r.status_code != 200:
                raise SystemExit(f"token request failed: {r.status_code} {r.text}")
            http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            account = summary["account_id"]
            today = utc_today()
            daily_params = {"year": year, "month": month}
            users_params = {"from": users_from.isoformat(), "to": last.isoformat(), "page_size": 300}
            cases: dict[str, tuple[str, dict[str, Any], Callable[[], bytes]]] = {
                "daily": ("/v2/report/daily", daily_params, lambda: daily_baseline(conn, account, year, month, today)),
                "users": ("/v2/report/users", users_params,
                          lambda: users_baseline(conn, account, users_from, last, 300)),
            }
            for name, (path, params, baseline) in cases.items():
                same_numbers(name, http.get(path, params=params).json(), json.loads(baseline()))
                results[name] = measure(args, http, path, params, baseline)
                res = results[name]
                common.log(f"{name:6} zoomsim {res['zoomsim_ms_median']:8.1f} ms (p95 {res['zoomsim_ms_p95']:7.1f})   "
                           f"baseline {res['baseline_ms_median']:7.1f} ms (p95 {res['baseline_ms_p95']:7.1f})   "
                           f"ratio {res['ratio_median']}")
            conn.close()
    finally:
        common.stop_all()
    sessions = summary["participants"]
    out = {"benchmark": "GET /v2/report/daily, GET /v2/report/users", "participant_rows": sessions,
           "meetings": summary["meetings"], "users": summary["users"], "db_bytes": db.stat().st_size,
           "simulate_seconds": summary["seconds"], "requests": args.requests, "reports": results,
           "wall_seconds": round(time.monotonic() - t_start, 1)}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{sessions:,} participant rows, {summary['meetings']:,} meetings, {summary['users']} users, "
              f"{out['db_bytes'] / 1e6:,.0f} MB (simulated in {summary['seconds']:.1f}s)")
        for name, res in results.items():
            print(f"{res['path']:18} zoomsim median {res['zoomsim_ms_median']:7.1f} ms  p95 {res['zoomsim_ms_p95']:7.1f} ms"
                  f"   baseline median {res['baseline_ms_median']:6.1f} ms  p95 {res['baseline_ms_p95']:6.1f} ms"
                  f"   ratio {res['ratio_median']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
