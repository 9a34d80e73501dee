"""The served OpenAPI document lists what is implemented, from the operation table."""
from __future__ import annotations

import httpx

from support import Server
from zoomsim.cli import coverage_rows


def test_openapi_lists_implemented_operations(server: Server) -> None:
    doc = httpx.get(server.url + "/v2/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert doc["servers"][0]["url"] == server.url + "/v2"
    ops = {(m.upper(), p): o for p, item in doc["paths"].items() for m, o in item.items()}
    assert ("GET", "/users/{userId}") in ops
    assert ops[("GET", "/users/{userId}")]["operationId"] == "user"
    assert ops[("POST", "/users")]["requestBody"]["content"]["application/json"]["schema"]["properties"]["action"]
    assert ("GET", "/meetings/{meetingId}/recordings") not in ops   # outside the brief
    implemented = sum(row[1] for row in coverage_rows() if row[0] != "v1")
    assert len(ops) == implemented
