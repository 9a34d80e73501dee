"""A zoomsim server for a test session: started here (uvicorn in a thread, on a socket bound to
a free port, on a temporary SQLite file) or one already running that the session attaches to
(`ZOOMSIM_URL`, `ZOOMSIM_ADMIN_KEY`). Either way the session talks to it through one
keep-alive connection, so handing out an account costs one round trip."""
from __future__ import annotations

import http.client
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from zoomsim.testing.handle import Admin, Zoom, new_account

if TYPE_CHECKING:
    import httpx

START_TIMEOUT = 30.0
KEEP_ALIVE_SECONDS = 600      # the session's admin connection stays open between tests


class HttpBackend:
    """One persistent HTTP/1.1 connection (http.client), reopened when the server closed it.
    A lock makes it safe for tests that call the admin API from several threads."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url.rstrip("/")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.prefix = parts.path.rstrip("/")
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self._pool: Any = None      # one httpx connection pool for every test's client

    def _connect(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return cls(self.host, self.port, timeout=60)

    def request(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        with self._lock:
            for attempt in (1, 2):
                if self._conn is None:
                    self._conn = self._connect()
                try:
                    self._conn.request(method, self.prefix + target, body=body or None, headers=headers)
                    resp = self._conn.getresponse()
                    data = resp.read()
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                        http.client.CannotSendRequest):
                    # a keep-alive connection the server had closed: nothing was processed, retry once
                    self._conn.close()
                    self._conn = None
                    if attempt == 2:
                        raise
                    continue
                if resp.will_close:
                    self._conn.close()
                    self._conn = None
                return resp.status, data
        raise AssertionError("unreachable")

    def httpx_transport(self) -> "httpx.BaseTransport":
        """A view of the session's shared pool: a test's client reuses warm connections instead
        of opening its own (about a millisecond each), and closing the client leaves the pool."""
        import httpx

        with self._lock:
            if self._pool is None:
                # plain http needs no certificates: skipping the CA bundle saves milliseconds
                self._pool = httpx.HTTPTransport(verify=False) if self.scheme == "http" else httpx.HTTPTransport()
            pool = self._pool

        class Borrowed(httpx.BaseTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                return pool.handle_request(request)  # type: ignore[no-any-return]

        return Borrowed()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            if self._pool is not None:
                self._pool.close()
                self._pool = None


class ZoomsimServer:
    """One server a session uses: `url` (its root), `admin_key`, `admin` (a session-wide admin
    handle) and `new_account(**options)`. `rate_limits` is what the server was started with,
    None for an attached server (its own setting applies)."""

    def __init__(self, url: str, admin_key: str, rate_limits: bool | None, attached: bool) -> None:
        self.url = url.rstrip("/")
        self.admin_key = admin_key
        self.rate_limits = rate_limits
        self.attached = attached
        self.backend = HttpBackend(self.url)
        self.admin = Admin(self.backend, admin_key)
        self._uvicorn: Any = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        how = "attached" if self.attached else f"local, rate limits {'on' if self.rate_limits else 'off'}"
        return f"<ZoomsimServer {self.url} ({how})>"

    @property
    def base_url(self) -> str:
        return self.url + "/v2"

    @property
    def token_url(self) -> str:
        return self.url + "/oauth/token"

    def new_account(self, **options: Any) -> Zoom:
        """A fresh account (plan, licences, scopes, users, owner, name) with one S2S app."""
        return new_account(self.backend, self.admin_key, self.base_url, self.token_url, options)

    @classmethod
    def attach(cls, url: str, admin_key: str) -> "ZoomsimServer":
        """A server someone else runs; checks the admin key once so a wrong one fails early."""
        for suffix in ("/v2", "/v2/"):
            if url.endswith(suffix):
                url = url[: -len(suffix)]
        server = cls(url, admin_key, None, attached=True)
        server.admin.call("GET", "/clock")
        return server

    @classmethod
    def start(cls, db_path: Path, rate_limits: bool) -> "ZoomsimServer":
        """A new server on `db_path` (SQLite), in a daemon thread, on 127.0.0.1 and a port the
        kernel picked: the socket is bound before the app is built, so there is no port race."""
        import uvicorn

        from zoomsim.app import create_app
        from zoomsim.config import Config

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app = create_app(Config(db_url=f"sqlite:///{db_path}", host="127.0.0.1", port=port, rate_limits=rate_limits))
        key = app.services.admin_key
        assert key, "the admin API is on for a loopback server"
        server = cls(f"http://127.0.0.1:{port}", key, rate_limits, attached=False)
        server._uvicorn = uvicorn.Server(uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on",
            timeout_keep_alive=KEEP_ALIVE_SECONDS))
        server._thread = threading.Thread(target=server._uvicorn.run, kwargs={"sockets": [sock]},
                                          name=f"zoomsim-server-{port}", daemon=True)
        server._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server._uvicorn.started:
            if not server._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"zoomsim server on port {port} did not start")
            time.sleep(0.005)
        return server

    def stop(self) -> None:
        self.backend.close()
        if self._uvicorn is not None and self._thread is not None:
            self._uvicorn.should_exit = True
            self._thread.join(timeout=10)
            self._uvicorn = None
