"""Dashboard resource pages over HTTP (both backends) and in Chromium: an account's meetings,
webinars and Zoom Events events (newest first, paged), a meeting's, a webinar's and an event's
detail page (key facts, stored JSON, the history of changes from the API-call log), 404s for
unknown ids and the login guard."""
from __future__ import annotations

import html as htmllib
import re
import time
from typing import Any, Callable

import httpx
from support import Admin, Api, Server, new_meeting
from test_events_events import act, made
from test_events_sessions import added, conference
from test_events_tickets import new_type, sell
from ui_kit import UI, Dashboard, browser, dashboard, page, shot  # noqa: F401


def until(check: Callable[[], Any], what: str, seconds: float = 10.0) -> Any:
    """Polls `check` until it answers something true (the recorder writes in batches)."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def history_rows(html: str) -> list[tuple[str, str, str, str]]:
    """(seq, method, path, status) of each row of a detail page's history table."""
    table = re.search(r'<table class="history">(.*?)</table>', html, re.S)
    if not table:
        return []
    return re.findall(r'<tr>\s*<td><a href="[^"]*/calls/(\d+)">\d+</a></td>.*?<span class="method">(\w+)</span> '
                      r'<code>([^<]*)</code>.*?<span class="badge s\d">(\d+)</span>', table.group(1), re.S)


def listed_ids(html: str) -> list[str]:
    table = re.search(r'<table class="resources">(.*?)</table>', html, re.S)
    return re.findall(r'<tr>\s*<td><a href="[^"]*"><code>([^<]+)</code>', table.group(1)) if table else []


def stored_json(html: str) -> str:
    match = re.search(r'<pre class="json stored">(.*?)</pre>', html, re.S)
    assert match, "no stored JSON on the page"
    return htmllib.unescape(match.group(1))


def test_meetings_tab_lists_a_meeting_made_through_the_api(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    first = new_meeting(api, topic="Weekly sync")
    second = new_meeting(api, topic="Retro <b>")
    r = dashboard.get(f"/accounts/{api.account_id}/meetings")
    assert r.status_code == 200, r.text
    assert listed_ids(r.text) == [str(second["id"]), str(first["id"])]          # newest first
    assert "Weekly sync" in r.text and "Retro &lt;b&gt;" in r.text and "<b>" not in r.text.split("<main>")[1]
    assert f'href="{UI}/meetings/{first["id"]}"' in r.text and "scheduled" in r.text
    assert listed_ids(dashboard.get(f"/accounts/{api.account_id}/webinars").text) == []


def test_meeting_page_shows_json_and_history_of_changes(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    meeting = new_meeting(api, topic="Before", duration=30)
    number = meeting["id"]
    r = dashboard.get(f"/meetings/{number}")
    assert r.status_code == 200, r.text
    assert '"topic": "Before"' in stored_json(r.text)
    assert re.search(r"<dt>Duration</dt><dd>30 min</dd>", r.text)
    assert api.patch(f"/meetings/{number}", json={"topic": "After"}).status_code == 204

    def patched() -> Any:
        page_html = dashboard.get(f"/meetings/{number}").text
        rows = history_rows(page_html)
        return (page_html, rows) if any(m == "PATCH" for _, m, _, _ in rows) else None

    page_html, rows = until(patched, "the PATCH in the meeting's history")
    assert '"topic": "After"' in stored_json(page_html)
    assert [(m, p, s) for _, m, p, s in rows] == [("PATCH", f"/v2/meetings/{number}", "204"),
                                                  ("POST", "/v2/users/me/meetings", "201")]
    assert int(rows[0][0]) > int(rows[1][0])
    assert "&#34;topic&#34;: &#34;After&#34;" in page_html or "&quot;topic&quot;: &quot;After&quot;" in page_html


def test_webinar_page_and_tab(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    r = api.post("/users/me/webinars", json={"topic": "Town hall", "type": 5, "start_time": "2031-05-01T10:00:00Z",
                                             "duration": 45})
    assert r.status_code == 201, r.text
    webinar = r.json()
    tab = dashboard.get(f"/accounts/{api.account_id}/webinars").text
    assert listed_ids(tab) == [str(webinar["id"])] and "Town hall" in tab
    assert str(webinar["id"]) not in listed_ids(dashboard.get(f"/accounts/{api.account_id}/meetings").text)
    page_html = dashboard.get(f"/meetings/{webinar['id']}").text
    assert "<dt>Kind</dt><dd>webinar</dd>" in page_html and "Webinar " + str(webinar["id"]) in page_html
    assert '"topic": "Town hall"' in stored_json(page_html)
    assert "2031-05-01T10:00:00Z" in page_html
    rows = until(lambda: history_rows(dashboard.get(f"/meetings/{webinar['id']}").text), "the webinar's create")
    assert [(m, p) for _, m, p, _ in rows] == [("POST", "/v2/users/me/webinars")]


def test_event_page_shows_sessions_ticket_types_and_tickets(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    event_id = conference(api)
    session = added(api, event_id, name="Keynote")
    vip = new_type(api, event_id, name="VIP pass", quantity=10)
    assert act(api, event_id, operation="publish").status_code == 201
    sold = sell(api, event_id, {"email": "ana@example.com", "ticket_type_id": vip, "first_name": "Ana"},
                {"email": "bo@example.com"})
    assert sold.status_code == 201, sold.text
    tab = dashboard.get(f"/accounts/{api.account_id}/events").text
    assert listed_ids(tab) == [event_id] and "conference" in tab and "published" in tab
    page_html = dashboard.get(f"/events/{event_id}").text
    assert session["session_id"] in page_html and "Keynote" in page_html
    vip_row = re.search(rf"<tr>\s*<td><code>{vip}</code>.*?</tr>", page_html, re.S)
    assert vip_row and "VIP pass" in vip_row.group(0)
    assert re.search(r'<td class="num">10</td>\s*<td class="num sold">1</td>', vip_row.group(0))
    assert "ana@example.com" in page_html and "bo@example.com" in page_html and "Ana" in page_html
    assert re.search(r"<dt>Tickets sold</dt><dd>2</dd>", page_html)
    assert '"event_type": "CONFERENCE"' in stored_json(page_html)
    want = {("POST", "/v2/zoom_events/events"), ("POST", f"/v2/zoom_events/events/{event_id}/sessions"),
            ("POST", f"/v2/zoom_events/events/{event_id}/ticket_types"),
            ("POST", f"/v2/zoom_events/events/{event_id}/event_actions"),
            ("POST", f"/v2/zoom_events/events/{event_id}/tickets")}
    until(lambda: want <= {(m, p) for _, m, p, _ in history_rows(dashboard.get(f"/events/{event_id}").text)},
          "the event's five writes in its history")


def test_simple_event_is_on_the_events_tab(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    event = made(api, name="Launch party")
    tab = dashboard.get(f"/accounts/{api.account_id}/events").text
    assert "Launch party" in tab and "simple event" in tab and "draft" in tab
    page_html = dashboard.get(f"/events/{event['event_id']}").text
    assert "General Admission" in page_html and "No tickets sold." in page_html


def test_a_deleted_meeting_keeps_its_page_and_shows_the_delete(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    number = new_meeting(api, topic="Cancelled")["id"]
    assert api.delete(f"/meetings/{number}").status_code == 204
    tab = dashboard.get(f"/accounts/{api.account_id}/meetings").text
    assert str(number) in listed_ids(tab) and '<span class="badge err">deleted</span>' in tab
    rows = until(lambda: [r for r in history_rows(dashboard.get(f"/meetings/{number}").text) if r[1] == "DELETE"],
                 "the DELETE in the meeting's history")
    assert rows[0][2:] == (f"/v2/meetings/{number}", "204")


def test_lists_page_older_rows_by_keyset(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    made_ids = [str(new_meeting(api, topic=f"M{i}")["id"]) for i in range(52)]
    first = dashboard.get(f"/accounts/{api.account_id}/meetings").text
    assert listed_ids(first) == made_ids[::-1][:50]
    older = re.search(r'<a class="older" href="[^"]*\?before=(\d+)"', first)
    assert older
    rest = dashboard.get(f"/accounts/{api.account_id}/meetings", params={"before": older.group(1)}).text
    assert listed_ids(rest) == made_ids[1::-1] and 'class="older"' not in rest
    for bad in ("x", "-5", "1e9", "²"):        # ignored, not a 500
        assert listed_ids(dashboard.get(f"/accounts/{api.account_id}/meetings", params={"before": bad}).text) \
            == made_ids[::-1][:50]


def test_unknown_ids_are_404(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    for path in ("/meetings/1", "/meetings/abc", "/meetings/" + "9" * 30, "/events/nosuchevent",
                 "/events/" + "e" * 100, "/events/a%00b", "/accounts/nosuch/meetings", "/accounts/nosuch/events",
                 "/accounts/%00/webinars"):
        r = dashboard.get(path)
        assert r.status_code == 404, (path, r.status_code, r.text[:300])
        assert "Not found" in r.text


def test_not_signed_in_goes_to_login(server: Server, api: Api) -> None:
    number = new_meeting(api)["id"]
    for path in (f"/accounts/{api.account_id}/meetings", f"/meetings/{number}", "/events/x"):
        r = httpx.get(server.url + UI + path, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith(UI + "/login?next=")


def test_a_meeting_created_through_the_api_appears(page: Any, api: Api, admin: Admin) -> None:  # noqa: F811
    number = new_meeting(api, topic="Browser planning")["id"]
    page.goto(f"{UI}/accounts/{api.account_id}")
    page.click(f'a[href="{UI}/accounts/{api.account_id}/meetings"]')
    page.click("text=Browser planning")
    page.wait_for_url(f"**/meetings/{number}")
    assert '"topic": "Browser planning"' in page.locator("pre.json.stored").inner_text()
    assert api.patch(f"/meetings/{number}", json={"topic": "Browser planning, moved", "duration": 90}).status_code \
        == 204

    def reloaded() -> bool:
        page.reload()
        return page.locator("table.history .method", has_text="PATCH").count() == 1

    until(reloaded, "the PATCH on the meeting page")
    assert '"topic": "Browser planning, moved"' in page.locator("pre.json.stored").inner_text()
    page.locator("table.history tr", has_text="PATCH").locator("summary").click()
    assert '"duration": 90' in page.locator("table.history tr", has_text="PATCH").locator("pre.json").inner_text()
    shot(page, "meeting")


def test_an_event_page_in_the_browser(page: Any, api: Api) -> None:  # noqa: F811
    event_id = conference(api)
    added(api, event_id, name="Opening keynote")
    new_type(api, event_id, name="Early bird", quantity=5)
    assert act(api, event_id, operation="publish").status_code == 201
    assert sell(api, event_id, {"email": "cy@example.com", "first_name": "Cy"}).status_code == 201
    page.goto(f"{UI}/accounts/{api.account_id}/events")
    page.click(f'a[href="{UI}/events/{event_id}"] >> nth=0')
    page.wait_for_url(f"**/events/{event_id}")
    assert page.locator("table.sessions", has_text="Opening keynote").count() == 1
    assert page.locator("table.tickets", has_text="cy@example.com").count() == 1

    def logged() -> bool:
        page.reload()
        return page.locator("table.history .method", has_text="POST").count() >= 5

    until(logged, "the event's create, session, ticket type, publish and sale in its history")
    shot(page, "event")
