"""What many payloads share: who did it (operator, operator_id)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomsim.storage import users as users_repo

if TYPE_CHECKING:
    from zoomsim.context import Ctx


def operator(ctx: "Ctx") -> dict[str, Any]:
    """The caller as Zoom names it in a payload: its e-mail and user id."""
    user = users_repo.get(ctx.db, ctx.account_id, ctx.user_id)
    return {"operator": user.email if user is not None else "", "operator_id": ctx.user_id}
