"""zoomsim.intercept(): Zoom's own URLs answered in process for requests and httpx, other hosts
untouched, unmodified zoomus working against it."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import httpx
import pytest
import requests

import zoomsim
from zoomsim.testing import intercept as icp


@pytest.fixture
def other_host() -> Iterator[str]:
    """A plain local HTTP server answering {"from": "other", "path": ...} on every path."""
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = json.dumps({"from": "other", "path": self.path}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_importing_zoomsim_stays_cheap() -> None:
    code = ("import sys, zoomsim; print(sorted(m for m in sys.modules if m.startswith('zoomsim')));"
            "zoomsim.intercept; print('zoomsim.testing.intercept' in sys.modules, 'requests' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "['zoomsim']"
    assert out[1] == "True False"      # the attribute loads the module, which imports no client yet


def test_unmodified_zoomus() -> None:
    from zoomus import ZoomClient

    with zoomsim.intercept() as zs:
        client = ZoomClient(zs.client_id, zs.client_secret, zs.account_id)   # zoom.us / api.zoom.us
        made = client.meeting.create(user_id="me", topic="Planning", duration=30)
        assert made.status_code == 201, made.text
        got = client.meeting.get(id=made.json()["id"])
        assert got.status_code == 200 and got.json()["topic"] == "Planning"
        assert got.json()["host_id"] == zs.owner_id
        # the same account through the handle's own client
        assert zs.client.get(f"/meetings/{made.json()['id']}").json()["uuid"] == got.json()["uuid"]


def test_plain_requests_and_httpx_calls() -> None:
    session = requests.Session()            # made before the block: the hooks are on the classes
    made_before = httpx.Client()
    with zoomsim.intercept(plan="pro") as zs:
        assert zs.base_url == "https://api.zoom.us/v2" and zs.token_url == "https://zoom.us/oauth/token"
        token = requests.post("https://zoom.us/oauth/token", auth=(zs.client_id, zs.client_secret),
                              data={"grant_type": "account_credentials", "account_id": zs.account_id})
        assert token.status_code == 200 and token.json()["token_type"] == "bearer", token.text
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        me = session.get("https://api.zoom.us/v2/users/me", headers=auth)
        assert me.status_code == 200 and me.json()["account_id"] == zs.account_id
        assert me.headers["Content-Type"].startswith("application/json") and me.reason == "OK"
        made = requests.post("https://api.zoom.us/v2/users/me/meetings", headers=auth, json={"topic": "é ok"})
        assert made.status_code == 201 and made.json()["topic"] == "é ok"
        assert httpx.get("https://api.zoom.us/v2/users/me", headers=auth).json()["id"] == zs.owner_id
        r = made_before.get(f"https://api.zoom.us/v2/meetings/{made.json()['id']}", headers=auth)
        assert r.status_code == 200 and r.http_version == "HTTP/1.1"
        missing = httpx.get("https://api.zoom.us/v2/meetings/12345678901", headers=auth)
        assert missing.status_code == 404 and missing.json()["code"] == 3001
        assert httpx.get("https://api.zoom.us/v2/users/me").status_code == 401
        legacy = requests.post("https://api.zoom.us/v1/webinar/list",      # the v1 face answers too
                               data={"api_key": zs.client_id, "api_secret": "wrong", "host_id": zs.owner_id})
        assert legacy.json() == {"error": {"code": 102, "message": "You app key and secret doesn't match."}}
    made_before.close()


def test_async_httpx() -> None:
    async def main(token: str) -> list[int]:
        async with httpx.AsyncClient(base_url="https://api.zoom.us/v2",
                                     headers={"Authorization": f"Bearer {token}"}) as client:
            answers = await asyncio.gather(*(client.get("/users/me") for _ in range(5)))
        return [a.status_code for a in answers]

    with zoomsim.intercept() as zs:
        assert asyncio.run(main(zs.token)) == [200] * 5


def test_other_hosts_pass_through(other_host: str) -> None:
    with zoomsim.intercept():
        assert requests.get(other_host + "/v2/users/me").json() == {"from": "other", "path": "/v2/users/me"}
        assert httpx.post(other_host + "/oauth/token").json()["from"] == "other"
        assert asyncio.run(_async_get(other_host + "/x"))["from"] == "other"
    assert not icp.is_zoom("zoom.us", "/j/123") and not icp.is_zoom("example.com", "/oauth/token")
    assert icp.is_zoom("API.ZOOM.US", "/anything") and icp.is_zoom("zoom.us", "/oauth/token")


async def _async_get(url: str) -> Any:
    async with httpx.AsyncClient() as client:
        return (await client.get(url)).json()


def test_hooks_are_removed_after_the_outermost_block() -> None:
    originals = (requests.adapters.HTTPAdapter.send, httpx.HTTPTransport.handle_request,
                 httpx.AsyncHTTPTransport.handle_async_request)
    with zoomsim.intercept() as outer:
        with zoomsim.intercept() as inner:
            assert inner.account_id != outer.account_id
            assert icp.current() is inner
            assert requests.get("https://api.zoom.us/v2/users/me",
                                headers={"Authorization": f"Bearer {inner.token}"}).status_code == 200
        assert icp.current() is outer
        assert requests.adapters.HTTPAdapter.send is not originals[0]
    assert (requests.adapters.HTTPAdapter.send, httpx.HTTPTransport.handle_request,
            httpx.AsyncHTTPTransport.handle_async_request) == originals
    with pytest.raises(RuntimeError):
        icp.current()


@zoomsim.intercept(plan="free")
def test_as_a_decorator() -> None:
    zs = icp.current()
    me = httpx.get("https://api.zoom.us/v2/users/me", headers={"Authorization": f"Bearer {zs.token}"})
    assert me.json()["type"] == 1


@zoomsim.intercept
def test_as_a_bare_decorator() -> None:
    assert icp.current().client.get("/users/me").status_code == 200


def test_decorating_a_coroutine_function() -> None:
    @zoomsim.intercept()
    async def job() -> int:
        async with httpx.AsyncClient() as client:
            r = await client.get("https://api.zoom.us/v2/users/me",
                                 headers={"Authorization": f"Bearer {icp.current().token}"})
        return r.status_code

    assert asyncio.run(job()) == 200


def test_admin_handle_and_clock_restored() -> None:
    with zoomsim.intercept() as zs:
        zs.admin.freeze("2031-05-06T15:00:00Z")
        meeting = zs.client.post("/users/me/meetings", json={"topic": "Sync"}).json()
        zs.admin.run(meeting["id"], participants=4, duration_minutes=15, seed=3)
        past = zs.client.get(f"/past_meetings/{meeting['id']}").json()
        assert past["duration"] == 15 and past["participants_count"] >= 4
        zs.admin.expire_tokens()
        assert zs.client.get("/users/me").json()["message"] == "Access token is expired."
        zs.fetch_token()
        assert zs.client.get("/users/me").status_code == 200
    with zoomsim.intercept() as again:
        assert not again.admin.now().startswith("2031")


def test_rate_limits_and_options() -> None:
    with zoomsim.intercept(plan="free", rate_limits=True) as zs:
        zs.admin.freeze("2031-05-06T15:00:00Z")
        codes = [zs.client.get("/users/me").status_code for _ in range(6)]
        assert codes[:4] == [200] * 4 and 429 in codes, codes
    with zoomsim.intercept(plan="free") as zs:
        zs.admin.freeze("2031-05-06T15:00:00Z")
        assert all(zs.client.get("/users/me").status_code == 200 for _ in range(8))
    with pytest.raises(TypeError, match="colour"):
        zoomsim.intercept(colour="blue")
