"""The admin API's webhook side: an app's secret token (shown, rotated), its event subscriptions
(with `"validate": false`), the deliveries with every try, and Zoom's envelope for bad input."""
from __future__ import annotations

from typing import Any

import httpx

from support import Admin, Api, expect_error, free_port, new_meeting
from webhook_kit import Receiver, check_delivery, receiver, secret_token, subscribe  # noqa: F401


def _raw(admin: Admin, method: str, path: str, json: Any = None, **params: Any) -> httpx.Response:
    return admin.http.request(method, "/_zoomsim" + path, json=json, params=params or None)


def _subs(api: Api) -> str:
    return f"/accounts/{api.account_id}/apps/{api.client_id}/event_subscriptions"


def test_secret_token_is_shown(admin: Admin, api: Api) -> None:
    token = secret_token(admin, api)
    assert isinstance(token, str) and len(token) >= 8
    made = admin.call("POST", f"/accounts/{api.account_id}/apps", {"scopes": "all"})
    assert isinstance(made["secret_token"], str) and made["secret_token"] != token
    apps = admin.call("GET", f"/accounts/{api.account_id}")["apps"]
    assert {a["client_id"]: a["secret_token"] for a in apps}[made["client_id"]] == made["secret_token"]
    info = admin.call("GET", "/")
    default = admin.call("GET", f"/accounts/{info['account_id']}")["apps"]
    assert info["secret_token"] == next(a["secret_token"] for a in default if a["client_id"] == info["client_id"])


def test_rotating_signs_later_deliveries_with_the_new_token(admin: Admin, api: Api,
                                                            receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["meeting.created"])
    old = receiver.secret
    rotated = admin.call("POST", f"/accounts/{api.account_id}/apps/{api.client_id}/secret_token", {})
    assert rotated["client_id"] == api.client_id and rotated["secret_token"] != old
    assert secret_token(admin, api) == rotated["secret_token"]
    receiver.secret = rotated["secret_token"]
    new_meeting(api)
    (d,) = receiver.wait(1, "meeting.created")
    check_delivery(d)                                   # verified with the new token
    chosen = admin.call("POST", f"/accounts/{api.account_id}/apps/{api.client_id}/secret_token",
                        {"secret_token": "my-own-token-1234"})
    assert chosen["secret_token"] == "my-own-token-1234"
    receiver.secret = "my-own-token-1234"
    new_meeting(api)
    check_delivery(receiver.wait(2, "meeting.created")[1])
    for bad in ({"secret_token": "short"}, {"secret_token": 12345678}, {"secret_token": "x" * 65}):
        assert _raw(admin, "POST", f"/accounts/{api.account_id}/apps/{api.client_id}/secret_token",
                    bad).json()["code"] == 300
    expect_error(_raw(admin, "POST", f"/accounts/{api.account_id}/apps/nosuch/secret_token", {}), 404, 404)
    expect_error(_raw(admin, "POST", f"/accounts/nosuch/apps/{api.client_id}/secret_token", {}), 404, 404)


def test_subscriptions_crud(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    receiver.secret = secret_token(admin, api)
    quiet = admin.call("POST", _subs(api), {"events": ["meeting.created"], "event_webhook_url": receiver.url,
                                             "validate": False, "event_subscription_name": "quiet"})
    assert receiver.validations == [] and quiet["subscription_scope"] == "account"
    assert quiet["created_source"] == "default" and quiet["event_subscription_name"] == "quiet"
    checked = subscribe(admin, api, receiver, ["meeting.deleted"])
    assert len(receiver.validations) == 1
    listed = admin.call("GET", _subs(api))["event_subscriptions"]
    assert [e["event_subscription_id"] for e in listed] == [quiet["event_subscription_id"],
                                                            checked["event_subscription_id"]]
    one = f"{_subs(api)}/{quiet['event_subscription_id']}"
    changed = admin.call("PATCH", one, {"events": ["meeting.created", "meeting.updated"]})
    assert changed["events"] == ["meeting.created", "meeting.updated"]
    gone = f"http://127.0.0.1:{free_port()}/x"
    expect_error(_raw(admin, "PATCH", one, {"event_webhook_url": gone}), 404, 1701)
    assert admin.call("GET", _subs(api))["event_subscriptions"][0]["event_webhook_url"] == receiver.url
    assert admin.call("PATCH", one, {"event_webhook_url": gone, "validate": False})["event_webhook_url"] == gone
    assert _raw(admin, "DELETE", one).status_code == 204
    expect_error(_raw(admin, "DELETE", one), 404, 1601)
    expect_error(_raw(admin, "PATCH", one, {"events": ["meeting.created"]}), 404, 1601)
    assert len(admin.call("GET", _subs(api))["event_subscriptions"]) == 1


def test_subscription_bad_input(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    ok = {"events": ["meeting.created"], "event_webhook_url": receiver.url}
    expect_error(_raw(admin, "POST", _subs(api), {**ok, "validate": "no"}), 400, 300)
    expect_error(_raw(admin, "POST", _subs(api), {**ok, "events": "meeting.created"}), 400, 1500)
    expect_error(_raw(admin, "POST", _subs(api), {**ok, "events": [7]}), 404, 1601)
    expect_error(_raw(admin, "POST", _subs(api), {**ok, "event_webhook_url": 5}), 400, 1500)
    expect_error(_raw(admin, "POST", _subs(api), {**ok, "subscription_scope": "galaxy"}), 400, 1500)
    expect_error(_raw(admin, "POST", _subs(api), {**ok, "user_ids": "abc"}), 400, 1500)
    expect_error(_raw(admin, "POST", _subs(api), {**ok, "custom_header": {"custom_header_type": "1"}}), 404, 1801)
    expect_error(_raw(admin, "POST", _subs(api), {**ok, "event_subscription_name": ["x"]}), 400, 1500)
    expect_error(_raw(admin, "POST", _subs(api), [1, 2]), 400, 300)
    r = admin.http.post("/_zoomsim" + _subs(api), content=b"{nope", headers={"content-type": "application/json"})
    expect_error(r, 400, 300)
    expect_error(_raw(admin, "POST", f"/accounts/{api.account_id}/apps/nosuch/event_subscriptions", ok), 404, 404)
    other = admin.tenant()
    expect_error(_raw(admin, "GET", f"/accounts/{api.account_id}/apps/{other.client_id}/event_subscriptions"),
                 404, 404)
    made = admin.call("POST", _subs(other), {**ok, "validate": False})
    expect_error(_raw(admin, "DELETE", f"{_subs(api)}/{made['event_subscription_id']}"), 404, 1601)
    expect_error(_raw(admin, "PATCH", f"{_subs(other)}/{made['event_subscription_id']}", {"events": []}), 400, 1500)
    assert admin.call("GET", _subs(api))["event_subscriptions"] == []


def test_deliveries_listing(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    sub = subscribe(admin, api, receiver, ["meeting.created"])
    first = new_meeting(api)
    receiver.wait(1, "meeting.created")
    new_meeting(api)
    receiver.wait(2, "meeting.created")
    mine = {"account_id": api.account_id}

    def listed(**params: Any) -> list[dict[str, Any]]:
        r = _raw(admin, "GET", "/webhooks/deliveries", **{**mine, **params})
        assert r.status_code == 200, r.text
        return r.json()["deliveries"]  # type: ignore[no-any-return]
    both = [d for d in listed() if d["state"] == "delivered"]
    assert [d["event"] for d in listed()] == ["meeting.created", "meeting.created"] and len(both) == 2
    d = both[0]
    assert d["app_id"] == api.client_id and d["subscription_id"] == sub["event_subscription_id"]
    assert d["url"] == receiver.url and d["attempts"] == 1 and d["next_retry"] is None
    assert d["body"]["payload"]["object"]["id"] == first["id"] and d["request_id"] and d["trace_id"]
    (t,) = d["tries"]
    assert t["retry_num"] == 0 and t["status"] == 200 and t["ok"] is True and t["failed_reason_type"] is None
    assert t["request_headers"]["x-zm-trackingid"] == d["trace_id"]
    assert len(listed(event="meeting.created")) == 2 and listed(event="meeting.deleted") == []
    assert listed(state="pending") == [] and listed(state="failed") == []
    assert len(listed(app_id=api.client_id)) == 2 and listed(app_id="nosuch") == []
    assert [x["seq"] for x in listed(limit=1)] == [d["seq"]]
    assert [x["seq"] for x in listed(after=d["seq"])] == [both[1]["seq"]]
    expect_error(_raw(admin, "GET", "/webhooks/deliveries", state="lost"), 400, 300)
    expect_error(_raw(admin, "GET", "/webhooks/deliveries", after="x"), 400, 300)
    expect_error(_raw(admin, "GET", "/webhooks/deliveries", limit="many"), 400, 300)
    expect_error(_raw(admin, "GET", "/webhooks/deliveries", {"app_id": 5}), 400, 300)


def test_failed_tries_are_listed(clock: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(clock, api, receiver, ["meeting.created"])
    receiver.status = 503
    new_meeting(api)
    receiver.wait(1, "meeting.created")

    def pending() -> list[dict[str, Any]]:
        import time
        deadline = time.time() + 10
        while True:
            found = clock.call("GET", f"/webhooks/deliveries?account_id={api.account_id}&state=pending")["deliveries"]
            if (found and found[0]["tries"]) or time.time() > deadline:
                return found  # type: ignore[no-any-return]
            time.sleep(0.05)
    (d,) = pending()
    assert d["attempts"] == 1 and d["next_retry"] and d["tries"][0]["status"] == 503
    assert d["tries"][0]["ok"] is False and d["tries"][0]["failed_reason_type"] == 7
