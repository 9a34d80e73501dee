"""GET /zoom_events/events/{eventId}/registrants: the people holding the event's live tickets,
one entry per address with its tickets, in address order (keyset pages on the address).

Registrants are not stored on their own: they are what the tickets say. A ticket sold through
the API is the pre-registration flow: PRE_REGISTERED, or PRE_REGISTER_INVITED while the holder
still has to fill in the registration form (`registration_needed`)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.storage import tickets as repo
from zoomsim.zoom_events import access

ROLES = {"normal": "ATTENDEE", "speaker": "SPEAKER", "alternative_host": "ALTERNATIVE_HOST", "panelist": "PANELIST",
         "interpreter": "INTERPRETER", "sponsor": "SPONSOR", "expo_booth_owner": "EXPO_BOOTH_OWNER",
         "moderator": "MODERATOR", "host": "ORIGINAL_HOST"}


def _ticket(doc: dict[str, Any]) -> dict[str, Any]:
    out = {"ticket_id": doc["ticket_id"], "role": ROLES.get(doc.get("ticket_role_type", "normal"), "ATTENDEE"),
           "authentication_method": doc.get("authentication_method", "no_auth")}
    if doc.get("qr_code_url"):
        out["qr_code_url"] = doc["qr_code_url"]
    return out


def list_registrants(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    page = ctx.services.pager.paginate(
        f"zoom_events_registrants:{event.id}", inp.query, ctx.now,
        fetch=lambda after, offset, limit: repo.registrant_emails(ctx.db, event.id, after, limit),
        count=lambda: repo.count_registrants(ctx.db, event.id),
        cursor_of=lambda email: email,
        filters=(),
    )
    by_email: dict[str, list[dict[str, Any]]] = {email: [] for email in page.rows}
    for row in repo.tickets_of_emails(ctx.db, event.id, list(page.rows)):
        by_email[row.email].append(row.data())
    registrants = []
    for email, docs in by_email.items():
        pending = all("event_registration_link" in d for d in docs)
        registrants.append({"email": email, "registration_status": "PRE_REGISTER_INVITED" if pending
                            else "PRE_REGISTERED", "tickets": [_ticket(d) for d in docs]})
    return {"total_records": page.total_records, "next_page_token": page.next_page_token, "registrants": registrants}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getRegistrants": list_registrants,
}
