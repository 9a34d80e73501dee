"""Live: the meetings and webinars running now in every account, who is in them, and buttons
that drive the simulation (start, add a participant, remove one, end).

What the page shows is read from the database (instances without an end, their open sessions),
never from a worker's memory, so every worker on PostgreSQL shows the same. The browser keeps
it current through a server-sent-events stream that re-reads that snapshot twice a second and
sends it when it changed; each stream ends by itself after STREAM_SECONDS (EventSource opens
the next one), so no connection outlives a graceful shutdown for long. The buttons run the very
route functions of the admin simulation API (admin/simulation.ROUTES): one transaction per
step, webhook events included, exactly as `POST /_zoomsim/meetings/{id}/start` does."""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any, AsyncIterator, Callable

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.admin import simulation
from zoomsim.errors import ZoomError
from zoomsim.meetings.kinds import MEETING, Kind, of_type
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage.schema import instances as inst_t
from zoomsim.storage.schema import participants as part_t
from zoomsim.ui import session, web

TICK_SECONDS = 0.5         # how often a stream re-reads the snapshot
PING_SECONDS = 15.0        # a comment line keeps proxies from closing an idle stream
STREAM_SECONDS = 25.0      # then the stream ends; EventSource reconnects (after RETRY_MS)
RETRY_MS = 1000
MAX_RUNNING = 200          # instances listed (newest first)
MAX_PEOPLE = 300           # participants listed per instance (the count is always exact)
ROLES = ("attendee", "panelist")

# The admin simulation routes by (method, path): the page calls them, it has no steps of its own.
ADMIN_STEPS: dict[tuple[str, tuple[str, ...]], Callable[..., tuple[int, Any]]] = {
    (method, pattern): fn for method, pattern, fn in simulation.ROUTES}


# ---- the snapshot ---------------------------------------------------------------------------

def snapshot(db: Any) -> list[dict[str, Any]]:
    """Every running instance of every account with the people in it now, newest first: what
    the page renders and what the stream sends."""
    q = (sa.select(*inst_repo.COLS).where(inst_t.c.end_time.is_(None))
         .order_by(inst_t.c.seq.desc()).limit(MAX_RUNNING))
    rows = [inst_repo.InstanceRow._make(r) for r in db.execute(q)]
    people: dict[int, list[inst_repo.SessionRow]] = {r.seq: [] for r in rows}
    counts: dict[int, int] = {r.seq: 0 for r in rows}
    if rows:
        seqs = list(people)
        open_ = sa.and_(part_t.c.instance_seq.in_(seqs), part_t.c.leave_time.is_(None))
        for seq, n in db.execute(sa.select(part_t.c.instance_seq, sa.func.count()).where(open_)
                                 .group_by(part_t.c.instance_seq)):
            counts[int(seq)] = int(n)
        listed = (sa.select(*inst_repo.SESSION_COLS).where(open_).order_by(part_t.c.seq)
                  .limit(MAX_PEOPLE * len(seqs)))
        for r in db.execute(listed):
            found = inst_repo.SessionRow._make(r)
            if len(people[found.instance_seq]) < MAX_PEOPLE:
                people[found.instance_seq].append(found)
    out = []
    for r in rows:
        doc = r.data()
        out.append({
            "number": str(r.meeting_id), "kind": r.kind, "topic": r.topic, "account_id": r.account_id,
            "host_id": r.host_id, "host_name": str(doc.get("host_name") or ""),
            "host_email": str(doc.get("host_email") or ""), "start_time": r.start_time, "uuid": r.uuid,
            "count": counts[r.seq],
            "participants": [{"id": p.id, "name": p.name, "email": p.email,
                              "role": str(p.data().get("role") or "attendee"), "join_time": p.join_time}
                             for p in people[r.seq]],
        })
    return out


def _read(request: Request) -> list[dict[str, Any]]:
    with web.services(request).storage.read() as db:
        return snapshot(db)


# ---- the page and its stream --------------------------------------------------------------

@web.page
async def live_page(request: Request) -> Response:
    running = _read(request)
    return web.render(request, "live.html", title="Live", running=running, roles=ROLES,
                      snapshot_json=json.dumps(running, separators=(",", ":")))


def _event(data: Any) -> str:
    return f"data: {json.dumps(data, separators=(',', ':'))}\n\n"


async def live_stream(request: Request) -> Response:
    """text/event-stream of the snapshot: sent at once, then whenever it changes; a ping
    comment every PING_SECONDS; over after STREAM_SECONDS or when the browser goes away. Only
    for a signed-in browser: anyone else gets a 401 and no stream (EventSource stops on it)."""
    if not session.signed_in(request):
        return PlainTextResponse("Sign in to the dashboard first.", status_code=401,
                                 headers={"Cache-Control": "no-store"})
    s = web.services(request)

    async def events() -> AsyncIterator[str]:
        started = last_sent = time.monotonic()
        last: list[dict[str, Any]] | None = None
        yield f"retry: {RETRY_MS}\n\n"
        while not await request.is_disconnected():
            s.shared.sync()            # the clock and generation, as a page request would
            running = _read(request)
            now = time.monotonic()
            if running != last:
                last, last_sent = running, now
                yield _event({"now": clockmod.iso(s.clock.now()), "running": running})
            elif now - last_sent >= PING_SECONDS:
                last_sent = now
                yield ": ping\n\n"
            if now - started >= STREAM_SECONDS:
                return
            await asyncio.sleep(TICK_SECONDS)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no",
                                      "X-Content-Type-Options": "nosniff"})


# ---- the buttons --------------------------------------------------------------------------

def _kind(request: Request, number: str) -> Kind:
    """Which admin route serves this number: a webinar's or a meeting's (an unknown number goes
    to the meeting route, which answers Zoom's "does not exist")."""
    n = ids.meeting_number(number)
    with web.services(request).storage.read() as db:
        row = meetings_repo.get(db, n) if n is not None else None
    return of_type(row.type) if row is not None else MEETING


def _run(request: Request, method: str, number: str, rest: tuple[str, ...], body: dict[str, Any],
         *more: str) -> tuple[Kind, Any]:
    kind = _kind(request, number)
    fn = ADMIN_STEPS[(method, (kind.collection, "{id}", *rest))]
    _status, out = fn(web.services(request), body, number, *more)
    return kind, out


def _number(form: dict[str, Any]) -> str:
    return str(form.get("number") or "").strip()


@web.action
async def start(request: Request, form: dict[str, Any]) -> Response:
    number = _number(form)
    if not number:
        return web.back("/live", error="Give the number of a meeting or webinar to start.")
    try:
        kind, out = _run(request, "POST", number, ("start",), {})
    except ZoomError as err:
        return web.back("/live", error=web.error_text(err))
    return web.back("/live", done=f"{kind.word} {number} started at {out['start_time']}.")


@web.action
async def join(request: Request, form: dict[str, Any]) -> Response:
    number = request.path_params["number"]
    body = {k: str(form[k]).strip() for k in ("name", "email", "role") if str(form.get(k) or "").strip()}
    try:
        kind, out = _run(request, "POST", number, ("participants",), body)
    except ZoomError as err:
        return web.back("/live", error=web.error_text(err))
    return web.back("/live", done=f"{out['name']} joined {kind.name} {number} as {out['role']}.")


@web.action
async def leave(request: Request, form: dict[str, Any]) -> Response:
    number, pid = request.path_params["number"], request.path_params["pid"]
    try:
        kind, out = _run(request, "DELETE", number, ("participants", "{pid}"), {}, pid)
    except ZoomError as err:
        return web.back("/live", error=web.error_text(err))
    return web.back("/live", done=f"Participant {pid} left {kind.name} {number} after {out['duration']} s.")


@web.action
async def end(request: Request, form: dict[str, Any]) -> Response:
    number = request.path_params["number"]
    try:
        kind, out = _run(request, "POST", number, ("end",), {})
    except ZoomError as err:
        return web.back("/live", error=web.error_text(err))
    return web.back("/live", done=f"{kind.word} {number} ended: {out['participants_count']} participants, "
                                  f"{out['duration']} minutes.")


ROUTES = [
    Route("/live", live_page, methods=["GET"]),
    Route("/live/stream", live_stream, methods=["GET"]),
    Route("/live/start", start, methods=["POST"]),
    Route("/live/{number}/join", join, methods=["POST"]),
    Route("/live/{number}/participants/{pid}/leave", leave, methods=["POST"]),
    Route("/live/{number}/end", end, methods=["POST"]),
]
