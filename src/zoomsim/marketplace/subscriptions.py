"""Creating and changing event subscriptions: the rules both the Marketplace API and the admin
API apply (Zoom's wording and codes), and the writes, which move the shared generation on so
every worker's subscription cache is dropped when they commit."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from zoomsim import clock as clockmod
from zoomsim import ids, jsonio
from zoomsim.errors import ZoomError
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage import webhooks as repo
from zoomsim.storage.db import Db
from zoomsim.webhooks import catalog
from zoomsim.webhooks.subscriptions import Subscription, static_headers
from zoomsim.webhooks.validation import usable_url, validate_url

if TYPE_CHECKING:
    from zoomsim.app import Services

MAX_PER_APP = 20
MAX_USERS = 10
SCOPES = ("user", "account", "master_account", "team")
HEADER_KEY = re.compile(r"^[a-zA-Z0-9-]+$")
RESERVED_HEADERS = {"content-type", "content-length", "user-agent", "host", "clientid", "authorization",
                    "x-zm-request-timestamp", "x-zm-signature", "x-zm-trackingid"}
# (field, the custom_header_type that needs it, max length, its name in "... is required.", its
# name in "The length of ... exceeds ...", whether that sentence ends with a dot): the
# reference's wording, its inconsistencies included
HEADER_FIELDS = (
    ("username", 1, 256, "username", "username", False), ("password", 1, 256, "password", "password", False),
    ("client_id", 2, 256, "client id", "client id", True),
    ("client_secret", 2, 256, "client secret", "client secret", True),
    ("token_url", 2, 1000, "token url", "token url", True), ("scope", None, 255, "scope", "scope", True),
    ("state", None, 255, "state", "state", True),
    ("custom_header_key", 3, 256, "custom header key", "header key", True),
    ("custom_header_value", 3, 256, "custom header value", "header value", False),
)


def bad(message: str, code: int = 1500, status: int = 400) -> ZoomError:
    return ZoomError(status, code, message)


def no_user(user_id: str) -> ZoomError:
    return ZoomError(404, 1001, f"User does not exist or does not belong to this account: {user_id}.")


def invalid_subscription(sub_id: str) -> ZoomError:
    return ZoomError(404, 1601, f"App event subscription is invalid: {sub_id}")


def check_events(events: Any) -> list[str]:
    if not isinstance(events, list) or not events:
        raise bad("The events list is empty.")
    names: list[str] = []
    for name in events:
        if not isinstance(name, str) or name not in catalog.EVENT_NAMES:
            raise ZoomError(404, 1601, f"App event not exists: {name}")
        if name not in names:
            names.append(name)
    return names


def check_url(url: Any) -> str:
    if not isinstance(url, str) or not url.strip():
        raise bad("The event webhook url is empty.")
    if "\n" in url or "\r" in url:
        raise bad("The input value can't contain line feed.")
    if not usable_url(url.strip()):
        raise ZoomError(404, 1701, f"The event webhook url validate failed: {url}.")
    return url.strip()


def check_scope(scope: Any) -> str:
    if scope not in SCOPES:
        raise bad("The subscription scope is invalid.")
    return str(scope)


def check_teams(team_ids: Any, scope: str | None = None) -> None:
    """zoomsim's accounts have no teams: any team named is unknown, and a team-scoped
    subscription can't be made (Zoom's wording for each case)."""
    if team_ids is None:
        team_ids = []
    if isinstance(team_ids, str):
        team_ids = [t.strip() for t in team_ids.split(",") if t.strip()]
    if not isinstance(team_ids, list) or not all(isinstance(t, str) for t in team_ids):
        raise bad("Team does not exist or does not belong to this account.")
    if len(team_ids) > MAX_USERS:
        raise bad("The size of team_ids exceed maximum.")
    if team_ids:
        raise bad(f"Team does not exist or does not belong to this account: {team_ids[0]}.")
    if scope == "team":
        raise bad("Team does not exist or does not belong to this account.")


def check_users(db: Db, account_id: str, user_ids: Any) -> list[str]:
    if user_ids is None:
        return []
    if not isinstance(user_ids, list) or len(user_ids) > MAX_USERS:
        raise bad("The size of user_ids exceed maximum.")
    found: list[str] = []
    for raw in user_ids:
        user = users_repo.get(db, account_id, str(raw)) if isinstance(raw, str) and raw else None
        if user is None:
            raise no_user(str(raw))
        if user.id not in found:
            found.append(user.id)
    return found


def check_custom_header(spec: Any) -> dict[str, Any]:
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise ZoomError(404, 1801, f"The custom header type validate failed: {spec}.")
    kind = spec.get("custom_header_type", 0)
    if kind not in (0, 1, 2, 3) or isinstance(kind, bool):
        raise ZoomError(404, 1801, f"The custom header type validate failed: {kind}.")
    if kind == 0:
        return {}
    out: dict[str, Any] = {"custom_header_type": kind}
    for key, needed_for, limit, words, length_words, dot in HEADER_FIELDS:
        value = spec.get(key)
        if value is None or value == "":
            if needed_for == kind:
                raise bad(f"The {words} is required.")
            continue
        if needed_for not in (kind, None) or (key in ("scope", "state") and kind != 2):
            continue                      # a field of another type: ignored, as Zoom does
        if not isinstance(value, str):
            raise bad(f"The {words} is required.")
        if len(value) > limit:
            raise bad(f"The length of {length_words} exceeds the limit of {limit}" + ("." if dot else ""))
        if any(ord(c) < 0x20 or ord(c) == 0x7f for c in value):   # what a header line can't carry
            raise bad("The input value can't contain line feed.")
        out[key] = value
    if kind == 2:
        auth = spec.get("client_authentication", "header")
        if auth not in ("header", "body"):
            raise bad("Client authentication must be 'header' or 'body'.")
        out["client_authentication"] = auth
        if not usable_url(out["token_url"]):
            raise ZoomError(404, 1702, f"The Oauth token url validate failed: {out['token_url']}.")
    if kind == 3:
        key = out["custom_header_key"]
        if " " in key:
            raise bad("The input value can't contain space.")
        if not HEADER_KEY.match(key):
            raise bad("The custom header key can only contain letters, numbers, and -.")
        if key.lower() in RESERVED_HEADERS or key.lower().startswith("x-zm-"):
            raise bad("The custom header key is reserved by Zoom.")
    return out


def create(s: "Services", db: Db, *, account_id: str, app_id: str, body: dict[str, Any], source: str,
           validate: bool = True) -> Subscription:
    """A new subscription of `app_id` for `account_id`, after Zoom's checks and the URL's
    validation; counted against the app's 20 under a lock, so two at once can't make 21."""
    events = check_events(body.get("events"))
    url = check_url(body.get("event_webhook_url"))
    scope = check_scope(body.get("subscription_scope"))
    check_teams(body.get("team_ids"), scope)
    users = check_users(db, account_id, body.get("user_ids"))
    header = check_custom_header(body.get("custom_header"))
    name = body.get("event_subscription_name") or ""
    if not isinstance(name, str) or len(name) > 255 or "\x00" in name:
        raise bad("The event subscription name is invalid.")
    db.serialize(f"event_subscriptions:{app_id}")
    if repo.count_for_app(db, app_id) >= MAX_PER_APP:
        raise bad(f"The number of event subscriptions exceeds the limit of {MAX_PER_APP}.")
    if validate and not validate_url(url, secret_token(db, app_id), app_id, s.clock.now(), static_headers(header)):
        raise ZoomError(404, 1701, f"The event webhook url validate failed: {url}.")
    sub_id = ids.new_id()
    values = {"id": sub_id, "account_id": account_id, "app_id": app_id, "name": name, "url": url, "scope": scope,
              "events": jsonio.dumps(events).decode(), "user_ids": jsonio.dumps(users).decode(),
              "custom_header": jsonio.dumps(header).decode(), "source": source,
              "created_at": clockmod.iso(s.clock.now())}
    repo.insert_subscription(db, **values)
    s.shared.bump(db)
    found = repo.subscription(db, sub_id)
    assert found is not None
    return Subscription.of(found)


def update(s: "Services", db: Db, sub: Subscription, changes: dict[str, Any], validate: bool = True) -> Subscription:
    """Change what a subscription hears or where it sends (a new URL is validated again)."""
    values: dict[str, Any] = {}
    if "events" in changes:
        values["events"] = jsonio.dumps(check_events(changes["events"])).decode()
    if "user_ids" in changes:
        values["user_ids"] = jsonio.dumps(check_users(db, sub.account_id, changes["user_ids"])).decode()
    if "subscription_scope" in changes:
        values["scope"] = check_scope(changes["subscription_scope"])
        check_teams(changes.get("team_ids"), values["scope"])
    if "custom_header" in changes:
        values["custom_header"] = jsonio.dumps(check_custom_header(changes["custom_header"])).decode()
    if "event_subscription_name" in changes:
        name = changes["event_subscription_name"]
        if not isinstance(name, str) or len(name) > 255 or "\x00" in name:
            raise bad("The event subscription name is invalid.")
        values["name"] = name
    if "event_webhook_url" in changes:
        url = check_url(changes["event_webhook_url"])
        header = jsonio.loads(values["custom_header"]) if "custom_header" in values else sub.custom_header
        if url != sub.url and validate and not validate_url(url, secret_token(db, sub.app_id), sub.app_id,
                                                            s.clock.now(), static_headers(header)):
            raise ZoomError(404, 1701, f"The event webhook url validate failed: {url}.")
        values["url"] = url
    if values:
        repo.update_subscription(db, sub.id, **values)
        s.shared.bump(db)
    found = repo.subscription(db, sub.id)
    assert found is not None
    return Subscription.of(found)


def set_users(s: "Services", db: Db, sub: Subscription, user_ids: list[str]) -> None:
    repo.update_subscription(db, sub.id, user_ids=jsonio.dumps(user_ids).decode())
    s.shared.bump(db)


def delete(s: "Services", db: Db, sub_id: str) -> None:
    repo.delete_subscription(db, sub_id)
    s.shared.bump(db)


def of_app(db: Db, app_id: str, sub_id: str) -> Subscription:
    if "\x00" in sub_id:                 # no id has one, and PostgreSQL refuses it in a query
        raise invalid_subscription(sub_id)
    row = repo.subscription(db, sub_id)
    if row is None or row.app_id != app_id:
        raise invalid_subscription(sub_id)
    return Subscription.of(row)


def secret_token(db: Db, app_id: str) -> str:
    return apps_repo.secret_tokens(db, [app_id]).get(app_id, "")


CLI_NAME = "zoomsim --webhook-url"


def subscribe_default_app(s: "Services", url: str) -> Subscription:
    """`zoomsim serve --webhook-url URL`: the default app hears every event at URL. Replaces the
    one a previous start made; not URL-validated (the receiver may start after the server)."""
    inst = s.installation
    with s.storage.write() as db:
        db.serialize(f"event_subscriptions:{inst.client_id}")
        for row in repo.subscriptions_of_app(db, inst.client_id):
            if row.source == "default" and row.name == CLI_NAME:
                repo.delete_subscription(db, row.id)
        body = {"events": sorted(catalog.EVENT_NAMES), "event_webhook_url": url, "subscription_scope": "account",
                "event_subscription_name": CLI_NAME}
        return create(s, db, account_id=inst.account_id, app_id=inst.client_id, body=body, source="default",
                      validate=False)
