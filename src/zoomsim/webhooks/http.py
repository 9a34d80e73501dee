"""A small keep-alive HTTP/1.1 client for deliveries: POST a body, read the answer.

The sender runs on the loop that serves the API, so every microsecond a delivery costs is
taken from requests. httpx spends ~1.3 ms of CPU per POST; this writes the request bytes
itself, parses the answer with httptools (uvicorn's parser) and keeps connections per origin,
for a few tens of microseconds. It does what a delivery needs and no more: no redirects
(a 3xx is an answer, as at Zoom), no proxies, no cookies, TLS through the ssl module."""
from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import httptools

IDLE_PER_ORIGIN = 64          # connections kept open per receiver
KEPT_BYTES = 8192             # of an answer's body; the rest is read and dropped


class RemoteError(Exception):
    """The receiver broke the exchange (closed early, answered something that is not HTTP)."""


@dataclass(slots=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str
    port: int
    path: bytes
    host_header: bytes


@lru_cache(maxsize=4096)
def target(url: str) -> Target:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url}")
    default = 443 if parts.scheme == "https" else 80
    port = parts.port or default
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    host_header = host if port == default else f"{host}:{port}"
    return Target(parts.scheme, parts.hostname, port, path.encode("utf-8"), host_header.encode("idna"))


class _Conn(asyncio.Protocol):
    """One connection; one exchange at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[Answer] | None = None
        self.parser: Any = None
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.kept = 0
        self.received = False
        self.status = 0                   # once the answer's head is read
        self.open = True

    # exchange
    def begin(self, data: bytes) -> asyncio.Future[Answer]:
        loop = asyncio.get_running_loop()
        self.waiter = loop.create_future()
        self.parser = httptools.HttpResponseParser(self)
        self.headers, self.body, self.kept, self.received, self.status = {}, [], 0, False, 0
        assert self.transport is not None
        self.transport.write(data)
        return self.waiter

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.received = True
        if self.parser is None:          # bytes nobody asked for: the connection is not reusable
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(RemoteError("the receiver switched protocols"))
        except httptools.HttpParserError as exc:
            self._fail(RemoteError(f"not an HTTP answer: {exc}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        if self.parser is not None and self.status and "content-length" not in self.headers \
                and "transfer-encoding" not in self.headers:
            self.parser = None          # an answer delimited by the close is complete now
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(Answer(self.status, self.headers, b"".join(self.body)))
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(RemoteError("the receiver closed the connection")
                                      if exc is None else exc)

    # httptools callbacks
    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, data: bytes) -> None:
        if self.kept < KEPT_BYTES:
            self.body.append(data[:KEPT_BYTES - self.kept])
            self.kept += len(data)

    def on_message_complete(self) -> None:
        parser, self.parser = self.parser, None
        reusable = parser.should_keep_alive()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(Answer(parser.get_status_code(), self.headers, b"".join(self.body)))
        if not reusable:
            self.close()

    def _fail(self, exc: Exception) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)
        self.close()

    def close(self) -> None:
        self.open = False
        self.parser = None
        if self.transport is not None:
            self.transport.close()


@dataclass
class Client:
    """Connections per (scheme, host, port), reused while the receiver keeps them alive."""

    idle: dict[tuple[str, str, int], list[_Conn]] = field(default_factory=dict)
    _tls: ssl.SSLContext | None = None

    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
        """POST and wait for the whole answer, within `timeout` seconds in all (connect included)."""
        t = target(url)
        head = [b"POST ", t.path, b" HTTP/1.1\r\nhost: ", t.host_header, b"\r\ncontent-length: ",
                str(len(body)).encode(), b"\r\n"]
        for k, v in headers.items():
            head += [k.encode("latin-1"), b": ", v.encode("latin-1"), b"\r\n"]
        data = b"".join(head) + b"\r\n" + body
        async with asyncio.timeout(timeout):      # no task of its own, unlike wait_for
            return await self._exchange(t, data)

    async def _exchange(self, t: Target, data: bytes) -> Answer:
        key = (t.scheme, t.host, t.port)
        pool = self.idle.setdefault(key, [])
        while pool:                        # a kept connection; the receiver may have closed it
            conn = pool.pop()
            if not conn.open:
                continue
            try:
                answer = await self._on(conn, data)
            except (RemoteError, ConnectionError) as exc:
                if conn.received:          # it answered something, then broke: that is the answer
                    raise RemoteError(str(exc) or type(exc).__name__) from None
                continue                   # closed while idle: try the next (or a new) one
            self._keep(key, conn)
            return answer
        conn = await self._connect(t)
        try:
            answer = await self._on(conn, data)
        except BaseException:
            conn.close()
            raise
        self._keep(key, conn)
        return answer

    async def _on(self, conn: _Conn, data: bytes) -> Answer:
        try:
            return await conn.begin(data)
        except asyncio.CancelledError:      # timed out (or shut down) mid-exchange: not reusable
            conn.close()
            raise

    async def _connect(self, t: Target) -> _Conn:
        loop = asyncio.get_running_loop()
        tls = None
        if t.scheme == "https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            tls = self._tls
        _, conn = await loop.create_connection(_Conn, t.host, t.port, ssl=tls,
                                               server_hostname=t.host if tls else None)
        return conn

    def _keep(self, key: tuple[str, str, int], conn: _Conn) -> None:
        pool = self.idle.setdefault(key, [])
        if conn.open and conn.parser is None and len(pool) < IDLE_PER_ORIGIN:
            conn.waiter = None
            pool.append(conn)
        else:
            conn.close()

    def close(self) -> None:
        for pool in self.idle.values():
            for conn in pool:
                conn.close()
        self.idle.clear()
