"""Hub videos: what an uploaded recording became. Each is an account item of kind `ze_video`
(owner = its hub, id = the video id answered by the upload beside the file id), holding its
metadata; the bytes stay in the `files` row of its file (`file_id`). Its duration is read from
the container when it is uploaded (media.py): seconds in the metadata, minutes in the lists.

zoomsim makes no cloud recordings of Events sessions, so every video here is an UPLOAD with no
source event, and is `done` as soon as its upload completes. There are no folders either:
a `folder_id` filter lists nothing. A video of another account is "not found" (261108),
exactly like a missing one; one of a hub the caller does not host is 261107."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.storage import events as repo
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import hub_hosts, media

VIDEO = "ze_video"
NOT_FOUND = "Video/recording not found."
DENIED = "Video access denied."
LIST_FILTERS = ("folder_id",)


def stem(name: str) -> str:
    """A file's name without its extension: a new video's title."""
    base = name.rsplit("/", 1)[-1]
    return (base.rsplit(".", 1)[0] if "." in base[1:] else base).strip() or "Untitled video"


def create_video(ctx: Ctx, hub: repo.HubRow, file_id: str, name: str, kind: media.Kind, data: bytes) -> str:
    """The hub video an uploaded recording makes; its id."""
    video_id = ids.new_id()
    now_iso = clockmod.iso(ctx.now)
    doc = {"video_id": video_id, "hub_id": hub.id, "file_id": file_id, "title": stem(name)[:256],
           "description": "", "tags": [], "duration": media.duration_seconds(kind, data), "format": kind.format,
           "source_type": "UPLOAD", "source_event_id": "", "status": "done", "video_created_at": now_iso,
           "updated_at": now_iso, "created_by": ctx.user_id}
    items_repo.insert(ctx.db, ctx.account_id, VIDEO, video_id, doc, owner_id=hub.id, created_at=now_iso)
    return video_id


def hub_video(ctx: Ctx, hub_id: str, video_id: str) -> items_repo.Item | None:
    """A video of this hub (another hub's, even in the account, is None)."""
    return items_repo.get(ctx.db, ctx.account_id, VIDEO, video_id, owner_id=hub_id)


def play_link(ctx: Ctx, doc: dict[str, Any]) -> str:
    return f"{ctx.services.config.base_url}/events/hub/{doc['hub_id']}/videos/{doc['video_id']}"


def listed(ctx: Ctx, doc: dict[str, Any], with_source: bool = True) -> dict[str, Any]:
    """A video as the hub and channel lists show it (the channel list has no source fields)."""
    out: dict[str, Any] = {"video_id": doc["video_id"], "name": doc["title"], "status": doc["status"],
                           "play_link": play_link(ctx, doc), "duration": media.minutes(int(doc["duration"]))}
    if with_source:
        out.update(source_type=doc["source_type"], source_event_id=doc["source_event_id"])
    return out


def list_hub_videos(ctx: Ctx, inp: Input) -> dict[str, Any]:
    hub = hub_hosts.load_hub(ctx, inp.path["hubId"])
    in_folder = bool(inp.query.get("folder_id"))

    def fetch(after: Any, offset: int, limit: int) -> list[items_repo.Item]:
        return [] if in_folder else list(items_repo.page(ctx.db, ctx.account_id, VIDEO, hub.id, after, 0, limit))

    page = ctx.services.pager.paginate(
        f"ze_videos:{ctx.account_id}:{hub.id}", inp.query, ctx.now, fetch=fetch,
        count=lambda: 0 if in_folder else items_repo.count(ctx.db, ctx.account_id, VIDEO, hub.id),
        cursor_of=lambda item: item.seq, filters=LIST_FILTERS)
    return {"total_records": page.total_records, "next_page_token": page.next_page_token,
            "videos": [listed(ctx, item.data()) for item in page.rows]}


def load_video(ctx: Ctx, video_id: str) -> items_repo.Item:
    item = items_repo.get(ctx.db, ctx.account_id, VIDEO, video_id)
    hub = repo.get_hub(ctx.db, ctx.account_id, item.owner_id) if item is not None else None
    if item is None or hub is None:
        raise documented(ctx, 261108, NOT_FOUND, status=404)
    if not hub_hosts.may_manage(ctx, hub):
        raise documented(ctx, 261107, DENIED, status=403)
    return item


def get_metadata(ctx: Ctx, inp: Input) -> dict[str, Any]:
    doc = load_video(ctx, inp.path["videoId"]).data()
    return {"title": doc["title"], "description": doc["description"], "duration": int(doc["duration"]),
            "video_created_at": doc["video_created_at"], "updated_at": doc["updated_at"], "tags": list(doc["tags"])}


def update_metadata(ctx: Ctx, inp: Input) -> None:
    """PATCH: the given fields change (lengths already checked by the schema); a title may not
    be blank, nor a tag, and tags repeat once."""
    item = load_video(ctx, inp.path["videoId"])
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc = item.data()
    if "title" in body:
        doc["title"] = str(body["title"]).strip()
        if not doc["title"]:
            raise invalid_field("title")
    if "description" in body:
        doc["description"] = str(body["description"])
    if "tags" in body:
        tags = [str(t).strip() for t in body["tags"]]
        for i, tag in enumerate(tags):
            if not tag:
                raise invalid_field(f"tags[{i}]")
        doc["tags"] = list(dict.fromkeys(tags))
    doc["updated_at"] = clockmod.iso(ctx.now)
    items_repo.save(ctx.db, ctx.account_id, VIDEO, item.id, doc)


HANDLERS: dict[str, Callable[..., Any]] = {
    "ListHubVideos": list_hub_videos,
    "getVideoMetadata": get_metadata,
    "updateVideoMetadata": update_metadata,
}
