"""Webinar session branding over HTTP: name tags, virtual backgrounds and the wallpaper (multipart
uploads judged by their bytes, stored and kept across restarts), what panelists wear, the
session branding setting, every documented error; and the webinar's tracking sources."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from support import Admin, Api, Server, bad_fields, new_meeting, ok, unique_email
from support import expect_error as err
from test_webinars import FUTURE, new_webinar

from zoomsim.storage import files as files_repo

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"\r\n\x00\xff" * 300          # line breaks and NULs must come back intact
GIF = b"GIF89a" + b"\x01" * 50
MB = 1024 * 1024
NOT_ENABLED = "This webinar does not have session branding enabled."
NO_FILE = "No file uploaded. Verify that a file has been uploaded."
TOO_BIG = "File size cannot exceed 15M."
TAG_LIMIT = "You have reached the limit for the number of name tags you can add for this webinar. The limit is 20."
TAG = {"name": "Speaker", "text_color": "0e72ed", "accent_color": "0e72ed", "background_color": "ffffff"}


def branded(api: Api, **settings: Any) -> dict[str, Any]:
    return new_webinar(api, settings={"enable_session_branding": True, **settings})


def upload(api: Api, wid: int, what: str = "virtual_backgrounds", data: bytes = PNG, name: str = "beach.png",
           **fields: Any) -> httpx.Response:
    return api.post(f"/webinars/{wid}/branding/{what}", files={"file": (name, data, "image/png")},
                    data={k: str(v).lower() for k, v in fields.items()})


def uploaded(api: Api, wid: int, what: str = "virtual_backgrounds", **kw: Any) -> dict[str, Any]:
    r = upload(api, wid, what, **kw)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def new_tag(api: Api, wid: int, **body: Any) -> dict[str, Any]:
    r = api.post(f"/webinars/{wid}/branding/name_tags", json={**TAG, **body})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def branding(api: Api, wid: int) -> dict[str, Any]:
    return ok(api, f"/webinars/{wid}/branding")


def panelists(api: Api, wid: int) -> list[dict[str, Any]]:
    return ok(api, f"/webinars/{wid}/panelists")["panelists"]  # type: ignore[no-any-return]


def test_empty_branding(api: Api) -> None:
    w = branded(api)
    assert branding(api, w["id"]) == {"name_tags": [], "virtual_backgrounds": []}


def test_name_tags(api: Api) -> None:
    w = branded(api)
    first = new_tag(api, w["id"])
    assert first == {"id": first["id"], **TAG, "is_default": False} and len(first["id"]) == 22
    second = new_tag(api, w["id"], name="Host", text_color="#000000", is_default=True)
    assert second["is_default"] is True and second["text_color"] == "#000000"
    assert branding(api, w["id"])["name_tags"] == [first, second]
    r = api.patch(f"/webinars/{w['id']}/branding/name_tags/{first['id']}", json={"name": "Guest", "is_default": True})
    assert r.status_code == 204, r.text
    tags = branding(api, w["id"])["name_tags"]
    assert [(t["name"], t["is_default"]) for t in tags] == [("Guest", True), ("Host", False)]
    r = api.delete(f"/webinars/{w['id']}/branding/name_tags", params={"name_tag_ids": f"{first['id']},{second['id']}"})
    assert r.status_code == 204, r.text
    assert branding(api, w["id"])["name_tags"] == []


def test_name_tag_errors(api: Api) -> None:
    w = branded(api)
    path = f"/webinars/{w['id']}/branding/name_tags"
    assert bad_fields(api.post(path, json={"name": "x"})) == {"text_color", "accent_color", "background_color"}
    assert bad_fields(api.post(path, json={**TAG, "text_color": "blue"})) == {"text_color"}
    assert bad_fields(api.post(path, json={**TAG, "name": "x" * 51})) == {"name"}
    assert bad_fields(api.post(path, json={**TAG, "name": "  "})) == {"name"}
    assert bad_fields(api.post(path, json={**TAG, "is_default": "yes"})) == {"is_default"}
    tag = new_tag(api, w["id"])
    err(api.patch(f"{path}/nope", json={"name": "y"}), 400, 300, "Name Tag does not exist.")
    err(api.patch(f"{path}/a%00b", json={"name": "y"}), 400, 300, "Name Tag does not exist.")
    assert bad_fields(api.patch(f"{path}/{tag['id']}", json={"accent_color": "12345"})) == {"accent_color"}
    for params in ({}, {"name_tag_ids": "nope"}, {"name_tag_ids": f"{tag['id']},nope"}, {"name_tag_ids": ","}):
        err(api.delete(path, params=params), 400, 300, "Invalid parameter: name_tag_ids.")
    assert branding(api, w["id"])["name_tags"] == [tag]
    for i in range(19):
        new_tag(api, w["id"], name=f"Tag {i}")
    err(api.post(path, json=TAG), 400, 3000, TAG_LIMIT)
    assert len(branding(api, w["id"])["name_tags"]) == 20


def test_virtual_backgrounds(api: Api) -> None:
    w = branded(api)
    png = uploaded(api, w["id"])
    assert png == {"id": png["id"], "name": "beach.png", "is_default": False, "size": len(PNG), "type": "image"}
    jpeg = uploaded(api, w["id"], data=JPEG, name="office.jpg", default=True)
    gif = uploaded(api, w["id"], data=GIF, name="blob")     # the bytes decide, not the name
    assert (jpeg["is_default"], gif["size"]) == (True, len(GIF))
    assert branding(api, w["id"])["virtual_backgrounds"] == [
        {"id": png["id"], "name": "beach.png", "is_default": False},
        {"id": jpeg["id"], "name": "office.jpg", "is_default": True},
        {"id": gif["id"], "name": "blob", "is_default": False}]
    r = api.patch(f"/webinars/{w['id']}/branding/virtual_backgrounds", params={"id": gif["id"]})
    assert r.status_code == 204, r.text
    assert [b["is_default"] for b in branding(api, w["id"])["virtual_backgrounds"]] == [False, False, True]
    r = api.delete(f"/webinars/{w['id']}/branding/virtual_backgrounds", params={"ids": f"{gif['id']},{png['id']}"})
    assert r.status_code == 204, r.text
    assert branding(api, w["id"])["virtual_backgrounds"] == [{"id": jpeg["id"], "name": "office.jpg", "is_default": False}]
    with api.server.app.services.storage.read() as db:
        assert files_repo.get_data(db, w["id"], jpeg["id"]) == JPEG
        assert files_repo.get_data(db, w["id"], gif["id"]) is None


def test_upload_errors(api: Api) -> None:
    w = branded(api)
    wid = w["id"]
    may = "You may only upload JPG/JPEG, GIF, or PNG image files."
    can = "You can only upload JPG/JPEG, GIF, or PNG image files."
    for what, wrong_type in (("virtual_backgrounds", may), ("wallpaper", can)):
        err(upload(api, wid, what, data=b"just text", name="fake.png"), 400, 120, wrong_type)
        err(upload(api, wid, what, data=b"\x89PN", name="short.png"), 400, 120, wrong_type)
        err(upload(api, wid, what, data=b"", name="empty.png"), 400, 120, NO_FILE)
        err(upload(api, wid, what, data=PNG + b"\x00" * (15 * MB), name="big.png"), 400, 120, TOO_BIG)
        err(api.post(f"/webinars/{wid}/branding/{what}"), 400, 120, NO_FILE)
        err(api.post(f"/webinars/{wid}/branding/{what}", data={"file": "not a file"}, files={"other": ("x", b"y")}),
            400, 120, NO_FILE)
        err(api.post(f"/webinars/{wid}/branding/{what}", json={"file": "aGVsbG8="}), 400, 120, NO_FILE)
        for ctype in ("multipart/form-data", "multipart/form-data; boundary=xyz"):
            err(api.post(f"/webinars/{wid}/branding/{what}", content=b"garbage", headers={"content-type": ctype}),
                400, 300)
    assert set(bad_fields(upload(api, wid, default="maybe"))) == {"default"}
    # exactly 15 MB is allowed
    assert uploaded(api, wid, data=PNG + b"\x00" * (15 * MB - len(PNG)))["size"] == 15 * MB
    for _ in range(9):
        uploaded(api, wid, data=GIF, name="g.gif")
    err(upload(api, wid), 400, 120, "A maximum of 10 files are allowed for a webinar.")
    assert len(branding(api, wid)["virtual_backgrounds"]) == 10
    uploaded(api, wid, "wallpaper")          # the wallpaper is not one of the ten


def test_other_bodies_keep_the_json_limit(api: Api) -> None:
    w = new_webinar(api)
    big = b'{"agenda": "' + b"x" * (11 * MB) + b'"}'
    err(api.patch(f"/webinars/{w['id']}", content=big, headers={"content-type": "application/json"}), 413, 413)
    err(api.post(f"/webinars/{w['id']}/panelists", content=big, headers={"content-type": "multipart/form-data; boundary=b"}),
        413, 413)


def test_background_set_and_delete_errors(api: Api) -> None:
    w = branded(api)
    path = f"/webinars/{w['id']}/branding/virtual_backgrounds"
    bg = uploaded(api, w["id"])
    err(api.patch(path, params={"id": "nope"}), 400, 300, "Invalid parameter: nope")
    err(api.patch(path), 400, 300, "Invalid parameter: id")
    assert bad_fields(api.patch(path, params={"id": bg["id"], "set_default_for_all_panelists": "perhaps"})) \
        == {"set_default_for_all_panelists"}
    for params in ({}, {"ids": "nope"}, {"ids": f"{bg['id']},nope"}):
        err(api.delete(path, params=params), 400, 300, "Invalid parameter: ids.")
    assert len(branding(api, w["id"])["virtual_backgrounds"]) == 1


def test_wallpaper(api: Api) -> None:
    w = branded(api)
    first = uploaded(api, w["id"], "wallpaper", name="logo.jpg", data=JPEG)
    assert first == {"id": first["id"], "name": "logo.jpg", "size": len(JPEG), "type": "image"}
    assert branding(api, w["id"])["wallpaper"] == {"id": first["id"]}
    second = uploaded(api, w["id"], "wallpaper", name="logo2.png")      # one wallpaper: replaced
    assert branding(api, w["id"])["wallpaper"] == {"id": second["id"]}
    with api.server.app.services.storage.read() as db:
        assert [f.id for f in files_repo.list_of(db, w["id"], "wallpaper")] == [second["id"]]
    assert api.delete(f"/webinars/{w['id']}/branding/wallpaper").status_code == 204
    assert "wallpaper" not in branding(api, w["id"])
    assert api.delete(f"/webinars/{w['id']}/branding/wallpaper").status_code == 204


def test_panelists_wear_the_defaults(api: Api) -> None:
    w = branded(api)
    wid = w["id"]
    tag = new_tag(api, wid)
    r = api.post(f"/webinars/{wid}/panelists", json={"panelists": [
        {"email": "a@example.com", "name": "A", "name_tag_id": tag["id"], "name_tag_description": "CEO"},
        {"email": "b@example.com", "name": "B"}]})
    assert r.status_code == 201, r.text
    assert [p["name_tag_id"] for p in panelists(api, wid)] == [tag["id"], ""]
    # a new default goes on those who wear none; for all of them only when asked to (the default)
    host = new_tag(api, wid, name="Host", is_default=True, set_default_for_all_panelists=False)
    assert [p["name_tag_id"] for p in panelists(api, wid)] == [tag["id"], host["id"]]
    assert api.patch(f"/webinars/{wid}/branding/name_tags/{tag['id']}", json={"is_default": True}).status_code == 204
    assert [p["name_tag_id"] for p in panelists(api, wid)] == [tag["id"], tag["id"]]
    bg = uploaded(api, wid, default=True, set_default_for_all_panelists=False)
    assert [p["virtual_background_id"] for p in panelists(api, wid)] == [bg["id"], bg["id"]]
    other = uploaded(api, wid, data=GIF)
    r = api.patch(f"/webinars/{wid}/branding/virtual_backgrounds",
                  params={"id": other["id"], "set_default_for_all_panelists": "false"})
    assert r.status_code == 204
    assert [p["virtual_background_id"] for p in panelists(api, wid)] == [bg["id"], bg["id"]]
    r = api.post(f"/webinars/{wid}/panelists", json={"panelists": [{"email": "c@example.com", "name": "C"}]})
    assert r.status_code == 201
    newest = panelists(api, wid)[2]
    assert (newest["name_tag_id"], newest["virtual_background_id"]) == (tag["id"], other["id"])
    # deleting what they wear takes it off them
    assert api.delete(f"/webinars/{wid}/branding/name_tags", params={"name_tag_ids": tag["id"]}).status_code == 204
    assert api.delete(f"/webinars/{wid}/branding/virtual_backgrounds", params={"ids": bg["id"]}).status_code == 204
    got = panelists(api, wid)
    assert [(p["name_tag_id"], p["virtual_background_id"]) for p in got] == [("", ""), ("", ""), ("", other["id"])]
    assert got[0]["name_tag_description"] == "CEO"


def test_session_branding_must_be_on(api: Api) -> None:
    w = new_webinar(api)
    wid = w["id"]
    err(api.get(f"/webinars/{wid}/branding"), 400, 3000, "You cannot enable session branding for this webinar.")
    calls = [("POST", "name_tags", {"json": TAG}), ("PATCH", "name_tags/x", {"json": {"name": "y"}}),
             ("DELETE", "name_tags", {"params": {"name_tag_ids": "x"}}),
             ("POST", "virtual_backgrounds", {"files": {"file": ("a.png", PNG)}}),
             ("PATCH", "virtual_backgrounds", {"params": {"id": "x"}}),
             ("DELETE", "virtual_backgrounds", {"params": {"ids": "x"}}),
             ("POST", "wallpaper", {"files": {"file": ("a.png", PNG)}}), ("DELETE", "wallpaper", {})]
    for method, tail, kw in calls:
        err(api.request(method, f"/webinars/{wid}/branding/{tail}", **kw), 400, 3000, NOT_ENABLED)
    # turned on, the branding is there; turned off again, it is kept but not served
    assert api.patch(f"/webinars/{wid}", json={"settings": {"enable_session_branding": True}}).status_code == 204
    tag = new_tag(api, wid)
    assert api.patch(f"/webinars/{wid}", json={"settings": {"enable_session_branding": False}}).status_code == 204
    err(api.get(f"/webinars/{wid}/branding"), 400, 3000)
    assert api.patch(f"/webinars/{wid}", json={"settings": {"enable_session_branding": True}}).status_code == 204
    assert branding(api, wid)["name_tags"] == [tag]


def test_webinar_errors(admin: Admin, api: Api) -> None:
    w = branded(api)
    other = admin.tenant()
    meeting = new_meeting(api)
    licensed = admin.member(api, scopes=("webinar:read", "webinar:write"), features={"webinar": 500})
    calls = [("GET", "", {}), ("POST", "/name_tags", {"json": TAG}), ("PATCH", "/name_tags/x", {"json": {}}),
             ("DELETE", "/name_tags", {"params": {"name_tag_ids": "x"}}),
             ("POST", "/virtual_backgrounds", {"files": {"file": ("a.png", PNG)}}),
             ("PATCH", "/virtual_backgrounds", {"params": {"id": "x"}}),
             ("DELETE", "/virtual_backgrounds", {"params": {"ids": "x"}}),
             ("POST", "/wallpaper", {"files": {"file": ("a.png", PNG)}}), ("DELETE", "/wallpaper", {})]
    for method, tail, kw in calls:
        err(api.request(method, f"/webinars/90000000001/branding{tail}", **kw), 404, 3001,
            "Webinar does not exist: 90000000001.")
        err(api.request(method, f"/webinars/{meeting['id']}/branding{tail}", **kw), 404, 3001)
        err(other.request(method, f"/webinars/{w['id']}/branding{tail}", **kw), 404, 3001)
        err(api.request(method, f"/webinars/abc/branding{tail}", **kw), 400, 300, "Invalid webinar ID.")
        err(licensed.request(method, f"/webinars/{w['id']}/branding{tail}", **kw), 400, 200, "No permission.")


def test_uploads_survive_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'z.db'}"
    first = Server(url).start()
    try:
        api = Admin(first).tenant()
        w = branded(api)
        bg = uploaded(api, w["id"], data=JPEG, name="office.jpg", default=True)
        wall = uploaded(api, w["id"], "wallpaper", data=GIF)
        before = branding(api, w["id"])
    finally:
        first.stop()
        first.app.services.storage.dispose()
    second = Server(url).start()
    try:
        api.server, api.http = second, httpx.Client(base_url=second.url, timeout=30)
        api.fetch_token()
        assert branding(api, w["id"]) == before
        assert before["wallpaper"] == {"id": wall["id"]} and before["virtual_backgrounds"][0]["id"] == bg["id"]
        with second.app.services.storage.read() as db:
            assert files_repo.get_data(db, w["id"], bg["id"]) == JPEG
            assert files_repo.get_data(db, w["id"], wall["id"]) == GIF
    finally:
        second.stop()


def test_a_second_server_on_the_database_sees_the_files(api: Api, backend: str) -> None:
    w = branded(api)
    bg = uploaded(api, w["id"], data=PNG)
    srv = Server(backend).start()
    try:
        with srv.app.services.storage.read() as db:
            assert files_repo.get_data(db, w["id"], bg["id"]) == PNG
    finally:
        srv.stop()


# ---- tracking sources ---------------------------------------------------------------------------------

def test_tracking_sources(admin: Admin, api: Api) -> None:
    w = new_webinar(api, start_time=FUTURE, settings={"approval_type": 0})
    path = f"/webinars/{w['id']}/tracking_sources"
    assert ok(api, path) == {"total_records": 0, "tracking_sources": []}
    facebook = admin.call("POST", f"/webinars/{w['id']}/tracking_sources", {"source_name": "Facebook", "visitor_count": 7})
    mail = admin.call("POST", f"/webinars/{w['id']}/tracking_sources", {"source_name": "Newsletter"})
    for i in range(2):
        r = api.post(f"/webinars/{w['id']}/registrants",
                     json={"email": unique_email(), "first_name": f"R{i}", "source_id": facebook["id"]})
        assert r.status_code == 201, r.text
    assert api.post(f"/webinars/{w['id']}/registrants", json={"email": unique_email(), "first_name": "Direct"}) \
        .status_code == 201
    got = ok(api, path)
    assert got["total_records"] == 2
    first, second = got["tracking_sources"]
    assert (first["id"], first["source_name"], first["visitor_count"]) == (facebook["id"], "Facebook", 7)
    assert len(first["id"]) == 13 and first["id"].isdigit()
    assert first["tracking_url"] == w["registration_url"].rsplit("/", 1)[0] + f"/{facebook['id']}/" \
        + w["registration_url"].rsplit("/", 1)[1]
    assert (second["id"], second["source_name"], second["registration_count"], second["visitor_count"]) \
        == (mail["id"], "Newsletter", 0, 0)
    assert first["registration_count"] == 2


def test_tracking_sources_errors(admin: Admin, api: Api) -> None:
    closed = new_webinar(api, start_time=FUTURE)        # approval_type 2: no registration
    err(api.get(f"/webinars/{closed['id']}/tracking_sources"), 400, 3000,
        f"Registration has not been enabled for this webinar: {closed['id']}.")
    err(api.get("/webinars/90000000001/tracking_sources"), 404, 3001, "Webinar does not exist: 90000000001.")
    err(api.get("/webinars/abc/tracking_sources"), 400, 300, "Invalid webinar ID.")
    err(api.get(f"/webinars/{new_meeting(api)['id']}/tracking_sources"), 404, 3001)
    err(admin.tenant().get(f"/webinars/{closed['id']}/tracking_sources"), 404, 3001)
    tracking = f"/_zoomsim/webinars/{new_meeting(api)['id']}/tracking_sources"
    err(admin.http.post(tracking, json={"source_name": "x"}), 404, 3001)     # a meeting takes none
    for bad in ({"source_name": ""}, {"source_name": "x" * 256}, {"source_name": "x", "visitor_count": -1}):
        assert admin.http.post(f"/_zoomsim/webinars/{closed['id']}/tracking_sources", json=bad).status_code == 400
