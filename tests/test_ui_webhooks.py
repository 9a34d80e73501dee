"""The dashboard's Webhooks pages: the outbox's deliveries (state, attempts, next retry on
zoomsim's clock, last status) and one delivery's payload and tries with the receiver's answer."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import httpx
import pytest

from support import Admin, Api, Server, freeze, new_meeting
from ui_kit import UI, Dashboard, browser, dashboard, page, shot  # noqa: F401
from webhook_kit import Receiver, subscribe

FROZEN = "2026-11-02T15:00:00Z"
RETRY_AT = "2026-11-02T15:05:00Z"        # the first retry falls due 5 minutes after the first try
ANSWER = {"error": "database is down", "retry": True}


class FailingReceiver:
    """Answers every webhook 500 with a JSON body and a header of its own: the answer the
    dashboard must show."""

    def __init__(self) -> None:
        self.secret = ""
        self.bodies: list[Any] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                outer.bodies.append(json.loads(self.rfile.read(int(self.headers.get("content-length") or 0))))
                out = json.dumps(ANSWER).encode()
                self.send_response(500)
                self.send_header("content-type", "application/json")
                self.send_header("x-receiver", "angry")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/zoom"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def failing() -> Iterator[FailingReceiver]:
    r = FailingReceiver()
    yield r
    r.stop()


@pytest.fixture
def ok_receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


def deliveries(admin: Admin, api: Api, until: Any, timeout: float = 10.0) -> list[dict[str, Any]]:
    """The app's deliveries from the admin API, once `until(deliveries)` holds."""
    deadline = time.time() + timeout
    while True:
        found = admin.call("GET", f"/webhooks/deliveries?app_id={api.client_id}")["deliveries"]
        if until(found):
            return found  # type: ignore[no-any-return]
        assert time.time() < deadline, found
        time.sleep(0.05)


def tried_once(found: list[dict[str, Any]]) -> bool:
    return bool(found) and found[-1]["attempts"] == 1


def row_of(html: str, seq: int) -> str:
    match = re.search(rf'<tr data-seq="{seq}">(.*?)</tr>', html, re.S)
    return match.group(1) if match else ""


def failed_first_try(admin: Admin, api: Api, failing: FailingReceiver, clock: Admin) -> tuple[dict[str, Any], Any]:
    freeze(clock, api, FROZEN)
    subscribe(admin, api, failing, ["meeting.created"], validate=False)      # type: ignore[arg-type]
    meeting = new_meeting(api, topic="Hooked")
    found = deliveries(admin, api, tried_once)
    return meeting, found[-1]


# ---- HTTP -------------------------------------------------------------------------------------

def test_a_failed_delivery_is_pending_with_its_retry(dashboard: Dashboard, admin: Admin, api: Api,  # noqa: F811
                                                     failing: FailingReceiver, clock: Admin) -> None:
    meeting, d = failed_first_try(admin, api, failing, clock)
    assert d["state"] == "pending" and d["next_retry"] == RETRY_AT
    listing = dashboard.get("/webhooks", params={"app": api.client_id})
    assert listing.status_code == 200
    row = row_of(listing.text, d["seq"])
    assert "meeting.created" in row and failing.url in row and ">pending<" in row
    assert '<td class="num attempts">1</td>' in row
    assert RETRY_AT in row and "in 5 min" in row
    assert '<span class="badge err">500</span>' in row and "remote error" in row
    assert FROZEN in row                                                    # the time, on zoomsim's clock

    detail = dashboard.get(f"/webhooks/{d['seq']}")
    assert detail.status_code == 200
    html = detail.text
    assert f'&#34;id&#34;: {meeting["id"]}' in html and "&#34;topic&#34;: &#34;Hooked&#34;" in html    # pretty payload
    assert 'data-retry="0"' in html and "First try" in html
    assert '<span class="badge err status">500</span>' in html
    assert "failed_reason_type 7" in html
    assert "x-zm-signature" in html and "Zoom Marketplace/1.0a" in html    # request headers
    assert "x-receiver" in html and "angry" in html                          # response headers
    assert "database is down" in html                                        # response body
    assert RETRY_AT in html


def test_a_delivered_one_and_the_filters(dashboard: Dashboard, admin: Admin, api: Api,  # noqa: F811
                                         ok_receiver: Receiver) -> None:
    subscribe(admin, api, ok_receiver, ["meeting.created", "meeting.deleted"])
    m = new_meeting(api)
    assert api.delete(f"/meetings/{m['id']}").status_code == 204
    found = deliveries(admin, api, lambda f: len(f) == 2 and all(d["state"] == "delivered" for d in f))
    created, deleted = found
    mine = dashboard.get("/webhooks", params={"app": api.client_id}).text
    assert mine.index(f'data-seq="{deleted["seq"]}"') < mine.index(f'data-seq="{created["seq"]}"')  # newest first
    row = row_of(mine, created["seq"])
    assert ">delivered<" in row and '<span class="badge ok">200</span>' in row and "badge ok state" in row
    assert '<td class="retry"></td>' in row                                 # nothing left to retry

    only = dashboard.get("/webhooks", params={"app": api.client_id, "event": "meeting.deleted"}).text
    assert row_of(only, deleted["seq"]) and not row_of(only, created["seq"])
    by_account = dashboard.get("/webhooks", params={"account": api.account_id, "state": "delivered"}).text
    assert row_of(by_account, created["seq"]) and row_of(by_account, deleted["seq"])
    none = dashboard.get("/webhooks", params={"app": api.client_id, "state": "failed"}).text
    assert not row_of(none, created["seq"]) and "No deliveries match these filters" in none
    older = dashboard.get("/webhooks", params={"app": api.client_id, "before": deleted["seq"]}).text
    assert row_of(older, created["seq"]) and not row_of(older, deleted["seq"])

    bad = dashboard.get("/webhooks", params={"app": api.client_id, "state": "exploded", "before": "x"})
    assert bad.status_code == 200 and "Filter ignored: state" in bad.text and row_of(bad.text, created["seq"])
    nul = dashboard.get("/webhooks", params={"event": "a\x00b", "account": "x" * 500})
    assert nul.status_code == 200 and nul.text.count("Filter ignored") == 2

    detail = dashboard.get(f"/webhooks/{created['seq']}").text
    assert '<span class="badge ok status">200</span>' in detail and "Next retry" in detail


def test_unknown_deliveries_and_strangers(dashboard: Dashboard, server: Server) -> None:  # noqa: F811
    for seq in ("999999999", "abc", "1" * 40):
        r = dashboard.get(f"/webhooks/{seq}")
        assert r.status_code == 404, seq
    with httpx.Client(base_url=server.url) as stranger:
        for path in ("/webhooks", "/webhooks/1"):
            r = stranger.get(UI + path)
            assert r.status_code == 303 and "/login" in r.headers["location"]


# ---- in the browser -------------------------------------------------------------------------

def test_a_failed_webhook_delivery_shows_its_retry(page: Any, admin: Admin, api: Api,  # noqa: F811
                                                   failing: FailingReceiver, clock: Admin) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    meeting, d = failed_first_try(admin, api, failing, clock)
    page.goto(UI + "/webhooks")
    page.fill("input[name=app]", api.client_id)
    page.select_option("select[name=state]", "pending")
    page.click("form.filters button[type=submit]")
    row = page.locator(f'tr[data-seq="{d["seq"]}"]')
    expect(row.locator(".state")).to_have_text("pending")
    expect(row.locator(".attempts")).to_have_text("1")
    expect(row.locator(".retry")).to_contain_text(RETRY_AT)
    expect(row.locator(".retry")).to_contain_text("in 5 min")
    expect(row.locator(".last")).to_contain_text("500")
    shot(page, "webhooks")
    row.locator("a.event").click()
    page.wait_for_url(f"**{UI}/webhooks/{d['seq']}")
    expect(page.locator(".payload")).to_contain_text(str(meeting["id"]))
    attempt = page.locator('.attempt[data-retry="0"]')
    expect(attempt.locator(".status")).to_have_text("500")
    expect(attempt.locator(".response-body")).to_contain_text("database is down")
    expect(attempt.locator(".response-headers")).to_contain_text("angry")
    expect(attempt.locator(".request-headers")).to_contain_text("x-zm-signature")
    expect(page.locator("dd.retry")).to_contain_text(RETRY_AT)
    shot(page, "webhook_retry")
