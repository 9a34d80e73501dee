"""Webinar session branding (Webinars API, 2026): the branding as a whole, name tags (create,
update, delete), virtual backgrounds (upload, set the default, delete) and the wallpaper
(upload, delete).

Where it lives: name tags are meeting parts of kind "name_tag" (doc = the name tag object);
uploaded images are rows of the `files` table with their bytes (kinds "virtual_background"
and "wallpaper"), so they survive restarts; which background is the default is the meeting
part "branding" (a singleton). Panelists wear tags and backgrounds (webinars/panelists.py):
a new default is put on the panelists who wear none, or on all of them with
`set_default_for_all_panelists` (true unless given false); deleting a tag or a background
takes it off whoever wore it.

Decisions the reference leaves open:
- Every operation here needs the webinar's `settings.enable_session_branding`: Zoom lists
  "The Webinar Session Branding setting enabled" as each one's prerequisite. Without it each
  answers 3000 in its own documented words (the GET: "You cannot enable session branding for
  this webinar.", the others: "This webinar does not have session branding enabled."). What
  was stored stays while the setting is off and is served again once it is back on.
- Uploads are judged by their bytes (JPEG, PNG or GIF magic numbers), never by the file name
  or declared type, since clients send whatever name they like ("blob", "upload"). An empty
  file is "No file uploaded". The wallpaper's 16:9 ratio is advice without an error: not checked.
- A webinar holds 10 virtual backgrounds and one wallpaper (a new upload replaces it).
- Deleting name tags or backgrounds needs their ids: an empty or unknown list is the documented
  300 and deletes nothing (rather than everything); deleting a missing wallpaper is a no-op.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zoomsim import clock, ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.meetings.kind_rules import load_subject
from zoomsim.platform.uploads import Upload
from zoomsim.storage import files, parts
from zoomsim.storage.meetings import MeetingRow
from zoomsim.webinars import panelists

NAME_TAG = "name_tag"
STATE = "branding"
BACKGROUND = "virtual_background"
WALLPAPER = "wallpaper"
MAX_NAME_TAGS = 20
MAX_BACKGROUNDS = 10
MAX_FILE_BYTES = 15 * 1024 * 1024       # Zoom's "15M"
MAX_TAG_NAME = 50
COLORS = ("text_color", "accent_color", "background_color")
COLOR = re.compile(r"#?[0-9A-Fa-f]{6}")
# (magic number, content type, extension) of the images Zoom takes
IMAGES = ((b"\xff\xd8\xff", "image/jpeg", "jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
          (b"GIF87a", "image/gif", "gif"), (b"GIF89a", "image/gif", "gif"))

NOT_ENABLED = "This webinar does not have session branding enabled."
NO_FILE = "No file uploaded. Verify that a file has been uploaded."
TOO_BIG = "File size cannot exceed 15M."
NOT_IMAGE = "You may only upload JPG/JPEG, GIF, or PNG image files."
TOO_MANY_FILES = "A maximum of 10 files are allowed for a webinar."
TOO_MANY_TAGS = "You have reached the limit for the number of name tags you can add for this webinar. The limit is 20."


@dataclass(frozen=True, slots=True)
class Worn:
    """What panelists may wear: the webinar's tag and background ids, and its defaults, keyed
    by the panelist field that names them."""

    known: dict[str, set[str]]
    defaults: dict[str, str]


# ---- reading the webinar's branding ------------------------------------------------------------------

def hold(ctx: Ctx, meeting_id: int) -> None:
    """Branding of one webinar is counted and changed one request after another (taken before
    panelists.hold wherever both are, so two requests never wait on each other)."""
    ctx.db.serialize(f"branding:{meeting_id}")


def name_tags(ctx: Ctx, meeting_id: int) -> list[dict[str, Any]]:
    return parts.all_of(ctx.db, meeting_id, NAME_TAG)


def backgrounds(ctx: Ctx, meeting_id: int) -> list[files.FileRow]:
    return files.list_of(ctx.db, meeting_id, BACKGROUND)


def _default_background(ctx: Ctx, meeting_id: int) -> str:
    return str((parts.get(ctx.db, meeting_id, STATE) or {}).get("default_background") or "")


def _set_default_background(ctx: Ctx, meeting_id: int, file_id: str) -> None:
    state = parts.get(ctx.db, meeting_id, STATE) or {}
    parts.put(ctx.db, ctx.account_id, meeting_id, STATE, {**state, "default_background": file_id})


def worn(ctx: Ctx, meeting_id: int) -> Worn:
    tags = name_tags(ctx, meeting_id)
    return Worn(
        known={"name_tag_id": {t["id"] for t in tags},
               "virtual_background_id": {f.id for f in backgrounds(ctx, meeting_id)}},
        defaults={"name_tag_id": next((t["id"] for t in tags if t.get("is_default")), ""),
                  "virtual_background_id": _default_background(ctx, meeting_id)},
    )


def _webinar(ctx: Ctx, inp: Input) -> MeetingRow:
    """The webinar, once its session branding is on."""
    row = load_subject(ctx, inp)
    if not row.data()["settings"].get("enable_session_branding"):
        raise documented(ctx, 3000, NOT_ENABLED, containing="session branding")
    return row


def get_branding(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = _webinar(ctx, inp)
    default = _default_background(ctx, row.id)
    out: dict[str, Any] = {
        "name_tags": name_tags(ctx, row.id),
        "virtual_backgrounds": [{"id": f.id, "name": f.name, "is_default": f.id == default}
                                for f in backgrounds(ctx, row.id)],
    }
    wallpaper = files.list_of(ctx.db, row.id, WALLPAPER)
    if wallpaper:
        out["wallpaper"] = {"id": wallpaper[-1].id}
    return out


# ---- name tags -----------------------------------------------------------------------------------------

def _tag_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The name tag fields the body gives, checked: a name of 1-50 characters, colors as six hex
    digits (with or without '#')."""
    out: dict[str, Any] = {}
    if body.get("name") is not None:
        name = str(body["name"]).strip()
        if not name:
            raise invalid_field("name")
        if len(name) > MAX_TAG_NAME:
            raise invalid_field("name", f"Length must be no more than {MAX_TAG_NAME} characters.")
        out["name"] = name
    for field in COLORS:
        if body.get(field) is not None:
            color = str(body[field]).strip()
            if not COLOR.fullmatch(color):
                raise invalid_field(field)
            out[field] = color
    if body.get("is_default") is not None:
        out["is_default"] = bool(body["is_default"])
    return out


def _make_default_tag(ctx: Ctx, meeting_id: int, tag_id: str, body: dict[str, Any]) -> None:
    """One default name tag per webinar; panelists put it on as set_default_for_all_panelists says."""
    for other in name_tags(ctx, meeting_id):
        if other["id"] != tag_id and other.get("is_default"):
            parts.put(ctx.db, ctx.account_id, meeting_id, NAME_TAG, {**other, "is_default": False}, other["id"])
    everyone = body.get("set_default_for_all_panelists")
    panelists.bind_all(ctx, meeting_id, "name_tag_id", tag_id, everyone is not False)


def create_name_tag(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = _webinar(ctx, inp)
    body = dict(inp.body or {})
    given = _tag_fields(body)
    hold(ctx, row.id)
    if parts.count(ctx.db, row.id, NAME_TAG) >= MAX_NAME_TAGS:
        raise documented(ctx, 3000, TOO_MANY_TAGS, containing="limit for the number of name tags")
    tag: dict[str, Any] = {"id": ids.new_id(), "name": given["name"], "text_color": given["text_color"],
                           "accent_color": given["accent_color"], "background_color": given["background_color"],
                           "is_default": given.get("is_default", False)}
    parts.put(ctx.db, ctx.account_id, row.id, NAME_TAG, tag, tag["id"])
    if tag["is_default"]:
        _make_default_tag(ctx, row.id, tag["id"], body)
    return tag


def _tag(ctx: Ctx, meeting_id: int, tag_id: str) -> dict[str, Any]:
    found = parts.get(ctx.db, meeting_id, NAME_TAG, tag_id)
    if found is None:
        raise documented(ctx, 300, "Name Tag does not exist.", containing="Name Tag does not exist")
    return found


def update_name_tag(ctx: Ctx, inp: Input) -> None:
    row = _webinar(ctx, inp)
    body = dict(inp.body or {})
    given = _tag_fields(body)
    hold(ctx, row.id)
    tag = {**_tag(ctx, row.id, inp.path["nameTagId"]), **given}
    parts.put(ctx.db, ctx.account_id, row.id, NAME_TAG, tag, tag["id"])
    if given.get("is_default"):
        _make_default_tag(ctx, row.id, tag["id"], body)


def _named(ctx: Ctx, raw: Any, known: set[str], param: str) -> list[str]:
    """The comma-separated ids of a delete, all of them the webinar's, else the documented 300."""
    wanted = list(dict.fromkeys(part.strip() for part in str(raw or "").split(",") if part.strip()))
    if not wanted or any(w not in known for w in wanted):
        raise documented(ctx, 300, f"Invalid parameter: {param}.", containing=f"Invalid parameter: {param}")
    return wanted


def delete_name_tags(ctx: Ctx, inp: Input) -> None:
    row = _webinar(ctx, inp)
    hold(ctx, row.id)
    known = {t["id"] for t in name_tags(ctx, row.id)}
    gone = _named(ctx, inp.query.get("name_tag_ids"), known, "name_tag_ids")
    for tag_id in gone:
        parts.delete(ctx.db, row.id, NAME_TAG, tag_id)
    panelists.unbind(ctx, row.id, "name_tag_id", gone)


# ---- uploads -------------------------------------------------------------------------------------------

def _image(ctx: Ctx, body: Any) -> tuple[Upload, str, str]:
    """The uploaded image, its content type and extension, or the operation's own 120."""
    upload = body.get("file") if isinstance(body, dict) else None
    if not isinstance(upload, Upload) or not upload.data:
        raise documented(ctx, 120, NO_FILE, containing="No file uploaded")
    if len(upload.data) > MAX_FILE_BYTES:
        raise documented(ctx, 120, TOO_BIG, containing="File size")
    for magic, content_type, ext in IMAGES:
        if upload.data.startswith(magic):
            return upload, content_type, ext
    raise documented(ctx, 120, NOT_IMAGE, containing="JPG/JPEG")


def _store(ctx: Ctx, meeting_id: int, kind: str, image: tuple[Upload, str, str]) -> files.FileRow:
    upload, content_type, ext = image
    return files.insert(ctx.db, ctx.account_id, meeting_id, kind, ids.new_id(), upload.filename or f"image.{ext}",
                        content_type, upload.data, clock.iso(ctx.now))


def upload_background(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = _webinar(ctx, inp)
    body = inp.body if isinstance(inp.body, dict) else {}
    image = _image(ctx, body)      # a bad file is refused before the count is taken
    hold(ctx, row.id)
    if files.count(ctx.db, row.id, BACKGROUND) >= MAX_BACKGROUNDS:
        raise documented(ctx, 120, TOO_MANY_FILES, containing="maximum of 10")
    stored = _store(ctx, row.id, BACKGROUND, image)
    is_default = body.get("default") is True
    if is_default:
        _set_default_background(ctx, row.id, stored.id)
        everyone = body.get("set_default_for_all_panelists")
        panelists.bind_all(ctx, row.id, "virtual_background_id", stored.id, everyone is not False)
    return {"id": stored.id, "name": stored.name, "is_default": is_default, "size": stored.size, "type": "image"}


def set_default_background(ctx: Ctx, inp: Input) -> None:
    row = _webinar(ctx, inp)
    file_id = str(inp.query.get("id") or "").strip()
    hold(ctx, row.id)
    if not file_id or file_id not in {f.id for f in backgrounds(ctx, row.id)}:
        raise documented(ctx, 300, f"Invalid parameter: {file_id or 'id'}", containing="Invalid parameter",
                         id=file_id or "id")
    _set_default_background(ctx, row.id, file_id)
    everyone = inp.query.get("set_default_for_all_panelists")
    panelists.bind_all(ctx, row.id, "virtual_background_id", file_id, everyone is not False)


def delete_backgrounds(ctx: Ctx, inp: Input) -> None:
    row = _webinar(ctx, inp)
    hold(ctx, row.id)
    gone = _named(ctx, inp.query.get("ids"), {f.id for f in backgrounds(ctx, row.id)}, "ids")
    files.delete(ctx.db, row.id, BACKGROUND, gone)
    if _default_background(ctx, row.id) in gone:
        _set_default_background(ctx, row.id, "")
    panelists.unbind(ctx, row.id, "virtual_background_id", gone)


def upload_wallpaper(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """One wallpaper per webinar: a new upload replaces the old one."""
    row = _webinar(ctx, inp)
    body = inp.body if isinstance(inp.body, dict) else {}
    image = _image(ctx, body)
    hold(ctx, row.id)
    files.delete(ctx.db, row.id, WALLPAPER)
    stored = _store(ctx, row.id, WALLPAPER, image)
    return {"id": stored.id, "name": stored.name, "size": stored.size, "type": "image"}


def delete_wallpaper(ctx: Ctx, inp: Input) -> None:
    row = _webinar(ctx, inp)
    files.delete(ctx.db, row.id, WALLPAPER)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getWebinarBranding": get_branding,
    "createWebinarBrandingNameTag": create_name_tag,
    "updateWebinarBrandingNameTag": update_name_tag,
    "deleteWebinarBrandingNameTag": delete_name_tags,
    "uploadWebinarBrandingVB": upload_background,
    "setWebinarBrandingVB": set_default_background,
    "deleteWebinarBrandingVB": delete_backgrounds,
    "uploadWebinarBrandingWallpaper": upload_wallpaper,
    "deleteWebinarBrandingWallpaper": delete_wallpaper,
}
