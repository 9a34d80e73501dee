"""What an uploaded Zoom Events file is, judged by its bytes (clients send any name they like),
and how long a video runs, read from the container itself: an MP4/MOV movie header (`mvhd`)
or a WebM/Matroska segment's Info (TimecodeScale x Duration). Nothing here touches storage."""
from __future__ import annotations

import struct
from dataclasses import dataclass

# The formats the reference lists: video .mp4 .webm (and, for the `video` file type, .mov and
# .mkv), captions .vtt, and .jpeg/.jpg .png .pdf .txt .ppt .doc .csv .xls.
RECORDING_FORMATS = ("mp4", "webm")
VIDEO_FORMATS = ("mp4", "webm", "mov", "mkv")
OLE_EXTENSIONS = {"doc": "application/msword", "ppt": "application/vnd.ms-powerpoint",
                  "xls": "application/vnd.ms-excel"}
CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime", "mkv": "video/x-matroska",
                 "vtt": "text/vtt", "jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf",
                 "txt": "text/plain", "csv": "text/csv", **OLE_EXTENSIONS}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EBML = b"\x1a\x45\xdf\xa3"


@dataclass(frozen=True, slots=True)
class Kind:
    """A recognised file: its format (one of CONTENT_TYPES' keys) and content type."""

    format: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def is_video(self) -> bool:
        return self.format in VIDEO_FORMATS


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return None if any(ch < " " and ch not in "\t\r\n\f" for ch in text) else text


def sniff(data: bytes, name: str) -> Kind | None:
    """The supported format these bytes are, else None. Only text needs the name: a .csv is
    text like a .txt, and an OLE2 compound file is a .doc, .ppt or .xls by its extension."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return Kind("mov" if data[8:12] == b"qt  " else "mp4")
    if data.startswith(_EBML):
        return Kind("webm" if b"webm" in data[:64] else "mkv")
    if data.startswith(b"\xff\xd8\xff"):
        return Kind("jpg")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind("png")
    if data.startswith(b"%PDF-"):
        return Kind("pdf")
    if data.startswith(_OLE):
        ext = _extension(name)
        return Kind(ext) if ext in OLE_EXTENSIONS else None
    text = _text(data)
    if text is None:
        return None
    if text.startswith("WEBVTT"):
        return Kind("vtt")
    return Kind("csv" if _extension(name) == "csv" else "txt")


# ---- durations -------------------------------------------------------------------------------

def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """ISO-BMFF boxes between start and end: (type, body start, body end)."""
    out = []
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        head = 8
        if size == 1 and at + 16 <= end:
            size, head = struct.unpack(">Q", data[at + 8:at + 16])[0], 16
        elif size == 0:
            size = end - at
        if size < head or at + size > end:
            break
        out.append((kind, at + head, at + size))
        at += size
    return out


def _mp4_seconds(data: bytes) -> float:
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, body, stop in _boxes(data, start, end):
            if inner != b"mvhd" or stop - body < 20:
                continue
            if data[body] == 1 and stop - body >= 32:
                scale, length = struct.unpack(">IQ", data[body + 20:body + 32])
            else:
                scale, length = struct.unpack(">II", data[body + 12:body + 20])
            return length / scale if scale else 0.0
    return 0.0


def _vint(data: bytes, at: int, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `at`: (value, bytes used); (-1, 0) when malformed.
    An all-ones size (unknown length) comes back as -2."""
    if at >= len(data) or data[at] == 0:
        return -1, 0
    first = data[at]
    length = 8 - first.bit_length() + 1
    if at + length > len(data):
        return -1, 0
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[at + 1:at + length]:
        value = (value << 8) | byte
    if not keep_marker and value == (1 << (7 * length)) - 1:
        return -2, length
    return value, length


def _elements(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out = []
    at = start
    while at < end:
        ident, used = _vint(data, at, keep_marker=True)
        size, used2 = _vint(data, at + used, keep_marker=False) if used else (-1, 0)
        if ident < 0 or size == -1:
            break
        body = at + used + used2
        stop = end if size == -2 else min(body + size, end)
        out.append((ident, body, stop))
        at = stop
    return out


def _webm_seconds(data: bytes) -> float:
    for ident, start, end in _elements(data, 0, len(data)):
        if ident != 0x18538067:                    # Segment
            continue
        for inner, body, stop in _elements(data, start, end):
            if inner != 0x1549A966:                # Info
                continue
            scale, duration = 1_000_000, 0.0
            for field, fstart, fend in _elements(data, body, stop):
                raw = data[fstart:fend]
                if field == 0x2AD7B1 and raw:      # TimecodeScale (ns per tick)
                    scale = int.from_bytes(raw, "big")
                elif field == 0x4489 and len(raw) in (4, 8):   # Duration (ticks, a float)
                    duration = struct.unpack(">f" if len(raw) == 4 else ">d", raw)[0]
            return max(duration * scale / 1e9, 0.0)
    return 0.0


def duration_seconds(kind: Kind, data: bytes) -> int:
    """Whole seconds a video runs (0 when its container does not say)."""
    try:
        seconds = _mp4_seconds(data) if kind.format in ("mp4", "mov") else _webm_seconds(data)
    except (struct.error, ValueError, OverflowError):
        seconds = 0.0
    return int(seconds + 0.5) if seconds == seconds and seconds < 10 ** 12 else 0


def minutes(seconds: int) -> int:
    """The hub and channel video lists give durations in minutes."""
    return int(seconds / 60 + 0.5)
