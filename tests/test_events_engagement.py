"""Zoom Events attendee engagement over HTTP: one attendee's certification progress per session
of a hub's events, from what the simulation recorded (time in the session, poll answers);
event scoping, the caller as the default attendee, paging, 2001/2002 and tenancy (both
backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, expect_error, freeze
from test_events_actions import sessions
from test_events_events import hub_of
from test_events_reports import ANN, CY, NOW, ran_conference
from test_events_sessions import added, conference
from test_events_tickets import publish
from test_webinar_simulation import join, step


def engagement(api: Api, hub_id: str, **params: Any) -> dict[str, Any]:
    r = api.get(f"/zoom_events/hubs/{hub_id}/attendee_insights/engagement", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_engagement_follows_what_the_attendee_did(admin: Admin, api: Api, clock: Admin) -> None:
    run = ran_conference(admin, api, clock)
    hub = hub_of(api)
    got = engagement(api, hub, email=ANN)
    assert got["total_records"] == 2
    keynote, workshop = got["data"]
    assert (keynote["event_id"], keynote["session_id"], keynote["session_name"]) == \
        (run["event_id"], run["webinar"], "Keynote")
    assert (keynote["certification_status"], keynote["certification_time"], keynote["meeting_seconds"],
            keynote["minutes_watched"], keynote["polls_answered"], keynote["current_level"]) == \
        ("completed", "2026-11-02T15:30:00Z", 1800, 30, 1, 1)
    assert (workshop["session_id"], workshop["certification_status"], workshop["certification_time"],
            workshop["meeting_seconds"]) == (run["meeting"], "not_started", None, 0)
    assert [d["certification_status"] for d in engagement(api, hub, email=CY)["data"]] == ["not_started"] * 2
    guest = engagement(api, hub, email="gus@example.com")["data"]          # joined without a ticket
    assert [(d["session_id"], d["meeting_seconds"]) for d in guest] == [(run["webinar"], 300)]
    mine = engagement(api, hub)["data"]                                      # the caller: the host, who joined
    assert [(d["session_id"], d["certification_status"]) for d in mine] == [(run["webinar"], "completed")]
    scoped = engagement(api, hub, email=ANN, event_id=run["event_id"])
    assert scoped["data"] == got["data"]
    page = engagement(api, hub, email=ANN, page_size=1)
    assert page["data"] == [keynote] and page["next_page_token"]
    rest = engagement(api, hub, email=ANN, page_size=1, next_page_token=page["next_page_token"])
    assert rest["data"] == [workshop] and rest["next_page_token"] == ""
    assert engagement(api, hub, email="nobody@example.com") == {"total_records": 0, "next_page_token": "", "data": []}


def test_an_attendee_still_in_the_session_is_in_progress(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    event_id = conference(api)
    added(api, event_id)
    publish(api, event_id)
    wid = sessions(api, event_id)[0]["webinar_id"]
    step(admin, "webinars", "POST", f"/{wid}/start")
    join(admin, wid, name="Ann", email=ANN)
    clock.clock(advance_seconds=120)
    (row,) = engagement(api, hub_of(api), email=ANN)["data"]
    assert (row["certification_status"], row["meeting_seconds"], row["certification_time"]) == \
        ("in_progress", 120, None)
    step(admin, "webinars", "POST", f"/{wid}/end")
    (row,) = engagement(api, hub_of(api), email=ANN)["data"]
    assert row["certification_status"] == "completed"


def test_engagement_errors(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    hub = hub_of(api)
    path = "/zoom_events/hubs/{}/attendee_insights/engagement"
    expect_error(api.get(path.format("nosuchhub0000000000000")), 404, 2001, "Hub not found.")
    expect_error(api.get(path.format(hub), params={"event_id": "nosuchevent00000000000"}), 404, 2002,
                 "Event not found.")
    other = admin.tenant()
    expect_error(other.get(path.format(hub)), 404, 2001)                    # another account's hub
    expect_error(other.get(path.format(hub_of(other)), params={"event_id": event_id}), 404, 2002)
    assert engagement(api, hub, event_id=event_id)["data"] == []             # a draft: nobody attended


def test_an_event_id_of_no_shape_is_not_found(api: Api) -> None:
    path = f"/zoom_events/hubs/{hub_of(api)}/attendee_insights/engagement"
    for bad in ("x\x00y", "a" * 300, "../events"):
        expect_error(api.get(path, params={"event_id": bad}), 404, 2002)
