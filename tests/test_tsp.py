"""TSP over HTTP: the account's TSP settings and users' TSP accounts (at most two each) with
their global dial-in URL, on both backends."""
from __future__ import annotations

import pytest

from support import unique_email, expect_error as assert_error, bad_fields as fields

UNKNOWN_ID = "The TSP ID provided does not exist."
NO_CONFIG = "TSP config does not exist."
NONE_LEFT = "At least one TSP config must be available."
TOO_MANY = "You can add a maximum of two TSP configs."
MEDIA_LINK = "Media link is required for AT&T TSP accounts."
ACCOUNT_KEYS = {"tsp_provider", "tsp_enabled", "tsp_bridge", "enable", "master_account_setting_extended",
                "modify_credential_forbidden", "dial_in_number_unrestricted", "dial_in_numbers"}


def add_user(admin, api, prefix="tsp"):
    return admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email(prefix)})


def account(code="0125", pin="11189898", **extra):
    return {"conference_code": code, "leader_pin": pin, **extra}


NUMBERS = [{"code": "1", "number": "+1 1000200200", "type": "toll", "country_label": "America"},
           {"code": "44", "number": "08001234567", "type": "tollfree"}]


def create(api, user="me", **kw):
    r = api.post(f"/users/{user}/tsp", json=account(**kw))
    assert r.status_code == 201, r.text
    return r.json()


def listed(api, user="me"):
    r = api.get(f"/users/{user}/tsp")
    assert r.status_code == 200, r.text
    return r.json()


# ---- account settings ----------------------------------------------------------------------------

def test_account_defaults_on_a_paid_plan(api):
    r = api.get("/tsp")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == ACCOUNT_KEYS
    assert body["tsp_enabled"] is True and body["enable"] is True
    assert body["tsp_bridge"] == "US_TSP_TB" and body["dial_in_numbers"] == []
    assert body["modify_credential_forbidden"] is False and body["dial_in_number_unrestricted"] is False


@pytest.mark.parametrize("tenant_kw", [{"plan": "free"}, {"licences": {"tsp": False}}])
def test_tsp_is_off_without_the_feature(admin, tenant_kw):
    api = admin.tenant(**tenant_kw)
    body = api.get("/tsp").json()
    assert body["tsp_enabled"] is False and body["enable"] is False
    assert_error(api.get("/users/me/tsp"), 400, 2024, "Account has not enabled TSP.")
    assert_error(api.post("/users/me/tsp", json=account()), 400, 2024, "This account has not enabled TSP.")


def test_update_account_settings(api):
    r = api.patch("/tsp", json={"tsp_provider": "Acme Audio", "tsp_bridge": "EU_TSP_TB",
                                "modify_credential_forbidden": True, "master_account_setting_extended": True})
    assert r.status_code == 204, r.text
    assert r.content == b""
    body = api.get("/tsp").json()
    assert (body["tsp_provider"], body["tsp_bridge"]) == ("Acme Audio", "EU_TSP_TB")
    assert body["modify_credential_forbidden"] is True and body["master_account_setting_extended"] is True
    assert body["tsp_enabled"] is True and body["dial_in_number_unrestricted"] is False   # untouched
    assert api.patch("/tsp", json={"dial_in_number_unrestricted": True}).status_code == 204
    after = api.get("/tsp").json()
    assert after["dial_in_number_unrestricted"] is True and after["tsp_provider"] == "Acme Audio"


def test_update_account_settings_validation(api):
    assert "tsp_bridge" in fields(api.patch("/tsp", json={"tsp_bridge": "ASIA_TSP_TB"}))
    assert "tsp_enabled" in fields(api.patch("/tsp", json={"tsp_enabled": "yes"}))
    assert api.get("/tsp").json()["tsp_bridge"] == "US_TSP_TB"


def test_switching_tsp_off_and_on_through_the_api(api):
    create(api)
    assert api.patch("/tsp", json={"tsp_enabled": False}).status_code == 204
    for r in (api.get("/users/me/tsp"), api.get("/users/me/tsp/1"), api.post("/users/me/tsp", json=account()),
              api.patch("/users/me/tsp/1", json=account()), api.delete("/users/me/tsp/1"),
              api.patch("/users/me/tsp/settings", json={"audio_url": "https://example.com/dial"})):
        assert_error(r, 400, 2024)
    assert api.patch("/tsp", json={"tsp_enabled": True, "enable": False}).status_code == 204
    assert_error(api.get("/users/me/tsp"), 400, 2024)       # not opened to the account's users
    assert api.patch("/tsp", json={"enable": True}).status_code == 204
    assert listed(api)["total_records"] == 1


def test_free_account_can_switch_tsp_on(admin):
    api = admin.tenant(plan="free", licences={"tsp": False})
    assert api.patch("/tsp", json={"tsp_enabled": True, "enable": True}).status_code == 204
    assert create(api)["id"] == "1"


def test_accounts_keep_their_own_settings(api, admin):
    other = admin.tenant()
    assert api.patch("/tsp", json={"tsp_provider": "Mine", "tsp_enabled": False}).status_code == 204
    theirs = other.get("/tsp").json()
    assert theirs["tsp_provider"] == "" and theirs["tsp_enabled"] is True


# ---- a user's TSP accounts -----------------------------------------------------------------------

def test_user_tsp_lifecycle(api):
    first = create(api, dial_in_numbers=NUMBERS)
    assert first == {"id": "1", "conference_code": "0125", "leader_pin": "11189898", "tsp_bridge": "US_TSP_TB",
                     "dial_in_numbers": NUMBERS}
    second = create(api, code="77", pin="88", tsp_bridge="EU_TSP_TB")
    assert second["id"] == "2" and second["tsp_bridge"] == "EU_TSP_TB" and second["dial_in_numbers"] == []
    assert_error(api.post("/users/me/tsp", json=account()), 400, 300, TOO_MANY)

    body = listed(api)
    assert body["total_records"] == 2 and body["tsp_accounts"] == [first, second]
    assert api.get("/users/me/tsp/1").json() == first
    assert api.get(f"/users/{api.owner_id}/tsp/2").json() == second

    r = api.patch("/users/me/tsp/1", json=account(code="999", pin="1234", tsp_bridge="EU_TSP_TB"))
    assert r.status_code == 204, r.text
    updated = api.get("/users/me/tsp/1").json()
    assert (updated["conference_code"], updated["leader_pin"], updated["tsp_bridge"]) == ("999", "1234", "EU_TSP_TB")
    assert updated["dial_in_numbers"] == NUMBERS                       # not sent, kept
    assert api.patch("/users/me/tsp/1", json=account(dial_in_numbers=[])).status_code == 204
    assert api.get("/users/me/tsp/1").json()["dial_in_numbers"] == []

    assert api.delete("/users/me/tsp/1").status_code == 204
    assert_error(api.get("/users/me/tsp/1"), 400, 300, NO_CONFIG)
    assert [a["id"] for a in listed(api)["tsp_accounts"]] == ["2"]
    assert create(api)["id"] == "1"                                     # the free slot is reused
    assert [a["id"] for a in listed(api)["tsp_accounts"]] == ["1", "2"]


def test_new_account_takes_the_account_bridge(api):
    assert api.patch("/tsp", json={"tsp_bridge": "EU_TSP_TB"}).status_code == 204
    assert create(api)["tsp_bridge"] == "EU_TSP_TB"


def test_unknown_and_missing_configs(api):
    assert listed(api) == {"total_records": 0, "tsp_accounts": []}
    assert_error(api.get("/users/me/tsp/3"), 400, 300, UNKNOWN_ID)
    assert_error(api.get("/users/me/tsp/1"), 400, 300, NO_CONFIG)
    assert_error(api.patch("/users/me/tsp/1", json=account()), 400, 300, NONE_LEFT)
    assert_error(api.delete("/users/me/tsp/2"), 400, 300, NONE_LEFT)
    assert_error(api.delete("/users/me/tsp/0"), 400, 300, "The provided TSP ID does not exist.")
    assert_error(api.patch("/users/me/tsp/abc", json=account()), 400, 300, UNKNOWN_ID)
    create(api)
    assert_error(api.patch("/users/me/tsp/2", json=account()), 400, 300, NO_CONFIG)
    assert_error(api.delete("/users/me/tsp/2"), 400, 300, NO_CONFIG)


def test_user_tsp_validation(api):
    assert {"conference_code", "leader_pin"} <= fields(api.post("/users/me/tsp", json={}))
    assert "conference_code" in fields(api.post("/users/me/tsp", json=account(code="12ab")))
    assert "leader_pin" in fields(api.post("/users/me/tsp", json=account(pin="1" * 17)))
    assert "conference_code" in fields(api.post("/users/me/tsp", json=account(code="")))
    assert "tsp_bridge" in fields(api.post("/users/me/tsp", json=account(tsp_bridge="NOWHERE")))
    assert "dial_in_numbers[0].type" in fields(
        api.post("/users/me/tsp", json=account(dial_in_numbers=[{"number": "123", "type": "fax"}])))
    assert "dial_in_numbers[0].number" in fields(
        api.post("/users/me/tsp", json=account(dial_in_numbers=[{"code": "1", "type": "toll"}])))
    assert "dial_in_numbers[0].country_label" in fields(
        api.post("/users/me/tsp", json=account(dial_in_numbers=[{"number": "1", "country_label": "x" * 11}])))
    assert listed(api)["total_records"] == 0
    create(api)
    assert "leader_pin" in fields(api.patch("/users/me/tsp/1", json={"conference_code": "1"}))
    assert "conference_code" in fields(api.patch("/users/me/tsp/1", json=account(code="1-2")))
    assert api.get("/users/me/tsp/1").json()["conference_code"] == "0125"


def test_att_accounts_need_a_media_link(api):
    assert api.patch("/tsp", json={"tsp_provider": "AT&T"}).status_code == 204
    assert_error(api.post("/users/me/tsp", json=account(dial_in_numbers=NUMBERS)), 400, 300, MEDIA_LINK)
    with_link = NUMBERS + [{"number": "5550100", "type": "media_link"}]
    made = create(api, dial_in_numbers=with_link)
    assert_error(api.patch("/users/me/tsp/1", json=account(dial_in_numbers=NUMBERS)), 400, 300, MEDIA_LINK)
    assert api.patch("/users/me/tsp/1", json=account(code="42")).status_code == 204   # numbers kept
    assert api.get("/users/me/tsp/1").json()["dial_in_numbers"] == made["dial_in_numbers"]


def test_users_have_their_own_accounts(api, admin):
    peer = add_user(admin, api)
    create(api)
    assert create(api, user=peer["id"])["id"] == "1"
    assert create(api, user=peer["email"])["id"] == "2"
    assert listed(api)["total_records"] == 1
    assert [a["id"] for a in listed(api, peer["id"])["tsp_accounts"]] == ["1", "2"]
    assert api.delete(f"/users/{peer['email']}/tsp/1").status_code == 204
    assert listed(api)["tsp_accounts"][0]["id"] == "1"


def test_unknown_user_is_1001(api, admin):
    ghost = "nouser0000000000000000"
    message = f"User does not exist: {ghost}."
    for r in (api.get(f"/users/{ghost}/tsp"), api.post(f"/users/{ghost}/tsp", json=account()),
              api.get(f"/users/{ghost}/tsp/1"), api.patch(f"/users/{ghost}/tsp/1", json=account()),
              api.delete(f"/users/{ghost}/tsp/1")):
        assert_error(r, 404, 1001, message)
    assert_error(api.patch(f"/users/{ghost}/tsp/settings", json={"audio_url": "https://example.com"}), 404, 1001,
                 f"User {ghost} does not exist, or doesn't belong to this account.")


def test_other_accounts_users_are_1001(api, admin):
    create(api)
    other = admin.tenant()
    for r in (other.get(f"/users/{api.owner_id}/tsp"), other.get(f"/users/{api.owner_id}/tsp/1"),
              other.delete(f"/users/{api.owner_id}/tsp/1"),
              other.patch(f"/users/{api.owner_id}/tsp/1", json=account(code="1")),
              other.post(f"/users/{api.owner_id}/tsp", json=account())):
        assert_error(r, 404, 1001)
    assert listed(api)["tsp_accounts"][0]["conference_code"] == "0125"
    assert listed(other)["total_records"] == 0


def test_user_level_token_manages_only_its_own(admin):
    api = admin.tenant(scopes=["tsp:read", "tsp:write"])
    peer = add_user(admin, api)
    made = create(api)
    assert listed(api)["tsp_accounts"] == [made]
    assert api.get(f"/users/{api.owner_id}/tsp/1").json() == made
    assert api.patch("/users/me/tsp/1", json=account(code="5")).status_code == 204
    assert api.patch("/users/me/tsp/settings", json={"audio_url": "https://example.com/x"}).status_code == 204
    for r in (api.get(f"/users/{peer['id']}/tsp"), api.post(f"/users/{peer['id']}/tsp", json=account()),
              api.get(f"/users/{peer['id']}/tsp/1"), api.delete(f"/users/{peer['email']}/tsp/1"),
              api.patch(f"/users/{peer['id']}/tsp/1", json=account()),
              api.patch(f"/users/{peer['id']}/tsp/settings", json={"audio_url": "https://example.com"}),
              api.get("/tsp"), api.patch("/tsp", json={"enable": False})):
        assert_error(r, 400, 4711)
    assert api.delete("/users/me/tsp/1").status_code == 204


def test_read_scope_cannot_write(admin):
    api = admin.tenant(scopes=["tsp:read:admin", "tsp:read"])
    assert api.get("/tsp").status_code == 200
    assert listed(api)["total_records"] == 0
    assert_error(api.post("/users/me/tsp", json=account()), 400, 4711)
    assert_error(api.patch("/tsp", json={"enable": False}), 400, 4711)


# ---- the global dial-in URL ----------------------------------------------------------------------

def test_global_dial_in_url(api, admin):
    peer = add_user(admin, api)
    r = api.patch("/users/me/tsp/settings", json={"audio_url": "https://dial.example.com/global"})
    assert r.status_code == 204 and r.content == b""
    assert api.patch(f"/users/{peer['email']}/tsp/settings", json={"audio_url": "http://x.example.com"}).status_code == 204
    assert api.patch("/users/me/tsp/settings", json={"audio_url": ""}).status_code == 204
    assert api.patch("/users/me/tsp/settings", json={}).status_code == 204
    assert "audio_url" in fields(api.patch("/users/me/tsp/settings", json={"audio_url": "not a url"}))
    assert "audio_url" in fields(api.patch("/users/me/tsp/settings", json={"audio_url": "ftp://example.com/x"}))
    assert "audio_url" in fields(api.patch("/users/me/tsp/settings",
                                           json={"audio_url": "https://example.com/" + "a" * 500}))


def test_global_dial_in_url_needs_special_tsp(admin):
    api = admin.tenant(licences={"tsp_special": False})
    assert_error(api.patch("/users/me/tsp/settings", json={"audio_url": "https://example.com"}), 400, 2000,
                 "Not TSP special account.")
    create(api)   # ordinary TSP accounts still work
