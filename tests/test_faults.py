"""Fault injection over HTTP, both backends: rules through the admin API, each effect, each way
of matching, the determinism claim, counts, expiry on zoomsim's clock, no state change behind a
faulted request, the token endpoint, the API-call log's mark, and real clients under a 429."""
from __future__ import annotations

import time
from typing import Any, Iterator

import httpx
import pytest

from support import Admin, Api, expect_error, new_meeting
from ui_kit import Dashboard

QPS = "You have reached the maximum per-second rate limit for this API. Try again later."


@pytest.fixture
def faults(admin: Admin) -> Iterator[Admin]:
    """The admin client; every rule is gone after the test (rules are server-wide)."""
    yield admin
    admin.call("DELETE", "/faults")


def rule(admin: Admin, **body: Any) -> dict[str, Any]:
    return admin.call("POST", "/faults", body)  # type: ignore[no-any-return]


def test_a_429_with_zooms_headers_and_no_state_change(faults: Admin, api: Api) -> None:
    r0 = rule(faults, match={"operation": "meetingCreate", "account_id": api.account_id}, effect={"status": 429})
    assert r0["matched"] == 0 and r0["fired"] == 0 and r0["probability"] == 1
    before = api.get("/users/me/meetings").json()["total_records"]
    r = api.post("/users/me/meetings", json={"topic": "never made"})
    assert r.status_code == 429 and r.json() == {"code": 429, "message": QPS}
    assert r.headers["Retry-After"] == "1" and r.headers["X-RateLimit-Remaining"] == "0"
    assert r.headers["X-RateLimit-Category"] == "Medium" and r.headers["X-RateLimit-Type"] == "QPS"
    assert api.get("/users/me/meetings").json()["total_records"] == before       # nothing was written
    assert api.get("/users/me").status_code == 200                               # other operations untouched
    listed = faults.call("GET", f"/faults/{r0['id']}")
    assert listed["matched"] == 1 and listed["fired"] == 1


@pytest.mark.parametrize("effect,status,body", [
    ({"status": 500}, 500, {"code": 500, "message": "Internal Server Error."}),
    ({"status": 503, "retry_after": 7}, 503, {"code": 503, "message": "Service Unavailable. Try again later."}),
    ({"status": 401}, 401, {"code": 124, "message": "Invalid access token."}),
    ({"status": 404, "code": 3001, "message": "Meeting does not exist: 1."}, 404,
     {"code": 3001, "message": "Meeting does not exist: 1."}),
    ({"status": 502, "body": {"anything": ["as", "is"]}}, 502, {"anything": ["as", "is"]}),
])
def test_error_effects(faults: Admin, api: Api, effect: dict[str, Any], status: int, body: Any) -> None:
    rule(faults, match={"operation": "user", "app_id": api.client_id}, effect=effect)
    r = api.get("/users/me")
    assert r.status_code == status and r.json() == body
    if "retry_after" in effect:
        assert r.headers["Retry-After"] == "7"


def test_latency_then_the_real_answer(faults: Admin, api: Api) -> None:
    rule(faults, match={"operation": "user", "app_id": api.client_id}, effect={"latency_ms": 400})
    started = time.monotonic()
    r = api.get("/users/me")
    assert r.status_code == 200 and r.json()["id"] == api.owner_id
    assert time.monotonic() - started >= 0.4


def test_drop_closes_the_connection(faults: Admin, api: Api) -> None:
    rule(faults, match={"operation": "meetingCreate", "app_id": api.client_id}, effect={"drop": True}, times=1)
    before = api.get("/users/me/meetings").json()["total_records"]
    with pytest.raises(httpx.TransportError):
        httpx.post(api.server.url + "/v2/users/me/meetings", json={"topic": "dropped"}, timeout=10,
                   headers={"Authorization": f"Bearer {api.token}"})
    assert api.get("/users/me/meetings").json()["total_records"] == before
    assert api.post("/users/me/meetings", json={"topic": "after"}).status_code == 201     # times=1: used up


def test_matching(faults: Admin, admin: Admin, api: Api) -> None:
    other = admin.tenant()
    rule(faults, match={"operation": "meetings", "method": "GET", "app_id": api.client_id}, effect={"status": 500})
    assert api.get("/users/me/meetings").status_code == 500                  # the family, this method
    assert api.post("/users/me/meetings", json={"topic": "x"}).status_code == 201    # another method
    assert api.get("/users/me").status_code == 200                           # another family
    assert other.get("/users/me/meetings").status_code == 200                # another app
    faults.call("DELETE", "/faults")
    rule(faults, match={"operation": "*", "account_id": other.account_id}, effect={"status": 503})
    assert other.get("/users/me").status_code == 503 and other.get("/users/me/meetings").status_code == 503
    assert api.get("/users/me").status_code == 200
    assert other.fetch_token()                                               # "*" leaves the token endpoint alone


def test_nth_and_times(faults: Admin, api: Api) -> None:
    rule(faults, match={"operation": "user", "app_id": api.client_id, "nth": 3}, effect={"status": 500})
    assert [api.get("/users/me").status_code for _ in range(5)] == [200, 200, 500, 200, 200]
    faults.call("DELETE", "/faults")
    made = rule(faults, match={"operation": "user", "app_id": api.client_id}, effect={"status": 500}, times=2)
    assert [api.get("/users/me").status_code for _ in range(4)] == [500, 500, 200, 200]
    seen = faults.call("GET", f"/faults/{made['id']}")
    assert seen["matched"] == 4 and seen["fired"] == 2 and seen["times"] == 2


def test_the_same_seed_injects_the_same_faults(faults: Admin, api: Api) -> None:
    def pattern(seed: int) -> list[int]:
        faults.call("DELETE", "/faults")
        rule(faults, match={"operation": "user", "app_id": api.client_id}, effect={"status": 500},
             probability=0.5, seed=seed)
        return [api.get("/users/me").status_code for _ in range(24)]

    first = pattern(7)
    assert 500 in first and 200 in first
    # the draws depend on (seed, k) only: a rule made again with the seed faults the same calls
    from zoomsim.faults.rules import draw
    assert first == [500 if draw(7, k, "fire") < 0.5 else 200 for k in range(1, 25)]
    assert pattern(7) == first
    assert pattern(8) != first


def test_expiry_on_zoomsims_clock(faults: Admin, clock: Admin, api: Api) -> None:
    clock.clock(now="2026-06-01T12:00:00Z")
    api.fetch_token()
    made = rule(faults, match={"operation": "user", "app_id": api.client_id}, effect={"status": 500}, expires_in=60)
    assert made["expires_at"] == "2026-06-01T12:01:00Z"
    assert api.get("/users/me").status_code == 500
    clock.clock(advance_seconds=61)
    assert api.get("/users/me").status_code == 200


def test_token_endpoint_faults(faults: Admin, api: Api) -> None:
    rule(faults, match={"operation": "token", "app_id": api.client_id},
         effect={"status": 401, "body": {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}})
    r = httpx.post(api.server.url + "/oauth/token", params={"grant_type": "account_credentials",
                                                            "account_id": api.account_id},
                   auth=(api.client_id, api.client_secret))
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    assert api.get("/users/me").status_code == 200          # the token already held still works
    faults.call("DELETE", "/faults")
    rule(faults, match={"operation": "token"}, effect={"status": 503})
    r = httpx.post(api.server.url + "/oauth/token", params={"grant_type": "account_credentials",
                                                            "account_id": api.account_id},
                   auth=(api.client_id, api.client_secret))
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"


def test_a_slow_token_endpoint_still_answers(faults: Admin, api: Api) -> None:
    rule(faults, match={"operation": "token", "app_id": api.client_id}, effect={"latency_ms": 300}, times=1)
    ask = {"grant_type": "account_credentials", "account_id": api.account_id}
    started = time.monotonic()
    r = httpx.post(api.server.url + "/oauth/token", params=ask, auth=(api.client_id, api.client_secret))
    assert r.status_code == 200 and r.json()["token_type"] == "bearer"
    assert time.monotonic() - started >= 0.3          # held back, then the real answer
    api.token = r.json()["access_token"]
    assert api.get("/users/me").status_code == 200


def test_faulted_calls_are_marked_in_the_call_log(faults: Admin, api: Api) -> None:
    made = rule(faults, match={"operation": "user", "app_id": api.client_id}, effect={"status": 500}, times=1)
    api.get("/users/me")
    api.get("/users/me")
    api.server.app.services.calls.flush()
    from zoomsim.storage import calls as repo
    with api.server.app.services.storage.read() as db:
        rows = repo.recent(db, app_id=api.client_id, operation_id="user", limit=2)
    assert [(r.status, r.fault) for r in rows] == [(200, None), (500, made["id"])]
    board = Dashboard(api.server).sign_in()
    listing = board.get("/calls", params={"app": api.client_id})
    assert listing.text.count('class="badge warn fault"') == 1
    detail = board.get(f"/calls/{rows[1].seq}")
    assert f"answered by fault rule <code>{made['id']}</code>" in detail.text


def test_bad_rules_are_refused(faults: Admin) -> None:
    http = faults.http
    for body, field in [({"effect": {}}, "effect"), ({"effect": {"status": 200}}, "effect.status"),
                        ({"effect": {"latency_ms": -1}}, "effect.latency_ms"),
                        ({"effect": {"latency": {"distribution": "pareto"}}}, "effect.latency.distribution"),
                        ({"effect": {"drop": True}, "probability": 2}, "probability"),
                        ({"effect": {"drop": True}, "match": {"nth": 0}}, "match.nth"),
                        ({"effect": {"drop": True}, "match": {"colour": "red"}}, "match"),
                        ({"effect": {"drop": True}, "times": "3"}, "times"),
                        ({"effect": {"drop": True}, "expires_at": "soon"}, "expires_at"),
                        ({"effect": {"status": 500, "colour": 1}}, "effect.colour")]:
        r = http.post("/_zoomsim/faults", json=body)
        assert r.status_code == 400 and r.json()["code"] == 300, (body, r.text)
        assert r.json()["errors"][0]["field"] == field, (body, r.text)
    expect_error(http.get("/_zoomsim/faults/nope"), 404, 404)
    expect_error(http.delete("/_zoomsim/faults/nope"), 404, 404)
    assert faults.call("GET", "/faults") == {"faults": []}


def test_zoomus_and_httpx_see_zooms_429(faults: Admin, api: Api) -> None:
    from zoomus import ZoomClient

    rule(faults, match={"operation": "user", "app_id": api.client_id}, effect={"status": 429, "retry_after": 2})
    client = ZoomClient(api.client_id, api.client_secret, api.account_id,
                        base_uri=api.server.url + "/v2", oauth_uri=api.server.url + "/oauth/token")
    r = client.user.get(id="me")
    assert r.status_code == 429 and r.json()["code"] == 429
    assert r.headers["Retry-After"] == "2" and r.headers["X-RateLimit-Remaining"] == "0"
    plain = httpx.get(api.server.url + "/v2/users/me", headers={"Authorization": f"Bearer {api.token}"})
    assert plain.status_code == 429 and plain.headers["retry-after"] == "2"


def test_a_faulted_meeting_create_leaves_no_trace(faults: Admin, api: Api) -> None:
    meeting = new_meeting(api, topic="kept")
    rule(faults, match={"operation": "meetingDelete", "app_id": api.client_id}, effect={"status": 500})
    assert api.delete(f"/meetings/{meeting['id']}").status_code == 500
    assert api.get(f"/meetings/{meeting['id']}").status_code == 200              # still there


def test_counts_hold_across_workers(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Two workers on one PostgreSQL database: the rule's 5th matching request is the 5th
    request, whichever worker takes each one."""
    from procs import ServeProcess
    from support import pg_schema

    for url in pg_schema("zs_faults_workers"):
        srv = ServeProcess(url, workers=2, rate_limits=False, log=tmp_path_factory.mktemp("faults") / "s.log").start()
        try:
            out = srv.admin("POST", "/accounts", {"plan": "business"})
            token = srv.token(out["apps"][0]["client_id"], out["apps"][0]["client_secret"], out["account_id"])
            srv.admin("POST", "/faults", {"match": {"operation": "user", "account_id": out["account_id"], "nth": 5},
                                          "effect": {"status": 500}})
            got = [httpx.get(srv.url + "/v2/users/me", timeout=30,       # fresh connections: both workers take some
                             headers={"Authorization": f"Bearer {token}", "Connection": "close"}).status_code
                   for _ in range(10)]
            assert got == [200, 200, 200, 200, 500, 200, 200, 200, 200, 200]
        finally:
            srv.stop()
