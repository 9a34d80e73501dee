"""The zoomsim app called in process, without sockets: a private event loop in a daemon thread
runs the ASGI app, and callers in any thread (or on their own event loop) hand it requests.

One thread runs every request, so the app sees the same single-threaded world uvicorn gives it,
and an async caller's loop is never blocked by the app's synchronous handlers.
"""
from __future__ import annotations

import asyncio
import atexit
import shutil
import tempfile
import threading
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable

if TYPE_CHECKING:
    import httpx

    from zoomsim.app import ZoomSim

Headers = list[tuple[bytes, bytes]]
Reply = tuple[int, Headers, bytes]


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class InProcessApp:
    """A zoomsim app on a temporary SQLite file, served by a private loop thread."""

    def __init__(self, rate_limits: bool = False, public_url: str = "https://api.zoom.us") -> None:
        from zoomsim.app import create_app
        from zoomsim.config import Config

        self._dir = Path(tempfile.mkdtemp(prefix="zoomsim-intercept-"))
        self.app: ZoomSim = create_app(Config(db_url=f"sqlite:///{self._dir / 'zoomsim.db'}", host="127.0.0.1",
                                              rate_limits=rate_limits, public_url=public_url))
        key = self.app.services.admin_key
        assert key, "the admin API is on for a loopback configuration"
        self.admin_key = key
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="zoomsim-inprocess", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    async def _call(self, scope: dict[str, Any], body: bytes) -> Reply:
        sent = False
        done = asyncio.Event()

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()          # like a client that stays connected until the answer
            return {"type": "http.disconnect"}

        status = 500
        headers: Headers = []
        chunks: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    done.set()

        await self.app(scope, receive, send)
        return status, headers, b"".join(chunks)

    @staticmethod
    def scope(method: str, scheme: str, host: str, port: int, raw_path: bytes, query: bytes,
              headers: Headers) -> dict[str, Any]:
        from urllib.parse import unquote_to_bytes

        return {
            "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
            "method": method.upper(), "scheme": scheme, "path": unquote_to_bytes(raw_path).decode("utf-8", "replace"),
            "raw_path": raw_path, "query_string": query, "root_path": "", "headers": headers,
            "client": ("127.0.0.1", 0), "server": (host, port),
        }

    def call(self, scope: dict[str, Any], body: bytes) -> Reply:
        """Run one request from a thread other than the app's own; blocks until it answered."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("zoomsim's in-process app cannot be called from its own thread")
        return asyncio.run_coroutine_threadsafe(self._call(scope, body), self.loop).result()

    def call_async(self, scope: dict[str, Any], body: bytes) -> Awaitable[Reply]:
        """The same for a caller on its own event loop, which keeps running meanwhile."""
        return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._call(scope, body), self.loop))

    # ---- the handles' Backend ---------------------------------------------------------------

    def request(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        path, _, query = target.partition("?")
        raw = [(b"host", b"api.zoom.us")] + [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        if body:
            raw.append((b"content-length", str(len(body)).encode()))
        status, _, out = self.call(self.scope(method, "https", "api.zoom.us", 443, path.encode(), query.encode(), raw), body)
        return status, out

    def httpx_transport(self) -> "httpx.BaseTransport":
        return make_httpx_transport(self)

    def close(self) -> None:
        if self.loop.is_closed():
            return
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=5)
        self.app.services.storage.dispose()
        self.loop.close()
        shutil.rmtree(self._dir, ignore_errors=True)


def httpx_reply(request: "httpx.Request", reply: Reply) -> "httpx.Response":
    import httpx

    status, headers, body = reply
    return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body), request=request,
                          extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason(status).encode()})


def httpx_scope(request: "httpx.Request") -> dict[str, Any]:
    url = request.url
    path, _, query = url.raw_path.partition(b"?")
    port = url.port or (443 if url.scheme == "https" else 80)
    headers = [(k.lower(), v) for k, v in request.headers.raw]
    return InProcessApp.scope(request.method, url.scheme, url.host, port, path, query, headers)


def make_httpx_transport(target: InProcessApp) -> "httpx.BaseTransport":
    """An httpx transport that hands every request to `target` (whatever its host): what
    `Zoom.client` uses under intercept(), independent of the patched transports."""
    import httpx

    class InProcessTransport(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            body = request.read()
            return httpx_reply(request, target.call(httpx_scope(request), body))

    return InProcessTransport()
