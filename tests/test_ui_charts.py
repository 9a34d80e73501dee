"""The dashboard's charts, on a server of their own per backend (rate limits on), so the numbers
drawn are exactly the calls made here: requests per second, latency per operation, errors by
Zoom code and 429s, as inline SVG; and the 5-second refresh in Chromium."""
from __future__ import annotations

import html
import re
import time
from typing import Any, Iterator

import httpx
import pytest

from support import Admin, Server, expect_error
from support import own_server as support_own_server
from ui_kit import UI, Dashboard, browser, shot  # noqa: F401
from zoomsim import clock as clockmod
from zoomsim.ui.pages import charts


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def own_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from support_own_server(request.param, tmp_path_factory.mktemp("charts"), "zs_ui_charts", rate_limits=True)


@pytest.fixture
def board(own_server: Server) -> Iterator[Dashboard]:
    signed = Dashboard(own_server).sign_in()
    yield signed
    signed.client.close()


def make_calls(server: Server) -> None:
    """14 calls: 2 token requests, 3 + 4 GET /users/me answered 200, a 404 (3001), two
    validation errors (300) and two 429s (a free plan's 4 a second, the clock frozen)."""
    admin = Admin(server)
    api = admin.tenant()
    for _ in range(3):
        assert api.get("/users/me").status_code == 200
    expect_error(api.get("/meetings/12345678901"), 404, 3001)
    for _ in range(2):
        expect_error(api.post("/users/me/meetings", json={"topic": "x", "type": "weekly"}), 400, 300)
    free = admin.tenant(plan="free")
    # frozen at wall time (not in the past: the log's retention goes by zoomsim's clock)
    admin.clock(now=clockmod.iso(time.time()))
    try:
        assert [free.get("/users/me").status_code for _ in range(6)] == [200] * 4 + [429] * 2
    finally:
        admin.clock(mode="real")


def row(svg: str, attr: str, value: str) -> str:
    match = re.search(rf'<g class="row" {attr}="{re.escape(value)}"[^>]*>(.*?)</g>', svg, re.S)
    assert match, f"no row {attr}={value}"
    return html.unescape(match.group(1))


def svg_of(text: str, chart_id: str) -> str:
    match = re.search(rf'<svg id="{chart_id}".*?</svg>', text, re.S)
    assert match, f"no SVG {chart_id}"
    return match.group(0)


def test_empty_state(board: Dashboard) -> None:
    resp = board.get("/charts")
    assert resp.status_code == 200
    assert 'id="charts-empty"' in resp.text and "No API calls in the last 5 minutes" in resp.text
    assert "<svg" not in resp.text


def test_charts_draw_the_calls(board: Dashboard, own_server: Server) -> None:
    make_calls(own_server)
    resp = board.get("/charts", params={"minutes": "15"})
    assert resp.status_code == 200
    text = resp.text
    assert re.search(r'id="stat-calls">14<', text) and re.search(r'id="stat-errors">5<', text)
    assert re.search(r'id="stat-limited">2<', text)

    rps = svg_of(text, "chart-rps")
    assert rps.count('class="bar ok"') >= 1 and rps.count('class="bar failed"') >= 1
    assert "req/s" in rps

    latency = svg_of(text, "chart-latency")
    user = row(latency, "data-op", "user")
    assert ">user<" in user and "9×" in user and "p50 " in user and "p95 " in user     # 3 + 4 + 2 refused
    assert 'class="bar p95"' in user and 'class="bar p50"' in user
    assert "2×" in row(latency, "data-op", "meetingCreate") and "1×" in row(latency, "data-op", "meeting")

    codes = svg_of(text, "chart-codes")
    assert "300 (400)" in row(codes, "data-code", "300") and "2×" in row(codes, "data-code", "300")
    assert "3001 (404)" in row(codes, "data-code", "3001") and "1×" in row(codes, "data-code", "3001")
    assert "2×" in row(codes, "data-code", "429")

    limited = svg_of(text, "chart-429")
    assert limited.count('class="bar limited"') >= 1 and "2 429s" in html.unescape(limited)


def test_window_choice_and_bad_values(board: Dashboard) -> None:
    for minutes, bucket in charts.WINDOWS.items():
        text = board.get("/charts", params={"minutes": str(minutes)}).text
        assert f'<option value="{minutes}" selected>' in text and f"bars of {bucket} s" in text
    for bad in ("7", "abc", "-1", "9" * 50):
        resp = board.get("/charts", params={"minutes": bad})
        assert resp.status_code == 200
        assert "Charts cover the last 1, 5, 15 or 60 minutes: showing 5." in resp.text


def test_guards(own_server: Server) -> None:
    anon = httpx.Client(base_url=own_server.url, follow_redirects=False)
    resp = anon.get(UI + "/charts")
    assert resp.status_code == 303 and "/login?next=" in resp.headers["location"]


def test_percentiles_and_axis() -> None:
    assert charts.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5) == 5
    assert charts.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95) == 10
    assert charts.percentile([], 0.5) == 0
    assert [charts.nice_ceiling(v) for v in (0, 0.3, 1, 3, 7, 12, 480)] == [1, 0.5, 1, 5, 10, 20, 500]


def test_charts_in_the_browser(browser: Any, own_server: Server) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 860}, base_url=own_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    warm = Admin(own_server).tenant()      # calls of its own: under xdist the module's others may run elsewhere
    assert warm.get("/users/me").status_code == 200
    assert warm.get("/meetings/12345678901").status_code == 404
    try:
        tab.goto(UI + "/charts")
        tab.fill("#admin_key", own_server.admin_key)
        tab.click("button[type=submit]")
        tab.wait_for_url(f"**{UI}/charts")
        tab.wait_for_selector("#chart-latency")
        before = int(tab.locator("#stat-calls").inner_text())
        api = Admin(own_server).tenant()            # one more call (the token request) and three GETs
        for _ in range(3):
            assert api.get("/users/me").status_code == 200
        tab.wait_for_function("(n) => Number(document.getElementById('stat-calls').textContent) >= n",
                              arg=before + 4, timeout=15_000)      # the page refreshed itself, no reload
        assert tab.locator("#chart-latency g.row[data-op=user]").count() == 1
        assert tab.locator("#chart-codes g.row[data-code='3001']").count() == 1
        shot(tab, "charts")
    finally:
        context.close()
