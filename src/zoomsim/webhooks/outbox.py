"""Events into the outbox, in the transaction of the change that caused them.

The request chain calls `before_operation` ahead of a handler and `after_operation` once it
has succeeded (same unit of work); simulation steps call `emit_step`. Nothing is sent here:
rows are written, and the sender is woken once the unit commits (a rolled-back request leaves
no row and wakes nothing)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.context import Raw, Reply
from zoomsim.storage import webhooks as repo
from zoomsim.storage.db import Db
from zoomsim.webhooks import catalog, wire
from zoomsim.webhooks.model import Change, Emitted, Step

if TYPE_CHECKING:
    from zoomsim.app import Services
    from zoomsim.context import Ctx, Input


def call(ctx: "Ctx", inp: "Input") -> Any:
    """Run the operation's handler, with the events it emits written beside its change: the one
    way an operation runs on behalf of a caller (the API chain and v1 both come here)."""
    handler = ctx.op.handler
    assert handler is not None
    if ctx.op.id not in catalog.OPERATION_EVENTS:
        return handler(ctx, inp)
    before = before_operation(ctx, inp)
    result = handler(ctx, inp)
    after_operation(ctx, inp, result, before)
    return result


def _subscribed(services: "Services", db: Db, account_id: str, events: tuple[str, ...]) -> bool:
    subs = services.subscriptions.of(db, account_id)
    return any(e in s.events for s in subs for e in events)


def before_operation(ctx: "Ctx", inp: "Input") -> Any:
    """What the operation's BEFORE loader reads, when someone listens to what it emits."""
    from zoomsim.webhooks.payloads import LOADERS

    name = catalog.BEFORE.get(ctx.op.id)
    events = catalog.emits(ctx.op.id)
    if name is None or not events or not _subscribed(ctx.services, ctx.db, ctx.account_id, events):
        return None
    load = LOADERS.get(name)
    return load(ctx, inp) if load is not None else None


def after_operation(ctx: "Ctx", inp: "Input", result: Any, before: Any) -> None:
    events = catalog.emits(ctx.op.id)
    if not events or not _subscribed(ctx.services, ctx.db, ctx.account_id, events):
        return
    from zoomsim.webhooks.payloads import BUILDERS

    change = Change(ctx, inp, _decoded(result), before)
    out: list[Emitted] = []
    for event in events:
        build = BUILDERS.get(event)
        if build is not None:
            out.extend(build(change))
    emit(ctx.services, ctx.db, ctx.account_id, out)


def emit_step(services: "Services", db: Db, account_id: str, step: str, kind: str, data: dict[str, Any]) -> None:
    """The events a simulation step emits (catalog.STEP_EVENTS), when anyone listens."""
    events = catalog.STEP_EVENTS.get(step, {}).get(kind, ())
    if not events or not _subscribed(services, db, account_id, events):
        return
    from zoomsim.webhooks.payloads import STEP_BUILDERS

    seen = Step(services, db, account_id, kind, step, data)
    out: list[Emitted] = []
    for event in events:
        build = STEP_BUILDERS.get(event)
        if build is not None:
            out.extend(build(seen))
    emit(services, db, account_id, out)


def emit(services: "Services", db: Db, account_id: str, emitted: list[Emitted]) -> None:
    """One outbox row per (event, subscription that wants it), due now on zoomsim's clock."""
    if not emitted:
        return
    subs = services.subscriptions.of(db, account_id)
    now = services.clock.now()
    ts = int(now * 1000)
    created = clockmod.iso(now)
    rows: list[dict[str, Any]] = []
    for e in emitted:
        body: bytes | None = None
        for s in subs:
            if not s.wants(e.event, e.user_id):
                continue
            if body is None:
                body = wire.stringify(wire.envelope(e.event, ts, {"account_id": account_id, **e.payload}))
            rows.append({"request_id": wire.new_request_id(), "trace_id": wire.new_trace_id(),
                         "account_id": account_id, "app_id": s.app_id, "subscription_id": s.id,
                         "user_id": e.user_id, "event": e.event, "event_ts": ts, "url": s.url,
                         "body": body.decode(), "state": "pending", "attempts": 0, "due_at": now,
                         "lease_until": None, "created_at": created, "fault": None})
    if rows:
        if services.faults.active(services, db):
            rows = _faulted(services, db, rows)
        repo.add_deliveries(db, rows)
        db.after_commit(services.sender.wake)


def _faulted(services: "Services", db: Db, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Webhook fault rules (faults/rules.py): a delivery held back on zoomsim's clock (so the
    ones after it arrive first), or written again as copies: the same event, body and tracking
    id, each a delivery of its own with its own tries."""
    out: list[dict[str, Any]] = []
    for row in rows:
        hit = services.faults.decide_delivery(services, db, row["event"], row["subscription_id"],
                                              row["account_id"], row["app_id"])
        if hit is None:
            out.append(row)
            continue
        row["fault"] = hit.rule.id
        row["due_at"] += hit.rule.delay_seconds(hit.k)
        out.append(row)
        for _ in range(hit.rule.effect.get("duplicate", 0)):
            out.append({**row, "request_id": wire.new_request_id(),
                        "due_at": row["due_at"] + hit.rule.effect.get("duplicate_after_seconds", 0)})
    return out


def _decoded(result: Any) -> Any:
    if isinstance(result, Reply):
        result = result.body
    if isinstance(result, Raw):
        return jsonio.loads(result.data)
    return result
