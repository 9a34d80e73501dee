"""Seed files: accounts, users, apps with fixed credentials and meetings, loaded from YAML or JSON.

CI wants to hard-code a client id, secret and account id and find them working on a fresh
database, so `zoomsim seed FILE` and `zoomsim serve --seed FILE` create them. A file goes
through three steps, and nothing is written unless all of them pass:

1. load: YAML (PyYAML, timestamps kept as text) or JSON, remembering each field's line;
2. validate: every field checked without the database (meetings against the meeting-create
   operation's own request schema), so a bad file names its field before anything happens;
3. apply: one transaction, through the code the API and admin API use (tenants.create_account,
   add_user, create_app, the meetingCreate handler), so seeded rows are exactly API-made ones.

Idempotency: an account is matched by `id` (given, or derived from its owner's email), a user
by email within the account, an app by client id, a meeting by host and `key` (when given) or
host and topic. What is found is left as it is and counted as already there; a seed never
changes or deletes anything. The one disagreement it refuses is an existing client id whose
secret or account differs, since the hard-coded credentials would not work.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import yaml

from zoomsim.errors import ZoomError
from zoomsim.platform.validation import RequestValidator, is_email

# The rest of zoomsim (storage, tenants, the app) is imported where it is used: the command
# line builds this module's parser for every command, and those imports cost it 0.6 s.
if TYPE_CHECKING:
    from zoomsim.app import Services, ZoomSim
    from zoomsim.optable import Operation
    from zoomsim.storage import Storage
    from zoomsim.storage.db import Db

FieldPath = tuple[Union[str, int], ...]
Target = Union["ZoomSim", "Services", "Storage", str]

MEETING_OP = "meetingCreate"
ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")          # accounts.id / apps.client_id are String(64)
SECRET_RE = re.compile(r"^[\x21-\x7e]{1,128}$")       # printable ASCII, no spaces
USER_TYPES = (1, 2, 4, 99)
STATUSES = ("active", "inactive", "pending")
SEED_KEYS = ("host", "key")                           # a meeting's own seed fields, not the API's
# API fields a seed can't take: the host is `host`, and a meeting moved to another host would
# not be found by host again (so a second seed would create it twice)
NOT_SEEDED = {"schedule_for": "not taken in a seed file: name the host with `host`"}
TOP_FIELDS = ("accounts", "x-...")
ACCOUNT_FIELDS = ("id", "plan", "licences", "licenses", "name", "owner", "users", "apps", "meetings")
OWNER_FIELDS = ("email", "first_name", "last_name")
USER_FIELDS = ("email", "type", "role", "status", "first_name", "last_name")
APP_FIELDS = ("client_id", "client_secret", "scopes", "name", "user")


class SeedError(Exception):
    """A bad file or a file the database disagrees with: one line naming the field."""

    def __init__(self, path: FieldPath, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line

    def render(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        field_ = dotted(self.path)
        return f"{where}: {field_}: {self.message}" if field_ else f"{where}: {self.message}"


def dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _split_field(text: str) -> FieldPath:
    """The validator's `settings.x` / `tracking_fields[0].field` back into a path."""
    out: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text):
        out.append(int(index) if index else name)
    return tuple(out)


# ---- step 1: load -------------------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves timestamps as text: start_time is read by the meeting code, in
    the meeting's time zone, exactly as the API reads it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


MAX_NODES = 1_000_000    # what the file expands to, aliases counted each time they are used


def _marks(node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int], sizes: dict[int, int], line: int = 0) -> int:
    """Record the line of every field (its key's line) and refuse a key given twice in one
    mapping (PyYAML keeps the last). Walks each node once and answers how many nodes the data
    expands to, so a few lines of nested aliases can't make a billion-node document."""
    lines.setdefault(path, line or node.start_mark.line + 1)
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = 1
    size = 1
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name in keys and key.tag != "tag:yaml.org,2002:merge":
                raise SeedError(path + (str(name),), "given twice", key.start_mark.line + 1)
            keys.add(name)
            size += _marks(value, path + (str(name),), lines, sizes, key.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            size += _marks(item, path + (i,), lines, sizes)
    if size > MAX_NODES:
        raise SeedError(path, f"expands to more than {MAX_NODES:,} values (aliases used over and over?)",
                        lines.get(path))
    sizes[id(node)] = size
    return size


def _yaml_document(text: str) -> tuple[Any, dict[FieldPath, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[FieldPath, int] = {}
        if node is None:
            return None, lines
        _marks(node, (), lines, {})
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def load_document(text: str, json_file: bool) -> tuple[Any, dict[FieldPath, int]]:
    """The file's data and the line of each field path; a syntax error is a SeedError with
    the line it was found on."""
    try:
        if json_file:
            def no_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
                out: dict[str, Any] = {}
                for k, v in pairs:
                    if k in out:
                        raise SeedError((), f"key {k!r} given twice")
                    out[k] = v
                return out
            try:
                data = json.loads(text, object_pairs_hook=no_twice)
            except json.JSONDecodeError as exc:
                raise SeedError((), f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
            try:                      # JSON is YAML: its nodes give the lines of fields
                lines = _yaml_document(text)[1]
            except (yaml.YAMLError, SeedError):
                lines = {}
            return data, lines
        try:
            return _yaml_document(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
            raise SeedError((), f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
        except yaml.YAMLError as exc:
            raise SeedError((), "not valid YAML: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise SeedError((), "nested too deeply") from None


# ---- step 2: validate ---------------------------------------------------------------------------

@dataclass
class UserSpec:
    path: FieldPath
    email: str
    fields: dict[str, Any]     # tenants.add_user's other keyword arguments


@dataclass
class AppSpec:
    path: FieldPath
    client_id: str
    secret: str
    scopes: list[str]
    name: str
    user: str | None       # email of the app's user; the owner when None


@dataclass
class MeetingSpec:
    path: FieldPath
    host: str | None       # email of the host; the owner when None
    key: str | None
    topic: str
    body: dict[str, Any]


@dataclass
class AccountSpec:
    path: FieldPath
    id: str
    plan: str
    licences: dict[str, bool]
    name: str
    owner_email: str | None
    owner_names: tuple[str, str]
    users: list[UserSpec] = field(default_factory=list)
    apps: list[AppSpec] = field(default_factory=list)
    meetings: list[MeetingSpec] = field(default_factory=list)


def _mapping(value: Any, path: FieldPath, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SeedError(path, f"must be a mapping, not {_kind(value)}")
    for key in value:
        if not isinstance(key, str):
            raise SeedError(path, f"field names must be text, not {_kind(key)}")
        if key not in allowed:
            raise SeedError(path + (key,), f"unknown field (expected one of: {', '.join(allowed)})")
    return value


def _list(value: Any, path: FieldPath) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SeedError(path, f"must be a list, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {type(None): "empty", bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _text(spec: dict[str, Any], key: str, path: FieldPath, limit: int, default: str = "") -> str:
    value = spec.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise SeedError(path + (key,), f"must be text, not {_kind(value)}")
    if "\x00" in value:
        raise SeedError(path + (key,), "must not hold a NUL character")
    if len(value) > limit:
        raise SeedError(path + (key,), f"longer than {limit} characters")
    return value


def _email(spec: dict[str, Any], key: str, path: FieldPath, required: bool, limit: int) -> str | None:
    value = spec.get(key)
    if value is None:
        if required:
            raise SeedError(path + (key,), "missing (every user needs an email)")
        return None
    if not isinstance(value, str):
        raise SeedError(path + (key,), f"must be text, not {_kind(value)}")
    if len(value) > limit or not is_email(value):
        raise SeedError(path + (key,), "not an email address")
    return value.strip()


def _choice(spec: dict[str, Any], key: str, path: FieldPath, allowed: tuple[Any, ...], default: Any) -> Any:
    value = spec.get(key, default)
    if isinstance(value, bool) or value not in allowed:
        raise SeedError(path + (key,), f"{value!r} is not one of {', '.join(map(str, allowed))}")
    return value


def derived_account_id(owner_email: str) -> str:
    """The account id a file without `id` gets: the same owner email always names the same
    account, so seeding the file again finds it."""
    digest = hashlib.sha256(b"zoomsim-seed-account:" + owner_email.lower().encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


@dataclass
class Rules:
    """What the file is checked against: the scope universe and the meeting-create operation."""

    scopes: set[str]
    validator: RequestValidator
    meeting_fields: tuple[str, ...]
    settings: set[str]
    plans: tuple[str, ...]
    roles: dict[str, str]
    email_max: int              # the admin API's limits, so a seed takes what it takes
    name_max: int
    person_max: int

    @classmethod
    def build(cls, operations: list["Operation"], all_scopes: list[str]) -> "Rules":
        from zoomsim import tenants
        from zoomsim.admin import routes as admin
        from zoomsim.meetings import model as meeting_model

        op = next(o for o in operations if o.id == MEETING_OP)
        props = (op.body or {}).get("properties", {})
        return cls(set(all_scopes), RequestValidator(op.params, op.body, op.body_type),
                   tuple(k for k in props if k not in NOT_SEEDED),
                   set(props.get("settings", {}).get("properties", {})) | set(meeting_model.DEFAULT_SETTINGS),
                   tenants.PLANS, admin.ROLE_IDS, admin.EMAIL_MAX, admin.NAME_MAX, admin.PERSON_NAME_MAX)


def _account(raw: Any, path: FieldPath, rules: Rules) -> AccountSpec:
    spec = _mapping(raw, path, ACCOUNT_FIELDS)
    plan = spec.get("plan", "business")
    if not isinstance(plan, str) or plan.lower() not in rules.plans:
        raise SeedError(path + ("plan",), f"unknown plan {plan!r} (one of {', '.join(rules.plans)})")
    licence_key = "licences" if "licences" in spec else "licenses"
    licences = spec.get(licence_key) or {}
    if not isinstance(licences, dict):
        raise SeedError(path + (licence_key,), f"must be a mapping of name: true/false, not {_kind(licences)}")
    for name, on in licences.items():
        if not isinstance(name, str) or not isinstance(on, bool):
            raise SeedError(path + (licence_key, str(name)), "must be true or false")
    owner = _mapping(spec.get("owner") or {}, path + ("owner",), OWNER_FIELDS)
    owner_email = _email(owner, "email", path + ("owner",), False, rules.email_max)
    account_id = spec.get("id")
    if account_id is None:
        if owner_email is None:
            raise SeedError(path, "give an `id` or an `owner.email`, so that seeding again finds this account")
        account_id = derived_account_id(owner_email)
    elif not isinstance(account_id, str) or not ID_RE.match(account_id):
        raise SeedError(path + ("id",), "must be 1 to 64 letters, digits, '-' or '_'")
    acc = AccountSpec(path, account_id, plan.lower(), dict(licences), _text(spec, "name", path, rules.name_max),
                      owner_email, (_text(owner, "first_name", path + ("owner",), rules.person_max),
                                    _text(owner, "last_name", path + ("owner",), rules.person_max)))
    emails = {owner_email.lower()} if owner_email else set()
    for i, u in enumerate(_list(spec.get("users"), path + ("users",))):
        user = _user(u, path + ("users", i), rules)
        if user.email.lower() in emails:
            raise SeedError(user.path + ("email",), f"{user.email} is already the owner or another user here")
        emails.add(user.email.lower())
        acc.users.append(user)
    for i, a in enumerate(_list(spec.get("apps"), path + ("apps",))):
        acc.apps.append(_app(a, path + ("apps", i), rules))
    for i, m in enumerate(_list(spec.get("meetings"), path + ("meetings",))):
        acc.meetings.append(_meeting(m, path + ("meetings", i), rules))
    return acc


def _user(raw: Any, path: FieldPath, rules: Rules) -> UserSpec:
    spec = _mapping(raw, path, USER_FIELDS)
    email = _email(spec, "email", path, True, rules.email_max)
    assert email is not None
    return UserSpec(path, email, {
        "user_type": _choice(spec, "type", path, USER_TYPES, 2),
        "role_id": rules.roles[_choice(spec, "role", path, ("admin", "member"), "member")],
        "status": _choice(spec, "status", path, STATUSES, "active"),
        "first_name": _text(spec, "first_name", path, rules.person_max),
        "last_name": _text(spec, "last_name", path, rules.person_max)})


def _app(raw: Any, path: FieldPath, rules: Rules) -> AppSpec:
    spec = _mapping(raw, path, APP_FIELDS)
    client_id, secret = spec.get("client_id"), spec.get("client_secret")
    if client_id is None:
        raise SeedError(path + ("client_id",), "missing (a seeded app has a fixed client id)")
    if not isinstance(client_id, str) or not ID_RE.match(client_id):
        raise SeedError(path + ("client_id",), "must be 1 to 64 letters, digits, '-' or '_'")
    if secret is None:
        raise SeedError(path + ("client_secret",), "missing (a seeded app has a fixed secret)")
    if not isinstance(secret, str) or not SECRET_RE.match(secret):
        raise SeedError(path + ("client_secret",), "must be 1 to 128 printable characters without spaces")
    raw_scopes = spec.get("scopes", "all")
    if raw_scopes == "all":
        scopes = sorted(rules.scopes)
    else:
        if isinstance(raw_scopes, str):
            raw_scopes = raw_scopes.split()
        if not isinstance(raw_scopes, list) or not raw_scopes:
            raise SeedError(path + ("scopes",), "must be \"all\" or a list of scopes")
        for i, scope in enumerate(raw_scopes):
            if not isinstance(scope, str) or scope not in rules.scopes:
                raise SeedError(path + ("scopes", i), f"unknown scope {scope!r}")
        scopes = list(dict.fromkeys(raw_scopes))
    user = _email(spec, "user", path, False, rules.email_max)
    return AppSpec(path, client_id, secret, scopes, _text(spec, "name", path, rules.name_max, "S2S app"), user)


def _meeting(raw: Any, path: FieldPath, rules: Rules) -> MeetingSpec:
    """Checked by the meeting-create operation's request schema, as POST /users/{userId}/meetings
    checks it; unknown fields, which the API tolerates, are typos in a seed file."""
    if isinstance(raw, dict):
        for name, why in NOT_SEEDED.items():
            if name in raw:
                raise SeedError(path + (name,), why)
    spec = _mapping(raw, path, SEED_KEYS + rules.meeting_fields)
    host = _email(spec, "host", path, False, rules.email_max)
    key = spec.get("key")
    if key is not None and (not isinstance(key, str) or not key or len(key) > 128):
        raise SeedError(path + ("key",), "must be text of 1 to 128 characters")
    settings = spec.get("settings")
    if isinstance(settings, dict):
        for name in settings:
            if name not in rules.settings:
                raise SeedError(path + ("settings", str(name)), "unknown meeting setting")
    body = {k: v for k, v in spec.items() if k not in SEED_KEYS}
    try:
        body = rules.validator.check_body(body)
    except ZoomError as err:
        first = (err.errors or [{"field": "", "message": err.message}])[0]
        where = _split_field(first["field"])
        value: Any = body
        for part in where:
            value = value.get(part) if isinstance(value, dict) else (
                value[part] if isinstance(value, list) and isinstance(part, int) and part < len(value) else None)
        hint = " (quote it if it is meant as text)" if isinstance(value, (int, float)) else ""
        raise SeedError(path + where,
                        f"refused by the meeting API's request schema: {first['message']}{hint}") from None
    topic = body.get("topic")
    return MeetingSpec(path, host, key, "Zoom Meeting" if topic is None else str(topic), body)


def validate(data: Any, rules: Rules) -> list[AccountSpec]:
    """The whole file, checked without the database."""
    if data is None:
        raise SeedError((), "the file is empty (expected `accounts:`)")
    if isinstance(data, dict):     # `x-...` keys hold what anchors (&name) refer to, as in compose files
        data = {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
    top = _mapping(data, (), TOP_FIELDS)
    accounts = [_account(a, ("accounts", i), rules) for i, a in enumerate(_list(top.get("accounts"), ("accounts",)))]
    seen_ids: dict[str, AccountSpec] = {}
    seen_clients: dict[str, AppSpec] = {}
    for acc in accounts:
        if acc.id in seen_ids:
            raise SeedError(acc.path + ("id",), f"account {acc.id} is also {dotted(seen_ids[acc.id].path)}")
        seen_ids[acc.id] = acc
        for app in acc.apps:
            if app.client_id in seen_clients:
                raise SeedError(app.path + ("client_id",),
                                f"client id {app.client_id} is also {dotted(seen_clients[app.client_id].path)}")
            seen_clients[app.client_id] = app
        keys: dict[tuple[str, str], MeetingSpec] = {}
        for m in acc.meetings:
            ident = ((m.host or acc.owner_email or "").lower(), m.key or "topic:" + m.topic)
            if ident in keys:
                raise SeedError(m.path, f"same host and {'key' if m.key else 'topic'} as "
                                f"{dotted(keys[ident].path)}; give each a distinct `key`")
            keys[ident] = m
    return accounts


# ---- step 3: apply ------------------------------------------------------------------------------

def _apply(s: "Services", plan: list[AccountSpec]) -> dict[str, Any]:
    """Everything in one transaction; a SeedError or any API error rolls all of it back."""
    from zoomsim import clock as clockmod
    from zoomsim import jsonio, tenants
    from zoomsim.storage import accounts as accounts_repo
    from zoomsim.storage import users as users_repo

    created, existing = (dict.fromkeys(("accounts", "users", "apps", "meetings"), 0) for _ in range(2))
    out: list[dict[str, Any]] = []
    now_iso = clockmod.iso(s.clock.now())
    with s.storage.write() as db:
        db.serialize("zoomsim-seed")       # two seeds at once: the second sees the first's rows
        for acc in plan:
            row = accounts_repo.get(db, acc.id)
            if row is None:
                account = tenants.create_account(
                    db, now_iso=now_iso, base_url=s.config.base_url, plan=acc.plan, licences=acc.licences,
                    name=acc.name, owner_email=acc.owner_email, owner_first_name=acc.owner_names[0],
                    owner_last_name=acc.owner_names[1], account_id=acc.id)
                account_plan = acc.plan
            else:
                account = {**jsonio.loads(row.doc), "owner_id": row.owner_id}
                account_plan = row.plan
            (created if row is None else existing)["accounts"] += 1
            report: dict[str, Any] = {"id": acc.id, "owner_id": account["owner_id"], "created": row is None,
                                      "users": [], "apps": [], "meetings": []}
            out.append(report)
            for u in acc.users:
                found = users_repo.get(db, acc.id, u.email)
                if found is None:
                    user_id = tenants.add_user(db, account, email=u.email, now_iso=now_iso,
                                               base_url=s.config.base_url, **u.fields)["id"]
                else:
                    user_id = found.id
                (created if found is None else existing)["users"] += 1
                report["users"].append({"email": u.email, "id": user_id, "created": found is None})
            for a in acc.apps:
                made = _app_row(db, acc, a, account["owner_id"], now_iso)
                (created if made else existing)["apps"] += 1
                report["apps"].append({"client_id": a.client_id, "created": made})
            for m in acc.meetings:
                entry = _meeting_row(s, db, acc.id, account_plan, account["owner_id"], m)
                (created if entry["created"] else existing)["meetings"] += 1
                report["meetings"].append(entry)
    if any(created.values()):
        s.shared.change(lambda rt: rt)    # running workers drop cached app lookups
    return {"created": created, "existing": existing, "accounts": out}


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
    """Find the meeting (host and key, or host and topic) or create it as the API does."""
    from zoomsim.context import Ctx, Input
    from zoomsim.meetings import model as meeting_model
    from zoomsim.storage import meetings as meetings_repo

    host_id = _user_id(db, account_id, owner_id, m.host, m.path + ("host",))
    for row in meetings_repo.for_host(db, host_id):
        seed_key = row.extras().get("seed_key")
        # by key when the file gives one; by topic only among meetings seeded without a key
        if seed_key == m.key and (m.key is not None or row.data().get("topic") == m.topic):
            doc = row.data()
            return {"id": row.id, "uuid": row.uuid, "host_id": host_id, "topic": doc.get("topic"), "key": m.key,
                    "join_url": doc.get("join_url"), "created": False}
    op = s.by_id[MEETING_OP]
    if op.handler is None:
        raise SeedError(m.path, "this zoomsim has no meeting-create handler")
    # The handler the API dispatches POST /users/{userId}/meetings to, called as the host with
    # the operation's scopes, outside rate limits: seeding is set-up, not traffic.
    ctx = Ctx(s, op, db, account_id, plan, "", host_id, frozenset(op.all_scopes))
    try:
        doc = op.handler(ctx, Input({"userId": host_id}, {}, dict(m.body)))
    except ZoomError as err:
        if err.errors:
            raise SeedError(m.path + _split_field(err.errors[0]["field"]),
                            f"refused by the meeting API: {err.errors[0]['message']}") from None
        raise SeedError(m.path, f"refused by the meeting API ({err.code}): {err.message}") from None
    if m.key is not None:
        row = meetings_repo.get(db, doc["id"])
        assert row is not None
        extra = {**row.extras(), "seed_key": m.key}
        meetings_repo.save(db, doc, extra, meeting_model.span(doc))
    return {"id": doc["id"], "uuid": doc["uuid"], "host_id": host_id, "topic": doc["topic"], "key": m.key,
            "join_url": doc.get("join_url"), "created": True}


# ---- entry points -------------------------------------------------------------------------------

def _services(target: Target, public_url: str | None) -> tuple["Services", bool]:
    """The services to seed through, and whether we made them (and must dispose of them)."""
    from zoomsim.app import Services, ZoomSim, create_app
    from zoomsim.config import Config
    from zoomsim.storage import Storage

    if isinstance(target, ZoomSim):
        return target.services, False
    if isinstance(target, Services):
        return target, False
    url = target.url if isinstance(target, Storage) else target
    return create_app(Config(db_url=url, public_url=public_url)).services, True


def seed_file(target: Target, path: str | Path, public_url: str | None = None) -> dict[str, Any]:
    """Load, validate and apply one seed file; the summary says what was created and what was
    already there. `target` is a database URL or Storage (the app is built, as `serve` would,
    with `public_url` for join links), or a running app's ZoomSim/Services. Raises SeedError
    for a bad file, with nothing of it written. Checks that need no database come first, so
    such a file never opens it; a database zoomsim never opened is set up (schema, default
    tenant, as `serve` does, committed on its own) before the seed's one transaction."""
    from zoomsim.app import scope_universe
    from zoomsim.optable import load_operations

    name = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError((), f"cannot read the file: {getattr(exc, 'strerror', None) or exc}") from None
    data, lines = load_document(text, name.lower().endswith(".json"))

    def at_line(err: SeedError) -> SeedError:
        if err.line is None:
            p = err.path
            while p and p not in lines:
                p = p[:-1]
            err.line = lines.get(p) if p else None
        return err

    try:
        operations = load_operations()
        plan = validate(data, Rules.build(operations, scope_universe(operations)))
        services, owned = _services(target, public_url)
        try:
            summary = _apply(services, plan)
        finally:
            if owned:
                services.storage.dispose()
    except SeedError as err:
        raise at_line(err) from None
    summary["file"] = name
    return summary


def summary_line(summary: dict[str, Any]) -> str:
    def counts(tally: dict[str, int]) -> str:
        parts = [f"{n} {kind if n != 1 else kind[:-1]}" for kind, n in tally.items() if n]
        return ", ".join(parts) or "nothing"
    return (f"zoomsim seed: {summary['file']}: created {counts(summary['created'])}; "
            f"already there {counts(summary['existing'])}")


def _seed_command(args: argparse.Namespace) -> int:
    """`zoomsim seed FILE`: 0 and a summary; 2 for a bad file, 1 for a database that won't open,
    each after one line on stderr."""
    from sqlalchemy.exc import SQLAlchemyError

    from zoomsim.storage.engine import DB_DOWN
    from zoomsim.storage.urls import DatabaseUrlError, check_url, describe, is_memory

    try:
        url = check_url(args.db)
    except DatabaseUrlError as exc:
        print(f"zoomsim seed: {exc}", file=sys.stderr)
        return 2
    if is_memory(url):
        print("zoomsim seed: an in-memory database lives only inside its server: use `zoomsim serve --seed FILE`",
              file=sys.stderr)
        return 2
    try:
        summary = seed_file(url, args.file, args.public_url)
    except SeedError as err:
        print(f"zoomsim seed: {err.render(args.file)}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, *DB_DOWN) as exc:
        print(f"zoomsim seed: {describe(exc, url)}", file=sys.stderr)
        return 1
    print(json.dumps(summary) if args.json else summary_line(summary))
    return 0


def add_seed_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """`zoomsim seed FILE [--db URL] [--public-url U] [--json]`."""
    from zoomsim.cli import _formatter      # the command line's own help layout
    from zoomsim.config import default_db_url

    seed = subparsers.add_parser(
        "seed", help="create accounts, users, apps (fixed credentials) and meetings from a YAML or JSON file",
        formatter_class=_formatter,
        description="Load a seed file into the database, in one transaction. Seeding the same file again "
                    "changes nothing: accounts match by id, users by email, apps by client id, meetings "
                    "by host and key (or host and topic).")
    seed.add_argument("file", help="seed file (.yaml/.yml, or .json)")
    seed.add_argument("--db", default=default_db_url(),
                      help="sqlite:///path or postgresql://user@host/db, migrated if needed (ZOOMSIM_DB)")
    seed.add_argument("--public-url", default=os.environ.get("ZOOMSIM_PUBLIC_URL") or None,
                      help="base URL for seeded meetings' join and start links, as `serve --public-url` "
                           "(ZOOMSIM_PUBLIC_URL; default: http://127.0.0.1:8000)")
    seed.add_argument("--json", action="store_true", help="print the whole summary (ids, join URLs) as JSON")
    seed.set_defaults(func=_seed_command)
