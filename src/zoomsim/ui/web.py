"""What every page uses: the template environment, rendering with the shared layout's context,
the login guard for pages and actions, and small formatting filters."""
from __future__ import annotations

import json
import time
from functools import wraps
from pathlib import Path
from typing import Any, Awaitable, Callable

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from zoomsim import clock as clockmod
from zoomsim.errors import ZoomError
from zoomsim.ui import session

HERE = Path(__file__).resolve().parent
Endpoint = Callable[[Request], Awaitable[Response]]

# (label, path under /_zoomsim/ui) of the navigation bar, in order
NAV: list[tuple[str, str]] = [
    ("Overview", "/"),
    ("Accounts", "/accounts"),
    ("Live", "/live"),
    ("API calls", "/calls"),
    ("Webhooks", "/webhooks"),
    ("Charts", "/charts"),
    ("Clock", "/clock"),
    ("Coverage", "/coverage"),
    ("Reset", "/reset"),
]

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                               "form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _pretty(value: Any) -> str:
    """JSON as people read it (stored documents are text: decoded first)."""
    if isinstance(value, (bytes, str)):
        try:
            value = json.loads(value)
        except ValueError:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


def _when(epoch: float | int | None) -> str:
    if epoch is None:
        return ""
    return clockmod.iso(float(epoch))


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pretty"] = _pretty
    env.filters["when"] = _when
    return Jinja2Templates(env=env)


services = session.services


def url(path: str) -> str:
    return session.PATH + path


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    s = services(request)
    now = s.clock.now()
    base = {
        "nav": NAV, "url": url, "csrf": session.csrf_token(request), "title": context.pop("title", "zoomsim"),
        "sim_now": clockmod.iso(now), "wall_now": clockmod.iso(time.time()), "clock_mode": s.clock.mode,
        "current": request.url.path,
    }
    response = request.app.state.templates.TemplateResponse(request, template, {**base, **context},
                                                            status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def page(fn: Endpoint) -> Endpoint:
    """A page for signed-in users; anyone else is sent to the login form. The shared state
    (clock, generation) is brought up to date first, as the API chain does."""
    @wraps(fn)
    async def guarded(request: Request) -> Response:
        if not session.signed_in(request):
            return session.to_login(request)
        services(request).shared.sync()
        return await fn(request)
    return guarded


def action(fn: Callable[[Request, dict[str, Any]], Awaitable[Response]]) -> Endpoint:
    """A POST that changes state: signed in, same origin and a valid CSRF token, or 403."""
    @wraps(fn)
    async def guarded(request: Request) -> Response:
        try:
            form = await session.checked_form(request)
        except session.Refused:
            return refused(request)
        services(request).shared.sync()
        return await fn(request, form)
    return guarded


def seq_of(text: str | None) -> int | None:
    """A row key from a URL (a page's `before`, a path's id): ASCII digits only, and short enough
    for the column, else None; a bad link gets no 500."""
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 19 else None


def error_text(err: ZoomError) -> str:
    """A ZoomError as one line for a flash: the message and the fields a validation failure names."""
    fields = "; ".join(f"{e.get('field', '')}: {e.get('message', '')}" for e in err.errors or [])
    return f"{err.message} ({fields})" if fields else (err.message or str(err))


def back(path: str, **flash: str) -> RedirectResponse:
    """After an action: back to a page (POST/redirect/GET), with a one-line message."""
    from urllib.parse import urlencode

    query = f"?{urlencode(flash)}" if flash else ""
    return RedirectResponse(url(path) + query, status_code=303)


def refused(request: Request) -> HTMLResponse:
    response = HTMLResponse("<!doctype html><title>Refused</title><p>This form has expired or did not come from "
                            "this dashboard. Reload the page and try again.</p>", status_code=403)
    response.headers.update(SECURITY_HEADERS)
    return response


def not_found(request: Request, what: str) -> HTMLResponse:
    return render(request, "not_found.html", status=404, title="Not found", what=what)
