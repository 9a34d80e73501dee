"""The served OpenAPI document: what this server implements, straight from the table."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomsim import jsonio

if TYPE_CHECKING:
    from zoomsim.app import Services


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
            "responses": {str(op.status): {"description": "Success"}},
        }
        if op.body is not None:
            ctype = "application/x-www-form-urlencoded" if op.body_type == "form" else "application/json"
            entry["requestBody"] = {"content": {ctype: {"schema": op.body}}}
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "zoomsim", "version": "2"},
        "servers": [{"url": s.config.base_url + "/v2"}],
        "paths": paths,
        "components": {"securitySchemes": {"s2s_oauth": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": s.config.base_url + "/oauth/token", "scopes": {}}},
        }}},
    }
    return jsonio.dumps(doc)
