"""Command line: `zoomsim serve`, `zoomsim credentials`, `zoomsim coverage`."""
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
