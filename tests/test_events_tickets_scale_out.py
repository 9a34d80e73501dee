"""sold_quantity never passes quantity across workers: two `zoomsim serve --workers 2` servers
on one PostgreSQL database (four workers), 100 concurrent ticket requests against the last 10
seats of a ticket type, and concurrent batches against a small type."""
from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from procs import ServeProcess
from test_scale_out import fan_out, pg_url, tenant  # noqa: F401  (pg_url is a fixture)


@pytest.fixture(scope="module")
def pair(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServeProcess, ServeProcess]]:  # noqa: F811
    log = tmp_path_factory.mktemp("tickets") / "serve.log"
    a = ServeProcess(pg_url, workers=2, rate_limits=False, log=log).start()
    b = ServeProcess(pg_url, workers=2, rate_limits=False, log=log).start()
    yield a, b
    a.stop()
    b.stop()


class Caller:
    """One tenant's token, each request to the next server in turn, on a fresh connection."""

    def __init__(self, pair: tuple[ServeProcess, ServeProcess]) -> None:
        self.t = tenant(pair[0])
        self.urls = itertools.cycle([pair[0].url, pair[1].url])

    def __call__(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return httpx.request(method, f"{next(self.urls)}/v2{path}", json=body, timeout=60,
                             headers={"Authorization": f"Bearer {self.t['token']}", "Connection": "close"})


def published_type(call: Caller, quantity: int) -> tuple[str, str]:
    """A published conference with one session and a ticket type of `quantity`: (event, type)."""
    hub = call("GET", "/zoom_events/hubs").json()["hubs"][0]["hub_id"]
    r = call("POST", "/zoom_events/events", {
        "name": "Scale", "description": "", "timezone": "UTC", "event_type": "CONFERENCE", "access_level": "PUBLIC",
        "attendance_type": "virtual", "hub_id": hub,
        "calendar": [{"start_time": "2031-03-10T15:00:00Z", "end_time": "2031-03-10T18:00:00Z"}]})
    assert r.status_code == 201, r.text
    event_id = r.json()["event_id"]
    r = call("POST", f"/zoom_events/events/{event_id}/sessions", {
        "name": "S", "start_time": "2031-03-10T15:00:00Z", "end_time": "2031-03-10T16:00:00Z", "timezone": "UTC",
        "type": 2})
    assert r.status_code == 201, r.text
    r = call("POST", f"/zoom_events/events/{event_id}/ticket_types", {
        "name": "Seats", "currency": "USD", "quantity": quantity, "start_time": "2026-01-01T00:00:00Z",
        "end_time": "2031-03-10T15:00:00Z"})
    assert r.status_code == 201, r.text
    type_id = r.json()["ticket_type_id"]
    assert call("POST", f"/zoom_events/events/{event_id}/event_actions", {"operation": "publish"}).status_code == 201
    return event_id, type_id


def sold(call: Caller, event_id: str, type_id: str) -> int:
    types = call("GET", f"/zoom_events/events/{event_id}/ticket_types").json()["ticket_types"]
    return next(t["sold_quantity"] for t in types if t["ticket_type_id"] == type_id)  # type: ignore[no-any-return]


def email() -> str:
    return f"buyer-{secrets.token_hex(6)}@example.com"


def test_the_last_ten_seats_go_to_exactly_ten_of_a_hundred(pair: tuple[ServeProcess, ServeProcess]) -> None:
    call = Caller(pair)
    event_id, type_id = published_type(call, 40)
    path = f"/zoom_events/events/{event_id}/tickets"
    for _ in range(3):
        r = call("POST", path, {"tickets": [{"email": email(), "ticket_type_id": type_id} for _ in range(10)]})
        assert r.status_code == 201 and not r.json()["errors"], r.text
    answers = fan_out(lambda: call("POST", path, {"tickets": [{"email": email(), "ticket_type_id": type_id}]}), 100)
    outcomes = sorted((r.status_code, r.json().get("code")) for r in answers)
    assert outcomes.count((201, None)) == 10 and outcomes.count((404, 2007)) == 90, outcomes
    assert sold(call, event_id, type_id) == 40
    assert call("GET", path).json()["total_records"] == 40


def test_concurrent_batches_sell_no_more_than_the_quantity(pair: tuple[ServeProcess, ServeProcess]) -> None:
    call = Caller(pair)
    event_id, type_id = published_type(call, 25)
    path = f"/zoom_events/events/{event_id}/tickets"
    answers = fan_out(lambda: call("POST", path, {"tickets": [{"email": email(), "ticket_type_id": type_id}
                                                              for _ in range(7)]}), 12)
    made = sum(len(r.json()["tickets"]) for r in answers if r.status_code == 201)
    refused = sum(1 for r in answers for e in (r.json().get("errors") or []) if e["error_code"] == "stock_not_exist")
    assert made == 25 and refused + sum(7 for r in answers if r.status_code == 404) == 12 * 7 - 25
    assert sold(call, event_id, type_id) == 25
