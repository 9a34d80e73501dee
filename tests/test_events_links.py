"""Zoom Events access links over HTTP: registration and group-join links, authentication methods,
defaults, unique names (261203), one default link at a time, ticket types (261202), recurring
registration options, update and delete (261201), tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_events import made

NAME_TAKEN = "Please ensure that each join link has a unique name."


def path(event_id: str, rest: str = "") -> str:
    return f"/zoom_events/events/{event_id}/access_links{rest}"


def add_link(api: Api, event_id: str, **body: Any) -> dict[str, Any]:
    body = {"name": "Main", "type": "registration", "authentication_method": "bypass_auth", **body}
    r = api.post(path(event_id), json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def links(api: Api, event_id: str) -> list[dict[str, Any]]:
    r = api.get(path(event_id))
    assert r.status_code == 200, r.text
    return r.json()["access_links"]  # type: ignore[no-any-return]


def test_create_a_registration_link_with_defaults(api: Api) -> None:
    event_id = made(api)["event_id"]
    body = add_link(api, event_id, email_restrict_list=["Ana@Example.com"], allow_domain_list=["Example.com"],
                    security_at_join={"email_authentication": True})
    assert len(body["access_link_id"]) == 22
    assert (body["name"], body["type"], body["authentication_method"], body["is_default"]) == \
        ("Main", "registration", "bypass_auth", False)
    assert body["security_at_join"] == {"email_authentication": True, "security_code_verification": False}
    assert (body["email_restrict_list"], body["allow_domain_list"]) == (["ana@example.com"], ["example.com"])
    assert "recurring_registration_option" not in body and "idp_name" not in body
    got = api.get(path(event_id, f"/{body['access_link_id']}"))
    assert got.status_code == 200 and got.json() == body
    (listed,) = links(api, event_id)
    assert listed == {**body, "url": listed["url"]}
    assert listed["url"].endswith(f"/ev/{event_id}/access/{body['access_link_id']}")


def test_a_group_join_link(api: Api) -> None:
    event_id = made(api)["event_id"]
    body = add_link(api, event_id, name="Staff", type="group-join", authentication_method="corporate_idp",
                    idp_name="okta", security_at_join={"email_authentication": True,
                                                       "security_code_verification": True})
    # e-mail authentication applies to registration links only
    assert body["security_at_join"] == {"email_authentication": False, "security_code_verification": True}
    assert (body["type"], body["idp_name"]) == ("group-join", "okta")
    expect_error(api.post(path(event_id), json={"name": "Other", "type": "group-join",
                                                "authentication_method": "zoom_account",
                                                "ticket_type_id": "a" * 22}),
                 400, 261202, "The ticket type could not be found.")


def test_required_and_checked_fields(api: Api) -> None:
    event_id = made(api)["event_id"]
    assert bad_fields(api.post(path(event_id), json={})) == {"authentication_method", "name", "type"}
    base = {"name": "X", "type": "registration", "authentication_method": "bypass_auth"}
    assert "type" in bad_fields(api.post(path(event_id), json={**base, "type": "open"}))
    assert "authentication_method" in bad_fields(api.post(path(event_id), json={**base,
                                                                                "authentication_method": "pin"}))
    assert bad_fields(api.post(path(event_id), json={**base, "name": "  "})) == {"name"}
    assert bad_fields(api.post(path(event_id), json={**base, "allow_domain_list": ["not a domain"]})) == \
        {"allow_domain_list"}
    assert bad_fields(api.post(path(event_id), json={**base, "allow_domain_list": [f"d{i}.example" for i in
                                                                                   range(51)]})) == \
        {"allow_domain_list"}
    assert bad_fields(api.post(path(event_id), json={**base, "email_restrict_list": ["nope"]})) == \
        {"email_restrict_list"}
    assert bad_fields(api.post(path(event_id), json={**base, "recurring_registration_option": "all_sessions"})) == \
        {"recurring_registration_option"}                          # recurring events only
    assert links(api, event_id) == []


def test_recurring_events_have_a_registration_option(api: Api) -> None:
    rule = {"type": 1, "repeat_interval": 1, "end_times": 3}
    event_id = made(api, event_type="RECURRING", meeting_type="WEBINAR", recurrence=rule)["event_id"]
    assert add_link(api, event_id)["recurring_registration_option"] == "all_sessions"
    assert add_link(api, event_id, name="One", recurring_registration_option="single_session")[
        "recurring_registration_option"] == "single_session"


def test_names_are_unique_in_an_event(api: Api) -> None:
    event_id = made(api)["event_id"]
    add_link(api, event_id, name="Main")
    expect_error(api.post(path(event_id), json={"name": "main ", "type": "group-join",
                                                "authentication_method": "zoom_account"}), 400, 261203, NAME_TAKEN)
    other = add_link(api, event_id, name="Second")
    expect_error(api.patch(path(event_id, f"/{other['access_link_id']}"), json={"name": "MAIN"}), 400, 261203,
                 "Please ensure that each join link has a unique name..")   # sic: the update's wording
    add_link(api, made(api)["event_id"], name="Main")                        # another event: fine


def test_one_default_link_at_a_time(api: Api) -> None:
    event_id = made(api)["event_id"]
    first = add_link(api, event_id, name="A", is_default=True)
    second = add_link(api, event_id, name="B", is_default=True)
    assert [link["is_default"] for link in links(api, event_id)] == [False, True]
    r = api.patch(path(event_id, f"/{first['access_link_id']}"), json={"is_default": True})
    assert r.status_code == 204
    assert [(link["access_link_id"], link["is_default"]) for link in links(api, event_id)] == \
        [(first["access_link_id"], True), (second["access_link_id"], False)]


def test_update_and_delete(api: Api) -> None:
    event_id = made(api)["event_id"]
    body = add_link(api, event_id)
    one = path(event_id, f"/{body['access_link_id']}")
    r = api.patch(one, json={"name": "Renamed", "authentication_method": "zoom_account_otp",
                             "security_at_join": {"security_code_verification": True}, "type": "group-join"})
    assert r.status_code == 204 and r.content == b""
    got = api.get(one).json()
    assert got == {**body, "name": "Renamed", "authentication_method": "zoom_account_otp",
                   "security_at_join": {"email_authentication": False, "security_code_verification": True}}
    assert bad_fields(api.patch(one, json={"email_restrict_list": ["x"]})) == {"email_restrict_list"}
    assert api.get(one).json() == got
    assert api.delete(one).status_code == 204
    for r in (api.get(one), api.patch(one, json={"name": "X"}), api.delete(one)):
        expect_error(r, 404, 261201, "Event access link not found.")
    assert links(api, event_id) == []
    add_link(api, event_id, name="Renamed")                     # the name is free again


def test_another_accounts_event_is_not_found(admin: Admin, api: Api) -> None:
    event_id = made(api)["event_id"]
    body = add_link(api, event_id)
    other = admin.tenant()
    one = path(event_id, f"/{body['access_link_id']}")
    for r in (other.get(path(event_id)), other.get(one), other.patch(one, json={"name": "X"}), other.delete(one),
              other.post(path(event_id), json={"name": "X", "type": "registration",
                                               "authentication_method": "bypass_auth"})):
        expect_error(r, 404, 2002, "Event not found.")
    # another event's link is not this event's
    expect_error(api.get(path(made(api)["event_id"], f"/{body['access_link_id']}")), 404, 261201)
    member = admin.member(api, scopes=["zoom_events_access_links:read"])
    expect_error(member.get(path(event_id)), 403, 260200, "Event access denied.")
    assert links(api, event_id) == [{**body, "url": links(api, event_id)[0]["url"]}]


def test_a_name_longer_than_its_column_is_refused(api: Api) -> None:
    event_id = made(api)["event_id"]
    long_name = "n" * 256
    assert bad_fields(api.post(path(event_id), json={"name": long_name, "type": "registration",
                                                     "authentication_method": "bypass_auth"})) == {"name"}
    body = add_link(api, event_id, name="n" * 255)
    assert bad_fields(api.patch(path(event_id, f"/{body['access_link_id']}"), json={"name": long_name})) == {"name"}
    assert [link["name"] for link in links(api, event_id)] == ["n" * 255]


def test_a_group_join_link_with_the_events_ticket_type(api: Api) -> None:
    from test_events_sessions import conference

    def ticket_type(event_id: str) -> str:
        r = api.post(f"/zoom_events/events/{event_id}/ticket_types", json={
            "name": "Staff", "currency": "USD", "free": True, "start_time": "2026-01-01T00:00:00Z",
            "end_time": "2031-07-28T12:00:00Z"})
        assert r.status_code == 201, r.text
        return r.json()["ticket_type_id"]  # type: ignore[no-any-return]

    event_id, elsewhere = conference(api), conference(api)
    mine, theirs = ticket_type(event_id), ticket_type(elsewhere)
    body = add_link(api, event_id, name="Staff", type="group-join", ticket_type_id=mine)
    assert body["ticket_type_id"] == mine
    expect_error(api.post(path(event_id), json={"name": "Other", "type": "group-join",
                                                "authentication_method": "bypass_auth", "ticket_type_id": theirs}),
                 400, 261202, "The ticket type could not be found.")
    expect_error(api.patch(path(event_id, f"/{body['access_link_id']}"), json={"ticket_type_id": theirs}),
                 400, 261202, "The ticket type could not be found.")
    # a registration link has no ticket type (it "applies only to group-join link type")
    assert "ticket_type_id" not in add_link(api, event_id, name="Reg", ticket_type_id=mine)
