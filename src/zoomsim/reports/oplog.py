"""The recording side of the audit reports: one audit_log row per successful admin change made
through the API (read back by the operation logs report) and one per token grant (a sign-in
of the app's user, read back by the sign in / sign out report).

`record_operation` runs inside the request's own transaction, after the handler succeeded:
a failed request rolls its row back with everything else. The request chain calls it only for
operations in LOGGED (a dict lookup), so nothing else pays for it.

Rows name objects and the fields a request changed, never the values (bodies can hold
passwords and PINs)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.context import Ctx, Input, Raw, Reply
from zoomsim.meetings.meetings import TRACKING_KIND
from zoomsim.sip_phones.handlers import KIND as SIP_KIND
from zoomsim.storage import audit as audit_repo
from zoomsim.storage import items as items_repo
from zoomsim.storage import users as users_repo

if TYPE_CHECKING:
    from zoomsim.app import Request, Services

OPERATION, SIGNIN = "operation", "signin"
API_CLIENT = "API"     # the client type of a sign-in by token grant (no Zoom client involved)
USER_TYPES = {1: "Basic", 2: "Licensed", 4: "Unassigned without Meetings Basic", 99: "None"}

Describe = Callable[[Ctx, Input, dict[str, Any]], str]


@dataclass(frozen=True, slots=True)
class Logged:
    """How one operation shows in the operation logs: Zoom's category (the category_type
    query value), the action, and the sentence naming what changed."""

    category: str
    action: str
    describe: Describe


# ---- sentences -------------------------------------------------------------------------------

def changed_fields(body: Any, prefix: str = "") -> list[str]:
    """The fields a request body sets, nested objects as dotted paths (null means unchanged)."""
    if not isinstance(body, dict):
        return []
    out: list[str] = []
    for key, value in body.items():
        if value is None:
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.extend(changed_fields(value, path + "."))
        else:
            out.append(path)
    return out


def _with_fields(text: str, body: Any) -> str:
    fields = changed_fields(body)
    return f"{text} - {', '.join(fields)}" if fields else text


def _user(ctx: Ctx, key: str) -> str:
    """A {userId} path value as the user's email (as given when the user is gone)."""
    row = users_repo.get(ctx.db, ctx.account_id, ctx.user_id if key == "me" else key)
    return row.email if row is not None else key


def _item_name(ctx: Ctx, kind: str, item_id: str, field: str) -> str:
    item = items_repo.get(ctx.db, ctx.account_id, kind, item_id)
    return str(item.data().get(field) or "") if item is not None else ""


def _user_create(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    kind = out.get("type")
    return f"Add User {out.get('email', '')} - User Type: {USER_TYPES.get(kind, kind) if isinstance(kind, int) else ''}"


def _user_update(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return _with_fields(f"Update User {_user(ctx, inp.path['userId'])}", inp.body)


def _user_delete(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    verb = "Delete" if inp.query.get("action") == "delete" else "Disassociate"
    return f"{verb} User {inp.path['userId']}"


def _occurrence(inp: Input) -> str:
    occ = inp.query.get("occurrence_id")
    return f" (occurrence {occ})" if occ else ""


# Meetings and webinars are described alike, each in its own word ("Add Webinar ...").

def _meeting_create(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Add {ctx.kind.word} {out.get('id', '')} \"{out.get('topic', '')}\" for {out.get('host_email', '')}"


def _meeting_update(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return _with_fields(f"Update {ctx.kind.word} {ctx.subject(inp)}{_occurrence(inp)}", inp.body)


def _meeting_delete(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Delete {ctx.kind.word} {ctx.subject(inp)}{_occurrence(inp)}"


def _meeting_status(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Update {ctx.kind.word} {ctx.subject(inp)} - status: {(inp.body or {}).get('action', '')}"


def _field_create(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Add Tracking Field {out.get('field', '')} ({out.get('id', '')})"


def _field_update(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    field_id = inp.path["fieldId"]
    return _with_fields(f"Update Tracking Field {_item_name(ctx, TRACKING_KIND, field_id, 'field')} ({field_id})",
                        inp.body)


def _field_delete(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Delete Tracking Field {inp.path['fieldId']}"


def _tsp_account(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return _with_fields("Update Account TSP Settings", inp.body)


def _tsp_create(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Add TSP Account {out.get('id', '')} for {_user(ctx, inp.path['userId'])}"


def _tsp_update(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return _with_fields(f"Update TSP Account {inp.path['tspId']} of {_user(ctx, inp.path['userId'])}", inp.body)


def _tsp_delete(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Delete TSP Account {inp.path['tspId']} of {_user(ctx, inp.path['userId'])}"


def _tsp_url(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return _with_fields(f"Update Global Dial-in URL of {_user(ctx, inp.path['userId'])}", inp.body)


def _sip_create(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Add SIP Phone {out.get('phone_id') or out.get('id', '')} for {out.get('user_email', '')}"


def _sip_update(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    phone_id = inp.path["phoneId"]
    return _with_fields(f"Update SIP Phone {phone_id} ({_item_name(ctx, SIP_KIND, phone_id, 'user_email')})",
                        inp.body)


def _sip_delete(ctx: Ctx, inp: Input, out: dict[str, Any]) -> str:
    return f"Delete SIP Phone {inp.path['phoneId']}"


# Categories: users themselves are "user"; what belongs to one user (their meetings, their TSP
# accounts and dial-in page) is "user_settings"; webinars have Zoom's own "webinar" category;
# account-wide resources (tracking fields, the account's TSP settings, SIP phones, which the
# account provisions for its users) are "account".
LOGGED: dict[str, Logged] = {
    "userCreate": Logged("user", "Add", _user_create),
    "userUpdate": Logged("user", "Update", _user_update),
    "userDelete": Logged("user", "Delete", _user_delete),
    "meetingCreate": Logged("user_settings", "Add", _meeting_create),
    "meetingUpdate": Logged("user_settings", "Update", _meeting_update),
    "meetingDelete": Logged("user_settings", "Delete", _meeting_delete),
    "meetingStatus": Logged("user_settings", "Update", _meeting_status),
    "webinarCreate": Logged("webinar", "Add", _meeting_create),
    "webinarUpdate": Logged("webinar", "Update", _meeting_update),
    "webinarDelete": Logged("webinar", "Delete", _meeting_delete),
    "webinarStatus": Logged("webinar", "Update", _meeting_status),
    "trackingfieldCreate": Logged("account", "Add", _field_create),
    "trackingfieldUpdate": Logged("account", "Update", _field_update),
    "trackingfieldDelete": Logged("account", "Delete", _field_delete),
    "tspUpdate": Logged("account", "Update", _tsp_account),
    "userTSPCreate": Logged("user_settings", "Add", _tsp_create),
    "userTSPUpdate": Logged("user_settings", "Update", _tsp_update),
    "userTSPDelete": Logged("user_settings", "Delete", _tsp_delete),
    "tspUrlUpdate": Logged("user_settings", "Update", _tsp_url),
    "createSIPPhone": Logged("account", "Add", _sip_create),
    "EnableSIPPhonePhones": Logged("account", "Add", _sip_create),
    "updateSIPPhone": Logged("account", "Update", _sip_update),
    "UpdateSIPPhonePhones": Logged("account", "Update", _sip_update),
    "deleteSIPPhone": Logged("account", "Delete", _sip_delete),
    "deleteSIPPhonePhones": Logged("account", "Delete", _sip_delete),
}


def _answer(result: Any) -> dict[str, Any]:
    """A handler's answer as a dict, whatever form it came in."""
    if isinstance(result, Reply):
        result = result.body
    if isinstance(result, Raw):
        result = jsonio.loads(result.data)
    return result if isinstance(result, dict) else {}


def record_operation(ctx: Ctx, inp: Input, result: Any) -> None:
    """Log a successful operation listed in LOGGED, in the request's transaction."""
    entry = LOGGED[ctx.op.id]
    operator = users_repo.get(ctx.db, ctx.account_id, ctx.user_id)
    audit_repo.add(ctx.db, ctx.account_id, OPERATION, clockmod.iso(ctx.now), entry.category, {
        "operator": operator.email if operator is not None else "",
        "action": entry.action,
        "detail": entry.describe(ctx, inp, _answer(result)),
    })


def client_ip(req: "Request") -> str:
    """The caller's address as a proxy in front of us reports it ('' when none does)."""
    forwarded = req.headers.get("x-forwarded-for", "")
    first = forwarded.split(",")[0].strip() if forwarded else ""
    return first or req.headers.get("x-real-ip", "").strip()


def record_signin(s: "Services", req: "Request", account_id: str, email: str, now: float) -> None:
    """A token grant signs the app's user in (its own short transaction)."""
    if not email:
        return
    with s.storage.write() as db:
        audit_repo.add(db, account_id, SIGNIN, clockmod.iso(now), API_CLIENT,
                       {"email": email, "ip_address": client_ip(req)[:64], "client_type": API_CLIENT, "version": ""})
