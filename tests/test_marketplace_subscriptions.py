"""Zoom's event-subscription operations over HTTP: create (URL validated on the spot, custom
headers, the cap of 20), list, unsubscribe, subscribe, delete, each with its documented errors."""
from __future__ import annotations

import base64
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from support import Admin, Api, Server, expect_error, free_port, new_meeting
from webhook_kit import Receiver, check_delivery, receiver, secret_token  # noqa: F401

PATH = "/marketplace/app/event_subscription"


def _create(api: Api, receiver: Receiver, admin: Admin, **body: Any) -> httpx.Response:  # noqa: F811
    receiver.secret = secret_token(admin, api)
    body.setdefault("events", ["meeting.created"])
    body.setdefault("event_webhook_url", receiver.url)
    body.setdefault("subscription_scope", "account")
    body.setdefault("account_id", api.account_id)
    return api.post(PATH, json=body)


def _made(r: httpx.Response) -> str:
    assert r.status_code == 201, r.text
    return str(r.json()["event_subscription_id"])


def _listed(api: Api, **params: Any) -> list[dict[str, Any]]:
    params.setdefault("account_id", api.account_id)
    params.setdefault("user_id", api.owner_id)
    r = api.get(PATH, params=params)
    assert r.status_code == 200, r.text
    return r.json()["event_subscriptions"]  # type: ignore[no-any-return]


def _stored(admin: Admin, api: Api) -> list[dict[str, Any]]:
    return admin.call("GET", f"/accounts/{api.account_id}/apps/{api.client_id}/event_subscriptions")[
        "event_subscriptions"]


# ---- create: url validation -----------------------------------------------------------------------

def test_create_validates_the_url_and_delivers(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    sub_id = _made(_create(api, receiver, admin, event_subscription_name="Mine"))
    (v,) = receiver.validations
    assert v.signature_ok and v.fresh
    assert set(v.body) == {"payload", "event_ts", "event"} and v.body["event"] == "endpoint.url_validation"
    assert isinstance(v.body["payload"]["plainToken"], str) and v.body["payload"]["plainToken"]
    assert v.headers["clientid"] == api.client_id
    (entry,) = _listed(api)
    assert entry["event_subscription_id"] == sub_id
    assert entry["event_subscription_name"] == "Mine" and entry["created_source"] == "openapi"
    assert entry["events"] == ["meeting.created"] and entry["subscription_scope"] == "account"
    assert entry["event_webhook_url"] == receiver.url and entry["subscriber_id"] == api.account_id
    meeting = new_meeting(api)
    (d,) = receiver.wait(1, "meeting.created")
    check_delivery(d)
    assert d.body["payload"]["object"]["id"] == meeting["id"]


@pytest.mark.parametrize("mode", ["wrong", "none", "status"])
def test_a_wrong_validation_answer_is_1701(admin: Admin, api: Api, receiver: Receiver, mode: str) -> None:  # noqa: F811
    receiver.validation = mode
    expect_error(_create(api, receiver, admin), 404, 1701, f"The event webhook url validate failed: {receiver.url}.")
    assert len(receiver.validations) == 1
    assert _stored(admin, api) == []


def test_an_unreachable_url_is_1701(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    url = f"http://127.0.0.1:{free_port()}/hook"
    expect_error(_create(api, receiver, admin, event_webhook_url=url), 404, 1701,
                 f"The event webhook url validate failed: {url}.")
    expect_error(_create(api, receiver, admin, event_webhook_url="ftp://example.com/x"), 404, 1701)
    assert _stored(admin, api) == []


class _Slow:
    """A receiver that answers url validation rightly, but after 3.5 s."""

    def __init__(self, secret: str) -> None:
        import hashlib
        import hmac
        import json

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)))
                plain = body["payload"]["plainToken"]
                out = json.dumps({"plainToken": plain, "encryptedToken": hmac.new(
                    secret.encode(), plain.encode(), hashlib.sha256).hexdigest()}).encode()
                time.sleep(3.5)
                try:
                    self.send_response(200)
                    self.send_header("content-length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slow"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_a_slow_validation_answer_is_1701(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    slow = _Slow(secret_token(admin, api))
    try:
        expect_error(_create(api, receiver, admin, event_webhook_url=slow.url), 404, 1701)
    finally:
        slow.server.shutdown()
    assert _stored(admin, api) == []


# ---- create: the body's rules ---------------------------------------------------------------------

def test_create_errors(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    expect_error(_create(api, receiver, admin, events=[]), 400, 1500, "The events list is empty.")
    expect_error(_create(api, receiver, admin, events=["meeting.created", "meeting.nope"]), 404, 1601,
                 "App event not exists: meeting.nope")
    expect_error(_create(api, receiver, admin, event_webhook_url=""), 400, 1500, "The event webhook url is empty.")
    expect_error(_create(api, receiver, admin, subscription_scope="user", user_ids=["nobody"]), 404, 1001,
                 "User does not exist or does not belong to this account: nobody.")
    expect_error(_create(api, receiver, admin, account_id="someone-else"), 400, 1300,
                 "The user don't authorize the app: someone-else.")
    r = api.post(PATH, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == 300
    assert _stored(admin, api) == []
    assert receiver.validations == []


def test_a_bad_scope_is_1500(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    expect_error(_create(api, receiver, admin, subscription_scope="galaxy"), 400, 1500,
                 "The subscription scope is invalid.")


def test_a_bad_scope_is_refused(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    r = _create(api, receiver, admin, subscription_scope="galaxy")
    assert r.status_code == 400 and r.json()["code"] in (300, 1500)
    assert _stored(admin, api) == []


def test_basic_custom_header(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    expect_error(_create(api, receiver, admin, custom_header={"custom_header_type": 1, "password": "p"}), 400, 1500,
                 "The username is required.")
    expect_error(_create(api, receiver, admin, custom_header={"custom_header_type": 1, "username": "u"}), 400, 1500,
                 "The password is required.")
    _made(_create(api, receiver, admin, custom_header={"custom_header_type": 1, "username": "zoom", "password": "pw"}))
    basic_auth = "Basic " + base64.b64encode(b"zoom:pw").decode()
    assert receiver.validations[-1].headers["authorization"] == basic_auth      # the challenge carries it too
    (entry,) = _listed(api)
    assert entry["custom_header"]["custom_header_type"] == 1
    new_meeting(api)
    (d,) = receiver.wait(1, "meeting.created")
    check_delivery(d)
    assert d.headers["authorization"] == basic_auth


def test_key_value_custom_header(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    def header(key: str, value: str = "v") -> httpx.Response:
        return _create(api, receiver, admin, custom_header={"custom_header_type": 3, "custom_header_key": key,
                                                            "custom_header_value": value})
    expect_error(header("x-zm-signature"), 400, 1500, "The custom header key is reserved by Zoom.")
    expect_error(header("Authorization"), 400, 1500, "The custom header key is reserved by Zoom.")
    expect_error(header("x-my-key", "a\nb"), 400, 1500, "The input value can't contain line feed.")
    expect_error(_create(api, receiver, admin, custom_header={"custom_header_type": 3, "custom_header_value": "v"}),
                 400, 1500, "The custom header key is required.")
    expect_error(_create(api, receiver, admin, custom_header={"custom_header_type": 3, "custom_header_key": "k"}),
                 400, 1500, "The custom header value is required.")
    # the table's pattern / maxLength (300) answer these before Zoom's own 1500 could
    for r in (header("has space"), header("under_score"), header("k" * 257), header("x-my-key", "v" * 257)):
        assert r.status_code == 400 and r.json()["code"] in (300, 1500), r.text
    bad_type = _create(api, receiver, admin, custom_header={"custom_header_type": 7})
    assert bad_type.status_code in (400, 404) and bad_type.json()["code"] in (300, 1801), bad_type.text
    assert _stored(admin, api) == []
    _made(header("X-Api-Key", "s3cret"))
    assert receiver.validations[-1].headers["x-api-key"] == "s3cret"
    new_meeting(api)
    (d,) = receiver.wait(1, "meeting.created")
    check_delivery(d)
    assert d.headers["x-api-key"] == "s3cret"


# ---- the cap ----------------------------------------------------------------------------------------

def test_twenty_per_app(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    for i in range(20):
        _made(_create(api, receiver, admin, event_subscription_name=f"s{i}"))
    expect_error(_create(api, receiver, admin), 400, 1500)
    assert len(_stored(admin, api)) == 20
    other = admin.tenant()
    _made(_create(other, receiver, admin))        # the cap is per app


def test_twenty_per_app_across_servers(admin: Admin, api: Api, receiver: Receiver, backend: str) -> None:  # noqa: F811
    if not backend.startswith("postgresql"):
        pytest.skip("two servers on one database: PostgreSQL")
    second = Server(backend, rate_limits=False).start()
    receiver.secret = secret_token(admin, api)
    try:
        urls = [api.server.url, second.url]

        def create(i: int) -> int:
            with httpx.Client(base_url=urls[i % 2], timeout=60) as http:
                return http.post("/v2" + PATH, headers={"Authorization": f"Bearer {api.token}"},
                                 json={"events": ["meeting.created"], "event_webhook_url": receiver.url,
                                       "subscription_scope": "account", "account_id": api.account_id}).status_code
        with ThreadPoolExecutor(25) as pool:
            codes = list(pool.map(create, range(25)))
    finally:
        second.stop()
    assert codes.count(201) == 20 and codes.count(400) == 5, codes
    assert len(_stored(admin, api)) == 20


# ---- list -------------------------------------------------------------------------------------------

def test_list_filters_and_pages(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    member = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": f"m{time.time_ns()}@example.com"})
    acct = _made(_create(api, receiver, admin))
    mine = _made(_create(api, receiver, admin, subscription_scope="user", user_ids=[api.owner_id]))
    theirs = _made(_create(api, receiver, admin, subscription_scope="user", user_ids=[member["id"]]))
    assert {e["event_subscription_id"] for e in _listed(api)} == {acct, mine}
    assert {e["event_subscription_id"] for e in _listed(api, user_id=member["id"])} == {acct, theirs}
    assert [e["event_subscription_id"] for e in _listed(api, subscription_scope="user")] == [mine]
    assert [e["event_subscription_id"] for e in _listed(api, subscription_scope="account")] == [acct]
    seen, token = [], ""
    for _ in range(3):
        r = api.get(PATH, params={"account_id": api.account_id, "user_id": api.owner_id, "page_size": 1,
                                  "next_page_token": token})
        assert r.status_code == 200, r.text
        seen += [e["event_subscription_id"] for e in r.json()["event_subscriptions"]]
        token = r.json()["next_page_token"]
        if not token:
            break
    assert seen == [acct, mine]
    assert {e["event_subscription_id"] for e in _listed(api, user_id="me")} == {acct, mine}
    expect_error(api.get(PATH, params={"account_id": "elsewhere", "user_id": api.owner_id}), 400, 1300)
    expect_error(api.get(PATH, params={"account_id": api.account_id, "user_id": "nobody"}), 404, 1001,
                 "User does not exist or does not belong to this account.")
    r = api.get(PATH, params={"account_id": api.account_id})       # user_id is required
    assert r.status_code == 400 and r.json()["code"] == 300
    assert admin.tenant() and _listed(admin.tenant()) == []         # another app sees none of them


# ---- unsubscribe, subscribe, delete -------------------------------------------------------------------

def test_unsubscribe(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    member = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": f"u{time.time_ns()}@example.com"})
    sub = _made(_create(api, receiver, admin, subscription_scope="user", user_ids=[api.owner_id, member["id"]]))
    q = {"event_subscription_id": sub, "account_id": api.account_id}
    expect_error(api.delete(PATH, params={**q, "user_ids": "nobody"}), 404, 1001)
    assert api.delete(PATH, params={**q, "user_ids": member["id"]}).status_code == 204
    assert _listed(api, user_id=member["id"]) == []
    assert [e["event_subscription_id"] for e in _listed(api)] == [sub]
    assert api.delete(PATH, params=q).status_code == 204          # no user_ids: the subscription goes
    assert _stored(admin, api) == []
    expect_error(api.delete(PATH, params=q), 404, 1601, f"App event subscription is invalid: {sub}")


def test_subscribe_adds_users(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    member = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": f"s{time.time_ns()}@example.com"})
    sub = _made(_create(api, receiver, admin, subscription_scope="user", user_ids=[api.owner_id]))
    assert _listed(api, user_id=member["id"]) == []
    r = api.patch(f"{PATH}/{sub}", json={"account_id": api.account_id, "user_ids": [member["id"]]})
    assert r.status_code == 204, r.text
    assert [e["event_subscription_id"] for e in _listed(api, user_id=member["id"])] == [sub]
    expect_error(api.patch(f"{PATH}/{sub}", json={"account_id": api.account_id, "user_ids": ["nobody"]}), 404, 1001)
    expect_error(api.patch(f"{PATH}/{sub}", json={"account_id": "elsewhere"}), 400, 1002,
                 "The user don't authorize the app: elsewhere.")
    expect_error(api.patch(f"{PATH}/nosuch", json={"account_id": api.account_id}), 404, 1601,
                 "App event subscription is invalid: nosuch")


def test_delete(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    sub = _made(_create(api, receiver, admin))
    assert api.delete(f"{PATH}/{sub}").status_code == 204
    assert _stored(admin, api) == []
    expect_error(api.delete(f"{PATH}/{sub}"), 404, 1601, f"App event subscription is invalid: {sub}")


def test_another_apps_subscription_is_1601(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    sub = _made(_create(api, receiver, admin))
    other = admin.tenant()
    expect_error(other.delete(f"{PATH}/{sub}"), 404, 1601)
    expect_error(other.patch(f"{PATH}/{sub}", json={"account_id": other.account_id}), 404, 1601)
    expect_error(other.delete(PATH, params={"event_subscription_id": sub, "account_id": other.account_id}), 404, 1601)
    assert len(_stored(admin, api)) == 1


def test_teams_are_unknown(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    """zoomsim's accounts have no teams: naming one, or a team scope, gets Zoom's 1500."""
    expect_error(_create(api, receiver, admin, subscription_scope="team"), 400, 1500,
                 "Team does not exist or does not belong to this account.")
    expect_error(_create(api, receiver, admin, team_ids=["T1"]), 400, 1500,
                 "Team does not exist or does not belong to this account: T1.")
    sub = _made(_create(api, receiver, admin))
    expect_error(api.get(PATH, params={"account_id": api.account_id, "user_id": api.owner_id, "team_id": "T2"}),
                 400, 1500, "Team does not exist or does not belong to this account: T2.")
    expect_error(api.delete(PATH, params={"event_subscription_id": sub, "account_id": api.account_id,
                                          "team_ids": "T3,T4"}), 400, 1500,
                 "Team does not exist or does not belong to this account: T3.")
    expect_error(api.delete(PATH, params={"event_subscription_id": sub, "account_id": api.account_id,
                                          "team_ids": ",".join(f"T{i}" for i in range(11))}), 400, 1500,
                 "The size of team_ids exceed maximum.")
    expect_error(api.patch(f"{PATH}/{sub}", json={"account_id": api.account_id, "team_ids": ["T5"]}), 400, 1500,
                 "Team does not exist or does not belong to this account: T5.")
    assert [e["event_subscription_id"] for e in _listed(api)] == [sub]


def test_odd_input_gets_the_envelope(admin: Admin, api: Api) -> None:
    """A NUL in a path id or a header value, a URL no client can parse: Zoom's answers, never a 500."""
    api.check_schema = False
    expect_error(api.delete(f"{PATH}/%00"), 404, 1601)
    expect_error(api.patch(f"{PATH}/%00", json={"account_id": api.account_id}), 404, 1601)
    expect_error(api.get("/marketplace/apps/%00/webhook_logs"), 404, 1401)
    for url in ("http://[::1/", "http://exa mple.com/", "http://127.0.0.1:99999/"):
        body = {"events": ["meeting.created"], "event_webhook_url": url, "subscription_scope": "account"}
        expect_error(api.post(PATH, json=body), 404, 1701)
    subs = f"/_zoomsim/accounts/{api.account_id}/apps/{api.client_id}/event_subscriptions"
    base = {"events": ["meeting.created"], "event_webhook_url": "http://127.0.0.1:1/", "validate": False}
    expect_error(admin.http.post(subs, json={**base, "custom_header": {
        "custom_header_type": 3, "custom_header_key": "k", "custom_header_value": "v\x00"}}), 400, 1500)
    expect_error(admin.http.post(subs, json={**base, "event_subscription_name": "a\x00"}), 400, 1500)
    expect_error(admin.http.get("/_zoomsim/webhooks/deliveries", params={"app_id": "a\x00"}), 400, 300)
    assert _stored(admin, api) == []
