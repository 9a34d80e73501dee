"""Tickets of an event: create (a batch of up to 30, with partial success), list, get, update,
delete.

Tickets are sold only for published events (26501). Each ticket of a batch is sold or refused
on its own (the 201 answer's `errors`, with Zoom's error codes); a batch where nothing could be
sold for want of stock or of a ticket type is Zoom's 2007. The whole batch counts and writes
under the event's ticket lock (ticket_types.lock: an advisory lock on PostgreSQL, the write lock
on SQLite), so a type's sold quantity never passes its quantity, whatever the concurrency or the
number of workers. `validation_level` checks the registration fields (questions.py) the tickets
answer: standard wants the required ones (260504), strict also refuses fields the event does not
ask (260503), none (and no level: the pre-registration flow, an e-mail is enough) checks neither;
a ticket with `registration_needed` answers them later, on its registration link."""
from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.storage import events as events_repo
from zoomsim.storage import tickets as repo
from zoomsim.zoom_events import access, backing, questions, ticket_types

FIELDS = ("first_name", "last_name", "address", "city", "state", "zip", "country", "phone", "industry", "job_title",
          "organization", "organization_size", "comments")
NOT_PUBLISHED = "Event is not published yet."
NO_STOCK = "Not enough stock or invalid ticket_type_id."
NOT_FOUND = "Ticket not found."
NO_ID_CHANGE = "Ticket ID can not updated."
REFUSALS = {
    "ticket_type_notfound": "The ticket type could not be found.",
    "invalid_sale_time": "The ticket type is not on sale now.",
    "stock_not_exist": "The ticket type is sold out.",
    "fast_join_with_registrationNeeded": "fast_join should not be true when registration needed flag is true.",
    "tickets_duplicate_custom_questions": "A custom question is answered more than once.",
}


def _asked(ctx: Ctx, event_id: str, ticket_type_id: str) -> tuple[dict[str, bool], dict[str, bool]]:
    """A ticket type's registration fields and custom question titles (its own once set, else the
    event's), each with whether it is required."""
    doc = questions.of_ticket_type(ctx, event_id, ticket_type_id) if ticket_type_id else \
        questions.of_event(ctx, event_id)
    fields = {q["field_name"]: bool(q.get("required")) for q in doc.get("questions", [])}
    custom = {str(q.get("title")): bool(q.get("required")) for q in doc.get("custom_questions", [])}
    return fields, custom


def _listed(names: list[str]) -> str:
    return json.dumps(sorted(set(names)), separators=(", ", ":"))


def _validate(ctx: Ctx, event_id: str, given: list[dict[str, Any]], level: str) -> None:
    """The batch's registration answers against the questions (the whole batch fails)."""
    if level == "none":
        return
    asked: dict[str, tuple[dict[str, bool], dict[str, bool]]] = {}
    missing: list[str] = []
    extra: list[str] = []
    for ticket in given:
        if ticket.get("registration_needed"):
            continue
        type_id = str(ticket.get("ticket_type_id") or "")
        if type_id not in asked:
            asked[type_id] = _asked(ctx, event_id, type_id)
        fields, custom = asked[type_id]
        answered = {k for k in FIELDS if str(ticket.get(k) or "").strip()}
        titles = {str(q.get("title")) for q in ticket.get("custom_questions") or [] if str(q.get("answer") or "")}
        missing += [k for k, required in fields.items() if required and k not in answered]
        missing += [t for t, required in custom.items() if required and t not in titles]
        extra += [k for k in answered if k not in fields and k != "comments"]
        extra += [t for t in titles if t not in custom]
    if level == "strict" and extra:
        raise ZoomError(400, 260503, f"Nonconfigured fields - {_listed(extra)}.")   # the table's text is an example
    if missing:
        raise ZoomError(400, 260504, f"Missing required fields - {_listed(missing)}.")


def _link(ctx: Ctx, kind: str) -> str:
    return f"{ctx.services.config.base_url}/{kind}/{secrets.token_urlsafe(24)}"


def _new_ticket(ctx: Ctx, event: events_repo.EventRow, given: dict[str, Any], type_id: str,
                source: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"ticket_id": ids.new_id(), "ticket_type_id": type_id, "email": str(given["email"]),
                           "external_ticket_id": str(given.get("external_ticket_id") or ""),
                           "send_notification": bool(given.get("send_notification", False)),
                           "ticket_role_type": "normal", "registration_source": source,
                           "authentication_method": "no_auth" if given.get("fast_join") else "zoom_account"}
    if given.get("registration_needed"):
        doc["event_registration_link"] = _link(ctx, "etr")
    else:
        doc["event_join_link"] = _link(ctx, "ejl")
    if event.data().get("attendance_type", "virtual") != "virtual":
        doc["qr_code_url"] = f"{ctx.services.config.base_url}/qr?t=9&ein={secrets.token_urlsafe(48)}"
    if given.get("session_ids"):
        doc["session_id"] = str(given["session_ids"][0])
    for key in FIELDS:
        if given.get(key) is not None and not given.get("registration_needed"):
            doc[key] = str(given[key])
    doc["custom_questions"] = [{"title": str(q.get("title") or ""), "answer": str(q.get("answer") or "")}
                               for q in given.get("custom_questions") or []]
    return doc


def _default_type(types: list[repo.TypeRow]) -> repo.TypeRow | None:
    return next((row for row in types if row.data().get("default")), None)


def _refusal(ticket: dict[str, Any], types: dict[str, repo.TypeRow], default: repo.TypeRow | None,
             sold: dict[str, int], now_iso: str) -> tuple[str | None, str]:
    """(why this ticket cannot be sold or None, its ticket type id)."""
    if ticket.get("fast_join") and ticket.get("registration_needed"):
        return "fast_join_with_registrationNeeded", ""
    titles = [str(q.get("title")) for q in ticket.get("custom_questions") or []]
    if len(titles) != len(set(titles)):
        return "tickets_duplicate_custom_questions", ""
    row = types.get(str(ticket["ticket_type_id"])) if ticket.get("ticket_type_id") else default
    if row is None:
        return "ticket_type_notfound", ""
    doc = row.data()
    if not doc["start_time"] <= now_iso <= doc["end_time"]:
        return "invalid_sale_time", row.id
    if row.quantity is not None and sold.get(row.id, 0) >= row.quantity:
        return "stock_not_exist", row.id
    return None, row.id


def create_tickets(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    if event.status != "PUBLISHED" or access.is_past(event, clockmod.iso(ctx.now)):
        raise documented(ctx, 26501, NOT_PUBLISHED)
    body = inp.body or {}
    given = [{k: v for k, v in t.items() if v is not None} for t in body.get("tickets") or []]
    if not given:
        raise invalid_field("tickets")
    _validate(ctx, event.id, given, str(inp.query.get("validation_level") or "none"))
    source = str(body.get("registration_source") or "api")
    ticket_types.lock(ctx, event.id)
    all_types = repo.types_of(ctx.db, event.id)
    types = {row.id: row for row in all_types}
    default = _default_type(all_types)
    sold = repo.sold(ctx.db, event.id)
    now_iso = clockmod.iso(ctx.now)
    made: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    for ticket in given:
        why, type_id = _refusal(ticket, types, default, sold, now_iso)
        if why is not None:
            errors.append({"email": str(ticket["email"]), "error_code": why, "message": REFUSALS[why]})
            continue
        doc = _new_ticket(ctx, event, ticket, type_id, source)
        repo.insert_ticket(ctx.db, ctx.account_id, event.id, doc, now_iso)
        backing.register_ticket(ctx, event, doc)
        sold[type_id] = sold.get(type_id, 0) + 1
        made.append({k: doc[k] for k in ("ticket_id", "ticket_type_id", "external_ticket_id", "event_join_link",
                                         "event_registration_link", "qr_code_url", "email") if k in doc})
    if not made and errors and all(e["error_code"] in ("stock_not_exist", "ticket_type_notfound") for e in errors):
        raise documented(ctx, 2007, NO_STOCK, status=404)
    return {"tickets": made, "errors": errors}


def _load(ctx: Ctx, event: events_repo.EventRow, ticket_id: str) -> repo.TicketRow:
    row = repo.get_ticket(ctx.db, event.id, ticket_id)
    if row is None or row.status == "cancelled":
        raise documented(ctx, 26503, NOT_FOUND, status=404)
    return row


def list_tickets(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Keyset pages in sale order, by e-mail and ticket type; an external ticket id (kept in
    the ticket, not a column) is matched across the event's tickets, in one page."""
    event = access.load_event(ctx, inp.path["eventId"])
    q = inp.query
    filters = {k: str(q[k]) for k in ("email", "ticket_type_id") if q.get(k)}
    if q.get("external_ticket_id"):
        rows = [row for row in repo.tickets_of(ctx.db, event.id, filters, None, 1_000_000)
                if row.data().get("external_ticket_id") == q["external_ticket_id"]]
        return {"total_records": len(rows), "next_page_token": "", "tickets": [row.data() for row in rows]}
    page = ctx.services.pager.paginate(
        f"zoom_events_tickets:{event.id}", q, ctx.now,
        fetch=lambda after, offset, limit: repo.tickets_of(ctx.db, event.id, filters, after, limit),
        count=lambda: repo.count_tickets(ctx.db, event.id, filters),
        cursor_of=lambda row: row.seq,
        filters=("email", "ticket_type_id", "external_ticket_id"),
    )
    return {"total_records": page.total_records, "next_page_token": page.next_page_token,
            "tickets": [row.data() for row in page.rows]}


def get_ticket(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    return _load(ctx, event, inp.path["ticketId"]).data()


def update_ticket(ctx: Ctx, inp: Input) -> None:
    """The registrant's answers and the external id; the ticket's own id never changes (1063)."""
    event = access.load_event(ctx, inp.path["eventId"])
    row = _load(ctx, event, inp.path["ticketId"])
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    if "ticket_id" in body and str(body["ticket_id"]) != row.id:
        raise documented(ctx, 1063, NO_ID_CHANGE)
    doc = row.data()
    for key in (*FIELDS, "external_ticket_id"):
        if key in body:
            doc[key] = str(body[key])
    if "custom_questions" in body:
        titles = [str(q.get("title") or "") for q in body["custom_questions"]]
        if len(titles) != len(set(titles)):
            raise invalid_field("custom_questions")
        doc["custom_questions"] = [{"title": str(q.get("title") or ""), "answer": str(q.get("answer") or "")}
                                   for q in body["custom_questions"]]
    repo.save_ticket(ctx.db, event.id, doc)


def delete_ticket(ctx: Ctx, inp: Input) -> None:
    """The ticket goes, and its place is on sale again; a holder with no ticket left is no
    longer registered for the event's meetings and webinars."""
    event = access.load_event(ctx, inp.path["eventId"])
    ticket_types.lock(ctx, event.id)
    row = _load(ctx, event, inp.path["ticketId"])
    repo.delete_ticket(ctx.db, event.id, row.id)
    backing.unregister(ctx, event, row.email)


HANDLERS: dict[str, Callable[..., Any]] = {
    "createTickets": create_tickets,
    "getTickets": list_tickets,
    "getTicketDetails": get_ticket,
    "Updateticket": update_ticket,
    "deleteTicket": delete_ticket,
}
