"""A meeting's or webinar's custom livestream: where it streams to (stored as the meeting part
"livestream") and whether it is streaming now (only while the meeting itself is running).
Webinars start and stop a stream but have no `mode`, and their stream settings are only the
speaker name and display name: the operation's own body schema says which settings exist."""
from __future__ import annotations

from typing import Any

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings.access import documented
from zoomsim.meetings.kind_rules import body_fields, load_subject, named, said
from zoomsim.storage import parts as parts_repo

KIND = "livestream"
FIELDS = ("stream_url", "stream_key", "page_url", "resolution")
RESOLUTIONS = ("720p", "1080p")
# What a stream starts with when the caller leaves a setting out (the spec's defaults).
DEFAULT_LIVE_SETTINGS: dict[str, Any] = {"layout": "follow_host", "close_caption": "burnt-in",
                                         "active_speaker_name": False}
# Zoom documents no code for these two refusals on meetings; 3000 is the code it uses for "not
# allowed in this state" throughout the meetings API (and for webinars' "not configured").
NOT_CONFIGURED = "The livestream is not configured. Set the stream URL, stream key and page URL first."


def get_livestream(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """A meeting never configured answers empty strings, as Zoom does."""
    row = load_subject(ctx, inp)
    stored = parts_repo.get(ctx.db, row.id, KIND) or {}
    return {key: str(stored.get(key) or "") for key in FIELDS}


def _clean_url(body: dict[str, Any], key: str, web: bool) -> str:
    value = str(body.get(key) or "").strip()
    if not value or any(c.isspace() for c in value):
        raise invalid_field(key)
    if web and not value.lower().startswith(("http://", "https://")):
        raise invalid_field(key)
    return value


def update_livestream(ctx: Ctx, inp: Input) -> None:
    """PATCH: the three destination fields are required; resolution is 720p or 1080p."""
    row = load_subject(ctx, inp)
    body = inp.body or {}
    stream_url = _clean_url(body, "stream_url", web=False)
    page_url = _clean_url(body, "page_url", web=True)
    stream_key = str(body.get("stream_key") or "")
    if not stream_key.strip():
        raise invalid_field("stream_key")
    stored = parts_repo.get(ctx.db, row.id, KIND) or {}
    resolution = body.get("resolution")
    if resolution is not None:
        if str(resolution) not in RESOLUTIONS:
            raise invalid_field("resolution")
        stored["resolution"] = str(resolution)
    stored.update(stream_url=stream_url, stream_key=stream_key, page_url=page_url)
    parts_repo.put(ctx.db, ctx.account_id, row.id, KIND, stored)


def update_status(ctx: Ctx, inp: Input) -> None:
    """start / stop / mode. The meeting must be running and not end-to-end encrypted; start
    needs a configured destination, stop and mode a stream in progress."""
    row = load_subject(ctx, inp)
    body = inp.body or {}
    action = body.get("action")
    if action is None:
        raise invalid_field("action")
    if (row.data().get("settings") or {}).get("encryption_type") == "e2ee":
        raise documented(ctx, 4400, "End-to-end encrypted meetings currently do not support the livestreaming feature.")
    if row.status != "started":
        raise said(ctx, "has not started", 4927, f"{ctx.kind.word} {{id}} has not started.", **named(ctx, row.id))
    doc = row.data()
    uuid = doc["uuid"]   # the running instance's (the row's uuid column is the first instance's)
    stored = parts_repo.get(ctx.db, row.id, KIND) or {}
    live = stored.get("live") or {}
    streaming = live.get("status") == "started" and live.get("meeting_uuid") == uuid
    known = body_fields(ctx, "settings")
    given = {k: v for k, v in (body.get("settings") or {}).items() if v is not None and k in known}
    if action == "start":
        if not stored.get("stream_url"):
            raise documented(ctx, 3000, NOT_CONFIGURED, containing="not configured")
        settings = {**{k: v for k, v in DEFAULT_LIVE_SETTINGS.items() if k in known}, **given}
        settings.setdefault("display_name", str(doc.get("topic") or "")[:50])
        live = {"status": "started", "meeting_uuid": uuid, "started_at": clockmod.iso(ctx.now),
                "settings": settings}
    elif not streaming:
        raise ZoomError(400, 3000, f"The {ctx.kind.name} is not being livestreamed.")
    elif action == "stop":
        live = {**live, "status": "stopped", "stopped_at": clockmod.iso(ctx.now)}
    else:  # mode: only the view settings change at runtime
        view = {k: given[k] for k in ("layout", "close_caption") if k in given}
        live = {**live, "settings": {**live.get("settings", {}), **view}}
    stored["live"] = live
    parts_repo.put(ctx.db, ctx.account_id, row.id, KIND, stored)


HANDLERS = {
    "getMeetingLiveStreamDetails": get_livestream,
    "meetingLiveStreamUpdate": update_livestream,
    "meetingLiveStreamStatusUpdate": update_status,
}
