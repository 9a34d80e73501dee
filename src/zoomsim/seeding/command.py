"""`zoomsim seed FILE`: the command-line sub-command and its parser."""
from __future__ import annotations

import argparse
import json
import os
import sys

from zoomsim.seeding.entry import seed_file, summary_line
from zoomsim.seeding.errors import SeedError


def _seed_command(args: argparse.Namespace) -> int:
    """`zoomsim seed FILE`: 0 and a summary; 2 for a bad file, 1 for a database that won't open,
    each after one line on stderr."""
    from sqlalchemy.exc import SQLAlchemyError

    from zoomsim.storage.engine import DB_DOWN
    from zoomsim.storage.urls import DatabaseUrlError, check_url, describe, is_memory

    try:
        url = check_url(args.db)
    except DatabaseUrlError as exc:
        print(f"zoomsim seed: {exc}", file=sys.stderr)
        return 2
    if is_memory(url):
        print("zoomsim seed: an in-memory database lives only inside its server: use `zoomsim serve --seed FILE`",
              file=sys.stderr)
        return 2
    try:
        summary = seed_file(url, args.file, args.public_url)
    except SeedError as err:
        print(f"zoomsim seed: {err.render(args.file)}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, *DB_DOWN) as exc:
        print(f"zoomsim seed: {describe(exc, url)}", file=sys.stderr)
        return 1
    print(json.dumps(summary) if args.json else summary_line(summary))
    return 0


def add_seed_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """`zoomsim seed FILE [--db URL] [--public-url U] [--json]`."""
    from zoomsim.cli import _formatter      # the command line's own help layout
    from zoomsim.config import default_db_url

    seed = subparsers.add_parser(
        "seed", help="create accounts, users, apps (fixed credentials), meetings and fault rules from a YAML "
                     "or JSON file",
        formatter_class=_formatter,
        description="Load a seed file into the database, in one transaction. Seeding the same file again "
                    "changes nothing: accounts match by id, users by email, apps by client id, meetings "
                    "by host and key (or host and topic), fault rules by id.")
    seed.add_argument("file", help="seed file (.yaml/.yml, or .json)")
    seed.add_argument("--db", default=default_db_url(),
                      help="sqlite:///path or postgresql://user@host/db, migrated if needed (ZOOMSIM_DB)")
    seed.add_argument("--public-url", default=os.environ.get("ZOOMSIM_PUBLIC_URL") or None,
                      help="base URL for seeded meetings' join and start links, as `serve --public-url` "
                           "(ZOOMSIM_PUBLIC_URL; default: http://127.0.0.1:8000)")
    seed.add_argument("--json", action="store_true", help="print the whole summary (ids, join URLs) as JSON")
    seed.set_defaults(func=_seed_command)
