"""Finding an event for the caller. Another account's event is "not found" (2002), exactly like
a missing one; another host's event, without an account-level (:admin) scope, is 260200 unless
the caller co-edits it with the rights the operation needs (coeditor_rights.py)."""
from __future__ import annotations

from zoomsim.context import Ctx
from zoomsim.errors import ZoomError, documented
from zoomsim.storage import events as repo
from zoomsim.zoom_events import coeditor_rights

NOT_FOUND = "Event not found."
DENIED = "Event access denied."
SESSION_NOT_FOUND = "Session not found."


def not_found(ctx: Ctx) -> ZoomError:
    return documented(ctx, 2002, NOT_FOUND, status=404)


def load_event(ctx: Ctx, event_id: str) -> repo.EventRow:
    row = repo.get_event(ctx.db, event_id)
    if row is None or row.account_id != ctx.account_id:
        raise not_found(ctx)
    if row.host_id != ctx.user_id and not ctx.admin and not coeditor_rights.allowed(ctx, row.id):
        raise documented(ctx, 260200, DENIED, status=403)
    return row


def load_session(ctx: Ctx, event: repo.EventRow, session_id: str) -> repo.SessionRow:
    row = repo.get_session(ctx.db, event.id, session_id)
    if row is None:
        raise documented(ctx, 2003, SESSION_NOT_FOUND, status=404)
    return row


def is_past(event: repo.EventRow, now_iso: str) -> bool:
    """A published event whose last moment is over."""
    return event.status == "PUBLISHED" and event.end_time is not None and event.end_time < now_iso
