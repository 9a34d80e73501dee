"""E-mail types of an event and what each one sent to whom: derived, never stored.

Every event has the same e-mail types (TYPES): confirmations sent as each ticket is sold,
reminders a day and an hour before the start, a thank-you at the end, and the cancellation
notice. Their ids are derived from the event's id. What a type did follows from what happened
and the app's clock: a confirmation went to each live ticket's holder when the ticket was sold
(free or paid by its ticket type), a timed e-mail went at its trigger time to everyone holding
a ticket by then (and is `scheduled` for them before it), the cancellation notice to every
holder when the event was cancelled. A cancelled event's timed e-mails that had not gone yet
are `deactivated` and send nothing more. Both lists page with next_page_token over that
derived list (the cursor is a position in it)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, NamedTuple

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError
from zoomsim.storage.events import EventRow
from zoomsim.zoom_events import access, parts


class EmailType(NamedTuple):
    key: str
    name: str
    overview: str
    anchor: str            # "sale" (each ticket sold), "start", "end" (offset from it), "cancel"
    offset: timedelta = timedelta(0)


TYPES = (
    EmailType("free_confirmation", "Free ticket confirmation", "Sent when user is registered", "sale"),
    EmailType("paid_confirmation", "Paid ticket confirmation", "Sent when user buys a paid ticket", "sale"),
    EmailType("reminder_day", "Event reminder", "Sent 1 day before the event starts", "start", timedelta(days=-1)),
    EmailType("reminder_hour", "Event starting soon", "Sent 1 hour before the event starts", "start",
              timedelta(hours=-1)),
    EmailType("thank_you", "Post-event thank you", "Sent when the event ends", "end"),
    EmailType("cancellation", "Event cancellation", "Sent when the event is cancelled", "cancel"),
)
TYPE_FILTERS = ("status",)
SEND_FILTERS = ("status", "search_text")
NO_TYPE = "Email type not found."


def _type_id(event_id: str, kind: EmailType) -> str:
    return parts.derived_id(event_id, "email_type", kind.key)


def _trigger(event: EventRow, kind: EmailType) -> str | None:
    """When a timed e-mail goes (UTC text); None for the others, or while it cannot be known."""
    if kind.anchor == "cancel":
        return event.extras().get("cancelled_at")
    if kind.anchor in ("start", "end"):
        base = event.start_time if kind.anchor == "start" else event.end_time
        return None if base is None else clockmod.utc_text(clockmod.parse_moment(base) + kind.offset)
    return None


def _status(event: EventRow, kind: EmailType, now_iso: str) -> str:
    if kind.anchor == "sale":
        if event.status == "CANCELLED":
            return "deactivated"
        if access.is_past(event, now_iso):
            return "sent"
        return "ongoing" if event.status == "PUBLISHED" else "scheduled"
    if kind.anchor == "cancel":
        return "sent" if event.status == "CANCELLED" else "scheduled"
    trigger = _trigger(event, kind)
    if event.status == "CANCELLED":
        went = trigger is not None and trigger <= event.extras().get("cancelled_at", "")
        return "sent" if went else "deactivated"
    if event.status == "PUBLISHED" and trigger is not None and trigger <= now_iso:
        return "sent"
    return "scheduled"


def _type_view(event: EventRow, kind: EmailType, now_iso: str) -> dict[str, Any]:
    out = {"email_type_id": _type_id(event.id, kind), "email_type": kind.name, "trigger_overview": kind.overview,
           "status": _status(event, kind, now_iso)}
    trigger = _trigger(event, kind)
    if trigger is not None:
        out["trigger_date"] = trigger
    return out


def _name(ticket: dict[str, Any]) -> str:
    return " ".join(p for p in (str(ticket.get("first_name") or ""), str(ticket.get("last_name") or "")) if p)


def _is_free(ticket_type: dict[str, Any] | None) -> bool:
    if ticket_type is None:
        return True
    return bool(ticket_type.get("free")) or str(ticket_type.get("price") or "0") in ("", "0", "0.0", "0.00")


def _sends(ctx: Ctx, event: EventRow, kind: EmailType, now_iso: str) -> list[dict[str, Any]]:
    """Each e-mail of this type to each recipient, in the order the tickets were sold."""
    types = parts.ticket_types_of(ctx, event.id)
    status = _status(event, kind, now_iso)
    trigger = _trigger(event, kind) or ""
    out = []
    for email, sold_at, type_id, ticket in parts.holders(ctx, event.id):
        sent: dict[str, Any] = {"name": _name(ticket), "email": email}
        if kind.anchor == "sale":
            if _is_free(types.get(type_id)) != (kind.key == "free_confirmation"):
                continue
            sent.update(status="delivered", sent_date=sold_at)
        elif status == "sent" and sold_at <= trigger:
            sent.update(status="delivered", sent_date=trigger)
        elif status == "scheduled" and kind.anchor != "cancel":
            sent["status"] = "scheduled"
        else:
            continue          # deactivated, not cancelled yet, or sold after it went
        out.append(sent)
    return out


def _paged(ctx: Ctx, scope: str, query: dict[str, Any], rows: list[dict[str, Any]],
           filters: tuple[str, ...]) -> tuple[list[dict[str, Any]], str, int]:
    """A derived list in next_page_token pages, in the order given."""
    page = ctx.services.pager.paginate_list(scope, query, ctx.now, [(f"{i:09d}", row) for i, row in enumerate(rows)],
                                            filters=filters)
    return list(page.rows), page.next_page_token, page.total_records


def list_email_types(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    now_iso = clockmod.iso(ctx.now)
    rows = [_type_view(event, kind, now_iso) for kind in TYPES]
    wanted = inp.query.get("status")
    if wanted:
        rows = [row for row in rows if row["status"] == wanted]
    shown, token, total = _paged(ctx, f"ze_email_types:{ctx.account_id}:{event.id}", inp.query, rows,
                                 TYPE_FILTERS)
    return {"total_records": total, "next_page_token": token, "email_types": shown}


def list_send_statuses(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    type_id = inp.path["emailTypeId"]
    kind = next((k for k in TYPES if _type_id(event.id, k) == type_id), None)
    if kind is None:
        raise ZoomError(404, 300, NO_TYPE)
    rows = _sends(ctx, event, kind, clockmod.iso(ctx.now))
    q = inp.query
    if q.get("status"):
        rows = [row for row in rows if row["status"] == q["status"]]
    needle = str(q.get("search_text") or "").strip().lower()
    if needle:
        rows = [row for row in rows if needle in row["email"] or needle in row["name"].lower()]
    shown, token, total = _paged(ctx, f"ze_email_sends:{ctx.account_id}:{event.id}:{type_id}", q, rows,
                                 SEND_FILTERS)
    return {"total_records": total, "next_page_token": token, "emails": shown}


HANDLERS: dict[str, Callable[..., Any]] = {
    "listEmailTypes": list_email_types,
    "listEmailSentStatuses": list_send_statuses,
}
