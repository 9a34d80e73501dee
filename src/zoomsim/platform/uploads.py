"""multipart/form-data request bodies (Zoom's file uploads), decoded into the same dict shape a
JSON body has: text parts as strings, file parts (those with a filename) as `Upload`.

Parsing is python-multipart's (the parser Starlette uses): boundaries, quoting, RFC 2231
file names and bare-LF clients are its business, not ours. The body is already buffered whole
by the app (its size capped there), so one write() parses it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header

from zoomsim.errors import ZoomError

MALFORMED = "Request Body should be a valid multipart/form-data body."


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file as the client sent it: its name, declared type and bytes."""

    filename: str
    content_type: str
    data: bytes


def is_multipart(content_type: str) -> bool:
    return content_type.strip().lower().startswith("multipart/form-data")


def parse(body: bytes, content_type: str) -> dict[str, Any]:
    """The parts of a multipart/form-data body by field name (a repeated name keeps its last
    part). A missing boundary or a body that does not parse is Zoom's 300 envelope."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise ZoomError(400, 300, MALFORMED)
    collected: list[tuple[dict[str, str], list[bytes]]] = []
    header: list[bytes] = [b"", b""]

    def begin() -> None:
        collected.append(({}, []))

    def field(data: bytes, start: int, end: int) -> None:
        header[0] += data[start:end]

    def value(data: bytes, start: int, end: int) -> None:
        header[1] += data[start:end]

    def header_end() -> None:
        # latin-1 both ways keeps the raw bytes: names are decoded as UTF-8 once parsed
        collected[-1][0][header[0].decode("latin-1").strip().lower()] = header[1].decode("latin-1").strip()
        header[0] = header[1] = b""

    def chunk(data: bytes, start: int, end: int) -> None:
        collected[-1][1].append(data[start:end])

    callbacks: Any = {"on_part_begin": begin, "on_header_field": field, "on_header_value": value,
                      "on_header_end": header_end, "on_part_data": chunk}
    try:
        parser = MultipartParser(boundary, callbacks, max_header_count=16)
        parser.write(body)
        parser.finalize()
    except ValueError:   # the parser's own errors (MultipartParseError is one) and boundaries it refuses
        raise ZoomError(400, 300, MALFORMED) from None
    out: dict[str, Any] = {}
    for headers, chunks in collected:
        disposition, params = parse_options_header(headers.get("content-disposition", ""))
        name = params.get(b"name")
        if disposition != b"form-data" or name is None:
            continue
        data = b"".join(chunks)
        key = _text(name)
        if b"filename" in params:
            out[key] = Upload(_text(params[b"filename"]), _text(headers.get("content-type", "").encode("latin-1")), data)
        else:
            out[key] = data.decode("utf-8", "replace")
    return out


def _text(raw: bytes) -> str:
    """A header parameter as text, without the control characters no name needs (NUL cannot
    even be stored in a PostgreSQL text column)."""
    return "".join(ch for ch in raw.decode("utf-8", "replace") if ch >= " " and ch != "\x7f")
