"""Schemathesis against the served document for the implemented Zoom Events operations (the
v2 fuzz test covers api "v2" only), with real hub, event and session ids part of the time:
never a 5xx (both backends)."""
from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from support import Admin, Api, Server
from test_fuzz_schemathesis import served_schema

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
    schema = served_schema(server.url)
    try:
        operation = schema.find_operation_by_id(operation_id)
    except (KeyError, LookupError):
        pytest.skip(f"{operation_id} is not in the served document")
    api = admin.tenant()
    headers = {"Authorization": f"Bearer {api.token}"}
    known = known_ids(api)
    cases = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                      operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(case=cases, real_ids=st.booleans())
    def run(case: Any, real_ids: bool) -> None:
        if real_ids and case.path_parameters:
            for name in case.path_parameters:
                if name in known:
                    case.path_parameters[name] = known[name]
        response = case.call(base_url=f"{server.url}/v2", headers=headers, timeout=30)
        case.validate_response(response, checks=[not_a_server_error])
        assert b"Traceback" not in response.content

    run()
