"""Session reservations: a host reserves a registrant a place in one session of a multi-session
event (list, add, delete).

Only sessions whose `session_reservation.allow_reservations` is on take reservations (26307;
a single-session event's session has no such setting), and at most `max_capacity` of them,
taken literally: the reference calls it "the maximum number of session reservations allowed",
so 0 admits nobody (26306). A reservation is for someone holding a live ticket that admits them
to the session — its type sells ["ALL"] sessions or this one (26309); the event's host and the
session's alternative hosts, panelists and speakers need none (26310). Reserving someone twice
changes nothing. Each reservation is an account item of kind `ze_reservation` owned by the
session, named by the lower-cased e-mail, counted and written under the session's lock, so
the capacity holds under any concurrency. The list pages by keyset in reservation order."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import events as repo
from zoomsim.storage import items as items_repo
from zoomsim.storage import users as users_repo
from zoomsim.zoom_events import access, backing, parts

KIND = "ze_reservation"
FULL = "No reservations available. Maximum capacity reached."
DISABLED = "Session reservation is disabled."
NO_ACCESS = "User does not have access to this session."
SPECIAL_ROLE = "Reservations are not required for users with special roles."
NOT_FOUND = "Session reservation not found."


def _email(inp: Input) -> str:
    email = str((inp.body or {}).get("email") or "").strip().lower()
    if not is_email(email) or len(email) > parts.NAME_MAX:
        raise invalid_field("email")
    return email


def _special(ctx: Ctx, event: repo.EventRow, doc: dict[str, Any]) -> set[str]:
    """Addresses that hold a role in the session: the event's host, its alternative hosts,
    panelists and speakers."""
    out = {e.lower() for key in ("alternative_host", "panelist") for e in doc.get(key) or []}
    host = users_repo.get(ctx.db, ctx.account_id, event.host_id)
    if host is not None:
        out.add(host.email.lower())
    for entry in doc.get("session_speakers") or []:
        item = parts.find(ctx, parts.SPEAKER, event.id, entry["speaker_id"])
        if item is not None and item.data().get("email"):
            out.add(str(item.data()["email"]).lower())
    return out


def admitting_ticket(ctx: Ctx, event: repo.EventRow, session_id: str, email: str) -> dict[str, Any] | None:
    """The first live ticket of `email` that admits its holder to the session, if any."""
    types = parts.ticket_types_of(ctx, event.id)
    for holder, _, type_id, ticket in parts.holders(ctx, event.id):
        if holder != email:
            continue
        if backing.covers(types.get(type_id), session_id):
            return ticket
    return None


def _view(item: items_repo.Item) -> dict[str, Any]:
    doc = item.data()
    return {"email": item.name, "first_name": doc.get("first_name", ""), "last_name": doc.get("last_name", "")}


def list_reservations(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    page = ctx.services.pager.paginate(
        f"{KIND}:{ctx.account_id}:{row.id}", inp.query, ctx.now,
        fetch=lambda after, offset, limit: items_repo.page(ctx.db, ctx.account_id, KIND, row.id, after, offset, limit),
        count=lambda: items_repo.count(ctx.db, ctx.account_id, KIND, row.id),
        cursor_of=lambda item: item.seq,
        filters=(),
    )
    return {"total_records": page.total_records, "next_page_token": page.next_page_token,
            "reservations": [_view(item) for item in page.rows]}


def add_reservation(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    email = _email(inp)
    doc = row.data()
    setting = doc.get("session_reservation") or {}
    if event.event_type != "CONFERENCE" or not setting.get("allow_reservations"):
        raise documented(ctx, 26307, DISABLED)
    if email in _special(ctx, event, doc):
        raise documented(ctx, 26310, SPECIAL_ROLE)
    ticket = admitting_ticket(ctx, event, row.id, email)
    if ticket is None:
        raise documented(ctx, 26309, NO_ACCESS)
    parts.lock(ctx, row.id, KIND)       # the count and the insert it allows, one writer at a time
    if items_repo.find_by_name(ctx.db, ctx.account_id, KIND, email, owner_id=row.id) is not None:
        return
    if items_repo.count(ctx.db, ctx.account_id, KIND, row.id) >= int(setting.get("max_capacity") or 0):
        raise documented(ctx, 26306, FULL)
    parts.add(ctx, KIND, row.id, parts.new_id(ctx, KIND), {
        "first_name": str(ticket.get("first_name") or ""), "last_name": str(ticket.get("last_name") or "")},
        name=email)


def delete_reservation(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    email = _email(inp)
    found = items_repo.find_by_name(ctx.db, ctx.account_id, KIND, email, owner_id=row.id)
    if found is None:
        raise documented(ctx, 26311, NOT_FOUND)
    items_repo.delete(ctx.db, ctx.account_id, KIND, found.id)


def reserved(ctx: Ctx, session_id: str) -> set[str]:
    """For reports: the e-mails holding a reservation for the session."""
    return {item.name for item in items_repo.all_of(ctx.db, ctx.account_id, KIND, session_id)}


HANDLERS: dict[str, Callable[..., Any]] = {
    "ListSessionReservations": list_reservations,
    "AddSessionReservations": add_reservation,
    "DeleteSessionReservations": delete_reservation,
}
