"""user.tsp_* events: a user's TSP (telephony service provider) accounts.

Each payload names the operator, then the user (id, e-mail) and the TSP credentials; the update
also gives the credentials as they were (`old_object`). Key order follows the reference's
examples: created and deleted put `tsp_credentials` (with its slot id) first, the update puts
the user's id and e-mail first and shows the credentials without the slot id. A dial-in
number's `country_label` is reported only when it is one the schemas allow."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from zoomsim.errors import ZoomError
from zoomsim.storage import items
from zoomsim.storage import users as users_repo
from zoomsim.tsp.handlers import USER_KIND
from zoomsim.users.access import resolve_user
from zoomsim.webhooks.model import Change, Emitted
from zoomsim.webhooks.payloads.common import operator

if TYPE_CHECKING:
    from zoomsim.context import Ctx, Input

CREDENTIALS = ("conference_code", "leader_pin", "tsp_bridge", "dial_in_numbers")
UPDATED_CREDENTIALS = ("conference_code", "leader_pin", "dial_in_numbers", "tsp_bridge")
# The API takes any short country label on a dial-in number; the events' schemas know only these.
COUNTRY_LABELS = ("US_TSP_TB", "EU_TSP_TB")


def _owner(ctx: "Ctx", inp: "Input") -> users_repo.UserRow | None:
    """The user the path names (me, an id or an e-mail); None where the handler will refuse."""
    try:
        return resolve_user(ctx, str(inp.path.get("userId") or ""))
    except ZoomError:
        return None


def _number(entry: dict[str, Any]) -> dict[str, Any]:
    """A dial-in number as the events show it: a country label they do not know is left out."""
    return {k: v for k, v in entry.items() if k != "country_label" or v in COUNTRY_LABELS}


def _credentials(doc: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    out = {k: doc[k] for k in keys if k in doc}
    if "dial_in_numbers" in out:
        out["dial_in_numbers"] = [_number(n) for n in out["dial_in_numbers"] or [] if isinstance(n, dict)]
    return out


def load_tsp(ctx: "Ctx", inp: "Input") -> tuple[users_repo.UserRow, dict[str, Any]] | None:
    """The TSP account before an update or delete, with its user."""
    user = _owner(ctx, inp)
    if user is None:
        return None
    item = items.get(ctx.db, ctx.account_id, USER_KIND, f"{user.id}:{inp.path.get('tspId')}")
    return (user, item.data()) if item is not None else None


def _whole(user: users_repo.UserRow, doc: dict[str, Any]) -> dict[str, Any]:
    """The object of created and deleted: the slot's credentials, then the user."""
    return {"tsp_credentials": {"id": str(doc.get("id") or ""), **_credentials(doc, CREDENTIALS)},
            "email": user.email, "id": user.id}


def tsp_created(change: Change) -> list[Emitted]:
    user = _owner(change.ctx, change.inp)
    doc = change.result if isinstance(change.result, dict) else None
    if user is None or doc is None:
        return []
    payload = {**operator(change.ctx), "object": _whole(user, doc)}
    return [Emitted("user.tsp_created", payload, user.id)]


def tsp_updated(change: Change) -> list[Emitted]:
    if change.before is None:
        return []
    user, old = change.before
    item = items.get(change.ctx.db, change.ctx.account_id, USER_KIND, f"{user.id}:{old.get('id')}")
    if item is None:
        return []
    obj = {"id": user.id, "email": user.email, "tsp_credentials": _credentials(item.data(), UPDATED_CREDENTIALS)}
    payload = {**operator(change.ctx), "object": obj, "old_object": _credentials(old, UPDATED_CREDENTIALS)}
    return [Emitted("user.tsp_updated", payload, user.id)]


def tsp_deleted(change: Change) -> list[Emitted]:
    if change.before is None:
        return []
    user, old = change.before
    payload = {**operator(change.ctx), "object": _whole(user, old)}
    return [Emitted("user.tsp_deleted", payload, user.id)]


BUILDERS: dict[str, Callable[[Change], list[Emitted]]] = {
    "user.tsp_created": tsp_created,
    "user.tsp_updated": tsp_updated,
    "user.tsp_deleted": tsp_deleted,
}
STEP_BUILDERS: dict = {}
LOADERS: dict[str, Callable[..., Any]] = {"tsp": load_tsp}
