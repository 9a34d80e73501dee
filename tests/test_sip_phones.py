"""SIP phones over HTTP: the 2023 API (/sip_phones) and the 2026 API (/sip_phones/phones) over
the same phones, on both backends."""
from __future__ import annotations

import pytest

from support import unique_email, expect_error as assert_error, bad_fields as fields

NO_FEATURE_2023 = "Permission missing: Enable SIP Phone Integration by contacting a Zoom Admin first."
NO_FEATURE_2026 = "Permission missing. Enable SIP phone integration by contacting a Zoom admin first."
FLAT_SERVERS = ("proxy_server", "proxy_server2", "proxy_server3", "register_server", "register_server2",
                "register_server3", "transport_protocol", "transport_protocol2", "transport_protocol3")


def add_user(admin, api, prefix="sip"):
    return admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email(prefix)})


def body_2023(email, **extra):
    return {"user_email": email, "user_name": "1001", "password": "s3cret", "domain": "pbx.example.com",
            "authorization_name": "auth1001", "voice_mail": "4000", "register_server": "192.0.2.1",
            "proxy_server": "192.0.2.2", **extra}


def body_2026(email, **extra):
    return {"user_email": email, "user_name": "2002", "password": "pw2026", "domain": "sip.example.com",
            "authorization_name": "auth2002", "voice_mail": "5000",
            "server": {"proxy_server": "198.51.100.2", "register_server": "198.51.100.1", "transport_protocol": "TCP"},
            **extra}


def full_update_2023(**extra):
    """The 2023 PATCH requires every field but the protocols and the expiry."""
    return {"user_name": "u", "password": "p", "domain": "d.example.com", "authorization_name": "a",
            "voice_mail": "9", "proxy_server": "10.0.0.1", "proxy_server2": "10.0.0.2", "proxy_server3": "10.0.0.3",
            "register_server": "10.0.1.1", "register_server2": "10.0.1.2", "register_server3": "10.0.1.3", **extra}


def create_2023(api, email, **extra):
    r = api.post("/sip_phones", json=body_2023(email, **extra))
    assert r.status_code == 201, r.text
    return r.json()


def create_2026(api, email, **extra):
    r = api.post("/sip_phones/phones", json=body_2026(email, **extra))
    assert r.status_code == 201, r.text
    return r.json()


def phones_2023(api, **params):
    r = api.get("/sip_phones", params={"page_size": 300, **params})
    assert r.status_code == 200, r.text
    return {p["id"]: p for p in r.json()["phones"]}


def phones_2026(api, **params):
    r = api.get("/sip_phones/phones", params={"page_size": 300, **params})
    assert r.status_code == 200, r.text
    return {p["phone_id"]: p for p in r.json()["phones"]}


# ---- create ------------------------------------------------------------------------------------

def test_create_2023_answers_the_phone_with_defaults(api, admin):
    user = add_user(admin, api)
    phone = create_2023(api, user["email"])
    assert isinstance(phone["id"], str) and phone["id"]
    assert phone["user_email"] == user["email"]
    assert (phone["user_name"], phone["password"], phone["domain"]) == ("1001", "s3cret", "pbx.example.com")
    assert (phone["authorization_name"], phone["voice_mail"]) == ("auth1001", "4000")
    assert phone["registration_expire_time"] == 60
    assert (phone["proxy_server"], phone["register_server"], phone["transport_protocol"]) == \
        ("192.0.2.2", "192.0.2.1", "UDP")
    assert phone["proxy_server2"] == phone["register_server3"] == ""
    assert set(FLAT_SERVERS) <= set(phone)
    assert "phone_id" not in phone and "server" not in phone
    listed = phones_2023(api)
    assert listed == {phone["id"]: phone}


def test_create_2026_answers_the_phone_with_nested_servers(api, admin):
    user = add_user(admin, api)
    phone = create_2026(api, user["email"], display_number="+15551110105", registration_expire_time=30,
                        server_2={"register_server": "198.51.100.9"})
    assert phone["phone_id"] and "id" not in phone
    assert phone["server"] == {"proxy_server": "198.51.100.2", "register_server": "198.51.100.1",
                               "transport_protocol": "TCP"}
    assert phone["server_2"] == {"proxy_server": "", "register_server": "198.51.100.9", "transport_protocol": "UDP"}
    assert "server_3" not in phone
    assert phone["display_number"] == "+15551110105"
    assert phone["registration_expire_time"] == 30
    assert phone["password"] == "pw2026"
    assert phones_2026(api)[phone["phone_id"]] == phone


def test_the_account_owner_may_have_a_phone_too(api):
    owner = api.get("/users/me").json()
    phone = create_2026(api, owner["email"].upper())
    assert phone["user_email"] == owner["email"].upper()


# ---- the two generations over the same rows -----------------------------------------------------

def test_phone_made_in_2023_is_read_updated_and_deleted_in_2026(api, admin):
    user = add_user(admin, api)
    made = create_2023(api, user["email"], proxy_server2="192.0.2.4", register_server2="192.0.2.3",
                       transport_protocol2="TLS", registration_expire_time=90)
    seen = phones_2026(api)[made["id"]]
    assert seen["server"] == {"proxy_server": "192.0.2.2", "register_server": "192.0.2.1", "transport_protocol": "UDP"}
    assert seen["server_2"] == {"proxy_server": "192.0.2.4", "register_server": "192.0.2.3", "transport_protocol": "TLS"}
    assert seen["registration_expire_time"] == 90 and seen["user_email"] == user["email"]

    r = api.patch(f"/sip_phones/phones/{made['id']}",
                  json={"server_3": {"proxy_server": "192.0.2.6", "transport_protocol": "AUTO"},
                        "server": {"transport_protocol": "TCP"}, "voice_mail": "4444"})
    assert r.status_code == 204, r.text
    assert r.content == b""
    flat = phones_2023(api)[made["id"]]
    assert (flat["proxy_server3"], flat["register_server3"], flat["transport_protocol3"]) == ("192.0.2.6", "", "AUTO")
    assert (flat["proxy_server"], flat["transport_protocol"]) == ("192.0.2.2", "TCP")   # merged, not replaced
    assert flat["voice_mail"] == "4444" and flat["proxy_server2"] == "192.0.2.4"

    assert api.delete(f"/sip_phones/phones/{made['id']}").status_code == 204
    assert phones_2023(api) == {} and phones_2026(api) == {}


def test_phone_made_in_2026_is_read_updated_and_deleted_in_2023(api, admin):
    user = add_user(admin, api)
    made = create_2026(api, user["email"], display_number="777")
    flat = phones_2023(api)[made["phone_id"]]
    assert (flat["proxy_server"], flat["register_server"], flat["transport_protocol"]) == \
        ("198.51.100.2", "198.51.100.1", "TCP")
    assert flat["proxy_server2"] == "" and flat["transport_protocol2"] == "UDP"
    assert "display_number" not in flat

    r = api.patch(f"/sip_phones/{made['phone_id']}",
                  json=full_update_2023(transport_protocol3="TLS", registration_expire_time=5))
    assert r.status_code == 204, r.text
    nested = phones_2026(api)[made["phone_id"]]
    assert nested["server_2"] == {"proxy_server": "10.0.0.2", "register_server": "10.0.1.2", "transport_protocol": "UDP"}
    assert nested["server_3"] == {"proxy_server": "10.0.0.3", "register_server": "10.0.1.3", "transport_protocol": "TLS"}
    assert nested["server"]["transport_protocol"] == "TCP"     # not sent, kept
    assert nested["registration_expire_time"] == 5 and nested["display_number"] == "777"
    assert (nested["user_name"], nested["password"], nested["domain"]) == ("u", "p", "d.example.com")

    assert api.delete(f"/sip_phones/{made['phone_id']}").status_code == 204
    assert phones_2026(api) == {}


def test_a_phone_keeps_its_address(api, admin):
    user = add_user(admin, api)
    other = add_user(admin, api)
    made = create_2023(api, user["email"])
    r = api.patch(f"/sip_phones/{made['id']}", json=full_update_2023(user_email=other["email"]))
    assert r.status_code == 204, r.text
    assert phones_2023(api)[made["id"]]["user_email"] == user["email"]


def test_duplicate_address_is_refused_in_both_generations(api, admin):
    user = add_user(admin, api)
    create_2023(api, user["email"])
    assert_error(api.post("/sip_phones", json=body_2023(user["email"].upper())), 400, 300,
                 "SIP Phone with the same email already exists.")
    assert_error(api.post("/sip_phones/phones", json=body_2026(user["email"])), 400, 300,
                 "SIP phone with the same email already exists.")
    assert len(phones_2023(api)) == 1


def test_platform_suffixes_give_one_user_several_phones(api, admin):
    user = add_user(admin, api)
    emails = [user["email"], user["email"] + ".pc", user["email"] + ".mobile"]
    for email in emails:
        create_2023(api, email)
    assert sorted(p["user_email"] for p in phones_2026(api).values()) == sorted(emails)
    assert_error(api.post("/sip_phones/phones", json=body_2026(user["email"] + ".pc")), 400, 300)


def test_address_outside_the_account_is_1001(api, admin):
    ghost = unique_email("ghost")
    assert_error(api.post("/sip_phones", json=body_2023(ghost)), 404, 1001,
                 f"User {ghost} not exist or not belong to this account.")
    assert_error(api.post("/sip_phones/phones", json=body_2026(ghost + ".pc")), 404, 1001,
                 f"User {ghost}.pc not exist or not belong to this account.")
    other = admin.tenant()
    outsider = add_user(admin, other)
    assert_error(api.post("/sip_phones/phones", json=body_2026(outsider["email"])), 404, 1001)
    assert phones_2026(api) == {}


# ---- validation ----------------------------------------------------------------------------------

def test_request_validation(api, admin):
    user = add_user(admin, api)
    email = user["email"]
    assert "registration_expire_time" in fields(api.post("/sip_phones", json=body_2023(email, registration_expire_time=128)))
    assert "registration_expire_time" in fields(api.post("/sip_phones/phones", json=body_2026(email, registration_expire_time=0)))
    assert "transport_protocol2" in fields(api.post("/sip_phones", json=body_2023(email, transport_protocol2="SCTP")))
    bad_server = body_2026(email, server={"transport_protocol": "udp"})
    assert "server.transport_protocol" in fields(api.post("/sip_phones/phones", json=bad_server))
    missing = body_2023(email)
    del missing["voice_mail"], missing["domain"]
    assert {"voice_mail", "domain"} <= fields(api.post("/sip_phones", json=missing))
    no_server = body_2026(email)
    del no_server["server"]
    assert "server" in fields(api.post("/sip_phones/phones", json=no_server))
    assert "user_email" in fields(api.post("/sip_phones", json=body_2023("")))
    assert "user_email" in fields(api.post("/sip_phones", json=body_2023("not-an-address")))
    assert "domain" in fields(api.post("/sip_phones", json=body_2023(email, domain="d" * 65)))
    assert phones_2023(api) == {}

    made = create_2023(api, email)
    partial = {"user_name": "x"}
    assert {"proxy_server2", "register_server3", "password"} <= fields(api.patch(f"/sip_phones/{made['id']}", json=partial))
    assert "registration_expire_time" in fields(
        api.patch(f"/sip_phones/phones/{made['id']}", json={"registration_expire_time": "soon"}))
    assert phones_2023(api)[made["id"]]["user_name"] == "1001"


# ---- missing phones ------------------------------------------------------------------------------

def test_unknown_phone_is_2305_in_both_generations(api):
    for r in (api.patch("/sip_phones/phones/nope123", json={"user_name": "x"}),
              api.delete("/sip_phones/phones/nope123"),
              api.patch("/sip_phones/nope123", json=full_update_2023()),
              api.delete("/sip_phones/nope123")):
        assert_error(r, 404, 2305, "SIP phone does not exist: nope123.")


def test_deleted_phone_is_gone(api, admin):
    made = create_2026(api, add_user(admin, api)["email"])
    assert api.delete(f"/sip_phones/phones/{made['phone_id']}").status_code == 204
    assert_error(api.delete(f"/sip_phones/{made['phone_id']}"), 404, 2305)


# ---- the account feature -------------------------------------------------------------------------

@pytest.mark.parametrize("tenant_kw", [{"licences": {"sip_phone": False}}, {"plan": "free"}])
def test_without_sip_phone_integration_every_operation_is_200(admin, tenant_kw):
    api = admin.tenant(**tenant_kw)
    email = add_user(admin, api)["email"]
    for r in (api.get("/sip_phones"), api.post("/sip_phones", json=body_2023(email)),
              api.patch("/sip_phones/x1", json=full_update_2023()), api.delete("/sip_phones/x1")):
        assert_error(r, 400, 200, NO_FEATURE_2023)
    for r in (api.get("/sip_phones/phones"), api.post("/sip_phones/phones", json=body_2026(email)),
              api.patch("/sip_phones/phones/x1", json={}), api.delete("/sip_phones/phones/x1")):
        assert_error(r, 400, 200, NO_FEATURE_2026)


def test_free_plan_with_the_licence_may_use_it(admin):
    api = admin.tenant(plan="free", licences={"sip_phone": True})
    create_2026(api, add_user(admin, api)["email"])
    assert len(phones_2023(api)) == 1


# ---- lists ---------------------------------------------------------------------------------------

def make_many(api, admin, count):
    """`count` phones in creation order, spread over users and platform suffixes."""
    suffixes = ("", ".pc", ".mac", ".mobile")
    ids = []
    user = None
    for i in range(count):
        if i % len(suffixes) == 0:
            user = add_user(admin, api, "many")
        ids.append(create_2023(api, user["email"] + suffixes[i % len(suffixes)])["id"])
    return ids


def test_list_2023_pages_by_token_and_by_page_number(api, admin):
    ids = make_many(api, admin, 7)
    r = api.get("/sip_phones", params={"page_size": 3})
    first = r.json()
    assert (first["page_size"], first["page_count"], first["total_records"], first["page_number"]) == (3, 3, 7, 1)
    assert [p["id"] for p in first["phones"]] == ids[:3]
    seen, token = [p["id"] for p in first["phones"]], first["next_page_token"]
    while token:
        page = api.get("/sip_phones", params={"page_size": 3, "next_page_token": token}).json()
        seen += [p["id"] for p in page["phones"]]
        token = page["next_page_token"]
    assert seen == ids
    second = api.get("/sip_phones", params={"page_size": 3, "page_number": 2}).json()
    assert [p["id"] for p in second["phones"]] == ids[3:6] and second["page_number"] == 2
    last = api.get("/sip_phones", params={"page_size": 3, "page_number": 3}).json()
    assert [p["id"] for p in last["phones"]] == ids[6:] and last["next_page_token"] == ""
    default = api.get("/sip_phones").json()
    assert default["page_size"] == 30 and len(default["phones"]) == 7


def test_list_2026_pages_by_token(api, admin):
    ids = make_many(api, admin, 5)
    page = api.get("/sip_phones/phones", params={"page_size": 2}).json()
    assert set(page) == {"next_page_token", "page_size", "phones"}
    seen = [p["phone_id"] for p in page["phones"]]
    while page["next_page_token"]:
        page = api.get("/sip_phones/phones", params={"page_size": 2, "next_page_token": page["next_page_token"]}).json()
        seen += [p["phone_id"] for p in page["phones"]]
    assert seen == ids
    assert api.get("/sip_phones/phones", params={"page_size": 1000}).json()["page_size"] == 300
    assert_error(api.get("/sip_phones/phones", params={"next_page_token": "garbage"}), 400, 300,
                 "The next page token is invalid or expired.")


def test_search_key_narrows_the_list(api, admin):
    alice = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("alice")})
    bob = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("bob")})
    a = create_2023(api, alice["email"], user_name="Alice SIP")
    a_pc = create_2023(api, alice["email"] + ".pc", user_name="7001")
    b = create_2026(api, bob["email"], user_name="7002")
    assert set(phones_2023(api, search_key=alice["email"])) == {a["id"], a_pc["id"]}
    assert set(phones_2023(api, search_key=alice["email"] + ".pc")) == {a_pc["id"]}
    assert set(phones_2026(api, search_key=bob["email"].upper())) == {b["phone_id"]}
    assert set(phones_2026(api, search_key="alice sip")) == {a["id"]}
    assert phones_2023(api, search_key="nobody-here") == {}
    found = api.get("/sip_phones", params={"search_key": "700", "page_size": 1}).json()
    assert found["total_records"] == 2 and [p["id"] for p in found["phones"]] == [a_pc["id"]]
    more = api.get("/sip_phones", params={"search_key": "700", "page_size": 1,
                                          "next_page_token": found["next_page_token"]}).json()
    assert [p["id"] for p in more["phones"]] == [b["phone_id"]] and more["next_page_token"] == ""
    # a token is bound to its search
    assert_error(api.get("/sip_phones", params={"search_key": "alice", "next_page_token": found["next_page_token"]}),
                 400, 300)


# ---- tenancy and scopes --------------------------------------------------------------------------

def test_other_accounts_never_see_or_touch_a_phone(api, admin):
    made = create_2023(api, add_user(admin, api)["email"])
    other = admin.tenant()
    assert phones_2023(other) == {} and phones_2026(other) == {}
    assert_error(other.delete(f"/sip_phones/{made['id']}"), 404, 2305)
    assert_error(other.patch(f"/sip_phones/phones/{made['id']}", json={"user_name": "x"}), 404, 2305)
    assert_error(other.patch(f"/sip_phones/{made['id']}", json=full_update_2023()), 404, 2305)
    assert phones_2023(api)[made["id"]]["user_name"] == "1001"


def test_admin_scopes_are_required(admin):
    user_level = admin.tenant(scopes=["meeting:read", "meeting:write", "user:read"])
    assert_error(user_level.get("/sip_phones"), 400, 4711)
    assert_error(user_level.get("/sip_phones/phones"), 400, 4711)
    me = user_level.get("/users/me").json()
    assert_error(user_level.post("/sip_phones/phones", json=body_2026(me["email"])), 400, 4711)
    reader = admin.tenant(scopes=["sip_phone:read:admin"])
    assert reader.get("/sip_phones").status_code == 200
    assert reader.get("/sip_phones/phones").status_code == 200
    assert_error(reader.post("/sip_phones", json=body_2023(unique_email())), 400, 4711)
    assert_error(reader.delete("/sip_phones/phones/x"), 400, 4711)
    granular = admin.tenant(scopes=["sip_phone:read:list_sip_phones:admin"])
    assert granular.get("/sip_phones/phones").status_code == 200
