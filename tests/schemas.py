"""Checks a response body against Zoom's published response schema for the operation.

Every 2xx JSON answer the test client receives goes through `check`, so a missing required
field or a wrong type fails the test that made the request. Zoom's specs live in
../shared/reference; without them the check does nothing."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
# Newest first: an operation is checked against the first spec that has it.
SPECS = (
    "zoom-meetings-api_2026-03_Meetings.json",
    "zoom-users-api_2026-03_Users.json",
    "zoom-events-api_2026-03_Events.json",
    "zoom-marketplace-api_2026-03_Marketplace.json",
    "zoom-meeting-api_monolithic_2023-10_ZoomMeetingAPISpec.json",
)
TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "array": (list,), "object": (dict,),
}


def available() -> bool:
    return REFERENCE.is_dir() and all((REFERENCE / name).is_file() for name in SPECS)


@lru_cache(maxsize=None)
def _spec(name: str) -> dict[str, Any]:
    return json.loads((REFERENCE / name).read_text())  # type: ignore[no-any-return]


@lru_cache(maxsize=None)
def _index() -> list[tuple[tuple[str, ...], str, str, str]]:
    """(path segments, method, spec file, spec path) for every operation, literal paths first."""
    out = []
    for name in SPECS:
        for path, item in _spec(name).get("paths", {}).items():
            for method in item:
                if method in ("get", "post", "put", "patch", "delete"):
                    out.append((tuple(path.strip("/").split("/")), method.upper(), name, path))
    # a template with fewer parameters is the better match (/meetings/meeting_summaries over /meetings/{id})
    out.sort(key=lambda e: sum(seg.startswith("{") for seg in e[0]))
    return out


def find(method: str, path: str) -> tuple[str, str] | None:
    segs = tuple(path.strip("/").split("/"))
    for tmpl, m, name, spec_path in _index():
        if m == method and len(tmpl) == len(segs) and all(
                t.startswith("{") or t == s for t, s in zip(tmpl, segs)):
            return name, spec_path
    return None


def _deref(node: Any, root: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def schema_for(method: str, path: str, status: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
    hit = find(method, path)
    if hit is None:
        return None
    root = _spec(hit[0])
    responses = root["paths"][hit[1]][method.lower()].get("responses", {})
    resp = _deref(responses.get(str(status)), root)
    schema = ((resp or {}).get("content") or {}).get("application/json", {}).get("schema")
    return (schema, root) if schema else None


def violations(value: Any, schema: Any, root: dict[str, Any], where: str = "$") -> list[str]:
    schema = _deref(schema, root)
    if not isinstance(schema, dict):
        return []
    if value is None:
        return []          # Zoom sends null for unset values in places; not a type error here
    for combo in ("oneOf", "anyOf"):
        if combo in schema:
            options = [violations(value, s, root, where) for s in schema[combo]]
            if options and not any(not o for o in options):
                return min(options, key=len)
    found: list[str] = []
    for part in schema.get("allOf", []):
        found += violations(value, part, root, where)
    kind = schema.get("type")
    if kind in TYPES:
        ok = isinstance(value, TYPES[kind]) and not (kind in ("integer", "number") and isinstance(value, bool))
        if not ok:
            return found + [f"{where}: expected {kind}, got {type(value).__name__} {value!r:.60}"]
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        required = schema.get("required") if isinstance(schema.get("required"), list) else []
        for key in required:
            if key not in value:
                found.append(f"{where}: missing required {key!r}")
        for key, sub in props.items():
            if key in value:
                found += violations(value[key], sub, root, f"{where}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value[:50]):
            found += violations(item, schema["items"], root, f"{where}[{i}]")
    return found


def check(method: str, path: str, status: int, body: Any) -> None:
    """Raise AssertionError naming every field that breaks the operation's response schema."""
    if not available():
        return
    found = schema_for(method, path, status)
    if found is None:
        return
    problems = violations(body, found[0], found[1])
    if problems:
        raise AssertionError(f"{method} {path} -> {status} breaks Zoom's response schema:\n  " + "\n  ".join(problems[:20]))
