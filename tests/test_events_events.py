"""Zoom Events events over HTTP: create (each event type, required fields, calendar and hub
rules), get, list (filters and next_page_token pages), update, delete, tenancy and access
(both backends)."""
from __future__ import annotations

from typing import Any

import pytest
from support import Admin, Api, bad_fields, expect_error

FUTURE = [{"start_time": "2031-07-28T13:00:00Z", "end_time": "2031-07-28T15:00:00Z"}]


def hub_of(api: Api) -> str:
    r = api.get("/zoom_events/hubs")
    assert r.status_code == 200, r.text
    return r.json()["hubs"][0]["hub_id"]


def event_body(api: Api, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Launch", "description": "Our launch", "timezone": "America/New_York",
                            "event_type": "SIMPLE_EVENT", "meeting_type": "MEETING", "access_level": "PUBLIC",
                            "attendance_type": "virtual", "hub_id": hub_of(api), "calendar": FUTURE}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def made(api: Api, **over: Any) -> dict[str, Any]:
    r = api.post("/zoom_events/events", json=event_body(api, **over))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def fetched(api: Api, event_id: str) -> dict[str, Any]:
    r = api.get(f"/zoom_events/events/{event_id}")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def listed(api: Api, **params: Any) -> dict[str, Any]:
    r = api.get("/zoom_events/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def act(api: Api, event_id: str, **body: Any) -> Any:
    return api.post(f"/zoom_events/events/{event_id}/event_actions", json=body)


# ---- create / get ---------------------------------------------------------------------------

def test_create_a_simple_event_and_get_it(api: Api) -> None:
    body = made(api, tags=["launch"], categories=["Business & Networking"], blocked_countries=["us"],
                contact_name="Ana", tagline="Big day")
    assert len(body["event_id"]) == 22
    assert (body["status"], body["event_type"], body["meeting_type"]) == ("DRAFT", "SIMPLE_EVENT", "MEETING")
    assert (body["start_time"], body["end_time"]) == ("2031-07-28T13:00:00Z", "2031-07-28T15:00:00Z")
    assert body["blocked_countries"] == ["US"] and body["tags"] == ["launch"]
    assert body["event_url"].endswith(f"/ev/{body['event_id']}")
    got = fetched(api, body["event_id"])
    assert got["host_id"] == api.owner_id and "@" in got["contact_email"]
    assert {k: got[k] for k in body} == body


def test_calendar_entries_are_sorted_and_span_the_event(api: Api) -> None:
    cal = [{"start_time": "2031-07-30T13:00:00Z", "end_time": "2031-07-30T15:00:00Z"},
           {"start_time": "2031-07-28T13:00:00Z", "end_time": "2031-07-28T15:00:00Z"}]
    body = made(api, event_type="CONFERENCE", meeting_type=None, calendar=cal)
    assert body["calendar"] == sorted(cal, key=lambda e: e["start_time"])
    assert (body["start_time"], body["end_time"]) == ("2031-07-28T13:00:00Z", "2031-07-30T15:00:00Z")
    assert "meeting_type" not in body


def test_a_recurring_event_ends_with_its_last_occurrence(api: Api) -> None:
    rule = {"type": 2, "repeat_interval": 1, "weekly_days": [2, 4], "end_times": 4, "duration": 60}
    body = made(api, event_type="RECURRING", meeting_type="WEBINAR", recurrence=rule,
                calendar=[{"start_time": "2031-07-28T13:00:00Z", "end_time": "2031-07-28T14:00:00Z"}])
    assert body["recurrence"]["weekly_days"] == [2, 4]          # create answers lists ...
    got = fetched(api, body["event_id"])
    assert got["recurrence"]["weekly_days"] == "2,4"            # ... get Zoom's comma-separated string
    assert got["end_time"] == "2031-08-06T14:00:00Z"           # Mon 28, Wed 30, Mon 4, Wed 6


@pytest.mark.parametrize("rule, field", [
    ({"type": 1, "repeat_interval": 91}, "recurrence.repeat_interval"),
    ({"type": 2, "repeat_interval": 13}, "recurrence.repeat_interval"),
    ({"type": 3, "repeat_interval": 4}, "recurrence.repeat_interval"),
    ({"type": 2, "weekly_days": [8]}, "recurrence.weekly_days[0]"),         # the schema's enum
    ({"type": 3, "monthly_week": 1}, "recurrence.monthly_week_day"),
    ({"type": 1, "end_date_time": "2031-07-01T00:00:00Z"}, "recurrence.end_date_time"),   # before it starts
])
def test_recurrence_limits(api: Api, rule: dict[str, Any], field: str) -> None:
    r = api.post("/zoom_events/events", json=event_body(api, event_type="RECURRING", recurrence=rule))
    assert field in bad_fields(r)


def test_required_fields(api: Api) -> None:
    r = api.post("/zoom_events/events", json={})
    assert bad_fields(r) == {"access_level", "attendance_type", "description", "event_type", "hub_id", "name",
                             "timezone"}
    assert "meeting_type" in bad_fields(api.post("/zoom_events/events", json=event_body(api, meeting_type=None)))
    assert "recurrence" in bad_fields(api.post("/zoom_events/events", json=event_body(api, event_type="RECURRING")))
    assert "timezone" in bad_fields(api.post("/zoom_events/events", json=event_body(api, timezone="Mars/Base")))
    assert "access_level" in bad_fields(api.post("/zoom_events/events", json=event_body(api, access_level="x")))
    assert "categories" in bad_fields(api.post("/zoom_events/events", json=event_body(api, categories=["Golf"])))
    assert "calendar[0].start_time" in bad_fields(api.post("/zoom_events/events", json=event_body(
        api, calendar=[{"start_time": "soon", "end_time": "2031-07-28T15:00:00Z"}])))


def test_calendar_rules(api: Api) -> None:
    def create(cal: Any) -> Any:
        return api.post("/zoom_events/events", json=event_body(api, calendar=cal))

    expect_error(create([]), 400, 26204, "Calender must contains start_time and end_time.")
    expect_error(create(None), 400, 26204)
    expect_error(create([{"start_time": "2031-07-28T15:00:00Z", "end_time": "2031-07-28T15:00:00Z"}]), 400, 26203,
                 "Event end_time must be after event start_time.")
    expect_error(create([{"start_time": "2031-07-01T15:00:00Z", "end_time": "2031-07-08T15:00:00Z"}]), 400, 26202,
                 "Event schedule cannot be more than 6 days.")


def test_hub_rules(admin: Admin, api: Api) -> None:
    other = admin.tenant()
    r = api.post("/zoom_events/events", json=event_body(api, hub_id=hub_of(other)))
    expect_error(r, 403, 26201, "No permission to create the event under the hub ID.")
    expect_error(api.post("/zoom_events/events", json=event_body(api, hub_id="nope")), 403, 26201)
    plus = admin.tenant(licences={"zoom_events": False, "webinars_plus": True})
    r = plus.post("/zoom_events/events", json=event_body(plus, event_type="CONFERENCE"))
    expect_error(r, 400, 260207, "Hub is not supported for conference type events.")
    assert plus.post("/zoom_events/events", json=event_body(plus)).status_code == 201


def test_a_member_who_is_not_a_hub_host_cannot_create(admin: Admin, api: Api) -> None:
    member = admin.member(api, scopes=["zoom_events_basic:write", "zoom_events_basic:read"])
    expect_error(member.post("/zoom_events/events", json=event_body(api)), 403, 26201)


# ---- tenancy and access ---------------------------------------------------------------------

def test_another_accounts_event_is_not_found(admin: Admin, api: Api) -> None:
    event = made(api)
    other = admin.tenant()
    path = f"/zoom_events/events/{event['event_id']}"
    for r in (other.get(path), other.patch(path, json={"name": "x"}), other.delete(path),
              act(other, event["event_id"], operation="publish"), other.get(path + "/sessions")):
        expect_error(r, 404, 2002, "Event not found.")
    expect_error(api.get("/zoom_events/events/missing"), 404, 2002)
    assert fetched(api, event["event_id"])["name"] == "Launch"


def test_another_hosts_event_without_admin_scope_is_access_denied(admin: Admin, api: Api) -> None:
    event = made(api)
    member = admin.member(api, scopes=["zoom_events_basic:write", "zoom_events_basic:read"])
    path = f"/zoom_events/events/{event['event_id']}"
    expect_error(member.get(path), 403, 260200, "Event access denied.")
    expect_error(member.patch(path, json={"name": "x"}), 403, 260200)
    expect_error(member.delete(path), 403, 260200)


# ---- list -----------------------------------------------------------------------------------

def test_list_by_role_and_status(api: Api) -> None:
    draft = made(api, name="Draft one")
    live = made(api, name="Live one")
    assert act(api, live["event_id"], operation="publish").status_code == 201
    cancelled = made(api, name="Gone")
    act(api, cancelled["event_id"], operation="publish")
    act(api, cancelled["event_id"], operation="cancel")

    def ids(**params: Any) -> list[str]:
        body = listed(api, role_type="host", **params)
        assert body["total_records"] == len(body["events"])
        return [e["event_id"] for e in body["events"]]

    assert ids(event_status_type="draft") == [draft["event_id"]]
    assert ids() == [live["event_id"]]                          # upcoming by default
    assert ids(event_status_type="cancelled") == [cancelled["event_id"]]
    assert ids(event_status_type="past") == []
    assert listed(api)["events"] == []                          # attendee by default: no tickets held
    assert "host_id" not in listed(api, role_type="host")["events"][0]


def test_past_events(clock: Admin, api: Api) -> None:
    event = made(api)
    act(api, event["event_id"], operation="publish")
    clock.clock(now="2031-07-29T00:00:00Z")
    api.fetch_token()
    assert [e["event_id"] for e in listed(api, role_type="host", event_status_type="past")["events"]] == \
        [event["event_id"]]
    assert listed(api, role_type="host")["events"] == []
    r = api.patch(f"/zoom_events/events/{event['event_id']}", json={"name": "Again"})
    expect_error(r, 400, 260210, "Past and cancelled events not editable.")


def test_list_pages(api: Api) -> None:
    made_ids = [made(api, name=f"E{i}")["event_id"] for i in range(5)]
    first = listed(api, role_type="host", event_status_type="draft", page_size=2)
    assert first["total_records"] == 5 and len(first["events"]) == 2 and first["next_page_token"]
    seen = [e["event_id"] for e in first["events"]]
    token = first["next_page_token"]
    while token:
        page = listed(api, role_type="host", event_status_type="draft", page_size=2, next_page_token=token)
        seen += [e["event_id"] for e in page["events"]]
        token = page["next_page_token"]
    assert seen == made_ids
    r = api.get("/zoom_events/events", params={"role_type": "host", "event_status_type": "upcoming",
                                               "next_page_token": first["next_page_token"]})
    expect_error(r, 400, 300)                   # a token belongs to its filters
    expect_error(api.get("/zoom_events/events", params={"next_page_token": "junk"}), 400, 300)
    expect_error(api.get("/zoom_events/events", params={"event_status_type": "soon"}), 400, 300)


# ---- update / delete ------------------------------------------------------------------------

def test_update(api: Api) -> None:
    event = made(api)
    path = f"/zoom_events/events/{event['event_id']}"
    cal = [{"start_time": "2031-08-01T10:00:00Z", "end_time": "2031-08-01T12:00:00Z"}]
    r = api.patch(path, json={"name": "Renamed", "calendar": cal, "tags": ["a", "b"], "meeting_type": "WEBINAR"})
    assert r.status_code == 204, r.text
    got = fetched(api, event["event_id"])
    assert (got["name"], got["start_time"], got["tags"]) == ("Renamed", "2031-08-01T10:00:00Z", ["a", "b"])
    assert got["meeting_type"] == "MEETING"      # the session API changes a session's type
    (session,) = api.get(path + "/sessions").json()["sessions"]
    assert (session["name"], session["start_time"], session["end_time"]) == \
        ("Renamed", "2031-08-01T10:00:00Z", "2031-08-01T12:00:00Z")
    expect_error(api.patch(path, json={"calendar": []}), 400, 26204)
    assert "event_type" in bad_fields(api.patch(path, json={"event_type": "CONFERENCE"}))


def test_cancelled_events_cannot_be_updated(api: Api) -> None:
    event = made(api)
    act(api, event["event_id"], operation="publish")
    act(api, event["event_id"], operation="cancel")
    r = api.patch(f"/zoom_events/events/{event['event_id']}", json={"name": "Back"})
    expect_error(r, 400, 260210)


def test_only_drafts_can_be_deleted(api: Api) -> None:
    draft, live = made(api), made(api)
    act(api, live["event_id"], operation="publish")
    assert api.delete(f"/zoom_events/events/{draft['event_id']}").status_code == 204
    expect_error(api.get(f"/zoom_events/events/{draft['event_id']}"), 404, 2002)
    expect_error(api.delete(f"/zoom_events/events/{live['event_id']}"), 400, 300)
