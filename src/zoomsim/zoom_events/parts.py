"""What hangs off one event and is kept as account items (storage/items.py), not tables of its
own: speakers, exhibitors, co-editors, access links, registration questions, check-ins, and the
draft polls and interpreters of its sessions.

Every such item has kind `ze_<what>`, owner_id = the event's id, and in `name` the value that
must be unique within the event (lower-cased where Zoom compares without case). Anything
counted against a cap is counted and written under `lock(ctx, event_id, kind)`."""
from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import sqlalchemy as sa

from zoomsim import clock as clockmod
from zoomsim import ids, jsonio
from zoomsim.context import Ctx
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.storage import items as items_repo
from zoomsim.storage import tickets as tickets_repo
from zoomsim.storage.schema import tickets

SPEAKER = "ze_speaker"
EXHIBITOR = "ze_exhibitor"
COEDITOR = "ze_coeditor"
ACCESS_LINK = "ze_access_link"
QUESTIONS = "ze_questions"     # one per event, id = the event's id
CHECK_IN = "ze_check_in"
CUSTOM_REPORT = "ze_custom_report"     # a custom report template (custom_reports.py)
SESSION_POLLS = "ze_session_polls"     # a draft session's polls (polls.py), id = the session
INTERPRETERS = "ze_interpreters"       # a session's interpreters (interpreters.py), id = the session
KINDS = (SPEAKER, EXHIBITOR, COEDITOR, ACCESS_LINK, QUESTIONS, CHECK_IN, CUSTOM_REPORT, SESSION_POLLS, INTERPRETERS)

# account_items.name is String(255): a longer unique value is refused before it reaches the column.
NAME_MAX = 255

# The shape of the ids this family hands out (ids.new_id: 22 URL-safe characters).
ID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{22}$")


def lock(ctx: Ctx, event_id: str, kind: str) -> None:
    """Serialize the count-then-insert of one kind of item of one event across workers."""
    ctx.db.serialize(f"{kind}:{event_id}")


def new_id(ctx: Ctx, kind: str) -> str:
    item_id = ids.new_id()
    while items_repo.get(ctx.db, ctx.account_id, kind, item_id) is not None:
        item_id = ids.new_id()
    return item_id


def derived_id(*names: str) -> str:
    """An id shaped like ids.new_id, derived from names: for what every event has without
    anyone making it (sponsor tiers, default questions), stable and distinct per event."""
    made = base64.urlsafe_b64encode(hashlib.sha256(":".join(names).encode()).digest()).decode()[:22]
    return "A" + made[1:] if made.startswith("-") else made


def find(ctx: Ctx, kind: str, event_id: str, item_id: str) -> items_repo.Item | None:
    """The item of this event (another event's item, even in the same account, is None)."""
    item = items_repo.get(ctx.db, ctx.account_id, kind, item_id)
    return item if item is not None and item.owner_id == event_id else None


def of_event(ctx: Ctx, kind: str, event_id: str) -> list[items_repo.Item]:
    return items_repo.all_of(ctx.db, ctx.account_id, kind, event_id)


def add(ctx: Ctx, kind: str, event_id: str, item_id: str, doc: dict[str, Any], name: str = "") -> None:
    items_repo.insert(ctx.db, ctx.account_id, kind, item_id, doc, owner_id=event_id, name=name,
                      created_at=clockmod.iso(ctx.now))


def purge(ctx: Ctx, event_id: str) -> None:
    """Everything of this family an event holds: for deleting the event."""
    for kind in KINDS:
        for item in items_repo.all_of(ctx.db, ctx.account_id, kind, event_id):
            items_repo.delete(ctx.db, ctx.account_id, kind, item.id)


def given(body: Any) -> dict[str, Any]:
    """A PATCH or POST body without its nulls (a null is "not given")."""
    return {k: v for k, v in (body or {}).items() if v is not None}


def text(body: dict[str, Any], key: str, required: bool = False) -> str:
    """A string field, trimmed; a required one may not be blank (Zoom's 300 naming it)."""
    value = str(body.get(key) or "").strip()
    if required and not value:
        raise invalid_field(key)
    return value


def fits(value: str, field: str) -> str:
    """A value bound for the `name` column, no longer than it (Zoom's 300 naming the field)."""
    if len(value) > NAME_MAX:
        raise invalid_field(field)
    return value


def not_for_type(ctx: Ctx, message: str = "Operation is not supported for this event type.") -> ZoomError:
    return ZoomError(400, 1006, message)


# --- reads of the tickets (storage/tickets.py owns them; read here, never written) ---------------

def ticket_type_of(ctx: Ctx, event_id: str, ticket_type_id: str) -> bool:
    """Whether the event has this ticket type."""
    return tickets_repo.get_type(ctx.db, event_id, ticket_type_id) is not None


def holders(ctx: Ctx, event_id: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(lower-cased e-mail, created_at, ticket type id, ticket document) of each ticket of the
    event that still holds a place, in the order they were sold."""
    q = (sa.select(tickets.c.email, tickets.c.created_at, tickets.c.ticket_type_id, tickets.c.doc)
         .where(tickets.c.event_id == event_id, tickets.c.status != "cancelled").order_by(tickets.c.seq))
    return [(str(r.email).lower(), str(r.created_at), str(r.ticket_type_id), jsonio.loads(r.doc))
            for r in ctx.db.execute(q)]


def ticket_types_of(ctx: Ctx, event_id: str) -> dict[str, dict[str, Any]]:
    """The event's ticket types by id (their documents)."""
    return {row.id: row.data() for row in tickets_repo.types_of(ctx.db, event_id)}
