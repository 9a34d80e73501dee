"""GET .../sessions/{sessionId}/join_token: the caller's token for joining a session.

The token is the caller's pass into the session's meeting or webinar: the event's host (or an
account admin) gets one, and so does anyone in the account holding a live ticket for the event
(their e-mail is the ticket's). The answer is always a 200 carrying Zoom's own code: 0 with a
token, 1130 when the caller holds no ticket, 1120 when the session cannot be joined (the event
is not published, or the session is neither a meeting nor a webinar). Another account's event is
not found; a user of the account who is neither host nor ticket holder gets no token (1130)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.platform.tokens import derive
from zoomsim.storage import events as repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.tickets import has_ticket
from zoomsim.zoom_events import access, sessions


def _token(ctx: Ctx, session_id: str, who: str) -> str:
    """Stable per session and holder, unguessable without the installation's key."""
    return derive(ctx.services.installation.master, f"ze-join:{session_id}:{who}", 58)


def join_token(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = repo.get_event(ctx.db, inp.path["eventId"])
    if event is None or event.account_id != ctx.account_id:
        raise access.not_found(ctx)
    row = access.load_session(ctx, event, inp.path["sessionId"])
    if event.status != "PUBLISHED" or row.type not in sessions.BACKED:
        return {"code": 1120, "error_message": "BAD_REQUEST", "join_token": ""}
    if event.host_id == ctx.user_id or ctx.admin:
        return {"code": 0, "error_message": "success", "join_token": _token(ctx, row.id, ctx.user_id)}
    user = users_repo.get(ctx.db, ctx.account_id, ctx.user_id)
    if user is None or not has_ticket(ctx.db, event.id, user.email):
        return {"code": 1130, "error_message": "ERROR_TICKET_NOT_FOUND", "join_token": ""}
    return {"code": 0, "error_message": "success", "join_token": _token(ctx, row.id, user.email.lower())}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getSessionJoinToken": join_token,
}
