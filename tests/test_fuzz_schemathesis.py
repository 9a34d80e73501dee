"""Schemathesis against the served OpenAPI document, over real HTTP, on both backends: every
implemented operation gets a bounded number of generated requests (valid and invalid ones),
with a fresh tenant's token, and must never answer a 5xx.

Only the server-error check runs: the document's response schemas are someone else's to
grow, and this test is about the server never failing, not about response shapes. Generation
is derandomized so CI sees the same requests every run."""
from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from support import Admin, Api, Server, new_meeting
from zoomsim.handlers import all_handlers
from zoomsim.optable import load_operations

# per operation and backend (~90 operations stay well under a minute); raise it locally to dig deeper
EXAMPLES = int(os.environ.get("ZOOMSIM_FUZZ_EXAMPLES", "12"))

IMPLEMENTED = sorted(op.id for op in load_operations() if op.api == "v2" and op.id in all_handlers())


@functools.lru_cache(maxsize=4)
def served_schema(url: str) -> Any:
    """The document the running server serves (one load per server)."""
    return schemathesis.openapi.from_url(f"{url}/v2/openapi.json")


def known_ids(api: Api) -> dict[str, str]:
    """Real ids for path parameters, so part of the requests reach past the not-found checks."""
    meeting = new_meeting(api, type=2, start_time="2031-03-10T15:00:00Z", settings={"approval_type": 0})
    webinar = api.post("/users/me/webinars", json={"type": 5, "start_time": "2031-03-10T15:00:00Z",
                                                   "settings": {"approval_type": 0, "enable_session_branding": True}})
    assert webinar.status_code == 201, webinar.text
    return {"userId": "me", "meetingId": str(meeting["id"]), "webinarId": str(webinar.json()["id"])}


@pytest.mark.parametrize("operation_id", IMPLEMENTED)
def test_no_server_error(server: Server, admin: Admin, operation_id: str) -> None:
    fuzz(server, admin, operation_id, known_ids, EXAMPLES)


def fuzz(server: Server, admin: Admin, operation_id: str, ids_for: Callable[[Api], dict[str, str]],
         examples: int) -> None:
    """`examples` generated requests (valid and invalid) of one operation with a fresh tenant's
    token, real ids from `ids_for` in the path part of the time: never a 5xx, never a traceback."""
    schema = served_schema(server.url)
    try:
        operation = schema.find_operation_by_id(operation_id)
    except (KeyError, LookupError):
        pytest.skip(f"{operation_id} is not in the served document")
    api = admin.tenant()
    headers = {"Authorization": f"Bearer {api.token}"}
    known = ids_for(api)
    cases = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                      operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None, print_blob=False,
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
