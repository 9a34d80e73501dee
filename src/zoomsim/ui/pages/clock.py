"""The clock page: zoomsim's simulated time next to wall time, and the forms that freeze,
advance or release it. Every change goes through the admin API's own set_clock, so it is stored
(all workers follow) and validated the same way as POST /_zoomsim/clock."""
from __future__ import annotations

import math
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim import clock as clockmod
from zoomsim.admin import routes as admin
from zoomsim.errors import ZoomError
from zoomsim.ui import web

UNITS: dict[str, int] = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86_400}


def _offset_text(seconds: float) -> str:
    """How far the simulated clock is from wall time, in words a person reads at a glance."""
    sign = "ahead of" if seconds >= 0 else "behind"
    left = abs(int(round(seconds)))
    days, left = divmod(left, 86_400)
    hours, left = divmod(left, 3600)
    minutes, secs = divmod(left, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min"), (secs, "s")) if n]
    return f"{' '.join(parts) or '0 s'} {sign} wall time"


@web.page
async def clock_page(request: Request) -> Response:
    s = web.services(request)
    now, wall = s.clock.now(), time.time()
    state = s.clock.state()
    return web.render(request, "clock.html", title="Clock", sim=clockmod.iso(now), wall=clockmod.iso(wall),
                      mode=s.clock.mode, offset=_offset_text(now - wall), frozen=state.get("frozen") is not None,
                      sim_local=clockmod.iso(now).rstrip("Z"), units=list(UNITS))


def _apply(request: Request, body: dict[str, Any], done: str) -> Response:
    try:
        out = admin.set_clock(web.services(request), body)[1]
    except ZoomError as exc:
        return web.back("/clock", error=f"The clock did not move: {web.error_text(exc)}")
    return web.back("/clock", done=done.format(now=out["now"], mode=out["mode"]))


@web.action
async def freeze(request: Request, form: dict[str, Any]) -> Response:
    text = str(form.get("now", "")).strip()
    if not text:
        return web.back("/clock", error="Give the time to freeze at (ISO, UTC unless it says otherwise).")
    return _apply(request, {"now": text}, "Clock frozen at {now}.")


@web.action
async def advance(request: Request, form: dict[str, Any]) -> Response:
    unit = str(form.get("unit", "seconds"))
    try:
        amount = float(str(form.get("amount", "")).strip())
    except ValueError:
        return web.back("/clock", error="Advance by a number (negative goes back).")
    if unit not in UNITS or not math.isfinite(amount):
        return web.back("/clock", error="Advance by a number of seconds, minutes, hours or days.")
    step = amount * UNITS[unit]
    return _apply(request, {"advance_seconds": step}, f"Clock moved by {amount:g} {unit}: now {{now}} ({{mode}}).")


@web.action
async def real(request: Request, form: dict[str, Any]) -> Response:
    return _apply(request, {"mode": "real"}, "Clock back to wall time: {now}.")


ROUTES = [
    Route("/clock", clock_page, methods=["GET"]),
    Route("/clock/freeze", freeze, methods=["POST"]),
    Route("/clock/advance", advance, methods=["POST"]),
    Route("/clock/real", real, methods=["POST"]),
]
