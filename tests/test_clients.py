"""A real third-party client (zoomus from PyPI) against the server: token, users round trip."""
from __future__ import annotations

from zoomus import ZoomClient

from support import Admin, unique_email


def test_zoomus_users_round_trip(admin: Admin) -> None:
    api = admin.tenant()
    client = ZoomClient(api.client_id, api.client_secret, api.account_id,
                        base_uri=api.server.url + "/v2", oauth_uri=api.server.url + "/oauth/token")
    me = client.user.get(id="me")
    assert me.status_code == 200 and me.json()["id"] == api.owner_id
    email = unique_email("zoomus")
    created = client.user.create(action="custCreate", user_info={"email": email, "type": 1, "first_name": "Zed"})
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    assert client.user.update(id=user_id, last_name="Zoomus").status_code == 204
    got = client.user.get(id=user_id).json()
    assert (got["first_name"], got["last_name"], got["email"]) == ("Zed", "Zoomus", email)
    listed = client.user.list(page_size=1)
    assert listed.status_code == 200 and listed.json()["total_records"] == 2
    assert client.user.delete(id=user_id).status_code == 204
    assert client.user.get(id=user_id).status_code == 404
