"""Finding a meeting or webinar for the caller, and the errors Zoom gives on the way: the number
is not one of the operation's kind (or belongs to another account) → not found; another host's meeting without an
account-level scope → 3000; a host who may not hold meetings → 3161."""
from __future__ import annotations

import re

from zoomsim import ids
from zoomsim.context import Ctx
from zoomsim.errors import ZoomError, documented
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import users as users_repo
from zoomsim.users import features

PLACEHOLDER = re.compile(r"\{\w+\}|\$\w+")


def not_found(ctx: Ctx, meeting_id: object) -> ZoomError:
    """3001 where the operation documents it, else the operation's own missing-meeting 404
    (some say 1001 or 404 "Meeting not found"), else 3001. Whatever placeholder the documented
    text names the meeting with ({meetingId}, {MeetingId}, $meetingId, {webinarId} in copied
    report texts) gets the id asked for. Webinar operations say "Webinar"."""
    word = ctx.kind.word.lower()[1:]
    missing = [e for e in ctx.op.errors if e["status"] == 404 and e["code"] != 300
               and (e["code"] == 3001 or word in e["message"])]
    missing.sort(key=lambda e: e["code"] != 3001)
    if missing:
        message = PLACEHOLDER.sub(lambda _: str(meeting_id), missing[0]["message"])
        return ZoomError(404, missing[0]["code"], message)
    return ZoomError(404, 3001, f"{ctx.kind.word} does not exist: {meeting_id}.")


def no_hosting(ctx: Ctx) -> ZoomError:
    return documented(ctx, 3161, "Your user account is not allowed meeting hosting and scheduling capabilities.")


WEBINAR_PLAN = ("Webinar plan is missing. You must subscribe to the webinar plan and enable webinars for "
                "this user in order to perform this action.")


def check_plan(ctx: Ctx, host_id: str) -> None:
    """Webinars need a host with a webinar licence (code 200, in each operation's wording).
    Meetings need nothing more than an active host."""
    if ctx.kind.name == "webinar" and not features.webinar_capacity(ctx.db, ctx.account_id, host_id):
        raise documented(ctx, 200, WEBINAR_PLAN, containing="Webinar plan", userId=host_id, userID=host_id)


def cannot_access(ctx: Ctx) -> ZoomError:
    """Another host's meeting without an account-level scope. Webinar operations answer Zoom's
    200 "No permission." (56 of the 58 document it; the others say nothing closer)."""
    if ctx.kind.name == "webinar":
        return ZoomError(400, 200, "No permission.")
    return documented(ctx, 3000, "Cannot access meeting info.", containing="Cannot access")


def may_host(user: users_repo.UserRow) -> bool:
    """Only active users hold meetings; pending and deactivated ones get 3161."""
    return _hosting(user.status)


def _hosting(status: str | None) -> bool:
    """may_host on a user status alone (None: the host user is gone, also 3161)."""
    return status == "active"


def _by_number(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow | None:
    number = ids.meeting_number(raw_id)
    return meetings_repo.get(ctx.db, number) if number is not None else None


def gate(ctx: Ctx, row: meetings_repo.MeetingRow | None, raw_id: object, *,
         deleted_ok: bool = False) -> meetings_repo.MeetingRow:
    """Zoom's checks on a meeting however it was found (by number or by instance UUID)."""
    return _gate(ctx, row, raw_id, deleted_ok)[0]


def _check(ctx: Ctx, row: meetings_repo.MeetingRow | None, raw_id: object,
           deleted_ok: bool) -> meetings_repo.MeetingRow:
    """Everything but the host check, in Zoom's order: account, then host or admin, then deleted."""
    if row is None or row.account_id != ctx.account_id or row.type not in ctx.kind.types:
        raise not_found(ctx, raw_id)
    if row.host_id != ctx.user_id and not ctx.admin:
        raise cannot_access(ctx)
    if row.status == "deleted" and not deleted_ok:
        raise not_found(ctx, raw_id)
    return row


def _gate(ctx: Ctx, row: meetings_repo.MeetingRow | None, raw_id: object,
          deleted_ok: bool) -> tuple[meetings_repo.MeetingRow, users_repo.UserRow | None]:
    row = _check(ctx, row, raw_id, deleted_ok)
    if deleted_ok:
        return row, None
    host = users_repo.get(ctx.db, ctx.account_id, row.host_id)
    if host is None or not may_host(host):
        raise no_hosting(ctx)
    check_plan(ctx, row.host_id)
    return row, host


def find_meeting(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow:
    """The caller's account's meeting by number, deleted ones included (for `recover`)."""
    return gate(ctx, _by_number(ctx, raw_id), raw_id, deleted_ok=True)


def load_meeting(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow:
    """A live (not deleted) meeting the caller may act on, whose host may hold meetings.
    One read: the host's status comes joined to the meeting (gate() reads the host apart)."""
    number = ids.meeting_number(raw_id)
    found = meetings_repo.get_with_host_status(ctx.db, number) if number is not None else None
    row = _check(ctx, found[0] if found is not None else None, raw_id, False)
    if found is None or not _hosting(found[1]):
        raise no_hosting(ctx)
    check_plan(ctx, row.host_id)
    return row


def load_with_host(ctx: Ctx, raw_id: str) -> tuple[meetings_repo.MeetingRow, users_repo.UserRow]:
    """load_meeting, plus the host it already read (for checks on the host's licence)."""
    row, host = _gate(ctx, _by_number(ctx, raw_id), raw_id, False)
    assert host is not None
    return row, host
