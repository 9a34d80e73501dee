"""Resolving a {userId} path value the way Zoom does: `me`, a user id or an email, within the
caller's account only, and another user's data only with an admin-level scope."""
from __future__ import annotations

from zoomsim.context import Ctx
from zoomsim.errors import ZoomError, missing_scopes, user_not_found
from zoomsim.storage import users as users_repo


def resolve_user(ctx: Ctx, user_id: str) -> users_repo.UserRow:
    key = ctx.user_id if user_id == "me" else user_id
    row = users_repo.get(ctx.db, ctx.account_id, key)
    if row is None:
        raise user_not_found(user_id)
    if row.id != ctx.user_id and not ctx.admin:
        raise needs_admin(ctx)
    return row


def needs_admin(ctx: Ctx) -> ZoomError:
    """Acting on other users needs the operation's account-level (:admin) scopes."""
    granular = [s for s in ctx.op.granular_scopes if s in ctx.op.admin_scopes]
    return missing_scopes(granular or [s for s in ctx.op.scopes if s in ctx.op.admin_scopes])
