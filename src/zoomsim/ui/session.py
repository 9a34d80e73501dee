"""Signing in to the dashboard: the admin key once, through a form, then a signed cookie.

The cookie holds only when it was issued and an HMAC over that and the admin key, made with a
key derived from the installation key: it survives restarts, works on every worker, and stops
working when the admin key changes. Forms that change state carry a CSRF token derived from the
cookie (a forged cross-site form cannot know it); the cookie is SameSite=Strict besides."""
from __future__ import annotations

import hmac
import time
from hashlib import sha256
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

if TYPE_CHECKING:
    from zoomsim.app import Services

COOKIE = "zoomsim_ui"
PATH = "/_zoomsim/ui"
LIFETIME = 12 * 3600       # wall seconds a sign-in lasts


class Refused(Exception):
    """A state-changing form without a valid CSRF token or from another origin."""


def services(request: Request) -> "Services":
    return request.app.state.services


def _key(s: "Services") -> bytes:
    return s.installation.key("ui-session")


def _sign(s: "Services", text: str) -> str:
    return hmac.new(_key(s), f"{text}|{s.admin_key}".encode(), sha256).hexdigest()


def issue(s: "Services") -> str:
    issued = str(int(time.time()))
    return f"{issued}.{_sign(s, 'session:' + issued)}"


def valid(s: "Services", value: str | None) -> bool:
    if not value or "." not in value or not s.admin_key:
        return False
    issued, _, sig = value.partition(".")
    if not issued.isdigit() or not hmac.compare_digest(sig, _sign(s, "session:" + issued)):
        return False
    return 0 <= time.time() - int(issued) < LIFETIME


def signed_in(request: Request) -> bool:
    return valid(services(request), request.cookies.get(COOKIE))


def csrf_token(request: Request) -> str:
    return _sign(services(request), "csrf:" + request.cookies.get(COOKIE, ""))[:40]


def key_matches(s: "Services", key: str) -> bool:
    return bool(s.admin_key) and hmac.compare_digest(key.strip().encode(), str(s.admin_key).encode())


def set_cookie(response: Response, value: str) -> None:
    response.set_cookie(COOKIE, value, max_age=LIFETIME, path=PATH, httponly=True, samesite="strict")


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="strict")


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{PATH}/login?next={quote(target, safe='')}", status_code=303)


def same_origin(request: Request) -> bool:
    """A browser names the page a form came from; it must be this server."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


async def checked_form(request: Request) -> dict[str, Any]:
    """The posted form of a signed-in user, or Refused."""
    form = await request.form()
    token = str(form.get("csrf", ""))
    if not signed_in(request) or not same_origin(request) or not hmac.compare_digest(token, csrf_token(request)):
        raise Refused()
    return {k: v for k, v in form.multi_items()}


def safe_next(target: str | None) -> str:
    """Only a path of the dashboard itself (no open redirect)."""
    if target and target.startswith(PATH + "/") and "//" not in target and "\\" not in target:
        return target
    return PATH + "/"
