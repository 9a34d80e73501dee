"""Zoom Events webhooks: event updated / published / cancelled / duplicated, sessions (created,
updated, deleted once the event is published; ended when their meeting or webinar ends in the
simulation), speakers, exhibitors, ticket types, tickets, VOD registrations. Every delivery is
checked as Zoom's sample receiver would and against its event's schema, then for its content;
failed requests emit nothing (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, expect_error
from test_events_actions import SESSION, sessions
from test_events_events import act, made
from test_events_sessions import added, conference
from test_events_tickets import SALE, new_type, sell, tickets_path, types_path
from test_events_vod import new_channel, path as vod_path, register
from webhook_kit import Receiver, check_delivery, receiver, subscribe  # noqa: F401

from zoomsim.webhooks import catalog
from zoomsim.webhooks.payloads import BUILDERS, LOADERS, STEP_BUILDERS
from zoomsim.webhooks.payloads import zoom_events as ze_payloads

FAMILIES = ("zoom_events.", "user.tsp_")


def heard(receiver: Receiver, event: str, count: int = 1) -> list[dict[str, Any]]:  # noqa: F811
    """The `object`s of the first `count` deliveries of `event`, each checked as Zoom's receiver would."""
    found = receiver.wait(count, event)
    out = []
    for d in found[:count]:
        check_delivery(d)
        assert d.body["event"] == event
        assert list(d.body["payload"]) == ["account_id", "object"]
        out.append(d.body["payload"]["object"])
    return out


def written(admin: Admin, api: Api, event: str) -> list[dict[str, Any]]:
    """The outbox rows of `event` for the tenant (written in the request's own transaction)."""
    r = admin.http.get("/_zoomsim/webhooks/deliveries", params={"account_id": api.account_id, "event": event})
    assert r.status_code == 200, r.text
    return r.json()["deliveries"]  # type: ignore[no-any-return]


def published_conference(api: Api) -> str:
    event_id = conference(api)
    added(api, event_id)
    assert act(api, event_id, operation="publish").status_code == 201
    return event_id


# ---- the catalog ---------------------------------------------------------------------------------

def test_every_zoom_events_and_tsp_event_has_a_builder() -> None:
    for op_id, events in catalog.OPERATION_EVENTS.items():
        for event in events:
            if event.startswith(FAMILIES):
                assert event in BUILDERS, (op_id, event)
                assert event in catalog.EVENT_NAMES
        if any(e.startswith(FAMILIES) for e in events) and op_id in catalog.BEFORE:
            assert catalog.BEFORE[op_id] in LOADERS, op_id
    for kinds in catalog.STEP_EVENTS.values():
        for events in kinds.values():
            for event in events:
                if event.startswith(FAMILIES):
                    assert event in STEP_BUILDERS, event


# ---- events --------------------------------------------------------------------------------------

def test_event_updated(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    event = made(api)
    subscribe(admin, api, receiver, ["zoom_events.event_updated"])
    r = api.patch(f"/zoom_events/events/{event['event_id']}", json={"name": "Launch é", "description": "New",
                                                                    "timezone": "Europe/Paris"})
    assert r.status_code == 204, r.text
    (obj,) = heard(receiver, "zoom_events.event_updated")
    assert obj == {"hub_id": event["hub_id"], "event_id": event["event_id"], "host_id": api.owner_id,
                   "name": "Launch é", "description": "New", "attendance_type": "virtual",
                   "event_type": "SIMPLE_EVENT", "status": "DRAFT", "start_time": "2031-07-28T13:00:00Z",
                   "timezone": "Europe/Paris", "end_time": "2031-07-28T15:00:00Z"}
    assert list(obj) == list(ze_payloads.EVENT_KEYS["zoom_events.event_updated"])     # the example's order


def test_event_actions(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.event_published", "zoom_events.event_cancelled",
                                     "zoom_events.event_duplicated"])
    event_id = conference(api)
    added(api, event_id)
    assert act(api, event_id, operation="publish").status_code == 201
    (obj,) = heard(receiver, "zoom_events.event_published")
    assert (obj["event_id"], obj["status"], obj["event_type"], obj["name"]) == \
        (event_id, "PUBLISHED", "CONFERENCE", "Launch")
    assert list(obj)[:3] == ["hub_id", "event_id", "host_id"] and obj["host_id"] == api.owner_id
    r = act(api, event_id, operation="duplicate",
            duplicate_event={"name": "Launch again", "start_time": "2032-01-10T13:00:00Z", "timezone": "Europe/Paris"})
    assert r.status_code == 201, r.text
    (copy,) = heard(receiver, "zoom_events.event_duplicated")
    assert (copy["event_id"], copy["source_event_id"], copy["name"], copy["status"], copy["timezone"]) == \
        (r.json()["event_id"], event_id, "Launch again", "DRAFT", "Europe/Paris")
    assert copy["start_time"] == "2032-01-10T13:00:00Z"
    assert act(api, event_id, operation="cancel", cancel_message="Sorry").status_code == 201
    (gone,) = heard(receiver, "zoom_events.event_cancelled")
    assert (gone["event_id"], gone["status"]) == (event_id, "CANCELLED")
    # each action emitted its own event only
    assert [len(written(admin, api, e)) for e in ("zoom_events.event_published", "zoom_events.event_cancelled",
                                                  "zoom_events.event_duplicated")] == [1, 1, 1]


def test_failed_actions_emit_nothing(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.event_published", "zoom_events.event_updated"])
    event_id = conference(api)
    expect_error(act(api, event_id, operation="publish"), 400, 300)           # no sessions
    expect_error(api.patch(f"/zoom_events/events/{event_id}", json={"event_type": "SIMPLE_EVENT"}), 400, 300)
    other = admin.tenant()
    expect_error(other.patch(f"/zoom_events/events/{event_id}", json={"name": "Mine"}), 404, 2002)
    assert written(admin, api, "zoom_events.event_published") == []
    assert written(admin, api, "zoom_events.event_updated") == []


# ---- sessions ------------------------------------------------------------------------------------

def test_sessions_of_a_published_event(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    events = ["zoom_events.session_created", "zoom_events.session_updated", "zoom_events.session_deleted"]
    subscribe(admin, api, receiver, events)
    event_id = conference(api)
    draft_session = added(api, event_id)                # a draft's sessions are not reported
    assert act(api, event_id, operation="publish").status_code == 201
    session = added(api, event_id, name="Workshop", type=0, start_time="2031-07-28T14:00:00Z",
                    end_time="2031-07-28T15:30:00Z", timezone="Asia/Tokyo")
    (obj,) = heard(receiver, "zoom_events.session_created")
    assert obj == {"event_id": event_id, "host_id": api.owner_id, "session_id": session["session_id"],
                   "name": "Workshop", "attendance_type": "virtual", "type": 0,
                   "start_time": "2031-07-28T14:00:00Z", "end_time": "2031-07-28T15:30:00Z",
                   "timezone": "Asia/Tokyo"}
    path = f"/zoom_events/events/{event_id}/sessions/{session['session_id']}"
    assert api.patch(path, json={"name": "Workshop II", "type": 2}).status_code == 204
    (obj,) = heard(receiver, "zoom_events.session_updated")
    assert (obj["session_id"], obj["name"], obj["type"]) == (session["session_id"], "Workshop II", 2)
    assert list(obj)[4:6] == ["type", "attendance_type"]
    assert api.delete(path).status_code == 204
    (obj,) = heard(receiver, "zoom_events.session_deleted")
    assert (obj["session_id"], obj["name"], obj["type"]) == (session["session_id"], "Workshop II", 2)
    assert added(api, event_id, type=4, name="Hallway")  # neither meeting nor webinar: not reported
    assert [d["body"]["payload"]["object"]["session_id"] for d in written(admin, api, events[0])] == \
        [session["session_id"]]
    assert draft_session["session_id"] not in str(written(admin, api, events[1]))


def test_failed_session_changes_emit_nothing(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.session_updated", "zoom_events.session_deleted"])
    event_id = published_conference(api)
    missing = f"/zoom_events/events/{event_id}/sessions/nosuchsession000000000"
    expect_error(api.patch(missing, json={"name": "X"}), 404, 2003)
    expect_error(api.delete(missing), 404, 2003)
    (session,) = sessions(api, event_id)
    expect_error(admin.tenant().delete(f"/zoom_events/events/{event_id}/sessions/{session['session_id']}"), 404, 2002)
    assert written(admin, api, "zoom_events.session_updated") == []
    assert written(admin, api, "zoom_events.session_deleted") == []


# ---- speakers and exhibitors ---------------------------------------------------------------------

def test_speakers(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.speaker_created", "zoom_events.speaker_updated",
                                     "zoom_events.speaker_deleted"])
    event_id = made(api)["event_id"]
    base = f"/zoom_events/events/{event_id}/speakers"
    r = api.post(base, json={"name": "Ada", "email": "Ada@Example.com", "job_title": "CTO"})
    assert r.status_code == 201, r.text
    speaker_id = r.json()["speaker_id"]
    (obj,) = heard(receiver, "zoom_events.speaker_created")
    assert obj == {"event_id": event_id, "host_id": api.owner_id, "speaker_id": speaker_id, "name": "Ada",
                   "email": "ada@example.com"}
    assert api.patch(f"{base}/{speaker_id}", json={"name": "Ada L."}).status_code == 204
    (obj,) = heard(receiver, "zoom_events.speaker_updated")
    assert (obj["speaker_id"], obj["name"], obj["email"]) == (speaker_id, "Ada L.", "ada@example.com")
    assert api.delete(f"{base}/{speaker_id}").status_code == 204
    (obj,) = heard(receiver, "zoom_events.speaker_deleted")
    assert (obj["speaker_id"], obj["name"]) == (speaker_id, "Ada L.")
    expect_error(api.delete(f"{base}/{speaker_id}"), 403, 2005)
    r = api.post(base, json={"name": "No Mail"})                       # a speaker without an address
    assert r.status_code == 201, r.text
    (_, obj) = heard(receiver, "zoom_events.speaker_created", 2)
    assert obj["name"] == "No Mail" and "email" not in obj
    assert len(written(admin, api, "zoom_events.speaker_deleted")) == 1


def test_exhibitors(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.exhibitor_created", "zoom_events.exhibitor_updated",
                                     "zoom_events.exhibitor_deleted"])
    event_id = conference(api)
    tier = api.get(f"/zoom_events/events/{event_id}/sponsor_tiers").json()["sponsor_tiers"][0]["tier_id"]
    base = f"/zoom_events/events/{event_id}/exhibitors"
    r = api.post(base, json={"name": "Acme", "contact_name": "Jo", "contact_email": "jo@acme.test",
                             "is_sponsor": True, "tier_id": tier, "description": "Rockets"})
    assert r.status_code == 201, r.text
    exhibitor_id = r.json()["exhibitor_id"]
    (obj,) = heard(receiver, "zoom_events.exhibitor_created")
    assert obj == {"event_id": event_id, "host_id": api.owner_id, "exhibitor_id": exhibitor_id, "name": "Acme",
                   "description": "Rockets", "is_sponsor": True, "tier_id": tier, "contact_name": "Jo",
                   "contact_email": "jo@acme.test"}
    assert api.patch(f"{base}/{exhibitor_id}", json={"is_sponsor": False, "name": "Acme Inc"}).status_code == 204
    (obj,) = heard(receiver, "zoom_events.exhibitor_updated")
    assert (obj["name"], obj["is_sponsor"], "tier_id" in obj) == ("Acme Inc", False, False)
    assert api.delete(f"{base}/{exhibitor_id}").status_code == 204
    (obj,) = heard(receiver, "zoom_events.exhibitor_deleted")
    assert (obj["exhibitor_id"], obj["name"], obj["contact_email"]) == (exhibitor_id, "Acme Inc", "jo@acme.test")
    expect_error(api.delete(f"{base}/{exhibitor_id}"), 404, 2006)
    assert len(written(admin, api, "zoom_events.exhibitor_deleted")) == 1


# ---- ticket types and tickets --------------------------------------------------------------------

def test_ticket_types(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.ticket_type_created", "zoom_events.ticket_type_updated",
                                     "zoom_events.ticket_type_deleted"])
    event_id = conference(api)
    type_id = new_type(api, event_id, description="Front row", attendance_type="virtual")
    (obj,) = heard(receiver, "zoom_events.ticket_type_created")
    assert obj == {"event_id": event_id, "host_id": api.owner_id, "ticket_type_id": type_id, "name": "VIP",
                   "description": "Front row", "attendance_type": "virtual", **SALE}
    r = api.patch(f"{types_path(event_id)}/{type_id}", json={"name": "VIP+", "end_time": "2031-07-01T00:00:00Z"})
    assert r.status_code == 204, r.text
    (obj,) = heard(receiver, "zoom_events.ticket_type_updated")
    assert (obj["ticket_type_id"], obj["name"], obj["end_time"]) == (type_id, "VIP+", "2031-07-01T00:00:00Z")
    assert api.delete(f"{types_path(event_id)}/{type_id}").status_code == 204
    (obj,) = heard(receiver, "zoom_events.ticket_type_deleted")
    assert (obj["ticket_type_id"], obj["name"]) == (type_id, "VIP+")
    expect_error(api.delete(f"{types_path(event_id)}/{type_id}"), 404, 26502)
    assert len(written(admin, api, "zoom_events.ticket_type_deleted")) == 1


def test_tickets(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.ticket_created", "zoom_events.ticket_updated",
                                     "zoom_events.ticket_deleted"])
    event_id = published_conference(api)
    r = sell(api, event_id, {"email": "a@example.com", "external_ticket_id": "ext-1"},
             {"email": "b@example.com", "fast_join": True}, {"email": "c@example.com", "ticket_type_id": "nope"})
    assert r.status_code == 201, r.text
    made_tickets = r.json()["tickets"]
    assert len(made_tickets) == 2 and len(r.json()["errors"]) == 1
    objs = heard(receiver, "zoom_events.ticket_created", 2)
    by_email = {o["email"]: o for o in objs}
    assert set(by_email) == {"a@example.com", "b@example.com"}          # one per ticket sold, none refused
    first = made_tickets[0]
    assert by_email["a@example.com"] == {"event_id": event_id, "host_id": api.owner_id,
                                         "ticket_id": first["ticket_id"], "ticket_type_id": first["ticket_type_id"],
                                         "external_ticket_id": "ext-1", "ticket_role_type": "normal",
                                         "email": "a@example.com", "authentication_method": "zoom_account"}
    assert by_email["b@example.com"]["authentication_method"] == "no_auth"
    path = f"{tickets_path(event_id)}/{first['ticket_id']}"
    assert api.patch(path, json={"external_ticket_id": "ext-2"}).status_code == 204
    (obj,) = heard(receiver, "zoom_events.ticket_updated")
    assert (obj["ticket_id"], obj["external_ticket_id"]) == (first["ticket_id"], "ext-2")
    assert api.delete(path).status_code == 204
    (obj,) = heard(receiver, "zoom_events.ticket_deleted")
    assert (obj["ticket_id"], obj["email"], obj["external_ticket_id"]) == (first["ticket_id"], "a@example.com",
                                                                           "ext-2")
    assert list(obj)[5:7] == ["email", "ticket_role_type"]
    expect_error(api.delete(path), 404, 26503)
    assert len(written(admin, api, "zoom_events.ticket_deleted")) == 1


# ---- VOD registrations ---------------------------------------------------------------------------

def test_vod_registrations(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.vod_registration_created"])
    channel = new_channel(api)
    r = register(api, channel, {"email": "Viewer@Example.com", "first_name": "Vi", "last_name": "Ewer",
                                "city": "Lyon"}, {"email": "two@example.com", "first_name": "T", "last_name": "W"})
    assert r.status_code == 201, r.text
    made_regs = {x["email"]: x for x in r.json()["registrations"]}
    objs = {o["email"]: o for o in heard(receiver, "zoom_events.vod_registration_created", 2)}
    viewer = objs["viewer@example.com"]
    reg = made_regs["viewer@example.com"]
    hub_id = vod_path(api, channel).split("/")[3]
    assert {k: viewer[k] for k in ("channel_id", "hub_id", "host_id", "registration_id", "join_link",
                                   "first_name", "last_name", "city", "authentication_method")} == \
        {"channel_id": channel["channel_id"], "hub_id": hub_id, "host_id": api.owner_id,
         "registration_id": reg["registration_id"], "join_link": reg["join_link"], "first_name": "Vi",
         "last_name": "Ewer", "city": "Lyon", "authentication_method": "zoom_account"}
    assert viewer["registration_date"].endswith("Z") and viewer["custom_questions"] == []
    # registering an address again answers its registration: no new event
    again = register(api, channel, {"email": "viewer@example.com", "first_name": "Vi", "last_name": "Ewer"},
                     {"email": "three@example.com", "first_name": "Th", "last_name": "Ree"})
    assert again.status_code == 201, again.text
    rows = written(admin, api, "zoom_events.vod_registration_created")
    assert sorted(d["body"]["payload"]["object"]["email"] for d in rows) == \
        ["three@example.com", "two@example.com", "viewer@example.com"]
    r = register(api, channel, {"email": "bad"})
    assert r.status_code == 400
    assert len(written(admin, api, "zoom_events.vod_registration_created")) == 3


# ---- a session ends with its meeting or webinar --------------------------------------------------

def _run(admin: Admin, kind: str, number: int) -> None:
    assert admin.http.post(f"/_zoomsim/{kind}s/{number}/start").status_code < 300
    r = admin.http.post(f"/_zoomsim/{kind}s/{number}/end")
    assert r.status_code < 300, r.text


def test_session_ended(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.session_ended"])
    event_id = conference(api)
    webinar_session = added(api, event_id)
    meeting_session = added(api, event_id, name="Workshop", type=0, start_time="2031-07-28T14:00:00Z",
                            end_time="2031-07-28T15:30:00Z")
    assert act(api, event_id, operation="publish").status_code == 201
    by_id = {s["session_id"]: s for s in sessions(api, event_id)}
    _run(admin, "webinar", by_id[webinar_session["session_id"]]["webinar_id"])
    (obj,) = heard(receiver, "zoom_events.session_ended")
    assert (obj["event_id"], obj["host_id"], obj["session_id"], obj["name"], obj["type"], obj["timezone"]) == \
        (event_id, api.owner_id, webinar_session["session_id"], SESSION["name"], 2, "UTC")
    assert list(obj) == ["event_id", "host_id", "session_id", "name", "type", "start_time", "timezone", "end_time"]
    assert obj["start_time"] <= obj["end_time"]
    _run(admin, "meeting", by_id[meeting_session["session_id"]]["meeting_id"])
    (_, obj) = heard(receiver, "zoom_events.session_ended", 2)
    assert (obj["session_id"], obj["name"], obj["type"]) == (meeting_session["session_id"], "Workshop", 0)


def test_a_meeting_that_backs_no_session_ends_no_session(admin: Admin, api: Api,
                                                         receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.session_ended"])
    r = api.post("/users/me/meetings", json={"topic": "Plain", "type": 2, "start_time": "2031-01-01T10:00:00Z"})
    assert r.status_code == 201, r.text
    _run(admin, "meeting", r.json()["id"])
    assert written(admin, api, "zoom_events.session_ended") == []


def test_a_simple_events_session_ends_through_the_api(admin: Admin, api: Api,
                                                      receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["zoom_events.session_ended"])
    event = made(api, name="Town hall")
    assert act(api, event["event_id"], operation="publish").status_code == 201
    (session,) = sessions(api, event["event_id"])
    assert admin.http.post(f"/_zoomsim/meetings/{session['meeting_id']}/start").status_code < 300
    r = api.put(f"/meetings/{session['meeting_id']}/status", json={"action": "end"})
    assert r.status_code == 204, r.text
    (obj,) = heard(receiver, "zoom_events.session_ended")
    assert (obj["event_id"], obj["session_id"], obj["name"], obj["type"], obj["timezone"]) == \
        (event["event_id"], session["session_id"], "Town hall", 0, "America/New_York")
