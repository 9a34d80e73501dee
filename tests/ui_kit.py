"""Driving the dashboard in tests: a signed-in HTTP client (cookie and CSRF token handled like a
browser would), and a real headless Chromium through Playwright where one is installed."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from support import Server

UI = "/_zoomsim/ui"
SHOTS = Path(__file__).resolve().parent / "artifacts" / "ui"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class Dashboard:
    """An httpx client signed in to one server's dashboard."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.client = httpx.Client(base_url=server.url, follow_redirects=False, timeout=30,
                                   headers={"Origin": server.url})
        self._csrf = ""

    def sign_in(self) -> "Dashboard":
        resp = self.client.post(UI + "/login", data={"admin_key": self.server.admin_key, "next": UI + "/"})
        assert resp.status_code == 303, resp.text
        return self

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.get(UI + path, **kw)

    @property
    def csrf(self) -> str:
        if not self._csrf:
            match = CSRF.search(self.get("/").text)
            assert match, "no CSRF token on the overview page"
            self._csrf = match.group(1)
        return self._csrf

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        return self.client.post(UI + path, data={"csrf": self.csrf, **(data or {})}, **kw)


@pytest.fixture
def dashboard(server: Server) -> Iterator[Dashboard]:
    board = Dashboard(server).sign_in()
    yield board
    board.client.close()


def chromium_path() -> str | None:
    return os.environ.get("ZOOMSIM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright's Python client (it never downloads a browser).

    Module scope: while Playwright's sync API runs, its event loop is the running loop of the
    main thread, so asyncio.run() fails everywhere else in the process (other modules' tests
    use it). pytest tears a module's fixture down before the next module's tests, so one
    Playwright runs at a time and none outlives its module."""
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A signed-in browser tab at laptop width (the login form filled in like a person would)."""
    context = browser.new_context(viewport={"width": 1366, "height": 860}, base_url=server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto(UI + "/")
    tab.fill("#admin_key", server.admin_key)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"**{UI}/")
    yield tab
    context.close()


def shot(tab: Any, name: str) -> Path:
    """Every browser test keeps a screenshot of what it saw (tests/artifacts/ui/NAME.png)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
