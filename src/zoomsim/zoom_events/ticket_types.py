"""Ticket types of an event: list, create, update, delete.

Every event gets a default ticket type when it is made (free, no quantity limit, on sale from
then until the event ends): createTickets picks it when a ticket names no type. Only conference
events take more (or change theirs): single-session and recurring events answer 1006. A type
sells within its sale window (26401 for a window that ends first or after the event), to at most
`quantity` tickets, for ["ALL"] sessions or the event's session ids (26402). At most 50 per event.
`sold_quantity` is counted from the tickets, never stored."""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import events as events_repo
from zoomsim.storage import tickets as repo
from zoomsim.zoom_events import access, model, sessions

MAX_TYPES = 50
MAX_DOMAINS, DOMAIN_MAX, RESTRICTED_EMAIL_MAX = 50, 40, 60
BAD_SALE_DATES = "The ticket sale dates are invalid."
BAD_SESSIONS = "One or more session IDs are invalid."
BAD_TYPE = "The ticket type ID is invalid."
TOO_MANY = "An event can have at most 50 ticket types."
HAS_TICKETS = "A ticket type with sold tickets cannot be deleted."
CURRENCY = re.compile(r"^[A-Z]{3}$")
NOT_SHOWN = ("default", "attendance_type")


def lock(ctx: Ctx, event_id: str) -> None:
    """Selling and changing quantities of one event's tickets happen one at a time (any workers)."""
    ctx.db.serialize(f"tickets:{event_id}")


def default_doc(event: dict[str, Any], now_iso: str) -> dict[str, Any]:
    return {"name": "General Admission", "description": "", "currency": "USD", "free": True, "price": "0",
            "start_time": now_iso, "end_time": event["end_time"], "sessions": ["ALL"], "bookmarked_sessions": [],
            "private_visibility_rules": {"account_restrict": False, "allow_domain_list": [],
                                         "email_restrict_list": []},
            "attendance_type": event.get("attendance_type", "virtual"), "default": True}


def create_default(ctx: Ctx, event: dict[str, Any]) -> None:
    now_iso = clockmod.iso(ctx.now)
    repo.insert_type(ctx.db, ctx.account_id, event["event_id"], ids.new_id(), default_doc(event, now_iso), now_iso)


def view(row: repo.TypeRow, sold: int) -> dict[str, Any]:
    doc = row.data()
    out = {"ticket_type_id": row.id, **{k: v for k, v in doc.items() if k not in NOT_SHOWN}}
    out["private_visibility_rules"] = {**doc.get("private_visibility_rules", {}),
                                       "attendance_type": doc.get("attendance_type", "virtual")}
    out["sold_quantity"] = sold
    return out


def _conference_only(event: events_repo.EventRow) -> None:
    if event.event_type != "CONFERENCE":
        raise ZoomError(400, 1006, sessions.NOT_FOR_TYPE)


def _session_ids(ctx: Ctx, event: events_repo.EventRow, given: list[str]) -> list[str]:
    if given == ["ALL"] or not given:
        return list(given)
    known = {row.id for row in events_repo.sessions_of(ctx.db, event.id)}
    if any(s not in known for s in given):
        raise ZoomError(400, 26402, BAD_SESSIONS)
    return list(dict.fromkeys(given))


def _rules(given: dict[str, Any], doc: dict[str, Any]) -> None:
    rules = dict(doc.get("private_visibility_rules") or {"account_restrict": False, "allow_domain_list": [],
                                                         "email_restrict_list": []})
    if "account_restrict" in given:
        rules["account_restrict"] = bool(given["account_restrict"])
    if "allow_domain_list" in given:
        domains = [str(d).strip().lower() for d in given["allow_domain_list"]]
        if len(domains) > MAX_DOMAINS or any(not d or len(d) > DOMAIN_MAX or "." not in d for d in domains):
            raise invalid_field("private_visibility_rules.allow_domain_list")
        rules["allow_domain_list"] = domains
    if "email_restrict_list" in given:
        emails = [str(e).strip().lower() for e in given["email_restrict_list"]]
        if any(len(e) > RESTRICTED_EMAIL_MAX or not is_email(e) for e in emails):
            raise invalid_field("private_visibility_rules.email_restrict_list")
        rules["email_restrict_list"] = emails
    if given.get("attendance_type") is not None:
        if given["attendance_type"] not in ("virtual", "in-person", "hybrid"):
            raise invalid_field("private_visibility_rules.attendance_type")
        doc["attendance_type"] = given["attendance_type"]
    doc["private_visibility_rules"] = rules


def _apply(ctx: Ctx, event: events_repo.EventRow, doc: dict[str, Any], body: dict[str, Any], sold: int) -> None:
    for key in ("name", "description"):
        if key in body:
            doc[key] = str(body[key])
    if not doc["name"].strip():
        raise invalid_field("name")
    if "currency" in body:
        if not CURRENCY.match(str(body["currency"]).upper()):
            raise invalid_field("currency")
        doc["currency"] = str(body["currency"]).upper()
    if "price" in body:
        try:
            price = Decimal(str(body["price"]))
        except InvalidOperation:
            raise invalid_field("price") from None
        if not price.is_finite() or price < 0 or price > 1_000_000:
            raise invalid_field("price")
        doc["price"] = str(body["price"])
    if "free" in body:
        doc["free"] = bool(body["free"])
    elif "price" in body:
        doc["free"] = Decimal(doc["price"]) == 0
    if doc["free"] and Decimal(doc.get("price") or "0") != 0:
        raise invalid_field("price")
    if doc["free"]:
        doc["price"] = "0"
    if "quantity" in body:
        quantity = body["quantity"]
        if not 1 <= quantity <= 1_000_000 or quantity != int(quantity) or quantity < sold:
            raise invalid_field("quantity")
        doc["quantity"] = int(quantity)
    if body.get("attendance_type") is not None:
        doc["attendance_type"] = body["attendance_type"]
    for key in ("sessions", "bookmarked_sessions"):
        if key in body:
            doc[key] = _session_ids(ctx, event, [str(s) for s in body[key]])
    if "private_visibility_rules" in body:
        _rules(body["private_visibility_rules"] or {}, doc)
    for key in ("start_time", "end_time"):
        if key in body:
            doc[key] = model.utc(model.moment(body[key], key))
    if doc["end_time"] <= doc["start_time"] or (event.end_time and doc["end_time"] > event.end_time):
        raise documented(ctx, 26401, BAD_SALE_DATES)


def list_types(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    sold = repo.sold(ctx.db, event.id)
    out = [view(row, sold.get(row.id, 0)) for row in repo.types_of(ctx.db, event.id)]
    return {"total_records": len(out), "ticket_types": out}


def create_type(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    _conference_only(event)
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc = {k: v for k, v in default_doc(event.data(), "").items() if k != "default"}
    doc.update(free=True, price="0", sessions=["ALL"])
    _apply(ctx, event, doc, body, 0)
    lock(ctx, event.id)
    if len(repo.types_of(ctx.db, event.id)) >= MAX_TYPES:
        raise ZoomError(400, 300, TOO_MANY)
    type_id = ids.new_id()
    repo.insert_type(ctx.db, ctx.account_id, event.id, type_id, doc, clockmod.iso(ctx.now))
    return {"ticket_type_id": type_id}


def _load(ctx: Ctx, event: events_repo.EventRow, type_id: str) -> repo.TypeRow:
    row = repo.get_type(ctx.db, event.id, type_id)
    if row is None:
        raise documented(ctx, 26502, BAD_TYPE, status=404)
    return row


def update_type(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    _conference_only(event)
    lock(ctx, event.id)   # a quantity is checked against what is sold, and sales wait for it
    row = _load(ctx, event, inp.path["ticketTypeId"])
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc = row.data()
    _apply(ctx, event, doc, body, repo.sold(ctx.db, event.id).get(row.id, 0))
    repo.save_type(ctx.db, event.id, row.id, doc)


def delete_type(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    _conference_only(event)
    lock(ctx, event.id)
    row = _load(ctx, event, inp.path["ticketTypeId"])
    if repo.sold(ctx.db, event.id).get(row.id):
        raise ZoomError(400, 300, HAS_TICKETS)
    repo.delete_type(ctx.db, event.id, row.id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getEventTicketTypes": list_types,
    "createTicketType": create_type,
    "updateTicketType": update_type,
    "deleteEventTicketType": delete_type,
}
