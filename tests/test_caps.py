"""Capped counts hold under concurrency and through every path that adds a seat: 200 concurrent
registrations at 4,900, one address registered 50 times at once, and approving registrants
that were denied (both backends; tests/test_scale_out.py runs the first two across workers)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from support import Api, expect_error, new_meeting, unique_email

CAP = 4999


def _fill(api: Api, mid: int, start: int, count: int, prefix: str = "seat") -> list[str]:
    """`count` registrants added 30 at a time; their emails."""
    emails = []
    for first in range(start, start + count, 30):
        batch = [{"email": f"{prefix}{i}@example.com", "first_name": "Seat"}
                 for i in range(first, min(start + count, first + 30))]
        r = api.post(f"/meetings/{mid}/batch_registrants", json={"registrants": batch})
        assert r.status_code == 201, r.text
        emails += [b["email"] for b in batch]
    return emails


def _meeting(api: Api) -> int:
    return int(new_meeting(api, type=2, start_time="2031-03-01T10:00:00Z", settings={"approval_type": 0})["id"])


def _total(api: Api, mid: int, status: str = "approved") -> int:
    r = api.get(f"/meetings/{mid}/registrants", params={"status": status, "page_size": 1})
    assert r.status_code == 200, r.text
    return int(r.json()["total_records"])


def test_concurrent_registrations_stop_at_the_cap(api: Api) -> None:
    api.check_schema = False
    mid = _meeting(api)
    _fill(api, mid, 0, 4900)

    def register(i: int) -> httpx.Response:
        with httpx.Client(base_url=api.server.url, timeout=60) as http:
            return http.post(f"/v2/meetings/{mid}/registrants", headers={"Authorization": f"Bearer {api.token}"},
                             json={"email": f"late{i}@example.com", "first_name": "Late"})
    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(register, range(200)))
    codes = [(r.status_code, r.json().get("code")) for r in answers]
    assert codes.count((201, None)) == 99
    assert codes.count((400, 3043)) == 101
    assert _total(api, mid) == CAP


def test_one_address_at_once_is_one_registrant(api: Api) -> None:
    mid = _meeting(api)
    email = unique_email("same")

    def register(_: int) -> Any:
        with httpx.Client(base_url=api.server.url, timeout=60) as http:
            return http.post(f"/v2/meetings/{mid}/registrants", headers={"Authorization": f"Bearer {api.token}"},
                             json={"email": email, "first_name": "Same"}).json()
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(register, range(50)))
    assert len({a["registrant_id"] for a in answers}) == 1
    assert _total(api, mid) == 1


def test_denied_registrants_cannot_come_back_past_the_cap(api: Api) -> None:
    """Fill to 4,999, deny 30, add 30 new ones, approve the 30 denied: refused, nobody moves."""
    api.check_schema = False
    mid = _meeting(api)
    emails = _fill(api, mid, 0, CAP)
    denied = [{"email": e} for e in emails[:30]]
    assert api.put(f"/meetings/{mid}/registrants/status", json={"action": "deny", "registrants": denied}).status_code == 204
    assert _total(api, mid, "denied") == 30
    _fill(api, mid, 0, 30, prefix="new")
    assert _total(api, mid) == CAP
    r = api.put(f"/meetings/{mid}/registrants/status", json={"action": "approve", "registrants": denied})
    expect_error(r, 400, 3043)
    assert _total(api, mid) == CAP
    assert _total(api, mid, "denied") == 30
    # one seat freed: one denied registrant may come back, not two
    new_one = api.get(f"/meetings/{mid}/registrants", params={"page_size": 300}).json()["registrants"][-1]
    assert api.delete(f"/meetings/{mid}/registrants/{new_one['id']}").status_code == 204
    expect_error(api.put(f"/meetings/{mid}/registrants/status",
                         json={"action": "approve", "registrants": denied[:2]}), 400, 3043)
    assert api.put(f"/meetings/{mid}/registrants/status",
                   json={"action": "approve", "registrants": denied[:1]}).status_code == 204
    assert _total(api, mid) == CAP


def test_a_full_batch_is_refused_whole(api: Api) -> None:
    api.check_schema = False
    mid = _meeting(api)
    _fill(api, mid, 0, CAP - 10)
    batch = [{"email": f"over{i}@example.com", "first_name": "Over"} for i in range(11)]
    expect_error(api.post(f"/meetings/{mid}/batch_registrants", json={"registrants": batch}), 400, 3043)
    assert _total(api, mid) == CAP - 10
