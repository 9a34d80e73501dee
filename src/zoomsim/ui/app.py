"""The dashboard's Starlette application, built once per worker on its first request.

Each page module of ui/pages/ lists its own routes (`ROUTES`); this module adds sign-in, the
static files shipped in the package and the error pages. It is mounted by the zoomsim ASGI app
under /_zoomsim/ui, behind the same admin key as the admin API."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from zoomsim.ui import session, web

if TYPE_CHECKING:
    from zoomsim.app import Services

# ui/pages/<name>.py, each with ROUTES: list[Route] (paths relative to /_zoomsim/ui), imported when the app is built
PAGE_MODULES = ("overview", "accounts", "resources", "live", "calls", "webhooks", "charts", "clock",
                "coverage", "reset")


async def login_form(request: Request) -> Response:
    if session.signed_in(request):
        return RedirectResponse(session.safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request, "")


def _login_page(request: Request, error: str, status: int = 200) -> HTMLResponse:
    templates = request.app.state.templates
    response = templates.TemplateResponse(request, "login.html", {
        "url": web.url, "error": error, "next": session.safe_next(request.query_params.get("next")),
        "title": "Sign in"}, status_code=status)
    response.headers.update(web.SECURITY_HEADERS)
    return response


async def login(request: Request) -> Response:
    s = web.services(request)
    form = await request.form()
    if not session.same_origin(request):
        return web.refused(request)
    if not session.key_matches(s, str(form.get("admin_key", ""))):
        return _login_page(request, "That is not this server's admin key.", status=401)
    response = RedirectResponse(session.safe_next(str(form.get("next", ""))), status_code=303)
    session.set_cookie(response, session.issue(s))
    return response


async def logout(request: Request) -> Response:
    try:
        await session.checked_form(request)
    except session.Refused:
        return web.refused(request)
    response = RedirectResponse(web.url("/login"), status_code=303)
    session.clear_cookie(response)
    return response


async def missing(request: Request, exc: Exception) -> Response:
    if not session.signed_in(request):
        return session.to_login(request)
    return web.not_found(request, request.url.path)


def page_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for name in PAGE_MODULES:
        routes.extend(importlib.import_module(f"zoomsim.ui.pages.{name}").ROUTES)
    return routes


def build(services: "Services") -> Starlette:
    routes: list[BaseRoute] = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=str(web.HERE / "static")), name="static"),
        *page_routes(),
    ]
    app = Starlette(routes=[Mount(session.PATH, routes=routes)], exception_handlers={404: missing})
    app.state.services = services
    app.state.templates = web.make_templates()
    return app
