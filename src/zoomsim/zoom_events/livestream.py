"""A session's incoming (RTMP) livestream: only webinar sessions take one (26303). The only key
type is GENERATED, made once per session and reused when the stream is enabled again. It is
kept in the session document under LIVESTREAM (sessions.view never shows it) and is valid from
an hour before the session until an hour after it."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from zoomsim.context import Ctx, Input
from zoomsim.errors import documented
from zoomsim.storage import events as repo
from zoomsim.zoom_events import access, model, sessions

ONLY_WEBINARS = "Incoming livestream is supported only for webinar meeting_type sessions."
NO_CONFIG = "Incoming livestream configuration is missing."
BAD_KEY_TYPE = "Incoming livestream key type is invalid. This type is not supported for update."
MARGIN = timedelta(hours=1)


def _generated_key(ctx: Ctx, doc: dict[str, Any]) -> dict[str, Any]:
    host = urlsplit(ctx.services.config.base_url).hostname or "127.0.0.1"
    return {"stream_key_id": secrets.token_urlsafe(18), "stream_key_name": f"{doc['name']} stream key",
            "stream_key_description": "Generated for this session", "stream_key_type": "GENERATED",
            "stream_key": secrets.token_urlsafe(18), "stream_url": f"rtmp://{host}:1935/live",
            "stream_backup_url": f"rtmp://{host}:1936/live?backup=1"}


def _shown(doc: dict[str, Any]) -> dict[str, Any]:
    stored = doc.get(sessions.LIVESTREAM) or {}
    if not stored.get("incoming_enabled") or doc["type"] != sessions.WEBINAR:
        return {"incoming_enabled": False}
    start, end = model.moment(doc["start_time"], "start_time"), model.moment(doc["end_time"], "end_time")
    return {"incoming_enabled": True, "incoming_config": {
        **stored["key"], "effective_time": model.utc(start - MARGIN), "expiration_time": model.utc(end + MARGIN)}}


def get_livestream(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    return _shown(access.load_session(ctx, event, inp.path["sessionId"]).data())


def update_livestream(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    body = inp.body or {}
    doc = row.data()
    stored = dict(doc.get(sessions.LIVESTREAM) or {})
    if body.get("incoming_enabled"):
        if doc["type"] != sessions.WEBINAR:
            raise documented(ctx, 26303, ONLY_WEBINARS)
        if body.get("incoming_config") is None:
            raise documented(ctx, 26304, NO_CONFIG)
        if body["incoming_config"].get("stream_key_type") != "GENERATED":
            raise documented(ctx, 26305, BAD_KEY_TYPE)
        stored.setdefault("key", _generated_key(ctx, doc))
    stored["incoming_enabled"] = bool(body.get("incoming_enabled"))
    doc[sessions.LIVESTREAM] = stored
    repo.save_session(ctx.db, event.id, doc, row.meeting_id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getSessionLivestreamConfiguration": get_livestream,
    "UpdateSessionLivestreamConfiguration": update_livestream,
}
