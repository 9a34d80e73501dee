"""Zoom Events file uploads: one call (`POST /zoom_events/files`) or a multipart upload
(create it, send its parts, complete it). Either way the bytes land in one `files` row (kind
`ze_file`, meeting 0) and an account item of kind `ze_file` (owner = the hub) keeps what the
row does not: the hub, the file type and who uploaded it. A `recording` also becomes a hub
video (videos.py), whose id the upload answers beside the file id; that video id is what hub
video lists, video metadata and VOD channels take.

Rules, from the reference's notes:
- Formats are judged by the bytes (media.py): .mp4 .webm, .vtt, .jpeg/.jpg .png .pdf .txt
  .ppt .doc .csv .xls; a `recording` must be .mp4 or .webm, a `video` a video (.mov and .mkv
  too). With no `file_type`, the multipart upload means `recording` (its documented default);
  the single upload takes a video for a recording and anything else for `other`.
- A multipart upload is open for 7 days on the app's clock; each part is at most 100 MB and,
  but for the last, at least 5 MB (judged at completion, when the last part is known); part
  numbers run 1-10000, and sending a number again replaces that part. Completing needs
  `part_count` parts numbered 1..part_count, and the `file_length` announced, if any.
- The 2 GB single-upload ceiling and the 100 MB part ceiling are beyond the server's 32 MB
  request limit, which answers 413 first. Zoom takes multipart files past 2 GB; zoomsim keeps
  a file in one database value, and PostgreSQL's bytea holds at most 1 GB, so a multipart file
  (announced, or sent part by part) stops there, before its bytes are put together.
No error is documented for these operations; a missing or unsupported file answers 120, as
zoomsim's other uploads do, and bad parameters the usual 300."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input, Reply
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.platform.uploads import Upload
from zoomsim.storage import events as repo
from zoomsim.storage import files as file_rows
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import hub_hosts, media, videos

FILE = "ze_file"            # account item and files-table kind of a stored file
UPLOAD = "ze_upload"        # account item of an open multipart upload
PART = "ze_part"            # files-table kind of an uploaded part
NO_MEETING = 0
FILE_TYPES = ("recording", "video", "other")
UPLOAD_SECONDS = 7 * 24 * 3600
MIN_PART = 5 * 1024 * 1024
MAX_PART = 100 * 1024 * 1024
MAX_FILE = 1024 * 1024 * 1024     # what one PostgreSQL bytea value holds
MAX_PARTS = 10_000

NO_FILE = "No file uploaded. Verify that a file has been uploaded."
UNSUPPORTED = ("Unsupported file format. Supported formats: .mp4, .webm, .vtt, .jpeg/.jpg, .png, .pdf, .txt, "
               ".ppt, .doc, .csv, .xls.")
NOT_RECORDING = "A recording file must be an .mp4 or .webm video."
NOT_VIDEO = "A video file must be an .mp4, .webm, .mov or .mkv video."
TOO_BIG = "File size cannot exceed 1G in zoomsim."
PART_TOO_BIG = "Each part must be at most 100 MB in size."
PART_TOO_SMALL = "Each part must be at least 5 MB in size, except the last part."
NO_UPLOAD = "The multipart upload does not exist or has expired."
LENGTH_MISMATCH = "The uploaded size does not match file_length."


def _hub(ctx: Ctx, hub_id: Any) -> repo.HubRow:
    """The named hub (the caller's to manage), else the first hub the caller manages."""
    if hub_id not in (None, ""):
        return hub_hosts.load_hub(ctx, str(hub_id))
    hub = hub_hosts.default_hub(ctx)
    if hub is None:   # no Zoom Events / Webinars Plus licence, or no hub the caller hosts
        raise documented(ctx, 2001, hub_hosts.HUB_NOT_FOUND, status=404)
    return hub


def _file_type(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if value not in FILE_TYPES:
        raise invalid_field("file_type")
    return str(value)


def accept(data: bytes, name: str, file_type: str | None) -> tuple[media.Kind, str]:
    """What the bytes are and the file type they are stored as, or the upload's 120."""
    if not data:
        raise ZoomError(400, 120, NO_FILE)
    if len(data) > MAX_FILE:
        raise ZoomError(400, 120, TOO_BIG)
    kind = media.sniff(data, name)
    if kind is None:
        raise ZoomError(400, 120, UNSUPPORTED)
    if file_type is None:
        file_type = "recording" if kind.format in media.RECORDING_FORMATS else "video" if kind.is_video else "other"
    if file_type == "recording" and kind.format not in media.RECORDING_FORMATS:
        raise ZoomError(400, 120, NOT_RECORDING)
    if file_type == "video" and not kind.is_video:
        raise ZoomError(400, 120, NOT_VIDEO)
    return kind, file_type


def store(ctx: Ctx, hub: repo.HubRow, data: bytes, name: str, kind: media.Kind, file_type: str) -> dict[str, str]:
    """Keep the file (and, for a recording, its hub video); the upload's answer."""
    file_id = ids.new_id()
    name = name or f"upload.{kind.format}"
    now_iso = clockmod.iso(ctx.now)
    file_rows.insert(ctx.db, ctx.account_id, NO_MEETING, FILE, file_id, name, kind.content_type, data, now_iso)
    doc: dict[str, Any] = {"file_id": file_id, "hub_id": hub.id, "file_name": name, "file_type": file_type,
                           "format": kind.format, "content_type": kind.content_type, "size": len(data),
                           "created_by": ctx.user_id}
    out = {"file_id": file_id}
    if file_type == "recording":
        out["video_id"] = doc["video_id"] = videos.create_video(ctx, hub, file_id, name, kind, data)
    items_repo.insert(ctx.db, ctx.account_id, FILE, file_id, doc, owner_id=hub.id, created_at=now_iso)
    return out


def file_bytes(ctx: Ctx, file_id: str) -> bytes | None:
    """The stored bytes of one of the account's files."""
    if items_repo.get(ctx.db, ctx.account_id, FILE, file_id) is None:
        return None
    return file_rows.get_data(ctx.db, NO_MEETING, file_id)


def upload_file(ctx: Ctx, inp: Input) -> dict[str, str]:
    body = inp.body if isinstance(inp.body, dict) else {}
    upload = body.get("file")
    if not isinstance(upload, Upload) or not upload.data:
        raise ZoomError(400, 120, NO_FILE)
    file_type = _file_type(body.get("file_type"))
    hub = _hub(ctx, body.get("hub_id"))
    kind, file_type = accept(upload.data, upload.filename, file_type)
    return store(ctx, hub, upload.data, upload.filename, kind, file_type)


# ---- multipart --------------------------------------------------------------------------------

def _whole(value: Any, field: str, low: int, high: int) -> int:
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise invalid_field(field)
    return int(text)


def _open_upload(ctx: Ctx, upload_id: str) -> items_repo.Item:
    """The account's open upload, under its lock, for whoever may still manage its hub."""
    ctx.db.serialize(f"{UPLOAD}:{upload_id}")
    item = items_repo.get(ctx.db, ctx.account_id, UPLOAD, upload_id) if upload_id else None
    if item is None or item.data()["expires"] < ctx.now:
        raise ZoomError(404, 300, NO_UPLOAD)
    hub_hosts.load_hub(ctx, item.owner_id)
    return item


def _create_upload(ctx: Ctx, body: dict[str, Any]) -> dict[str, str]:
    name = str(body.get("file_name") or "").strip()
    if not name:
        raise invalid_field("file_name")
    length = None if body.get("file_length") in (None, "") else _whole(body["file_length"], "file_length", 1, MAX_FILE)
    file_type = _file_type(body.get("file_type")) or "recording"
    hub = _hub(ctx, body.get("hub_id"))
    _forget_expired(ctx)
    upload_id = ids.new_id()
    doc = {"file_name": name, "file_length": length, "file_type": file_type, "hub_id": hub.id,
           "expires": ctx.now + UPLOAD_SECONDS, "parts": {}}
    items_repo.insert(ctx.db, ctx.account_id, UPLOAD, upload_id, doc, owner_id=hub.id,
                      created_at=clockmod.iso(ctx.now))
    return {"upload_id": upload_id}


def _forget_expired(ctx: Ctx) -> None:
    """Uploads left open past their 7 days, and their parts, go when the account opens another."""
    for item in items_repo.all_of(ctx.db, ctx.account_id, UPLOAD):
        doc = item.data()
        if doc["expires"] < ctx.now:
            file_rows.delete(ctx.db, NO_MEETING, PART, [p["row"] for p in doc["parts"].values()])
            items_repo.delete(ctx.db, ctx.account_id, UPLOAD, item.id)


def _complete_upload(ctx: Ctx, body: dict[str, Any]) -> dict[str, str]:
    item = _open_upload(ctx, str(body.get("upload_id") or "").strip())
    if body.get("part_count") in (None, ""):
        raise invalid_field("part_count")
    count = _whole(body["part_count"], "part_count", 1, MAX_PARTS)
    doc = item.data()
    parts = doc["parts"]
    if sorted(int(n) for n in parts) != list(range(1, count + 1)):
        raise invalid_field("part_count", "The uploaded parts are not numbered 1 to part_count.")
    if any(parts[str(n)]["size"] < MIN_PART for n in range(1, count)):
        raise ZoomError(400, 120, PART_TOO_SMALL)
    if sum(p["size"] for p in parts.values()) > MAX_FILE:    # judged before a byte is read
        raise ZoomError(400, 120, TOO_BIG)
    chunks = [file_rows.get_data(ctx.db, NO_MEETING, parts[str(n)]["row"]) or b"" for n in range(1, count + 1)]
    data = b"".join(chunks)
    if doc["file_length"] is not None and len(data) != doc["file_length"]:
        raise invalid_field("file_length", LENGTH_MISMATCH)
    kind, file_type = accept(data, doc["file_name"], doc["file_type"])
    hub = hub_hosts.load_hub(ctx, item.owner_id)
    out = store(ctx, hub, data, doc["file_name"], kind, file_type)
    file_rows.delete(ctx.db, NO_MEETING, PART, [p["row"] for p in parts.values()])
    items_repo.delete(ctx.db, ctx.account_id, UPLOAD, item.id)
    return out


def multipart_upload(ctx: Ctx, inp: Input) -> Reply:
    """CreateMultipartUpload answers an upload id; CompleteMultipartUpload the file (and video) id."""
    body = inp.body if isinstance(inp.body, dict) else {}
    if body.get("method") == "CreateMultipartUpload":
        return Reply(201, _create_upload(ctx, body))
    if body.get("method") == "CompleteMultipartUpload":
        return Reply(201, _complete_upload(ctx, body))
    raise invalid_field("method")


def upload_part(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """One part of an open upload: its bytes in a `ze_part` row, its size and MD5 ETag in the upload."""
    body = inp.body if isinstance(inp.body, dict) else {}
    number = _whole(body.get("part_number"), "part_number", 1, MAX_PARTS)
    item = _open_upload(ctx, str(body.get("upload_context") or "").strip())
    upload = body.get("file")
    if not isinstance(upload, Upload) or not upload.data:
        raise ZoomError(400, 120, NO_FILE)
    if len(upload.data) > MAX_PART:
        raise ZoomError(400, 120, PART_TOO_BIG)
    doc = item.data()
    old = doc["parts"].get(str(number))
    others = sum(p["size"] for n, p in doc["parts"].items() if n != str(number))
    if others + len(upload.data) > MAX_FILE:
        raise ZoomError(400, 120, TOO_BIG)
    if old is not None:
        file_rows.delete(ctx.db, NO_MEETING, PART, [old["row"]])
    row_id = ids.new_id()
    etag = hashlib.md5(upload.data, usedforsecurity=False).hexdigest()
    file_rows.insert(ctx.db, ctx.account_id, NO_MEETING, PART, row_id, f"{item.id}#{number}",
                     "application/octet-stream", upload.data, clockmod.iso(ctx.now))
    doc["parts"][str(number)] = {"row": row_id, "size": len(upload.data), "etag": etag}
    items_repo.save(ctx.db, ctx.account_id, UPLOAD, item.id, doc)
    return {"part_number_etag": {"part_number": number, "etag": etag}}


HANDLERS: dict[str, Callable[..., Any]] = {
    "uploadEventFile": upload_file,
    "uploadMultipartEventFile": upload_part,
    "initiateAndCompleteAEventMultipartUpload.": multipart_upload,
}
