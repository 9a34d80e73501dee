"""The shapes the outbox and the payload builders share."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zoomsim.storage.db import Db

if TYPE_CHECKING:
    from zoomsim.app import Services
    from zoomsim.context import Ctx, Input


@dataclass(slots=True)
class Emitted:
    """One event to send: its name, Zoom's `payload` object without `account_id` (the outbox
    puts it first), and the user it concerns (a user-scoped subscription hears only its users)."""

    event: str
    payload: dict[str, Any]
    user_id: str | None = None


@dataclass(slots=True)
class Change:
    """What an operation did, as the payload builders see it."""

    ctx: "Ctx"
    inp: "Input"
    result: Any                 # the handler's answer, decoded (a dict, a list or None)
    before: Any = None          # what the operation's BEFORE loader read


@dataclass(slots=True)
class Step:
    """A simulation step (simulation/live.py), as the step builders see it."""

    services: "Services"
    db: Db
    account_id: str
    kind: str                   # "meeting" | "webinar"
    step: str                   # start | join | leave | end | chat
    data: dict[str, Any] = field(default_factory=dict)
