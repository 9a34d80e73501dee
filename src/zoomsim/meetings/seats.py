"""Who may register and how many may: the registration cap and its count, registration that is
over, and the people who are not registrants (a webinar's host and panelists).

The cap is a meeting's fixed 4,999 or, for a webinar, its host's licence capacity, lowered by
settings.registrants_restrict_number when that is set. Seats are counted in SQL under
hold(), so concurrent registrations of one meeting never pass the cap, whatever the number of
workers. Denied registrants hold no seat."""
from __future__ import annotations

from typing import Any

from zoomsim import clock as clockmod
from zoomsim.context import Ctx
from zoomsim.meetings import model
from zoomsim.meetings.access import documented
from zoomsim.meetings.kind_rules import rules, said
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.storage import registrants as repo
from zoomsim.storage import users as users_repo
from zoomsim.users import features

MAX_REGISTRANTS = 4999        # per meeting, as Zoom documents
SEAT_HOLDERS = ("approved", "pending")
PANELIST_INVITED = ("You have been invited as a panelist for the webinar, please check your email to find more "
                    "information about this webinar.")


def hold(ctx: Ctx, meeting_id: int) -> None:
    """Registrations of one meeting count and write one after another (any number of workers),
    so the cap holds: taken before the address is looked up, which the count depends on too."""
    ctx.db.serialize(f"seats:{meeting_id}")


def capacity(ctx: Ctx, row: meetings_repo.MeetingRow, doc: dict[str, Any]) -> int:
    if not rules(ctx).licensed_seats:
        return MAX_REGISTRANTS
    seats = features.webinar_capacity(ctx.db, ctx.account_id, row.host_id)
    restrict = doc["settings"].get("registrants_restrict_number")
    if isinstance(restrict, int) and not isinstance(restrict, bool) and 0 < restrict < seats:
        return restrict
    return seats


def _room(ctx: Ctx, row: meetings_repo.MeetingRow, doc: dict[str, Any], adding: int) -> bool:
    return repo.count(ctx.db, row.id, SEAT_HOLDERS) + adding <= capacity(ctx, row, doc)


def check_register(ctx: Ctx, row: meetings_repo.MeetingRow, doc: dict[str, Any], adding: int) -> None:
    """Registering `adding` new people (under hold()): refused once registration is over
    (3038) or when they would pass the cap (the kind's own code and wording)."""
    if over(ctx, row, doc):
        raise documented(ctx, 3038, rules(ctx).over_text)
    if adding and not _room(ctx, row, doc, adding):
        r = rules(ctx)
        raise documented(ctx, r.full_code, r.full_text, containing=r.full_text[:24])


def check_approve(ctx: Ctx, row: meetings_repo.MeetingRow, doc: dict[str, Any], returning: int) -> None:
    """Denied registrants approved again take their seats back (under hold())."""
    if returning and not _room(ctx, row, doc, returning):
        raise said(ctx, "maximum attendee capacity", 3043,
                   f"{ctx.kind.word} has reached maximum attendee capacity.")


def over(ctx: Ctx, row: meetings_repo.MeetingRow, doc: dict[str, Any]) -> bool:
    """Registration is over once the last scheduled time has passed and nothing is running:
    for webinars always, for meetings only with settings.close_registration."""
    if not (rules(ctx).over_with_time or doc["settings"].get("close_registration")):
        return False
    if row.status == "started":
        return False
    recurring = doc["type"] in model.FIXED_RECURRING
    spans = [o for o in doc.get("occurrences") or [] if o.get("status") == "available"] if recurring else [doc]
    for span in spans:
        if not span.get("start_time"):
            return False
        if clockmod.parse_iso(span["start_time"]) + 60 * int(span.get("duration") or 0) > ctx.now:
            return False
    return True


def check_people(ctx: Ctx, row: meetings_repo.MeetingRow, host: users_repo.UserRow, emails: list[str]) -> None:
    """The host of a webinar does not register for it (3027), nor does a panelist invited to it."""
    r = rules(ctx)
    wanted = {e.strip().lower() for e in emails}
    if not r.host_registers and host.email.lower() in wanted:
        raise documented(ctx, 3027, "Host cannot register.")
    if r.invitees is not None:
        invited = {str(p.get("email") or "").lower() for p in parts_repo.all_of(ctx.db, row.id, r.invitees)}
        if invited & wanted:
            raise documented(ctx, 3000, PANELIST_INVITED, containing="invited as a panelist")
