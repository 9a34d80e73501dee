"""The served OpenAPI document lists what is implemented, from the operation table, and
describes the contract: success bodies from the reference specs, every documented error."""
from __future__ import annotations

from typing import Any

import httpx
import pytest

import schemas
from support import Server
from zoomsim.cli import coverage_rows
from zoomsim.optable import load_operations

ENVELOPE_REF = {"$ref": "#/components/schemas/ZoomError"}
# What the table strips from a spec schema: prose, examples and non-validation annotations.
PROSE_KEYS = {"description", "example", "examples", "title", "extensions"}
# Fields Zoom sends as a comma-separated list ("2,4") although the spec gives one value's enum;
# the table drops that enum (tools/build_optable.py LIST_VALUED).
LIST_VALUED = {"weekly_days", "meeting_feature"}


def fetch(server: Server) -> dict[str, Any]:
    response = httpx.get(server.url + "/v2/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def served_ops(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m.upper(), p): o for p, item in doc["paths"].items() for m, o in item.items()}


def test_openapi_lists_implemented_operations(server: Server) -> None:
    doc = fetch(server)
    assert doc["openapi"].startswith("3.")
    assert doc["servers"][0]["url"] == server.url + "/v2"
    ops = served_ops(doc)
    assert ("GET", "/users/{userId}") in ops
    assert ops[("GET", "/users/{userId}")]["operationId"] == "user"
    assert ops[("POST", "/users")]["requestBody"]["content"]["application/json"]["schema"]["properties"]["action"]
    upload = ops[("POST", "/webinars/{webinarId}/branding/wallpaper")]["requestBody"]["content"]
    assert list(upload) == ["multipart/form-data"] and upload["multipart/form-data"]["schema"]["properties"]["file"]
    assert ("GET", "/meetings/{meetingId}/recordings") not in ops   # outside the brief
    implemented = sum(row[1] for row in coverage_rows() if row[0] != "v1")
    assert len(ops) == implemented


def test_openapi_document_validates(server: Server) -> None:
    from openapi_spec_validator import validate

    validate(fetch(server))


def test_every_operation_lists_its_errors(server: Server) -> None:
    doc = fetch(server)
    envelope = doc["components"]["schemas"]["ZoomError"]
    assert envelope["properties"]["code"] == {"type": "integer"}
    assert envelope["properties"]["message"] == {"type": "string"}
    assert envelope["properties"]["errors"]["items"]["properties"] == {
        "field": {"type": "string"}, "message": {"type": "string"}}
    assert "errors" not in envelope["required"]
    table = {op.id: op for op in load_operations()}
    for (method, path), entry in served_ops(doc).items():
        op = table[entry["operationId"]]
        responses = entry["responses"]
        assert str(op.status) in responses, op.id
        listed = {(int(status), e["code"]) for status, r in responses.items() if "x-zoom-errors" in r
                  for e in r["x-zoom-errors"]}
        wanted = {(e["status"], e["code"]) for e in op.errors} | {(401, 124), (429, 429)}
        if op.all_scopes:
            wanted.add((400, 4711))
        if op.body is not None or any(p["in"] == "query" for p in op.params):
            wanted.add((400, 300))
        assert wanted <= listed, (op.id, wanted - listed)
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == ENVELOPE_REF, (op.id, status)
        if op.status == 204:
            assert "content" not in responses["204"], op.id


def test_scope_error_names_the_scopes(server: Server) -> None:
    entry = served_ops(fetch(server))[("GET", "/users/{userId}")]
    messages = [e["message"] for e in entry["responses"]["400"]["x-zoom-errors"] if e["code"] == 4711]
    assert messages and "user:read:user" in messages[0]


def strip_prose(node: Any) -> Any:
    """The reference schema without its prose, for comparing with the served one."""
    if isinstance(node, list):
        return [strip_prose(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in PROSE_KEYS or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {name: strip_prose(sub) for name, sub in value.items()}
            for name in LIST_VALUED & out[key].keys():
                out[key][name].pop("enum", None)
        else:
            out[key] = strip_prose(value)
    return out


@pytest.mark.parametrize("method,path,status", [
    ("GET", "/users/{userId}", 200),
    ("POST", "/users/{userId}/meetings", 201),
    ("GET", "/report/daily", 200),
])
def test_response_schema_matches_reference(server: Server, method: str, path: str, status: int) -> None:
    if not schemas.available():
        pytest.skip("../shared/reference is not available")
    found = schemas.schema_for(method, path, status)
    assert found is not None
    served = served_ops(fetch(server))[(method, path)]["responses"][str(status)]
    assert served["content"]["application/json"]["schema"] == strip_prose(found[0])


def test_no_body_for_204(server: Server) -> None:
    entry = served_ops(fetch(server))[("DELETE", "/users/{userId}")]
    assert "204" in entry["responses"] and "content" not in entry["responses"]["204"]
