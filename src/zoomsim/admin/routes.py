"""Admin API. Guarded by the admin key (Bearer); off on non-loopback binds unless a key was set."""
from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any, Callable

from zoomsim import clock as clockmod
from zoomsim import jsonio, tenants
from zoomsim.admin import simulation, webhooks
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.faults import admin as fault_admin
from zoomsim.platform import bootstrap
from zoomsim.platform.shared import Runtime
from zoomsim.platform.validation import is_email
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage.db import Db
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage import webhooks as webhooks_repo
from zoomsim.users import features

if TYPE_CHECKING:
    from zoomsim.app import Request, Services

MAX_ADVANCE = 100 * 365 * 86_400.0    # a century either way: the clock must stay a date
ROLE_IDS = {"owner": "0", "admin": "1", "member": "2"}
Result = tuple[int, Any]


def admin_call(s: "Services", req: "Request") -> tuple[int, bytes, dict[str, str]]:
    if not s.admin_key:
        raise ZoomError(404, 404, "Not Found.")
    scheme, _, key = req.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(key.strip().encode(), s.admin_key.encode()):
        raise ZoomError(401, 124, "Invalid admin key.")
    parts = [p for p in req.path.split("/")[2:] if p]
    body: Any = {}
    if req.body.strip():
        try:
            body = jsonio.loads(req.body)
        except (jsonio.DecodeError, UnicodeDecodeError, RecursionError):
            raise ZoomError(400, 300, "Request Body should be a valid JSON object.") from None
    if not isinstance(body, dict):
        raise ZoomError(400, 300, "Request Body should be a valid JSON object.")
    if req.method == "GET" and req.query:
        body = {**req.query, **body}      # a GET's filters come in its query string
    for method, pattern, fn in ROUTES:
        if method == req.method and len(pattern) == len(parts) and all(
            p.startswith("{") or p == v for p, v in zip(pattern, parts)
        ):
            args = [v for p, v in zip(pattern, parts) if p.startswith("{")]
            status, out = fn(s, body, *args)
            return status, (jsonio.dumps(out) if out is not None else b""), {}
    raise ZoomError(404, 404, "Not Found.")


def _now_iso(s: "Services") -> str:
    return clockmod.iso(s.clock.now())


def info(s: "Services", body: dict[str, Any]) -> Result:
    inst = s.installation
    return 200, {
        "account_id": inst.account_id, "client_id": inst.client_id, "client_secret": inst.client_secret,
        "secret_token": bootstrap.secret_token(s.storage, inst),
        "api_url": s.config.base_url + "/v2", "token_url": s.config.base_url + "/oauth/token",
    }


def reset(s: "Services", body: dict[str, Any]) -> Result:
    """Every row goes, and the reset epoch moves on in the same transaction: from the moment
    this answers, every token issued before it is invalid on every worker."""
    s.shared.change(lambda rt: rt.after_reset(), also=bootstrap.wipe, reset=True)
    bootstrap.ensure(s.storage, s.config.base_url, s.all_scopes(), s.clock.now())
    return 204, None


def expire_tokens(s: "Services", body: dict[str, Any]) -> Result:
    """Access tokens live an hour of wall time; this ends every token issued so far at once
    ("Access token is expired."), so tests can see expiry on purpose. New tokens work."""
    s.shared.change(lambda rt: rt.tokens_expired())
    return 204, None


NAME_MAX = 255      # account and app names (apps.name is String(255))
PERSON_NAME_MAX = 64
EMAIL_MAX = 128     # Zoom's limit for a user's address (users.email is String(255))


def _text(spec: dict[str, Any], key: str, limit: int, default: str = "", field: str = "") -> str:
    """An optional string field of an admin body, refused (300, the field named) when it is not
    text, holds NUL or is longer than the column or Zoom allows."""
    value = spec.get(key)
    if value is None or value == "":
        return default
    if not isinstance(value, str) or "\x00" in value or len(value) > limit:
        raise invalid_field(field or key)
    return value


def _scopes(s: "Services", raw: Any) -> list[str]:
    if raw is None or raw == "all":
        return s.all_scopes()
    if isinstance(raw, str):
        raw = raw.split()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise invalid_field("scopes")
    return list(dict.fromkeys(raw))


def _new_app(s: "Services", db: Db, account_id: str, user_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    scopes = _scopes(s, spec.get("scopes"))
    token = tenants.new_secret_token()
    name = _text(spec, "name", NAME_MAX, "S2S app", "apps.name")
    client_id, secret = tenants.create_app(db, account_id=account_id, user_id=user_id, scopes=scopes,
                                           now_iso=_now_iso(s), name=name, secret_token=token)
    return {"client_id": client_id, "client_secret": secret, "account_id": account_id, "user_id": user_id,
            "scopes": scopes, "secret_token": token}


def _new_user(s: "Services", db: Db, account: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    email = spec.get("email")
    if not isinstance(email, str) or len(email) > EMAIL_MAX or not is_email(email):
        raise invalid_field("email")
    role = ROLE_IDS.get(str(spec.get("role", "member")))
    if role is None or role == "0":
        raise invalid_field("role")
    utype = spec.get("type", 2)
    if utype not in (1, 2, 4, 99):
        raise invalid_field("type")
    status = spec.get("status", "active")
    if status not in ("active", "inactive", "pending"):
        raise invalid_field("status")
    granted = features.parse(spec["features"]) if spec.get("features") is not None else {}
    user = tenants.add_user(db, account, email=email, user_type=utype, status=status, role_id=role,
                            now_iso=_now_iso(s), base_url=s.config.base_url,
                            first_name=_text(spec, "first_name", PERSON_NAME_MAX),
                            last_name=_text(spec, "last_name", PERSON_NAME_MAX))
    if granted:
        user["features"] = features.grant(db, account["id"], user["id"], granted)
    return user


def create_account(s: "Services", body: dict[str, Any]) -> Result:
    plan = str(body.get("plan", "business")).lower()
    if plan not in tenants.PLANS:
        raise invalid_field("plan")
    licences = body.get("licences", body.get("licenses", {}))
    if not isinstance(licences, dict):
        raise invalid_field("licences")
    owner = body.get("owner") or {}
    if not isinstance(owner, dict):
        raise invalid_field("owner")
    owner_email = owner.get("email")
    if owner_email is not None and (not isinstance(owner_email, str) or len(owner_email) > EMAIL_MAX
                                    or not is_email(owner_email)):
        raise invalid_field("owner.email")
    name = _text(body, "name", NAME_MAX)
    owner_names = (_text(owner, "first_name", PERSON_NAME_MAX, field="owner.first_name"),
                   _text(owner, "last_name", PERSON_NAME_MAX, field="owner.last_name"))
    for key in ("users", "apps"):
        items = body.get(key)
        if items is not None and not (isinstance(items, list) and all(isinstance(x, dict) for x in items)):
            raise invalid_field(key)
    with s.storage.write() as db:
        account = tenants.create_account(
            db, now_iso=_now_iso(s), base_url=s.config.base_url, plan=plan,
            licences={k: bool(v) for k, v in licences.items()}, name=name,
            owner_email=owner_email, owner_first_name=owner_names[0], owner_last_name=owner_names[1],
        )
        users = [_new_user(s, db, account, u) for u in body.get("users") or []]
        app_specs = body.get("apps")
        if app_specs is None:
            app_specs = [{"scopes": "all"}]
        apps = [_new_app(s, db, account["id"], account["owner_id"], spec) for spec in app_specs]
    return 201, {"account": account, "account_id": account["id"], "owner_id": account["owner_id"],
                 "users": users, "apps": apps}


def _account(db: Db, account_id: str) -> dict[str, Any]:
    row = accounts_repo.get(db, account_id)
    if row is None:
        raise ZoomError(404, 1001, f"Account does not exist: {account_id}.")
    doc = jsonio.loads(row.doc)
    doc["owner_id"] = row.owner_id
    return doc


def list_accounts(s: "Services", body: dict[str, Any]) -> Result:
    with s.storage.read() as db:
        rows = accounts_repo.list_all(db)
    return 200, {"accounts": [{**jsonio.loads(r.doc), "owner_id": r.owner_id} for r in rows]}


def get_account(s: "Services", body: dict[str, Any], account_id: str) -> Result:
    with s.storage.read() as db:
        account = _account(db, account_id)
        account["apps"] = [{"client_id": a.client_id, "user_id": a.user_id, "name": a.name,
                            "scopes": a.scopes.split(), "secret_token": a.secret_token}
                           for a in apps_repo.list_for_account(db, account_id)]
    return 200, account


def add_user(s: "Services", body: dict[str, Any], account_id: str) -> Result:
    with s.storage.write() as db:
        return 201, _new_user(s, db, _account(db, account_id), body)


def set_features(s: "Services", body: dict[str, Any], account_id: str, user_id: str) -> Result:
    """Give a user add-ons, e.g. a webinar licence: {"webinar": 1000} (capacity) or false."""
    granted = features.parse(body)
    with s.storage.write() as db:
        return 200, features.grant(db, account_id, _user(db, account_id, user_id).id, granted)


def get_features(s: "Services", body: dict[str, Any], account_id: str, user_id: str) -> Result:
    with s.storage.read() as db:
        return 200, features.get(db, account_id, _user(db, account_id, user_id).id)


def _user(db: Db, account_id: str, user_id: str) -> users_repo.UserRow:
    """A user of an existing account, by id or email (404/1001 otherwise)."""
    _account(db, account_id)
    user = users_repo.get(db, account_id, user_id)
    if user is None:
        raise ZoomError(404, 1001, f"User does not exist: {user_id}.")
    return user


def add_tracking_source(s: "Services", body: dict[str, Any], webinar_id: str) -> Result:
    """A registration tracking source (Zoom makes them only in its web portal):
    {"source_name": "...", "visitor_count": 0} → the source, with its id and tracking URL."""
    from zoomsim import ids
    from zoomsim.webinars import tracking_sources

    name = _text(body, "source_name", NAME_MAX)
    if not name.strip():
        raise invalid_field("source_name")
    visitors = body.get("visitor_count", 0)
    if not isinstance(visitors, int) or isinstance(visitors, bool) or not 0 <= visitors <= 10**9:
        raise invalid_field("visitor_count")
    number = ids.meeting_number(webinar_id)
    with s.storage.write() as db:
        try:
            return 201, tracking_sources.add_source(db, number or 0, name, visitors)
        except LookupError:
            raise ZoomError(404, 3001, f"Webinar does not exist: {webinar_id}.") from None


def add_custom_report(s: "Services", body: dict[str, Any], event_id: str) -> Result:
    """A Zoom Events custom report template, which Zoom's hosts define in its web UI only."""
    from zoomsim.zoom_events import custom_reports

    with s.storage.write() as db:
        return 201, custom_reports.define(db, _now_iso(s), event_id, body)


def add_app(s: "Services", body: dict[str, Any], account_id: str) -> Result:
    with s.storage.write() as db:
        account = _account(db, account_id)
        user_id = body.get("user_id") or account["owner_id"]
        if users_repo.get(db, account_id, str(user_id)) is None:
            raise ZoomError(404, 1001, f"User does not exist: {user_id}.")
        return 201, _new_app(s, db, account_id, str(user_id), body)


def get_clock(s: "Services", body: dict[str, Any]) -> Result:
    now = s.clock.now()
    return 200, {"now": clockmod.iso(now), "epoch": now, "mode": s.clock.mode}


def set_clock(s: "Services", body: dict[str, Any]) -> Result:
    """Freeze, advance or release the simulated clock. The change is computed from the stored
    clock (two advances through two workers add up) and holds on every worker once this answers.
    `"expire_tokens": true` also expires every access token issued so far."""
    edit: Callable[[Runtime], Runtime]
    if body.get("mode") == "real":
        edit = Runtime.real
    elif "now" in body:
        try:
            at = clockmod.parse_iso(str(body["now"]))
            clockmod.iso(at)
        except (ValueError, OverflowError, OSError):
            raise invalid_field("now") from None
        edit = lambda rt: rt.frozen_at(at)   # noqa: E731
    elif "advance_seconds" in body:
        step = body["advance_seconds"]
        if isinstance(step, bool) or not isinstance(step, (int, float)) or not abs(step) < MAX_ADVANCE:
            raise invalid_field("advance_seconds")
        edit = lambda rt: rt.advanced(float(step))   # noqa: E731
    else:
        raise invalid_field("now")
    expire = body.get("expire_tokens", False)
    if not isinstance(expire, bool):
        raise invalid_field("expire_tokens")
    s.shared.change((lambda rt: edit(rt).tokens_expired()) if expire else edit)
    return get_clock(s, {})


def delete_account(s: "Services", body: dict[str, Any], account_id: str) -> Result:
    """The account and everything in it; its tokens stop working on every worker at once."""
    def drop(db: Db) -> None:
        _account(db, account_id)
        accounts_repo.delete_all(db, account_id)
    s.shared.change(lambda rt: rt, also=drop)
    return 204, None


def delete_app(s: "Services", body: dict[str, Any], account_id: str, client_id: str) -> Result:
    """One app; its tokens stop working on every worker at once."""
    def drop(db: Db) -> None:
        _account(db, account_id)
        if not apps_repo.delete(db, account_id, client_id):
            raise ZoomError(404, 404, f"App does not exist: {client_id}.")
        webhooks_repo.delete_app_subscriptions(db, client_id)     # its deliveries stay in the log
    s.shared.change(lambda rt: rt, also=drop)
    return 204, None


ROUTES: list[tuple[str, tuple[str, ...], Callable[..., Result]]] = [
    ("GET", (), info),
    ("POST", ("reset",), reset),
    ("GET", ("accounts",), list_accounts),
    ("POST", ("accounts",), create_account),
    ("GET", ("accounts", "{id}"), get_account),
    ("POST", ("accounts", "{id}", "users"), add_user),
    ("POST", ("accounts", "{id}", "apps"), add_app),
    ("GET", ("accounts", "{id}", "users", "{user}", "features"), get_features),
    ("PATCH", ("accounts", "{id}", "users", "{user}", "features"), set_features),
    ("DELETE", ("accounts", "{id}"), delete_account),
    ("DELETE", ("accounts", "{id}", "apps", "{client_id}"), delete_app),
    ("GET", ("clock",), get_clock),
    ("POST", ("clock",), set_clock),
    ("POST", ("tokens", "expire"), expire_tokens),
    ("POST", ("webinars", "{id}", "tracking_sources"), add_tracking_source),
    ("POST", ("zoom_events", "events", "{id}", "custom_reports"), add_custom_report),
    *simulation.ROUTES,
    *webhooks.ROUTES,
    *fault_admin.ROUTES,
]
