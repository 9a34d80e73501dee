"""One v1 call: who makes it (the app's account, acting as the host it names), its parameters,
and `run`, which performs a v2 operation inside the call's transaction. v1 is a face on the v2
webinar domain: every rule, default and write is the v2 handler's; only the words differ, and
`translate` gives v2's errors v1's wording."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.context import Ctx, Input, Raw, Reply
from zoomsim.errors import RawError, ZoomError
from zoomsim.legacy_v1.params import Form, invalid, v1_error
from zoomsim.meetings.kinds import WEBINAR
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.db import Db
from zoomsim.users import features
from zoomsim.webhooks import outbox

if TYPE_CHECKING:
    from zoomsim.app import Services

PLAN_MISSING = ("Cannot use webinar API, You need to subscribe webinar plan and then enable webinar "
                "for this user:{user}.")


@dataclass(slots=True)
class V1Call:
    services: "Services"
    db: Db
    account_id: str
    plan: str
    client_id: str
    owner_id: str          # who acts when the call names no host (register)
    form: Form

    @property
    def now_iso(self) -> str:
        return clockmod.iso(self.services.clock.now())

    def host(self) -> users_repo.UserRow:
        """`host_id`, a user of the caller's account with a webinar licence."""
        host_id = str(self.form.text("host_id", required=True))
        user = users_repo.get(self.db, self.account_id, host_id)
        if user is None:
            raise v1_error(1001, f"User not exist: {host_id}.")
        if not features.webinar_capacity(self.db, self.account_id, user.id):
            raise v1_error(200, PLAN_MISSING.format(user=user.id))
        return user

    def webinar_id(self) -> int:
        raw = str(self.form.text("id", required=True)).replace(" ", "").replace("-", "")
        if not raw.isdigit() or len(raw) > 12:
            raise v1_error(300, "Invalid webinarId.")
        return int(raw)

    def webinar(self, host: users_repo.UserRow | None, *, changes: bool = False) -> meetings_repo.MeetingRow:
        """The webinar `id` names. v1 looked webinars up under their host: one of the account's
        that `host_id` does not host is not found, or, for a change, "Not meeting host"."""
        number = self.webinar_id()
        row = meetings_repo.get(self.db, number)
        if row is None or row.account_id != self.account_id or row.type not in WEBINAR.types \
                or row.status == "deleted":
            raise v1_error(3001, f"Webinar {number} not found or expired.")
        if host is not None and row.host_id != host.id:
            if changes:
                raise v1_error(3003, "Not meeting host.")
            raise v1_error(3001, f"Webinar {number} not found or expired.")
        return row

    def run(self, op_id: str, path: dict[str, str], query: dict[str, Any] | None = None,
            body: Any = None, *, as_user: str | None = None) -> Any:
        """The v2 operation `op_id` as the account's admin acting for `as_user`, with v2's own
        validation of what v1's fields became; answers the decoded JSON (or None)."""
        s = self.services
        op = s.by_id[op_id]
        validator = op.checker()
        raw_query = {k: str(v) for k, v in (query or {}).items() if v is not None}
        checked_query = validator.check_query(raw_query)
        checked_body = validator.check_body(body) if op.body is not None else body
        ctx = Ctx.acting(s, op, self.db, self.account_id, self.plan, self.client_id, as_user or self.owner_id)
        result = outbox.call(ctx, Input(path, checked_query, checked_body))
        if isinstance(result, Reply):
            result = result.body
        if isinstance(result, Raw):
            return jsonio.loads(result.data)
        return result


def translate(err: ZoomError, form: Form) -> RawError:
    """A v2 error as v1 worded it. The codes are shared between the versions; a v2 validation
    failure names its first field the way v1 did."""
    if err.code == 300 and err.errors:
        return invalid(str(err.errors[0].get("field") or "").split(".")[-1] or "request")
    if err.code == 3001 and "webinar" in err.message.lower():
        return v1_error(3001, f"Webinar {form.values.get('id', '')} not found or expired.")
    if err.code == 1001:
        return v1_error(1001, f"User not exist: {form.values.get('host_id', '')}.")
    if err.code == 200 and "webinar plan" in err.message.lower():
        return v1_error(200, PLAN_MISSING.format(user=form.values.get("host_id", "")))
    return v1_error(err.code, err.message, err.headers or None)
