"""Test support: a real zoomsim server (uvicorn, real sockets) per backend, and small clients."""
from __future__ import annotations

import base64
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urlsplit

import httpx
import uvicorn

import schemas
from zoomsim.app import ZoomSim, create_app
from zoomsim.config import Config

PG_URL = os.environ.get("ZOOMSIM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql://", "postgresql://", 1), connect_timeout=3):
            return True
    except Exception:
        return False


def require_pg() -> None:
    """Skip a PostgreSQL test where no server answers; fail it where CI requires one."""
    import pytest

    if not pg_available():
        if os.environ.get("CI") or os.environ.get("ZOOMSIM_REQUIRE_PG"):
            pytest.fail("PostgreSQL is required in CI but is not reachable")
        pytest.skip("PostgreSQL not reachable")


def pg_schema(prefix: str) -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema for a fixture to yield from; dropped afterwards."""
    require_pg()
    schema = f"{prefix}_{secrets.token_hex(4)}"
    try:
        yield pg_schema_url(schema)
    finally:
        drop_pg_schema(schema)


def pg_schema_url(schema: str) -> str:
    """A PostgreSQL URL whose connections live in their own schema, so runs never collide."""
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def drop_pg_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class Server:
    """One zoomsim app served by uvicorn in a background thread."""

    def __init__(self, db_url: str, rate_limits: bool = False, webhooks: bool = True, **config: Any) -> None:
        self.port = free_port()
        self.config = Config(db_url=db_url, port=self.port, rate_limits=rate_limits, webhooks=webhooks, **config)
        self.app: ZoomSim = create_app(self.config)
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                                     log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> "Server":
        self._thread.start()
        deadline = time.time() + 10
        while not self._server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    @property
    def admin_key(self) -> str:
        key = self.app.services.admin_key
        assert key
        return key


def own_server(backend: str, folder: Any, pg_prefix: str, **config: Any) -> Iterator[Server]:
    """For a fixture to `yield from`: a server on a database of its own ("sqlite": a file in
    `folder`; "postgresql": a fresh schema, dropped afterwards), for tests that reset it,
    count everything in it or change its settings."""
    if backend == "sqlite":
        srv = Server(f"sqlite:///{folder}/zoomsim.db", **config).start()
        try:
            yield srv
        finally:
            srv.stop()
        return
    for url in pg_schema(pg_prefix):
        srv = Server(url, **config).start()
        try:
            yield srv
        finally:
            srv.stop()


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@dataclass
class Api:
    """A tenant's view of the API: its credentials and a token-holding HTTP client."""

    server: Server
    account_id: str
    owner_id: str
    client_id: str
    client_secret: str
    scopes: list[str]
    http: httpx.Client = field(repr=False)
    token: str = ""
    check_schema: bool = True   # every 2xx JSON answer is checked against Zoom's response schema

    def fetch_token(self) -> str:
        r = self.http.post("/oauth/token", params={"grant_type": "account_credentials", "account_id": self.account_id},
                           headers={"Authorization": basic(self.client_id, self.client_secret)})
        assert r.status_code == 200, r.text
        self.token = r.json()["access_token"]
        return self.token

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = kw.pop("headers", {})
        headers.setdefault("Authorization", f"Bearer {self.token}")
        resp = self.http.request(method, "/v2" + path, headers=headers, **kw)
        if self.check_schema and 200 <= resp.status_code < 300 and resp.content \
                and resp.headers.get("content-type", "").startswith("application/json"):
            schemas.check(method.upper(), urlsplit(path).path, resp.status_code, resp.json())
        return resp

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PATCH", path, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)


class Admin:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.admin_key}"},
                                 timeout=30)

    def call(self, method: str, path: str, json: Any = None) -> Any:
        r = self.http.request(method, "/_zoomsim" + path, json=json)
        assert r.status_code < 300, r.text
        return r.json() if r.content else None

    def tenant(self, plan: str = "business", scopes: Any = "all", **extra: Any) -> Api:
        """A fresh account with one S2S app (and a token): tenants never see each other's state."""
        out = self.call("POST", "/accounts", {"plan": plan, "apps": [{"scopes": scopes}], **extra})
        app = out["apps"][0]
        api = Api(self.server, out["account_id"], out["owner_id"], app["client_id"], app["client_secret"],
                  app["scopes"], httpx.Client(base_url=self.server.url, timeout=30))
        api.fetch_token()
        return api

    def member(self, api: Api, scopes: Any = ("meeting:read", "meeting:write"), **user: Any) -> Api:
        """A second user in `api`'s account, with an app of its own holding `scopes` (user-level
        by default): the view of a host who is not the account's admin."""
        user.setdefault("email", unique_email("member"))
        made = self.call("POST", f"/accounts/{api.account_id}/users", user)
        app = self.call("POST", f"/accounts/{api.account_id}/apps", {"user_id": made["id"], "scopes": list(scopes)
                                                                     if not isinstance(scopes, str) else scopes})
        other = Api(self.server, api.account_id, made["id"], app["client_id"], app["client_secret"],
                    app["scopes"], httpx.Client(base_url=self.server.url, timeout=30))
        other.fetch_token()
        return other

    def clock(self, **body: Any) -> Any:
        return self.call("POST", "/clock", body)


def npm_installed(tmp_path_factory: Any, package: str) -> Any:
    """A folder with `package` installed from the npm registry (skips without node/npm or the
    registry), for tests that drive a real Node client."""
    import shutil
    import subprocess

    import pytest

    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are not installed")
    where = tmp_path_factory.mktemp(package.split("@")[-2].replace("/", "_") or "npm")
    try:
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", package], cwd=where, check=True,
                       capture_output=True, timeout=300)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"could not install {package} from the npm registry: {exc}")
    return where


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{secrets.token_hex(4)}@example.com"


def expect_error(resp: httpx.Response, status: int, code: int, message: str | None = None) -> dict[str, Any]:
    """Zoom's error envelope with this status and code (and message, when given)."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"] == code, body
    if message is not None:
        assert body["message"] == message, body
    return body  # type: ignore[no-any-return]


def bad_fields(resp: httpx.Response) -> set[str]:
    """The fields a 400/300 "Validation Failed." answer names."""
    body = expect_error(resp, 400, 300, "Validation Failed.")
    return {e["field"] for e in body["errors"]}


def new_meeting(api: Api, user: str = "me", **body: Any) -> dict[str, Any]:
    """Creates a meeting (topic "Planning" unless given; topic=None leaves it out)."""
    body.setdefault("topic", "Planning")
    if body["topic"] is None:
        del body["topic"]
    r = api.post(f"/users/{user}/meetings", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def freeze(clock: Admin, api: Api, at: str) -> None:
    """Freeze the server clock at `at` and take a token that is valid then."""
    clock.clock(now=at)
    api.fetch_token()


def ok(api: Api, path: str, **params: Any) -> dict[str, Any]:
    """A GET that must answer 200; its JSON."""
    r = api.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def every_registrant_call(api: Api, collection: str, number: int | str, rid: str) -> list[httpx.Response]:
    """One call of each registrant operation on a meeting or webinar ("meetings" / "webinars"),
    for checks every one of them must answer alike (isolation, access, kind)."""
    reg = {"email": unique_email(), "first_name": "A"}
    base = f"/{collection}/{number}"
    return [
        api.get(f"{base}/registrants"), api.post(f"{base}/registrants", json=reg),
        api.post(f"{base}/batch_registrants", json={"registrants": [reg]}), api.get(f"{base}/registrants/{rid}"),
        api.delete(f"{base}/registrants/{rid}"),
        api.put(f"{base}/registrants/status", json={"action": "deny", "registrants": [{"id": rid}]}),
        api.get(f"{base}/registrants/questions"),
        api.patch(f"{base}/registrants/questions", json={"questions": []}),
    ]
