"""Command line: `zoomsim serve`, `zoomsim credentials`, `zoomsim coverage`, `zoomsim simulate`."""
from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from typing import Any, NoReturn, Sequence

from zoomsim import about
from zoomsim.config import Config, default_db_url, webhooks_from_env

FAMILY_LABELS = {
    "meetings": "v2 meetings",
    "webinars": "v2 webinars",
    "reports": "v2 reports",
    "phones": "v2 phones/tsp/tracking",
    "users": "v2 users",
    "other": "v2 other (outside the brief)",
    "marketplace": "v2 marketplace (webhooks, call logs)",
    "events": "events",
    "v1": "v1",
}


class CliError(Exception):
    """A problem the user can fix, said in one line; `status` is the exit code (2: bad input,
    1: the environment, e.g. an unreachable database or a port in use)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise CliError(f"{name}={raw!r} is not a number") from None


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise CliError(f"{name}={raw!r} must be 1 or 0")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535)")
    return port


def _env_port() -> int:
    raw = os.environ.get("ZOOMSIM_PORT") or "8000"
    try:
        return _port(raw)
    except argparse.ArgumentTypeError as exc:
        raise CliError(f"ZOOMSIM_PORT: {exc}") from None


def _db_url(url: str) -> str:
    from zoomsim.storage.urls import DatabaseUrlError, check_url

    try:
        return check_url(url)
    except DatabaseUrlError as exc:
        raise CliError(str(exc)) from None


def _open_app(config: Config) -> Any:
    """The app on its database (migrated, bootstrapped), or one line saying why not."""
    from zoomsim.app import create_app
    from zoomsim.storage.engine import DB_DOWN
    from zoomsim.storage.urls import describe
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return create_app(config)
    except (SQLAlchemyError, *DB_DOWN) as exc:
        raise CliError(describe(exc, config.db_url), status=1) from None


def _check_bind(host: str, port: int) -> None:
    """Before the banner: the address must exist here and the port be free."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise CliError(f"cannot listen on {host}: no such address on this machine") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except PermissionError:
            raise CliError(f"no permission to listen on port {port} (ports below 1024 need root)", 1) from None
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CliError(f"port {port} on {host} is in use: stop what listens there or pass --port", 1) from None
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}", 1) from None


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    db_url = _db_url(args.db)
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    if args.workers > 1 and db_url.startswith("sqlite"):
        # SQLite keeps the clock and rate-limit counters in the one worker's memory; several
        # processes would each count alone. PostgreSQL shares them (platform/shared.py).
        raise CliError(f"--workers {args.workers} needs PostgreSQL (--db postgresql://...); SQLite serves one worker")
    if args.workers > 1 and _memory(db_url):
        raise CliError("an in-memory database lives in one process: use --workers 1")
    config = Config(db_url=db_url, host=args.host, port=args.port, rate_limits=not args.no_rate_limits,
                    admin_key=args.admin_key, public_url=args.public_url,
                    webhook_url=args.webhook_url or os.environ.get("ZOOMSIM_WEBHOOK_URL") or None,
                    webhooks=webhooks_from_env(), call_log=not args.no_call_log)
    _check_bind(args.host, args.port)
    app = _open_app(config)   # migrates and bootstraps before any worker starts
    seed_path = getattr(args, "seed", None)
    if seed_path:
        _apply_seed(app, seed_path)
    inst = app.services.installation
    if config.webhook_url:
        _subscribe_webhook_url(app, config.webhook_url)
    lines = [
        f"zoomsim {about.version()} {config.db_url}" + ("" if config.rate_limits else "   (rate limits off)"),
        f"  account id     {inst.account_id}",
        f"  client id      {inst.client_id}",
        f"  client secret  {inst.client_secret}",
        f"  secret token   {bootstrap_token(app)}   (signs webhooks)",
        f"  API base URL   {config.base_url}/v2",
        f"  token URL      {config.base_url}/oauth/token",
    ]
    if config.webhook_url:
        lines.append(f"  webhooks       every event to {config.webhook_url}")
    if app.services.admin_key:
        lines.append(f"  admin key      {app.services.admin_key}   (admin API: {config.base_url}/_zoomsim/)")
        lines.append(f"  dashboard      {config.base_url}/_zoomsim/ui/   (sign in with the admin key)")
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


def _subscribe_webhook_url(app: Any, url: str) -> None:
    from zoomsim.errors import ZoomError
    from zoomsim.marketplace.subscriptions import subscribe_default_app

    try:
        subscribe_default_app(app.services, url)
    except ZoomError as exc:
        raise CliError(f"--webhook-url {url}: {exc.message}") from None


def _apply_seed(app: Any, path: str) -> None:
    """`serve --seed FILE`: the seed file's accounts, users, apps and meetings, before the banner."""
    from sqlalchemy.exc import SQLAlchemyError

    from zoomsim import seeding
    from zoomsim.storage.engine import DB_DOWN
    from zoomsim.storage.urls import describe

    try:
        summary = seeding.seed_file(app, path)    # through the app itself: its clock and public URL
    except seeding.SeedError as exc:
        raise CliError(exc.render(path)) from None
    except (SQLAlchemyError, *DB_DOWN) as exc:
        raise CliError(describe(exc, app.services.config.db_url), status=1) from None
    print(seeding.summary_line(summary), flush=True)


def _credentials(args: argparse.Namespace) -> int:
    """The default account's credentials, read from an existing database (never creating one)."""
    from zoomsim.platform import bootstrap
    from zoomsim.storage import Storage
    from zoomsim.storage.engine import DB_DOWN
    from zoomsim.storage.urls import describe, sqlite_path
    from sqlalchemy.exc import SQLAlchemyError

    db_url = _db_url(args.db)
    if _memory(db_url):
        raise CliError("an in-memory database has no credentials to read: they exist only inside its server")
    path = sqlite_path(db_url)
    if path is not None and not path.is_file():
        raise CliError(f"no zoomsim database at {path}: start `zoomsim serve --db {db_url}` once, or pass --db "
                       "(or ZOOMSIM_DB) naming the server's database", status=1)
    storage = None
    try:
        storage = Storage(db_url)
        inst = bootstrap.installed(storage)
        token = bootstrap.secret_token(storage, inst) if inst is not None else ""
    except (SQLAlchemyError, *DB_DOWN) as exc:
        raise CliError(describe(exc, db_url), status=1) from None
    finally:
        if storage is not None:
            storage.dispose()
    if inst is None:
        raise CliError(f"{db_url} holds no zoomsim installation: start `zoomsim serve --db {db_url}` once", status=1)
    _print_credentials(inst, args.admin_key or inst.admin_key, "env" if args.env else args.json, token)
    return 0


def _init(args: argparse.Namespace) -> int:
    """Create (or open) a database, migrate it and make the default tenant, without serving:
    for scripts that want the credentials before the server starts."""
    db_url = _db_url(args.db)
    if _memory(db_url):
        raise CliError("an in-memory database lives only inside its server: use a file or PostgreSQL")
    app = _open_app(Config(db_url=db_url, admin_key=args.admin_key))
    inst = app.services.installation
    token = bootstrap_token(app)
    app.services.storage.dispose()
    _print_credentials(inst, args.admin_key or inst.admin_key, args.json, token)
    return 0


def _memory(url: str) -> bool:
    from zoomsim.storage.urls import is_memory

    return is_memory(url)


def bootstrap_token(app: Any) -> str:
    from zoomsim.platform import bootstrap

    return bootstrap.secret_token(app.services.storage, app.services.installation)


def _print_credentials(inst: Any, admin_key: str, as_json: bool | str, secret_token: str) -> None:
    out = {"account_id": inst.account_id, "client_id": inst.client_id, "client_secret": inst.client_secret,
           "secret_token": secret_token, "admin_key": admin_key}
    if as_json == "env":
        names = {"account_id": "ACCOUNT_ID", "client_id": "CLIENT_ID", "client_secret": "CLIENT_SECRET",
                 "secret_token": "SECRET_TOKEN", "admin_key": "ADMIN_KEY"}
        print("\n".join(f"export {names[k]}={v}" for k, v in out.items() if v))
    elif as_json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:14} {v}")


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


def coverage_markdown() -> str:
    """The README's coverage table (a test keeps the README's copy equal to this)."""
    rows = coverage_rows()
    lines = ["| API family | implemented | of |", "|---|---:|---:|"]
    lines += [f"| {label} | {done} | {total} |" for label, done, total, _ in rows]
    lines.append(f"| **total** | **{sum(r[1] for r in rows)}** | **{sum(r[2] for r in rows)}** |")
    return "\n".join(lines)


def _coverage(args: argparse.Namespace) -> int:
    if args.markdown:
        print(coverage_markdown())
        return 0
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
                     days=args.days, webinars=args.webinars, panelists=args.panelists_per_webinar,
                     seed=args.seed, account_id=args.account, dial_in=args.dial_in,
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
                         description="Create an account (or use --account) with users, and meetings (and "
                                     "webinars) that each ran once in the last DAYS days, with their participant "
                                     "sessions.")
    sim.add_argument("--db", default=default_db_url(), help="sqlite:///path or postgresql://... (migrated if needed)")
    sim.add_argument("--users", type=int, default=10, help="users hosts and attendees come from, owner included")
    sim.add_argument("--meetings", type=int, default=100, help="past meetings to create (one ended run each)")
    sim.add_argument("--participants-per-meeting", type=int, default=10,
                     help="participant sessions per meeting (and webinar), the host's included")
    sim.add_argument("--webinars", type=int, default=0,
                     help="past webinars to create as well (one ended run each; their hosts get the licence)")
    sim.add_argument("--panelists-per-webinar", type=int, default=2,
                     help="of each webinar's participant sessions, how many are panelists")
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


class Parser(argparse.ArgumentParser):
    """Usage mistakes in one line, like every other error of the command line."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Shows a default where there is one to show (not for flags and unset options)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False) or isinstance(action, argparse._HelpAction):
            return action.help
        return super()._get_help_string(action)


def _formatter(prog: str) -> argparse.HelpFormatter:
    return _Help(prog, max_help_position=32)


def build_parser() -> argparse.ArgumentParser:
    """Every option has an environment variable (shown in --help) so a CI job can set it once."""
    parser = Parser(prog="zoomsim", description="A stateful implementation of Zoom's REST APIs.",
                                     formatter_class=_formatter)
    parser.add_argument("--version", action="version", version=f"zoomsim {about.version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the API server", formatter_class=_formatter,
                           description="Serve Zoom's API, OAuth and the admin API on one port.")
    serve.add_argument("--host", default=os.environ.get("ZOOMSIM_HOST", "127.0.0.1"),
                       help="address to listen on (ZOOMSIM_HOST)")
    serve.add_argument("--port", type=_port, default=_env_port(),
                       help="port to listen on (ZOOMSIM_PORT)")
    serve.add_argument("--db", default=default_db_url(),
                       help="sqlite:///path, sqlite:// (in memory) or postgresql://user@host/db (ZOOMSIM_DB)")
    serve.add_argument("--no-rate-limits", action="store_true", default=not _env_flag("ZOOMSIM_RATE_LIMITS", True),
                       help="turn Zoom's rate limits off (ZOOMSIM_RATE_LIMITS=0)")
    serve.add_argument("--admin-key", default=os.environ.get("ZOOMSIM_ADMIN_KEY"),
                       help="admin API key, required to enable the admin API on non-loopback binds "
                            "(ZOOMSIM_ADMIN_KEY; default: derived from the database and printed)")
    serve.add_argument("--no-call-log", action="store_true", default=not _env_flag("ZOOMSIM_CALL_LOG", True),
                       help="don't record API calls for the dashboard and api_call_logs (ZOOMSIM_CALL_LOG=0)")
    serve.add_argument("--webhook-url", default=None, metavar="URL",
                       help="send every event of the default account to URL (signed with the secret token "
                            "the banner prints); also ZOOMSIM_WEBHOOK_URL")
    serve.add_argument("--public-url", default=os.environ.get("ZOOMSIM_PUBLIC_URL") or None,
                       help="base URL to advertise in api_url and join links, behind a proxy "
                            "(ZOOMSIM_PUBLIC_URL; default: http://HOST:PORT)")
    serve.add_argument("--workers", type=int, default=_env_int("ZOOMSIM_WORKERS", 1),
                       help="worker processes; more than 1 needs PostgreSQL (ZOOMSIM_WORKERS)")
    serve.add_argument("--access-log", action="store_true", default=_env_flag("ZOOMSIM_ACCESS_LOG", False),
                       help="log every request on stderr (ZOOMSIM_ACCESS_LOG=1)")
    serve.add_argument("--seed", default=os.environ.get("ZOOMSIM_SEED") or None, metavar="FILE",
                       help="load this seed file (YAML or JSON) before serving; see `zoomsim seed` (ZOOMSIM_SEED)")
    serve.set_defaults(func=_serve)
    creds = sub.add_parser("credentials", help="print the default account's credentials", formatter_class=_formatter,
                           description="Read the default account's credentials from an existing database.")
    creds.add_argument("--db", default=default_db_url(), help="the server's database (ZOOMSIM_DB)")
    creds.add_argument("--admin-key", default=os.environ.get("ZOOMSIM_ADMIN_KEY"),
                       help="the admin key the server was given, if any (ZOOMSIM_ADMIN_KEY)")
    creds.add_argument("--json", action="store_true", help="one JSON object")
    creds.add_argument("--env", action="store_true",
                       help='shell exports of ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, ADMIN_KEY: eval "$(zoomsim credentials --env)"')
    creds.set_defaults(func=_credentials)
    init = sub.add_parser("init", help="create a database and its default tenant; print the credentials",
                          formatter_class=_formatter,
                          description="Create (or open and migrate) a database without serving it.")
    init.add_argument("--db", default=default_db_url(), help="sqlite:///path or postgresql://user@host/db (ZOOMSIM_DB)")
    init.add_argument("--admin-key", default=os.environ.get("ZOOMSIM_ADMIN_KEY"), help="(ZOOMSIM_ADMIN_KEY)")
    init.add_argument("--json", action="store_true", help="one JSON object")
    init.set_defaults(func=_init)
    cov = sub.add_parser("coverage", help="implemented operations per API family", formatter_class=_formatter)
    cov.add_argument("--missing", action="store_true", help="list the operations not implemented yet")
    cov.add_argument("--json", action="store_true", help="one JSON array")
    cov.add_argument("--markdown", action="store_true", help="the table the README shows")
    cov.set_defaults(func=_coverage)
    _add_simulate(sub)
    from zoomsim.seeding import add_seed_parser
    add_seed_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except CliError as exc:
        command = getattr(locals().get("args"), "command", None)
        print(f"zoomsim{' ' + command if command else ''}: {exc}", file=sys.stderr)
        return exc.status
    except BrokenPipeError:          # `zoomsim credentials --json | head`: the reader left, that's fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
