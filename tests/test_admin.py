"""The admin API: key checks, tenants in one call, reset, clock."""
from __future__ import annotations

import httpx
import pytest

from support import Admin, Server
from zoomsim.app import create_app
from zoomsim.config import Config


def test_admin_key_required(server: Server) -> None:
    assert httpx.post(server.url + "/_zoomsim/accounts", json={}).status_code == 401
    r = httpx.post(server.url + "/_zoomsim/accounts", json={}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert r.json()["code"] == 124


def test_account_with_users_and_apps_in_one_call(admin: Admin) -> None:
    out = admin.call("POST", "/accounts", {
        "plan": "pro", "licences": {"webinar": False},
        "owner": {"email": "boss@acme.test", "first_name": "Ada"},
        "users": [{"email": "a@acme.test", "role": "admin"}, {"email": "m@acme.test", "type": 1}],
        "apps": [{"scopes": ["user:read:admin"]}, {"scopes": "all"}],
    })
    assert out["account"]["plan"] == "pro"
    assert out["account"]["licences"]["webinar"] is False
    assert out["account"]["licences"]["zoom_events"] is True
    assert [u["role_id"] for u in out["users"]] == ["1", "2"]
    assert out["users"][1]["type"] == 1
    assert out["apps"][0]["scopes"] == ["user:read:admin"]
    assert len(out["apps"][1]["scopes"]) > 100
    got = admin.call("GET", f"/accounts/{out['account_id']}")
    assert got["owner_id"] == out["owner_id"]
    assert {a["client_id"] for a in got["apps"]} == {a["client_id"] for a in out["apps"]}


def test_bad_admin_input(admin: Admin) -> None:
    for body in ({"plan": "platinum"}, {"licences": []}, {"users": [{"email": "nope"}]},
                 {"apps": [{"scopes": 5}]}):
        r = admin.http.post("/_zoomsim/accounts", json=body)
        assert r.status_code == 400, body
        assert r.json()["code"] == 300
    r = admin.http.post("/_zoomsim/accounts", content=b"{oops", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert admin.http.post("/_zoomsim/accounts/missing/users", json={"email": "x@y.z"}).status_code == 404


def test_duplicate_user_refused(admin: Admin) -> None:
    api = admin.tenant()
    admin.call("POST", f"/accounts/{api.account_id}/users", {"email": "dup@example.com"})
    r = admin.http.post(f"/_zoomsim/accounts/{api.account_id}/users", json={"email": "DUP@example.com"})
    assert r.status_code == 409 and r.json()["code"] == 1005


def test_reset_keeps_default_credentials(admin: Admin) -> None:
    before = admin.call("GET", "")
    api = admin.tenant()
    admin.call("POST", "/reset")
    after = admin.call("GET", "")
    assert before == after
    ids = {a["id"] for a in admin.call("GET", "/accounts")["accounts"]}
    assert ids == {before["account_id"]}
    assert api.account_id not in ids


def test_clock_freeze_advance_real(clock: Admin) -> None:
    out = clock.clock(now="2030-01-02T03:04:05Z")
    assert out["now"] == "2030-01-02T03:04:05Z" and out["mode"] == "frozen"
    out = clock.clock(advance_seconds=60)
    assert out["now"] == "2030-01-02T03:05:05Z"
    assert clock.call("GET", "/clock")["now"] == "2030-01-02T03:05:05Z"
    assert clock.clock(mode="real")["mode"] == "real"
    r = clock.http.post("/_zoomsim/clock", json={"now": "not a time"})
    assert r.status_code == 400


def test_admin_api_off_on_public_bind_without_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'x.db'}"
    app = create_app(Config(db_url=url, host="0.0.0.0"))
    assert app.services.admin_key is None
    keyed = create_app(Config(db_url=url, host="0.0.0.0", admin_key="s3cret"))
    assert keyed.services.admin_key == "s3cret"


def test_admin_api_answers_404_when_off(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from zoomsim.app import Request
    from zoomsim.errors import ZoomError

    app = create_app(Config(db_url=f"sqlite:///{tmp_path / 'y.db'}", host="0.0.0.0"))
    req = Request("POST", "/_zoomsim/reset", ["_zoomsim", "reset"], {}, {"authorization": "Bearer x"}, b"")
    try:
        app.dispatch(req)
        raise AssertionError("admin API answered on a public bind")
    except ZoomError as err:
        assert err.status == 404


@pytest.mark.parametrize("body,field", [
    ({"name": "n" * 256}, "name"),
    ({"owner": {"email": "a" * 120 + "@example.com"}}, "owner.email"),
    ({"owner": {"first_name": "f" * 65}}, "owner.first_name"),
    ({"apps": [{"name": "a" * 256}]}, "apps.name"),
    ({"users": [{"email": "u" * 250 + "@example.com"}]}, "email"),
    ({"users": [{"email": "ok@example.com", "last_name": "l" * 65}]}, "last_name"),
])
def test_overlong_admin_strings_are_refused(admin: Admin, body: dict, field: str) -> None:  # type: ignore[type-arg]
    """Longer than the column (or Zoom) allows: 300 naming the field, nothing written."""
    before = len(admin.call("GET", "/accounts")["accounts"])
    r = admin.http.post("/_zoomsim/accounts", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == field
    assert len(admin.call("GET", "/accounts")["accounts"]) == before


def test_overlong_user_and_app_names_on_existing_account(admin: Admin) -> None:
    account = admin.call("POST", "/accounts", {"plan": "pro"})["account_id"]
    r = admin.http.post(f"/_zoomsim/accounts/{account}/users", json={"email": "x" * 300 + "@example.com"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "email"
    r = admin.http.post(f"/_zoomsim/accounts/{account}/apps", json={"name": "x" * 300})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "apps.name"


def test_delete_account_and_app(admin: Admin) -> None:
    api = admin.tenant()
    other = admin.call("POST", f"/accounts/{api.account_id}/apps", {"scopes": "all"})
    assert admin.http.delete(f"/_zoomsim/accounts/{api.account_id}/apps/{other['client_id']}").status_code == 204
    assert admin.http.delete(f"/_zoomsim/accounts/{api.account_id}/apps/{other['client_id']}").status_code == 404
    assert api.get("/users/me").status_code == 200       # the first app still works
    assert admin.http.delete(f"/_zoomsim/accounts/{api.account_id}").status_code == 204
    assert api.get("/users/me").status_code == 401
    assert admin.http.get(f"/_zoomsim/accounts/{api.account_id}").status_code == 404
    assert admin.http.delete(f"/_zoomsim/accounts/{api.account_id}").status_code == 404


def test_loopback_is_an_address_not_a_prefix() -> None:
    from zoomsim.config import Config
    assert Config(host="127.0.0.1").loopback and Config(host="127.8.9.10").loopback
    assert Config(host="::1").loopback and Config(host="localhost").loopback
    assert not Config(host="127.evil.example").loopback
    assert not Config(host="0.0.0.0").loopback and not Config(host="10.0.0.1").loopback
    assert not Config(host="127.evil.example").admin_enabled
