"""SIP phones (Phone System Integration): the 2023 API on /sip_phones and the 2026 API on
/sip_phones/phones, two facades over the same account items (kind "sip_phone").

A row's `name` is the phone's user_email (lower-cased): Zoom allows one phone per address, and
a user may hold more than one by adding a platform suffix (user@example.com.pc). `owner_id` is
the Zoom user the address belongs to."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.platform.paging import Page
from zoomsim.platform.validation import is_email
from zoomsim.sip_phones import model
from zoomsim.tenants import licensed
from zoomsim.storage import items
from zoomsim.storage import users as users_repo
from zoomsim.storage.items import Item

KIND = "sip_phone"
LIST_FILTERS = ("search_key",)
# Wording where an operation documents none of its own (2023 vs 2026 spelling).
NO_FEATURE_2023 = "Permission missing: Enable SIP Phone Integration by contacting a Zoom Admin first."
NO_FEATURE_2026 = "Permission missing. Enable SIP phone integration by contacting a Zoom admin first."
DUPLICATE = "SIP phone with the same email already exists."
NO_USER = "User {email} not exist or not belong to this account."
NO_PHONE = "SIP phone does not exist: {phone_id}."

Render = Callable[[dict[str, Any]], dict[str, Any]]

SIP_PHONE = "sip_phone"       # the account feature (licence flag) SIP phones need


def _require_feature(ctx: Ctx, fallback: str) -> None:
    if not licensed(ctx, SIP_PHONE):
        raise documented(ctx, 200, fallback, 400)


def _phone(ctx: Ctx, phone_id: str) -> tuple[Item, dict[str, Any]]:
    item = items.get(ctx.db, ctx.account_id, KIND, phone_id)
    if item is None:
        raise documented(ctx, 2305, NO_PHONE, 404, phone_id=phone_id)
    return item, item.data()


def _owner(ctx: Ctx, email: str) -> users_repo.UserRow:
    """The account's user behind a phone address (exact, or without a platform suffix)."""
    user = users_repo.get(ctx.db, ctx.account_id, email)
    if user is None and model.base_email(email) != email:
        user = users_repo.get(ctx.db, ctx.account_id, model.base_email(email))
    if user is None:
        raise documented(ctx, 1001, NO_USER, 404, email=email, userId=email)
    return user


# ---- shared behaviour ------------------------------------------------------------------------

def _create(ctx: Ctx, changes: dict[str, Any], render: Render, no_feature: str) -> dict[str, Any]:
    _require_feature(ctx, no_feature)
    email = str(changes.get("user_email", "")).strip()
    if not is_email(email):   # the schema check lets an empty address through
        raise invalid_field("user_email")
    changes["user_email"] = email
    user = _owner(ctx, email)
    if items.find_by_name(ctx.db, ctx.account_id, KIND, email.lower()) is not None:
        raise documented(ctx, 300, DUPLICATE, 400)
    doc = model.new_phone(ids.new_id(), changes)
    items.insert(ctx.db, ctx.account_id, KIND, doc["phone_id"], doc, owner_id=user.id,
                 name=email.lower(), created_at=clockmod.iso(ctx.now))
    return render(doc)


def _update(ctx: Ctx, phone_id: str, changes: dict[str, Any], no_feature: str) -> None:
    _require_feature(ctx, no_feature)
    _, doc = _phone(ctx, phone_id)
    changes.pop("user_email", None)   # the address a phone belongs to is fixed at creation
    items.save(ctx.db, ctx.account_id, KIND, phone_id, model.apply(doc, changes))


def _delete(ctx: Ctx, phone_id: str, no_feature: str) -> None:
    _require_feature(ctx, no_feature)
    _phone(ctx, phone_id)
    items.delete(ctx.db, ctx.account_id, KIND, phone_id)


def _page(ctx: Ctx, inp: Input, scope: str) -> Page:
    """One page of the account's phones in creation order, narrowed by search_key."""
    search = str(inp.query.get("search_key") or "").strip()
    if not search:
        return ctx.services.pager.paginate(
            f"{scope}:{ctx.account_id}", inp.query, ctx.now,
            fetch=lambda after, offset, limit: items.page(ctx.db, ctx.account_id, KIND, None, after, offset, limit),
            count=lambda: items.count(ctx.db, ctx.account_id, KIND),
            cursor_of=lambda item: item.seq,
            filters=LIST_FILTERS,
        )
    # Phones per account are few; a search filters them in memory, still keyed by seq.
    found = [i for i in items.all_of(ctx.db, ctx.account_id, KIND) if model.matches(i.data(), search)]

    def fetch(after: int | None, offset: int, limit: int) -> list[Item]:
        rest = found[offset:] if after is None else [i for i in found if i.seq > after]
        return rest[:limit]

    return ctx.services.pager.paginate(
        f"{scope}:{ctx.account_id}", inp.query, ctx.now, fetch=fetch, count=lambda: len(found),
        cursor_of=lambda item: item.seq, filters=LIST_FILTERS,
    )


# ---- 2023: /sip_phones -------------------------------------------------------------------

def list_sip_phones(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _require_feature(ctx, NO_FEATURE_2023)
    page = _page(ctx, inp, "sip_phones")
    phones = [model.as_2023(item.data()) for item in page.rows]
    return page.envelope("phones", phones, with_page_number=True)


def create_sip_phone(ctx: Ctx, inp: Input) -> dict[str, Any]:
    return _create(ctx, model.from_flat(inp.body or {}), model.as_2023, NO_FEATURE_2023)


def update_sip_phone(ctx: Ctx, inp: Input) -> None:
    _update(ctx, inp.path["phoneId"], model.from_flat(inp.body or {}), NO_FEATURE_2023)


def delete_sip_phone(ctx: Ctx, inp: Input) -> None:
    _delete(ctx, inp.path["phoneId"], NO_FEATURE_2023)


# ---- 2026: /sip_phones/phones ------------------------------------------------------------

def list_phones(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _require_feature(ctx, NO_FEATURE_2026)
    page = _page(ctx, inp, "sip_phones")
    return {
        "next_page_token": page.next_page_token,
        "page_size": page.page_size,
        "phones": [model.as_2026(item.data()) for item in page.rows],
    }


def enable_phone(ctx: Ctx, inp: Input) -> dict[str, Any]:
    return _create(ctx, model.from_nested(inp.body or {}), model.as_2026, NO_FEATURE_2026)


def update_phone(ctx: Ctx, inp: Input) -> None:
    _update(ctx, inp.path["phoneId"], model.from_nested(inp.body or {}), NO_FEATURE_2026)


def delete_phone(ctx: Ctx, inp: Input) -> None:
    _delete(ctx, inp.path["phoneId"], NO_FEATURE_2026)


HANDLERS: dict[str, Callable[..., Any]] = {
    "listSipPhones": list_sip_phones,
    "createSIPPhone": create_sip_phone,
    "updateSIPPhone": update_sip_phone,
    "deleteSIPPhone": delete_sip_phone,
    "ListSIPPhonePhones": list_phones,
    "EnableSIPPhonePhones": enable_phone,
    "UpdateSIPPhonePhones": update_phone,
    "deleteSIPPhonePhones": delete_phone,
}
