"""Applying fault rules to requests. Each worker keeps the rules in memory (reloaded when the
shared generation moves: every admin change of a rule moves it), so with no rules a request
pays one method call. A request some rule matches takes the rules' lock for one short write
transaction: every matching rule counts it and the first that fires decides, so "the 3rd
matching request" is the 3rd across all workers, and a probability draws the same numbers in
the same order on every run with the same seed. Webhook deliveries are counted the same way,
in the unit that writes them."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from zoomsim import jsonio
from zoomsim.faults.rules import TOKEN, Rule, parse
from zoomsim.platform.ratelimit import CATEGORY
from zoomsim.storage import faults as repo

if TYPE_CHECKING:
    from zoomsim.app import Services


__all__ = ["TOKEN", "FaultSet", "Hit", "drop", "error_answer"]


@dataclass(frozen=True, slots=True)
class Hit:
    rule: Rule
    k: int          # the request is the rule's k-th match


class FaultSet:
    def __init__(self) -> None:
        self._rules: list[Rule] | None = None

    def forget(self) -> None:
        self._rules = None

    def active(self, s: "Services", db: Any = None) -> list[Rule]:
        """The rules, read once per generation (through `db` when the caller is inside a unit:
        an in-memory database has one connection)."""
        if self._rules is None:
            if db is not None:
                self._rules = [stored(r) for r in repo.all_rules(db)]
            else:
                with s.storage.read() as fresh:
                    self._rules = [stored(r) for r in repo.all_rules(fresh)]
        return self._rules

    def decide(self, s: "Services", op_id: str, family: str, method: str, account_id: str | None,
               app_id: str | None) -> Hit | None:
        """Count the request against every rule it matches; the first rule that fires."""
        now = s.clock.now()
        candidates = [r for r in self.active(s) if r.matches(op_id, family, method, account_id, app_id, now)]
        if not candidates:
            return None
        with s.storage.write() as db:
            return _count(db, candidates)

    def decide_delivery(self, s: "Services", db: Any, event: str, subscription_id: str, account_id: str,
                        app_id: str) -> Hit | None:
        """The same for one delivery an event makes, counted in the unit that writes it (a change
        that rolls back counts nothing)."""
        rules = self.active(s, db)
        if not rules:
            return None
        now = s.clock.now()
        candidates = [r for r in rules if r.matches_delivery(event, subscription_id, account_id, app_id, now)]
        return _count(db, candidates) if candidates else None


def _count(db: Any, candidates: list[Rule]) -> Hit | None:
    """Under the rules' lock: every candidate counts the match, the first that fires decides."""
    chosen: Hit | None = None
    db.serialize("fault-rules")
    counts = repo.counts(db, [r.id for r in candidates])
    for rule in candidates:
        if rule.id not in counts:
            continue            # deleted meanwhile
        matched, fired = counts[rule.id]
        k = matched + 1
        fire = chosen is None and rule.fires(k, fired)
        repo.set_counts(db, rule.id, k, fired + int(fire))
        if fire:
            chosen = Hit(rule, k)
    return chosen


def stored(row: Any) -> Rule:
    """A stored rule (its spec parsed as the admin API parsed it; times and expiry are columns)."""
    return replace(parse(row.id, {**jsonio.loads(row.spec), "times": row.times}, 0.0), expires_at=row.expires_at)


def error_answer(rule: Rule, rate_label: str | None) -> tuple[int, bytes, dict[str, str]]:
    """An error effect as Zoom answers it: the envelope (or the body given) and, for 429, Zoom's
    rate-limit headers."""
    effect = rule.effect
    status = int(effect["status"])
    body = effect["body"] if "body" in effect else {"code": effect["code"], "message": effect["message"]}
    headers: dict[str, str] = {}
    if status == 429:
        headers = {"X-RateLimit-Category": CATEGORY.get(rate_label or "", "Light"), "X-RateLimit-Type": "QPS",
                   "X-RateLimit-Limit": "0", "X-RateLimit-Remaining": "0"}
    if "retry_after" in effect:
        headers["Retry-After"] = str(effect["retry_after"])
    return status, jsonio.dumps(body), headers


async def drop(send: Any) -> None:
    """Close the connection without an answer: uvicorn's transport is aborted (a TCP reset).
    Elsewhere, a response that promises a body and sends none breaks the exchange instead."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is not None:
        transport.abort()
        for _ in range(3):          # let the server see the connection lost before we return
            await asyncio.sleep(0)
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]})
    raise ConnectionAbortedError("fault: connection dropped")
