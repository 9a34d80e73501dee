"""GET /marketplace/apps/{appId}/api_call_logs over HTTP (every 200 checked against the
Marketplace reference schema by Api): what is listed, its filters, paging, errors, and the
recorder's switches and retention."""
from __future__ import annotations

from typing import Any, Iterator

import httpx
import pytest

from support import Admin, Api, Server, expect_error, new_meeting
from support import own_server as support_own_server

LOGS = "/marketplace/apps/{}/api_call_logs"


def _logs(api: Api, **params: Any) -> dict[str, Any]:
    r = api.get(LOGS.format(api.client_id), params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_lists_the_apps_calls_newest_first(api: Api) -> None:
    me = api.get("/users/me")
    created = api.post("/users/me/meetings", json={"topic": "logged"})
    missing = api.get("/meetings/123")
    assert created.status_code == 201 and missing.status_code == 404
    logs = _logs(api)
    assert logs["page_size"] == 30 and logs["next_page_token"] == ""
    entries = logs["call_logs"]
    assert [(e["method"], e["http_status"]) for e in entries] == [("GET", 404), ("POST", 201), ("GET", 200)]
    base = api.server.url
    assert [e["url_pattern"] for e in entries] == [base + "/v2/meetings/123", base + "/v2/users/me/meetings",
                                                   base + "/v2/users/me"]
    assert [e["trace_id"] for e in entries] == [r.headers["x-zm-trackingid"] for r in (missing, created, me)]
    assert all(e["time"].isdigit() and len(e["time"]) == 13 for e in entries)
    assert int(entries[0]["time"]) >= int(entries[-1]["time"])


def test_token_requests_and_other_apps_are_not_listed(admin: Admin, api: Api) -> None:
    api.get("/users/me")
    other = admin.call("POST", f"/accounts/{api.account_id}/apps", {"scopes": "all"})
    sibling = Api(api.server, api.account_id, api.owner_id, other["client_id"], other["client_secret"],
                  other["scopes"], httpx.Client(base_url=api.server.url, timeout=30))
    sibling.fetch_token()
    sibling.get("/users/me/meetings")
    api.fetch_token()
    mine = [e["url_pattern"].split("/v2", 1)[1] for e in _logs(api)["call_logs"]]
    assert mine == ["/users/me"]
    theirs = sibling.get(LOGS.format(sibling.client_id)).json()["call_logs"]
    assert [e["url_pattern"].split("/v2", 1)[1] for e in theirs] == ["/users/me/meetings"]
    # an app of the same account may read another app's log; the app id names it
    seen = api.get(LOGS.format(sibling.client_id)).json()["call_logs"]
    assert [e["trace_id"] for e in seen][-1] == theirs[-1]["trace_id"]


def test_filters(api: Api) -> None:
    new_meeting(api, topic="filtered")
    api.get("/meetings/1")
    api.get("/meetings/2")
    assert api.post("/users/me/meetings", json={"type": 99}).status_code == 400
    api.get("/meetings/3/registrants")
    assert {e["method"] for e in _logs(api, method="POST")["call_logs"]} == {"POST"}
    assert len(_logs(api, method="POST")["call_logs"]) == 2
    assert [e["url_pattern"].split("/v2", 1)[1] for e in _logs(api, status_code=404)["call_logs"]] == [
        "/meetings/3/registrants", "/meetings/2", "/meetings/1"]
    assert [e["http_status"] for e in _logs(api, status_code=400)["call_logs"]] == [400]
    keyword = _logs(api, query="REGISTRANTS")["call_logs"]        # endpoint keywords, case-blind
    assert [e["url_pattern"].split("/v2", 1)[1] for e in keyword] == ["/meetings/3/registrants"]
    assert _logs(api, query="no_such_thing")["call_logs"] == []
    assert _logs(api, query="%")["call_logs"] == []            # a keyword, not a pattern


def test_duration_counts_on_zoomsims_clock(clock: Admin, api: Api) -> None:
    clock.clock(now="2026-01-10T12:00:00Z")
    api.get("/users/me")
    clock.clock(now="2026-01-19T12:00:00Z")
    api.get("/users/me/meetings")
    recent = _logs(api)["call_logs"]
    assert [e["url_pattern"].split("/v2", 1)[1] for e in recent] == ["/users/me/meetings"]
    both = _logs(api, duration=14)["call_logs"]
    assert [e["url_pattern"].split("/v2", 1)[1] for e in both[1:]] == ["/users/me/meetings", "/users/me"]
    assert both[-1]["time"] == str(int(1768046400 * 1000))       # 2026-01-10T12:00:00Z on the frozen clock


def test_paging(api: Api) -> None:
    for n in range(12):
        api.get(f"/meetings/{n + 1}")
    first = _logs(api, page_size=10)
    assert len(first["call_logs"]) == 10 and first["page_size"] == 10 and first["next_page_token"]
    rest = _logs(api, page_size=10, next_page_token=first["next_page_token"])
    assert len(rest["call_logs"]) >= 2
    numbers = [e["url_pattern"].rsplit("/", 1)[1] for e in first["call_logs"] + rest["call_logs"]]
    assert numbers[:12] == [str(n) for n in range(12, 0, -1)]
    expect_error(api.get(LOGS.format(api.client_id), params={"next_page_token": "nope"}), 400, 301,
                 "Next page token is not valid")
    for size in (5, 101, "x"):
        expect_error(api.get(LOGS.format(api.client_id), params={"page_size": size}), 400, 300,
                     "Page size is not valid")


def test_errors(admin: Admin, api: Api) -> None:
    expect_error(api.get(LOGS.format("noSuchApp")), 404, 1401)
    stranger = admin.tenant()
    expect_error(api.get(LOGS.format(stranger.client_id)), 404, 1401)
    for bad in ({"duration": 8}, {"method": "FETCH"}, {"status_code": 200}):
        r = api.get(LOGS.format(api.client_id), params=bad)
        assert r.status_code == 400 and r.json()["code"] == 300, (bad, r.text)
    narrow = admin.tenant(scopes=["meeting:read"])
    r = narrow.get(LOGS.format(narrow.client_id))
    assert r.status_code == 400 and r.json()["code"] == 4711
    assert "marketplace:read:list_api_logs:admin" in r.json()["message"]


# ---- the recorder: switched off, bodies kept, retention (a server of their own) ---------------

@pytest.fixture(params=["sqlite", "postgresql"])
def own_server(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Server]:
    yield from support_own_server(request.param, tmp_path, "zs_calls")


def test_off_records_nothing_and_on_keeps_bodies_masked(own_server: Server) -> None:
    admin = Admin(own_server)
    api = admin.tenant()
    calls = own_server.app.services.calls
    calls.enabled = False
    try:
        api.get("/users/me")
    finally:
        calls.enabled = True
    created = api.post("/users/me/meetings", json={"topic": "kept"})
    from zoomsim.storage import calls as repo

    calls.flush()
    with own_server.app.services.storage.read() as db:
        rows = repo.recent(db, app_id=api.client_id, bodies=True, api_only=True)
    assert [(r.method, r.path) for r in rows] == [("POST", "/v2/users/me/meetings")]
    row = rows[0]
    assert row.operation_id == "meetingCreate" and row.status == 201 and row.code is None
    assert row.subject == str(created.json()["id"]) and row.account_id == api.account_id
    assert row.request["headers"]["authorization"].startswith("Bearer …")
    assert api.token not in row.request_headers
    assert '"topic":"kept"' in row.request["body"].replace(" ", "") and row.response["body"] == created.text


def test_retention_keeps_the_newest_rows(own_server: Server) -> None:
    api = Admin(own_server).tenant()
    calls = own_server.app.services.calls
    calls.keep_rows = 5
    for n in range(8):
        api.get(f"/meetings/{n + 1}")
    calls.flush()
    calls._batches = 0           # the next batch prunes
    api.get("/users/me")
    calls.flush()
    listed = [e["url_pattern"].split("/v2", 1)[1] for e in _logs(api)["call_logs"]]
    assert listed == ["/users/me", "/meetings/8", "/meetings/7", "/meetings/6", "/meetings/5"][:len(listed)]
    assert len(listed) == 5


def test_retention_by_age_spares_a_late_batch_below_the_boundary(own_server: Server) -> None:
    """Keys are handed out before a batch commits: another worker's batch can land below rows
    already there. Pruning by age goes by each row's wall time, the key only narrows the range."""
    import time

    from zoomsim.storage import calls as repo

    now = time.time()
    old = now - 40 * 86_400
    walls = [old, now, old, now]            # the second: a recent call of a batch that committed late

    def row(wall: float, n: int) -> tuple[Any, ...]:
        values: dict[str, Any] = {name: None for name in repo.INSERTED}
        values.update(wall=wall, at=wall, method="GET", path=f"/v2/meetings/{n}", status=404, latency_ms=1.0,
                      trace_id=f"late_{n}", query="", request_headers="{}", request_body="",
                      response_headers="{}", response_body="")
        return tuple(values[name] for name in repo.INSERTED)

    storage = own_server.app.services.storage
    own_server.app.services.calls.flush()
    with storage.write() as db:
        for n, wall in enumerate(walls):
            repo.insert_rows(db, [row(wall, n)])
    with storage.write() as db:
        repo.prune(db, 1_000, now - 30 * 86_400)
    with storage.read() as db:
        kept = [c.trace_id for c in repo.recent(db, limit=100) if c.trace_id.startswith("late_")]
    assert kept == ["late_3", "late_1"]
