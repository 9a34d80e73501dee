"""Video-on-demand channels of a hub and the videos they show.

A channel is an account item of kind `ze_vod_channel` (owner = its hub); each video it shows is
a `ze_vod_video` item (owner = the channel, name = the video id, id = "<channel>:<video>"), so
a channel lists its videos in the order they were added and a video can be in many channels.
A channel's registration questions and registrations (vod_registrations.py) are owned by the
channel too, and go with it when it is deleted.

Types and status, from the reference: VIDEO_LIST_HUB channels live on the hub and start as
DRAFT until the `publish` action (then they are shown on the hub: `is_published_to_hub`, and
get their `channel_link`); the embedded types (MULTI_VIDEO_EMBEDDED, SINGLE_VIDEO_EMBEDDED)
"are published by default", have no hub page and no access settings (those "only apply to
VIDEO_LIST_HUB"); a SINGLE_VIDEO_EMBEDDED channel shows one video. Access settings: an
authentication method (zoom_account unless set) and allow lists of domains (40 characters
each) and e-mails (60), which `bypass_auth` does not take.

Only hosts of the hub (or an :admin scope) reach its channels (260101); another account's hub
is 2001 and another hub's channel 261101, exactly like missing ones. Every host of a hub runs
all of its channels, so 261103 (channel access denied) has no cause here."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import events as repo
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import hub_hosts, videos

CHANNEL = "ze_vod_channel"
CHANNEL_VIDEO = "ze_vod_video"
QUESTIONS = "ze_vod_questions"          # one per channel, id = the channel's id
REGISTRATION = "ze_vod_registration"    # owner = the channel, name = the lower-cased e-mail
CHANNEL_KINDS = (CHANNEL_VIDEO, QUESTIONS, REGISTRATION)
HUB_TYPE = "VIDEO_LIST_HUB"
SINGLE = "SINGLE_VIDEO_EMBEDDED"
AUTH_METHODS = ("zoom_account", "email_otp", "bypass_auth")
MAX_DOMAIN = 40
MAX_EMAIL = 60

NOT_FOUND = "VOD channel not found."
VIDEO_NOT_FOUND = "Video not found."
CREATION_DENIED = "Video channel creation denied."
ALREADY_IN = "Video already exists in the channel."
ONE_VIDEO = "A single video embedded channel can hold only one video."


def load_channel(ctx: Ctx, inp: Input) -> tuple[repo.HubRow, items_repo.Item]:
    """The hub (for one of its hosts) and its channel the path names."""
    hub = hub_hosts.load_hub(ctx, inp.path["hubId"])
    item = items_repo.get(ctx.db, ctx.account_id, CHANNEL, inp.path["channelId"], owner_id=hub.id)
    if item is None:
        raise documented(ctx, 261101, NOT_FOUND, status=404, containing="not found")
    return hub, item


def _channel_videos(ctx: Ctx, channel_id: str) -> list[items_repo.Item]:
    return items_repo.all_of(ctx.db, ctx.account_id, CHANNEL_VIDEO, channel_id)


def _link_id(channel_id: str, video_id: str) -> str:
    return f"{channel_id}:{video_id}"


def _summary(doc: dict[str, Any]) -> dict[str, Any]:
    out = {"channel_id": doc["channel_id"], "name": doc["name"], "description": doc["description"],
           "type": doc["type"], "status": doc["status"]}
    if doc["type"] == HUB_TYPE:
        out["is_published_to_hub"] = doc["status"] == "PUBLISHED"
    return out


def _detail(ctx: Ctx, doc: dict[str, Any]) -> dict[str, Any]:
    out = _summary(doc)
    base = ctx.services.config.base_url
    if doc["type"] == HUB_TYPE:
        out["settings"] = dict(doc["settings"])
        if doc["status"] == "PUBLISHED":
            out["channel_link"] = f"{base}/events/hub/{doc['hub_id']}/channels/{doc['channel_id']}"
    elif _channel_videos(ctx, doc["channel_id"]):
        out["embed_script"] = (f'<script src="{base}/events/vod/embed.js" '
                               f'data-channel-id="{doc["channel_id"]}"></script>')
    return out


def _name(value: Any) -> str:
    name = str(value or "").strip()
    if not name:
        raise invalid_field("name")
    return name


def list_channels(ctx: Ctx, inp: Input) -> dict[str, Any]:
    hub = hub_hosts.load_hub(ctx, inp.path["hubId"])
    page = ctx.services.pager.paginate(
        f"ze_vod_channels:{ctx.account_id}:{hub.id}", inp.query, ctx.now,
        fetch=lambda after, offset, limit: items_repo.page(ctx.db, ctx.account_id, CHANNEL, hub.id, after, 0, limit),
        count=lambda: items_repo.count(ctx.db, ctx.account_id, CHANNEL, hub.id),
        cursor_of=lambda item: item.seq, filters=())
    return {"total_records": page.total_records, "next_page_token": page.next_page_token,
            "vod_channels": [_summary(item.data()) for item in page.rows]}


def create_channel(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """A VIDEO_LIST_HUB channel starts as a DRAFT; embedded ones are published at once. An
    inactive hub takes no new channel (261104)."""
    hub = hub_hosts.load_hub(ctx, inp.path["hubId"])
    body = inp.body or {}
    name = _name(body.get("name"))
    kind = str(body["type"])
    if not hub.data().get("hub_active", True):
        raise documented(ctx, 261104, CREATION_DENIED, status=403)
    channel_id = ids.new_id()
    doc: dict[str, Any] = {"channel_id": channel_id, "hub_id": hub.id, "name": name,
                           "description": str(body.get("description") or ""), "type": kind,
                           "status": "DRAFT" if kind == HUB_TYPE else "PUBLISHED", "settings": {}}
    if kind == HUB_TYPE:
        doc["settings"] = {"authentication_method": "zoom_account", "allow_domain_list": [], "allow_email_list": []}
    items_repo.insert(ctx.db, ctx.account_id, CHANNEL, channel_id, doc, owner_id=hub.id,
                      created_at=clockmod.iso(ctx.now))
    return _summary(doc)


def get_channel(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _, item = load_channel(ctx, inp)
    return _detail(ctx, item.data())


def _settings(old: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """Access settings after a PATCH of them: each given key replaces its value."""
    out = {**old, **{k: v for k, v in given.items() if v is not None}}
    domains = [str(d).strip().lower().lstrip("@") for d in out.get("allow_domain_list") or []]
    for i, domain in enumerate(domains):
        if not domain or len(domain) > MAX_DOMAIN or "." not in domain or " " in domain:
            raise invalid_field(f"settings.allow_domain_list[{i}]")
    emails = [str(e).strip().lower() for e in out.get("allow_email_list") or []]
    for i, email in enumerate(emails):
        if len(email) > MAX_EMAIL or not is_email(email):
            raise invalid_field(f"settings.allow_email_list[{i}]")
    if out.get("authentication_method") == "bypass_auth" and (domains or emails):
        field = "allow_domain_list" if domains else "allow_email_list"
        raise invalid_field(f"settings.{field}", "Not applicable when the authentication method is bypass_auth.")
    out["allow_domain_list"] = list(dict.fromkeys(domains))
    out["allow_email_list"] = list(dict.fromkeys(emails))
    return out


def update_channel(ctx: Ctx, inp: Input) -> None:
    _, item = load_channel(ctx, inp)
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc = item.data()
    if "name" in body:
        doc["name"] = _name(body["name"])
    if "description" in body:
        doc["description"] = str(body["description"])
    if body.get("settings"):
        if doc["type"] != HUB_TYPE:
            raise invalid_field("settings", "Settings only apply to VIDEO_LIST_HUB channels.")
        doc["settings"] = _settings(doc["settings"], body["settings"])
    items_repo.save(ctx.db, ctx.account_id, CHANNEL, item.id, doc)


def delete_channel(ctx: Ctx, inp: Input) -> None:
    """The channel with its videos, questions and registrations."""
    _, item = load_channel(ctx, inp)
    for kind in CHANNEL_KINDS:
        for owned in items_repo.all_of(ctx.db, ctx.account_id, kind, item.id):
            items_repo.delete(ctx.db, ctx.account_id, kind, owned.id)
    items_repo.delete(ctx.db, ctx.account_id, CHANNEL, item.id)


def channel_action(ctx: Ctx, inp: Input) -> dict[str, str]:
    """`publish`: a draft becomes PUBLISHED (a published channel stays so)."""
    _, item = load_channel(ctx, inp)
    if (inp.body or {}).get("operation") != "publish":
        raise invalid_field("operation")
    doc = item.data()
    if doc["status"] != "PUBLISHED":
        doc["status"] = "PUBLISHED"
        items_repo.save(ctx.db, ctx.account_id, CHANNEL, item.id, doc)
    return {"status": "published"}


# ---- the channel's videos ----------------------------------------------------------------------

def list_channel_videos(ctx: Ctx, inp: Input) -> dict[str, Any]:
    hub, item = load_channel(ctx, inp)

    def fetch(after: Any, offset: int, limit: int) -> list[items_repo.Item]:
        return list(items_repo.page(ctx.db, ctx.account_id, CHANNEL_VIDEO, item.id, after, 0, limit))

    page = ctx.services.pager.paginate(
        f"ze_vod_videos:{ctx.account_id}:{item.id}", inp.query, ctx.now, fetch=fetch,
        count=lambda: items_repo.count(ctx.db, ctx.account_id, CHANNEL_VIDEO, item.id),
        cursor_of=lambda link: link.seq, filters=())
    out = []
    for link in page.rows:
        video = videos.hub_video(ctx, hub.id, link.name)
        if video is not None:
            out.append(videos.listed(ctx, video.data(), with_source=False))
    return {"total_records": page.total_records, "next_page_token": page.next_page_token, "videos": out}


def add_channel_videos(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Adds each named hub video not yet shown; the ones that cannot be added are answered in
    `errors` (unknown to the hub, already in the channel, a second one for a single-video
    channel) while the others are added: Zoom's partial success."""
    hub, item = load_channel(ctx, inp)
    wanted = [str(v).strip() for v in (inp.body or {}).get("video_ids") or []]
    if not wanted:
        raise invalid_field("video_ids")
    ctx.db.serialize(f"{CHANNEL_VIDEO}:{item.id}")
    shown = {link.name for link in _channel_videos(ctx, item.id)}
    single = item.data()["type"] == SINGLE
    errors = []
    now_iso = clockmod.iso(ctx.now)
    for video_id in dict.fromkeys(wanted):
        if not video_id or videos.hub_video(ctx, hub.id, video_id) is None:
            errors.append({"video_id": video_id, "message": VIDEO_NOT_FOUND})
        elif video_id in shown:
            errors.append({"video_id": video_id, "message": ALREADY_IN})
        elif single and shown:
            errors.append({"video_id": video_id, "message": ONE_VIDEO})
        else:
            items_repo.insert(ctx.db, ctx.account_id, CHANNEL_VIDEO, _link_id(item.id, video_id),
                              {"video_id": video_id}, owner_id=item.id, name=video_id, created_at=now_iso)
            shown.add(video_id)
    return {"errors": errors}


def delete_channel_video(ctx: Ctx, inp: Input) -> None:
    _, item = load_channel(ctx, inp)
    link_id = _link_id(item.id, inp.path["videoId"])
    if items_repo.get(ctx.db, ctx.account_id, CHANNEL_VIDEO, link_id, owner_id=item.id) is None:
        raise documented(ctx, 261102, VIDEO_NOT_FOUND, status=404)
    items_repo.delete(ctx.db, ctx.account_id, CHANNEL_VIDEO, link_id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getVODChannels": list_channels,
    "createVodChannel": create_channel,
    "getVODChannelDetail": get_channel,
    "UpdateVideoChannel": update_channel,
    "DeleteVODChannel": delete_channel,
    "vodChannelActions": channel_action,
    "ListVODChannelVideos": list_channel_videos,
    "AddVODChannelVideos": add_channel_videos,
    "DeleteVODChannelVideo": delete_channel_video,
}
