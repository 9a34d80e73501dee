"""Remote support in a running meeting: one participant (the supporter) views and controls
another's (the supportee's) screen to help them. Nothing else in Zoom's API shows it, so each
session is one instance record (kind live.REMOTE_SUPPORT) that the remote support report reads.

The step happens when the support starts: the supportee asked for it `wait_seconds` earlier
(request_time = now - wait), it starts now and is planned to last `duration_seconds`. It ends
sooner when either of the two leaves or the meeting ends first (live.end_supports cuts it).
Webinars have no remote support, so only meetings have the step."""
from __future__ import annotations

from typing import Any

from zoomsim import clock as clockmod
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.simulation import live
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage.db import Db

MAX_SECONDS = 30 * 60 * 60       # a Zoom meeting lasts at most 30 hours; so does anything in it
SUPPORTER, SUPPORTEE = "supporter_participant_id", "supportee_participant_id"


def _seconds(spec: dict[str, Any], key: str, low: int, default: int | None = None) -> int:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_SECONDS:
        raise invalid_field(key, f"A whole number of seconds, {low} to {MAX_SECONDS}.")
    return value


def _present(db: Db, instance: inst_repo.InstanceRow, spec: dict[str, Any], key: str) -> inst_repo.SessionRow:
    """The session `key` names: one of this instance's, and still in the meeting."""
    raw = spec.get(key)
    if isinstance(raw, bool) or not isinstance(raw, (str, int)) or raw == "":
        raise invalid_field(key, "A participant_id of the running meeting.")
    session = live.session_in(db, instance, raw, key)
    if session.leave_time is not None:
        raise invalid_field(key, f"Participant {session.id} has left the meeting.")
    return session


def _party(session: inst_repo.SessionRow) -> dict[str, str]:
    return {"participant_id": session.id, "name": session.name, "email": session.email}


def support(db: Db, row: meetings_repo.MeetingRow, now: float, spec: dict[str, Any]) -> dict[str, Any]:
    """Start a remote support session between two people in the running meeting."""
    instance = live.running(db, row)
    supporter, supportee = _present(db, instance, spec, SUPPORTER), _present(db, instance, spec, SUPPORTEE)
    if supporter.id == supportee.id:
        raise invalid_field(SUPPORTEE, "A participant cannot support themselves.")
    wait = _seconds(spec, "wait_seconds", 0, 0)
    duration = _seconds(spec, "duration_seconds", 1)
    requested, started = clockmod.iso(now - wait), clockmod.iso(now)
    if requested < supportee.join_time:
        raise invalid_field("wait_seconds", f"Participant {supportee.id} joined at {supportee.join_time}, "
                                            "after the request would have been made.")
    for doc in inst_repo.records(db, instance.seq, live.REMOTE_SUPPORT):
        busy = {doc["supporter"]["participant_id"], doc["supportee"]["participant_id"]} & {supporter.id, supportee.id}
        if busy and doc["end_time"] > started:
            raise ZoomError(409, 3000, f"Participant {min(busy)} is already in a remote support session.")
    record = {"supporter": _party(supporter), "supportee": _party(supportee), "request_time": requested,
              "start_time": started, "end_time": clockmod.iso(now + duration)}
    inst_repo.add_record(db, instance.seq, live.REMOTE_SUPPORT, record)
    return {"meeting_uuid": instance.uuid, **record}
