"""The dashboard's clock page: simulated vs wall time, and forms that freeze, advance and
release zoomsim's clock (checked through the admin API, on both backends)."""
from __future__ import annotations

import html
import re
from typing import Any, Iterator

import httpx
import pytest

from support import Admin, Server
from ui_kit import UI, browser, dashboard, page, shot  # noqa: F401


@pytest.fixture
def real_after(admin: Admin) -> Iterator[Admin]:
    """The clock goes back to wall time whatever the test did."""
    admin.clock(mode="real")
    yield admin
    admin.clock(mode="real")


def admin_clock(admin: Admin) -> dict[str, Any]:
    out: dict[str, Any] = admin.call("GET", "/clock")
    return out


def flash(resp: httpx.Response) -> str:
    match = re.search(r'<p class="flash (ok|err)">([^<]*)</p>', resp.text)
    return f"{match.group(1)}: {html.unescape(match.group(2))}" if match else ""


def follow(board: Any, resp: httpx.Response) -> httpx.Response:
    assert resp.status_code == 303, resp.text
    return board.client.get(resp.headers["location"])


def test_page_shows_both_times_and_mode(dashboard: Any, real_after: Admin) -> None:  # noqa: F811
    resp = dashboard.get("/clock")
    assert resp.status_code == 200
    assert 'id="clock-sim"' in resp.text and 'id="clock-wall"' in resp.text
    assert re.search(r'id="clock-mode">real<', resp.text)


def test_freeze_advance_real_over_http(dashboard: Any, real_after: Admin) -> None:  # noqa: F811
    out = follow(dashboard, dashboard.post("/clock/freeze", {"now": "2031-05-06T07:08:09"}))
    assert flash(out) == "ok: Clock frozen at 2031-05-06T07:08:09Z.", flash(out)
    assert admin_clock(real_after) == {"now": "2031-05-06T07:08:09Z", "epoch": 1935817689.0, "mode": "frozen"}
    assert 'id="clock-sim">2031-05-06T07:08:09Z<' in out.text

    out = follow(dashboard, dashboard.post("/clock/advance", {"amount": "2", "unit": "days"}))
    assert flash(out).startswith("ok: Clock moved by 2 days"), flash(out)
    assert admin_clock(real_after)["now"] == "2031-05-08T07:08:09Z"
    follow(dashboard, dashboard.post("/clock/advance", {"amount": "-90", "unit": "minutes"}))
    assert admin_clock(real_after)["now"] == "2031-05-08T05:38:09Z"

    out = follow(dashboard, dashboard.post("/clock/real", {}))
    assert flash(out).startswith("ok: Clock back to wall time"), flash(out)
    assert admin_clock(real_after)["mode"] == "real"


@pytest.mark.parametrize("path, form, says", [
    ("/clock/freeze", {"now": "yesterday"}, "The clock did not move: Validation Failed. (now: Invalid field.)"),
    ("/clock/freeze", {"now": "0001-01-01T00:00:00"}, "The clock did not move"),
    ("/clock/freeze", {"now": ""}, "Give the time to freeze at"),
    ("/clock/advance", {"amount": "lots", "unit": "hours"}, "Advance by a number"),
    ("/clock/advance", {"amount": "1", "unit": "weeks"}, "Advance by a number of seconds"),
    ("/clock/advance", {"amount": "nan", "unit": "hours"}, "Advance by a number of seconds"),
    ("/clock/advance", {"amount": "1e9", "unit": "days"}, "(advance_seconds: Invalid field.)"),
])
def test_bad_input_is_flashed(dashboard: Any, real_after: Admin, path: str,  # noqa: F811
                              form: dict[str, str], says: str) -> None:
    out = follow(dashboard, dashboard.post(path, form))
    assert out.status_code == 200
    assert flash(out).startswith("err: ") and says in flash(out), flash(out)
    assert admin_clock(real_after)["mode"] == "real"


def test_guards(server: Server, dashboard: Any, real_after: Admin) -> None:  # noqa: F811
    anon = httpx.Client(base_url=server.url, follow_redirects=False, headers={"Origin": server.url})
    resp = anon.get(UI + "/clock")
    assert resp.status_code == 303 and "/login?next=" in resp.headers["location"]
    assert anon.post(UI + "/clock/freeze", data={"now": "2030-01-01T00:00:00Z"}).status_code == 403
    forged = dashboard.client.post(UI + "/clock/freeze", data={"csrf": "0" * 40, "now": "2030-01-01T00:00:00Z"})
    assert forged.status_code == 403
    other = dashboard.client.post(UI + "/clock/real", data={"csrf": dashboard.csrf},
                                  headers={"Origin": "http://evil.example"})
    assert other.status_code == 403
    assert admin_clock(real_after)["mode"] == "real"


def test_the_clock_control_moves_the_clock(page: Any, real_after: Admin) -> None:  # noqa: F811
    page.goto(UI + "/clock")
    assert page.locator("#clock-mode").inner_text() == "real"
    page.fill("#freeze-at", "2030-02-03T04:05:06")
    page.click("#freeze-form button[type=submit]")
    page.wait_for_selector(".flash.ok")
    assert page.locator("#clock-sim").inner_text() == "2030-02-03T04:05:06Z"
    assert page.locator("#clock-mode").inner_text() == "frozen"
    assert page.locator("#sim-now").inner_text() == "2030-02-03T04:05:06Z"    # the header of every page
    assert admin_clock(real_after)["now"] == "2030-02-03T04:05:06Z"

    page.fill("#advance-amount", "3")
    page.select_option("#advance-unit", "hours")
    page.click("#advance-form button[type=submit]")
    page.wait_for_selector("text=Clock moved by 3 hours")
    assert page.locator("#clock-sim").inner_text() == "2030-02-03T07:05:06Z"
    assert admin_clock(real_after) == {"now": "2030-02-03T07:05:06Z", "epoch": 1896332706.0, "mode": "frozen"}
    shot(page, "clock")

    page.click("#real-form button[type=submit]")
    page.wait_for_selector("text=Clock back to wall time")
    assert page.locator("#clock-mode").inner_text() == "real"
    assert admin_clock(real_after)["mode"] == "real"
