"""Command line: `zoomsim serve`, `zoomsim credentials`, `zoomsim coverage`, `zoomsim simulate`."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Sequence

from zoomsim.config import Config, default_db_url

FAMILY_LABELS = {
    "meetings": "v2 meetings",
    "webinars": "v2 webinars",
    "reports": "v2 reports",
    "phones": "v2 phones/tsp/tracking",
    "users": "v2 users",
    "other": "v2 other (outside the brief)",
    "events": "events",
    "v1": "v1",
}


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from zoomsim.app import create_app

    config = Config(db_url=args.db, host=args.host, port=args.port, rate_limits=not args.no_rate_limits,
                    admin_key=args.admin_key, public_url=args.public_url)
    if args.workers > 1 and config.db_url.startswith("sqlite"):
        # SQLite keeps the clock and rate-limit counters in the one worker's memory; several
        # processes would each count alone. PostgreSQL shares them (platform/shared.py).
        print(f"zoomsim serve: --workers {args.workers} needs PostgreSQL (--db postgresql://...); "
              "SQLite serves one worker", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("zoomsim serve: --workers must be at least 1", file=sys.stderr)
        return 2
    app = create_app(config)   # migrates and bootstraps before any worker starts
    inst = app.services.installation
    lines = [
        f"zoomsim {config.db_url}" + ("" if config.rate_limits else "   (rate limits off)"),
        f"  account id     {inst.account_id}",
        f"  client id      {inst.client_id}",
        f"  client secret  {inst.client_secret}",
        f"  API base URL   {config.base_url}/v2",
        f"  token URL      {config.base_url}/oauth/token",
    ]
    if app.services.admin_key:
        lines.append(f"  admin key      {app.services.admin_key}   (admin API: {config.base_url}/_zoomsim/)")
    else:
        lines.append("  admin API      off (non-loopback bind; pass --admin-key to enable)")
    print("\n".join(lines), flush=True)
    log_level = "info" if args.access_log else "warning"
    if args.workers > 1:
        os.environ.update(config.to_env())
        app.services.storage.dispose()
        uvicorn.run("zoomsim.app:worker_app", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level=log_level, access_log=args.access_log)
    else:
        uvicorn.run(app, host=args.host, port=args.port, log_level=log_level, access_log=args.access_log)
    return 0


def _credentials(args: argparse.Namespace) -> int:
    from zoomsim.app import create_app

    app = create_app(Config(db_url=args.db, admin_key=args.admin_key))
    inst = app.services.installation
    out = {"account_id": inst.account_id, "client_id": inst.client_id, "client_secret": inst.client_secret,
           "admin_key": app.services.admin_key}
    app.services.storage.dispose()
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:14} {v}")
    return 0


def coverage_rows() -> list[tuple[str, int, int, list[str]]]:
    from zoomsim.handlers import all_handlers
    from zoomsim.optable import load_operations

    handlers = all_handlers()
    rows = []
    ops = load_operations()
    for family, label in FAMILY_LABELS.items():
        mine = [op for op in ops if op.family == family]
        missing = [f"{op.method} {op.full_path} ({op.id})" for op in mine if op.id not in handlers]
        rows.append((label, len(mine) - len(missing), len(mine), missing))
    return rows


def _coverage(args: argparse.Namespace) -> int:
    rows = coverage_rows()
    if args.json:
        print(json.dumps([{"family": r[0], "implemented": r[1], "total": r[2], "missing": r[3]} for r in rows]))
        return 0
    for label, done, total, missing in rows:
        print(f"{label:32} {done:4} / {total:<4}")
        if args.missing:
            for line in missing:
                print(f"    {line}")
    done = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    print(f"{'total':32} {done:4} / {total:<4}")
    return 0


def _simulate(args: argparse.Namespace) -> int:
    """Bulk meeting history for load-testing reports; the summary (with credentials) goes to stdout."""
    import sqlite3

    import psycopg
    from sqlalchemy.exc import SQLAlchemyError

    from zoomsim.clock import parse_iso
    from zoomsim.simulation import bulk

    fail = args.parser.error
    end = None
    if args.end is not None:
        try:
            end = parse_iso(args.end)
        except ValueError:
            fail(f"--end must be an ISO date or time (e.g. 2026-11-02 or 2026-11-02T15:00:00Z), not {args.end!r}")
    plan = bulk.Plan(users=args.users, meetings=args.meetings, per_meeting=args.participants_per_meeting,
                     days=args.days, seed=args.seed, account_id=args.account, dial_in=args.dial_in,
                     recording=args.recording, signed_in=args.signed_in, end=end, plan=args.plan,
                     base_url=(args.base_url or Config().base_url).rstrip("/"), chunk_rows=args.chunk_rows)
    try:
        plan.check()
        summary = bulk.simulate(args.db, plan, progress=not args.quiet)
    except bulk.SimulationError as exc:
        fail(str(exc))
    except (SQLAlchemyError, sqlite3.Error, psycopg.Error) as exc:    # rows go in through the driver too
        print(f"zoomsim simulate: database error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    print(json.dumps(summary))
    return 0


def _add_simulate(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    sim = sub.add_parser("simulate", help="fill an account with past meetings in bulk (for load-testing reports)",
                         description="Create an account (or use --account) with users, and meetings that each ran "
                                     "once in the last DAYS days, with their participant sessions.")
    sim.add_argument("--db", default=default_db_url(), help="sqlite:///path or postgresql://... (migrated if needed)")
    sim.add_argument("--users", type=int, default=10, help="users hosts and attendees come from, owner included")
    sim.add_argument("--meetings", type=int, default=100, help="past meetings to create (one ended run each)")
    sim.add_argument("--participants-per-meeting", type=int, default=10,
                     help="participant sessions per meeting, the host's included")
    sim.add_argument("--days", type=int, default=30, help="spread the meetings over the last DAYS days")
    sim.add_argument("--seed", default="0", help="the same seed gives the same history on an empty database")
    sim.add_argument("--account", default=None, help="add to this existing account instead of creating one")
    sim.add_argument("--dial-in", type=float, default=0.05, help="share of guests who dial in by phone")
    sim.add_argument("--recording", type=float, default=0.2, help="share of meetings recording to the cloud")
    sim.add_argument("--signed-in", type=float, default=0.15, help="share of other attendees who are account users")
    sim.add_argument("--end", default=None, help="ISO date/time the window ends (default: the app clock's now)")
    sim.add_argument("--plan", default="business", help="plan of a new account (default business)")
    sim.add_argument("--base-url", default=None, help="base URL for join/start links (default as `serve`)")
    sim.add_argument("--chunk-rows", type=int, default=25_000, help="participant rows per transaction")
    sim.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    sim.set_defaults(func=_simulate, parser=sim)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zoomsim", description="A stateful implementation of Zoom's REST APIs.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the API server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--db", default=default_db_url(), help="sqlite:///path or postgresql://...")
    serve.add_argument("--no-rate-limits", action="store_true", help="turn Zoom's rate limits off")
    serve.add_argument("--admin-key", default=os.environ.get("ZOOMSIM_ADMIN_KEY"),
                       help="admin API key (required to enable the admin API on non-loopback binds)")
    serve.add_argument("--public-url", default=None, help="base URL to advertise (behind a proxy)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (use PostgreSQL for more than 1)")
    serve.add_argument("--access-log", action="store_true")
    serve.set_defaults(func=_serve)
    creds = sub.add_parser("credentials", help="print the default account's credentials")
    creds.add_argument("--db", default=default_db_url())
    creds.add_argument("--admin-key", default=os.environ.get("ZOOMSIM_ADMIN_KEY"))
    creds.add_argument("--json", action="store_true")
    creds.set_defaults(func=_credentials)
    cov = sub.add_parser("coverage", help="implemented operations per API family")
    cov.add_argument("--missing", action="store_true", help="list the operations not implemented yet")
    cov.add_argument("--json", action="store_true")
    cov.set_defaults(func=_coverage)
    _add_simulate(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
