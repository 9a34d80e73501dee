"""Two `zoomsim serve --workers 2` servers on one PostgreSQL database (four workers in all): a
change made through any of them holds on all of them before the admin call answers, rate
limits add up across them, and caps (meeting registrants, webinar licences, panelists) hold
under concurrent requests."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import httpx
import pytest

from procs import ServeProcess, fresh_get
from support import pg_schema, unique_email

FRESH = 40     # fresh connections per check: both workers of a server get some


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    yield from pg_schema("zs_scale")


@pytest.fixture(scope="module")
def servers(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServeProcess, ServeProcess]]:
    """`a` with rate limits on, `b` with them off, both on the same database."""
    log = tmp_path_factory.mktemp("scale") / "serve.log"
    a = ServeProcess(pg_url, workers=2, rate_limits=True, log=log).start()
    b = ServeProcess(pg_url, workers=2, rate_limits=False, log=log).start()
    yield a, b
    a.stop()
    b.stop()


@pytest.fixture
def real_clock(servers: tuple[ServeProcess, ServeProcess]) -> Iterator[None]:
    yield
    servers[0].admin("POST", "/clock", {"mode": "real"})


def tenant(srv: ServeProcess, plan: str = "business") -> dict[str, Any]:
    out = srv.admin("POST", "/accounts", {"plan": plan})
    app = out["apps"][0]
    token = srv.token(app["client_id"], app["client_secret"], out["account_id"])
    return {**out, "app": app, "token": token}


def fan_out(fn: Any, n: int, threads: int = 32) -> list[Any]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _: fn(), range(n)))


def test_clock_change_holds_on_every_worker(servers: tuple[ServeProcess, ServeProcess], real_clock: None) -> None:
    a, b = servers
    a.admin("POST", "/clock", {"now": "2031-05-06T07:08:09Z"})
    seen = fan_out(lambda: httpx.get(b.url + "/_zoomsim/clock", headers={**b.admin_headers(), "Connection": "close"},
                                     timeout=30).json(), FRESH)
    assert {(c["mode"], c["now"]) for c in seen} == {("frozen", "2031-05-06T07:08:09Z")}
    # two advances through different servers add up, whichever workers answer
    a.admin("POST", "/clock", {"advance_seconds": 60})
    b.admin("POST", "/clock", {"advance_seconds": 60})
    assert a.admin("GET", "/clock")["now"] == "2031-05-06T07:10:09Z"
    b.admin("POST", "/clock", {"mode": "real"})
    assert {c["mode"] for c in fan_out(lambda: a.admin("GET", "/clock"), FRESH)} == {"real"}


def test_advancing_the_clock_keeps_tokens(servers: tuple[ServeProcess, ServeProcess], real_clock: None) -> None:
    a, b = servers
    t = tenant(b)
    a.admin("POST", "/clock", {"advance_seconds": 3601})
    codes = fan_out(lambda: fresh_get(b.url, "/v2/users/me", t["token"]).status_code, FRESH)
    assert codes == [200] * FRESH


def test_expiring_tokens_holds_on_every_worker(servers: tuple[ServeProcess, ServeProcess]) -> None:
    a, b = servers
    t = tenant(a)
    a.admin("POST", "/tokens/expire")
    answers = fan_out(lambda: fresh_get(b.url, "/v2/users/me", t["token"]), FRESH)
    assert {(r.status_code, r.json()["message"]) for r in answers} == {(401, "Access token is expired.")}


def test_rate_limit_is_counted_across_workers(servers: tuple[ServeProcess, ServeProcess], real_clock: None) -> None:
    """A free plan's Light limit is 4/s for the account, whichever of the workers answers."""
    a, _ = servers
    t = tenant(a, plan="free")
    a.admin("POST", "/clock", {"now": "2031-01-01T00:00:00Z"})   # frozen: every request in one window
    answers = fan_out(lambda: fresh_get(a.url, "/v2/users/me", t["token"]), 24, threads=12)
    ok = [r for r in answers if r.status_code == 200]
    assert len(ok) == 4
    assert sorted(r.headers["X-RateLimit-Remaining"] for r in ok) == ["0", "1", "2", "3"]
    assert {r.headers["X-RateLimit-Limit"] for r in answers} == {"4"}
    assert {r.json()["code"] for r in answers if r.status_code != 200} == {429}
    a.admin("POST", "/clock", {"advance_seconds": 1})
    assert fresh_get(a.url, "/v2/users/me", t["token"]).status_code == 200


def test_reset_revokes_every_token_on_every_worker(servers: tuple[ServeProcess, ServeProcess]) -> None:
    a, b = servers
    t = tenant(b)
    creds = a.creds
    default = a.token(creds["client_id"], creds["client_secret"], creds["account_id"])
    assert fresh_get(b.url, "/v2/users", default).status_code == 200
    a.admin("POST", "/reset")
    tracking = fan_out(lambda: httpx.post(b.url + "/v2/tracking_fields", json={"field": "x"}, timeout=30,
                                          headers={"Authorization": f"Bearer {t['token']}", "Connection": "close"}),
                       FRESH // 2)
    assert {r.status_code for r in tracking} == {401}
    olds = fan_out(lambda: fresh_get(b.url, "/v2/users", default), FRESH)
    assert {(r.status_code, r.json()["code"]) for r in olds} == {(401, 124)}
    # the default app keeps its credentials: a new token works at once
    again = b.token(creds["client_id"], creds["client_secret"], creds["account_id"])
    assert fan_out(lambda: fresh_get(a.url, "/v2/users/me", again).status_code, 8) == [200] * 8


def test_deleting_an_app_revokes_its_tokens_everywhere(servers: tuple[ServeProcess, ServeProcess]) -> None:
    a, b = servers
    t = tenant(a)
    assert fresh_get(b.url, "/v2/users/me", t["token"]).status_code == 200
    a.admin("DELETE", f"/accounts/{t['account_id']}/apps/{t['app']['client_id']}")
    assert {r.status_code for r in fan_out(lambda: fresh_get(b.url, "/v2/users/me", t["token"]), FRESH)} == {401}


def _full_meeting(srv: ServeProcess, token: str, count: int) -> int:
    """A meeting with automatic approval and `count` registrants, added 30 at a time."""
    auth = {"Authorization": f"Bearer {token}"}
    r = httpx.post(srv.url + "/v2/users/me/meetings", headers=auth, timeout=30,
                   json={"topic": "Town hall", "type": 2, "start_time": "2031-03-01T10:00:00Z",
                         "settings": {"approval_type": 0}})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    with httpx.Client(base_url=srv.url, headers=auth, timeout=60) as http:
        for start in range(0, count, 30):
            batch = [{"email": f"seat{i}@example.com", "first_name": "Seat"} for i in range(start, min(count, start + 30))]
            r = http.post(f"/v2/meetings/{mid}/batch_registrants", json={"registrants": batch})
            assert r.status_code == 201, r.text
    return int(mid)


def test_registrant_cap_holds_across_workers(servers: tuple[ServeProcess, ServeProcess]) -> None:
    """4,900 registrants, 200 concurrent new registrations through four workers: exactly 99 fit."""
    _, b = servers
    t = tenant(b)
    mid = _full_meeting(b, t["token"], 4900)

    def register() -> httpx.Response:
        return httpx.post(f"{b.url}/v2/meetings/{mid}/registrants", timeout=60,
                          headers={"Authorization": f"Bearer {t['token']}", "Connection": "close"},
                          json={"email": unique_email("late"), "first_name": "Late"})
    answers = fan_out(register, 200)
    codes = sorted((r.status_code, r.json().get("code")) for r in answers)
    assert codes.count((201, None)) == 99
    assert codes.count((400, 3043)) == 101
    listed = httpx.get(f"{b.url}/v2/meetings/{mid}/registrants", params={"page_size": 1}, timeout=30,
                       headers={"Authorization": f"Bearer {t['token']}"}).json()
    assert listed["total_records"] == 4999


def test_one_address_registers_once_across_workers(servers: tuple[ServeProcess, ServeProcess]) -> None:
    _, b = servers
    t = tenant(b)
    mid = _full_meeting(b, t["token"], 0)
    email = unique_email("same")
    answers = fan_out(lambda: httpx.post(f"{b.url}/v2/meetings/{mid}/registrants", timeout=60,
                                         headers={"Authorization": f"Bearer {t['token']}", "Connection": "close"},
                                         json={"email": email, "first_name": "Same"}), 50)
    assert {r.status_code for r in answers} == {201}
    assert len({r.json()["registrant_id"] for r in answers}) == 1


def _webinar(srv: ServeProcess, t: dict[str, Any], capacity: int) -> int:
    """A webinar with automatic approval whose host holds a webinar licence of `capacity` seats."""
    srv.admin("PATCH", f"/accounts/{t['account_id']}/users/{t['owner_id']}/features", {"webinar": capacity})
    r = httpx.post(srv.url + "/v2/users/me/webinars", headers={"Authorization": f"Bearer {t['token']}"}, timeout=30,
                   json={"topic": "Launch", "type": 5, "start_time": "2031-03-01T10:00:00Z",
                         "settings": {"approval_type": 0}})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_webinar_licence_caps_registrants_across_workers(servers: tuple[ServeProcess, ServeProcess]) -> None:
    """A 100-seat licence, 160 concurrent registrations through four workers: exactly 100 fit."""
    a, b = servers
    t = tenant(b)
    wid = _webinar(b, t, 100)

    def register() -> httpx.Response:
        return httpx.post(f"{b.url}/v2/webinars/{wid}/registrants", timeout=60,
                          headers={"Authorization": f"Bearer {t['token']}", "Connection": "close"},
                          json={"email": unique_email("guest"), "first_name": "Guest"})
    codes = sorted((r.status_code, r.json().get("code")) for r in fan_out(register, 160))
    assert codes.count((201, None)) == 100 and codes.count((400, 3000)) == 60
    listed = httpx.get(f"{a.url}/v2/webinars/{wid}/registrants", params={"page_size": 1}, timeout=30,
                       headers={"Authorization": f"Bearer {t['token']}"}).json()
    assert listed["total_records"] == 100


def test_panelist_cap_holds_across_workers(servers: tuple[ServeProcess, ServeProcess]) -> None:
    """90 panelists, then 20 concurrent requests adding one each: 10 fit, the rest get 3000."""
    _, b = servers
    t = tenant(b)
    wid = _webinar(b, t, 500)
    auth = {"Authorization": f"Bearer {t['token']}"}
    for start in range(0, 90, 30):
        people = [{"name": f"P{i}", "email": f"panel{i}@example.com"} for i in range(start, start + 30)]
        r = httpx.post(f"{b.url}/v2/webinars/{wid}/panelists", headers=auth, json={"panelists": people}, timeout=30)
        assert r.status_code == 201, r.text

    def add() -> httpx.Response:
        return httpx.post(f"{b.url}/v2/webinars/{wid}/panelists", timeout=60, headers={**auth, "Connection": "close"},
                          json={"panelists": [{"name": "Late", "email": unique_email("late")}]})
    codes = sorted((r.status_code, r.json().get("code")) for r in fan_out(add, 20))
    assert codes.count((201, None)) == 10 and codes.count((400, 3000)) == 10
    listed = httpx.get(f"{b.url}/v2/webinars/{wid}/panelists", headers=auth, timeout=30).json()
    assert listed["total_records"] == 100
