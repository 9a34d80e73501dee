"""Zoom Events exhibitors and sponsor tiers over HTTP: conference events only (1006), create with
a tier, sponsors and plain exhibitors, associated sessions, update (sponsor_tier), delete, the
id checks (1020 malformed, 2006 missing), tenancy and access (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, bad_fields, expect_error
from test_events_events import made
from test_events_sessions import added, conference

NOT_FOR_TYPE = "Operation is not supported for this event type."


def path(event_id: str, rest: str = "") -> str:
    return f"/zoom_events/events/{event_id}/exhibitors{rest}"


def tiers(api: Api, event_id: str) -> list[dict[str, Any]]:
    r = api.get(f"/zoom_events/events/{event_id}/sponsor_tiers")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["sponsor_tiers"])
    return body["sponsor_tiers"]  # type: ignore[no-any-return]


def body_for(api: Api, event_id: str, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Acme", "contact_name": "Ana", "contact_email": "Ana@Acme.example",
                            "is_sponsor": True, "tier_id": tiers(api, event_id)[0]["tier_id"]}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def add_exhibitor(api: Api, event_id: str, **over: Any) -> dict[str, Any]:
    r = api.post(path(event_id), json=body_for(api, event_id, **over))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def exhibitors(api: Api, event_id: str) -> list[dict[str, Any]]:
    r = api.get(path(event_id))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["exhibitors"])
    return body["exhibitors"]  # type: ignore[no-any-return]


def test_a_conference_has_standing_sponsor_tiers(api: Api) -> None:
    event_id = conference(api)
    listed = tiers(api, event_id)
    assert [t["name"] for t in listed] == ["Platinum", "Gold", "Silver", "Bronze"]
    assert all(len(t["tier_id"]) == 22 for t in listed)
    assert tiers(api, event_id) == listed                        # stable
    other = tiers(api, conference(api))
    assert not {t["tier_id"] for t in listed} & {t["tier_id"] for t in other}   # each event its own


def test_create_get_list_a_sponsor(api: Api) -> None:
    event_id = conference(api)
    session = added(api, event_id)
    gold = tiers(api, event_id)[1]["tier_id"]
    body = add_exhibitor(api, event_id, tier_id=gold, associated_sessions=[session["session_id"]],
                         website="https://acme.example", description="Rockets")
    assert len(body["exhibitor_id"]) == 22
    assert (body["name"], body["is_sponsor"], body["tier_id"], body["contact_email"]) == \
        ("Acme", True, gold, "ana@acme.example")
    assert body["associated_sessions"] == [session["session_id"]] and body["twitter_url"] == ""
    got = api.get(path(event_id, f"/{body['exhibitor_id']}"))
    assert got.status_code == 200 and got.json() == body
    plain = add_exhibitor(api, event_id, name="Booth", is_sponsor=False)
    assert (plain["is_sponsor"], plain["tier_id"]) == (False, "")   # a tier applies to sponsors only
    assert exhibitors(api, event_id) == [body, plain]


def test_required_and_checked_fields(api: Api) -> None:
    event_id = conference(api)
    assert bad_fields(api.post(path(event_id), json={})) == \
        {"contact_email", "contact_name", "is_sponsor", "name", "tier_id"}
    assert bad_fields(api.post(path(event_id), json=body_for(api, event_id, name=" "))) == {"name"}
    assert bad_fields(api.post(path(event_id), json=body_for(api, event_id, contact_email="nope"))) == \
        {"contact_email"}
    assert bad_fields(api.post(path(event_id), json=body_for(api, event_id, tier_id="x" * 22))) == {"tier_id"}
    # another conference's tier is not this one's
    foreign = tiers(api, conference(api))[0]["tier_id"]
    assert bad_fields(api.post(path(event_id), json=body_for(api, event_id, tier_id=foreign))) == {"tier_id"}
    assert bad_fields(api.post(path(event_id), json=body_for(api, event_id, associated_sessions=["nope"]))) == \
        {"associated_sessions"}
    assert exhibitors(api, event_id) == []


def test_update_with_sponsor_tier_and_delete(api: Api) -> None:
    event_id = conference(api)
    body = add_exhibitor(api, event_id, is_sponsor=False)
    one = path(event_id, f"/{body['exhibitor_id']}")
    bronze = tiers(api, event_id)[3]["tier_id"]
    assert bad_fields(api.patch(one, json={"is_sponsor": True})) == {"sponsor_tier"}   # a sponsor needs a tier
    r = api.patch(one, json={"is_sponsor": True, "sponsor_tier": bronze, "youtube_url": "https://yt.example/a"})
    assert r.status_code == 204 and r.content == b""
    got = api.get(one).json()
    assert got == {**body, "is_sponsor": True, "tier_id": bronze, "youtube_url": "https://yt.example/a"}
    assert bad_fields(api.patch(one, json={"contact_email": "bad"})) == {"contact_email"}
    assert api.get(one).json() == got
    assert api.delete(one).status_code == 204
    expect_error(api.get(one), 404, 2006, "Exhibitor not found.")
    expect_error(api.patch(one, json={"name": "X"}), 404, 2006)
    expect_error(api.delete(one), 404, 2006)
    expect_error(api.get(path(event_id, "/not-an-id")), 400, 1020, "Exhibitor ID is invalid.")
    assert exhibitors(api, event_id) == []


def test_a_deleted_session_leaves_the_exhibitors_sessions(api: Api) -> None:
    event_id = conference(api)
    first = added(api, event_id)
    second = added(api, event_id, type=4)
    body = add_exhibitor(api, event_id, associated_sessions=[first["session_id"], second["session_id"]])
    assert api.delete(f"/zoom_events/events/{event_id}/sessions/{first['session_id']}").status_code == 204
    got = api.get(path(event_id, f"/{body['exhibitor_id']}")).json()
    assert got["associated_sessions"] == [second["session_id"]]


def test_only_conferences_have_exhibitors(api: Api) -> None:
    simple = made(api)["event_id"]
    some_id = "a" * 22
    for r in (api.get(path(simple)), api.post(path(simple), json=body_for(api, conference(api))),
              api.get(path(simple, f"/{some_id}")), api.patch(path(simple, f"/{some_id}"), json={"name": "X"}),
              api.delete(path(simple, f"/{some_id}")), api.get(f"/zoom_events/events/{simple}/sponsor_tiers")):
        expect_error(r, 400, 1006, NOT_FOR_TYPE)


def test_another_accounts_conference_is_not_found(admin: Admin, api: Api) -> None:
    event_id = conference(api)
    body = add_exhibitor(api, event_id)
    other = admin.tenant()
    one = path(event_id, f"/{body['exhibitor_id']}")
    for r in (other.get(path(event_id)), other.post(path(event_id), json=body_for(api, event_id)),
              other.get(one), other.patch(one, json={"name": "X"}), other.delete(one),
              other.get(f"/zoom_events/events/{event_id}/sponsor_tiers")):
        expect_error(r, 404, 2002, "Event not found.")
    assert exhibitors(api, event_id) == [body]
    member = admin.member(api, scopes=["zoom_events_exhibitors:read"])
    expect_error(member.get(path(event_id)), 403, 260200, "Event access denied.")
