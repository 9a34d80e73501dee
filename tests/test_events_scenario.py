"""The Zoom Events scenario of issue 13, end to end over HTTP on both backends: a conference in
the account's hub with three sessions (a webinar, two meetings) and two ticket types with
quantities, published (the sessions become real zoomsim webinars and meetings, the ticket holders
their registrants); one type sold out (a mixed batch is a partial success, a batch of nothing but
the sold-out type is 2007); 100 concurrent requests for the other type's last 10 seats (on
PostgreSQL through two `zoomsim serve --workers 2` servers on the test's own database, on SQLite
through the one server) sell exactly 10 and `sold_quantity` is never seen past the quantity;
speakers and exhibitors; the webinar session run through the admin simulation API with the clock
frozen (ticket holders joining by e-mail and by registrant id, a speaker as panelist, a guest,
leaving, rejoining, chat); then the event attendance, ticket registration and session attendance
reports, and the session attendee list, are exactly what happened."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import schemas
from procs import ServeProcess
from support import Admin, Api, Server, expect_error, freeze
from test_events_actions import sessions
from test_events_events import made
from test_events_exhibitors import add_exhibitor, exhibitors, tiers
from test_events_parts_scale_out import Pair, call
from test_events_sessions import added
from test_events_speakers import add_speaker, speakers, speakers_path
from test_events_tickets import new_type, publish, sell, ticket_types, tickets_path
from test_scale_out import fan_out
from test_webinar_simulation import join, step

NOW = "2026-11-02T15:00:00Z"
AT = {m: f"2026-11-02T15:{m:02d}:00Z" for m in range(0, 60, 5)}
CALENDAR = [{"start_time": "2031-07-28T13:00:00Z", "end_time": "2031-07-28T17:00:00Z"}]
ANN, BOB, CY, DEE, EVE, FAY = (f"{n}@example.com" for n in ("ann", "bob", "cy", "dee", "eve", "fay"))
SAM, GUS = "sam@example.com", "gus@example.com"
FULL_QUANTITY, KEYNOTE_QUANTITY = 3, 12
RUSH = [f"rush{i:02d}@example.com" for i in range(100)]


class OneServer:
    """`call`'s target when there is a single server (SQLite): every request goes to it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def next_url(self) -> str:
        return self.url


@pytest.fixture
def rush_target(backend: str, server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Where the 100 concurrent ticket requests go: on PostgreSQL two servers of two workers
    each on the scenario's own database (so they sell the scenario's seats); on SQLite, where
    `zoomsim serve` has one worker, the test's server."""
    if not backend.startswith("postgresql"):
        yield OneServer(server.url)
        return
    log = tmp_path_factory.mktemp("scenario") / "serve.log"
    a = ServeProcess(backend, workers=2, rate_limits=False, log=log).start()
    b = ServeProcess(backend, workers=2, rate_limits=False, log=log).start()
    try:
        yield Pair(a, b)
    finally:
        a.stop()
        b.stop()


def report(api: Api, event_id: str, name: str, **params: Any) -> dict[str, Any]:
    r = api.get(f"/zoom_events/events/{event_id}/reports/{name}", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def sold(api: Api, event_id: str) -> dict[str, tuple[int, int | None]]:
    """Ticket type name -> (sold_quantity, quantity)."""
    return {t["name"]: (t["sold_quantity"], t.get("quantity")) for t in ticket_types(api, event_id)}


def registrant_emails(api: Api, kind: str, number: int) -> list[str]:
    r = api.get(f"/{kind}/{number}/registrants", params={"page_size": 300})
    assert r.status_code == 200, r.text
    return sorted(reg["email"] for reg in r.json()["registrants"])


def rush(api: Api, target: Any, event_id: str, type_id: str) -> tuple[list[httpx.Response], list[int]]:
    """100 single-ticket requests at once for `type_id`, each on a fresh connection (to the
    servers in turn), while another thread keeps reading the type's sold_quantity. Answers the
    responses and every sold_quantity seen, in order."""
    path = tickets_path(event_id)
    pending = iter(RUSH)
    lock = threading.Lock()
    done = threading.Event()
    seen: list[int] = []

    def buy() -> httpx.Response:
        with lock:
            email = next(pending)
        r = call(target, {"token": api.token}, "POST", path, {"tickets": [{"email": email, "ticket_type_id": type_id}]})
        if r.status_code == 201:
            schemas.check("POST", path, 201, r.json())
        return r

    def watch() -> None:
        while True:                      # one read at least, and one after the last sale
            finished = done.is_set()
            seen.append(next(t["sold_quantity"] for t in ticket_types(api, event_id) if t["ticket_type_id"] == type_id))
            if finished:
                return

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        answers = fan_out(buy, len(RUSH))
    finally:
        done.set()
        watcher.join(timeout=60)
    return answers, seen


def test_a_conference_from_tickets_to_reports(admin: Admin, api: Api, clock: Admin, rush_target: Any) -> None:
    freeze(clock, api, NOW)
    me = api.get("/users/me").json()["email"].lower()

    # 1. a conference in the account's hub: a webinar and two meetings; two ticket types
    hub = api.get("/zoom_events/hubs").json()["hubs"][0]["hub_id"]
    event = made(api, name="DevCon", event_type="CONFERENCE", meeting_type=None, hub_id=hub, calendar=CALENDAR)
    event_id = event["event_id"]
    keynote = added(api, event_id, name="Keynote")
    workshop = added(api, event_id, name="Workshop", type=0, start_time="2031-07-28T14:00:00Z",
                     end_time="2031-07-28T15:00:00Z")
    roundtable = added(api, event_id, name="Roundtable", type=0, start_time="2031-07-28T15:00:00Z",
                       end_time="2031-07-28T16:30:00Z")
    ids = [keynote["session_id"], workshop["session_id"], roundtable["session_id"]]
    assert [s["session_id"] for s in sessions(api, event_id)] == ids
    assert all(s["meeting_id"] is None and s["webinar_id"] is None for s in sessions(api, event_id))
    full = new_type(api, event_id, name="Full Pass", quantity=FULL_QUANTITY, free=False, price="99.00",
                    sessions=ids)
    keynote_pass = new_type(api, event_id, name="Keynote Pass", quantity=KEYNOTE_QUANTITY,
                            sessions=[keynote["session_id"]])
    assert sold(api, event_id) == {"General Admission": (0, None), "Full Pass": (0, FULL_QUANTITY),
                                   "Keynote Pass": (0, KEYNOTE_QUANTITY)}
    publish(api, event_id)
    assert api.get(f"/zoom_events/events/{event_id}").json()["status"] == "PUBLISHED"
    by_id = {s["session_id"]: s for s in sessions(api, event_id)}
    wid = by_id[keynote["session_id"]]["webinar_id"]
    workshop_mid = by_id[workshop["session_id"]]["meeting_id"]
    roundtable_mid = by_id[roundtable["session_id"]]["meeting_id"]
    assert wid and workshop_mid and roundtable_mid and by_id[keynote["session_id"]]["meeting_id"] is None
    webinar = api.get(f"/webinars/{wid}").json()
    assert (webinar["topic"], webinar["type"], webinar["start_time"], webinar["duration"]) == \
        ("Keynote", 5, "2031-07-28T13:00:00Z", 60)
    for mid, topic, duration in ((workshop_mid, "Workshop", 60), (roundtable_mid, "Roundtable", 90)):
        meeting = api.get(f"/meetings/{mid}").json()
        assert (meeting["topic"], meeting["type"], meeting["duration"], meeting["host_id"]) == \
            (topic, 2, duration, api.owner_id)

    # 2. the Full Pass sold up to its quantity; then a mixed batch is a partial success and a
    #    batch of nothing but the sold-out type is 2007
    r = sell(api, event_id, {"email": ANN, "first_name": "Ann", "last_name": "Lee", "ticket_type_id": full},
             {"email": BOB, "first_name": "Bob", "last_name": "Ray", "ticket_type_id": full,
              "external_ticket_id": "ext-bob"},
             {"email": CY, "first_name": "Cy", "last_name": "Ng", "ticket_type_id": full})
    assert r.status_code == 201 and r.json()["errors"] == [], r.text
    tickets = {t["email"]: t for t in r.json()["tickets"]}
    assert all(t["ticket_type_id"] == full and t["event_join_link"] for t in tickets.values())
    r = sell(api, event_id, {"email": DEE, "first_name": "Dee", "last_name": "Kim", "ticket_type_id": keynote_pass},
             {"email": FAY, "first_name": "Fay", "ticket_type_id": full})
    assert r.status_code == 201, r.text
    assert [t["email"] for t in r.json()["tickets"]] == [DEE]
    assert r.json()["errors"] == [{"email": FAY, "error_code": "stock_not_exist",
                                   "message": "The ticket type is sold out."}]
    tickets[DEE] = r.json()["tickets"][0]
    expect_error(sell(api, event_id, {"email": FAY, "ticket_type_id": full}), 404, 2007,
                 "Not enough stock or invalid ticket_type_id.")
    r = sell(api, event_id, {"email": EVE, "first_name": "Eve", "last_name": "Moe", "ticket_type_id": keynote_pass})
    assert r.status_code == 201 and r.json()["errors"] == [], r.text
    tickets[EVE] = r.json()["tickets"][0]
    assert sold(api, event_id) == {"General Admission": (0, None), "Full Pass": (3, 3), "Keynote Pass": (2, 12)}

    # 3. 100 concurrent requests for the Keynote Pass's last 10 seats
    answers, seen = rush(api, rush_target, event_id, keynote_pass)
    outcomes = [(r.status_code, r.json().get("code")) for r in answers]
    assert outcomes.count((201, None)) == 10 and outcomes.count((404, 2007)) == 90, sorted(outcomes)
    winners = sorted(t["email"] for r in answers if r.status_code == 201 for t in r.json()["tickets"])
    assert len(winners) == 10 and set(winners) <= set(RUSH)
    assert all(r.json()["errors"] == [] for r in answers if r.status_code == 201)
    assert max(seen) <= KEYNOTE_QUANTITY and seen == sorted(seen) and seen[-1] == KEYNOTE_QUANTITY, seen
    assert sold(api, event_id) == {"General Admission": (0, None), "Full Pass": (3, 3), "Keynote Pass": (12, 12)}
    expect_error(sell(api, event_id, {"email": FAY, "ticket_type_id": keynote_pass}), 404, 2007)
    listed = api.get(tickets_path(event_id), params={"page_size": 100}).json()
    assert listed["total_records"] == 15
    assert sorted(t["email"] for t in listed["tickets"]) == sorted([ANN, BOB, CY, DEE, EVE, *winners])
    for t in listed["tickets"]:
        tickets.setdefault(t["email"], t)
    holders = sorted(tickets)
    assert holders == sorted([ANN, BOB, CY, DEE, EVE, *winners])     # Fay never got one
    # every holder is a registrant of the webinar; only the Full Pass admits to the meetings
    assert registrant_emails(api, "webinars", wid) == holders
    assert registrant_emails(api, "meetings", workshop_mid) == [ANN, BOB, CY]
    assert registrant_emails(api, "meetings", roundtable_mid) == [ANN, BOB, CY]

    # 4. speakers (one e-mail, one speaker: 1003) and exhibitors (a sponsor and a booth)
    sam = add_speaker(api, event_id, name="Sam Speaker", email="Sam@Example.com", job_title="CTO",
                      company_name="Acme")
    pat = add_speaker(api, event_id, name="Pat Talker")
    expect_error(api.post(speakers_path(event_id), json={"name": "Sam Again", "email": SAM}), 400, 1003,
                 "The email address has already been used by another speaker.")
    assert speakers(api, event_id) == [sam, pat] and sam["email"] == SAM
    r = api.patch(f"/zoom_events/events/{event_id}/sessions/{keynote['session_id']}",
                  json={"session_speakers": [{"speaker_id": sam["speaker_id"]}]})
    assert r.status_code == 204, r.text
    (shown,) = api.get(f"/zoom_events/events/{event_id}/sessions/{keynote['session_id']}").json()["session_speakers"]
    assert (shown["speaker_id"], shown["name"], shown["company"], shown["title"], shown["meeting_role"]) == \
        (sam["speaker_id"], "Sam Speaker", "Acme", "CTO", 2)
    gold = tiers(api, event_id)[1]["tier_id"]
    sponsor = add_exhibitor(api, event_id, name="Acme", tier_id=gold, associated_sessions=[keynote["session_id"]])
    booth = add_exhibitor(api, event_id, name="Booth", is_sponsor=False, contact_email="Desk@Booth.example")
    assert (sponsor["is_sponsor"], sponsor["tier_id"], sponsor["associated_sessions"]) == \
        (True, gold, [keynote["session_id"]])
    assert (booth["is_sponsor"], booth["tier_id"], booth["contact_email"]) == (False, "", "desk@booth.example")
    assert exhibitors(api, event_id) == [sponsor, booth]

    # 5. the webinar session runs, 15:00 to 15:30, the clock frozen
    bob_registrant = next(reg["id"] for reg in api.get(f"/webinars/{wid}/registrants", params={"page_size": 300})
                          .json()["registrants"] if reg["email"] == BOB)
    lucky = winners[0]
    step(admin, "webinars", "POST", f"/{wid}/start")
    host = join(admin, wid, user_id=api.owner_id)
    ann = join(admin, wid, name="Ann Lee", email="Ann@Example.com")
    bob = join(admin, wid, registrant_id=bob_registrant)
    dee = join(admin, wid, name="Dee Kim", email=DEE)
    speaker = join(admin, wid, name="Sam Speaker", email=SAM, role="panelist")
    guest = join(admin, wid, name="Gus Guest", email=GUS)
    early = join(admin, wid, name="Lucky Buyer", email=lucky)
    assert (host["role"], bob["name"], bob["role"], speaker["role"]) == ("host", "Bob Ray", "attendee", "panelist")
    clock.clock(advance_seconds=300)                                             # 15:05
    step(admin, "webinars", "POST", f"/{wid}/chat", {"participant_id": ann["participant_id"], "message": "Hi all"})
    step(admin, "webinars", "POST", f"/{wid}/chat", {"participant_id": dee["participant_id"], "message": "psst",
                                                     "to": ann["participant_id"]})
    step(admin, "webinars", "DELETE", f"/{wid}/participants/{guest['participant_id']}")
    step(admin, "webinars", "DELETE", f"/{wid}/participants/{early['participant_id']}")
    clock.clock(advance_seconds=300)                                             # 15:10
    step(admin, "webinars", "DELETE", f"/{wid}/participants/{bob['participant_id']}")
    clock.clock(advance_seconds=600)                                             # 15:20
    step(admin, "webinars", "DELETE", f"/{wid}/participants/{dee['participant_id']}")
    clock.clock(advance_seconds=300)                                             # 15:25
    join(admin, wid, name="Dee Kim", email=DEE)                                  # back for the last 5 minutes
    clock.clock(advance_seconds=300)                                             # 15:30
    ended = step(admin, "webinars", "POST", f"/{wid}/end")
    # host, Ann and Sam 30 minutes each, Dee 20 + 5, Bob 10, Gus and the lucky buyer 5 each
    assert (ended["duration"], ended["participants_count"], ended["total_minutes"]) == (30, 7, 135), ended

    # 6. the reports are exactly that
    base = f"/zoom_events/events/{event_id}"
    listed = api.get(f"{base}/sessions/{keynote['session_id']}/attendees").json()
    assert listed["total_records"] == 7 and listed["next_page_token"] == ""
    assert [a["email"] for a in listed["attendees"]] == [me, ANN, BOB, DEE, SAM, GUS, lucky]
    for sid in (workshop["session_id"], roundtable["session_id"]):
        assert api.get(f"{base}/sessions/{sid}/attendees").json() == \
            {"total_records": 0, "next_page_token": "", "attendees": []}

    # (joined, minutes, chats, join time, exit time) in the keynote, of each holder who came
    came = {ANN: (30, 1, AT[0], AT[30]), BOB: (10, 0, AT[0], AT[10]), DEE: (25, 1, AT[0], AT[30]),
            lucky: (5, 0, AT[0], AT[5])}
    names = {ANN: ("Ann", "Lee"), BOB: ("Bob", "Ray"), CY: ("Cy", "Ng"), DEE: ("Dee", "Kim"), EVE: ("Eve", "Moe")}
    type_names = {full: "Full Pass", keynote_pass: "Keynote Pass"}

    attendance = report(api, event_id, "event_attendance", page_size=300)
    assert attendance["total_records"] == 15 and attendance["next_page_token"] == ""
    assert [a["email"] for a in attendance["attendees"]] == holders        # by address; Fay holds no ticket
    for row in attendance["attendees"]:
        email, ticket = row["email"], tickets[row["email"]]
        first, last = names.get(email, ("Lucky", "Buyer") if email == lucky else ("", ""))   # else as joined
        assert (row["first_name"], row["last_name"], row["display_name"], row["role"]) == \
            (first, last, f"{first} {last}".strip(), "General")
        assert row["event_attendance"] == ("attended" if email in came else "absent"), row
        assert (row["total_sessions_joined"], row["number_of_tickets"], row["survey_taken"]) == \
            (1 if email in came else 0, 1, 0)
        assert row["attendance_type"] == ["virtual"]
        assert row["last_modified_date"] == (came[email][3] if email in came else NOW)
        (held,) = row["tickets"]
        assert (held["ticket_id"], held["ticket_type_id"], held["ticket_type_name"], held["external_ticket_id"]) == \
            (ticket["ticket_id"], ticket["ticket_type_id"], type_names[ticket["ticket_type_id"]],
             "ext-bob" if email == BOB else "")
        admitted = ids if ticket["ticket_type_id"] == full else [keynote["session_id"]]
        assert [s["session_id"] for s in row["session_attendance"]] == admitted
        kn, *meetings = row["session_attendance"]
        if email in came:
            minutes, chats, joined, left = came[email]
            assert (kn["session_attendance"], kn["duration_spent_in_session"], kn["chat_messages_sent"],
                    kn["session_join_time"], kn["session_exit_time"]) == ("attended", minutes, chats, joined, left)
        else:
            assert (kn["session_attendance"], kn["duration_spent_in_session"], kn["chat_messages_sent"]) == \
                ("absent", 0, 0) and "session_join_time" not in kn
        assert kn["session_name"] == "Keynote" and kn["session_reserved"] is False
        assert [(s["session_name"], s["session_attendance"], s["duration_spent_in_session"]) for s in meetings] == \
            ([("Workshop", "absent", 0), ("Roundtable", "absent", 0)] if ticket["ticket_type_id"] == full else [])
    attended = [a["email"] for a in attendance["attendees"] if a["event_attendance"] == "attended"]
    assert attended == sorted(came)
    assert report(api, event_id, "event_attendance", **{"from": AT[10]})["total_records"] == 3   # Ann, Bob, Dee

    registrations = report(api, event_id, "ticket_registration", page_size=300)
    assert registrations["total_records"] == 15 and registrations["next_page_token"] == ""
    assert [r["email"] for r in registrations["registrations"]] == holders
    for row in registrations["registrations"]:
        email, ticket = row["email"], tickets[row["email"]]
        assert (row["first_name"], row["last_name"]) == names.get(email, ("", ""))
        assert (row["register_date"], row["registration_method"], row["registration_source"],
                row["attendance_type"]) == (NOW, "pre_registration", "api", ["virtual"])
        assert row["event_attendance"] == ("attended" if email in came else "absent")
        assert [(t["ticket_id"], t["ticket_type_name"]) for t in row["tickets"]] == \
            [(ticket["ticket_id"], type_names[ticket["ticket_type_id"]])]

    rows = report(api, event_id, f"sessions/{keynote['session_id']}/attendance", page_size=300)
    assert rows["total_records"] == 18 and rows["next_page_token"] == ""   # 15 holders, the host, Sam, Gus
    by = {a["email"]: a for a in rows["attendees"]}
    assert sorted(by) == sorted([*holders, me, SAM, GUS])
    for email in holders:
        row = by[email]
        if email in came:
            minutes, chats, joined, left = came[email]
            assert (row["session_attendance"], row["duration_spent_in_session"], row["chat_messages_sent"],
                    row["start_time"], row["end_time"], row["check_in_method"]) == \
                ("yes", minutes, chats, joined, left, "virtual"), row
        else:
            assert (row["session_attendance"], row["duration_spent_in_session"]) == ("no", 0) and \
                "start_time" not in row, row
        assert row["role_name"] == "General"
        assert [t["ticket_id"] for t in row["tickets"]] == [tickets[email]["ticket_id"]]
    for email, role, minutes in ((me, "Host", 30), (SAM, "Panelist", 30), (GUS, "General", 5)):
        row = by[email]
        assert (row["session_attendance"], row["role_name"], row["duration_spent_in_session"], row["tickets"]) == \
            ("yes", role, minutes, []), row
    assert by[SAM]["display_name"] == "Sam Speaker" and by[GUS]["authentication_method"] == "no_auth"
    for sid in (workshop["session_id"], roundtable["session_id"]):
        rows = report(api, event_id, f"sessions/{sid}/attendance", page_size=300)
        assert [(a["email"], a["session_attendance"]) for a in rows["attendees"]] == \
            [(ANN, "no"), (BOB, "no"), (CY, "no")]
