"""Zoom Events speakers over HTTP: create (defaults, required name), list, get, update, delete;
e-mail unique among an event's speakers (1003), the speaker cap (3002), speaker not found (2005),
a speaker who is also a session's panelist (1005), tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_events import made


def speakers_path(event_id: str) -> str:
    return f"/zoom_events/events/{event_id}/speakers"


def add_speaker(api: Api, event_id: str, **body: Any) -> dict[str, Any]:
    body.setdefault("name", "Ana Speaker")
    r = api.post(speakers_path(event_id), json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def speakers(api: Api, event_id: str) -> list[dict[str, Any]]:
    r = api.get(speakers_path(event_id))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["speakers"])
    return body["speakers"]  # type: ignore[no-any-return]


def test_create_get_list_a_speaker_with_defaults(api: Api) -> None:
    event_id = made(api)["event_id"]
    body = add_speaker(api, event_id, email="Ana@Example.com", job_title="CTO", featured_in_lobby=True)
    assert len(body["speaker_id"]) == 22
    assert (body["name"], body["email"], body["job_title"], body["biography"]) == \
        ("Ana Speaker", "ana@example.com", "CTO", "")
    assert (body["visible_in_lobby"], body["visible_in_event_detail_page"], body["featured_in_lobby"],
            body["featured_in_event_detail_page"]) == (True, True, True, False)
    got = api.get(f"{speakers_path(event_id)}/{body['speaker_id']}")
    assert got.status_code == 200 and got.json() == body
    second = add_speaker(api, event_id, name="Bo")          # no e-mail: nothing to clash with
    third = add_speaker(api, event_id, name="Cy")
    assert speakers(api, event_id) == [body, second, third]


def test_required_and_malformed_fields(api: Api) -> None:
    event_id = made(api)["event_id"]
    assert bad_fields(api.post(speakers_path(event_id), json={})) == {"name"}
    assert bad_fields(api.post(speakers_path(event_id), json={"name": "  "})) == {"name"}
    assert bad_fields(api.post(speakers_path(event_id), json={"name": "A", "email": "nope"})) == {"email"}
    assert bad_fields(api.post(speakers_path(event_id), json={"name": "A", "visible_in_lobby": "yes"})) == \
        {"visible_in_lobby"}
    assert speakers(api, event_id) == []


def test_an_email_is_one_speakers_per_event(api: Api) -> None:
    event_id = made(api)["event_id"]
    first = add_speaker(api, event_id, email="ana@example.com")
    taken = "The email address has already been used by another speaker."
    expect_error(api.post(speakers_path(event_id), json={"name": "B", "email": "ANA@example.com"}), 400, 1003, taken)
    other = add_speaker(api, event_id, name="Bo", email="bo@example.com")
    r = api.patch(f"{speakers_path(event_id)}/{other['speaker_id']}", json={"email": "ana@example.com"})
    expect_error(r, 400, 1003, taken)
    # the same address in another event, and a speaker keeping its own address, are fine
    add_speaker(api, made(api)["event_id"], email="ana@example.com")
    r = api.patch(f"{speakers_path(event_id)}/{first['speaker_id']}", json={"email": "ana@example.com", "name": "A"})
    assert r.status_code == 204, r.text


def test_update_changes_only_what_is_given(api: Api) -> None:
    event_id = made(api)["event_id"]
    body = add_speaker(api, event_id, email="ana@example.com", company_name="Acme")
    path = f"{speakers_path(event_id)}/{body['speaker_id']}"
    r = api.patch(path, json={"job_title": "CEO", "visible_in_lobby": False})
    assert r.status_code == 204 and r.content == b""
    got = api.get(path).json()
    assert got == {**body, "job_title": "CEO", "visible_in_lobby": False}
    assert bad_fields(api.patch(path, json={"name": ""})) == {"name"}
    assert bad_fields(api.patch(path, json={"email": "x@"})) == {"email"}
    assert api.get(path).json() == got                      # nothing half-written


def test_delete_and_not_found(api: Api) -> None:
    event_id = made(api)["event_id"]
    body = add_speaker(api, event_id, email="ana@example.com")
    path = f"{speakers_path(event_id)}/{body['speaker_id']}"
    assert api.delete(path).status_code == 204
    assert speakers(api, event_id) == []
    expect_error(api.get(path), 404, 2005, "Speaker not found.")
    expect_error(api.patch(path, json={"name": "B"}), 403, 2005, "Speaker not found.")
    expect_error(api.delete(path), 403, 2005, "Speaker not found.")
    add_speaker(api, event_id, email="ana@example.com")     # the address is free again
    # a speaker of another event is not this event's
    elsewhere = add_speaker(api, made(api)["event_id"])
    expect_error(api.get(f"{speakers_path(event_id)}/{elsewhere['speaker_id']}"), 404, 2005)


def test_the_speaker_cap(api: Api) -> None:
    event_id = made(api)["event_id"]
    for i in range(300):
        r = api.post(speakers_path(event_id), json={"name": f"S{i}"})
        assert r.status_code == 201, r.text
    expect_error(api.post(speakers_path(event_id), json={"name": "one too many"}), 403, 3002,
                 "You have exceeded the maximum speaker capacity.")
    assert len(speakers(api, event_id)) == 300


def test_a_sessions_speaker_may_not_be_its_panelist(api: Api) -> None:
    from test_events_sessions import added, conference

    event_id = conference(api)
    speaker = add_speaker(api, event_id, email="ana@example.com")
    session = added(api, event_id, panelist=["pan@example.com"])
    r = api.patch(f"/zoom_events/events/{event_id}/sessions/{session['session_id']}",
                  json={"session_speakers": [{"speaker_id": speaker["speaker_id"]}]})
    assert r.status_code == 204, r.text
    two_roles = ("The same person has been assigned multiple roles. A user is not allowed to hold multiple roles "
                 "in the same session.")
    expect_error(api.patch(f"{speakers_path(event_id)}/{speaker['speaker_id']}", json={"email": "pan@example.com"}),
                 400, 1005, two_roles)
    assert api.get(f"{speakers_path(event_id)}/{speaker['speaker_id']}").json()["email"] == "ana@example.com"
    # deleting the speaker takes them off the session
    assert api.delete(f"{speakers_path(event_id)}/{speaker['speaker_id']}").status_code == 204
    got = api.get(f"/zoom_events/events/{event_id}/sessions/{session['session_id']}").json()
    assert got["session_speakers"] == []


def test_another_accounts_event_is_not_found(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    body = add_speaker(api, event_id)
    other = admin.tenant()
    path = f"{speakers_path(event_id)}/{body['speaker_id']}"
    for r in (other.get(speakers_path(event_id)), other.post(speakers_path(event_id), json={"name": "X"}),
              other.get(path), other.patch(path, json={"name": "X"}), other.delete(path),
              api.get(speakers_path("nosuchevent0000000000a"))):
        expect_error(r, 404, 2002, "Event not found.")
    assert speakers(api, event_id) == [body]


def test_another_hosts_event_without_admin_scope_is_denied(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    member = admin.member(api, scopes=["zoom_events_speakers:read", "zoom_events_speakers:write"])
    expect_error(member.get(speakers_path(event_id)), 403, 260200, "Event access denied.")
    expect_error(member.post(speakers_path(event_id), json={"name": "X"}), 403, 260200)


def test_values_longer_than_their_column_are_refused(api: Api) -> None:
    event_id = made(api)["event_id"]
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".com"
    assert len(email) > 255
    assert bad_fields(api.post(speakers_path(event_id), json={"name": "A", "email": email})) == {"email"}
    body = add_speaker(api, event_id, name="x" * 5000, biography="y" * 20000)     # documents hold any length
    assert api.get(f"{speakers_path(event_id)}/{body['speaker_id']}").json()["name"] == "x" * 5000
    assert bad_fields(api.patch(f"{speakers_path(event_id)}/{body['speaker_id']}", json={"email": email})) == \
        {"email"}
