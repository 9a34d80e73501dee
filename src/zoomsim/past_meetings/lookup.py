"""Finding a meeting or webinar instance that has ended, for the past-meeting operations and
the meeting reports. A number means its latest ended instance (of one occurrence, when one is
named); anything else is an instance UUID (the router has already undone Zoom's double
encoding of UUIDs holding '/'). Each operation sees its own kind only: a webinar's number or
instance on a meeting path is not found, and the other way round."""
from __future__ import annotations

from zoomsim.clock import parse_iso
from zoomsim.context import Ctx
from zoomsim.errors import ZoomError, documented
from zoomsim.meetings.access import cannot_access, find_meeting, not_found
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import meetings as meetings_repo

YEAR_SECONDS = 365 * 24 * 3600


def never_ended(ctx: Ctx, raw: object) -> ZoomError:
    """A meeting that exists but has no ended instance: past-meeting operations answer Zoom's
    "invalid or not end"; reports (and operations that word it so) answer their own "not
    found or expired"."""
    if ctx.op.path.startswith("/report/") or any(
            e["code"] == 3001 and "not found or" in e["message"] for e in ctx.op.errors):
        return not_found(ctx, raw)
    return ZoomError(404, 3001, f"{ctx.kind.word} ID is invalid or not end.")


def too_old(ctx: Ctx) -> ZoomError:
    return documented(ctx, 12702, f"Can not access a {ctx.kind.name} a year ago.")


def bad_occurrence(ctx: Ctx, occurrence_id: str) -> ZoomError:
    return documented(ctx, 300, "The request could not be completed because you have provided an invalid "
                                "occurrence ID: {occurrenceId}.", containing="occurrence", occurrenceId=occurrence_id)


def _of_occurrence(ctx: Ctx, meeting: meetings_repo.MeetingRow, occurrence_id: str) -> inst_repo.InstanceRow | None:
    """The latest ended run of one occurrence, which must be one of the meeting's."""
    if occurrence_id not in {str(o.get("occurrence_id")) for o in meeting.data().get("occurrences") or []}:
        raise bad_occurrence(ctx, occurrence_id)
    runs = [r for r in inst_repo.of_meeting(ctx.db, meeting.id, ended=True)
            if str(r.data().get("occurrence_id") or "") == occurrence_id]
    return runs[-1] if runs else None


def find(ctx: Ctx, raw_id: object, occurrence_id: str = "") -> inst_repo.InstanceRow:
    """The ended instance `raw_id` names, after Zoom's checks: another account's meeting (or
    one of the other kind) is not found; another host's needs an account-level scope; one
    older than a year is 12702. With `occurrence_id`, a number means that occurrence's run
    and a UUID must be a run of it."""
    raw = str(raw_id).strip()
    if raw.isdigit():
        meeting = find_meeting(ctx, raw)
        found = _of_occurrence(ctx, meeting, occurrence_id) if occurrence_id else inst_repo.latest(ctx.db, meeting.id)
        if found is None:
            raise never_ended(ctx, raw)
    else:
        found = inst_repo.get_by_uuid(ctx.db, raw) if raw else None
        if found is None or found.account_id != ctx.account_id or found.kind != ctx.kind.name:
            raise not_found(ctx, raw)
        if found.host_id != ctx.user_id and not ctx.admin:
            raise cannot_access(ctx)
        if found.end_time is None:
            raise never_ended(ctx, raw)
        if occurrence_id and str(found.data().get("occurrence_id") or "") != occurrence_id:
            raise bad_occurrence(ctx, occurrence_id)
    if found.end_time is not None and ctx.now - parse_iso(found.end_time) > YEAR_SECONDS:
        raise too_old(ctx)
    return found
