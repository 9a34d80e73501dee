"""GET /marketplace/apps/{appId}/webhook_logs over HTTP: what each try looked like (request and
response, status, failure reason), its filters, its dates' rules and the 7 days of zoomsim's clock."""
from __future__ import annotations

import json
import time
from typing import Any

import pytest

from support import Admin, Api, expect_error, free_port, new_meeting
from webhook_kit import Receiver, check_delivery, receiver, subscribe  # noqa: F401


def _logs(api: Api, **params: Any) -> dict[str, Any]:
    r = api.get(f"/marketplace/apps/{api.client_id}/webhook_logs", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _wait_logs(api: Api, count: int, **params: Any) -> list[dict[str, Any]]:
    deadline = time.time() + 10
    while True:
        found = _logs(api, **params)["webhook_logs"]
        if len(found) >= count or time.time() > deadline:
            assert len(found) >= count, found
            return found
        time.sleep(0.05)


def test_failed_then_retried_tries(clock: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    sub = subscribe(clock, api, receiver, ["meeting.created"])
    receiver.status = 500
    meeting = new_meeting(api)
    (first,) = receiver.wait(1, "meeting.created")
    check_delivery(first)
    (failed,) = _wait_logs(api, 1)                     # type 2 (failed only) is the default
    assert failed["event"] == "meeting.created" and failed["status"] == 500
    assert failed["failed_reason_type"] == 7 and failed["retry_num"] == 0
    assert failed["subscription_id"] == sub["event_subscription_id"] and failed["endpoint"] == receiver.url
    assert failed["request_body"].encode() == first.raw
    sent = json.loads(failed["request_headers"])
    assert sent["x-zm-signature"] == first.headers["x-zm-signature"]
    assert sent["x-zm-trackingid"] == failed["trace_id"] == first.headers["x-zm-trackingid"]
    assert isinstance(failed["response_headers"], str) and isinstance(failed["response_body"], str)
    assert failed["date_time"].endswith("Z") and failed["request_id"]
    assert json.loads(failed["request_body"])["payload"]["object"]["id"] == meeting["id"]
    assert _logs(api, type=3)["webhook_logs"] == []
    receiver.status = 200
    clock.clock(advance_seconds=301)
    receiver.wait(2, "meeting.created")
    both = _wait_logs(api, 2, type=1)
    assert [e["retry_num"] for e in both] == [1, 0]                 # newest first
    assert {e["request_id"] for e in both} == {failed["request_id"]}
    assert both[0]["status"] == 200 and "failed_reason_type" not in both[0]
    assert [e["retry_num"] for e in _logs(api, type=3)["webhook_logs"]] == [1]
    assert [e["retry_num"] for e in _logs(api, type=1, retry_num=0)["webhook_logs"]] == [0]
    assert _logs(api, type=1, event="meeting.deleted")["webhook_logs"] == []
    assert len(_logs(api, type=1, event="meeting.created")["webhook_logs"]) == 2
    page = _logs(api, type=1, page_size=1)
    assert [e["retry_num"] for e in page["webhook_logs"]] == [1] and page["next_page_token"]
    rest = _logs(api, type=1, page_size=1, next_page_token=page["next_page_token"])
    assert [e["retry_num"] for e in rest["webhook_logs"]] == [0]
    clock.clock(advance_seconds=8 * 86400)                          # out of the 7 days on zoomsim's clock
    api.fetch_token()
    assert _logs(api, type=1)["webhook_logs"] == []


def test_an_unreachable_endpoint(admin: Admin, api: Api) -> None:
    url = f"http://127.0.0.1:{free_port()}/gone"
    admin.call("POST", f"/accounts/{api.account_id}/apps/{api.client_id}/event_subscriptions",
               {"events": ["meeting.created"], "event_webhook_url": url, "validate": False})
    new_meeting(api)
    (entry,) = _wait_logs(api, 1)
    assert entry["status"] == -1 and entry["failed_reason_type"] == 2 and entry["endpoint"] == url


def test_date_rules(clock: Admin, api: Api) -> None:
    clock.clock(now="2031-05-10T12:00:00Z")
    api.fetch_token()
    path = f"/marketplace/apps/{api.client_id}/webhook_logs"
    assert _logs(api, **{"from": "2031-05-05T00:00:00Z", "to": "2031-05-10T00:00:00Z"})["webhook_logs"] == []
    expect_error(api.get(path, params={"from": "2031-05-09T00:00:00Z", "to": "2031-05-08T00:00:00Z"}), 404, 1501,
                 "The 'to' date must be after the 'from' date.")
    expect_error(api.get(path, params={"from": "2031-05-01T00:00:00Z"}), 404, 1502,
                 "The date range must be within the last seven days.")
    expect_error(api.get(path, params={"from": "2031-05-09"}), 404, 1503,
                 "The dates must follow the format: yyyy-MM-dd'T'HH:mm:ss'Z'.")
    expect_error(api.get(path, params={"to": "yesterday"}), 404, 1503)
    expect_error(api.get(path, params={"from": "2031-05-11T00:00:00Z"}), 404, 1504,
                 "The 'from' date must be before the current date(UTC).")


def test_retry_num_out_of_range_is_refused(api: Api) -> None:
    for bad in ("4", "-1", "x"):
        r = api.get(f"/marketplace/apps/{api.client_id}/webhook_logs", params={"retry_num": bad})
        assert r.status_code == 400 and r.json()["code"] in (300, 1506), r.text


def test_retry_num_out_of_range_is_1506(api: Api) -> None:
    expect_error(api.get(f"/marketplace/apps/{api.client_id}/webhook_logs", params={"retry_num": "4"}), 400, 1506,
                 "The 'retry_num' value must be an integer within the range of 0 to 3.")


def test_another_accounts_app_is_1401(admin: Admin, api: Api) -> None:
    other = admin.tenant()
    expect_error(api.get(f"/marketplace/apps/{other.client_id}/webhook_logs"), 404, 1401,
                 f"APP ID does not exist: {other.client_id}.")
    expect_error(api.get("/marketplace/apps/nosuchapp/webhook_logs"), 404, 1401)


def test_the_scope_is_needed(admin: Admin) -> None:
    api = admin.tenant(scopes=["meeting:read:admin", "meeting:write:admin"])
    r = api.get(f"/marketplace/apps/{api.client_id}/webhook_logs")
    expect_error(r, 400, 4711)
    assert "marketplace_app:read" in r.json()["message"]
