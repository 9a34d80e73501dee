"""Signing in to the dashboard over HTTP: the form, the cookie's attributes, where it sends you
next, signing out, forged cookies and forms, the headers every page carries, and the dashboard
being off wherever the admin API is off."""
from __future__ import annotations

import re
from typing import Any, Iterator

import httpx
import pytest

from support import Server
from ui_kit import UI, Dashboard, dashboard  # noqa: F401


def client(server: Server) -> httpx.Client:
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=30, headers={"Origin": server.url})


def test_pages_send_you_to_the_form_and_back(server: Server) -> None:
    with client(server) as http:
        r = http.get(UI + "/accounts?x=1")
        assert r.status_code == 303
        assert r.headers["location"] == UI + "/login?next=%2F_zoomsim%2Fui%2Faccounts%3Fx%3D1"
        form = http.get(r.headers["location"])
        assert form.status_code == 200 and 'name="admin_key"' in form.text and 'type="password"' in form.text
        assert 'value="/_zoomsim/ui/accounts?x=1"' in form.text
        signed = http.post(UI + "/login", data={"admin_key": server.admin_key, "next": UI + "/accounts?x=1"})
        assert signed.status_code == 303 and signed.headers["location"] == UI + "/accounts?x=1"
        cookie = signed.headers["set-cookie"]
        assert cookie.startswith("zoomsim_ui=")
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite", "path", "max-age"} <= attributes
        assert "samesite=strict" in cookie.lower() and "path=/_zoomsim/ui" in cookie.lower()
        assert http.get(UI + "/accounts").status_code == 200
        assert http.get(UI + "/login").status_code == 303            # signed in already: on to the pages


def test_a_wrong_key_is_refused(server: Server) -> None:
    with client(server) as http:
        for key in ("", "nope", server.admin_key + "x", "ключ"):
            r = http.post(UI + "/login", data={"admin_key": key})
            assert r.status_code == 401 and "not this server" in r.text and "set-cookie" not in r.headers
        assert http.get(UI + "/").status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/v2/users/me",
                                    "/_zoomsim/ui//evil.example", "javascript:alert(1)"])
def test_next_never_leaves_the_dashboard(server: Server, target: str) -> None:
    with client(server) as http:
        r = http.post(UI + "/login", data={"admin_key": server.admin_key, "next": target})
        assert r.status_code == 303 and r.headers["location"] == UI + "/"


def test_forged_or_foreign_requests_are_refused(server: Server, dashboard: Dashboard) -> None:  # noqa: F811
    with client(server) as http:
        http.cookies.set("zoomsim_ui", "1796290481.00ff", path="/_zoomsim/ui")
        assert http.get(UI + "/").status_code == 303              # a forged cookie is no session
    foreign = dashboard.client.post(UI + "/logout", data={"csrf": dashboard.csrf},
                                    headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert dashboard.client.post(UI + "/logout", data={"csrf": "0" * 40}).status_code == 403
    login_elsewhere = httpx.post(server.url + UI + "/login", data={"admin_key": server.admin_key},
                                 headers={"Origin": "https://evil.example"})
    assert login_elsewhere.status_code == 403
    assert dashboard.get("/").status_code == 200                 # still signed in after all that


def test_sign_out(server: Server) -> None:
    board = Dashboard(server).sign_in()
    r = board.post("/logout")
    assert r.status_code == 303 and r.headers["location"] == UI + "/login"
    assert "zoomsim_ui=" in r.headers["set-cookie"] and "max-age=0" in r.headers["set-cookie"].lower()
    assert board.get("/").status_code == 303


def test_headers_and_static_files(dashboard: Dashboard) -> None:  # noqa: F811
    page = dashboard.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    assert not re.search(r"<script>(?!</script>)", page.text)       # no inline script anywhere
    assert re.search(r'<script src="/_zoomsim/ui/static/ui\.js"', page.text)
    for name, kind in (("ui.css", "text/css"), ("ui.js", "javascript")):
        r = dashboard.get(f"/static/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"]
    assert "http" not in dashboard.get("/static/ui.css").text          # nothing fetched from elsewhere
    missing = dashboard.get("/no/such/page")
    assert missing.status_code == 404 and "Not found" in missing.text


@pytest.fixture
def public_server(tmp_path: Any) -> Iterator[Server]:
    """A server configured for a public bind without an admin key: the admin API is off."""
    srv = Server(f"sqlite:///{tmp_path / 'public.db'}", host="0.0.0.0").start()
    yield srv
    srv.stop()


def test_off_where_the_admin_api_is_off(public_server: Server) -> None:
    for path in ("/", "/login", "/accounts", "/static/ui.css"):
        r = httpx.get(public_server.url + UI + path)
        assert r.status_code == 404 and r.json() == {"code": 404, "message": "Not Found."}
    assert httpx.post(public_server.url + UI + "/login", data={"admin_key": "x"}).status_code == 404
