"""Fuzz over every past-meeting and report operation: path ids, dates and paging values drawn
from plausible and broken values. The answer is a 2xx or Zoom's error envelope, never a 500."""
from __future__ import annotations

import random
from typing import Any

import pytest

from support import Admin, Api
from test_coverage_reports import REPORTS_ISSUE
from test_fuzz_meetings import sample
from zoomsim.optable import load_operations

DATES = ["2026-11-01", "2026-10-15", "2026-13-01", "2026-02-30", "1999-01-01", "9999-12-31", "20261101",
         "2026-11-01T00:00:00Z", "", "x", "%00", "2026-11-1", "-1"]
PAGING = ["0", "-5", "1", "300", "301", "99999999999999999999", "abc", "1.5"]


@pytest.fixture(scope="module")
def target(admin: Admin) -> tuple[Api, dict[str, str]]:
    api = admin.tenant()
    meeting = api.post("/users/me/meetings", json={"topic": "Fuzz"}).json()
    ran = admin.call("POST", f"/meetings/{meeting['id']}/run",
                     {"participants": 5, "duration_minutes": 20, "qa": 2, "dial_in": 0.4, "seed": 3})
    return api, {"meetingId": str(meeting["id"]), "userId": "me", "meetingUUID": ran["uuid"]}


OPS = [op for op in load_operations() if op.id in REPORTS_ISSUE]


def _value(name: str, schema: dict[str, Any], rng: random.Random) -> str:
    if name in ("from", "to"):
        return rng.choice(DATES)
    if name in ("page_size", "page_number", "year", "month"):
        return rng.choice(PAGING + ["2026", "11", "12"])
    if name == "next_page_token":
        return rng.choice(["", "abc", "a.b", "ü", "x" * 500])
    return str(sample(schema, rng))


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.id)
def test_no_500_whatever_the_input(target: tuple[Api, dict[str, str]], op: Any) -> None:
    api, known = target
    rng = random.Random(op.id)
    for round_ in range(25):
        path = op.path
        for name in [seg[1:-1] for seg in op.path.split("/") if seg.startswith("{")]:
            value = known.get(name, "x") if round_ % 3 else rng.choice(["0", "%00", "abc", "99999999999", "me",
                                                                        "%252Fabc%253D%253D"])
            path = path.replace("{" + name + "}", value)
        query = {p["name"]: _value(p["name"], p.get("schema") or {}, rng) for p in op.params
                 if p["in"] == "query" and ((p.get("required") and round_ % 4) or rng.random() < 0.5)}
        api.check_schema = False
        try:
            r = api.request(op.method, path, params=query)
        finally:
            api.check_schema = True
        assert r.status_code < 500, (op.id, path, query, r.text[:300])
        if r.status_code >= 400:
            err = r.json()
            assert isinstance(err.get("code"), int) and isinstance(err.get("message"), str), (op.id, r.text)
