"""Tracking fields over HTTP: create, list, get, update, delete; duplicate labels, plans,
tenancy and scopes; meetings carrying tracking fields (both backends)."""
from __future__ import annotations

import pytest

from support import expect_error as assert_error


def create(api, field="Cost centre", **extra):
    return api.post("/tracking_fields", json={"field": field, **extra})


def made(api, field="Cost centre", **extra):
    r = create(api, field, **extra)
    assert r.status_code == 201, r.text
    return r.json()


def listed(api):
    r = api.get("/tracking_fields")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_records"] == len(body["tracking_fields"])
    return body["tracking_fields"]


def fetched(api, field_id):
    r = api.get(f"/tracking_fields/{field_id}")
    assert r.status_code == 200, r.text
    return r.json()


# ---- create / get / list --------------------------------------------------------------------

def test_create_get_and_list(api):
    body = made(api, "Project", required=True, visible=False, recommended_values=["Apollo", "Gemini"])
    assert set(body) == {"id", "field", "required", "visible", "recommended_values"}
    assert len(body["id"]) == 13
    assert (body["field"], body["required"], body["visible"]) == ("Project", True, False)
    assert body["recommended_values"] == ["Apollo", "Gemini"]
    assert fetched(api, body["id"]) == body
    assert listed(api) == [body]


def test_defaults(api):
    body = made(api, "Region")
    assert (body["required"], body["visible"], body["recommended_values"]) == (False, True, [])
    assert fetched(api, body["id"])["visible"] is True


def test_list_in_creation_order(api):
    assert listed(api) == []
    ids = [made(api, name)["id"] for name in ("Zeta", "Alpha", "Mid")]
    assert [f["id"] for f in listed(api)] == ids
    assert len(set(ids)) == 3


def test_duplicate_label(api):
    made(api, "Dept")
    assert_error(create(api, "Dept"), 400, 200, "Tracking field Dept already exists.")
    assert_error(create(api, "  Dept "), 400, 200)
    assert [f["field"] for f in listed(api)] == ["Dept"]
    assert made(api, "dept")["field"] == "dept"  # labels compare exactly


@pytest.mark.parametrize("body", [{}, {"field": ""}, {"field": "   "}, {"visible": True}])
def test_label_is_needed(api, body):
    r = api.post("/tracking_fields", json=body)
    assert {e["field"] for e in assert_error(r, 400, 300, "Validation Failed.")["errors"]} == {"field"}
    assert listed(api) == []


def test_wrong_types_are_refused(api):
    assert_error(create(api, required="yes"), 400, 300)
    assert_error(create(api, recommended_values="a,b"), 400, 300)
    assert_error(api.post("/tracking_fields", json={"field": 5}), 400, 300)
    assert listed(api) == []


# ---- update / delete --------------------------------------------------------------------------

def test_update_merges(api):
    body = made(api, "Team", required=True, recommended_values=["A", "B"])
    r = api.patch(f"/tracking_fields/{body['id']}", json={"visible": False})
    assert r.status_code == 204 and r.content == b""
    got = fetched(api, body["id"])
    assert (got["field"], got["required"], got["visible"], got["recommended_values"]) == ("Team", True, False, ["A", "B"])
    assert api.patch(f"/tracking_fields/{body['id']}", json={"field": "Squad", "recommended_values": ["C"]}).status_code == 204
    got = fetched(api, body["id"])
    assert (got["field"], got["required"], got["visible"], got["recommended_values"]) == ("Squad", True, False, ["C"])
    assert api.patch(f"/tracking_fields/{body['id']}", json={}).status_code == 204
    assert fetched(api, body["id"]) == got
    # the old label is free again, the new one is taken
    made(api, "Team")
    assert_error(create(api, "Squad"), 400, 200, "Tracking field Squad already exists.")


def test_update_to_a_taken_label(api):
    first = made(api, "One")
    second = made(api, "Two")
    assert_error(api.patch(f"/tracking_fields/{second['id']}", json={"field": "One"}), 400, 200,
                 "Tracking field One already exists.")
    assert fetched(api, second["id"])["field"] == "Two"
    # keeping its own label is no clash
    assert api.patch(f"/tracking_fields/{first['id']}", json={"field": "One", "required": True}).status_code == 204
    assert fetched(api, first["id"])["required"] is True
    assert_error(api.patch(f"/tracking_fields/{first['id']}", json={"field": ""}), 400, 300)


def test_delete(api):
    keep = made(api, "Keep")
    gone = made(api, "Gone")
    r = api.delete(f"/tracking_fields/{gone['id']}")
    assert r.status_code == 204 and r.content == b""
    assert listed(api) == [keep]
    message = f"Tracking field does not exist: {gone['id']}."
    assert_error(api.get(f"/tracking_fields/{gone['id']}"), 404, 5110, message)
    assert_error(api.delete(f"/tracking_fields/{gone['id']}"), 404, 5110, message)
    assert made(api, "Gone")["id"] != gone["id"]


def test_unknown_id(api):
    for call in (api.get, api.delete):
        assert_error(call("/tracking_fields/nope"), 404, 5110, "Tracking field does not exist: nope.")
    assert_error(api.patch("/tracking_fields/nope", json={"visible": False}), 404, 5110,
                 "Tracking field does not exist: nope.")


# ---- plans, tenancy, scopes --------------------------------------------------------------------

@pytest.mark.parametrize("plan", ["free", "pro"])
def test_needs_business_or_higher(admin, plan):
    api = admin.tenant(plan=plan)
    assert_error(api.get("/tracking_fields"), 400, 200)
    assert_error(create(api), 400, 200)
    assert_error(api.get("/tracking_fields/x"), 400, 200)


@pytest.mark.parametrize("plan", ["business", "education", "enterprise"])
def test_allowed_plans(admin, plan):
    api = admin.tenant(plan=plan)
    made(api)
    assert len(listed(api)) == 1


def test_other_account_sees_nothing(api, admin):
    field = made(api, "Secret")
    other = admin.tenant()
    assert listed(other) == []
    msg = f"Tracking field does not exist: {field['id']}."
    assert_error(other.get(f"/tracking_fields/{field['id']}"), 404, 5110, msg)
    assert_error(other.patch(f"/tracking_fields/{field['id']}", json={"field": "Mine"}), 404, 5110, msg)
    assert_error(other.delete(f"/tracking_fields/{field['id']}"), 404, 5110, msg)
    assert made(other, "Secret")["id"] != field["id"]   # labels are unique per account only
    assert fetched(api, field["id"]) == field


def test_user_level_token_is_refused(admin):
    api = admin.tenant(scopes=["meeting:read", "meeting:write", "user:read", "user:write"])
    body = assert_error(api.get("/tracking_fields"), 400, 4711)
    assert "tracking_field:read:list_tracking_fields:admin" in body["message"]
    assert_error(create(api), 400, 4711)
    assert_error(api.get("/tracking_fields/x"), 400, 4711)
    assert_error(api.patch("/tracking_fields/x", json={"visible": True}), 400, 4711)
    assert_error(api.delete("/tracking_fields/x"), 400, 4711)


def test_classic_and_granular_scopes(admin):
    reader = admin.tenant(scopes=["tracking_fields:read:admin"])
    assert listed(reader) == []
    assert_error(create(reader), 400, 4711)
    writer = admin.tenant(scopes=["tracking_fields:write:admin"])
    field = made(writer)
    assert writer.patch(f"/tracking_fields/{field['id']}", json={"required": True}).status_code == 204
    assert_error(writer.get("/tracking_fields"), 400, 4711)
    assert writer.delete(f"/tracking_fields/{field['id']}").status_code == 204
    granular = admin.tenant(scopes=["tracking_field:write:tracking_field:admin",
                                    "tracking_field:read:tracking_field:admin"])
    field = made(granular)
    assert fetched(granular, field["id"]) == field
    assert_error(granular.get("/tracking_fields"), 400, 4711)
    assert_error(granular.delete(f"/tracking_fields/{field['id']}"), 400, 4711)
    assert_error(granular.patch(f"/tracking_fields/{field['id']}", json={"required": True}), 400, 4711)


# ---- meetings carrying tracking fields ---------------------------------------------------------

def test_meeting_takes_visibility_from_the_definition(api):
    made(api, "Hidden", visible=False)
    made(api, "Shown")
    r = api.post("/users/me/meetings", json={"topic": "Tracked", "tracking_fields": [
        {"field": "Hidden", "value": "h1"}, {"field": "Shown", "value": "s1"}, {"field": "Ad hoc", "value": "x"}]})
    assert r.status_code == 201, r.text
    expected = [{"field": "Hidden", "value": "h1", "visible": False},
                {"field": "Shown", "value": "s1", "visible": True},
                {"field": "Ad hoc", "value": "x", "visible": True}]
    assert r.json()["tracking_fields"] == expected
    got = api.get(f"/meetings/{r.json()['id']}").json()
    assert got["tracking_fields"] == expected


def test_meeting_update_replaces_tracking_fields(api):
    made(api, "Hidden", visible=False)
    r = api.post("/users/me/meetings", json={"topic": "Tracked", "tracking_fields": [
        {"field": "Shown", "value": "a"}, {"field": "Other", "value": "b"}]})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    r = api.patch(f"/meetings/{mid}", json={"tracking_fields": [{"field": "Hidden", "value": "z"}]})
    assert r.status_code == 204, r.text
    assert api.get(f"/meetings/{mid}").json()["tracking_fields"] == [{"field": "Hidden", "value": "z", "visible": False}]
    # a later change to the definition shows on meetings updated afterwards
    hidden = next(f for f in listed(api) if f["field"] == "Hidden")
    assert api.patch(f"/tracking_fields/{hidden['id']}", json={"visible": True}).status_code == 204
    assert api.patch(f"/meetings/{mid}", json={"tracking_fields": [{"field": "Hidden", "value": "y"}]}).status_code == 204
    assert api.get(f"/meetings/{mid}").json()["tracking_fields"] == [{"field": "Hidden", "value": "y", "visible": True}]
