"""The dashboard's reset page, on a server of its own per backend (a reset empties the database,
and the shared session server's data belongs to the other tests)."""
from __future__ import annotations

import html
import re
from typing import Any, Iterator

import httpx
import pytest

from support import Admin, Server
from support import own_server as support_own_server
from ui_kit import UI, Dashboard, browser, shot  # noqa: F401


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def own_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from support_own_server(request.param, tmp_path_factory.mktemp("reset"), "zs_ui_reset", rate_limits=False)


@pytest.fixture
def board(own_server: Server) -> Iterator[Dashboard]:
    signed = Dashboard(own_server).sign_in()
    yield signed
    signed.client.close()


def flash(resp: httpx.Response) -> str:
    match = re.search(r'<p class="flash (ok|err)">([^<]*)</p>', resp.text)
    return f"{match.group(1)}: {html.unescape(match.group(2))}" if match else ""


def account_ids(admin: Admin) -> set[str]:
    out = admin.call("GET", "/accounts")
    return {a["account_id"] if "account_id" in a else a["id"] for a in out["accounts"]}


def test_page_explains_and_counts(board: Dashboard) -> None:
    resp = board.get("/reset")
    assert resp.status_code == 200
    text = resp.text
    assert "Every row goes" in text and "stops working" in text and "default account and app come back" in text
    assert 'data-confirm="' in text and 'name="confirm"' in text


def test_wrong_word_deletes_nothing_right_word_resets(own_server: Server, board: Dashboard) -> None:
    admin = Admin(own_server)
    api = admin.tenant()
    assert api.get("/users/me").status_code == 200
    before = account_ids(admin)
    assert api.account_id in before

    for word in ("", "yes", "RESET please"):
        out = board.client.get(board.post("/reset", {"confirm": word}).headers["location"])
        assert flash(out).startswith('err: Nothing was deleted: type "reset"'), flash(out)
    assert account_ids(admin) == before
    assert api.get("/users/me").status_code == 200

    resp = board.post("/reset", {"confirm": " Reset "})
    assert resp.status_code == 303 and resp.headers["location"].startswith(UI + "/?done=")
    home = board.client.get(resp.headers["location"])
    assert home.status_code == 200, "the dashboard session survives a reset (same admin key)"
    assert flash(home).startswith("ok: Reset done"), flash(home)

    after = account_ids(admin)
    assert api.account_id not in after
    assert own_server.app.services.installation.account_id in after     # the default account is back
    assert api.get("/users/me").status_code == 401                       # its token no longer works
    assert board.get("/reset").status_code == 200


def test_guards(own_server: Server, board: Dashboard) -> None:
    admin = Admin(own_server)
    api = admin.tenant()
    anon = httpx.Client(base_url=own_server.url, follow_redirects=False, headers={"Origin": own_server.url})
    resp = anon.get(UI + "/reset")
    assert resp.status_code == 303 and "/login?next=" in resp.headers["location"]
    assert anon.post(UI + "/reset", data={"confirm": "reset"}).status_code == 403
    forged = board.client.post(UI + "/reset", data={"csrf": "f" * 40, "confirm": "reset"})
    assert forged.status_code == 403
    cross = board.client.post(UI + "/reset", data={"csrf": board.csrf, "confirm": "reset"},
                              headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    assert api.account_id in account_ids(admin)


def test_reset_in_the_browser(browser: Any, own_server: Server) -> None:  # noqa: F811
    admin = Admin(own_server)
    api = admin.tenant()
    context = browser.new_context(viewport={"width": 1366, "height": 860}, base_url=own_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        tab.goto(UI + "/reset")
        tab.fill("#admin_key", own_server.admin_key)
        tab.click("button[type=submit]")
        tab.wait_for_url(f"**{UI}/reset")
        tab.fill("#reset-confirm", "reset")
        shot(tab, "reset")
        tab.once("dialog", lambda d: d.dismiss())      # a second thought: nothing happens
        tab.click("#reset-form button[type=submit]")
        assert tab.url.endswith(UI + "/reset")
        assert api.account_id in account_ids(admin)
        tab.once("dialog", lambda d: d.accept())
        tab.click("#reset-form button[type=submit]")
        tab.wait_for_selector(".flash.ok")
        assert tab.locator("h1").inner_text() == "Overview"
        assert "Reset done" in tab.locator(".flash.ok").inner_text()
        assert api.account_id not in account_ids(admin)
    finally:
        context.close()
