"""Zoom Events hub videos and video-on-demand channels over HTTP: hub video lists and video
metadata; channels (types, DRAFT/PUBLISHED and the publish action, settings, delete), the
videos a channel shows (partial success), registration questions, registrations and the
registrations report computed from them; paging, hub access and tenancy (both backends)."""
from __future__ import annotations

from typing import Any

import httpx
import pytest
from support import Admin, Api, bad_fields, expect_error, ok, unique_email
from test_events_events import hub_of
from test_events_files import PNG, new_video, sent

NOT_FOUND = 261101
MEMBER_SCOPES = ["zoom_events_vod_channels:read", "zoom_events_vod_channels:write", "zoom_events_hubs:read",
                 "zoom_events_videos:read", "zoom_events_videos:write", "zoom_events_vod_registration:read"]


def channels_path(api: Api) -> str:
    return f"/zoom_events/hubs/{hub_of(api)}/vod_channels"


def new_channel(api: Api, kind: str = "VIDEO_LIST_HUB", **body: Any) -> dict[str, Any]:
    r = api.post(channels_path(api), json={"name": "Replays", "type": kind, **body})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def path(api: Api, channel: dict[str, Any], tail: str = "") -> str:
    return f"{channels_path(api)}/{channel['channel_id']}{tail}"


def add_videos(api: Api, channel: dict[str, Any], *video_ids: str) -> list[dict[str, str]]:
    r = api.post(path(api, channel, "/videos"), json={"video_ids": list(video_ids)})
    assert r.status_code == 201, r.text
    return r.json()["errors"]  # type: ignore[no-any-return]


def register(api: Api, channel: dict[str, Any], *entries: dict[str, Any]) -> httpx.Response:
    return api.post(path(api, channel, "/registrations"), json={"registrations": list(entries)})


def person(**over: Any) -> dict[str, Any]:
    return {"email": unique_email("viewer"), "first_name": "Jill", "last_name": "Chill", **over}


# ---- hub videos and metadata ---------------------------------------------------------------------

def test_hub_videos_page_in_upload_order(api: Api) -> None:
    made = [new_video(api, seconds=60 * (i + 1), name=f"part {i}.mp4") for i in range(5)]
    base = f"/zoom_events/hubs/{hub_of(api)}/videos"
    first = ok(api, base, page_size=2)
    assert first["total_records"] == 5 and first["next_page_token"]
    second = ok(api, base, page_size=2, next_page_token=first["next_page_token"])
    third = ok(api, base, page_size=2, next_page_token=second["next_page_token"])
    assert [v["video_id"] for p in (first, second, third) for v in p["videos"]] == made
    assert [v["duration"] for v in first["videos"]] == [1, 2] and third["next_page_token"] == ""
    assert ok(api, base, folder_id="abc")["videos"] == []             # zoomsim keeps no folders
    expect_error(api.get(base, params={"next_page_token": first["next_page_token"], "folder_id": "abc"}), 400, 300)


def test_video_metadata_update(clock: Admin, api: Api) -> None:
    clock.clock(now="2031-03-01T10:00:00Z")
    api.fetch_token()
    video_id = new_video(api)
    clock.clock(now="2031-03-02T10:00:00Z")
    api.fetch_token()
    r = api.patch(f"/zoom_events/videos/{video_id}/metadata",
                  json={"title": "Updated Keynote", "description": "Text.", "tags": ["AI", "Conference", "AI"]})
    assert r.status_code == 204, r.text
    meta = ok(api, f"/zoom_events/videos/{video_id}/metadata")
    assert meta == {"title": "Updated Keynote", "description": "Text.", "tags": ["AI", "Conference"], "duration": 90,
                    "video_created_at": "2031-03-01T10:00:00Z", "updated_at": "2031-03-02T10:00:00Z"}
    assert ok(api, f"/zoom_events/hubs/{hub_of(api)}/videos")["videos"][0]["name"] == "Updated Keynote"
    assert api.patch(f"/zoom_events/videos/{video_id}/metadata", json={"tags": []}).status_code == 204
    assert ok(api, f"/zoom_events/videos/{video_id}/metadata")["title"] == "Updated Keynote"


def test_video_metadata_errors(admin: Admin, api: Api) -> None:
    video_id = new_video(api)
    url = f"/zoom_events/videos/{video_id}/metadata"
    assert bad_fields(api.patch(url, json={"title": "  "})) == {"title"}
    assert bad_fields(api.patch(url, json={"title": "x" * 257})) == {"title"}
    assert bad_fields(api.patch(url, json={"tags": ["a"] * 21})) == {"tags"}
    assert bad_fields(api.patch(url, json={"tags": ["ok", " "]})) == {"tags[1]"}
    for r in (api.get("/zoom_events/videos/nope/metadata"), api.patch("/zoom_events/videos/nope/metadata", json={})):
        expect_error(r, 404, 261108, "Video/recording not found.")
    other = admin.tenant()
    for r in (other.get(url), other.patch(url, json={"title": "mine"})):
        expect_error(r, 404, 261108, "Video/recording not found.")
    member = admin.member(api, scopes=MEMBER_SCOPES)
    for r in (member.get(url), member.patch(url, json={"title": "mine"})):
        expect_error(r, 403, 261107, "Video access denied.")
    expect_error(member.get(f"/zoom_events/hubs/{hub_of(api)}/videos"), 403, 260101, "Hub access denied.")
    expect_error(other.get(f"/zoom_events/hubs/{hub_of(api)}/videos"), 404, 2001, "Hub not found.")
    assert ok(api, url)["title"] == "Keynote"


# ---- channels -------------------------------------------------------------------------------------

def test_channel_types_and_publishing(api: Api) -> None:
    hub_channel = new_channel(api, description="Past talks")
    assert hub_channel == {"channel_id": hub_channel["channel_id"], "name": "Replays", "description": "Past talks",
                           "type": "VIDEO_LIST_HUB", "status": "DRAFT", "is_published_to_hub": False}
    embedded = new_channel(api, "MULTI_VIDEO_EMBEDDED", name="Embed")
    assert embedded["status"] == "PUBLISHED" and "is_published_to_hub" not in embedded
    detail = ok(api, path(api, hub_channel))
    assert detail["settings"] == {"authentication_method": "zoom_account", "allow_domain_list": [],
                                  "allow_email_list": []}
    assert "channel_link" not in detail
    r = api.post(path(api, hub_channel, "/actions"), json={"operation": "publish"})
    assert r.status_code == 200 and r.json() == {"status": "published"}
    detail = ok(api, path(api, hub_channel))
    assert (detail["status"], detail["is_published_to_hub"]) == ("PUBLISHED", True)
    assert detail["channel_link"].endswith(f"/channels/{hub_channel['channel_id']}")
    assert api.post(path(api, hub_channel, "/actions"), json={"operation": "publish"}).json() == \
        {"status": "published"}
    assert bad_fields(api.post(path(api, hub_channel, "/actions"), json={"operation": "unpublish"})) == {"operation"}
    assert bad_fields(api.post(path(api, hub_channel, "/actions"), json={})) == {"operation"}
    em = ok(api, path(api, embedded))
    assert "settings" not in em and "embed_script" not in em
    add_videos(api, embedded, new_video(api))
    assert embedded["channel_id"] in ok(api, path(api, embedded))["embed_script"]


def test_channel_list_pages(api: Api) -> None:
    made = [new_channel(api, name=f"c{i}")["channel_id"] for i in range(3)]
    first = ok(api, channels_path(api), page_size=2)
    assert first["total_records"] == 3 and len(first["vod_channels"]) == 2
    rest = ok(api, channels_path(api), page_size=2, next_page_token=first["next_page_token"])
    assert [c["channel_id"] for c in first["vod_channels"] + rest["vod_channels"]] == made
    assert rest["next_page_token"] == ""


def test_channel_create_errors(api: Api) -> None:
    assert bad_fields(api.post(channels_path(api), json={"type": "VIDEO_LIST_HUB"})) == {"name"}
    assert bad_fields(api.post(channels_path(api), json={"name": " ", "type": "VIDEO_LIST_HUB"})) == {"name"}
    assert bad_fields(api.post(channels_path(api), json={"name": "x" * 76, "type": "VIDEO_LIST_HUB"})) == {"name"}
    assert bad_fields(api.post(channels_path(api), json={"name": "x", "type": "LIVE"})) == {"type"}
    expect_error(api.post("/zoom_events/hubs/nope/vod_channels", json={"name": "x", "type": "VIDEO_LIST_HUB"}),
                 404, 2001, "Hub not found.")
    assert ok(api, channels_path(api))["total_records"] == 0


def test_update_a_channel(api: Api) -> None:
    channel = new_channel(api)
    settings = {"authentication_method": "email_otp", "allow_domain_list": ["Example.com", "example.com"],
                "allow_email_list": ["Boss@corp.io"]}
    r = api.patch(path(api, channel), json={"name": "Renamed", "description": "New", "settings": settings})
    assert r.status_code == 204, r.text
    got = ok(api, path(api, channel))
    assert (got["name"], got["description"]) == ("Renamed", "New")
    assert got["settings"] == {"authentication_method": "email_otp", "allow_domain_list": ["example.com"],
                               "allow_email_list": ["boss@corp.io"]}
    assert api.patch(path(api, channel), json={"settings": {"allow_email_list": []}}).status_code == 204
    assert ok(api, path(api, channel))["settings"]["allow_domain_list"] == ["example.com"]
    assert bad_fields(api.patch(path(api, channel), json={"settings": {"authentication_method": "bypass_auth"}})) \
        == {"settings.allow_domain_list"}
    assert bad_fields(api.patch(path(api, channel), json={"settings": {"allow_domain_list": ["x" * 41 + ".com"]}})) \
        == {"settings.allow_domain_list[0]"}
    assert bad_fields(api.patch(path(api, channel), json={"settings": {"allow_email_list": ["nope"]}})) \
        == {"settings.allow_email_list[0]"}
    assert bad_fields(api.patch(path(api, channel), json={"name": ""})) == {"name"}
    embedded = new_channel(api, "SINGLE_VIDEO_EMBEDDED")
    assert bad_fields(api.patch(path(api, embedded), json={"settings": {"authentication_method": "zoom_account"}})) \
        == {"settings"}
    assert ok(api, path(api, channel))["name"] == "Renamed"


def test_delete_a_channel_and_what_it_holds(api: Api) -> None:
    channel = new_channel(api)
    video_id = new_video(api)
    add_videos(api, channel, video_id)
    assert register(api, channel, person()).status_code == 201
    assert api.delete(path(api, channel)).status_code == 204
    for r in (api.get(path(api, channel)), api.delete(path(api, channel)), api.get(path(api, channel, "/videos")),
              api.get(path(api, channel, "/registrations"))):
        expect_error(r, 404, NOT_FOUND)
    assert ok(api, channels_path(api))["total_records"] == 0
    assert ok(api, f"/zoom_events/videos/{video_id}/metadata")["title"]      # the hub video stays


def test_channel_errors_and_tenancy(admin: Admin, api: Api) -> None:
    channel = new_channel(api)
    other = admin.tenant()
    theirs = new_channel(other)
    calls = [lambda a, p: a.get(p), lambda a, p: a.patch(p, json={"name": "x"}), lambda a, p: a.delete(p),
             lambda a, p: a.post(p + "/actions", json={"operation": "publish"}), lambda a, p: a.get(p + "/videos"),
             lambda a, p: a.post(p + "/videos", json={"video_ids": ["v"], "name": "x", "type": "x"}),
             lambda a, p: a.delete(p + "/videos/v"), lambda a, p: a.get(p + "/registration_questions"),
             lambda a, p: a.put(p + "/registration_questions", json={}), lambda a, p: a.get(p + "/registrations"),
             lambda a, p: a.post(p + "/registrations", json={"registrations": [person()]}),
             lambda a, p: a.get(p + "/reports/registrations")]
    missing = f"{channels_path(api)}/nope"
    foreign_hub = f"/zoom_events/hubs/{hub_of(other)}/vod_channels/{theirs['channel_id']}"
    foreign_channel = f"{channels_path(api)}/{theirs['channel_id']}"
    member = admin.member(api, scopes=MEMBER_SCOPES + ["zoom_events_vod_registration:write",
                                                       "zoom_events_vod_reports:read"])
    for call in calls:
        # each operation's own wording: "VOD channel not found." or "VOD Channel not found."
        assert expect_error(call(api, missing), 404, NOT_FOUND)["message"].lower() == "vod channel not found."
        assert expect_error(call(api, foreign_channel), 404, NOT_FOUND)["message"].lower() == "vod channel not found."
        expect_error(call(api, foreign_hub), 404, 2001, "Hub not found.")
        expect_error(call(member, path(api, channel)), 403, 260101, "Hub access denied.")
    expect_error(member.get(channels_path(api)), 403, 260101, "Hub access denied.")
    expect_error(api.get(f"/zoom_events/hubs/{hub_of(other)}/vod_channels"), 404, 2001, "Hub not found.")
    assert ok(other, f"/zoom_events/hubs/{hub_of(other)}/vod_channels")["total_records"] == 1


def test_a_host_added_to_the_hub_runs_its_channels(admin: Admin, api: Api) -> None:
    channel = new_channel(api)
    member = admin.member(api, scopes=MEMBER_SCOPES)
    email = api.get(f"/users/{member.owner_id}").json()["email"]
    assert api.post(f"/zoom_events/hubs/{hub_of(api)}/hosts", json={"email": email}).status_code == 201
    assert ok(member, path(api, channel))["channel_id"] == channel["channel_id"]
    assert ok(member, channels_path(api))["total_records"] == 1


# ---- channel videos -------------------------------------------------------------------------------

def test_channel_videos(admin: Admin, api: Api) -> None:
    channel = new_channel(api)
    first, second = new_video(api, name="one.mp4"), new_video(api, seconds=200, name="two.mp4")
    other_video = new_video(admin.tenant())
    png = sent(api, PNG, "logo.png")["file_id"]
    errors = add_videos(api, channel, second, first, "nope", other_video, png, second)
    assert errors == [{"video_id": "nope", "message": "Video not found."},
                      {"video_id": other_video, "message": "Video not found."},
                      {"video_id": png, "message": "Video not found."}]
    assert add_videos(api, channel, first) == [{"video_id": first, "message": "Video already exists in the channel."}]
    listed = ok(api, path(api, channel, "/videos"))
    assert listed["total_records"] == 2 and [v["video_id"] for v in listed["videos"]] == [second, first]
    assert listed["videos"][0] == {"video_id": second, "name": "two", "status": "done", "duration": 3,
                                   "play_link": listed["videos"][0]["play_link"]}
    page = ok(api, path(api, channel, "/videos"), page_size=1)
    assert len(page["videos"]) == 1 and page["next_page_token"]
    assert api.delete(path(api, channel, f"/videos/{second}")).status_code == 204
    expect_error(api.delete(path(api, channel, f"/videos/{second}")), 404, 261102, "Video not found.")
    assert [v["video_id"] for v in ok(api, path(api, channel, "/videos"))["videos"]] == [first]
    assert bad_fields(api.post(path(api, channel, "/videos"), json={"video_ids": [], "name": "x", "type": "x"})) \
        == {"video_ids"}
    assert bad_fields(api.post(path(api, channel, "/videos"),
                               json={"video_ids": ["v"] * 31, "name": "x", "type": "x"})) == {"video_ids"}


def test_a_single_video_channel_shows_one_video(api: Api) -> None:
    channel = new_channel(api, "SINGLE_VIDEO_EMBEDDED")
    a, b = new_video(api), new_video(api)
    assert add_videos(api, channel, a, b) == [{"video_id": b, "message": "A single video embedded channel can hold "
                                                                         "only one video."}]
    assert [v["video_id"] for v in ok(api, path(api, channel, "/videos"))["videos"]] == [a]


def test_video_ids_alone_add_videos(api: Api) -> None:
    channel = new_channel(api)
    r = api.post(path(api, channel, "/videos"), json={"video_ids": [new_video(api)]})
    assert r.status_code == 201, r.text


# ---- registration questions and registrations ------------------------------------------------------

QUESTIONS = {"questions": [{"field_name": "first_name", "required": True},
                           {"field_name": "country", "required": False, "title": "Where?"}],
             "custom_questions": [{"title": "Role", "type": "single_radio", "answers": ["Dev", "PM"], "required": True},
                                  {"title": "Why", "type": "short_answer", "required": False, "max_length": 20}]}


def test_registration_questions(api: Api) -> None:
    channel = new_channel(api)
    standing = ok(api, path(api, channel, "/registration_questions"))
    assert [(q["field_name"], q["required"]) for q in standing["questions"]] == [("first_name", True),
                                                                               ("last_name", True)]
    assert standing == ok(api, path(api, channel, "/registration_questions"))     # stable ids
    r = api.put(path(api, channel, "/registration_questions"), json=QUESTIONS)
    assert r.status_code == 204, r.text
    got = ok(api, path(api, channel, "/registration_questions"))
    assert [(q["field_name"], q["title"]) for q in got["questions"]] == [("first_name", "First Name"),
                                                                        ("country", "Where?")]
    role, why = got["custom_questions"]
    assert role["answers"] == ["Dev", "PM"] and "min_length" not in role
    assert (why["min_length"], why["max_length"], why["type"]) == (0, 20, "short_answer")
    assert api.put(path(api, channel, "/registration_questions"), json={"custom_questions": []}).status_code == 204
    assert ok(api, path(api, channel, "/registration_questions"))["questions"] == got["questions"]


@pytest.mark.parametrize("body, field", [
    ({"questions": [{"field_name": "city"}, {"field_name": "city"}]}, "questions[1].field_name"),
    ({"questions": [{"field_name": "shoe_size"}]}, "questions[0].field_name"),
    ({"custom_questions": [{"title": "", "type": "short_answer"}]}, "custom_questions[0].title"),
    ({"custom_questions": [{"title": "A", "type": "long_answer"}, {"title": "a", "type": "long_answer"}]},
     "custom_questions[1].title"),
    ({"custom_questions": [{"title": "A", "type": "short_answer", "answers": ["x"]}]}, "custom_questions[0].answers"),
    ({"custom_questions": [{"title": "A", "type": "multiple_choice"}]}, "custom_questions[0].answers"),
    ({"custom_questions": [{"title": "A", "type": "single_dropdown", "answers": ["x", "x"]}]},
     "custom_questions[0].answers"),
    ({"custom_questions": [{"title": "A", "type": "short_answer", "max_length": 501}]},
     "custom_questions[0].max_length"),
    ({"custom_questions": [{"title": "A", "type": "long_answer", "min_length": 30, "max_length": 20}]},
     "custom_questions[0].max_length"),
])
def test_registration_question_errors(api: Api, body: dict[str, Any], field: str) -> None:
    channel = new_channel(api)
    before = ok(api, path(api, channel, "/registration_questions"))
    assert field in bad_fields(api.put(path(api, channel, "/registration_questions"), json=body))
    assert ok(api, path(api, channel, "/registration_questions")) == before


def test_registrations(api: Api) -> None:
    channel = new_channel(api)
    api.put(path(api, channel, "/registration_questions"), json=QUESTIONS)
    ana = person(email="Ana@Example.com", country="us",
                 custom_questions=[{"title": "role", "answer": "Dev"}, {"title": "Why", "answer": "To learn"}])
    bo = person(custom_questions=[{"title": "Role", "answer": "PM"}])
    r = register(api, channel, ana, bo)
    assert r.status_code == 201, r.text
    made = r.json()["registrations"]
    assert [m["email"] for m in made] == ["ana@example.com", bo["email"]]
    assert all(len(m["registration_id"]) == 22 and m["registration_id"] in m["join_link"] for m in made)
    again = register(api, channel, {**ana, "email": "ANA@example.com"}).json()["registrations"]
    assert again == made[:1]                                  # an address registers once
    listed = ok(api, path(api, channel, "/registrations"))
    assert listed["total_records"] == 2
    first = listed["registrations"][0]
    assert (first["country"], first["authentication_method"], first["first_name"]) == ("US", "zoom_account", "Jill")
    assert first["custom_questions"] == [{"title": "Role", "answer": "Dev"}, {"title": "Why", "answer": "To learn"}]
    one = ok(api, path(api, channel, "/registrations"), email="ana@EXAMPLE.com")
    assert one["total_records"] == 1 and one["registrations"][0]["registration_id"] == made[0]["registration_id"]
    assert ok(api, path(api, channel, "/registrations"), email="nobody@example.com")["registrations"] == []
    page = ok(api, path(api, channel, "/registrations"), page_size=1)
    rest = ok(api, path(api, channel, "/registrations"), page_size=1, next_page_token=page["next_page_token"])
    assert [r["email"] for r in page["registrations"] + rest["registrations"]] == ["ana@example.com", bo["email"]]


@pytest.mark.parametrize("entry, field", [
    ({"first_name": ""}, "registrations[0].first_name"),
    ({"email": "not-an-address"}, "registrations[0].email"),
    ({"custom_questions": []}, "registrations[0].custom_questions"),
    ({"custom_questions": [{"title": "Role", "answer": "CEO"}]}, "registrations[0].custom_questions[0].answer"),
    ({"custom_questions": [{"title": "Role", "answer": "Dev"}, {"title": "Shoe", "answer": "9"}]},
     "registrations[0].custom_questions[1].title"),
    ({"custom_questions": [{"title": "Role", "answer": "Dev"}, {"title": "Why", "answer": "x" * 21}]},
     "registrations[0].custom_questions[1].answer"),
    ({"country": "USA", "custom_questions": [{"title": "Role", "answer": "Dev"}]}, "registrations[0].country"),
])
def test_registration_errors_write_nothing(api: Api, entry: dict[str, Any], field: str) -> None:
    channel = new_channel(api)
    api.put(path(api, channel, "/registration_questions"), json=QUESTIONS)
    good = person(custom_questions=[{"title": "Role", "answer": "PM"}])
    bad = {**person(custom_questions=[{"title": "Role", "answer": "Dev"}]), **entry}
    r = register(api, channel, bad, good)
    assert field in bad_fields(r)
    assert ok(api, path(api, channel, "/registrations"))["total_records"] == 0


def test_registration_limits_and_allow_lists(api: Api) -> None:
    channel = new_channel(api)
    assert bad_fields(register(api, channel)) == {"registrations"}
    assert bad_fields(register(api, channel, *[person() for _ in range(31)])) == {"registrations"}
    api.patch(path(api, channel), json={"settings": {"allow_domain_list": ["corp.io"],
                                                     "allow_email_list": ["guest@example.com"]}})
    assert bad_fields(register(api, channel, person(email="x@elsewhere.com"))) == {"registrations[0].email"}
    assert register(api, channel, person(email="a@corp.io"), person(email="guest@example.com")).status_code == 201
    embedded = new_channel(api, "MULTI_VIDEO_EMBEDDED")
    register(api, embedded, person())
    assert ok(api, path(api, embedded, "/registrations"))["registrations"][0]["authentication_method"] == "no_auth"


def test_the_registrations_report_reads_what_is_stored(api: Api) -> None:
    channel = new_channel(api)
    api.put(path(api, channel, "/registration_questions"), json=QUESTIONS)
    api.patch(path(api, channel), json={"settings": {"authentication_method": "email_otp"}})
    url = path(api, channel, "/reports/registrations")
    assert ok(api, url) == {"total_records": 0, "next_page_token": "", "registrations": []}
    register(api, channel, person(email="ana@example.com", country="DE", custom_questions=[{"title": "Role",
                                                                                             "answer": "PM"}]))
    register(api, channel, person(custom_questions=[{"title": "Role", "answer": "Dev"}]))
    report = ok(api, url)
    assert report["total_records"] == 2
    first = report["registrations"][0]
    assert first == {"email": "ana@example.com", "first_name": "Jill", "last_name": "Chill",
                     "authentication_method": "email_opt", "video_watch_duration": [],
                     "questions": [{"title": "Where?", "answer": "DE"}, {"title": "Role", "answer": "PM"}]}
    page = ok(api, url, page_size=1)
    assert len(page["registrations"]) == 1 and page["next_page_token"]

