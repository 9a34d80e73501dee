"""Admin routes for fault rules: /_zoomsim/faults. Every change moves the shared generation, so
every worker reloads the rules before its next request."""
from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, Callable

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.errors import ZoomError
from zoomsim.faults.rules import Rule, parse
from zoomsim.storage import faults as repo
from zoomsim.storage.db import Db

if TYPE_CHECKING:
    from zoomsim.app import Services

Result = tuple[int, Any]


def _view(row: Any) -> dict[str, Any]:
    spec = jsonio.loads(row.spec)
    return {"id": row.id, **spec, "times": row.times,
            "expires_at": clockmod.iso(row.expires_at) if row.expires_at is not None else None,
            "matched": row.matched, "fired": row.fired, "created_at": row.created_at}


def store(db: Db, rule: Rule, now: float) -> None:
    """A parsed rule as a new row, not yet matched: the one way rules are written, by this API
    and by seed files (seeding/apply.py), so both store the same thing. The caller moves the
    shared generation, so workers reload the rules."""
    repo.insert(db, id=rule.id, spec=jsonio.dumps(rule.spec).decode(), times=rule.times,
                expires_at=rule.expires_at, matched=0, fired=0, created_at=clockmod.iso(now))


def create(s: "Services", body: dict[str, Any]) -> Result:
    rule = parse(secrets.token_urlsafe(12), body, s.clock.now())
    made: dict[str, Any] = {}

    def add(db: Db) -> None:
        store(db, rule, s.clock.now())
        made.update(_view(repo.get(db, rule.id)))
    s.shared.change(lambda rt: rt, also=add)
    return 201, made


def list_rules(s: "Services", body: dict[str, Any]) -> Result:
    with s.storage.read() as db:
        return 200, {"faults": [_view(r) for r in repo.all_rules(db)]}


def get_rule(s: "Services", body: dict[str, Any], rule_id: str) -> Result:
    with s.storage.read() as db:
        row = repo.get(db, rule_id)
    if row is None:
        raise ZoomError(404, 404, f"Fault rule does not exist: {rule_id}.")
    return 200, _view(row)


def delete_rule(s: "Services", body: dict[str, Any], rule_id: str) -> Result:
    def drop(db: Db) -> None:
        if not repo.delete(db, rule_id):
            raise ZoomError(404, 404, f"Fault rule does not exist: {rule_id}.")
    s.shared.change(lambda rt: rt, also=drop)
    return 204, None


def delete_all(s: "Services", body: dict[str, Any]) -> Result:
    s.shared.change(lambda rt: rt, also=repo.delete_all)
    return 204, None


ROUTES: list[tuple[str, tuple[str, ...], Callable[..., Result]]] = [
    ("POST", ("faults",), create),
    ("GET", ("faults",), list_rules),
    ("DELETE", ("faults",), delete_all),
    ("GET", ("faults", "{id}"), get_rule),
    ("DELETE", ("faults", "{id}"), delete_rule),
]
