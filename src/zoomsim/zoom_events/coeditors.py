"""Co-editors of an event: list them, and add, update or delete them in batches.

A co-editor is an active user of the event's account other than its host (Zoom Events lets
only colleagues co-edit), kept as an account item of kind `ze_coeditor` owned by the event and
named by the lower-cased e-mail. An event has at most MAX_COEDITORS (the schemas' maxItems),
counted under the event's co-editor lock. A batch is a partial success, as Zoom's: what cannot
be done to one address is an entry of `errors`, the rest is done."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import invalid_field
from zoomsim.storage import items as items_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.events import EventRow
from zoomsim.zoom_events import access, parts

MAX_COEDITORS = 3
GROUPS = ("Publish", "EventConfiguration", "EventBranding", "Registration & Join", "Venue", "EventExperience",
          "EventPlanning", "SpecialRole", "PostEvent", "Analytics", "Email", "Integrations")
NOT_ELIGIBLE = "User not elgible for co-editor."       # sic: the reference's wording
ALREADY = "User is already a co-editor of the event."
NOT_COEDITOR = "User is not a co-editor of the event."
FULL = f"An event can have at most {MAX_COEDITORS} co-editors."


def _groups(given: Any) -> list[str]:
    """In Zoom's order, each once; none given means every group (a co-editor edits the event)."""
    wanted = set(given or GROUPS)
    return [g for g in GROUPS if g in wanted]


def _view(item: items_repo.Item) -> dict[str, Any]:
    return {"email": item.name, "permission_groups": item.data()["permission_groups"]}


def list_coeditors(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    out = [_view(item) for item in parts.of_event(ctx, parts.COEDITOR, event.id)]
    return {"total_records": len(out), "coeditors": out}


def _eligible(ctx: Ctx, event: EventRow, email: str) -> users_repo.UserRow | None:
    """The account's active user with this address, unless it is the event's host."""
    user = users_repo.get(ctx.db, ctx.account_id, email)
    return user if user is not None and user.status == "active" and user.id != event.host_id else None


def _one(ctx: Ctx, event: EventRow, operation: str, entry: dict[str, Any]) -> str:
    """Do one entry of the batch; the reason it could not be done, or ""."""
    email = str(entry.get("email") or "").strip().lower()
    found = items_repo.find_by_name(ctx.db, ctx.account_id, parts.COEDITOR, email, owner_id=event.id)
    if operation == "add":
        if found is not None:
            return ALREADY
        user = _eligible(ctx, event, email)
        if user is None:
            return NOT_ELIGIBLE
        if items_repo.count(ctx.db, ctx.account_id, parts.COEDITOR, event.id) >= MAX_COEDITORS:
            return FULL
        doc = {"user_id": user.id, "permission_groups": _groups(entry.get("permission_groups"))}
        parts.add(ctx, parts.COEDITOR, event.id, parts.new_id(ctx, parts.COEDITOR), doc, name=email)
        return ""
    if found is None:
        return NOT_COEDITOR
    if operation == "update":
        doc = found.data()
        if entry.get("permission_groups") is not None:
            doc["permission_groups"] = _groups(entry["permission_groups"])
        items_repo.save(ctx.db, ctx.account_id, parts.COEDITOR, found.id, doc)
    else:
        items_repo.delete(ctx.db, ctx.account_id, parts.COEDITOR, found.id)
    return ""


def coeditor_actions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    body = parts.given(inp.body)
    operation = str(body.get("operation") or "")
    if operation not in ("add", "update", "delete"):
        raise invalid_field("operation")
    entries = body.get("coeditors") or []
    if not entries:
        raise invalid_field("coeditors")
    parts.lock(ctx, event.id, parts.COEDITOR)
    errors = []
    for entry in entries:
        reason = _one(ctx, event, operation, entry)
        if reason:
            errors.append({"email": str(entry.get("email") or ""), "message": reason})
    return {"errors": errors}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getCoEditors": list_coeditors,
    "coeditoractions": coeditor_actions,
}
