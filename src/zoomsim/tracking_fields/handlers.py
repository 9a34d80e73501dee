"""Tracking fields: account-wide labels hosts fill in when scheduling (Meetings API, 2026).

Each field is an account item of kind TRACKING_KIND with no owner, named by its label so the
meetings core can find a field's `visible` flag by name. All five operations carry only
:admin scopes, so the scope check in the request chain already keeps user-level apps out."""
from __future__ import annotations

import secrets
from typing import Any, Callable

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings.access import documented
from zoomsim.meetings.meetings import TRACKING_KIND
from zoomsim.storage import items as items_repo

# The operations' prerequisite: "A Business, Education, API or higher plan".
PLANS_WITHOUT = ("free", "pro")
NOT_ON_PLAN = "Tracking fields are only available on Business, Education, API or higher plans."
ID_LENGTH = 13   # Zoom's tracking field ids look like "a32CJji-weJ92"


def _new_id() -> str:
    return secrets.token_urlsafe(10)[:ID_LENGTH]


def _check_plan(ctx: Ctx) -> None:
    if ctx.plan in PLANS_WITHOUT:
        raise ZoomError(400, 200, NOT_ON_PLAN)


def _view(item_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": item_id, "field": doc["field"], "required": bool(doc.get("required")),
            "visible": bool(doc.get("visible", True)),
            "recommended_values": list(doc.get("recommended_values") or [])}


def _load(ctx: Ctx, field_id: str) -> items_repo.Item:
    item = items_repo.get(ctx.db, ctx.account_id, TRACKING_KIND, field_id)
    if item is None:
        raise documented(ctx, 5110, "Tracking field does not exist: {fieldId}.", fieldId=field_id)
    return item


def _label(value: Any) -> str:
    label = str(value or "").strip()
    if not label:
        raise invalid_field("field")
    return label


def _values(given: Any) -> list[str]:
    """Recommended values as given (the request schema already makes them strings)."""
    return [str(value) for value in given or []]


def _taken(ctx: Ctx, label: str, except_id: str | None = None) -> None:
    """Labels are unique in the account. The update operation documents 400/200 for a clash;
    create documents nothing, so it answers the same way."""
    found = items_repo.find_by_name(ctx.db, ctx.account_id, TRACKING_KIND, label)
    if found is not None and found.id != except_id:
        raise ZoomError(400, 200, f"Tracking field {label} already exists.")


def list_fields(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _check_plan(ctx)
    rows = items_repo.all_of(ctx.db, ctx.account_id, TRACKING_KIND)
    fields = [_view(item.id, item.data()) for item in rows]
    return {"total_records": len(fields), "tracking_fields": fields}


def create_field(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _check_plan(ctx)
    body = inp.body or {}
    label = _label(body.get("field"))
    _taken(ctx, label)
    doc = {"field": label, "required": bool(body.get("required") or False),
           "visible": True if body.get("visible") is None else bool(body["visible"]),
           "recommended_values": _values(body.get("recommended_values"))}
    field_id = _new_id()
    while items_repo.get(ctx.db, ctx.account_id, TRACKING_KIND, field_id) is not None:
        field_id = _new_id()
    items_repo.insert(ctx.db, ctx.account_id, TRACKING_KIND, field_id, doc, name=label,
                      created_at=clockmod.iso(ctx.now))
    return _view(field_id, doc)


def get_field(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _check_plan(ctx)
    item = _load(ctx, inp.path["fieldId"])
    return _view(item.id, item.data())


def update_field(ctx: Ctx, inp: Input) -> None:
    """PATCH: only the keys given change; `recommended_values` replaces the whole list."""
    _check_plan(ctx)
    item = _load(ctx, inp.path["fieldId"])
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc = item.data()
    if "field" in body:
        label = _label(body["field"])
        _taken(ctx, label, except_id=item.id)
        doc["field"] = label
    for key in ("required", "visible"):
        if key in body:
            doc[key] = bool(body[key])
    if "recommended_values" in body:
        doc["recommended_values"] = _values(body["recommended_values"])
    items_repo.save(ctx.db, ctx.account_id, TRACKING_KIND, item.id, doc, name=doc["field"])


def delete_field(ctx: Ctx, inp: Input) -> None:
    _check_plan(ctx)
    item = _load(ctx, inp.path["fieldId"])
    items_repo.delete(ctx.db, ctx.account_id, TRACKING_KIND, item.id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "trackingfieldList": list_fields,
    "trackingfieldCreate": create_field,
    "trackingfieldGet": get_field,
    "trackingfieldUpdate": update_field,
    "trackingfieldDelete": delete_field,
}
