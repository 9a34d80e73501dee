"""Zoom Events hub hosts over HTTP: list (with e-mails, next_page_token pages), add by e-mail,
remove; a host added may create events in the hub at once and one removed may not; hub access
and tenancy (both backends)."""
from __future__ import annotations

from support import Admin, Api, bad_fields, expect_error, ok, unique_email
from test_events_events import event_body, hub_of

HUB_SCOPES = ["zoom_events_hubs:read", "zoom_events_hub:write", "zoom_events:write:event", "zoom_events_basic:write"]


def hosts(api: Api, hub_id: str, **params: str) -> dict:
    return ok(api, f"/zoom_events/hubs/{hub_id}/hosts", **params)


def add(api: Api, hub_id: str, email: str) -> str:
    r = api.post(f"/zoom_events/hubs/{hub_id}/hosts", json={"email": email})
    assert r.status_code == 201, r.text
    return r.json()["host_user_id"]  # type: ignore[no-any-return]


def new_user(admin: Admin, api: Api) -> dict:
    return admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("host")})  # type: ignore


def test_the_owner_hosts_the_landing_hub(api: Api) -> None:
    body = hosts(api, hub_of(api))
    assert body["total_records"] == 1 and body["next_page_token"] == ""
    (host,) = body["hosts"]
    assert host["host_user_id"] == api.owner_id and "@" in host["email"]


def test_add_and_remove_a_host(admin: Admin, api: Api) -> None:
    hub = hub_of(api)
    user = new_user(admin, api)
    assert add(api, hub, user["email"].upper()) == user["id"]
    assert add(api, hub, user["email"]) == user["id"]               # adding again changes nothing
    listed = hosts(api, hub)["hosts"]
    assert [h["host_user_id"] for h in listed] == [api.owner_id, user["id"]]
    assert listed[1]["email"] == user["email"].lower()
    assert api.delete(f"/zoom_events/hubs/{hub}/hosts/{user['id']}").status_code == 204
    assert [h["host_user_id"] for h in hosts(api, hub)["hosts"]] == [api.owner_id]
    expect_error(api.delete(f"/zoom_events/hubs/{hub}/hosts/{user['id']}"), 404, 1001)


def test_a_new_host_may_create_events_in_the_hub(admin: Admin, api: Api) -> None:
    hub = hub_of(api)
    member = admin.member(api, scopes=HUB_SCOPES)
    body = event_body(api)
    expect_error(member.post("/zoom_events/events", json=body), 403, 26201)
    expect_error(member.get(f"/zoom_events/hubs/{hub}/hosts"), 403, 260101, "Hub access denied.")
    add(api, hub, _email_of(admin, api, member.owner_id))
    assert [h["hub_id"] for h in ok(member, "/zoom_events/hubs")["hubs"]] == [hub]
    assert member.post("/zoom_events/events", json=body).status_code == 201
    assert len(hosts(member, hub)["hosts"]) == 2                      # a host sees the hub's hosts
    assert member.delete(f"/zoom_events/hubs/{hub}/hosts/{member.owner_id}").status_code == 204
    expect_error(member.post("/zoom_events/events", json=body), 403, 26201)


def _email_of(admin: Admin, api: Api, user_id: str) -> str:
    r = api.get(f"/users/{user_id}")
    assert r.status_code == 200, r.text
    return r.json()["email"]  # type: ignore[no-any-return]


def test_hosts_page_with_next_page_token(admin: Admin, api: Api) -> None:
    hub = hub_of(api)
    for _ in range(4):
        add(api, hub, new_user(admin, api)["email"])
    first = hosts(api, hub, page_size="2")
    assert first["total_records"] == 5 and len(first["hosts"]) == 2 and first["next_page_token"]
    second = hosts(api, hub, page_size="2", next_page_token=first["next_page_token"])
    third = hosts(api, hub, page_size="2", next_page_token=second["next_page_token"])
    assert third["next_page_token"] == "" and len(third["hosts"]) == 1
    seen = [h["host_user_id"] for page in (first, second, third) for h in page["hosts"]]
    assert seen[0] == api.owner_id and len(set(seen)) == 5
    expect_error(api.get(f"/zoom_events/hubs/{hub}/hosts", params={"next_page_token": "junk"}), 400, 300)


def test_host_errors(admin: Admin, api: Api) -> None:
    hub = hub_of(api)
    assert bad_fields(api.post(f"/zoom_events/hubs/{hub}/hosts", json={})) == {"email"}
    assert bad_fields(api.post(f"/zoom_events/hubs/{hub}/hosts", json={"email": "not-an-address"})) == {"email"}
    expect_error(api.post(f"/zoom_events/hubs/{hub}/hosts", json={"email": unique_email()}), 404, 1001)
    for r in (api.get("/zoom_events/hubs/nope/hosts"), api.post("/zoom_events/hubs/nope/hosts",
                                                                 json={"email": unique_email()}),
              api.delete(f"/zoom_events/hubs/nope/hosts/{api.owner_id}")):
        expect_error(r, 404, 2001, "Hub not found.")


def test_another_accounts_hub_is_not_found(admin: Admin, api: Api) -> None:
    other = admin.tenant()
    hub = hub_of(other)
    stranger = new_user(admin, api)
    for r in (api.get(f"/zoom_events/hubs/{hub}/hosts"),
              api.post(f"/zoom_events/hubs/{hub}/hosts", json={"email": stranger["email"]}),
              api.delete(f"/zoom_events/hubs/{hub}/hosts/{other.owner_id}")):
        expect_error(r, 404, 2001, "Hub not found.")
    assert [h["host_user_id"] for h in hosts(other, hub)["hosts"]] == [other.owner_id]
    # a user of another account cannot be made a host
    expect_error(api.post(f"/zoom_events/hubs/{hub_of(api)}/hosts", json={"email": _email_of(admin, other,
                                                                                                other.owner_id)}),
                 404, 1001)

