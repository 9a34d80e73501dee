"""The error envelope everywhere: routing, methods, bodies, sizes, unimplemented operations, ids, fuzz."""
from __future__ import annotations

import json
import random

import pytest

from support import unique_email


def envelope(r, status, code=None):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert isinstance(body, dict)
    assert isinstance(body.get("code"), int) and not isinstance(body["code"], bool), body
    assert isinstance(body.get("message"), str) and body["message"], body
    if code is not None:
        assert body["code"] == code, body
    return body


def test_unknown_paths_are_404_envelopes(api):
    envelope(api.get("/nope"), 404, 2300)
    envelope(api.get("/users/me/nope/deeper"), 404, 2300)
    envelope(api.http.get("/nope"), 404)
    envelope(api.http.get("/v3/users"), 404)


def test_unknown_path_needs_no_token(api):
    envelope(api.get("/nope", headers={"Authorization": "Bearer junk"}), 404, 2300)


def test_wrong_method_is_405_envelope(api):
    body = envelope(api.put("/users/me", json={}), 405, 405)
    assert "PUT" in body["message"]
    envelope(api.delete("/users"), 405, 405)
    envelope(api.request("POST", "/users/me"), 405, 405)


def test_405_says_which_methods_are_allowed(api):
    assert api.put("/users/me", json={}).headers["Allow"] == "DELETE, GET, PATCH"
    assert api.delete("/users").headers["Allow"] == "GET, POST"


def test_missing_or_bad_token_is_401_envelope(api):
    envelope(api.get("/users/me", headers={"Authorization": ""}), 401, 124)
    envelope(api.get("/users/me", headers={"Authorization": "Bearer not.a.token"}), 401, 124)
    envelope(api.get("/users/me", headers={"Authorization": f"Basic {api.token}"}), 401, 124)


@pytest.mark.parametrize("raw", [b"{", b'{"action": "create",}', b"nope", b'{"a": 1}}', b"\x00\x01"])
def test_malformed_json_body_is_300(api, raw):
    r = api.post("/users", content=raw, headers={"Content-Type": "application/json"})
    body = envelope(r, 400, 300)
    assert "JSON" in body["message"]


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_300(api, raw):
    envelope(api.post("/users", content=raw, headers={"Content-Type": "application/json"}), 400, 300)


def test_body_over_10_mib_is_413(api):
    too_big = b'{"x": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    envelope(api.post("/users", content=too_big, headers={"Content-Type": "application/json"}), 413, 413)

    def chunks():  # no Content-Length: the limit must hold while streaming too
        for _ in range(11):
            yield b"a" * (1024 * 1024)

    envelope(api.post("/users", content=chunks()), 413, 413)
    assert api.get("/users/me").status_code == 200


def test_body_just_under_the_limit_is_read(api):
    filler = "a" * (10 * 1024 * 1024 - 200)
    r = api.post("/users", json={"action": "create", "user_info": {"email": unique_email(), "type": 1}, "pad": filler})
    assert r.status_code == 201, r.text


def test_unimplemented_operation_is_501_envelope(api):
    body = envelope(api.get("/meetings/123/recordings"), 501, 501)
    assert "(recordingGet)" in body["message"] and "GET /meetings/{meetingId}/recordings" in body["message"]


def test_double_encoded_ids_are_decoded(api):
    r = api.get("/users/%252Fabc%252F%252Fdef")
    assert envelope(r, 404, 1001)["message"] == "User does not exist: /abc//def."
    r = api.get("/users/%2Fxyz")
    assert envelope(r, 404, 1001)["message"] == "User does not exist: /xyz."


def test_path_ids_with_control_characters(api):
    for raw in ("%00", "a%00b", "%FF%FE", "%E2%80%AE" * 3, "x" * 2000, "a%40b%00.com"):
        envelope(api.get(f"/users/{raw}"), 404, 1001)
        envelope(api.patch(f"/users/{raw}", json={"dept": "x"}), 404, 1001)
        envelope(api.delete(f"/users/{raw}"), 404, 1001)


def test_nul_in_strings_is_rejected_not_stored(api):
    r = api.post("/users", json={"action": "create", "user_info": {"email": "a\u0000b@example.com", "type": 1}})
    assert envelope(r, 400, 300)["errors"][0]["field"] == "user_info.email"
    r = api.get("/users", params={"role_id": "\u0000"})
    envelope(r, 400, 300)
    envelope(api.patch("/users/me", json={"dept": "R\u0000D"}), 400, 300)


def test_body_that_is_not_utf8_is_300(api):
    envelope(api.post("/users", content=b'{"action": "\xe9"}', headers={"Content-Type": "application/json"}), 400, 300)


def test_deeply_nested_body_is_300(api):
    envelope(api.post("/users", content=b"[" * 5000 + b"]" * 5000), 400, 300)


# ---- fuzz -------------------------------------------------------------------------------------

JUNK_SCALARS = [None, True, False, 0, -1, 2**63, 10**30, 1.5, -0.0, 1e308, "", " ", "null", "0", "true",
                "x" * 5000, "ü😀\u202e\u200b", "\u0000", "\t\n", "<script>", "' OR 1=1 --", "%00", "../..",
                "3456789012", "123456", "Mobile"]
JUNK_EMAILS = ["a\u0000@example.com", "ü@bücher.de", "x" * 120 + "@a.com", "@", "a@b", "A@EXAMPLE.COM ", "a@@b.com",
               "a@b.c\u0000m", "😀@😀.com", "a\nb@example.com", "a@example.com\u200b"]
CREATE_KEYS = ["action", "user_info", "email", "type", "first_name", "last_name", "display_name", "password",
               "feature", "license_info_list", "plan_united_type", "division_ids", "", "__proto__"]
PATCH_KEYS = ["first_name", "last_name", "display_name", "pmi", "host_key", "use_pmi", "custom_attributes",
              "phone_numbers", "feature", "dept", "timezone", "language", "vanity_name", "manager", "type",
              "zoom_one_type", "plan_united_type", "pronouns_option", "group_id", "division_ids", "about_me",
              "linkedin_url", "cms_user_id", "email", "status", ""]
QUERY_KEYS = ["status", "page_size", "page_number", "next_page_token", "role_id", "include_fields", "license",
              "action", "transfer_email", "transfer_meeting", "encrypted_email", "login_type",
              "search_by_unique_id", "remove_tsp_credentials", "junk"]


def junk(rng: random.Random, keys: list[str], depth: int = 0):
    roll = rng.random()
    if depth > 4 or roll < 0.55:
        return rng.choice(JUNK_SCALARS)
    if roll < 0.75:
        return [junk(rng, keys, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(keys): junk(rng, keys, depth + 1) for _ in range(rng.randint(0, 5))}


def junk_create(rng: random.Random):
    """Mostly a valid body with one to three parts replaced, so the handler's own rules are reached."""
    if rng.random() < 0.15:
        return junk(rng, CREATE_KEYS)
    info = {"email": unique_email("fz"), "type": rng.choice([1, 2, 99]), "first_name": "Fuzz"}
    body = {"action": rng.choice(["create", "autoCreate", "custCreate", "ssoCreate"]), "user_info": info}
    for _ in range(rng.randint(1, 3)):
        where = rng.choice([body, info, info])
        key = rng.choice(CREATE_KEYS)
        where[key] = rng.choice(JUNK_EMAILS) if key == "email" and rng.random() < 0.7 else junk(rng, CREATE_KEYS)
    return body


def junk_patch(rng: random.Random):
    if rng.random() < 0.15:
        return junk(rng, PATCH_KEYS)
    return {key: junk(rng, PATCH_KEYS) for key in rng.sample(PATCH_KEYS, rng.randint(1, 4))}


def junk_query(rng: random.Random) -> str:
    from urllib.parse import quote

    parts = []
    for key in rng.sample(QUERY_KEYS, rng.randint(1, 4)):
        value = rng.choice(JUNK_SCALARS + JUNK_EMAILS + ["active", "pending", "host_key", "2", "delete"])
        text = json.dumps(value) if rng.random() < 0.2 else str(value)
        parts.append(f"{quote(key)}={quote(text, safe='')}")
    if rng.random() < 0.2:
        parts.append(rng.choice(["%ff%fe=%c3", "=", "&&", "a=%", "page_size=%00", "status=%E2%80"]))
    return "&".join(parts)


def send_body(api, method, path, body, rng):
    if rng.random() < 0.1:
        raw = json.dumps(body)[: rng.randint(0, 40)].encode()  # truncated JSON
        return api.request(method, path, content=raw, headers={"Content-Type": "application/json"})
    if rng.random() < 0.1:
        return api.request(method, path, data={"action": "create", "user_info": "x", "first_name": "\u0000"})
    return api.request(method, path, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


FUZZ_OPS = ["users", "userCreate", "user", "userUpdate", "userDelete"]


@pytest.mark.parametrize("op", FUZZ_OPS)
def test_fuzz_never_500(admin, op):
    api = admin.tenant()
    rng = random.Random(f"zoomsim-{op}")
    victims = [api.post("/users", json={"action": "autoCreate", "user_info": {"email": unique_email("v"), "type": 1}})
               .json()["id"] for _ in range(4)]
    statuses = set()
    for i in range(40):
        target = rng.choice(victims + ["me", "nobody", "%252Fx%252F%252Fy", "a%00b", unique_email("no")])
        query = junk_query(rng) if rng.random() < 0.7 else ""
        if op == "users":
            r = api.get(f"/users?{query}")
        elif op == "userCreate":
            r = send_body(api, "POST", "/users", junk_create(rng), rng)
        elif op == "user":
            r = api.get(f"/users/{target}?{query}")
        elif op == "userUpdate":
            r = send_body(api, "PATCH", f"/users/{target}?{query}", junk_patch(rng), rng)
        else:
            r = api.delete(f"/users/{target}?{query}")
        context = f"{op} #{i}: {r.request.method} {r.request.url} -> {r.status_code} {r.text[:300]}"
        assert r.status_code < 500, context
        statuses.add(r.status_code)
        if r.status_code >= 400:
            body = r.json()
            assert isinstance(body, dict), context
            assert isinstance(body.get("code"), int) and isinstance(body.get("message"), str), context
            assert set(body) <= {"code", "message", "errors"}, context
    assert statuses & {200, 201, 204}, "the fuzz never reached a handler's success path"
    assert statuses & {400, 404}, "the fuzz never produced an error"
    me = api.get("/users/me")
    assert me.status_code == 200 and me.json()["id"] == api.owner_id
