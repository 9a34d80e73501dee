"""Zoom's rate limits over HTTP: per-second windows by plan and label, the per-user daily cap
on meeting create, the 429 body and headers, and --no-rate-limits."""
from __future__ import annotations

from typing import Iterator

import pytest

from support import Admin, Api, Server
from zoomsim.errors import ZoomError
from zoomsim.platform.ratelimit import DAILY_MESSAGE, QPS_MESSAGE, USER_DAILY_MESSAGE, RateLimiter


@pytest.fixture
def limited(limited_server: Server) -> Iterator[Admin]:
    adm = Admin(limited_server)
    adm.clock(now="2026-03-02T10:00:00Z")   # frozen: every request falls in the same second
    yield adm
    adm.clock(mode="real")


def _burst(api: Api, path: str, n: int) -> list[int]:
    return [api.get(path).status_code for _ in range(n)]


def test_free_plan_light_is_four_per_second(limited: Admin) -> None:
    api = limited.tenant(plan="free")
    codes = _burst(api, "/users/me", 6)
    assert codes[:4] == [200] * 4
    assert codes[4:] == [429, 429]


def test_429_body_and_headers(limited: Admin) -> None:
    api = limited.tenant(plan="free")
    ok = api.get("/users/me")
    assert ok.headers["X-RateLimit-Category"] == "Light"
    assert ok.headers["X-RateLimit-Limit"] == "4"
    assert ok.headers["X-RateLimit-Remaining"] == "3"
    _burst(api, "/users/me", 3)
    r = api.get("/users/me")
    assert r.status_code == 429
    assert r.json() == {"code": 429, "message": QPS_MESSAGE}
    assert r.headers["X-RateLimit-Type"] == "QPS"
    assert r.headers["X-RateLimit-Remaining"] == "0"
    assert int(r.headers["Retry-After"]) >= 1


def test_window_reopens_next_second(limited: Admin) -> None:
    api = limited.tenant(plan="free")
    _burst(api, "/users/me", 4)
    assert api.get("/users/me").status_code == 429
    limited.clock(advance_seconds=1)
    assert api.get("/users/me").status_code == 200


def test_labels_count_separately(limited: Admin) -> None:
    """GET /users is MEDIUM (2/s on free), GET /users/me LIGHT (4/s): separate windows."""
    api = limited.tenant(plan="free")
    assert _burst(api, "/users", 3) == [200, 200, 429]
    assert api.get("/users/me").status_code == 200


def test_plan_decides_the_limit(limited: Admin) -> None:
    pro = limited.tenant(plan="pro")
    codes = _burst(pro, "/users/me", 31)
    assert codes.count(200) == 30 and codes[-1] == 429
    business = limited.tenant(plan="business")
    assert _burst(business, "/users/me", 31) == [200] * 31


def test_accounts_do_not_share_windows(limited: Admin) -> None:
    a = limited.tenant(plan="free")
    b = limited.tenant(plan="free")
    _burst(a, "/users/me", 5)
    assert b.get("/users/me").status_code == 200


def test_per_user_daily_cap_on_meeting_create(limited: Admin) -> None:
    """100 meeting creates a day per user; the 101st answers a daily-limit 429 whatever the QPS."""
    api = limited.tenant(plan="business")
    last = None
    for i in range(101):
        if i and i % 50 == 0:
            limited.clock(advance_seconds=1)   # stay under the per-second limit
        last = api.post("/users/me/meetings", json={"topic": "t", "type": 2})
        if i < 100:
            assert last.status_code != 429, (i, last.text)
    assert last is not None and last.status_code == 429
    assert last.headers["X-RateLimit-Type"] == "Daily-limit"
    assert last.headers["Retry-After"] == "2026-03-03T00:00:00Z"
    assert last.json()["message"] == USER_DAILY_MESSAGE.format(limit=100)
    other = limited.call("POST", f"/accounts/{api.account_id}/users", {"email": "second@example.com"})
    r = api.post(f"/users/{other['id']}/meetings", json={"topic": "t", "type": 2})
    assert r.status_code != 429


def test_webinars_and_meetings_share_the_daily_cap(limited: Admin) -> None:
    """Webinar create and update count in the same 100 a day per user as meetings."""
    api = limited.tenant(plan="business")
    for i in range(60):
        if i and i % 50 == 0:
            limited.clock(advance_seconds=1)
        assert api.post("/users/me/meetings", json={"topic": "t", "type": 2}).status_code == 201
    limited.clock(advance_seconds=1)
    made = api.post("/users/me/webinars", json={"topic": "w"})
    assert made.status_code == 201, made.text
    wid = made.json()["id"]
    for i in range(39):
        if i == 20:
            limited.clock(advance_seconds=1)
        assert api.patch(f"/webinars/{wid}", json={"topic": f"w{i}"}).status_code == 204
    limited.clock(advance_seconds=1)
    last = api.post("/users/me/webinars", json={"topic": "one too many"})
    assert last.status_code == 429 and last.headers["X-RateLimit-Type"] == "Daily-limit", last.text
    assert api.patch(f"/webinars/{wid}", json={"topic": "x"}).status_code == 429


def test_no_rate_limits_switch(admin: Admin) -> None:
    """The session's main server runs with --no-rate-limits: a free plan burst all succeeds."""
    admin.clock(now="2026-03-02T10:00:00Z")
    try:
        api = admin.tenant(plan="free")
        r = api.get("/users/me")
        assert "X-RateLimit-Category" not in r.headers
        assert _burst(api, "/users/me", 20) == [200] * 20
    finally:
        admin.clock(mode="real")


def test_daily_quota_shared_by_heavy_labels_on_pro() -> None:
    """Daily quotas are too large to exhaust over HTTP in a test run, so check the limiter itself."""
    limiter = RateLimiter()
    day_start = 19676 * 86_400.0
    for i in range(28_000):                  # 10 per second: within Heavy's per-second limit
        limiter.check("acct", "pro", "HEAVY", "x", None, day_start + i / 10)
    for i in range(2_000):                   # one every 6 s: within Resource-intensive's 10 a minute
        limiter.check("acct", "pro", "RESOURCE_INTENSIVE", "x", None, day_start + 3_000 + i * 6)
    with pytest.raises(ZoomError) as err:
        limiter.check("acct", "pro", "HEAVY", "x", None, day_start + 60_001)
    assert err.value.status == 429 and err.value.message == DAILY_MESSAGE
    assert err.value.headers["X-RateLimit-Type"] == "Daily-limit"
    assert err.value.headers["X-RateLimit-Limit"] == "30000"
    assert err.value.headers["Retry-After"] == "2023-11-16T00:00:00Z"
    limiter.check("acct", "pro", "LIGHT", "x", None, day_start + 60_002)    # no daily quota on Light
    limiter.check("acct", "pro", "HEAVY", "x", None, day_start + 86_400)    # a new day


def test_free_plan_quotas_are_per_label() -> None:
    limiter = RateLimiter()
    day_start = 19676 * 86_400.0
    for i in range(1000):
        limiter.check("acct", "free", "HEAVY", "x", None, day_start + i)
    with pytest.raises(ZoomError):
        limiter.check("acct", "free", "HEAVY", "x", None, day_start + 1000)
    limiter.check("acct", "free", "RESOURCE_INTENSIVE", "x", None, day_start + 1001)
    limiter.check("acct", "free", "MEDIUM", "x", None, day_start + 1002)


def test_user_create_daily_quota(limited: Admin) -> None:
    """POST /users with action=create: 50 a day on the free plan; custCreate is not counted."""
    api = limited.tenant(plan="free")
    codes = []
    for i in range(51):
        if i % 4 == 0:
            limited.clock(advance_seconds=1)
        r = api.post("/users", json={"action": "create", "user_info": {"email": f"q{i}@example.com", "type": 1}})
        codes.append(r.status_code)
    assert codes[:50] == [201] * 50
    assert codes[50] == 429
    limited.clock(advance_seconds=1)
    r = api.post("/users", json={"action": "custCreate", "user_info": {"email": "c@example.com", "type": 1}})
    assert r.status_code == 201


def test_errors_carry_the_rate_limit_headers(limited: Admin) -> None:
    api = limited.tenant(plan="free")
    r = api.get("/users/nobody@example.com")
    assert r.status_code == 404
    assert r.headers["X-RateLimit-Category"] == "Light"
    assert r.headers["X-RateLimit-Remaining"] == "3"


def test_v1_limits(limited: Admin) -> None:
    """v1: 10 calls a second per account, 1 a second for the */list calls (which count in the 10)."""
    api = limited.tenant()
    form = {"api_key": api.client_id, "api_secret": api.client_secret, "host_id": api.owner_id}

    def answer(call: str) -> dict[str, object]:
        r = api.http.post(f"/v1/webinar/{call}", data=form)
        assert r.status_code == 200
        return r.json()  # type: ignore[no-any-return]

    assert "webinars" in answer("list")
    limited_list = answer("list")
    assert limited_list == {"error": {"code": 429, "message": QPS_MESSAGE}}
    codes = [answer("get") for _ in range(8)]          # 2 list calls + 8 = 10 this second
    assert all(c["error"]["code"] == 300 for c in codes)  # (no id: v1's own error, counted all the same)
    assert answer("get")["error"]["code"] == 429
    limited.clock(advance_seconds=1)
    assert "webinars" in answer("list")
