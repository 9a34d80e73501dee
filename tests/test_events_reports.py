"""Zoom Events reports over HTTP, computed from what happened: tickets sold to a conference,
its webinar and meeting sessions run through the admin simulation API (ticket holders joining
and leaving, a guest, chat, a poll, survey answers), then the session attendee list, event
attendance, ticket registration, session attendance, survey, chat transcripts and custom
reports add up to exactly that; paging, filters, documented errors, tenancy (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, expect_error, freeze
from test_events_actions import sessions
from test_events_events import made
from test_events_attendee_actions import check_in, on_site_event
from test_events_session_actions import check_in as session_check_in
from test_events_session_actions import reservable
from test_events_sessions import added, conference
from test_events_tickets import new_type, publish, sell
from test_webinar_simulation import join, step

NOW = "2026-11-02T15:00:00Z"
ANN, BOB, CY = "ann@example.com", "bob@example.com", "cy@example.com"
RATE = {"name": "How was it?", "type": "rating_scale", "rating_min_value": 1, "rating_max_value": 5,
        "rating_min_label": "Bad", "rating_max_label": "Good"}


def report(api: Api, event_id: str, name: str, **params: Any) -> dict[str, Any]:
    r = api.get(f"/zoom_events/events/{event_id}/reports/{name}", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def ran_conference(admin: Admin, api: Api, clock: Admin) -> dict[str, Any]:
    """A published conference (a webinar and a meeting session) with three ticket holders; the
    webinar ran 30 minutes: the host, Ann (all of it), Bob (10 minutes), a guest (5), with chat,
    a poll vote and survey answers. Cy never came. The meeting session never ran."""
    freeze(clock, api, NOW)
    event_id = conference(api)
    webinar = added(api, event_id, name="Keynote")
    meeting = added(api, event_id, name="Workshop", type=0, start_time="2031-07-28T15:00:00Z",
                    end_time="2031-07-28T16:00:00Z")
    vip = new_type(api, event_id, name="VIP", quantity=2)
    publish(api, event_id)
    r = sell(api, event_id, {"email": ANN, "first_name": "Ann", "last_name": "Lee", "ticket_type_id": vip},
             {"email": BOB, "first_name": "Bob", "last_name": "Ray", "external_ticket_id": "ext-1"},
             {"email": CY, "first_name": "Cy", "ticket_type_id": vip})
    assert r.status_code == 201 and not r.json()["errors"], r.text
    tickets = {t["email"]: t for t in r.json()["tickets"]}
    wid = next(s for s in sessions(api, event_id) if s["session_id"] == webinar["session_id"])["webinar_id"]
    poll = api.post(f"/webinars/{wid}/polls", json={"title": "Ready?", "questions": [
        {"name": "Ship it?", "type": "single", "answers": ["Yes", "No"]}]}).json()
    assert api.patch(f"/webinars/{wid}/survey", json={"custom_survey": {
        "title": "After", "anonymous": False, "questions": [RATE]}}).status_code == 204
    step(admin, "webinars", "POST", f"/{wid}/start")
    join(admin, wid, user_id=api.owner_id)
    ann = join(admin, wid, name="Ann Lee", email="Ann@Example.com")
    bob = join(admin, wid, name="Bob Ray", email=BOB)
    guest = join(admin, wid, name="Gus Guest", email="gus@example.com")
    clock.clock(advance_seconds=300)
    step(admin, "webinars", "POST", f"/{wid}/chat", {"participant_id": ann["participant_id"], "message": "Hi all"})
    step(admin, "webinars", "POST", f"/{wid}/chat", {"participant_id": bob["participant_id"], "message": "psst",
                                                     "to": ann["participant_id"]})
    step(admin, "webinars", "POST", f"/{wid}/polls/{poll['id']}/votes",
         {"participant_id": ann["participant_id"], "answers": {"Ship it?": "Yes"}})
    step(admin, "webinars", "POST", f"/{wid}/survey/answers",
         {"participant_id": ann["participant_id"], "answers": {"How was it?": 5}})
    step(admin, "webinars", "DELETE", f"/{wid}/participants/{guest['participant_id']}")
    clock.clock(advance_seconds=300)
    step(admin, "webinars", "POST", f"/{wid}/survey/answers",
         {"participant_id": bob["participant_id"], "answers": {"How was it?": 3}})
    step(admin, "webinars", "DELETE", f"/{wid}/participants/{bob['participant_id']}")
    clock.clock(advance_seconds=1200)
    step(admin, "webinars", "POST", f"/{wid}/end")
    return {"event_id": event_id, "webinar": webinar["session_id"], "meeting": meeting["session_id"],
            "wid": wid, "tickets": tickets, "vip": vip}


def test_the_reports_add_up_to_what_happened(admin: Admin, api: Api, clock: Admin) -> None:
    run = ran_conference(admin, api, clock)
    event_id, keynote, workshop = run["event_id"], run["webinar"], run["meeting"]
    base = f"/zoom_events/events/{event_id}"
    # who attended the webinar session: host, Ann, Bob, the guest, in the order they joined
    attendees = api.get(f"{base}/sessions/{keynote}/attendees").json()
    assert attendees["total_records"] == 4
    assert [a["email"] for a in attendees["attendees"][1:]] == [ANN, BOB, "gus@example.com"]
    assert attendees["attendees"][0]["authentication_method"] == "zoom_account"          # the host, a user
    assert api.get(f"{base}/sessions/{workshop}/attendees").json() == \
        {"total_records": 0, "next_page_token": "", "attendees": []}
    # event attendance: the three registrants, by address
    got = report(api, event_id, "event_attendance")
    assert got["total_records"] == 3
    by = {a["email"]: a for a in got["attendees"]}
    assert [by[e]["event_attendance"] for e in (ANN, BOB, CY)] == ["attended", "attended", "absent"]
    ann = by[ANN]
    assert (ann["first_name"], ann["last_name"], ann["display_name"], ann["role"]) == ("Ann", "Lee", "Ann Lee",
                                                                                       "General")
    assert (ann["total_sessions_joined"], ann["survey_taken"], ann["number_of_tickets"]) == (1, 1, 1)
    assert ann["attendance_type"] == ["virtual"] and by[CY]["attendance_type"] == ["virtual"]
    assert ann["tickets"][0]["ticket_type_name"] == "VIP" and ann["tickets"][0]["ticket_id"] == \
        run["tickets"][ANN]["ticket_id"]
    assert {"title": "First Name", "answer": "Ann"} in ann["tickets"][0]["questions"]
    (kn, ws) = ann["session_attendance"]       # the VIP type admits to every session
    assert (kn["session_id"], kn["session_attendance"], kn["duration_spent_in_session"], kn["chat_messages_sent"]) \
        == (keynote, "attended", 30, 1)
    assert (kn["session_join_time"], kn["session_exit_time"]) == (NOW, "2026-11-02T15:30:00Z")
    assert (ws["session_id"], ws["session_attendance"], ws["duration_spent_in_session"]) == (workshop, "absent", 0)
    assert ann["last_modified_date"] == "2026-11-02T15:30:00Z"
    bob = by[BOB]
    assert bob["session_attendance"][0]["duration_spent_in_session"] == 10
    assert bob["session_attendance"][0]["chat_messages_sent"] == 1
    assert bob["tickets"][0]["external_ticket_id"] == "ext-1" and bob["tickets"][0]["ticket_type_name"] == \
        "General Admission"
    assert by[CY]["last_modified_date"] == NOW and by[CY]["total_sessions_joined"] == 0
    # from/to select by last modification; role_type attendee keeps general attendees (all of them here)
    assert report(api, event_id, "event_attendance", **{"from": "2026-11-02T15:20:00Z"})["total_records"] == 1
    assert report(api, event_id, "event_attendance", to="2026-11-02T15:01:00Z")["total_records"] == 1
    assert report(api, event_id, "event_attendance", role_type="attendee")["total_records"] == 3
    # ticket registration
    regs = {r["email"]: r for r in report(api, event_id, "ticket_registration")["registrations"]}
    assert sorted(regs) == [ANN, BOB, CY]
    assert (regs[ANN]["register_date"], regs[ANN]["registration_method"], regs[ANN]["registration_source"]) == \
        (NOW, "pre_registration", "api")
    assert [regs[e]["event_attendance"] for e in (ANN, BOB, CY)] == ["attended", "attended", "absent"]
    assert report(api, event_id, "ticket_registration", to="2026-11-01T00:00:00Z")["total_records"] == 0
    # session attendance: registrants yes/no, plus the host and the guest
    rows = {a["email"]: a for a in report(api, event_id, f"sessions/{keynote}/attendance")["attendees"]}
    assert [rows[e]["session_attendance"] for e in (ANN, BOB, CY, "gus@example.com")] == ["yes", "yes", "no", "yes"]
    assert (rows["gus@example.com"]["duration_spent_in_session"], rows["gus@example.com"]["tickets"]) == (5, [])
    assert (rows[ANN]["start_time"], rows[ANN]["end_time"], rows[ANN]["check_in_method"]) == \
        (NOW, "2026-11-02T15:30:00Z", "virtual")
    assert "start_time" not in rows[CY] and rows[CY]["duration_spent_in_session"] == 0
    assert len(rows) == 5 and any(r["role_name"] == "Host" for r in rows.values())


def test_survey_and_chat_reports(admin: Admin, api: Api, clock: Admin) -> None:
    run = ran_conference(admin, api, clock)
    event_id = run["event_id"]
    surveys = report(api, event_id, "survey")
    assert surveys["total_records"] == 2
    assert [(s["email"], s["question_and_answers"]) for s in surveys["surveys"]] == [
        ("Ann@Example.com", [{"question": "How was it?", "answer": "5"}]),
        (BOB, [{"question": "How was it?", "answer": "3"}])]
    assert {s["session_id"] for s in surveys["surveys"]} == {run["webinar"]}
    # an anonymous survey (the default) hides who answered
    assert api.patch(f"/webinars/{run['wid']}/survey", json={"custom_survey": {"anonymous": True}}).status_code == 204
    assert all("email" not in s for s in report(api, event_id, "survey")["surveys"])
    chats = report(api, event_id, "chat_transcripts")
    assert chats["total_records"] == 2
    public, private = chats["chat_transcripts"]
    assert (public["chat_type"], public["chat_name"], public["sender"], public["sender_email"], public["message"]) \
        == ("In-meeting/webinar Chat", "Keynote", "Ann Lee", "Ann@Example.com", "Hi all")
    assert (private["chat_type"], private["message"], private["message_time"]) == \
        ("Private 1:1 Chat", "psst", "2026-11-02T15:05:00Z")
    assert public["chat_channel_id"] == private["chat_channel_id"] and public["message_id"] != private["message_id"]
    page = report(api, event_id, "chat_transcripts", page_size=1)
    assert page["chat_transcripts"] == [public] and page["next_page_token"]
    rest = report(api, event_id, "chat_transcripts", page_size=1, next_page_token=page["next_page_token"])
    assert rest["chat_transcripts"] == [private] and rest["next_page_token"] == ""
    expect_error(api.get(f"/zoom_events/events/{event_id}/reports/survey", params={"next_page_token": "bogus"}),
                 400, 400, "Invalid page_size or event_id/next_page_token.")


def test_chat_of_a_running_session_waits_for_its_end(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    event_id = conference(api)
    session = added(api, event_id)
    publish(api, event_id)
    wid = sessions(api, event_id)[0]["webinar_id"]
    step(admin, "webinars", "POST", f"/{wid}/start")
    ann = join(admin, wid, name="Ann", email=ANN)
    step(admin, "webinars", "POST", f"/{wid}/chat", {"participant_id": ann["participant_id"], "message": "Hi"})
    assert report(api, event_id, "chat_transcripts")["total_records"] == 0
    assert api.get(f"/zoom_events/events/{event_id}/sessions/{session['session_id']}/attendees").json()[
        "total_records"] == 1                                   # attendance shows while it runs
    step(admin, "webinars", "POST", f"/{wid}/end")
    assert report(api, event_id, "chat_transcripts")["total_records"] == 1


def test_registrant_pages(api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    event_id = conference(api)
    added(api, event_id)
    publish(api, event_id)
    emails = [f"p{i:02d}@example.com" for i in range(7)]
    assert sell(api, event_id, *[{"email": e} for e in emails]).status_code == 201
    for name, key in (("event_attendance", "attendees"), ("ticket_registration", "registrations")):
        seen: list[str] = []
        token = ""
        while True:
            page = report(api, event_id, name, page_size=3, next_page_token=token)
            assert page["total_records"] == 7
            seen += [e["email"] for e in page[key]]
            token = page["next_page_token"]
            if not token:
                break
        assert seen == emails
    session_id = sessions(api, event_id)[0]["session_id"]
    page = report(api, event_id, f"sessions/{session_id}/attendance", page_size=5)
    assert (len(page["attendees"]), page["total_records"]) == (5, 7)
    assert all(a["session_attendance"] == "no" for a in page["attendees"])


def test_a_custom_report_of_a_template(admin: Admin, api: Api, clock: Admin) -> None:
    run = ran_conference(admin, api, clock)
    event_id = run["event_id"]
    made = admin.call("POST", f"/zoom_events/events/{event_id}/custom_reports", {"name": "Sales"})
    assert (made["event_id"], made["name"]) == (event_id, "Sales") and len(made["custom_report_id"]) == 22
    got = report(api, event_id, f"custom_reports/{made['custom_report_id']}")
    assert got["total_records"] == 3
    by = {r["email"]: r for r in got["registrants"]}
    ann = by[ANN]
    assert (ann["registration_date"], ann["event_attendance"], ann["polls_count"], ann["surveys_count"]) == \
        (NOW, "attended", 1, 1)
    assert [(s["session_id"], s["session_attendance"], s["duration_in_session"]) for s in ann["sessions"]] == \
        [(run["webinar"], "attended", 30), (run["meeting"], "absent", 0)]
    assert ann["tickets"][0]["registration_method"] == "pre_registration" and "external_ticket_id" not in \
        ann["tickets"][0]
    assert by[CY]["event_attendance"] == "absent"
    page = report(api, event_id, f"custom_reports/{made['custom_report_id']}", page_size=2)
    assert len(page["registrants"]) == 2 and page["next_page_token"]
    other = conference(api)          # a template belongs to its event
    expect_error(api.get(f"/zoom_events/events/{other}/reports/custom_reports/{made['custom_report_id']}"), 404,
                 260801, "Custom report template not found.")
    r = admin.http.post(f"/_zoomsim/zoom_events/events/{event_id}/custom_reports", json={"name": " "})
    assert r.status_code == 400, r.text
    r = admin.http.post("/_zoomsim/zoom_events/events/nosuchevent00000000000/custom_reports", json={"name": "x"})
    assert (r.status_code, r.json()["code"]) == (404, 2002)


def test_custom_reports_and_errors(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    session = added(api, event_id)
    base = f"/zoom_events/events/{event_id}"
    expect_error(api.get(f"{base}/reports/custom_reports/nosuchreport"), 404, 260801,
                 "Custom report template not found.")
    missing = "/zoom_events/events/nosuchevent00000000000"
    for suffix in ("/reports/event_attendance", "/reports/ticket_registration", "/reports/chat_transcripts",
                   "/reports/custom_reports/x", f"/reports/sessions/{session['session_id']}/attendance",
                   f"/sessions/{session['session_id']}/attendees"):
        expect_error(api.get(missing + suffix), 404, 2002, "Event not found.")
    expect_error(api.get(f"{missing}/reports/survey"), 404, 404, "Event not found.")
    for suffix in ("/reports/sessions/nosuchsession000000000/attendance", "/sessions/nosuchsession000000000/attendees"):
        expect_error(api.get(base + suffix), 404, 2003, "Session not found.")
    other = admin.tenant()          # another account's event is a missing one
    for suffix in ("/reports/event_attendance", "/reports/ticket_registration", "/reports/chat_transcripts",
                   f"/sessions/{session['session_id']}/attendees", "/reports/custom_reports/x"):
        expect_error(other.get(base + suffix), 404, 2002)
    expect_error(other.get(f"{base}/reports/survey"), 404, 404)
    member = admin.member(api, scopes=["zoom_events_reports:read", "zoom_events_registrants:read"])
    expect_error(member.get(f"{base}/reports/event_attendance"), 403, 260200, "Event access denied.")
    expect_error(member.get(f"{base}/reports/ticket_registration"), 403, 260200, "Event access denied")
    expect_error(member.get(f"{base}/sessions/{session['session_id']}/attendees"), 403, 260200)


def test_checked_in_on_site_counts_as_attended(api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    event_id = on_site_event(api, [ANN, BOB], attendance_type="hybrid")
    clock.clock(advance_seconds=60)
    assert check_in(api, event_id, ANN) == []
    by = {a["email"]: a for a in report(api, event_id, "event_attendance")["attendees"]}
    assert (by[ANN]["event_attendance"], by[ANN]["attendance_type"], by[ANN]["last_modified_date"]) == \
        ("attended", ["in_person"], "2026-11-02T15:01:00Z")
    assert (by[BOB]["event_attendance"], by[BOB]["attendance_type"]) == ("absent", ["hybrid"])
    regs = {r["email"]: r for r in report(api, event_id, "ticket_registration")["registrations"]}
    assert (regs[ANN]["event_attendance"], regs[ANN]["attendance_type"]) == ("attended", ["hybrid"])


def test_reservations_session_check_ins_and_registrant_joins(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    event_id, first, other = reservable(api, attendance_type="hybrid")
    assert api.post(f"/zoom_events/events/{event_id}/sessions/{first}/reservations",
                    json={"email": "g0@example.com"}).status_code in (201, 204)
    assert session_check_in(api, event_id, first, "g1@example.com").json()["errors"] == []
    wid = next(s for s in sessions(api, event_id) if s["session_id"] == first)["webinar_id"]
    regs = api.get(f"/webinars/{wid}/registrants").json()["registrants"]
    g2 = next(r["id"] for r in regs if r["email"] == "g2@example.com")     # tickets register their holders
    step(admin, "webinars", "POST", f"/{wid}/start")
    joined = join(admin, wid, registrant_id=g2, email="elsewhere.alias@example.com")
    clock.clock(advance_seconds=600)
    step(admin, "webinars", "POST", f"/{wid}/chat", {"participant_id": joined["participant_id"], "message": "Hey"})
    step(admin, "webinars", "POST", f"/{wid}/end")
    by = {a["email"]: a for a in report(api, event_id, "event_attendance")["attendees"]}
    first_of = {e: next(s for s in by[e]["session_attendance"] if s["session_id"] == first)
                for e in ("g0@example.com", "g1@example.com", "g2@example.com")}
    assert (first_of["g0@example.com"]["session_reserved"], first_of["g0@example.com"]["session_attendance"]) == \
        (True, "absent")
    assert (by["g1@example.com"]["event_attendance"], by["g1@example.com"]["attendance_type"],
            first_of["g1@example.com"]["session_attendance"]) == ("attended", ["in_person"], "attended")
    assert (by["g2@example.com"]["attendance_type"], first_of["g2@example.com"]["duration_spent_in_session"],
            first_of["g2@example.com"]["chat_messages_sent"]) == (["virtual"], 10, 1)
    assert [s["session_id"] for s in by["elsewhere@example.com"]["session_attendance"]] == [other]
    rows = {a["email"]: a for a in report(api, event_id, f"sessions/{first}/attendance")["attendees"]}
    assert sorted(rows) == [f"g{i}@example.com" for i in range(4)]      # the other type does not admit here
    assert (rows["g1@example.com"]["session_attendance"], rows["g1@example.com"]["check_in_method"]) == ("yes", "api")
    assert (rows["g2@example.com"]["session_attendance"], rows["g2@example.com"]["check_in_method"],
            rows["g2@example.com"]["duration_spent_in_session"]) == ("yes", "virtual", 10)
    listed = api.get(f"/zoom_events/events/{event_id}/sessions/{first}/attendees").json()["attendees"]
    assert listed == [{"email": "g2@example.com", "authentication_method": "zoom_account"}]


def test_every_run_of_a_recurring_events_session_counts(admin: Admin, api: Api, clock: Admin) -> None:
    freeze(clock, api, NOW)
    rule = {"type": 1, "repeat_interval": 1, "end_times": 3, "duration": 60}
    event = made(api, event_type="RECURRING", meeting_type="MEETING", recurrence=rule,
                 calendar=[{"start_time": "2031-07-28T13:00:00Z", "end_time": "2031-07-28T14:00:00Z"}])
    event_id = event["event_id"]
    publish(api, event_id)
    assert sell(api, event_id, {"email": ANN}, {"email": BOB}).status_code == 201
    (session,) = sessions(api, event_id)
    mid = session["meeting_id"]
    for minutes in (20, 15):          # two runs of the one session
        step(admin, "meetings", "POST", f"/{mid}/start")
        step(admin, "meetings", "POST", f"/{mid}/participants", {"name": "Ann", "email": ANN})
        clock.clock(advance_seconds=minutes * 60)
        step(admin, "meetings", "POST", f"/{mid}/end")
        clock.clock(advance_seconds=86_400)
    by = {a["email"]: a for a in report(api, event_id, "event_attendance")["attendees"]}
    (kn,) = by[ANN]["session_attendance"]
    assert (by[ANN]["total_sessions_joined"], kn["duration_spent_in_session"], kn["session_join_time"]) == \
        (1, 35, NOW)
    assert by[BOB]["event_attendance"] == "absent"
    assert report(api, event_id, f"sessions/{session['session_id']}/attendance", page_size=300)["total_records"] == 2


def test_reports_take_classic_or_granular_scopes(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    path = f"/zoom_events/events/{event_id}/reports/event_attendance"
    expect_error(admin.member(api, scopes=["zoom_events_basic:read:admin"]).get(path), 400, 4711)
    for scopes in (["zoom_events_reports:read:admin"], ["zoom_events:read:event_attendance:admin"]):
        reader = admin.member(api, scopes=scopes)          # an account-level scope reads another host's event
        assert reader.get(path).status_code == 200
    granular = admin.member(api, scopes=["zoom_events:read:event_attendance:admin"])
    expect_error(granular.get(f"/zoom_events/events/{event_id}/reports/ticket_registration"), 400, 4711)
