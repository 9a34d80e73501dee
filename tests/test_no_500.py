"""Inputs that once answered 500: null array items, times at the ends of the calendar, path ids
too long for int(), and strings longer than their PostgreSQL column. Each must answer Zoom's
error envelope with the field named, and leave nothing half-written (both backends)."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from support import Admin, Api, bad_fields, expect_error, new_meeting, unique_email
from zoomsim.optable import load_operations
from zoomsim.storage import schema

FUTURE = "2031-03-10T15:00:00Z"


def registration_meeting(api: Api, **body: Any) -> dict[str, Any]:
    return new_meeting(api, type=2, start_time=FUTURE, settings={"approval_type": 0}, **body)


# ---- 1. null inside arrays -----------------------------------------------------------------

def test_null_tracking_field_on_create_and_update(api: Api) -> None:
    assert bad_fields(api.post("/users/me/meetings", json={"topic": "x", "tracking_fields": [None]})) \
        == {"tracking_fields[0]"}
    mid = new_meeting(api)["id"]
    assert bad_fields(api.patch(f"/meetings/{mid}", json={"tracking_fields": [{"field": "a"}, None]})) \
        == {"tracking_fields[1]"}
    assert "tracking_fields" not in api.get(f"/meetings/{mid}").json()


def test_null_items_in_registrant_lists(api: Api) -> None:
    mid = registration_meeting(api)["id"]
    assert bad_fields(api.post(f"/meetings/{mid}/batch_registrants", json={"registrants": [None]})) \
        == {"registrants[0]"}
    assert bad_fields(api.put(f"/meetings/{mid}/registrants/status",
                              json={"action": "approve", "registrants": [None]})) == {"registrants[0]"}
    assert bad_fields(api.post(f"/meetings/{mid}/registrants", json={
        "email": unique_email(), "first_name": "Jo", "custom_questions": [None]})) == {"custom_questions[0]"}
    assert bad_fields(api.patch(f"/meetings/{mid}/registrants/questions", json={"questions": [None]})) \
        == {"questions[0]"}
    assert bad_fields(api.patch(f"/meetings/{mid}/registrants/questions", json={"custom_questions": [None]})) \
        == {"custom_questions[0]"}
    assert bad_fields(api.patch(f"/meetings/{mid}/registrants/questions", json={
        "custom_questions": [{"title": "Why?", "type": "single", "answers": ["a", None]}]})) \
        == {"custom_questions[0].answers[1]"}
    assert api.get(f"/meetings/{mid}/registrants").json()["total_records"] == 0


def test_null_invite_link_attendee(api: Api) -> None:
    mid = new_meeting(api)["id"]
    assert bad_fields(api.post(f"/meetings/{mid}/invite_links", json={"attendees": [None]})) == {"attendees[0]"}


def test_null_string_items(api: Api) -> None:
    assert bad_fields(api.post("/tracking_fields", json={"field": "Dept", "recommended_values": ["a", None]})) \
        == {"recommended_values[1]"}


# ---- 2. dates near the ends of the calendar ------------------------------------------------

@pytest.mark.parametrize("start", ["9999-12-31T23:59:59Z", "9999-12-31T23:59:59", "0999-12-31T00:00:00Z",
                                   "0001-01-01T00:00:00", "9001-01-01T00:00:00Z"])
def test_start_time_outside_the_calendar(api: Api, start: str) -> None:
    before = api.get("/users/me/meetings").json()["total_records"]
    assert bad_fields(api.post("/users/me/meetings", json={"topic": "x", "start_time": start,
                                                           "timezone": "Asia/Tokyo"})) == {"start_time"}
    mid = new_meeting(api, start_time=FUTURE)["id"]
    assert bad_fields(api.patch(f"/meetings/{mid}", json={"start_time": start})) == {"start_time"}
    assert api.get(f"/meetings/{mid}").json()["start_time"] == FUTURE
    assert api.get("/users/me/meetings").json()["total_records"] == before + 1


def test_recurrence_reaching_year_10000(api: Api) -> None:
    body = {"topic": "x", "type": 8, "start_time": "9999-11-01T10:00:00Z",
            "recurrence": {"type": 3, "repeat_interval": 10, "monthly_day": 1, "end_times": 60}}
    assert bad_fields(api.post("/users/me/meetings", json=body)) == {"start_time"}
    mid = new_meeting(api, type=8, start_time=FUTURE, recurrence={"type": 1, "end_times": 2})["id"]
    assert bad_fields(api.patch(f"/meetings/{mid}", json={
        "recurrence": {"type": 1, "end_date_time": "9999-12-31T00:00:00Z"}})) == {"recurrence.end_date_time"}
    # the latest start the calendar takes still expands its whole recurrence
    late = new_meeting(api, type=8, start_time="9000-11-01T10:00:00Z",
                       recurrence={"type": 3, "repeat_interval": 10, "monthly_day": 1, "end_times": 60})
    assert len(late["occurrences"]) == 60 and late["occurrences"][-1]["start_time"].startswith("9050-")


def test_three_digit_year_is_refused_not_stored(api: Api) -> None:
    mid = new_meeting(api, start_time=FUTURE)["id"]
    assert bad_fields(api.patch(f"/meetings/{mid}", json={"start_time": "0999-12-31T00:00:00Z"})) == {"start_time"}
    assert api.get(f"/meetings/{mid}").status_code == 200
    assert api.get("/users/me/meetings", params={"type": "upcoming"}).status_code == 200


def test_list_dates_outside_the_calendar(api: Api) -> None:
    for params in ({"from": "9999-12-31"}, {"to": "9999-12-31", "timezone": "Pacific/Kiritimati"},
                   {"from": "0001-01-01", "timezone": "Pacific/Pago_Pago"}):
        assert bad_fields(api.get("/users/me/meetings", params=params)) == set(params) - {"timezone"}


# ---- 3. path ids too long for int() ------------------------------------------------------

def test_4301_digit_meeting_id_is_not_found(api: Api, admin: Admin) -> None:
    huge = "9" * 4301
    for method in ("GET", "PATCH", "DELETE"):
        r = api.request(method, f"/meetings/{huge}", json={} if method == "PATCH" else None)
        assert r.status_code == 404 and r.json()["code"] == 3001, r.text
    for path in (f"/meetings/{huge}/registrants", f"/past_meetings/{huge}", f"/report/meetings/{huge}",
                 f"/meetings/{'0' * 5000}1"):
        r = api.get(path)
        assert 400 <= r.status_code < 500, (path, r.text)
    r = admin.http.post(f"/_zoomsim/meetings/{huge}/start")
    assert r.status_code == 404 and r.json()["code"] == 3001, r.text


def test_huge_numbers_in_query_and_body(api: Api) -> None:
    mid = new_meeting(api)["id"]
    assert api.get("/users/me/meetings", params={"page_size": "9" * 5000}).status_code == 400
    assert api.get(f"/meetings/{mid}", params={"occurrence_id": "9" * 5000}).status_code == 400
    r = api.patch(f"/meetings/{mid}", content=b'{"duration": 1' + b"0" * 5000 + b"}",
                  headers={"content-type": "application/json"})
    expect_error(r, 400, 300)


# ---- 4. strings longer than their column (PostgreSQL answered 500) -------------------------

LONG = "x" * 256


def long_email(n: int = 256) -> str:
    return "a" * 60 + "@" + ".".join(["b" * 60] * ((n - 61) // 61 + 1)) + ".com"


def test_long_tracking_field_name(api: Api) -> None:
    assert bad_fields(api.post("/tracking_fields", json={"field": LONG})) == {"field"}
    made = api.post("/tracking_fields", json={"field": "Dept"})
    assert made.status_code == 201, made.text
    assert bad_fields(api.patch(f"/tracking_fields/{made.json()['id']}", json={"field": LONG})) == {"field"}
    assert bad_fields(api.post("/users/me/meetings", json={"tracking_fields": [{"field": LONG, "value": "v"}]})) \
        == {"tracking_fields[0].field"}


def test_long_template_name(api: Api) -> None:
    mid = new_meeting(api)["id"]
    assert bad_fields(api.post("/users/me/meeting_templates", json={"meeting_id": mid, "name": LONG})) == {"name"}
    assert api.get("/users/me/meeting_templates").json()["total_records"] == 0


def test_long_registrant_emails(api: Api) -> None:
    mid = registration_meeting(api)["id"]
    email = long_email()
    assert len(email) > 255
    assert bad_fields(api.post(f"/meetings/{mid}/batch_registrants",
                               json={"registrants": [{"email": email, "first_name": "Jo"}]})) \
        == {"registrants[0].email"}
    assert bad_fields(api.post(f"/meetings/{mid}/registrants", json={"email": email, "first_name": "Jo"})) \
        == {"email"}
    assert api.get(f"/meetings/{mid}/registrants").json()["total_records"] == 0


def test_long_sip_phone_and_tsp_strings(api: Api, admin: Admin) -> None:
    for path, body in (("/sip_phones", {"user_email": long_email(), "domain": "d", "register_server": "r"}),
                       ("/sip_phones/phones", {"user_email": long_email(), "domain": "d"})):
        r = api.post(path, json=body)
        assert r.status_code == 400, r.text
    r = api.post("/users/me/tsp", json={"conference_code": "1234", "leader_pin": "1",
                                        "tsp_bridge": LONG, "dial_in_numbers": [{"type": LONG}]})
    assert r.status_code < 500, r.text


def test_long_simulated_participant_fields(api: Api, admin: Admin) -> None:
    mid = new_meeting(api)["id"]
    admin.call("POST", f"/meetings/{mid}/start")
    for spec, name in (({"name": LONG}, "name"), ({"name": "Jo", "email": long_email()}, "email"),
                       ({"phone_number": "1" * 33}, "phone_number"), ({"name": "Jo", "registrant_id": LONG}, "registrant_id"),
                       ({"user_id": LONG}, "user_id")):
        r = admin.http.post(f"/_zoomsim/meetings/{mid}/participants", json=spec)
        assert r.status_code in (400, 404), (spec, r.text)
        if r.status_code == 400:
            assert {e["field"] for e in r.json()["errors"]} == {name}, r.text
    ran = admin.http.post(f"/_zoomsim/meetings/{new_meeting(api)['id']}/run",
                          json={"participants": [{"name": "Jo"}, {"name": LONG}], "duration_minutes": 5})
    assert {e["field"] for e in expect_error(ran, 400, 300)["errors"]} == {"participants[1].name"}


# ---- every String(N) column a request can fill has its limit in the request schema ----------

# "table.column" -> the request fields that end up in it: (operationId, field path) for the API,
# or a note for the admin simulation routes (checked by live.join against the column itself).
FED_BY_REQUESTS: dict[str, list[tuple[str, str]]] = {
    "event_subscriptions.name": [("createEventSubscription", "event_subscription_name")],
    "users.email": [("userCreate", "user_info.email"), ("userEmailUpdate", "email")],
    "users.host_key": [("userUpdate", "host_key")],
    "registrants.email": [("meetingRegistrantCreate", "email"), ("addBatchRegistrants", "registrants[].email")],
    "account_items.name": [("trackingfieldCreate", "field"), ("trackingfieldUpdate", "field"),
                           ("meetingTemplateCreate", "name"), ("createSIPPhone", "user_email"),
                           ("EnableSIPPhonePhones", "user_email")],
    "participants.name": [("admin", "simulation")], "participants.email": [("admin", "simulation")],
    "participants.phone_number": [("admin", "simulation")], "participants.user_id": [("admin", "simulation")],
    "participants.registrant_id": [("admin", "simulation")],
    "instances.topic": [("meetingCreate", "topic"), ("meetingUpdate", "topic")],
    "apps.name": [("admin", "routes")],   # the admin API's own names: checked in admin/routes.py
    "tickets.email": [("createTickets", "tickets[].email")],
}


def _field(schema: dict[str, Any], path: str) -> dict[str, Any]:
    node = schema
    for part in path.split("."):
        name = part.removesuffix("[]")
        node = next(h["properties"][name] for h in [node, *node.get("allOf", [])] if name in h.get("properties", {}))
        if part.endswith("[]"):
            node = node["items"]
    return node


# Column names the server always fills itself: ids it issues or has looked up, kinds, statuses
# and timestamps it writes, secrets it derives.
SERVER_MADE = {"id", "account_id", "owner_id", "user_id", "host_id", "kind", "status", "created_at", "role_id",
               "uuid", "client_id", "secret_salt", "secret_hash", "person", "join_time", "leave_time",
               "start_time", "end_time", "time", "category", "key", "plan",
               # Zoom Events: ids of rows looked up first (hub, event, ticket type); an enum's value
               "hub_id", "event_id", "ticket_type_id", "event_type",
               # webhooks: ids zoomsim issues, an event name from its catalog, enums checked first, a
               # secret token the admin API limits to 64 characters
               "app_id", "event", "request_id", "trace_id", "state", "subscription_id", "source", "scope",
               "secret_token",
               # the API-call log: the recorder cuts what requests give it (method, subject) to the column
               "method", "operation_id", "subject",
               # fault rules: ids zoomsim issues
               "fault"}


def test_every_request_fed_string_column_is_limited() -> None:
    """A new String(N) column must be classified here: either the server fills it, or the
    request fields feeding it are listed and carry a maxLength no longer than the column."""
    ops = {op.id: op for op in load_operations()}
    columns = {f"{table.name}.{col.name}": col.type.length for table in schema.metadata.tables.values()
               for col in table.c if isinstance(col.type, sa.String) and col.type.length}
    unclassified = {c for c in columns if c not in FED_BY_REQUESTS and c.rsplit(".", 1)[1] not in SERVER_MADE}
    assert not unclassified, f"String columns neither server-made nor limited by a request schema: {unclassified}"
    for column, feeds in FED_BY_REQUESTS.items():
        for op_id, path in feeds:
            if op_id == "admin":
                continue
            limit = _field(ops[op_id].body or {}, path).get("maxLength")
            assert limit is not None and limit <= columns[column], (column, op_id, path, limit)


def test_weekly_days_that_int_refuses(api: Api) -> None:
    for days in ("²", "1,²", "1" * 5000, "0", "8"):
        assert bad_fields(api.post("/users/me/meetings", json={
            "type": 8, "start_time": FUTURE, "recurrence": {"type": 2, "weekly_days": days}})) \
            == {"recurrence.weekly_days"}


def test_report_meeting_numbers_that_int_refuses(api: Api) -> None:
    """'²'.isdigit() is true but int() refuses it: such a number names no meeting."""
    window = {"from": "2026-01-01", "to": "2026-01-20"}
    for params in ({"meeting_number": "²"}, {"search_key": "²"}, {"meeting_number": "9" * 5000}):
        for path in ("/report/meeting_activities", "/report/history_meetings"):
            r = api.get(path, params={**window, **params})
            assert r.status_code < 500, (path, params, r.text)
    assert bad_fields(api.patch("/users/me", json={"pmi": "²" * 10})) == {"pmi"}
