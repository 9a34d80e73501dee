"""Starting and ending a meeting instance. Each run of a meeting is an instance with its own
UUID: the meeting carries the UUID of its current (or next) instance, and ending one hands the
meeting a fresh UUID for the next run, as Zoom does."""
from __future__ import annotations

from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.errors import ZoomError
from zoomsim.meetings import model
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage.db import Db


def start(db: Db, row: meetings_repo.MeetingRow, now: float) -> dict[str, Any]:
    if row.status == "deleted":
        raise ZoomError(404, 3001, f"Meeting does not exist: {row.id}.")
    if row.status == "started":
        raise ZoomError(400, 3000, f"Meeting {row.id} is already in progress.")
    doc, extra = row.data(), row.extras()
    doc["status"] = "started"
    extra["live"] = {"uuid": doc["uuid"], "start_time": clockmod.iso(now)}
    meetings_repo.save(db, doc, extra, model.span(doc))
    return {"id": row.id, "uuid": doc["uuid"], "status": "started", "start_time": extra["live"]["start_time"]}


def end(db: Db, row: meetings_repo.MeetingRow, now: float) -> dict[str, Any]:
    """Close the running instance; returns what was recorded of it."""
    doc, extra = row.data(), row.extras()
    live = extra.pop("live", None) or {"uuid": doc["uuid"], "start_time": clockmod.iso(now)}
    live["end_time"] = clockmod.iso(now)
    extra["last_instance"] = live
    doc["status"] = "waiting"
    doc["uuid"] = ids.new_uuid()
    meetings_repo.save(db, doc, extra, model.span(doc))
    return live
