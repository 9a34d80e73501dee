"""Schemathesis against the served document for the implemented Zoom Events operations (the
v2 fuzz test covers api "v2" only), with real hub, event and session ids part of the time:
never a 5xx (both backends)."""
from __future__ import annotations

import os

import pytest
from support import Admin, Api, Server
from test_fuzz_schemathesis import fuzz

from zoomsim.handlers import all_handlers
from zoomsim.optable import load_operations

EXAMPLES = int(os.environ.get("ZOOMSIM_FUZZ_EXAMPLES", "25"))
IMPLEMENTED = sorted(op.id for op in load_operations() if op.api == "events" and op.id in all_handlers())


def known_ids(api: Api) -> dict[str, str]:
    hub = api.get("/zoom_events/hubs").json()["hubs"][0]["hub_id"]
    r = api.post("/zoom_events/events", json={
        "name": "Fuzz", "description": "", "timezone": "UTC", "event_type": "CONFERENCE", "access_level": "PUBLIC",
        "attendance_type": "virtual", "hub_id": hub,
        "calendar": [{"start_time": "2031-03-10T15:00:00Z", "end_time": "2031-03-10T18:00:00Z"}]})
    assert r.status_code == 201, r.text
    event = r.json()["event_id"]
    r = api.post(f"/zoom_events/events/{event}/sessions", json={
        "name": "S", "start_time": "2031-03-10T15:00:00Z", "end_time": "2031-03-10T16:00:00Z", "timezone": "UTC",
        "type": 2})
    assert r.status_code == 201, r.text
    return {"hubId": hub, "eventId": event, "sessionId": r.json()["session_id"]}


@pytest.mark.parametrize("operation_id", IMPLEMENTED)
def test_no_server_error(server: Server, admin: Admin, operation_id: str) -> None:
    fuzz(server, admin, operation_id, known_ids, EXAMPLES)
