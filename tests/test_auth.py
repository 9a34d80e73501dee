"""Bearer tokens on every API call: missing, malformed, forged, expired, wrong scope, wrong tenant."""
from __future__ import annotations

import base64
import json

import pytest

from support import Admin, Api, unique_email

INVALID = {"code": 124, "message": "Invalid access token."}


def test_missing_token(api: Api) -> None:
    r = api.http.get("/v2/users/me")
    assert r.status_code == 401
    assert r.json() == INVALID


def test_malformed_tokens(api: Api) -> None:
    for header in ("Bearer", "Basic abc", "Bearer not-a-token", "Bearer a.b.c", api.token):
        r = api.http.get("/v2/users/me", headers={"Authorization": header})
        assert r.status_code == 401, header
        assert r.json() == INVALID


def test_forged_token_is_rejected(api: Api, admin: Admin) -> None:
    """Same header and signature, payload changed to claim another account."""
    other = admin.tenant()
    head, payload, sig = api.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["aid"] = other.account_id
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    r = api.http.get("/v2/users/me", headers={"Authorization": f"Bearer {head}.{forged_payload}.{sig}"})
    assert r.status_code == 401
    assert r.json() == INVALID


def test_simulated_clock_does_not_expire_tokens(api: Api, clock: Admin) -> None:
    """Clients judge expiry by wall time, so moving the simulated clock leaves their token alone."""
    clock.clock(advance_seconds=7 * 86_400)
    assert api.get("/users/me").status_code == 200
    clock.clock(now="2020-01-01T00:00:00Z")
    assert api.get("/users/me").status_code == 200


def test_tokens_expire_on_purpose(api: Api, clock: Admin) -> None:
    """POST /_zoomsim/tokens/expire: every token issued so far is expired; new ones work."""
    assert api.get("/users/me").status_code == 200
    assert clock.http.post("/_zoomsim/tokens/expire").status_code == 204
    r = api.get("/users/me")
    assert r.status_code == 401
    assert r.json() == {"code": 124, "message": "Access token is expired."}
    api.fetch_token()
    assert api.get("/users/me").status_code == 200


def test_clock_call_can_expire_tokens(api: Api, clock: Admin) -> None:
    clock.clock(advance_seconds=3601, expire_tokens=True)
    assert api.get("/users/me").json() == {"code": 124, "message": "Access token is expired."}
    api.fetch_token()
    assert api.get("/users/me").status_code == 200


def test_token_lifetime_is_wall_time() -> None:
    """An hour after issue by the wall clock, whatever the simulated one says."""
    import time

    from zoomsim.platform.tokens import TokenError, TokenSigner
    signer = TokenSigner(b"k" * 32, ["user:read"])
    token = signer.issue("acct", "client", "user", ["user:read"], 3600, 0, 0)
    claims = signer.verify(token, 0, 0)
    assert claims.expires_at - claims.issued_at == 3600
    assert abs(claims.issued_at - time.time()) < 5
    short = signer.issue("acct", "client", "user", ["user:read"], -1, 0, 0)
    with pytest.raises(TokenError) as err:
        signer.verify(short, 0, 0)
    assert err.value.expired
    with pytest.raises(TokenError) as err:
        signer.verify(token, 1, 0)        # issued before a reset
    assert not err.value.expired


def test_missing_scope_names_the_scopes(admin: Admin) -> None:
    api = admin.tenant(scopes=["meeting:read:admin"])
    r = api.get("/users/me")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == 4711
    assert body["message"] == "Invalid access token, does not contain scopes:[user:read:user, user:read:user:admin]."


def test_granular_scope_is_enough(admin: Admin) -> None:
    api = admin.tenant(scopes=["user:read:user:admin"])
    assert api.get("/users/me").status_code == 200


def test_user_level_scope_sees_only_itself(admin: Admin) -> None:
    owner_api = admin.tenant()
    other = owner_api.post("/users", json={"action": "custCreate", "user_info": {"email": unique_email(), "type": 1}})
    assert other.status_code == 201
    limited = admin.call("POST", f"/accounts/{owner_api.account_id}/apps", {"scopes": ["user:read"]})
    from support import Api as ApiT
    api = ApiT(owner_api.server, owner_api.account_id, owner_api.owner_id, limited["client_id"],
               limited["client_secret"], limited["scopes"], owner_api.http)
    api.fetch_token()
    assert api.get("/users/me").status_code == 200
    r = api.get(f"/users/{other.json()['id']}")
    assert r.status_code == 400 and r.json()["code"] == 4711
    assert other.json()["email"] not in r.text


def test_other_account_user_is_not_visible(admin: Admin) -> None:
    a = admin.tenant()
    b = admin.tenant()
    b_user = b.get("/users/me").json()
    for key in (b_user["id"], b_user["email"]):
        r = a.get(f"/users/{key}")
        assert r.status_code == 404
        assert r.json() == {"code": 1001, "message": f"User does not exist: {key}."}
    assert a.patch(f"/users/{b_user['id']}", json={"first_name": "X"}).status_code == 404
    assert a.delete(f"/users/{b_user['id']}").status_code == 404
    assert b.get("/users/me").json()["first_name"] == b_user["first_name"]
    listed = a.get("/users").json()["users"]
    assert b_user["id"] not in {u["id"] for u in listed}


def test_reset_revokes_tokens_of_removed_apps(admin: Admin, server) -> None:  # type: ignore[no-untyped-def]
    api = admin.tenant()
    assert api.get("/users/me").status_code == 200
    admin.call("POST", "/reset")
    server.app.services.forget_apps()
    r = api.get("/users/me")
    assert r.status_code == 401
    # the default app is recreated with the same credentials, so its secret still works
    info = admin.call("GET", "")
    from support import basic
    t = api.http.post("/oauth/token", params={"grant_type": "account_credentials", "account_id": info["account_id"]},
                      headers={"Authorization": basic(info["client_id"], info["client_secret"])})
    assert t.status_code == 200


def test_reset_revokes_the_default_apps_old_tokens(admin: Admin) -> None:
    """The default app comes back with the same client id and secret, but a token taken before the
    reset is refused (a client must learn to re-authenticate), and a new one works."""
    from support import basic
    info = admin.call("GET", "")
    params = {"grant_type": "account_credentials", "account_id": info["account_id"]}
    auth = {"Authorization": basic(info["client_id"], info["client_secret"])}
    old = admin.http.post("/oauth/token", params=params, headers=auth).json()["access_token"]
    assert admin.http.get("/v2/users", headers={"Authorization": f"Bearer {old}"}).status_code == 200
    admin.call("POST", "/reset")
    for path in ("/v2/users", "/v2/users/me"):
        r = admin.http.get(path, headers={"Authorization": f"Bearer {old}"})
        assert (r.status_code, r.json()) == (401, {"code": 124, "message": "Invalid access token."})
    new = admin.http.post("/oauth/token", params=params, headers=auth).json()["access_token"]
    assert admin.http.get("/v2/users/me", headers={"Authorization": f"Bearer {new}"}).status_code == 200
