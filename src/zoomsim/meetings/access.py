"""Finding a meeting for the caller, and the errors Zoom gives on the way: the number is not a
meeting (or belongs to another account) → not found; another host's meeting without an
account-level scope → 3000; a host who may not hold meetings → 3161."""
from __future__ import annotations

from zoomsim.context import Ctx
from zoomsim.errors import ZoomError, documented
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import users as users_repo


def not_found(ctx: Ctx, meeting_id: object) -> ZoomError:
    for err in ctx.op.errors:
        if err["status"] == 404 and "eeting" in err["message"] and err["code"] != 300:
            return documented(ctx, err["code"], err["message"], 404, err["message"], meetingId=meeting_id)
    return ZoomError(404, 3001, f"Meeting does not exist: {meeting_id}.")


def no_hosting(ctx: Ctx) -> ZoomError:
    return documented(ctx, 3161, "Your user account is not allowed meeting hosting and scheduling capabilities.")


def cannot_access(ctx: Ctx) -> ZoomError:
    for err in ctx.op.errors:
        if err["code"] == 3000 and err["message"].startswith("Cannot access"):
            return ZoomError(err["status"], 3000, err["message"])
    return ZoomError(400, 3000, "Cannot access meeting info.")


def may_host(user: users_repo.UserRow) -> bool:
    """Only active users hold meetings; pending and deactivated ones get 3161."""
    return user.status == "active"


def _by_number(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow | None:
    text = str(raw_id).strip()
    return meetings_repo.get(ctx.db, int(text)) if text.isdigit() and len(text) <= 19 else None


def gate(ctx: Ctx, row: meetings_repo.MeetingRow | None, raw_id: object, *,
         deleted_ok: bool = False) -> meetings_repo.MeetingRow:
    """Zoom's checks on a meeting however it was found (by number or by instance UUID)."""
    if row is None or row.account_id != ctx.account_id:
        raise not_found(ctx, raw_id)
    if row.host_id != ctx.user_id and not ctx.admin:
        raise cannot_access(ctx)
    if deleted_ok:
        return row
    if row.status == "deleted":
        raise not_found(ctx, raw_id)
    host = users_repo.get(ctx.db, ctx.account_id, row.host_id)
    if host is None or not may_host(host):
        raise no_hosting(ctx)
    return row


def find_meeting(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow:
    """The caller's account's meeting by number, deleted ones included (for `recover`)."""
    return gate(ctx, _by_number(ctx, raw_id), raw_id, deleted_ok=True)


def load_meeting(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow:
    """A live (not deleted) meeting the caller may act on, whose host may hold meetings."""
    return gate(ctx, _by_number(ctx, raw_id), raw_id)
