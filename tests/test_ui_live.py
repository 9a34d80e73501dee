"""The dashboard's Live page: running meetings and webinars with the people in them, kept current
by a server-sent-events stream (no reload), and the buttons that drive the simulation."""
from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from support import Admin, Api, Server, new_meeting, unique_email
from ui_kit import UI, Dashboard, browser, dashboard, page, shot  # noqa: F401


def sim(admin: Admin, path: str, body: Any = None, collection: str = "meetings") -> Any:
    return admin.call("POST", f"/{collection}/{path}", body)


def flash(resp: httpx.Response) -> dict[str, str]:
    """The one-line message an action redirected back with ({"done": ...} or {"error": ...})."""
    assert resp.status_code == 303, resp.text
    location = urlsplit(resp.headers["location"])
    assert location.path == UI + "/live"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def section(html: str, number: int | str) -> str:
    """The card of one running meeting on the page ('' when it is not there)."""
    match = re.search(rf'<section class="card running" data-number="{number}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def new_webinar(api: Api, topic: str) -> dict[str, Any]:
    r = api.post("/users/me/webinars", json={"topic": topic})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def read_events(board: Dashboard, until: Any, timeout: float = 10.0) -> tuple[httpx.Response, list[Any]]:
    """Reads the stream's `data:` events until `until(events)` holds (or the deadline)."""
    events: list[Any] = []
    deadline = time.time() + timeout
    with board.client.stream("GET", UI + "/live/stream", timeout=httpx.Timeout(timeout, read=5.0)) as resp:
        if resp.status_code != 200:
            resp.read()
            return resp, events
        for line in resp.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[len("data: "):]))
                if until(events):
                    break
            assert time.time() < deadline, f"the stream never showed it: {events[-1:]}"
    return resp, events


# ---- HTTP -------------------------------------------------------------------------------------

def test_running_meeting_and_its_people_are_listed(dashboard: Dashboard, admin: Admin, api: Api) -> None:  # noqa: F811
    m = new_meeting(api, topic="Live <b>standup</b>")
    email = unique_email("ann")
    assert dashboard.get("/live").status_code == 200
    assert section(dashboard.get("/live").text, m["id"]) == ""            # not running yet
    sim(admin, f"{m['id']}/start")
    sim(admin, f"{m['id']}/participants", {"name": "Ann Lee", "email": email})
    card = section(dashboard.get("/live").text, m["id"])
    assert "Live &lt;b&gt;standup&lt;/b&gt;" in card and "<b>standup" not in card     # escaped
    assert "Ann Lee" in card and email in card and "attendee" in card
    assert api.account_id in card
    assert '<dd class="in-now">1</dd>' in card
    sim(admin, f"{m['id']}/end")
    assert section(dashboard.get("/live").text, m["id"]) == ""


def test_buttons_start_join_leave_end(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    m = new_meeting(api, topic="Driven from the dashboard")
    number = str(m["id"])
    assert "started" in flash(dashboard.post("/live/start", {"number": number}))["done"]
    assert api.get(f"/meetings/{number}").json()["status"] == "started"
    done = flash(dashboard.post(f"/live/{number}/join", {"name": "Bo", "email": "bo@example.com"}))["done"]
    assert done == f"Bo joined meeting {number} as attendee."
    flash(dashboard.post(f"/live/{number}/join", {"name": "Cy", "email": ""}))
    card = section(dashboard.get("/live").text, number)
    assert "Bo" in card and "Cy" in card and '<dd class="in-now">2</dd>' in card
    pid = re.search(r'<tr data-pid="(\d+)">\s*<td class="name">Bo</td>', card)
    assert pid, card
    assert "left" in flash(dashboard.post(f"/live/{number}/participants/{pid.group(1)}/leave"))["done"]
    card = section(dashboard.get("/live").text, number)
    assert ">Bo<" not in card and ">Cy<" in card
    again = flash(dashboard.post(f"/live/{number}/participants/{pid.group(1)}/leave"))
    assert "is not in meeting" in again["error"]
    done = flash(dashboard.post(f"/live/{number}/end"))["done"]
    assert done.startswith(f"Meeting {number} ended: 2 participants")
    assert section(dashboard.get("/live").text, number) == ""
    after = api.get(f"/meetings/{number}").json()
    assert after["status"] == "waiting" and after["uuid"] != m["uuid"]


def test_webinar_runs_through_its_own_routes(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    w = new_webinar(api, "All hands")
    number = str(w["id"])
    assert flash(dashboard.post("/live/start", {"number": number}))["done"].startswith(f"Webinar {number} started")
    card = section(dashboard.get("/live").text, number)
    assert "kind-webinar" in card and 'name="role"' in card
    done = flash(dashboard.post(f"/live/{number}/join", {"name": "Pat", "email": "pat@example.com",
                                                         "role": "panelist"}))["done"]
    assert done == f"Pat joined webinar {number} as panelist."
    assert "panelist" in section(dashboard.get("/live").text, number)
    assert "Webinar" in flash(dashboard.post(f"/live/{number}/end"))["done"]


def test_errors_are_flashed(dashboard: Dashboard, api: Api) -> None:  # noqa: F811
    assert "number" in flash(dashboard.post("/live/start", {"number": ""}))["error"]
    assert flash(dashboard.post("/live/start", {"number": "123"}))["error"] == "Meeting does not exist: 123."
    assert "does not exist" in flash(dashboard.post("/live/start", {"number": "x'1"}))["error"]
    m = new_meeting(api)
    number = str(m["id"])
    assert "not in progress" in flash(dashboard.post(f"/live/{number}/join", {"name": "Ann"}))["error"]
    assert "not in progress" in flash(dashboard.post(f"/live/{number}/end"))["error"]
    flash(dashboard.post("/live/start", {"number": number}))
    assert "already in progress" in flash(dashboard.post("/live/start", {"number": number}))["error"]
    nameless = flash(dashboard.post(f"/live/{number}/join", {"name": "", "email": ""}))["error"]
    assert nameless.startswith("Validation Failed.") and "name" in nameless
    assert "email" in flash(dashboard.post(f"/live/{number}/join", {"email": "not-an-email"}))["error"]
    assert "panelists" in flash(dashboard.post(f"/live/{number}/join", {"name": "Al", "role": "panelist"}))["error"]
    assert "Length" in flash(dashboard.post(f"/live/{number}/join", {"name": "n" * 300}))["error"]
    flash(dashboard.post(f"/live/{number}/end"))


def test_forms_need_csrf_and_a_session(dashboard: Dashboard, server: Server, api: Api) -> None:  # noqa: F811
    m = new_meeting(api)
    number = str(m["id"])
    refused = dashboard.client.post(UI + "/live/start", data={"number": number, "csrf": "0" * 40})
    assert refused.status_code == 403
    foreign = dashboard.client.post(UI + "/live/start", data={"number": number, "csrf": dashboard.csrf},
                                    headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert api.get(f"/meetings/{number}").json()["status"] == "waiting"          # nothing started
    with httpx.Client(base_url=server.url, headers={"Origin": server.url}) as stranger:
        page_ = stranger.get(UI + "/live")
        assert page_.status_code == 303 and "/login" in page_.headers["location"]
        assert stranger.post(UI + "/live/start", data={"number": number, "csrf": dashboard.csrf}).status_code == 403
        assert stranger.post(UI + f"/live/{number}/end", data={"csrf": ""}).status_code == 403


def test_stream_is_for_signed_in_browsers_only(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as stranger:
        with stranger.stream("GET", UI + "/live/stream") as resp:
            assert resp.status_code == 401
            assert not resp.headers["content-type"].startswith("text/event-stream")
            assert b"data:" not in resp.read()
    with httpx.Client(base_url=server.url, timeout=10, cookies={"zoomsim_ui": "1700000000.deadbeef"}) as forger:
        assert forger.get(UI + "/live/stream").status_code == 401


def test_stream_sends_the_snapshot_then_each_change(dashboard: Dashboard, admin: Admin, api: Api) -> None:  # noqa: F811
    m = new_meeting(api, topic="Streamed")
    number = str(m["id"])
    sim(admin, f"{number}/start")

    def mine(event: Any) -> dict[str, Any] | None:
        return next((r for r in event["running"] if r["number"] == number), None)

    resp, events = read_events(dashboard, lambda ev: mine(ev[-1]) is not None)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/event-stream")
    assert resp.headers["cache-control"] == "no-store" and resp.headers["x-accel-buffering"] == "no"
    first = mine(events[-1])
    assert first is not None and first["topic"] == "Streamed" and first["count"] == 0 and events[-1]["now"]

    email = unique_email("dee")
    joined: list[bool] = []

    def after_join(ev: list[Any]) -> bool:
        if not joined:                     # the first event came: now someone joins
            joined.append(True)
            sim(admin, f"{number}/participants", {"name": "Dee", "email": email})
            return False
        found = mine(ev[-1])
        return found is not None and any(p["email"] == email for p in found["participants"])

    _, events = read_events(dashboard, after_join)
    people = mine(events[-1])["participants"]  # type: ignore[index]
    assert [(p["name"], p["role"]) for p in people] == [("Dee", "attendee")]
    assert len(events) >= 2                      # sent again because it changed, not reloaded
    sim(admin, f"{number}/end")
    _, events = read_events(dashboard, lambda ev: mine(ev[-1]) is None)
    assert mine(events[-1]) is None


# ---- in the browser -------------------------------------------------------------------------

def test_a_simulated_participant_appears_without_reload(page: Any, admin: Admin, api: Api) -> None:  # noqa: F811
    expect = pytest.importorskip("playwright.sync_api").expect
    m = new_meeting(api, topic="Browser live view")
    number = m["id"]
    page.goto(UI + "/live")
    expect(page.locator("#live-state .text")).to_have_text("live")
    page.evaluate("window.__notReloaded = true")
    card = page.locator(f'section.running[data-number="{number}"]')
    expect(card).to_have_count(0)
    sim(admin, f"{number}/start")
    expect(card).to_be_visible()
    expect(card.locator(".topic")).to_have_text("Browser live view")
    sim(admin, f"{number}/participants", {"name": "Ann <i>Live</i>", "email": "ann.live@example.com"})
    expect(card.locator("td.name")).to_have_text(["Ann <i>Live</i>"])                  # text, not markup
    card.locator(".join-form input[name=name]").fill("Half-typed")     # what someone is typing survives
    sim(admin, f"{number}/participants", {"name": "Ben Live", "email": "ben.live@example.com"})
    expect(card.locator("td.name")).to_have_text(["Ann <i>Live</i>", "Ben Live"])
    expect(card.locator(".join-form input[name=name]")).to_have_value("Half-typed")
    expect(card.locator(".in-now")).to_have_text("2")
    assert page.evaluate("window.__notReloaded") is True
    shot(page, "live")
    sim(admin, f"{number}/end")
    expect(card).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True


def test_buttons_in_the_browser(page: Any, api: Api) -> None:  # noqa: F811
    expect = pytest.importorskip("playwright.sync_api").expect
    w = new_webinar(api, "Clicked webinar")
    number = str(w["id"])
    page.goto(UI + "/live")
    page.fill("#start-number", number)
    page.click("#start-form button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text(f"Webinar {number} started")
    card = page.locator(f'section.running[data-number="{number}"]')
    expect(page.locator("#live-state .text")).to_have_text("live")
    card.locator(".join-form input[name=name]").fill("Zed Panel")
    card.locator(".join-form input[name=email]").fill("zed@example.com")
    card.locator(".join-form select[name=role]").select_option("panelist")
    card.locator(".join-form button").click()
    expect(page.locator(".flash.ok")).to_have_text(f"Zed Panel joined webinar {number} as panelist.")
    expect(card.locator("td.name")).to_have_text(["Zed Panel"])
    card.locator("tr", has_text="Zed Panel").locator("button", has_text="Remove").click()
    expect(page.locator(".flash.ok")).to_contain_text("left webinar")
    expect(card.locator("tr.nobody")).to_be_visible()
    card.locator(".end-form button").click()                # confirm() dismissed: nothing ends
    expect(page.locator(".flash.ok")).to_contain_text("left webinar")      # no new page came
    expect(card).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    card.locator(".end-form button").click()
    expect(page.locator(".flash.ok")).to_contain_text(f"Webinar {number} ended")
    expect(card).to_have_count(0)
    page.fill("#start-number", "99999999999")
    page.click("#start-form button[type=submit]")
    expect(page.locator(".flash.err")).to_have_text("Meeting does not exist: 99999999999.")
    shot(page, "live_buttons")


def test_stream_pings_and_ends_by_itself(dashboard: Dashboard, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """A stream that never ended would hold up the server's graceful shutdown: it ends after
    STREAM_SECONDS (EventSource opens the next), with ping comments while nothing changes."""
    from zoomsim.ui.pages import live                   # the server runs in this process

    monkeypatch.setattr(live, "STREAM_SECONDS", 1.5)
    monkeypatch.setattr(live, "PING_SECONDS", 0.4)
    started = time.time()
    with dashboard.client.stream("GET", UI + "/live/stream", timeout=httpx.Timeout(10.0, read=5.0)) as resp:
        lines = list(resp.iter_lines())                  # returns only because the server ends the stream
    assert time.time() - started < 6
    assert lines[0] == f"retry: {live.RETRY_MS}"
    assert sum(line.startswith("data: ") for line in lines) == 1      # nothing changed: one snapshot
    assert ": ping" in lines


def test_another_server_on_the_database_shows_the_same(limited_server: Server, admin: Admin, api: Api) -> None:
    """State comes from the database, not a worker's memory: a second server on the same
    database (as a second worker would) streams what the first one's simulation did."""
    other = Dashboard(limited_server).sign_in()
    try:
        m = new_meeting(api, topic="Seen everywhere")
        number = str(m["id"])
        sim(admin, f"{number}/start")
        sim(admin, f"{number}/participants", {"name": "Eve Elsewhere", "email": "eve@example.com"})
        assert "Eve Elsewhere" in section(other.get("/live").text, number)

        def has_eve(ev: list[Any]) -> bool:
            return any(r["number"] == number and [p["name"] for p in r["participants"]] == ["Eve Elsewhere"]
                       for r in ev[-1]["running"])

        resp, events = read_events(other, has_eve)
        assert resp.status_code == 200 and has_eve(events)
        assert "ended" in flash(other.post(f"/live/{number}/end"))["done"]      # and its buttons act on it
        assert api.get(f"/meetings/{number}").json()["status"] == "waiting"
    finally:
        other.client.close()
