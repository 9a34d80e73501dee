"""Paging shared by every list, exercised through GET /users: sizes, tokens, totals, expiry."""
from __future__ import annotations

import base64

import pytest

from support import unique_email
from zoomsim.errors import ZoomError
from zoomsim.platform.paging import Pager

BIG = 311  # more than the 300 cap of ordinary lists
INVALID = {"code": 300, "message": "The next page token is invalid or expired."}


@pytest.fixture(scope="module")
def big(admin):
    """One account holding BIG active users besides the owner, plus a few pending and inactive."""
    users = [{"email": unique_email(f"big{i:03d}")} for i in range(BIG)]
    users += [{"email": unique_email("pend"), "status": "pending"} for _ in range(4)]
    users += [{"email": unique_email("gone"), "status": "inactive"} for _ in range(2)]
    return admin.tenant(users=users)


def page(api, **params):
    r = api.get("/users", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def walk(api, **params):
    """Every page of a list; returns (ids in order, the envelopes)."""
    ids, pages = [], []
    token = ""
    while True:
        body = page(api, **params, **({"next_page_token": token} if token else {}))
        pages.append(body)
        ids.extend(u["id"] for u in body["users"])
        token = body["next_page_token"]
        if not token:
            return ids, pages
        assert len(pages) < 200, "paging does not end"


def assert_invalid_token(r):
    assert r.status_code == 400, r.text
    assert r.json() == INVALID


def test_default_page_size_and_totals(big):
    body = page(big)
    assert body["page_size"] == 30
    assert len(body["users"]) == 30
    assert body["total_records"] == BIG + 1
    assert body["page_count"] == -(-(BIG + 1) // 30)
    assert body["page_number"] == 1
    assert body["next_page_token"]
    assert all(u["status"] == "active" for u in body["users"])


def test_users_list_allows_2000_per_page(big):
    body = page(big, page_size=2000)
    assert body["page_size"] == 2000
    assert len(body["users"]) == BIG + 1
    assert body["next_page_token"] == ""
    assert body["page_count"] == 1
    capped = page(big, page_size=5000)
    assert capped["page_size"] == 2000
    assert len(capped["users"]) == BIG + 1


def test_walk_has_no_duplicates_or_gaps(big):
    everything = [u["id"] for u in page(big, page_size=2000)["users"]]
    ids, pages = walk(big, page_size=7)
    assert ids == everything
    assert len(set(ids)) == len(ids) == BIG + 1
    assert len(pages) == -(-(BIG + 1) // 7)
    assert all(len(p["users"]) == 7 for p in pages[:-1])
    assert all(p["total_records"] == BIG + 1 and p["page_count"] == len(pages) for p in pages)


def test_walk_of_a_filtered_list(big):
    ids, pages = walk(big, status="pending", page_size=3)
    assert len(ids) == len(set(ids)) == 4
    assert [len(p["users"]) for p in pages] == [3, 1]
    assert all(p["total_records"] == 4 for p in pages)


def test_exact_multiple_has_no_empty_last_page(big):
    ids, pages = walk(big, status="inactive", page_size=2)
    assert len(ids) == 2 and len(pages) == 1
    assert pages[0]["next_page_token"] == ""


def test_page_number_offset_paging(big):
    everything = [u["id"] for u in page(big, page_size=2000)["users"]]
    second = page(big, page_size=10, page_number=2)
    assert second["page_number"] == 2
    assert [u["id"] for u in second["users"]] == everything[10:20]
    last = page(big, page_size=100, page_number=4)
    assert [u["id"] for u in last["users"]] == everything[300:]
    beyond = page(big, page_size=100, page_number=50)
    assert beyond["users"] == [] and beyond["total_records"] == BIG + 1
    huge = page(big, page_size=10, page_number=10**20)
    assert huge["users"] == []


@pytest.mark.parametrize("params", [{"page_size": "abc"}, {"page_number": "two"}, {"page_size": "1.5"}])
def test_bad_paging_numbers_are_300(big, params):
    r = big.get("/users", params=params)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == 300


def test_page_size_below_one_falls_back_to_default(big):
    assert page(big, page_size=0)["page_size"] == 30
    assert page(big, page_size=-5)["page_size"] == 30
    assert page(big, page_size=1)["page_size"] == 1


def test_token_expires_after_15_minutes(big, clock):
    first = page(big, page_size=5)
    clock.clock(advance_seconds=880)
    second = page(big, page_size=5, next_page_token=first["next_page_token"])
    assert len(second["users"]) == 5
    clock.clock(advance_seconds=21)
    assert_invalid_token(big.get("/users", params={"page_size": 5, "next_page_token": first["next_page_token"]}))
    fresh = page(big, page_size=5)
    assert page(big, page_size=5, next_page_token=fresh["next_page_token"])["users"] == second["users"]


def tamper(token: str) -> list[str]:
    data, _, sig = token.partition(".")
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).replace(b'"', b"'", 1)
    forged = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return [f"{data}.{flipped}", f"{forged}.{sig}", data, token + "x", "x" + token, "garbage", "a.b.c",
            f"{data}.é", "é.é", token[:-3], "%00", "\x00", f"{data}.{sig}\x00"]


def test_tampered_tokens_are_rejected(big):
    token = page(big, page_size=5)["next_page_token"]
    for bad in tamper(token):
        assert_invalid_token(big.get("/users", params={"page_size": 5, "next_page_token": bad}))
    assert len(page(big, page_size=5, next_page_token=token)["users"]) == 5


def test_token_bound_to_its_filter_and_account(big, admin):
    token = page(big, page_size=5)["next_page_token"]
    for params in ({"status": "pending"}, {"status": "inactive"}, {"role_id": "2"}):
        assert_invalid_token(big.get("/users", params={"page_size": 5, "next_page_token": token, **params}))
    assert page(big, page_size=5, status="active", next_page_token=token)["users"]
    stranger = admin.tenant()
    assert_invalid_token(stranger.get("/users", params={"page_size": 5, "next_page_token": token}))


def test_include_fields_and_page_size_may_change_mid_walk(big):
    first = page(big, page_size=5)
    second = page(big, page_size=9, include_fields="host_key", next_page_token=first["next_page_token"])
    assert len(second["users"]) == 9
    assert all("host_key" in u for u in second["users"])
    assert not {u["id"] for u in first["users"]} & {u["id"] for u in second["users"]}


def test_deleting_during_a_walk_skips_nothing(admin):
    api = admin.tenant(users=[{"email": unique_email(f"w{i}")} for i in range(9)])
    everything = [u["id"] for u in page(api, page_size=100)["users"]]
    first = page(api, page_size=4)
    assert [u["id"] for u in first["users"]] == everything[:4]
    for uid in everything[1:3]:
        assert api.delete(f"/users/{uid}").status_code == 204
    second = page(api, page_size=4, next_page_token=first["next_page_token"])
    assert [u["id"] for u in second["users"]] == everything[4:8]
    assert second["total_records"] == 8
    added = api.post("/users", json={"action": "autoCreate", "user_info": {"email": unique_email(), "type": 1}})
    third = page(api, page_size=4, next_page_token=second["next_page_token"])
    assert [u["id"] for u in third["users"]] == everything[8:] + [added.json()["id"]]
    assert third["next_page_token"] == ""


# ---- the Pager itself (no server): the cap every other list uses ------------------------------

def test_pager_caps_ordinary_lists_at_300():
    pager = Pager(b"k" * 32)
    assert pager.page_size({}) == 30
    assert pager.page_size({"page_size": "5000"}) == 300
    assert pager.page_size({"page_size": 300}) == 300
    assert pager.page_size({"page_size": "5000"}, maximum=2000) == 2000
    with pytest.raises(ZoomError) as err:
        pager.page_size({"page_size": "ten"})
    assert err.value.code == 300


def test_pager_round_trip_and_expiry():
    pager = Pager(b"k" * 32)
    bind = pager.binding("users:acct", {"status": "active", "page_size": 5})
    assert bind == pager.binding("users:acct", {"status": "active", "page_size": 9, "next_page_token": "t"})
    assert bind != pager.binding("users:other", {"status": "active"})
    token = pager.issue(bind, 42, 1000.0)
    assert pager.read(token, bind, 1000.0 + 900) == 42
    for now in (1000.0 + 901, 1000.0 - 120):
        with pytest.raises(ZoomError):
            pager.read(token, bind, now)
    with pytest.raises(ZoomError):
        Pager(b"j" * 32).read(token, bind, 1000.0)
