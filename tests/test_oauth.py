"""POST /oauth/token as the real clients send it, and Zoom's OAuth errors."""
from __future__ import annotations

import httpx
import sqlalchemy as sa

from support import Admin, Api, Server, basic


def _token(api: Api, **kw):  # type: ignore[no-untyped-def]
    return api.http.post("/oauth/token", **kw)


def test_query_string_with_basic_auth(api: Api) -> None:
    r = _token(api, params={"grant_type": "account_credentials", "account_id": api.account_id},
               headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600 and isinstance(body["expires_in"], int)
    assert isinstance(body["scope"], str) and set(body["scope"].split()) == set(api.scopes)
    assert body["api_url"].startswith("http://127.0.0.1:")
    assert body["access_token"].count(".") == 2


def test_form_body_like_node_sdk_and_zoomus(api: Api) -> None:
    r = _token(api, data={"grant_type": "account_credentials", "account_id": api.account_id},
               headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.status_code == 200, r.text


def test_empty_json_body_and_query_string(api: Api) -> None:
    r = _token(api, params={"grant_type": "account_credentials", "account_id": api.account_id}, json={},
               headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.status_code == 200, r.text


def test_form_body_without_content_type(api: Api) -> None:
    body = f"grant_type=account_credentials&account_id={api.account_id}".encode()
    r = _token(api, content=body, headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.status_code == 200, r.text


def test_token_works_on_the_api(api: Api) -> None:
    token = api.fetch_token()
    r = api.http.get("/v2/users/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert r.json()["id"] == api.owner_id


def test_several_tokens_live_at_once(api: Api) -> None:
    first = api.token
    second = api.fetch_token()
    assert first != second
    for tok in (first, second):
        r = api.http.get("/v2/users/me", headers={"Authorization": f"Bearer {tok}"})
        assert r.status_code == 200


def test_wrong_secret(api: Api) -> None:
    r = _token(api, params={"grant_type": "account_credentials", "account_id": api.account_id},
               headers={"Authorization": basic(api.client_id, api.client_secret + "x")})
    assert r.status_code == 400
    assert r.json() == {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}


def test_unknown_client(api: Api) -> None:
    r = _token(api, params={"grant_type": "account_credentials", "account_id": api.account_id},
               headers={"Authorization": basic("nope", api.client_secret)})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_client"


def test_no_credentials(api: Api) -> None:
    r = _token(api, params={"grant_type": "account_credentials", "account_id": api.account_id})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_client"


def test_wrong_account(api: Api, admin: Admin) -> None:
    other = admin.tenant()
    r = _token(api, params={"grant_type": "account_credentials", "account_id": other.account_id},
               headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_request"
    assert "access_token" not in r.text


def test_unsupported_grant(api: Api) -> None:
    r = _token(api, params={"grant_type": "client_credentials", "account_id": api.account_id},
               headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.status_code == 400
    assert r.json()["error"] == "unsupported_grant_type"


def test_missing_grant(api: Api) -> None:
    r = _token(api, params={"account_id": api.account_id}, headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_request"


def test_scope_string_is_what_the_app_holds(admin: Admin) -> None:
    api = admin.tenant(scopes=["user:read:admin", "meeting:read:admin"])
    r = _token(api, params={"grant_type": "account_credentials", "account_id": api.account_id},
               headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.json()["scope"] == "user:read:admin meeting:read:admin"


def test_secrets_are_stored_hashed(api: Api, server: Server) -> None:
    with server.app.services.storage.read() as conn:
        rows = conn.execute(sa.text("SELECT * FROM apps WHERE client_id = :c"), {"c": api.client_id}).mappings().all()
    assert len(rows) == 1
    assert api.client_secret not in " ".join(str(v) for v in rows[0].values())


def test_tokens_survive_a_restart(api: Api, server: Server) -> None:
    second = Server(server.config.db_url).start()
    try:
        r = httpx.get(second.url + "/v2/users/me", headers={"Authorization": f"Bearer {api.token}"})
        assert r.status_code == 200, r.text
        assert second.app.services.installation == server.app.services.installation
    finally:
        second.stop()


def test_all_scope_token_stays_small_and_carries_every_scope(api: Api) -> None:
    assert len(api.scopes) > 500
    assert len(api.token) < 1024
    assert api.get("/users").status_code == 200


def test_scopes_outside_the_table_survive_the_round_trip(admin: Admin) -> None:
    api = admin.tenant(scopes=["custom:made:up", "user:read:admin"])
    r = _token(api, params={"grant_type": "account_credentials", "account_id": api.account_id},
               headers={"Authorization": basic(api.client_id, api.client_secret)})
    assert r.json()["scope"] == "custom:made:up user:read:admin"
    assert api.get("/users/me").status_code == 200


def test_deeply_nested_json_body_is_no_token_request(api: Api) -> None:
    """1,000 nested brackets with a JSON content type: the body is ignored, never a 500."""
    for body in (b"[" * 1000 + b"]" * 1000, b'{"a":' * 1000 + b"1" + b"}" * 1000):
        r = api.http.post("/oauth/token", content=body, headers={"Content-Type": "application/json",
                          "Authorization": basic(api.client_id, api.client_secret)},
                          params={"grant_type": "account_credentials", "account_id": api.account_id})
        assert r.status_code == 200, r.text
        r = api.http.post("/oauth/token", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["error"] == "invalid_client"
