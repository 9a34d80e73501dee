"""Schema-driven fuzz over every meetings-family operation: bodies built from each operation's
request schema, then broken in one to three places. Whatever comes in, the answer is a 2xx or
Zoom's error envelope — never a 500, never a traceback."""
from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from support import Admin, Api
from test_coverage_meetings import MEETINGS_ISSUE
from zoomsim.optable import load_operations

JUNK: list[Any] = [None, True, False, 0, -1, 2**63, 10**30, 1.5, 1e308, "", " ", "0", "true", "x" * 3000,
                   "ü😀\u202e", "\u0000", "<b>", "' OR 1=1 --", "../..", [], {}, [1, "a"], {"a": {"b": []}}]


def sample(schema: dict[str, Any], rng: random.Random, depth: int = 0) -> Any:
    """A plausible value for a schema: enums, defaults and types honoured, sizes small."""
    for combo in ("oneOf", "anyOf", "allOf"):
        if schema.get(combo):
            return sample(rng.choice(schema[combo]), rng, depth)
    if "enum" in schema and schema["enum"]:
        return rng.choice(schema["enum"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        if depth > 4:
            return {}
        keep = [k for k in props if k in (schema.get("required") or []) or rng.random() < 0.5]
        return {k: sample(props[k], rng, depth + 1) for k in keep}
    if kind == "array":
        return [sample(schema.get("items") or {}, rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == "integer":
        lo, hi = int(schema.get("minimum", 0)), int(schema.get("maximum", 100))
        return rng.randint(lo, max(lo, min(hi, lo + 100)))
    if kind == "number":
        return rng.random() * 10
    if kind == "boolean":
        return rng.random() < 0.5
    if schema.get("format") == "email" or "email" in str(schema.get("description", "")).lower():
        return f"fz{rng.randint(0, 10**6)}@example.com"
    return rng.choice(["a", "Fuzz topic", "2031-01-01T10:00:00Z", "1", "https://example.com/x"])


def junk(rng: random.Random) -> Any:
    """A fresh copy: mutate() edits in place and must never touch the shared samples."""
    return copy.deepcopy(rng.choice(JUNK))


def mutate(value: Any, rng: random.Random) -> Any:
    if not isinstance(value, dict) or not value or rng.random() < 0.1:
        return junk(rng)
    key = rng.choice(list(value))
    if isinstance(value[key], dict) and rng.random() < 0.5:
        value[key] = mutate(value[key], rng)
    elif isinstance(value[key], list) and value[key] and rng.random() < 0.5:
        value[key][rng.randrange(len(value[key]))] = mutate(value[key][0], rng)
    else:
        value[key] = junk(rng)
    return value


@pytest.fixture(scope="module")
def target(admin: Admin) -> tuple[Api, dict[str, str]]:
    api = admin.tenant()
    meeting = api.post("/users/me/meetings", json={"type": 8, "start_time": "2031-01-01T10:00:00Z",
                                                   "recurrence": {"type": 1, "end_times": 3},
                                                   "settings": {"approval_type": 0}}).json()
    admin.call("POST", f"/meetings/{meeting['id']}/start")
    return api, {"meetingId": str(meeting["id"]), "userId": "me"}


OPS = [op for op in load_operations() if op.id in MEETINGS_ISSUE]


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.id)
def test_no_500_whatever_the_input(target: tuple[Api, dict[str, str]], op: Any) -> None:
    api, known = target
    rng = random.Random(op.id)
    for round_ in range(20):
        path = op.path
        for name in [seg[1:-1] for seg in op.path.split("/") if seg.startswith("{")]:
            value = known.get(name, "x") if round_ % 3 else rng.choice(["0", "%00", "abc", "99999999999", "me"])
            path = path.replace("{" + name + "}", value)
        query = {p["name"]: str(sample(p.get("schema") or {}, rng)) for p in op.params
                 if p["in"] == "query" and rng.random() < 0.5}
        kw: dict[str, Any] = {"params": query}
        if op.method in ("POST", "PATCH", "PUT"):
            body = sample(op.body or {"type": "object"}, rng)
            for _ in range(rng.randint(0, 3)):
                body = mutate(body, rng)
            kw["json"] = body
        api.check_schema = False
        try:
            r = api.request(op.method, path, **kw)
        finally:
            api.check_schema = True
        assert r.status_code < 500, (op.id, path, kw, r.text[:300])
        if r.status_code >= 400:
            err = r.json()
            assert isinstance(err.get("code"), int) and isinstance(err.get("message"), str), (op.id, r.text)
