"""Finding a meeting instance that has ended, for the past-meeting operations and the meeting
reports. A meeting number means its latest ended instance; anything else is an instance UUID
(the router has already undone Zoom's double encoding of UUIDs holding '/')."""
from __future__ import annotations

from zoomsim import ids
from zoomsim.clock import parse_iso
from zoomsim.context import Ctx
from zoomsim.errors import ZoomError, documented
from zoomsim.meetings.access import cannot_access, not_found
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import meetings as meetings_repo

YEAR_SECONDS = 365 * 24 * 3600
NEVER_ENDED = "Meeting ID is invalid or not end."


def never_ended(ctx: Ctx, raw: object) -> ZoomError:
    """A meeting that exists but has no ended instance: past-meeting operations answer Zoom's
    "invalid or not end"; reports answer their own "not found or has expired" wording."""
    if ctx.op.path.startswith("/report/"):
        return not_found(ctx, raw)
    return ZoomError(404, 3001, NEVER_ENDED)


def too_old(ctx: Ctx) -> ZoomError:
    return documented(ctx, 12702, "Can not access a meeting a year ago.")


def find(ctx: Ctx, raw_id: object) -> inst_repo.InstanceRow:
    """The ended instance `raw_id` names, after Zoom's checks: another account's meeting is
    not found; another host's needs an account-level scope; one older than a year is 12702."""
    raw = str(raw_id).strip()
    if raw.isdigit():
        number = ids.meeting_number(raw)
        meeting = meetings_repo.get(ctx.db, number) if number is not None else None
        if meeting is None or meeting.account_id != ctx.account_id:
            raise not_found(ctx, raw)
        if meeting.host_id != ctx.user_id and not ctx.admin:
            raise cannot_access(ctx)
        found = inst_repo.latest(ctx.db, meeting.id)
        if found is None:
            raise never_ended(ctx, raw)
    else:
        found = inst_repo.get_by_uuid(ctx.db, raw) if raw else None
        if found is None or found.account_id != ctx.account_id:
            raise not_found(ctx, raw)
        if found.host_id != ctx.user_id and not ctx.admin:
            raise cannot_access(ctx)
        if found.end_time is None:
            raise never_ended(ctx, raw)
    if found.end_time is not None and ctx.now - parse_iso(found.end_time) > YEAR_SECONDS:
        raise too_old(ctx)
    return found
