"""Users API over HTTP: create, get, update, delete, list filters and scopes (both backends)."""
from __future__ import annotations

import pytest

from support import unique_email, expect_error as assert_error, bad_fields


def create(api, email=None, action="create", utype=1, **info):
    body = {"action": action, "user_info": {"email": email or unique_email(), "type": utype, **info}}
    return api.post("/users", json=body)


def made(api, **kw):
    r = create(api, **kw)
    assert r.status_code == 201, r.text
    return r.json()


def total_users(api):
    total = 0
    for status in ("active", "inactive", "pending"):
        r = api.get("/users", params={"status": status})
        assert r.status_code == 200, r.text
        total += r.json()["total_records"]
    return total


def list_ids(api, **params):
    r = api.get("/users", params={"page_size": 300, **params})
    assert r.status_code == 200, r.text
    return [u["id"] for u in r.json()["users"]]


# ---- create ---------------------------------------------------------------------------------

@pytest.mark.parametrize("action,status", [
    ("create", "pending"), ("autoCreate", "active"), ("custCreate", "active"), ("ssoCreate", "active"),
])
def test_create_actions_set_status(api, action, status):
    email = unique_email("act")
    r = create(api, email=email, action=action, utype=2, first_name="Ada", last_name="Lovelace")
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"id", "first_name", "last_name", "email", "type"}
    assert (body["first_name"], body["last_name"], body["email"], body["type"]) == ("Ada", "Lovelace", email, 2)
    got = api.get(f"/users/{body['id']}").json()
    assert got["status"] == status
    assert got["display_name"] == "Ada Lovelace"
    assert body["id"] in list_ids(api, status=status)
    other = "active" if status == "pending" else "pending"
    assert body["id"] not in list_ids(api, status=other)


def test_create_duplicate_email_in_same_account(api):
    email = unique_email("dup")
    made(api, email=email)
    before = total_users(api)
    assert_error(create(api, email=email), 409, 1005, f'Email "{email}" has already been used.')
    upper = email.upper()
    assert_error(create(api, email=upper, action="autoCreate"), 409, 1005, f'Email "{upper}" has already been used.')
    assert total_users(api) == before


def test_same_email_in_another_account_is_allowed(api, admin):
    email = unique_email("shared")
    first = made(api, email=email)
    other = admin.tenant()
    second = made(other, email=email)
    assert second["id"] != first["id"]
    assert other.get(f"/users/{email}").json()["id"] == second["id"]
    assert api.get(f"/users/{email}").json()["id"] == first["id"]


BAD_CREATES = [
    ({"action": "create", "user_info": {"email": "not-an-email", "type": 1}}, {"user_info.email"}),
    ({"action": "create", "user_info": {"email": "a b@example.com", "type": 1}}, {"user_info.email"}),
    ({"action": "create", "user_info": {"email": "x@example.com", "type": 3}}, {"user_info.type"}),
    ({"action": "create", "user_info": {"email": "x@example.com", "type": "basic"}}, {"user_info.type"}),
    ({"user_info": {"email": "x@example.com", "type": 1}}, {"action"}),
    ({"action": "invite", "user_info": {"email": "x@example.com", "type": 1}}, {"action"}),
    ({"action": "create", "user_info": {"type": 1}}, {"user_info.email"}),
    ({"action": "create", "user_info": {"email": "x@example.com"}}, {"user_info.type"}),
    ({"action": "create", "user_info": {"email": "x@example.com", "type": 1, "first_name": "f" * 65}},
     {"user_info.first_name"}),
    ({"action": "create", "user_info": ["x@example.com"]}, {"user_info"}),
    ({"action": "create"}, {"user_info"}),
    ({}, {"action"}),
]


@pytest.mark.parametrize("body,fields", BAD_CREATES)
def test_create_validation_names_bad_fields(api, body, fields):
    before = total_users(api)
    assert fields <= bad_fields(api.post("/users", json=body))
    assert total_users(api) == before


def test_create_names_every_bad_field_at_once(api):
    body = {"action": "nope", "user_info": {"email": "bad", "type": 7, "first_name": "x" * 65, "last_name": 5}}
    assert bad_fields(api.post("/users", json=body)) == {
        "action", "user_info.email", "user_info.type", "user_info.first_name", "user_info.last_name"}


def test_create_first_name_of_64_chars_is_fine(api):
    assert made(api, first_name="f" * 64)["first_name"] == "f" * 64


def test_create_tolerates_unknown_fields(api):
    email = unique_email("extra")
    r = api.post("/users", json={"action": "autoCreate", "userId": "me", "zoomus": {"x": [1]},
                                 "user_info": {"email": email, "type": 1, "favourite_colour": "teal"}})
    assert r.status_code == 201, r.text
    assert api.get(f"/users/{email}").json()["status"] == "active"


def test_create_licensed_user_on_free_plan_refused(admin):
    free = admin.tenant(plan="free")
    before = total_users(free)
    assert_error(create(free, utype=2), 400, 300)
    assert total_users(free) == before
    assert made(free, utype=1)["type"] == 1


# ---- get --------------------------------------------------------------------------------------

def test_get_by_id_me_and_email(api):
    user = made(api, email=unique_email("Mixed"), first_name="Grace")
    by_id = api.get(f"/users/{user['id']}")
    assert by_id.status_code == 200
    assert by_id.json()["first_name"] == "Grace"
    by_email = api.get(f"/users/{user['email'].upper()}")
    assert by_email.status_code == 200, by_email.text
    assert by_email.json()["id"] == user["id"]
    me = api.get("/users/me").json()
    assert me["id"] == api.owner_id
    assert me["role_id"] == "0"


def test_get_unknown_user(api):
    assert_error(api.get("/users/NoSuchUser123"), 404, 1001, "User does not exist: NoSuchUser123.")
    assert_error(api.get("/users/ghost@example.com"), 404, 1001, "User does not exist: ghost@example.com.")


def test_get_other_accounts_user_looks_missing(api, admin):
    other = admin.tenant()
    secret = made(other, email=unique_email("secret"), first_name="Hidden", last_name="Person")
    for key in (secret["id"], secret["email"], other.owner_id):
        r = api.get(f"/users/{key}")
        body = assert_error(r, 404, 1001, f"User does not exist: {key}.")
        assert set(body) == {"code", "message"}
        assert "Hidden" not in r.text and "Person" not in r.text
    assert secret["email"] not in api.get(f"/users/{secret['id']}").text


# ---- update -----------------------------------------------------------------------------------

def test_patch_merges_and_get_shows_result(api):
    user = made(api, first_name="Old", last_name="Name")
    r = api.patch(f"/users/{user['id']}", json={"first_name": "New", "dept": "R&D", "job_title": "Eng",
                                                "timezone": "Europe/Paris", "use_pmi": True})
    assert r.status_code == 204, r.text
    assert r.content == b""
    got = api.get(f"/users/{user['id']}").json()
    assert (got["first_name"], got["last_name"], got["dept"]) == ("New", "Name", "R&D")
    assert (got["job_title"], got["timezone"], got["use_pmi"]) == ("Eng", "Europe/Paris", True)
    assert got["display_name"] == "New Name"
    assert api.patch(f"/users/{user['id']}", json={"last_name": "Other"}).status_code == 204
    again = api.get(f"/users/{user['id']}").json()
    assert (again["first_name"], again["last_name"], again["dept"]) == ("New", "Other", "R&D")
    assert {k: v for k, v in again.items() if k not in ("last_name", "display_name")} == \
        {k: v for k, v in got.items() if k not in ("last_name", "display_name")}


def test_patch_custom_attributes_merge_by_key(api):
    uid = made(api)["id"]
    first = [{"key": "k1", "name": "Team", "value": "a"}, {"key": "k2", "name": "Site", "value": "b"}]
    assert api.patch(f"/users/{uid}", json={"custom_attributes": first}).status_code == 204
    assert api.patch(f"/users/{uid}", json={"custom_attributes": [{"key": "k2", "value": "c"}]}).status_code == 204
    attrs = api.get(f"/users/{uid}").json()["custom_attributes"]
    assert attrs == [{"key": "k1", "name": "Team", "value": "a"}, {"key": "k2", "name": "Site", "value": "c"}]
    listed = api.get("/users", params={"status": "pending", "include_fields": "custom_attributes"}).json()["users"]
    assert [u["custom_attributes"] for u in listed if u["id"] == uid] == [attrs]
    assert all("custom_attributes" not in u for u in api.get("/users", params={"status": "pending"}).json()["users"])


def test_patch_pmi(api):
    uid = made(api)["id"]
    assert api.patch(f"/users/{uid}", json={"pmi": 3456789012}).status_code == 204
    got = api.get(f"/users/{uid}").json()
    assert got["pmi"] == 3456789012
    assert "/j/3456789012" in got["personal_meeting_url"]
    for bad in (123, 12345678901, 1234567890, "3456789012x"):
        assert "pmi" in bad_fields(api.patch(f"/users/{uid}", json={"pmi": bad}))
    assert api.get(f"/users/{uid}").json()["pmi"] == 3456789012


@pytest.mark.parametrize("body,field", [
    ({"first_name": 5}, "first_name"), ({"use_pmi": "yes"}, "use_pmi"), ({"type": 3}, "type"),
    ({"custom_attributes": "x"}, "custom_attributes"), ({"phone_numbers": [{"label": "Car"}]}, "phone_numbers[0].label"),
    ({"host_key": "12"}, "host_key"), ({"manager": "not-an-email"}, "manager"), ({"last_name": "l" * 65}, "last_name"), ({"dept": {"a": 1}}, "dept"),
])
def test_patch_wrong_types_rejected_without_change(api, body, field):
    uid = made(api, first_name="Keep")["id"]
    before = api.get(f"/users/{uid}").json()
    assert field in bad_fields(api.patch(f"/users/{uid}", json={**body, "job_title": "Changed"}))
    assert api.get(f"/users/{uid}").json() == before


def test_patch_host_key_shows_in_list(api):
    uid = made(api, action="autoCreate")["id"]
    assert api.patch(f"/users/{uid}", json={"host_key": "8675309"}).status_code == 204
    users = api.get("/users", params={"include_fields": "host_key", "page_size": 300}).json()["users"]
    assert [u["host_key"] for u in users if u["id"] == uid] == ["8675309"]
    assert all(len(u["host_key"]) >= 6 for u in users)
    plain = api.get("/users", params={"page_size": 300}).json()["users"]
    assert plain and all("host_key" not in u for u in plain)


def test_patch_missing_and_foreign_user(api, admin):
    assert_error(api.patch("/users/nobody123", json={"first_name": "x"}), 404, 1001, "User does not exist: nobody123.")
    other = admin.tenant()
    target = made(other, first_name="Theirs")
    assert_error(api.patch(f"/users/{target['id']}", json={"first_name": "Mine"}), 404, 1001)
    assert other.get(f"/users/{target['id']}").json()["first_name"] == "Theirs"


def test_patch_owner_to_basic_refused(api):
    assert_error(api.patch("/users/me", json={"type": 1}), 400, 300)
    assert api.get("/users/me").json()["type"] == 2


# ---- delete -----------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [{}, {"action": "delete"}, {"action": "disassociate"}])
def test_delete_user(api, params):
    user = made(api)
    r = api.delete(f"/users/{user['id']}", params=params)
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert_error(api.get(f"/users/{user['id']}"), 404, 1001)
    assert user["id"] not in list_ids(api, status="pending")
    assert_error(api.delete(f"/users/{user['id']}"), 404, 1001)


def test_delete_refusals_leave_user(api):
    user = made(api)
    assert "action" in bad_fields(api.delete(f"/users/{user['id']}", params={"action": "shred"}))
    assert_error(api.delete(f"/users/{user['id']}", params={"transfer_email": "missing@example.com"}),
                 404, 1001, "User does not exist: missing@example.com.")
    assert_error(api.delete(f"/users/{user['id']}", params={"transfer_email": user["email"]}), 400, 300)
    assert_error(api.delete("/users/me"), 400, 200)
    assert_error(api.delete(f"/users/{api.owner_id}"), 400, 200)
    assert api.get(f"/users/{user['id']}").status_code == 200
    assert api.get("/users/me").status_code == 200
    target = made(api, action="autoCreate")
    assert api.delete(f"/users/{user['id']}", params={"transfer_email": target["email"]}).status_code == 204


def test_delete_other_accounts_user_is_1001(api, admin):
    other = admin.tenant()
    target = made(other)
    assert_error(api.delete(f"/users/{target['id']}"), 404, 1001)
    assert other.get(f"/users/{target['id']}").status_code == 200


# ---- list filters -----------------------------------------------------------------------------

def test_list_status_and_role_filters(admin):
    spec = [{"email": unique_email("m"), "role": "member"}, {"email": unique_email("a"), "role": "admin"},
            {"email": unique_email("i"), "status": "inactive"}, {"email": unique_email("p"), "status": "pending"}]
    api = admin.tenant(users=spec)
    emails = lambda **p: {u["email"] for u in api.get("/users", params=p).json()["users"]}  # noqa: E731
    active = emails()
    assert active == emails(status="active")
    assert {spec[0]["email"], spec[1]["email"]} <= active and len(active) == 3
    assert emails(status="inactive") == {spec[2]["email"]}
    assert emails(status="pending") == {spec[3]["email"]}
    assert emails(role_id="1") == {spec[1]["email"]}
    assert emails(role_id="2") == {spec[0]["email"]}
    assert len(emails(role_id="0")) == 1 and emails(role_id="0") < active
    assert emails(status="inactive", role_id="1") == set()
    assert "status" in bad_fields(api.get("/users", params={"status": "deleted"}))
    assert emails(license="zoom_workforce_management") == set()


# ---- scopes -----------------------------------------------------------------------------------

def scoped(admin, scopes):
    return admin.tenant(scopes=scopes)


def test_user_read_only_reaches_itself_only(admin):
    api = scoped(admin, ["user:read"])
    assert api.get("/users/me").status_code == 200
    assert api.get(f"/users/{api.owner_id}").status_code == 200
    assert_error(api.get("/users"), 400, 4711)
    full = admin.tenant(scopes="all")
    assert_error(api.get(f"/users/{full.owner_id}"), 404, 1001)  # still another account
    peer_id = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("p2")})["id"]
    assert_error(api.get(f"/users/{peer_id}"), 400, 4711)
    assert_error(create(api), 400, 4711)
    assert_error(api.patch(f"/users/{peer_id}", json={"first_name": "x"}), 400, 4711)


def test_no_user_scopes_at_all(admin):
    api = scoped(admin, ["meeting:read"])
    body = assert_error(api.get("/users/me"), 400, 4711)
    assert "user:read" in body["message"]


def test_granular_scopes(admin):
    reader = scoped(admin, ["user:read:user:admin"])
    peer = admin.call("POST", f"/accounts/{reader.account_id}/users", {"email": unique_email("g")})
    assert reader.get(f"/users/{peer['id']}").json()["email"] == peer["email"]
    assert_error(reader.get("/users"), 400, 4711)
    assert_error(reader.patch(f"/users/{peer['id']}", json={"dept": "x"}), 400, 4711)
    lister = scoped(admin, ["user:read:list_users:admin"])
    assert lister.get("/users").json()["total_records"] == 1
    assert_error(lister.get("/users/me"), 400, 4711)
    self_only = scoped(admin, ["user:read:user"])
    assert self_only.get("/users/me").status_code == 200
    peer2 = admin.call("POST", f"/accounts/{self_only.account_id}/users", {"email": unique_email("h")})
    assert_error(self_only.get(f"/users/{peer2['id']}"), 400, 4711)
    writer = scoped(admin, ["user:write:user:admin", "user:update:user:admin", "user:delete:user:admin"])
    uid = made(writer)["id"]
    assert writer.patch(f"/users/{uid}", json={"dept": "Ops"}).status_code == 204
    assert writer.delete(f"/users/{uid}").status_code == 204
    assert_error(writer.get("/users/me"), 400, 4711)
