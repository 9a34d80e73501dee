"""What a handler receives: who is calling (account, app, user, scopes), the services it may
use (storage connection, clock, pager) and the validated request. Handlers never see HTTP."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zoomsim.meetings.kinds import KINDS, Kind
from zoomsim.optable import Operation
from zoomsim.storage.db import Db

if TYPE_CHECKING:
    from zoomsim.app import Services


@dataclass(slots=True)
class Input:
    path: dict[str, str]
    query: dict[str, Any]
    body: Any


@dataclass(slots=True)
class Ctx:
    services: "Services"
    op: Operation
    db: Db
    account_id: str
    plan: str
    client_id: str
    user_id: str
    scopes: frozenset[str]

    @classmethod
    def acting(cls, services: "Services", op: Operation, db: Db, account_id: str, plan: str, client_id: str,
               user_id: str) -> "Ctx":
        """A call of `op` made from inside zoomsim (seeding, v1, an Events session's meeting) as
        `user_id` with every scope the operation takes: the caller has already judged the rights."""
        return cls(services, op, db, account_id, plan, client_id, user_id, op.all_scopes)

    @property
    def now(self) -> float:
        return self.services.clock.now()

    @property
    def kind(self) -> Kind:
        """Meeting or webinar: the kind of the meeting domain this operation serves."""
        return KINDS[self.op.kind]

    def subject(self, inp: "Input") -> str:
        """The meeting or webinar the path names (its number or an instance UUID)."""
        return inp.path[KINDS[self.op.kind].param]

    @property
    def admin(self) -> bool:
        """Account-wide rights: the token holds one of this operation's admin-level scopes."""
        return bool(self.op.admin_scopes & self.scopes)


@dataclass(slots=True)
class Raw:
    """A body that is already JSON bytes (a stored document served as is)."""

    data: bytes


@dataclass(slots=True)
class Reply:
    """A handler's answer when the operation's default status or headers don't fit."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
