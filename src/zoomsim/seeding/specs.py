"""Step 2, validate: the loaded file checked without the database into specs (meetings against the
meeting-create operation's own request schema), so a bad file names its field before anything
happens."""
from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zoomsim.errors import ZoomError
from zoomsim.platform.validation import RequestValidator, is_email
from zoomsim.seeding.errors import FieldPath, SeedError, dotted, split_field

# The rest of zoomsim (tenants, the admin API, the meeting model) is imported where it is used:
# the command line builds the seed parser for every command, and those imports cost it 0.6 s.
if TYPE_CHECKING:
    from zoomsim.optable import Operation

MEETING_OP = "meetingCreate"
# The create operation whose request schema and handler each list of an account goes through.
CREATE_OPS = {"meetings": MEETING_OP, "webinars": "webinarCreate"}
ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")          # accounts.id / apps.client_id are String(64)
SECRET_RE = re.compile(r"^[\x21-\x7e]{1,128}$")       # printable ASCII, no spaces
USER_TYPES = (1, 2, 4, 99)
STATUSES = ("active", "inactive", "pending")
SEED_KEYS = ("host", "key")                           # a meeting's own seed fields, not the API's
# API fields a seed can't take: the host is `host`, and a meeting moved to another host would
# not be found by host again (so a second seed would create it twice)
NOT_SEEDED = {"schedule_for": "not taken in a seed file: name the host with `host`"}
TOP_FIELDS = ("accounts", "faults", "x-...")
ACCOUNT_FIELDS = ("id", "plan", "licences", "licenses", "name", "owner", "users", "apps", "meetings", "webinars")
OWNER_FIELDS = ("email", "first_name", "last_name", "features")
USER_FIELDS = ("email", "type", "role", "status", "first_name", "last_name", "features")
APP_FIELDS = ("client_id", "client_secret", "scopes", "name", "user")


@dataclass
class UserSpec:
    path: FieldPath
    email: str
    fields: dict[str, Any]     # tenants.add_user's other keyword arguments
    features: dict[str, Any] = field(default_factory=dict)   # add-ons to grant (users/features.py)


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
    listed: str = "meetings"   # the account's list it came from: "meetings" or "webinars"


@dataclass
class AccountSpec:
    path: FieldPath
    id: str
    plan: str
    licences: dict[str, bool]
    name: str
    owner_email: str | None
    owner_names: tuple[str, str]
    owner_features: dict[str, Any] = field(default_factory=dict)
    users: list[UserSpec] = field(default_factory=list)
    apps: list[AppSpec] = field(default_factory=list)
    meetings: list[MeetingSpec] = field(default_factory=list)
    webinars: list[MeetingSpec] = field(default_factory=list)


@dataclass
class FaultSpec:
    """A fault rule: the admin API's POST /_zoomsim/faults body, under its own id."""
    path: FieldPath
    id: str                    # the file's `id`, or derived from the rule (derived_fault_id)
    body: dict[str, Any]       # what faults.rules.parse takes (everything but `id`)


@dataclass
class Plan:
    """The whole file, checked: its accounts and its fault rules."""
    accounts: list[AccountSpec] = field(default_factory=list)
    faults: list[FaultSpec] = field(default_factory=list)
    has_faults: bool = False   # the file has a `faults:` list (the summary counts them then)


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


def _id(value: Any, path: FieldPath) -> None:
    """An id the file fixes (account, client, fault rule): a String(64) column's worth."""
    if not isinstance(value, str) or not ID_RE.match(value):
        raise SeedError(path, "must be 1 to 64 letters, digits, '-' or '_'")


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
    """What the file is checked against: the scope universe and the meeting- and webinar-create
    operations (per list: its request validator, its fields, its settings)."""

    scopes: set[str]
    validators: dict[str, RequestValidator]
    fields: dict[str, tuple[str, ...]]
    settings: dict[str, set[str]]
    plans: tuple[str, ...]
    roles: dict[str, str]
    email_max: int              # the admin API's limits, so a seed takes what it takes
    name_max: int
    person_max: int

    @classmethod
    def build(cls, operations: list["Operation"], all_scopes: list[str]) -> "Rules":
        from zoomsim import tenants
        from zoomsim.admin import routes as admin
        from zoomsim.meetings.kinds import KINDS, settings_defaults

        validators, fields, settings = {}, {}, {}
        for listed, op_id in CREATE_OPS.items():
            op = next(o for o in operations if o.id == op_id)
            props = (op.body or {}).get("properties", {})
            validators[listed] = RequestValidator(op.params, op.body, op.body_type)
            fields[listed] = tuple(k for k in props if k not in NOT_SEEDED)
            settings[listed] = (set(props.get("settings", {}).get("properties", {}))
                                | set(settings_defaults(KINDS[op.kind])))
        return cls(set(all_scopes), validators, fields, settings,
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
    else:
        _id(account_id, path + ("id",))
    acc = AccountSpec(path, account_id, plan.lower(), dict(licences), _text(spec, "name", path, rules.name_max),
                      owner_email, (_text(owner, "first_name", path + ("owner",), rules.person_max),
                                    _text(owner, "last_name", path + ("owner",), rules.person_max)),
                      _features(owner, path + ("owner",)))
    emails = {owner_email.lower()} if owner_email else set()
    for i, u in enumerate(_list(spec.get("users"), path + ("users",))):
        user = _user(u, path + ("users", i), rules)
        if user.email.lower() in emails:
            raise SeedError(user.path + ("email",), f"{user.email} is already the owner or another user here")
        emails.add(user.email.lower())
        acc.users.append(user)
    for i, a in enumerate(_list(spec.get("apps"), path + ("apps",))):
        acc.apps.append(_app(a, path + ("apps", i), rules))
    for listed in CREATE_OPS:
        for i, m in enumerate(_list(spec.get(listed), path + (listed,))):
            getattr(acc, listed).append(_meeting(m, path + (listed, i), rules, listed))
    return acc


def _features(spec: dict[str, Any], path: FieldPath) -> dict[str, Any]:
    """`features: {webinar: 1000}` as the admin API takes it (users/features.py)."""
    from zoomsim.users import features

    if spec.get("features") is None:
        return {}
    try:
        return features.parse(spec["features"])
    except ZoomError as err:
        where = split_field((err.errors or [{"field": "features"}])[0]["field"])
        raise SeedError(path + where, "must be a capacity (a whole number), true or false for webinar, "
                        "large_meeting or zoom_events") from None


def _user(raw: Any, path: FieldPath, rules: Rules) -> UserSpec:
    spec = _mapping(raw, path, USER_FIELDS)
    email = _email(spec, "email", path, True, rules.email_max)
    assert email is not None
    return UserSpec(path, email, {
        "user_type": _choice(spec, "type", path, USER_TYPES, 2),
        "role_id": rules.roles[_choice(spec, "role", path, ("admin", "member"), "member")],
        "status": _choice(spec, "status", path, STATUSES, "active"),
        "first_name": _text(spec, "first_name", path, rules.person_max),
        "last_name": _text(spec, "last_name", path, rules.person_max)}, _features(spec, path))


def _app(raw: Any, path: FieldPath, rules: Rules) -> AppSpec:
    spec = _mapping(raw, path, APP_FIELDS)
    client_id, secret = spec.get("client_id"), spec.get("client_secret")
    if client_id is None:
        raise SeedError(path + ("client_id",), "missing (a seeded app has a fixed client id)")
    _id(client_id, path + ("client_id",))
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


def _meeting(raw: Any, path: FieldPath, rules: Rules, listed: str = "meetings") -> MeetingSpec:
    """Checked by the create operation's request schema, as POST /users/{userId}/meetings (or
    /webinars) checks it; unknown fields, which the API tolerates, are typos in a seed file."""
    what = listed[:-1]
    if isinstance(raw, dict):
        for name, why in NOT_SEEDED.items():
            if name in raw:
                raise SeedError(path + (name,), why)
    spec = _mapping(raw, path, SEED_KEYS + rules.fields[listed])
    host = _email(spec, "host", path, False, rules.email_max)
    key = spec.get("key")
    if key is not None and (not isinstance(key, str) or not key or len(key) > 128):
        raise SeedError(path + ("key",), "must be text of 1 to 128 characters")
    settings = spec.get("settings")
    if isinstance(settings, dict):
        for name in settings:
            if name not in rules.settings[listed]:
                raise SeedError(path + ("settings", str(name)), f"unknown {what} setting")
    body = {k: v for k, v in spec.items() if k not in SEED_KEYS}
    try:
        body = rules.validators[listed].check_body(body)
    except ZoomError as err:
        first = (err.errors or [{"field": "", "message": err.message}])[0]
        where = split_field(first["field"])
        value: Any = body
        for part in where:
            value = value.get(part) if isinstance(value, dict) else (
                value[part] if isinstance(value, list) and isinstance(part, int) and part < len(value) else None)
        hint = " (quote it if it is meant as text)" if isinstance(value, (int, float)) else ""
        raise SeedError(path + where,
                        f"refused by the {what} API's request schema: {first['message']}{hint}") from None
    topic = body.get("topic")
    return MeetingSpec(path, host, key, f"Zoom {what.title()}" if topic is None else str(topic), body, listed)


def _plain(value: Any, path: FieldPath) -> None:
    """JSON data, as the admin API receives it: text keys, no YAML-only values (binary, sets,
    NaN), so a rule is stored and derives its id exactly as the same JSON body would."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise SeedError(path, f"field names must be text, not {_kind(key)}")
            _plain(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _plain(item, path + (i,))
    elif isinstance(value, float) and not math.isfinite(value):
        raise SeedError(path, "must be a finite number")
    elif value is not None and not isinstance(value, (bool, int, float, str)):
        raise SeedError(path, f"must be JSON data (text, a number, true/false, a list or a mapping), "
                              f"not {_kind(value)}")


def derived_fault_id(body: dict[str, Any]) -> str:
    """The id a rule without `id` gets: the same rule always names the same row, so seeding
    the file again finds it (and a changed rule is a new one)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "seed-" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _fault(raw: Any, path: FieldPath) -> FaultSpec:
    """Checked by the admin API's own parser (faults.rules.parse): whatever POST /_zoomsim/faults
    takes, a seed file takes, and a refusal names the field it names."""
    from zoomsim.faults.rules import parse

    if not isinstance(raw, dict):
        raise SeedError(path, f"must be a mapping (a POST /_zoomsim/faults body), not {_kind(raw)}")
    _plain(raw, path)
    rule_id = raw.get("id")
    if rule_id is not None:
        _id(rule_id, path + ("id",))
    body = {k: v for k, v in raw.items() if k != "id"}
    rule_id = rule_id or derived_fault_id(body)
    try:
        parse(rule_id, body, 0.0)
    except ZoomError as err:
        if not err.errors:
            raise SeedError(path, f"refused by the fault rules API: {err.message}") from None
        where = split_field(err.errors[0]["field"])
        value: Any = body
        for part in where:
            value = value.get(part) if isinstance(value, dict) else None
        given = (" (missing)" if value is None else
                 f" (given: {json.dumps(value)})" if isinstance(value, (bool, int, float, str)) else "")
        raise SeedError(path + where, f"refused by the fault rules API: {err.errors[0]['message']}{given}") from None
    return FaultSpec(path, rule_id, body)


def _faults(raw: Any) -> list[FaultSpec]:
    out: list[FaultSpec] = []
    seen: dict[str, FaultSpec] = {}
    for i, item in enumerate(_list(raw, ("faults",))):
        rule = _fault(item, ("faults", i))
        if rule.id in seen:
            given = "id" in item
            raise SeedError(rule.path + (("id",) if given else ()),
                            f"fault rule {rule.id} is also {dotted(seen[rule.id].path)}" if given else
                            f"the same rule as {dotted(seen[rule.id].path)}; give each an `id`")
        seen[rule.id] = rule
        out.append(rule)
    return out


def validate(data: Any, rules: Rules) -> Plan:
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
        keys: dict[tuple[str, str, str], MeetingSpec] = {}
        for m in acc.meetings + acc.webinars:
            ident = (m.listed, (m.host or acc.owner_email or "").lower(), m.key or "topic:" + m.topic)
            if ident in keys:
                raise SeedError(m.path, f"same host and {'key' if m.key else 'topic'} as "
                                f"{dotted(keys[ident].path)}; give each a distinct `key`")
            keys[ident] = m
    return Plan(accounts, _faults(top.get("faults")), top.get("faults") is not None)
