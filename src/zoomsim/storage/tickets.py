"""Zoom Events ticket types and tickets. A type's sold quantity is never stored: it is the
count of its tickets, taken under the event's ticket lock (Db.serialize) by whoever sells."""
from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.storage.db import Db
from zoomsim.storage.schema import ticket_types as tt
from zoomsim.storage.schema import tickets as tk


def _text(doc: dict[str, Any]) -> str:
    return jsonio.dumps(doc).decode()


class TypeRow(NamedTuple):
    seq: int
    id: str
    event_id: str
    quantity: int | None
    doc: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]


_TYPE_COLS = (tt.c.seq, tt.c.id, tt.c.event_id, tt.c.quantity, tt.c.doc)
_TYPE = sa.select(*_TYPE_COLS).where(tt.c.id == sa.bindparam("key"), tt.c.event_id == sa.bindparam("event"))


def get_type(db: Db, event_id: str, type_id: str) -> TypeRow | None:
    row = db.one(_TYPE, {"key": type_id, "event": event_id})
    return None if row is None else TypeRow._make(row)


def types_of(db: Db, event_id: str) -> list[TypeRow]:
    q = sa.select(*_TYPE_COLS).where(tt.c.event_id == event_id).order_by(tt.c.seq)
    return [TypeRow._make(r) for r in db.execute(q)]


def insert_type(db: Db, account_id: str, event_id: str, type_id: str, doc: dict[str, Any], created_at: str) -> None:
    db.execute(tt.insert().values(id=type_id, event_id=event_id, account_id=account_id,
                                  quantity=doc.get("quantity"), created_at=created_at, doc=_text(doc)))


def save_type(db: Db, event_id: str, type_id: str, doc: dict[str, Any]) -> None:
    db.execute(tt.update().where(tt.c.id == type_id, tt.c.event_id == event_id)
               .values(quantity=doc.get("quantity"), doc=_text(doc)))


def delete_type(db: Db, event_id: str, type_id: str) -> None:
    db.execute(tt.delete().where(tt.c.id == type_id, tt.c.event_id == event_id))


def sold(db: Db, event_id: str) -> dict[str, int]:
    """Tickets holding a place, per ticket type of the event."""
    q = (sa.select(tk.c.ticket_type_id, sa.func.count()).where(tk.c.event_id == event_id, tk.c.status != "cancelled")
         .group_by(tk.c.ticket_type_id))
    return {str(type_id): int(n) for type_id, n in db.execute(q)}


class TicketRow(NamedTuple):
    seq: int
    id: str
    event_id: str
    ticket_type_id: str
    email: str
    status: str
    doc: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]


_TICKET_COLS = (tk.c.seq, tk.c.id, tk.c.event_id, tk.c.ticket_type_id, tk.c.email, tk.c.status, tk.c.doc)
_TICKET = sa.select(*_TICKET_COLS).where(tk.c.id == sa.bindparam("key"), tk.c.event_id == sa.bindparam("event"))


def get_ticket(db: Db, event_id: str, ticket_id: str) -> TicketRow | None:
    row = db.one(_TICKET, {"key": ticket_id, "event": event_id})
    return None if row is None else TicketRow._make(row)


def insert_ticket(db: Db, account_id: str, event_id: str, doc: dict[str, Any], created_at: str) -> None:
    db.execute(tk.insert().values(id=doc["ticket_id"], event_id=event_id, account_id=account_id,
                                  ticket_type_id=doc["ticket_type_id"], email=doc["email"].lower(), status="active",
                                  created_at=created_at, doc=_text(doc)))


def save_ticket(db: Db, event_id: str, doc: dict[str, Any]) -> None:
    db.execute(tk.update().where(tk.c.id == doc["ticket_id"], tk.c.event_id == event_id).values(doc=_text(doc)))


def delete_ticket(db: Db, event_id: str, ticket_id: str) -> None:
    db.execute(tk.delete().where(tk.c.id == ticket_id, tk.c.event_id == event_id))


def _ticket_conds(event_id: str, filters: dict[str, str]) -> list[Any]:
    conds: list[Any] = [tk.c.event_id == event_id, tk.c.status != "cancelled"]
    if filters.get("email"):
        conds.append(tk.c.email == filters["email"].lower())
    if filters.get("ticket_type_id"):
        conds.append(tk.c.ticket_type_id == filters["ticket_type_id"])
    return conds


def tickets_of(db: Db, event_id: str, filters: dict[str, str], after: int | None, limit: int) -> list[TicketRow]:
    """In sale order, keyset on seq; `external_ticket_id` is matched by the caller (it lives in doc)."""
    conds = _ticket_conds(event_id, filters)
    if after is not None:
        conds.append(tk.c.seq > after)
    q = sa.select(*_TICKET_COLS).where(*conds).order_by(tk.c.seq).limit(limit)
    return [TicketRow._make(r) for r in db.execute(q)]


def count_tickets(db: Db, event_id: str, filters: dict[str, str]) -> int:
    q = sa.select(sa.func.count()).select_from(tk).where(*_ticket_conds(event_id, filters))
    return int(db.execute(q).scalar() or 0)


def has_ticket(db: Db, event_id: str, email: str) -> bool:
    q = sa.select(tk.c.id).where(tk.c.event_id == event_id, tk.c.email == email.lower(),
                                 tk.c.status != "cancelled").limit(1)
    return db.execute(q).first() is not None


def registrant_emails(db: Db, event_id: str, after: str | None, limit: int) -> list[str]:
    """The distinct addresses holding live tickets, in address order (keyset on the address)."""
    conds = [tk.c.event_id == event_id, tk.c.status != "cancelled"]
    if after is not None:
        conds.append(tk.c.email > after)
    q = sa.select(tk.c.email).where(*conds).group_by(tk.c.email).order_by(tk.c.email).limit(limit)
    return [str(r[0]) for r in db.execute(q)]


def count_registrants(db: Db, event_id: str) -> int:
    q = sa.select(sa.func.count(sa.distinct(tk.c.email))).where(tk.c.event_id == event_id, tk.c.status != "cancelled")
    return int(db.execute(q).scalar() or 0)


def tickets_of_emails(db: Db, event_id: str, emails: list[str]) -> list[TicketRow]:
    if not emails:
        return []
    q = (sa.select(*_TICKET_COLS).where(tk.c.event_id == event_id, tk.c.status != "cancelled", tk.c.email.in_(emails))
         .order_by(tk.c.seq))
    return [TicketRow._make(r) for r in db.execute(q)]


def holders_of(db: Db, event_id: str) -> list[dict[str, Any]]:
    """The documents of the event's live tickets, in sale order."""
    q = sa.select(tk.c.doc).where(tk.c.event_id == event_id, tk.c.status != "cancelled").order_by(tk.c.seq)
    return [jsonio.loads(r[0]) for r in db.execute(q)]
