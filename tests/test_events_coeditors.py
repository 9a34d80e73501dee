"""Zoom Events co-editors over HTTP: add, update and delete in batches with per-address errors
(partial success), who is eligible (an active user of the account, not the host), the cap of 3,
the required operation, tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error, unique_email
from test_events_events import made

NOT_ELIGIBLE = "User not elgible for co-editor."


def path(event_id: str) -> str:
    return f"/zoom_events/events/{event_id}/coeditors"


def colleague(admin: Admin, api: Api) -> str:
    email = unique_email("coeditor")
    admin.call("POST", f"/accounts/{api.account_id}/users", {"email": email})
    return email


def act(api: Api, event_id: str, operation: str, *entries: dict[str, Any]) -> list[dict[str, str]]:
    r = api.patch(path(event_id), json={"operation": operation, "coeditors": list(entries)})
    assert r.status_code == 201, r.text
    return r.json()["errors"]  # type: ignore[no-any-return]


def listed(api: Api, event_id: str) -> list[dict[str, Any]]:
    r = api.get(path(event_id))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["coeditors"])
    return body["coeditors"]  # type: ignore[no-any-return]


def test_add_update_delete_coeditors(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    ana, bo = colleague(admin, api), colleague(admin, api)
    assert listed(api, event_id) == []
    assert act(api, event_id, "add", {"email": ana.upper(), "permission_groups": ["Email", "Publish", "Email"]},
               {"email": bo}) == []
    assert listed(api, event_id) == [
        {"email": ana, "permission_groups": ["Publish", "Email"]},
        {"email": bo, "permission_groups": ["Publish", "EventConfiguration", "EventBranding", "Registration & Join",
                                            "Venue", "EventExperience", "EventPlanning", "SpecialRole", "PostEvent",
                                            "Analytics", "Email", "Integrations"]}]
    assert act(api, event_id, "update", {"email": bo, "permission_groups": ["Analytics"]}) == []
    assert listed(api, event_id)[1] == {"email": bo, "permission_groups": ["Analytics"]}
    assert act(api, event_id, "delete", {"email": ana}) == []
    assert [c["email"] for c in listed(api, event_id)] == [bo]


def test_a_batch_is_a_partial_success(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    ana, owner = colleague(admin, api), api.get("/users/me").json()["email"]
    errors = act(api, event_id, "add", {"email": ana}, {"email": "stranger@nowhere.example"}, {"email": owner})
    assert errors == [{"email": "stranger@nowhere.example", "message": NOT_ELIGIBLE},
                      {"email": owner, "message": NOT_ELIGIBLE}]
    assert act(api, event_id, "add", {"email": ana}) == [
        {"email": ana, "message": "User is already a co-editor of the event."}]
    assert act(api, event_id, "update", {"email": "nobody@nowhere.example"}) == [
        {"email": "nobody@nowhere.example", "message": "User is not a co-editor of the event."}]
    assert bad_fields(api.patch(path(event_id), json={"operation": "delete", "coeditors": [{"email": "nope"}]})) == \
        {"coeditors[0].email"}
    assert [c["email"] for c in listed(api, event_id)] == [ana]


def test_at_most_three_coeditors(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    emails = [colleague(admin, api) for _ in range(4)]
    assert act(api, event_id, "add", *({"email": e} for e in emails[:3])) == []
    assert act(api, event_id, "add", {"email": emails[3]}) == [
        {"email": emails[3], "message": "An event can have at most 3 co-editors."}]
    assert act(api, event_id, "delete", {"email": emails[0]}) == []
    assert act(api, event_id, "add", {"email": emails[3]}) == []


def test_operation_and_coeditors_are_required(api: Api) -> None:
    event_id = made(api)["event_id"]
    assert bad_fields(api.patch(path(event_id), json={"coeditors": [{"email": "a@b.example"}]})) == {"operation"}
    assert bad_fields(api.patch(path(event_id), json={"operation": "promote", "coeditors": []})) == {"operation"}
    assert bad_fields(api.patch(path(event_id), json={"operation": "add"})) == {"coeditors"}
    assert "coeditors" in bad_fields(api.patch(path(event_id), json={
        "operation": "add", "coeditors": [{"email": f"{i}@b.example"} for i in range(4)]}))   # maxItems 3


def test_another_accounts_event_is_not_found(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    other = admin.tenant()
    expect_error(other.get(path(event_id)), 404, 2002, "Event not found.")
    expect_error(other.patch(path(event_id), json={"operation": "add", "coeditors": [{"email": "a@b.example"}]}),
                 404, 2002, "Event not found.")
    member = admin.member(api, scopes=["zoom_events_coeditors:read", "zoom_events_coeditor:write"])
    expect_error(member.get(path(event_id)), 403, 260200, "Event access denied.")
    expect_error(member.patch(path(event_id), json={"operation": "add", "coeditors": [{"email": "a@b.example"}]}),
                 403, 260200)


def test_a_coeditor_works_on_the_event_within_their_groups(admin: Admin, api: Api) -> None:
    """A co-editor (a member with user-level scopes) reads the event and changes what their
    permission groups cover; the rest, and managing co-editors, is 260200."""
    event_id = made(api, event_type="CONFERENCE", meeting_type=None)["event_id"]
    email = unique_email("coeditor")
    member = admin.member(api, email=email, scopes=["zoom_events_basic:read", "zoom_events_basic:write",
                                                    "zoom_events_speakers:write", "zoom_events_reports:read",
                                                    "zoom_events_coeditor:write"])
    base = f"/zoom_events/events/{event_id}"
    expect_error(member.get(base), 403, 260200)                   # not yet a co-editor
    assert act(api, event_id, "add", {"email": email, "permission_groups": ["EventPlanning"]}) == []
    assert member.get(base).status_code == 200
    speaker = {"name": "Sam", "email": unique_email("speaker")}
    assert member.post(f"{base}/speakers", json=speaker).status_code == 201
    expect_error(member.patch(base, json={"name": "Renamed"}), 403, 260200)       # EventConfiguration
    expect_error(member.get(f"{base}/reports/event_attendance"), 403, 260200)     # Analytics
    expect_error(member.patch(path(event_id), json={"operation": "delete", "coeditors": [{"email": email}]}),
                 403, 260200)
    assert act(api, event_id, "update", {"email": email, "permission_groups": ["EventConfiguration"]}) == []
    assert member.patch(base, json={"name": "Renamed"}).status_code == 204
    expect_error(member.delete(base), 403, 260200)                 # deleting stays with the host
    assert api.get(base).json()["name"] == "Renamed"
