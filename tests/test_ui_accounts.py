"""Dashboard accounts pages over HTTP (both backends) and in Chromium: the list of accounts, an
account's plan, licences, users (with their webinar licence) and apps (client id, secrets
hidden until clicked), 404 for an unknown account, and the login guard."""
from __future__ import annotations

import re
from typing import Any

import httpx
from support import Admin, Api, Server, unique_email
from ui_kit import UI, Dashboard, browser, dashboard, page, shot  # noqa: F401


def app_row(html: str, client_id: str) -> str:
    """The table row of one app on an account page."""
    match = re.search(rf'<tr class="app" data-client-id="{re.escape(client_id)}">(.*?)</tr>', html, re.S)
    assert match, f"no row for app {client_id}"
    return match.group(1)


def test_the_list_shows_a_new_account_with_its_counts(dashboard: Dashboard, admin: Admin, api: Api) -> None:  # noqa: F811
    admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("member")})
    r = dashboard.get("/accounts")
    assert r.status_code == 200, r.text
    row = re.search(rf'<tr>\s*<td><a href="{UI}/accounts/{api.account_id}">(.*?)</tr>', r.text, re.S)
    assert row, "the new account is not on the first page"
    cells = re.findall(r'<td class="num">(?:<a [^>]*>)?(\d+)', row.group(1))
    assert cells == ["2", "1", "0", "0"]          # users, apps, meetings, events
    assert "business" in row.group(1) and f"owner-{api.account_id[:8].lower()}@example.com" in row.group(1)


def test_the_list_pages_older_accounts_and_ignores_bad_keys(dashboard: Dashboard, admin: Admin) -> None:  # noqa: F811
    made = [admin.tenant() for _ in range(2)]
    for bad in ("abc", "-1", "0", "9" * 40, "²", "١٢"):
        assert dashboard.get("/accounts", params={"before": bad}).status_code == 200
    newest = dashboard.get("/accounts").text
    assert newest.index(made[1].account_id) < newest.index(made[0].account_id)
    older = re.search(r'href="[^"]*/accounts\?before=(\d+)"', newest)
    if older:       # more than one page on this server: the next page holds none of the first's
        rest = dashboard.get("/accounts", params={"before": older.group(1)}).text
        assert made[1].account_id not in rest


def test_an_account_page_shows_plan_users_and_apps(dashboard: Dashboard, admin: Admin) -> None:  # noqa: F811
    api = admin.tenant(plan="pro", licences={"large_meeting": True, "webinar": False})
    member = admin.call("POST", f"/accounts/{api.account_id}/users",
                        {"email": unique_email("host"), "first_name": "Wen", "last_name": "Bi",
                         "features": {"webinar": 1000}})
    second = admin.call("POST", f"/accounts/{api.account_id}/apps", {"name": "Reports app",
                                                                     "scopes": ["report:read:admin"]})
    r = dashboard.get(f"/accounts/{api.account_id}")
    assert r.status_code == 200, r.text
    html = r.text
    assert '<span class="badge plan">pro</span>' in html
    assert re.search(r'<span class="badge ok">on</span> large meeting', html)
    assert re.search(r'<span class="badge ">off</span> webinar', html)
    assert member["email"] in html and "Wen Bi" in html and "1000 attendees" in html
    first = app_row(html, api.client_id)
    assert re.search(r'<span class="secret secret-token" data-hidden="1">.*?<code class="value">[^<]+</code>',
                     first, re.S)
    assert "shown once at creation" in first and api.client_secret not in html
    assert f"{len(api.scopes)} scopes" in first                     # the long list folds away
    reports = app_row(html, second["client_id"])
    assert "Reports app" in reports and '<code class="scope">report:read:admin</code>' in reports
    assert second["secret_token"] in reports
    for tab in ("meetings", "webinars", "events"):
        assert f'href="{UI}/accounts/{api.account_id}/{tab}"' in html


def test_the_default_app_shows_its_client_secret(dashboard: Dashboard, admin: Admin) -> None:  # noqa: F811
    info = admin.call("GET", "/")
    html = dashboard.get(f"/accounts/{info['account_id']}").text
    row = app_row(html, info["client_id"])
    assert f'<code class="value">{info["client_secret"]}</code>' in row
    assert f'<code class="value">{info["secret_token"]}</code>' in row


def test_unknown_account_is_a_404(dashboard: Dashboard) -> None:  # noqa: F811
    for path in ("/accounts/nosuchaccount", "/accounts/%00x", "/accounts/" + "x" * 300):
        r = dashboard.get(path)
        assert r.status_code == 404, (path, r.text)
        assert "Not found" in r.text


def test_not_signed_in_goes_to_login(server: Server, api: Api) -> None:
    for path in ("/accounts", f"/accounts/{api.account_id}"):
        r = httpx.get(server.url + UI + path, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith(UI + "/login?next=")


def test_an_account_and_its_app_are_listed(page: Any, api: Api) -> None:  # noqa: F811
    page.goto(UI + "/accounts")
    shot(page, "accounts_list")
    page.click(f'a[href="{UI}/accounts/{api.account_id}"]')
    page.wait_for_url(f"**/accounts/{api.account_id}")
    row = page.locator(f'tr.app[data-client-id="{api.client_id}"]')
    assert row.locator("code.client-id").inner_text() == api.client_id
    token = row.locator(".secret-token code.value")
    assert not token.is_visible()
    row.locator(".secret-token [data-reveal]").click()
    token.wait_for(state="visible")
    assert len(token.inner_text()) >= 20
    assert row.locator(".secret-token [data-reveal]").inner_text() == "hide"
    shot(page, "accounts")
