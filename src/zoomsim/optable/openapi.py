"""The served OpenAPI document: what this server implements, straight from the table.

Each operation lists its success body (the reference spec's schema, kept in the table) and
every error it can answer: the ones Zoom documents for it plus those the request chain in
app.py gives any authenticated call, all in Zoom's error envelope."""
from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from zoomsim import jsonio
from zoomsim.errors import missing_scopes
from zoomsim.optable import Operation
from zoomsim.platform.ratelimit import QPS_MESSAGE

if TYPE_CHECKING:
    from zoomsim.app import Services

ERROR_SCHEMA = "ZoomError"
ERROR_ENVELOPE: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}


def phrase(status: int) -> str:
    """HTTP reason phrase; OpenAPI wants a description on every response."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


BODY_TYPES = {"form": "application/x-www-form-urlencoded", "multipart": "multipart/form-data"}


def generic_errors(op: Operation) -> list[tuple[int, int, str]]:
    """(status, code, message) the request chain can answer before or around any handler."""
    out = [(401, 124, "Invalid access token."), (401, 124, "Access token is expired."), (429, 429, QPS_MESSAGE)]
    if op.all_scopes:
        out.append((400, 4711, missing_scopes(op.granular_scopes or op.scopes).message))
    if op.body is not None or any(p.get("in") == "query" for p in op.params):
        out.append((400, 300, "Validation Failed."))
    if op.body is not None and op.body_type not in ("form", "multipart"):
        out.append((400, 300, "Request Body should be a valid JSON object."))
    return out


def responses(op: Operation) -> dict[str, Any]:
    """Success response (with its body schema unless 204) and one response per error status."""
    ok: dict[str, Any] = {"description": phrase(op.status)}
    if op.response is not None and op.status != 204:
        ok["content"] = {"application/json": {"schema": op.response}}
    by_status: dict[int, list[tuple[int, str]]] = {}
    documented = [(e["status"], e["code"], e["message"]) for e in op.errors]
    for status, code, message in documented + generic_errors(op):
        entries = by_status.setdefault(status, [])
        if (code, message) not in entries:
            entries.append((code, message))
    out: dict[str, Any] = {str(op.status): ok}
    for status in sorted(by_status):
        out[str(status)] = {
            "description": phrase(status),
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}},
            "x-zoom-errors": [{"code": c, "message": m} for c, m in sorted(by_status[status])],
        }
    return out


def openapi_document(s: "Services") -> bytes:
    paths: dict[str, dict[str, Any]] = {}
    for op in s.operations:
        if op.handler is None or op.api == "v1":
            continue
        entry: dict[str, Any] = {
            "operationId": op.id,
            "summary": op.summary,
            "tags": [op.family],
            "parameters": [{k: p[k] for k in ("name", "in", "required", "schema") if k in p} for p in op.params],
            "security": [{"s2s_oauth": sorted(op.all_scopes)}],
            "x-rate-limit-label": op.label,
            "responses": responses(op),
        }
        if op.body is not None:
            entry["requestBody"] = {"content": {BODY_TYPES.get(op.body_type or "", "application/json"): {"schema": op.body}}}
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "zoomsim", "version": "2"},
        "servers": [{"url": s.config.base_url + "/v2"}],
        "paths": paths,
        "components": {
            "schemas": {ERROR_SCHEMA: ERROR_ENVELOPE},
            "securitySchemes": {"s2s_oauth": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": s.config.base_url + "/oauth/token", "scopes": {}}},
            }},
        },
    }
    return jsonio.dumps(doc)
