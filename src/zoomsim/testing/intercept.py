"""`zoomsim.intercept()`: Zoom's own URLs, in process, for code that can't be pointed elsewhere.

Inside `with zoomsim.intercept() as zs:` every request made through `requests` or `httpx` to
`https://api.zoom.us/...` (the API, `/v2` and `/v1`) or `https://zoom.us/oauth/token` is
answered by a zoomsim app running in this process (no sockets); every other host goes out as
usual. So unmodified code built on zoomus, which hard-codes those URLs, runs against zoomsim.
`zs` is a fresh account (`account_id`, `client_id`, `client_secret`, `token`, `client`, `admin`).

The hooks are where `responses` and `respx` put theirs: `requests.adapters.HTTPAdapter.send`,
`httpx.HTTPTransport.handle_request` and `httpx.AsyncHTTPTransport.handle_async_request`; they
are installed by the outermost block and removed when it ends. The app (one per rate-limit
setting) is built on first use and kept for the process, so later blocks cost one account.
"""
from __future__ import annotations

import contextlib
import functools
import inspect
import io
import threading
from typing import Any, Callable, TypeVar
from urllib.parse import urlsplit

from zoomsim.testing.handle import Zoom, account_body, new_account
from zoomsim.testing.inprocess import InProcessApp, Headers, httpx_reply, httpx_scope, reason

API_HOST = "api.zoom.us"
OAUTH_HOST = "zoom.us"
OAUTH_PATH = "/oauth/token"
BASE_URL = f"https://{API_HOST}/v2"
TOKEN_URL = f"https://{OAUTH_HOST}{OAUTH_PATH}"

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.RLock()
_apps: dict[bool, InProcessApp] = {}                 # rate_limits -> the app, built once
_active: list[tuple[InProcessApp, Zoom]] = []        # open blocks, innermost last
_saved: dict[tuple[type, str], Any] = {}             # the hooks' originals while installed


def is_zoom(host: str | None, path: str) -> bool:
    """Whether a request goes to Zoom's API or its token endpoint (what intercept() answers)."""
    host = (host or "").lower().rstrip(".")
    return host == API_HOST or (host == OAUTH_HOST and path == OAUTH_PATH)


def _original(cls: type, name: str) -> Any:
    """The hook's original; after the last block closed (a request still in flight in another
    thread), the class holds it again."""
    original = _saved.get((cls, name))
    return original if original is not None else getattr(cls, name)


def _target(host: str | None, path: str) -> InProcessApp | None:
    active = _active
    if active and is_zoom(host, path):
        return active[-1][0]
    return None


def current() -> Zoom:
    """The account of the innermost open intercept() block (for a function it decorates)."""
    if not _active:
        raise RuntimeError("no zoomsim.intercept() block is open")
    return _active[-1][1]


def _app(rate_limits: bool) -> InProcessApp:
    with _lock:
        app = _apps.get(rate_limits)
        if app is None:
            app = _apps[rate_limits] = InProcessApp(rate_limits=rate_limits)
        return app


# ---- requests -----------------------------------------------------------------------------

def _requests_body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return b"".join(x.encode("utf-8") if isinstance(x, str) else bytes(x) for x in body)  # a generator


def _requests_send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
    """HTTPAdapter.send, answering Zoom's URLs from the in-process app."""
    from requests.adapters import HTTPAdapter
    from urllib3 import HTTPResponse
    from urllib3._collections import HTTPHeaderDict

    parts = urlsplit(request.url)
    target = _target(parts.hostname, parts.path)
    if target is None:
        return _original(HTTPAdapter, "send")(self, request, *args, **kwargs)
    body = _requests_body(request.body)
    headers: Headers = [(b"host", parts.netloc.encode("idna"))]
    headers += [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in request.headers.items()]
    if body and "content-length" not in {k.lower() for k in request.headers}:
        headers.append((b"content-length", str(len(body)).encode()))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    scope = InProcessApp.scope(request.method, parts.scheme, parts.hostname or "", port,
                               (parts.path or "/").encode("latin-1"), parts.query.encode("latin-1"), headers)
    status, out_headers, content = target.call(scope, body)
    fields = HTTPHeaderDict()
    for k, v in out_headers:
        fields.add(k.decode("latin-1"), v.decode("latin-1"))
    raw = HTTPResponse(body=io.BytesIO(content), headers=fields, status=status, reason=reason(status),
                       version=11, preload_content=False, decode_content=False, request_url=request.url)
    return self.build_response(request, raw)


# ---- httpx --------------------------------------------------------------------------------

def _httpx_handle(self: Any, request: Any) -> Any:
    """HTTPTransport.handle_request, answering Zoom's URLs from the in-process app."""
    import httpx

    target = _target(request.url.host, request.url.path)
    if target is None:
        return _original(httpx.HTTPTransport, "handle_request")(self, request)
    body = request.read()
    return httpx_reply(request, target.call(httpx_scope(request), body))


async def _httpx_handle_async(self: Any, request: Any) -> Any:
    """AsyncHTTPTransport.handle_async_request, the same for async clients (their loop keeps
    running while the app answers on its own)."""
    import httpx

    target = _target(request.url.host, request.url.path)
    if target is None:
        return await _original(httpx.AsyncHTTPTransport, "handle_async_request")(self, request)
    body = await request.aread()
    return httpx_reply(request, await target.call_async(httpx_scope(request), body))


def _hooks() -> list[tuple[type, str, Callable[..., Any]]]:
    """The clients installed here (either may be missing)."""
    hooks: list[tuple[type, str, Callable[..., Any]]] = []
    try:
        from requests.adapters import HTTPAdapter
    except ImportError:
        pass
    else:
        hooks.append((HTTPAdapter, "send", _requests_send))
    try:
        import httpx
    except ImportError:
        pass
    else:
        hooks.append((httpx.HTTPTransport, "handle_request", _httpx_handle))
        hooks.append((httpx.AsyncHTTPTransport, "handle_async_request", _httpx_handle_async))
    return hooks


def _install() -> None:
    for cls, name, hook in _hooks():
        _saved[(cls, name)] = getattr(cls, name)
        setattr(cls, name, hook)


def _uninstall() -> None:
    for (cls, name), original in list(_saved.items()):
        setattr(cls, name, original)
    _saved.clear()


# ---- the context manager ------------------------------------------------------------------

class Intercept(contextlib.ContextDecorator):
    """A context manager (sync or async) and decorator; each entry hands out a fresh account.
    A clock the block moved through its admin handle is back on wall time when it ends."""

    def __init__(self, rate_limits: bool = False, **account_options: Any) -> None:
        self.options = account_body(account_options)    # unknown options fail here, not later
        self.rate_limits = rate_limits
        self._entered: list[tuple[InProcessApp, Zoom]] = []

    def __enter__(self) -> Zoom:
        app = _app(self.rate_limits)
        zoom = new_account(app, app.admin_key, BASE_URL, TOKEN_URL, self.options)
        with _lock:
            if not _active:
                _install()
            _active.append((app, zoom))
        self._entered.append((app, zoom))
        return zoom

    def __exit__(self, *exc: object) -> None:
        entry = self._entered.pop()
        try:
            entry[1].close()
            if entry[1].admin.clock_touched:
                entry[1].admin.real()
        finally:
            with _lock:
                _active.remove(entry)
                if not _active:
                    _uninstall()

    async def __aenter__(self) -> Zoom:
        return self.__enter__()

    async def __aexit__(self, *exc: object) -> None:
        self.__exit__(*exc)

    def __call__(self, func: F) -> F:  # type: ignore[override]
        """As a decorator; `current()` gives the decorated function its account."""
        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)
            return run_async  # type: ignore[return-value]
        return super().__call__(func)  # type: ignore[return-value]


def intercept(func: Callable[..., Any] | None = None, /, *, rate_limits: bool = False,
              **account_options: Any) -> Any:
    """Route Zoom's URLs (requests, httpx) into an in-process zoomsim for a block or a function:
    `with zoomsim.intercept(plan="pro") as zs:`, `@zoomsim.intercept()` or `@zoomsim.intercept`.
    Account options: plan, licences, scopes, users, owner, name; `rate_limits=True` for Zoom's
    limits (off by default)."""
    icp = Intercept(rate_limits=rate_limits, **account_options)
    return icp(func) if func is not None else icp
