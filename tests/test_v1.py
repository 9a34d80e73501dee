"""Legacy v1 (/v1/webinar/*): form posts authenticated by api_key/api_secret, v1 error envelope."""
from __future__ import annotations

from support import Api


def test_v1_rejects_bad_key(api: Api) -> None:
    r = api.http.post("/v1/webinar/list", data={"api_key": api.client_id, "api_secret": "wrong", "host_id": "x"})
    assert r.json() == {"error": {"code": 200, "message": "Invalid api key or secret."}}


def test_v1_operation_without_handler_says_so(api: Api) -> None:
    r = api.http.post("/v1/webinar/list", data={"api_key": api.client_id, "api_secret": api.client_secret})
    assert r.status_code == 501
    assert "/v1/webinar/list" in r.json()["error"]["message"]


def test_v1_unknown_path_and_method(api: Api) -> None:
    assert api.http.post("/v1/webinar/nope").status_code == 404
    assert api.http.get("/v1/webinar/list").status_code == 405
