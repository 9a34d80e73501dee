"""The dashboard's API-call log: the calls a client just made, with their status and Zoom code,
filters, paging, and one call's request and response (over HTTP on both backends, and in
Chromium)."""
from __future__ import annotations

import html
import re
import time
from typing import Any

import httpx
import pytest

from support import Api, Server, expect_error, new_meeting
from ui_kit import UI, Dashboard, browser, dashboard, page, shot  # noqa: F401

ROW = re.compile(r'<tr data-seq="(\d+)">(.*?)</tr>', re.S)


def make_calls(api: Api) -> dict[str, Any]:
    """The four calls every test here looks for: 200, 201, 404 (3001) and 400 (300)."""
    me = api.get("/users/me")
    assert me.status_code == 200
    meeting = new_meeting(api, topic="Call log check")
    expect_error(api.get("/meetings/12345678901"), 404, 3001)
    expect_error(api.post("/users/me/meetings", json={"topic": "x", "type": "weekly"}), 400, 300)
    return meeting


def rows(resp: httpx.Response) -> list[dict[str, Any]]:
    """The table's rows: seq, and the cell texts in order (time, app, account, method, path,
    operation, status, code, ms)."""
    assert resp.status_code == 200, resp.text
    out = []
    for seq, body in ROW.findall(resp.text):
        cells = [html.unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                                       body, re.S)]
        out.append({"seq": int(seq), "method": cells[3][0], "path": cells[4][0], "op": " ".join(cells[5]),
                    "status": int(cells[6][0]), "code": cells[7][0] if cells[7] else "", "account": cells[2][0],
                    "app": body})
    return out


def mine(board: Dashboard, api: Api, **query: str) -> list[dict[str, Any]]:
    return rows(board.get("/calls", params={"account": api.account_id, **query}))


def test_log_shows_the_calls_with_status_and_code(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    make_calls(api)
    got = mine(dashboard, api)
    summary = [(r["method"], r["path"], r["op"], r["status"], r["code"]) for r in got]
    assert summary == [
        ("POST", "/v2/users/me/meetings", "meetingCreate", 400, "300"),
        ("GET", "/v2/meetings/12345678901", "meeting", 404, "3001"),
        ("POST", "/v2/users/me/meetings", "meetingCreate", 201, ""),
        ("GET", "/v2/users/me", "user", 200, ""),
    ], summary
    assert all(api.client_id in r["app"] for r in got)
    text = dashboard.get("/calls", params={"account": api.account_id}).text
    assert '<span class="badge ok status">201</span>' in text
    assert '<span class="badge warn status">404</span>' in text


def test_filters(dashboard: Dashboard, api: Api, admin: Any) -> None:  # noqa: F811
    make_calls(api)
    other = admin.tenant()
    assert other.get("/users/me").status_code == 200
    assert [r["status"] for r in mine(dashboard, api, status="4xx")] == [400, 404]
    assert [r["status"] for r in mine(dashboard, api, status="2xx")] == [201, 200]
    assert [r["status"] for r in mine(dashboard, api, status="404")] == [404]
    assert [r["status"] for r in mine(dashboard, api, op="meetingCreate")] == [400, 201]
    assert [r["status"] for r in mine(dashboard, api, method="get")] == [404, 200]
    by_app = rows(dashboard.get("/calls", params={"app": api.client_id}))
    assert {r["account"] for r in by_app if r["path"] != "/oauth/token"} == {api.account_id}
    assert [r["path"] for r in by_app][-1] == "/oauth/token"        # the token request names its app too
    assert [r["status"] for r in by_app] == [400, 404, 201, 200, 200]
    other_rows = rows(dashboard.get("/calls", params={"app": other.client_id}))
    assert [r["path"] for r in other_rows] == ["/v2/users/me", "/oauth/token"]
    # the app select lists the apps
    assert f'<option value="{api.client_id}"' in dashboard.get("/calls").text


@pytest.mark.parametrize("query, says", [
    ({"status": "teapot"}, "status 'teapot'"),
    ({"status": "999"}, "status '999'"),
    ({"method": "BREW"}, "method 'BREW'"),
    ({"before": "-3"}, "before"),
    ({"before": "9" * 40}, "before"),
    ({"op": "x" * 500}, "op"),
    ({"app": "a\x00b"}, "app"),
])
def test_bad_filters_are_named_and_ignored(dashboard: Dashboard, api: Api, query: dict[str, str],  # noqa: F811
                                           says: str) -> None:
    make_calls(api)
    resp = dashboard.get("/calls", params={"account": api.account_id, **query})
    assert resp.status_code == 200
    notice = re.search(r'<p class="flash err">Ignored filter values that are not usable: ([^<]*)</p>', resp.text)
    assert notice and says in html.unescape(notice.group(1)), resp.text[:3000]
    assert len(rows(resp)) == 4


def test_paging_with_older(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    for _ in range(53):
        assert api.get("/users/me").status_code == 200
    first = dashboard.get("/calls", params={"account": api.account_id, "method": "GET"})
    page1 = rows(first)
    assert len(page1) == 50
    older = re.search(r'href="([^"]+)" id="older"', first.text)
    assert older, "an older link"
    nxt = dashboard.client.get(html.unescape(older.group(1)))
    page2 = rows(nxt)
    assert len(page2) == 3 and page2[0]["seq"] < page1[-1]["seq"]
    assert 'id="older"' not in nxt.text and "newest" in nxt.text
    assert {r["seq"] for r in page1}.isdisjoint({r["seq"] for r in page2})


def test_detail_shows_request_and_response(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    meeting = make_calls(api)
    got = mine(dashboard, api)
    created = next(r for r in got if r["status"] == 201)
    resp = dashboard.get(f"/calls/{created['seq']}")
    assert resp.status_code == 200
    text = html.unescape(resp.text)
    assert f'"id": {meeting["id"]}' in text and '"topic": "Call log check"' in text     # pretty JSON, both ways
    assert "POST /users/{userId}/meetings" in text and "#family-meetings" in text
    assert "Bearer …" in text and api.token not in text                                 # the token is masked
    failed = next(r for r in got if r["status"] == 404)
    text = html.unescape(dashboard.get(f"/calls/{failed['seq']}").text)
    assert 'id="call-code">3001<' in text and '"code": 3001' in text


def test_unknown_call_and_guards(server: Server, dashboard: Dashboard) -> None:  # noqa: F811
    assert dashboard.get("/calls/999999999999").status_code == 404
    assert dashboard.get("/calls/abc").status_code == 404
    assert dashboard.get("/calls/" + "9" * 30).status_code == 404
    anon = httpx.Client(base_url=server.url, follow_redirects=False)
    for path in ("/calls", "/calls/1"):
        resp = anon.get(UI + path)
        assert resp.status_code == 303 and "/login?next=" in resp.headers["location"]


def test_the_api_call_log_shows_the_calls_just_made(page: Any, api: Api) -> None:  # noqa: F811
    make_calls(api)
    started = time.time()
    page.goto(f"{UI}/calls?account={api.account_id}")
    table = page.locator("table.calls tbody tr")
    assert table.count() == 4
    assert [s.strip() for s in page.locator("table.calls .status").all_inner_texts()] == ["400", "404", "201", "200"]
    assert [s.strip() for s in page.locator("table.calls td.code").all_inner_texts()] == ["300", "3001", "", ""]
    shot(page, "calls")
    page.locator("table.calls tbody tr", has_text="3001").locator("td.path a").click()
    page.wait_for_selector("#response-body")
    assert page.locator("#call-status").inner_text() == "404"
    assert '"code": 3001' in page.locator("#response-body").inner_text()
    shot(page, "calls_detail")
    page.go_back()
    page.select_option("#f-method", "POST")
    page.fill("#f-status", "2xx")
    page.click("#call-filters button[type=submit]")
    page.wait_for_url("**status=2xx**")
    assert [s.strip() for s in page.locator("table.calls .status").all_inner_texts()] == ["201"]
    assert time.time() - started < 60


def test_follow_new_calls_without_reload(page: Any, api: Api) -> None:  # noqa: F811
    assert api.get("/users/me").status_code == 200
    page.goto(f"{UI}/calls?account={api.account_id}")
    assert page.locator("table.calls tbody tr").count() == 1
    page.check("#follow")
    new_meeting(api, topic="Followed")
    page.wait_for_selector("table.calls tbody tr:nth-child(2)")      # the table grew by itself
    assert [s.strip() for s in page.locator("table.calls .status").all_inner_texts()] == ["201", "200"]
    assert page.locator("#follow").is_checked()
