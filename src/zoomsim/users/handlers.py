"""Users: list, create, get, update, delete (Users API, 2026)."""
from __future__ import annotations

from typing import Any


from zoomsim import clock as clockmod
from zoomsim import jsonio, tenants
from zoomsim.context import Ctx, Input, Raw
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import users as users_repo
from zoomsim.users import model
from zoomsim.users.access import needs_admin, resolve_user

ACTION_STATUS = {"create": "pending", "autoCreate": "active", "custCreate": "active", "ssoCreate": "active"}
# Query keys that decide which users a list holds: a next_page_token is bound to these only.
LIST_FILTERS = ("status", "role_id", "license")
NO_LICENCE = "Your account does not have enough licenses to create a Licensed user."


def list_users(ctx: Ctx, inp: Input) -> dict[str, Any]:
    if not ctx.admin:
        raise needs_admin(ctx)
    q = inp.query
    status = q.get("status") or "active"
    role_id = q.get("role_id") or None
    include = set(str(q.get("include_fields") or "").split(","))
    # The licence filters name add-ons (Workforce / Compliance Management) no simulated user holds.
    nobody = bool(q.get("license"))
    page = ctx.services.pager.paginate(
        f"users:{ctx.account_id}", q, ctx.now,
        fetch=lambda after, offset, limit: [] if nobody else users_repo.page(
            ctx.db, ctx.account_id, status, role_id, after, offset, limit),
        count=lambda: 0 if nobody else users_repo.count(ctx.db, ctx.account_id, status, role_id),
        cursor_of=lambda row: row.seq,
        maximum=2000,
        filters=LIST_FILTERS,
    )
    items = [model.list_item(jsonio.loads(row.doc), row.host_key, include) for row in page.rows]
    return page.envelope("users", items, with_page_number=True)


def create_user(ctx: Ctx, inp: Input) -> dict[str, Any]:
    if not ctx.admin:
        raise needs_admin(ctx)
    body = inp.body or {}
    info = body.get("user_info") or {}
    if not isinstance(info, dict) or not info:
        raise invalid_field("user_info")
    email = str(info["email"]).strip()
    if not is_email(email):
        raise invalid_field("user_info.email")
    password = info.get("password")
    if password is not None and (len(password) < 8 or password.isalpha() or password.isdigit()):
        raise ZoomError(400, 300, "Invalid parameter: password")
    account = accounts_repo.get(ctx.db, ctx.account_id)
    assert account is not None  # the token check guarantees it
    user_type = int(info["type"])
    if user_type == 2 and account.plan == "free":
        raise ZoomError(400, 300, NO_LICENCE)
    doc = tenants.add_user(
        ctx.db, jsonio.loads(account.doc), email=email, user_type=user_type,
        status=ACTION_STATUS[body["action"]], role_id="2", now_iso=clockmod.iso(ctx.now),
        base_url=ctx.services.config.base_url, first_name=info.get("first_name") or "",
        last_name=info.get("last_name") or "", display=info.get("display_name"),
    )
    if body["action"] == "create" and ctx.services.config.rate_limits:
        # counted once the request is otherwise good; a 429 here rolls the insert back
        ctx.services.limiter.user_create(ctx.account_id, ctx.plan, ctx.now)
    return {"id": doc["id"], "first_name": doc["first_name"], "last_name": doc["last_name"],
            "email": doc["email"], "type": doc["type"]}


def get_user(ctx: Ctx, inp: Input) -> Raw:
    row = resolve_user(ctx, inp.path["userId"])
    return Raw(row.doc.encode())


def update_user(ctx: Ctx, inp: Input) -> None:
    row = resolve_user(ctx, inp.path["userId"])
    body = inp.body or {}
    doc = jsonio.loads(row.doc)
    for key in model.PLAIN_UPDATES:
        if key in body and body[key] is not None:
            doc[key] = body[key]
    if body.get("custom_attributes") is not None:
        doc["custom_attributes"] = model.merge_attributes(doc.get("custom_attributes") or [], body["custom_attributes"])
    if body.get("vanity_name"):
        doc["vanity_url"] = f"{ctx.services.config.base_url}/my/{body['vanity_name']}"
    if "pmi" in body and body["pmi"] is not None:
        pmi = str(body["pmi"])
        if not (pmi.isascii() and pmi.isdigit() and len(pmi) == 10 and pmi[0] not in "01"):
            raise invalid_field("pmi")
        doc["pmi"] = int(pmi)
        doc["personal_meeting_url"] = model.pmi_url(doc.get("personal_meeting_url", ""), ctx.services.config.base_url, pmi)
    if body.get("type") == 2 and row.type != 2 and ctx.plan == "free":
        raise ZoomError(400, 300, NO_LICENCE)
    host_key = body.get("host_key")
    if host_key is not None and not (str(host_key).isdigit() and 6 <= len(str(host_key)) <= 10):
        raise invalid_field("host_key")
    if "first_name" in body or "last_name" in body:
        if "display_name" not in body:
            doc["display_name"] = model.display_name(doc["first_name"], doc["last_name"], doc["email"])
    if row.role_id == "0" and doc["type"] != row.type and doc["type"] == 1:
        raise ZoomError(400, 300, "You cannot change the user type of the account owner to Basic.")
    users_repo.save(ctx.db, doc, None if host_key is None else str(host_key))


def delete_user(ctx: Ctx, inp: Input) -> None:
    if not ctx.admin:
        raise needs_admin(ctx)
    row = resolve_user(ctx, inp.path["userId"])
    if row.role_id == "0":
        raise ZoomError(400, 200, "Cannot delete the account owner.")
    transfer = inp.query.get("transfer_email")
    if transfer:
        if str(transfer).lower() == row.email:
            raise ZoomError(400, 300, "The transfer-to email address cannot be the same as the unlinked or deleted user's email address.")
        if users_repo.get(ctx.db, ctx.account_id, str(transfer)) is None:
            raise ZoomError(404, 1001, f"User does not exist: {transfer}.")
    users_repo.delete(ctx.db, ctx.account_id, row.id)


HANDLERS = {
    "users": list_users,
    "userCreate": create_user,
    "user": get_user,
    "userUpdate": update_user,
    "userDelete": delete_user,
}
