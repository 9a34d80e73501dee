"""Zoom Events file uploads over HTTP: the single upload and the multipart upload (create, parts,
complete), formats judged by their bytes, file types, the part rules and the 7-day window,
the real bytes kept, recordings becoming hub videos with the duration their container
gives, hub access and tenancy (both backends)."""
from __future__ import annotations

import struct
from typing import Any

import httpx
from support import Admin, Api, bad_fields, expect_error, ok
from test_events_events import hub_of

from zoomsim.storage import files as files_repo

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n" + b"\x00\x01binary\r\n" * 20
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"
NO_FILE = "No file uploaded. Verify that a file has been uploaded."
FILE_WRITE = ["zoom_events_file:write", "zoom_events_hubs:read", "zoom_events_videos:read"]


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def mp4(seconds: float = 90, scale: int = 600, pad: int = 64, brand: bytes = b"isom") -> bytes:
    """A real (tiny) ISO-BMFF movie: ftyp, a moov whose mvhd says how long it runs, and mdat."""
    mvhd = box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, scale, int(seconds * scale)) + b"\x00" * 80)
    return box(b"ftyp", brand + b"\x00\x00\x02\x00isomiso2mp41") + box(b"moov", mvhd) + box(b"mdat", b"\x07" * pad)


def _ebml(ident: bytes, body: bytes) -> bytes:
    return ident + bytes([0x01]) + len(body).to_bytes(7, "big") + body


def webm(seconds: float = 125.0) -> bytes:
    """A WebM header and a Segment whose Info gives TimecodeScale (1 ms) and Duration."""
    header = _ebml(b"\x1a\x45\xdf\xa3", _ebml(b"\x42\x82", b"webm"))
    scale = _ebml(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big"))
    info = scale + _ebml(b"\x44\x89", struct.pack(">d", seconds * 1000))
    return header + _ebml(b"\x18\x53\x80\x67", _ebml(b"\x15\x49\xa9\x66", info) + b"\x1f\x43\xb6\x75\x80")


def send(api: Api, data: bytes = b"", name: str = "talk.mp4", **fields: Any) -> httpx.Response:
    return api.post("/zoom_events/files", files={"file": (name, data, "application/octet-stream")},
                    data={k: str(v) for k, v in fields.items()})


def sent(api: Api, data: bytes, name: str = "talk.mp4", **fields: Any) -> dict[str, Any]:
    r = send(api, data, name, **fields)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def new_video(api: Api, seconds: float = 90, name: str = "Keynote.mp4", **fields: Any) -> str:
    """A hub video made by uploading a recording; its id."""
    return sent(api, mp4(seconds), name, **fields)["video_id"]  # type: ignore[no-any-return]


def stored(api: Api, file_id: str) -> bytes | None:
    with api.server.app.services.storage.read() as db:
        return files_repo.get_data(db, 0, file_id)


def multipart(api: Api, **body: Any) -> httpx.Response:
    return api.post("/zoom_events/files/multipart/upload", json=body)


def begin(api: Api, **body: Any) -> str:
    r = multipart(api, method="CreateMultipartUpload", **{"file_name": "talk.mp4", **body})
    assert r.status_code == 201, r.text
    return r.json()["upload_id"]  # type: ignore[no-any-return]


def part(api: Api, upload_id: str, number: Any, data: bytes) -> httpx.Response:
    return api.post("/zoom_events/files/multipart", files={"file": ("blob", data, "application/octet-stream")},
                    data={"part_number": str(number), "upload_context": upload_id})


def finish(api: Api, upload_id: str, count: int) -> httpx.Response:
    return multipart(api, method="CompleteMultipartUpload", upload_id=upload_id, part_count=str(count))


# ---- single upload ----------------------------------------------------------------------------

def test_a_recording_becomes_a_hub_video(api: Api) -> None:
    data = mp4(seconds=90.4)
    body = sent(api, data, "Keynote 2031.mp4", hub_id=hub_of(api))
    assert set(body) == {"file_id", "video_id"} and body["file_id"] != body["video_id"]
    assert stored(api, body["file_id"]) == data
    (video,) = ok(api, f"/zoom_events/hubs/{hub_of(api)}/videos")["videos"]
    assert video == {"video_id": body["video_id"], "name": "Keynote 2031", "source_type": "UPLOAD",
                     "source_event_id": "", "status": "done", "duration": 2, "play_link": video["play_link"]}
    meta = ok(api, f"/zoom_events/videos/{body['video_id']}/metadata")
    assert (meta["title"], meta["duration"], meta["tags"], meta["description"]) == ("Keynote 2031", 90, [], "")


def test_a_webm_recording_takes_its_duration_from_the_segment_info(api: Api) -> None:
    video_id = sent(api, webm(125.0), "demo.webm", file_type="recording")["video_id"]
    assert ok(api, f"/zoom_events/videos/{video_id}/metadata")["duration"] == 125


def test_files_that_are_not_recordings_make_no_video(api: Api) -> None:
    for data, name, file_type in ((PNG, "logo.png", None), (PDF, "deck.pdf", "other"), (VTT, "captions.vtt", None),
                                  (b"a,b\n1,2\n", "list.csv", "other"), (mp4(), "bio.mp4", "video"),
                                  (mp4(brand=b"qt  "), "bio.mov", None)):
        body = sent(api, data, name, **({"file_type": file_type} if file_type else {}))
        assert set(body) == {"file_id"}, name
        assert stored(api, body["file_id"]) == data
    assert ok(api, f"/zoom_events/hubs/{hub_of(api)}/videos")["videos"] == []


def test_an_upload_names_no_hub_and_lands_in_the_callers(api: Api) -> None:
    video_id = new_video(api)
    assert [v["video_id"] for v in ok(api, f"/zoom_events/hubs/{hub_of(api)}/videos")["videos"]] == [video_id]


def test_upload_errors(api: Api) -> None:
    expect_error(send(api, b""), 400, 120, NO_FILE)
    expect_error(api.post("/zoom_events/files", data={"file_type": "recording"}, files={"other": ("x", b"y")}),
                 400, 120, NO_FILE)
    expect_error(api.post("/zoom_events/files", json={"file": "not a file"}), 400, 120, NO_FILE)
    assert expect_error(send(api, b"\x00\x01\x02\x03" * 10, "x.bin"), 400, 120)["message"].startswith("Unsupported")
    expect_error(send(api, PNG, "logo.png", file_type="recording"), 400, 120,
                 "A recording file must be an .mp4 or .webm video.")
    expect_error(send(api, mp4(brand=b"qt  "), "a.mov", file_type="recording"), 400, 120)
    expect_error(send(api, PDF, "deck.pdf", file_type="video"), 400, 120,
                 "A video file must be an .mp4, .webm, .mov or .mkv video.")
    assert bad_fields(send(api, mp4(), file_type="music")) == {"file_type"}
    expect_error(send(api, mp4(), hub_id="nope"), 404, 2001, "Hub not found.")
    assert ok(api, f"/zoom_events/hubs/{hub_of(api)}/videos")["total_records"] == 0    # nothing half-written


def test_another_accounts_hub_is_not_found(admin: Admin, api: Api) -> None:
    other = admin.tenant()
    expect_error(send(api, mp4(), hub_id=hub_of(other)), 404, 2001, "Hub not found.")
    expect_error(multipart(api, method="CreateMultipartUpload", file_name="a.mp4", hub_id=hub_of(other)),
                 404, 2001, "Hub not found.")


def test_a_member_who_hosts_no_hub(admin: Admin, api: Api) -> None:
    member = admin.member(api, scopes=FILE_WRITE)
    expect_error(send(member, mp4(), hub_id=hub_of(api)), 403, 260101, "Hub access denied.")
    expect_error(send(member, mp4()), 404, 2001, "Hub not found.")    # no hub of its own to land in


def test_an_account_without_a_hub_cannot_upload(admin: Admin) -> None:
    bare = admin.tenant(licences={"zoom_events": False})
    expect_error(send(bare, mp4()), 404, 2001, "Hub not found.")


def test_scopes(admin: Admin, api: Api) -> None:
    reader = admin.member(api, scopes=["zoom_events_hubs:read"])
    assert expect_error(send(reader, mp4()), 400, 4711)["message"].startswith("Invalid access token")


# ---- multipart --------------------------------------------------------------------------------

def test_a_multipart_upload_in_three_parts(api: Api) -> None:
    whole = mp4(seconds=600, pad=11 * MB)
    chunks = [whole[:5 * MB], whole[5 * MB:10 * MB], whole[10 * MB:]]
    upload_id = begin(api, hub_id=hub_of(api), file_length=str(len(whole)), file_type="recording")
    for number in (3, 1, 2):                                     # parts may come in any order
        r = part(api, upload_id, number, chunks[number - 1])
        assert r.status_code == 201, r.text
        assert r.json()["part_number_etag"]["part_number"] == number
        assert len(r.json()["part_number_etag"]["etag"]) == 32
    r = finish(api, upload_id, 3)
    assert r.status_code == 201, r.text
    body = r.json()
    assert stored(api, body["file_id"]) == whole
    assert ok(api, f"/zoom_events/videos/{body['video_id']}/metadata")["duration"] == 600
    expect_error(finish(api, upload_id, 3), 404, 300)            # completed: the upload is gone
    with api.server.app.services.storage.read() as db:           # and so are its parts
        assert not [f for f in files_repo.list_of(db, 0, "ze_part") if f.name.startswith(upload_id)]


def test_sending_a_part_again_replaces_it(api: Api) -> None:
    upload_id = begin(api, file_type="other", file_name="deck.pdf")
    first = part(api, upload_id, 1, b"%PDF-1.4 wrong").json()["part_number_etag"]["etag"]
    second = part(api, upload_id, 1, PDF).json()["part_number_etag"]["etag"]
    assert first != second
    body = finish(api, upload_id, 1).json()
    assert set(body) == {"file_id"} and stored(api, body["file_id"]) == PDF


def test_multipart_rules(api: Api) -> None:
    small = begin(api)
    part(api, small, 1, mp4(pad=10))
    part(api, small, 2, b"\x00" * 100)
    expect_error(finish(api, small, 2), 400, 120, "Each part must be at least 5 MB in size, except the last part.")
    gaps = begin(api)
    part(api, gaps, 2, mp4())
    assert bad_fields(finish(api, gaps, 1)) == {"part_count"}
    assert bad_fields(finish(api, gaps, 2)) == {"part_count"}
    sized = begin(api, file_length="10")
    part(api, sized, 1, mp4())
    assert bad_fields(finish(api, sized, 1)) == {"file_length"}
    png = begin(api, file_name="logo.png")                        # the default type is a recording
    part(api, png, 1, PNG)
    expect_error(finish(api, png, 1), 400, 120, "A recording file must be an .mp4 or .webm video.")
    assert bad_fields(part(api, png, 0, PNG)) == {"part_number"}
    assert bad_fields(part(api, png, 10001, PNG)) == {"part_number"}
    expect_error(part(api, png, 1, b""), 400, 120, NO_FILE)
    expect_error(part(api, "missing", 1, PNG), 404, 300, "The multipart upload does not exist or has expired.")
    expect_error(finish(api, "missing", 1), 404, 300)
    assert bad_fields(multipart(api, method="CreateMultipartUpload")) == {"file_name"}
    assert bad_fields(multipart(api, method="CreateMultipartUpload", file_name="a.mp4", file_length="-3")) == \
        {"file_length"}
    assert bad_fields(multipart(api, method="CreateMultipartUpload", file_name="a", file_type="x"))
    assert bad_fields(multipart(api, method="CompleteMultipartUpload", upload_id=png)) == {"part_count"}
    assert expect_error(multipart(api, method="Abort"), 400, 300)
    assert expect_error(api.post("/zoom_events/files/multipart", data={"upload_context": png},
                                 files={"file": ("b", PNG)}), 400, 300)


def test_an_upload_is_open_for_seven_days(clock: Admin, api: Api) -> None:
    clock.clock(now="2031-01-01T00:00:00Z")
    api.fetch_token()
    upload_id = begin(api)
    part(api, upload_id, 1, mp4())
    clock.clock(now="2031-01-07T23:59:00Z")
    api.fetch_token()
    assert part(api, upload_id, 1, mp4()).status_code == 201
    clock.clock(now="2031-01-08T00:01:00Z")
    api.fetch_token()
    expect_error(finish(api, upload_id, 1), 404, 300, "The multipart upload does not exist or has expired.")


def test_another_account_cannot_use_an_upload(admin: Admin, api: Api) -> None:
    upload_id = begin(api)
    other = admin.tenant()
    expect_error(part(other, upload_id, 1, mp4()), 404, 300)
    expect_error(finish(other, upload_id, 1), 404, 300)
    assert part(api, upload_id, 1, mp4()).status_code == 201


def test_expired_uploads_are_forgotten_when_another_opens(clock: Admin, api: Api) -> None:
    clock.clock(now="2031-01-01T00:00:00Z")
    api.fetch_token()
    old = begin(api)
    part(api, old, 1, mp4())
    clock.clock(now="2031-01-09T00:00:00Z")
    api.fetch_token()
    begin(api)
    with api.server.app.services.storage.read() as db:
        assert not [f for f in files_repo.list_of(db, 0, "ze_part") if f.name.startswith(old)]


def test_zoomsim_keeps_files_of_at_most_one_gigabyte(api: Api) -> None:
    r = multipart(api, method="CreateMultipartUpload", file_name="huge.mp4", file_length=str(1024 ** 3 + 1))
    assert bad_fields(r) == {"file_length"}
