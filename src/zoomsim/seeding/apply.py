"""Step 3, apply: the specs written in one transaction, through the code the API and admin API use
(tenants.create_account, add_user, create_app, the meetingCreate handler), so seeded rows are
exactly API-made ones. What is found is left as it is and counted as already there."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomsim.errors import ZoomError
from zoomsim.seeding.errors import FieldPath, SeedError, split_field
from zoomsim.seeding.specs import CREATE_OPS, AccountSpec, AppSpec, FaultSpec, MeetingSpec, Plan

# The rest of zoomsim (storage, tenants, the app) is imported where it is used: the command
# line builds the seed parser for every command, and those imports cost it 0.6 s.
if TYPE_CHECKING:
    from zoomsim.app import Services
    from zoomsim.storage.db import Db


def apply_plan(s: "Services", plan: Plan) -> dict[str, Any]:
    """Everything in one transaction; a SeedError or any API error rolls all of it back. Fault
    rules are counted (a `faults` kind) when the file has a `faults:` list."""
    from zoomsim import clock as clockmod
    from zoomsim import jsonio, tenants
    from zoomsim.storage import accounts as accounts_repo
    from zoomsim.storage import users as users_repo

    from zoomsim.users import features

    kinds = ("accounts", "users", "apps", "meetings", "webinars") + (("faults",) if plan.has_faults else ())
    created, existing = (dict.fromkeys(kinds, 0) for _ in range(2))
    out: list[dict[str, Any]] = []
    faults_out: list[dict[str, Any]] = []
    now = s.clock.now()
    now_iso = clockmod.iso(now)
    with s.storage.write() as db:
        db.serialize("zoomsim-seed")       # two seeds at once: the second sees the first's rows
        for acc in plan.accounts:
            row = accounts_repo.get(db, acc.id)
            if row is None:
                account = tenants.create_account(
                    db, now_iso=now_iso, base_url=s.config.base_url, plan=acc.plan, licences=acc.licences,
                    name=acc.name, owner_email=acc.owner_email, owner_first_name=acc.owner_names[0],
                    owner_last_name=acc.owner_names[1], account_id=acc.id)
                account_plan = acc.plan
                if acc.owner_features:
                    features.grant(db, acc.id, account["owner_id"], acc.owner_features)
            else:
                account = {**jsonio.loads(row.doc), "owner_id": row.owner_id}
                account_plan = row.plan
            (created if row is None else existing)["accounts"] += 1
            report: dict[str, Any] = {"id": acc.id, "owner_id": account["owner_id"], "created": row is None,
                                      "users": [], "apps": [], "meetings": [], "webinars": []}
            out.append(report)
            for u in acc.users:
                found = users_repo.get(db, acc.id, u.email)
                if found is None:
                    user_id = tenants.add_user(db, account, email=u.email, now_iso=now_iso,
                                               base_url=s.config.base_url, **u.fields)["id"]
                    if u.features:
                        features.grant(db, acc.id, user_id, u.features)
                else:
                    user_id = found.id
                (created if found is None else existing)["users"] += 1
                report["users"].append({"email": u.email, "id": user_id, "created": found is None})
            for a in acc.apps:
                made = _app_row(db, acc, a, account["owner_id"], now_iso)
                (created if made else existing)["apps"] += 1
                report["apps"].append({"client_id": a.client_id, "created": made})
            for m in acc.meetings + acc.webinars:
                entry = _meeting_row(s, db, acc.id, account_plan, account["owner_id"], m)
                (created if entry["created"] else existing)[m.listed] += 1
                report[m.listed].append(entry)
        for f in plan.faults:
            made = _fault_row(db, f, now)
            (created if made else existing)["faults"] += 1
            faults_out.append({"id": f.id, "created": made})
    if any(created.values()):
        s.shared.change(lambda rt: rt)    # running workers drop cached app lookups and reload fault rules
    return {"created": created, "existing": existing, "accounts": out, "faults": faults_out}


def _fault_row(db: "Db", f: FaultSpec, now: float) -> bool:
    """Create the fault rule unless its id exists; True when created. Parsed again at `now`
    (zoomsim's clock), so `expires_in` counts from the seed, and stored as the admin API stores it."""
    from zoomsim.faults.admin import store
    from zoomsim.faults.rules import parse
    from zoomsim.storage import faults as faults_repo

    if faults_repo.get(db, f.id) is not None:
        return False
    try:
        rule = parse(f.id, f.body, now)
    except ZoomError as err:        # validated already; only a parser changed underneath us gets here
        raise SeedError(f.path, f"refused by the fault rules API: {err.message}") from None
    store(db, rule, now)
    return True


def _user_id(db: "Db", account_id: str, owner_id: str, email: str | None, path: FieldPath) -> str:
    """The id of a host or app user named by email (the owner when None)."""
    from zoomsim.storage import users as users_repo

    if email is None:
        return owner_id
    found = users_repo.get(db, account_id, email)
    if found is None:
        raise SeedError(path, f"no user {email} in account {account_id} (list it under `users`)")
    return found.id


def _app_row(db: "Db", acc: AccountSpec, a: AppSpec, owner_id: str, now_iso: str) -> bool:
    """Create the app unless its client id exists; True when created."""
    from zoomsim import tenants
    from zoomsim.platform.tokens import check_secret
    from zoomsim.storage import apps as apps_repo

    found = apps_repo.get(db, a.client_id)
    if found is not None:
        if found.account_id != acc.id:
            raise SeedError(a.path + ("client_id",),
                            f"client id {a.client_id} already belongs to another account ({found.account_id})")
        if not check_secret(a.secret, found.secret_salt, found.secret_hash):
            raise SeedError(a.path + ("client_secret",),
                            f"client id {a.client_id} already exists with another secret (a seed never changes it)")
        return False
    user_id = _user_id(db, acc.id, owner_id, a.user, a.path + ("user",))
    tenants.create_app(db, account_id=acc.id, user_id=user_id, scopes=a.scopes, now_iso=now_iso,
                       name=a.name, client_id=a.client_id, secret=a.secret)
    return True


def _meeting_row(s: "Services", db: "Db", account_id: str, plan: str, owner_id: str, m: MeetingSpec) -> dict[str, Any]:
    """Find the meeting or webinar (host and key, or host and topic) or create it as the API does."""
    from zoomsim.context import Ctx, Input
    from zoomsim.meetings import model as meeting_model
    from zoomsim.meetings.kinds import KINDS
    from zoomsim.storage import meetings as meetings_repo

    host_id = _user_id(db, account_id, owner_id, m.host, m.path + ("host",))
    op = s.by_id[CREATE_OPS[m.listed]]
    what = m.listed[:-1]
    for row in meetings_repo.for_host(db, host_id, types=tuple(KINDS[op.kind].types)):
        seed_key = row.extras().get("seed_key")
        # by key when the file gives one; by topic only among meetings seeded without a key
        if seed_key == m.key and (m.key is not None or row.data().get("topic") == m.topic):
            doc = row.data()
            return {"id": row.id, "uuid": row.uuid, "host_id": host_id, "topic": doc.get("topic"), "key": m.key,
                    "join_url": doc.get("join_url"), "created": False}
    if op.handler is None:
        raise SeedError(m.path, f"this zoomsim has no {what}-create handler")
    # The handler the API dispatches POST /users/{userId}/meetings to, called as the host with
    # the operation's scopes, outside rate limits: seeding is set-up, not traffic.
    ctx = Ctx.acting(s, op, db, account_id, plan, "", host_id)
    try:
        doc = op.handler(ctx, Input({"userId": host_id}, {}, dict(m.body)))
    except ZoomError as err:
        if err.errors:
            raise SeedError(m.path + split_field(err.errors[0]["field"]),
                            f"refused by the {what} API: {err.errors[0]['message']}") from None
        raise SeedError(m.path, f"refused by the {what} API ({err.code}): {err.message}") from None
    if m.key is not None:
        row = meetings_repo.get(db, doc["id"])
        assert row is not None
        extra = {**row.extras(), "seed_key": m.key}
        meetings_repo.save(db, doc, extra, meeting_model.span(doc))
    return {"id": doc["id"], "uuid": doc["uuid"], "host_id": host_id, "topic": doc["topic"], "key": m.key,
            "join_url": doc.get("join_url"), "created": True}
