"""Zoom Events hubs over HTTP: every licensed account gets one hub when it is made (the API has
no hub create); who sees it as host or attendee; tenancy (both backends)."""
from __future__ import annotations

from support import Admin, Api


def hubs(api: Api, **params: str) -> list[dict]:
    r = api.get("/zoom_events/hubs", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["hubs"])
    return body["hubs"]


def test_a_new_account_has_one_landing_hub(api: Api) -> None:
    (hub,) = hubs(api)
    assert len(hub["hub_id"]) == 22
    assert (hub["access_level"], hub["hub_active"], hub["landing_hub"], hub["hidden_hub"]) == \
        ("PUBLIC", True, True, False)
    assert hub["public_url"].endswith(f"/events/hub/{hub['hub_id']}")
    assert set(hub) <= {"hub_id", "access_level", "auto_list_events", "description", "hidden_hub", "hub_active",
                        "landing_hub", "name", "public_url"}
    assert hubs(api, role_type="attendee") == [hub]


def test_each_account_sees_only_its_own_hub(admin: Admin, api: Api) -> None:
    other = admin.tenant()
    assert hubs(api)[0]["hub_id"] != hubs(other)[0]["hub_id"]


def test_no_licence_no_hub(admin: Admin) -> None:
    free = admin.tenant(plan="free")
    assert hubs(free) == []
    assert hubs(admin.tenant(licences={"zoom_events": False})) == []
    assert len(hubs(admin.tenant(licences={"zoom_events": False, "webinars_plus": True}))) == 1


def test_a_member_who_is_not_a_hub_host_sees_no_hub_as_host(admin: Admin, api: Api) -> None:
    member = admin.member(api, scopes=["zoom_events_hubs:read"])
    assert hubs(member) == []
    assert len(hubs(member, role_type="attendee")) == 1


def test_an_unknown_role_type_is_a_validation_error(api: Api) -> None:
    r = api.get("/zoom_events/hubs", params={"role_type": "speaker"})
    assert r.status_code == 400 and r.json()["code"] == 300
