"""A session's reservation capacity holds under concurrent requests through two servers of two
workers each on one PostgreSQL database: 40 ticket holders asking for the last 10 places get
exactly 10, and one holder asking 20 times at once holds one reservation."""
from __future__ import annotations

import itertools
from typing import Any

import httpx
from test_events_parts_scale_out import Pair, call, event, srv   # noqa: F401  (srv is a fixture)
from test_scale_out import fan_out, pg_url, tenant   # noqa: F401  (pg_url is a fixture)


def codes(answers: list[httpx.Response]) -> list[tuple[int, Any]]:
    """(status, code) of each answer; a reservation made answers an empty 201."""
    return sorted((r.status_code, r.json().get("code") if r.content else None) for r in answers)


def reservable(srv: Pair, t: dict[str, Any], capacity: int, holders: int) -> tuple[str, str]:  # noqa: F811
    event_id = event(srv, t)
    r = call(srv, t, "POST", f"/zoom_events/events/{event_id}/sessions", {
        "name": "Workshop", "start_time": "2031-03-10T15:00:00Z", "end_time": "2031-03-10T16:00:00Z",
        "timezone": "UTC", "type": 4, "session_reservation": {"allow_reservations": True, "max_capacity": capacity}})
    assert r.status_code == 201, r.text
    session_id = r.json()["session_id"]
    assert call(srv, t, "POST", f"/zoom_events/events/{event_id}/event_actions",
                {"operation": "publish"}).status_code == 201
    for start in range(0, holders, 30):
        r = call(srv, t, "POST", f"/zoom_events/events/{event_id}/tickets", {"tickets": [
            {"email": f"h{i}@example.com"} for i in range(start, min(holders, start + 30))]})
        assert r.status_code == 201 and not r.json().get("errors"), r.text
    return event_id, session_id


def test_the_capacity_holds_across_workers(srv: Pair) -> None:  # noqa: F811
    t = tenant(srv)
    event_id, session_id = reservable(srv, t, capacity=10, holders=40)
    path = f"/zoom_events/events/{event_id}/sessions/{session_id}/reservations"
    numbers = itertools.count()
    answers = fan_out(lambda: call(srv, t, "POST", path, {"email": f"h{next(numbers)}@example.com"}), 40)
    assert codes(answers).count((201, None)) == 10 and codes(answers).count((400, 26306)) == 30
    assert call(srv, t, "GET", path).json()["total_records"] == 10


def test_one_reservation_per_holder(srv: Pair) -> None:  # noqa: F811
    t = tenant(srv)
    event_id, session_id = reservable(srv, t, capacity=5, holders=1)
    path = f"/zoom_events/events/{event_id}/sessions/{session_id}/reservations"
    answers = fan_out(lambda: call(srv, t, "POST", path, {"email": "h0@example.com"}), 20)
    assert codes(answers) == [(201, None)] * 20
    assert call(srv, t, "GET", path).json()["reservations"] == [
        {"email": "h0@example.com", "first_name": "", "last_name": ""}]
