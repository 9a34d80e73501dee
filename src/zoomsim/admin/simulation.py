"""Admin routes that make meetings happen: start, join, leave, ask, vote, answer the survey,
end, or run a whole meeting in one call. The admin key sees every account's meetings."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from zoomsim import ids
from zoomsim.errors import ZoomError
from zoomsim.simulation import live, run
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage.db import Db

if TYPE_CHECKING:
    from zoomsim.app import Services

Result = tuple[int, Any]


def _meeting(db: Db, meeting_id: str) -> meetings_repo.MeetingRow:
    number = ids.meeting_number(meeting_id)
    row = meetings_repo.get(db, number) if number is not None else None
    if row is None or row.status == "deleted":
        raise ZoomError(404, 3001, f"Meeting does not exist: {meeting_id}.")
    return row


def _step(fn: Callable[..., dict[str, Any]], status: int = 200) -> Callable[..., Result]:
    """An admin route running one live step on the meeting, in one write transaction."""
    def route(s: "Services", body: dict[str, Any], meeting_id: str, *more: str) -> Result:
        with s.storage.write() as db:
            row = _meeting(db, meeting_id)
            return status, fn(db, row, s.clock.now(), *more, body)
    return route


def _start(db: Db, row: meetings_repo.MeetingRow, now: float, body: dict[str, Any]) -> dict[str, Any]:
    return live.start(db, row, now)


def _end(db: Db, row: meetings_repo.MeetingRow, now: float, body: dict[str, Any]) -> dict[str, Any]:
    return live.end(db, row, now)


def _leave(db: Db, row: meetings_repo.MeetingRow, now: float, participant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return live.leave(db, row, now, participant_id)


def _vote(db: Db, row: meetings_repo.MeetingRow, now: float, poll_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return live.vote(db, row, now, poll_id, body)


ROUTES: list[tuple[str, tuple[str, ...], Callable[..., Result]]] = [
    ("POST", ("meetings", "{id}", "start"), _step(_start, 201)),
    ("POST", ("meetings", "{id}", "end"), _step(_end)),
    ("POST", ("meetings", "{id}", "participants"), _step(live.join, 201)),
    ("DELETE", ("meetings", "{id}", "participants", "{pid}"), _step(_leave)),
    ("POST", ("meetings", "{id}", "qa"), _step(live.ask, 201)),
    ("POST", ("meetings", "{id}", "polls", "{poll}", "votes"), _step(_vote, 201)),
    ("POST", ("meetings", "{id}", "survey", "answers"), _step(live.answer_survey, 201)),
    ("POST", ("meetings", "{id}", "run"), _step(run.run, 201)),
]
