"""Admin routes that make meetings and webinars happen: start, join, leave, ask, vote, answer
the survey, chat, give remote support (meetings only), end, or run a whole one in one call. The admin key sees every account's
meetings. Each route exists once per kind (/meetings/... and /webinars/...) over the same live
steps; a route of one kind refuses the other kind's number, as the API does. Every step is
given the webhook outbox of the route's transaction (live.emitter); those Zoom reports (start,
join, leave, chat, end, and all of them in a run) write their events there, the others ignore it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from zoomsim import ids
from zoomsim.errors import ZoomError
from zoomsim.meetings.kinds import KINDS, MEETING, Kind
from zoomsim.simulation import live, remote_support, run
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage.db import Db

if TYPE_CHECKING:
    from zoomsim.app import Services

Result = tuple[int, Any]
Step = Callable[..., dict[str, Any]]


def _meeting(db: Db, kind: Kind, meeting_id: str) -> meetings_repo.MeetingRow:
    number = ids.meeting_number(meeting_id)
    row = meetings_repo.get(db, number) if number is not None else None
    if row is None or row.status == "deleted" or row.type not in kind.types:
        raise ZoomError(404, 3001, f"{kind.word} does not exist: {meeting_id}.")
    return row


def _step(kind: Kind, fn: Step, status: int = 200) -> Callable[..., Result]:
    """An admin route running one live step on the meeting, in one write transaction (its
    webhook events included)."""
    def route(s: "Services", body: dict[str, Any], meeting_id: str, *more: str) -> Result:
        with s.storage.write() as db:
            row = _meeting(db, kind, meeting_id)
            return status, fn(db, row, s.clock.now(), *more, body, emit=live.emitter(s, db))
    return route


def _start(db: Db, row: meetings_repo.MeetingRow, now: float, body: dict[str, Any],
           emit: live.Emit) -> dict[str, Any]:
    return live.start(db, row, now, emit)


def _end(db: Db, row: meetings_repo.MeetingRow, now: float, body: dict[str, Any], emit: live.Emit) -> dict[str, Any]:
    return live.end(db, row, now, emit)


def _leave(db: Db, row: meetings_repo.MeetingRow, now: float, participant_id: str, body: dict[str, Any],
           emit: live.Emit) -> dict[str, Any]:
    return live.leave(db, row, now, participant_id, emit)


def _vote(db: Db, row: meetings_repo.MeetingRow, now: float, poll_id: str, body: dict[str, Any],
          emit: live.Emit) -> dict[str, Any]:
    return live.vote(db, row, now, poll_id, body)


def _silent(fn: Step) -> Step:
    """A step Zoom sends no webhook for (Q&A, survey answers, remote support)."""
    def step(*args: Any, emit: live.Emit) -> dict[str, Any]:
        return fn(*args)
    return step


# (method, path after /{collection}/{id}, step, status of success)
STEPS: list[tuple[str, tuple[str, ...], Step, int]] = [
    ("POST", ("start",), _start, 201),
    ("POST", ("end",), _end, 200),
    ("POST", ("participants",), live.join, 201),
    ("DELETE", ("participants", "{pid}"), _leave, 200),
    ("POST", ("qa",), _silent(live.ask), 201),
    ("POST", ("polls", "{poll}", "votes"), _vote, 201),
    ("POST", ("survey", "answers"), _silent(live.answer_survey), 201),
    ("POST", ("chat",), live.chat, 201),
    ("POST", ("run",), run.run, 201),
]

# Steps only one kind has: webinars have no remote support.
KIND_STEPS: list[tuple[Kind, str, tuple[str, ...], Step, int]] = [
    (MEETING, "POST", ("remote_support",), _silent(remote_support.support), 201),
]

ROUTES: list[tuple[str, tuple[str, ...], Callable[..., Result]]] = [
    (method, (kind.collection, "{id}", *rest), _step(kind, fn, status))
    for kind, method, rest, fn, status in [(k, *step) for k in KINDS.values() for step in STEPS] + KIND_STEPS
]
