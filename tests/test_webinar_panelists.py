"""Webinar panelists over HTTP: list, add (an address added again is updated, not doubled), remove
one or all, the 100-panelist cap (also under concurrent additions), branding bound to panelists,
and the errors every panelist operation documents."""
from __future__ import annotations

import threading
from typing import Any

from support import Admin, Api, bad_fields, new_meeting, ok, unique_email
from support import expect_error as err
from test_webinars import PLAN_MISSING, new_webinar

from zoomsim.users.features import PANELISTS_PER_WEBINAR

LIMIT = "You have reached the limit for the number of panelists you can add. Contact Zoom Support for more information."
PANELIST_FIELDS = {"id", "email", "name", "join_url", "name_tag_id", "name_tag_name", "name_tag_pronouns",
                   "name_tag_description", "virtual_background_id"}


def add(api: Api, wid: int, *people: dict[str, Any]) -> Any:
    return api.post(f"/webinars/{wid}/panelists", json={"panelists": list(people)})


def added(api: Api, wid: int, *people: dict[str, Any]) -> dict[str, Any]:
    r = add(api, wid, *people)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def people(n: int, prefix: str = "p") -> list[dict[str, Any]]:
    return [{"email": unique_email(prefix), "name": f"{prefix} {i}"} for i in range(n)]


def listed(api: Api, wid: int) -> list[dict[str, Any]]:
    body = ok(api, f"/webinars/{wid}/panelists")
    assert body["total_records"] == len(body["panelists"])
    return body["panelists"]  # type: ignore[no-any-return]


def test_add_list_and_remove(api: Api, clock: Admin) -> None:
    clock.clock(now="2030-05-01T10:00:00Z")
    api.fetch_token()
    w = new_webinar(api)
    assert listed(api, w["id"]) == []
    made = added(api, w["id"], {"email": "jill@example.com", "name": "Jill Chill"}, {"email": "bo@example.com", "name": "Bo"})
    assert made == {"id": str(w["id"]), "updated_at": "2030-05-01T10:00:00Z"}
    got = listed(api, w["id"])
    assert [(p["email"], p["name"]) for p in got] == [("jill@example.com", "Jill Chill"), ("bo@example.com", "Bo")]
    for p in got:
        assert set(p) == PANELIST_FIELDS and len(p["id"]) == 22
        assert p["join_url"].startswith(w["join_url"]) and "tk=" in p["join_url"]
    assert got[0]["join_url"] != got[1]["join_url"]    # each panelist has a link of their own
    assert api.delete(f"/webinars/{w['id']}/panelists/{got[0]['id']}").status_code == 204
    assert [p["email"] for p in listed(api, w["id"])] == ["bo@example.com"]
    err(api.delete(f"/webinars/{w['id']}/panelists/{got[0]['id']}"), 404, 1001)
    assert api.delete(f"/webinars/{w['id']}/panelists").status_code == 204
    assert listed(api, w["id"]) == []
    assert api.delete(f"/webinars/{w['id']}/panelists").status_code == 204


def test_same_address_updates_the_panelist(api: Api) -> None:
    w = new_webinar(api)
    added(api, w["id"], {"email": "jill@example.com", "name": "Jill"})
    first = listed(api, w["id"])[0]
    added(api, w["id"], {"email": "JILL@example.com", "name": "Jill Chill", "name_tag_name": "Dr. Jill"},
          {"email": "new@example.com", "name": "New"}, {"email": "new@example.com", "name": "Newer"})
    got = listed(api, w["id"])
    assert len(got) == 2
    assert (got[0]["id"], got[0]["join_url"], got[0]["email"]) == (first["id"], first["join_url"], "jill@example.com")
    assert (got[0]["name"], got[0]["name_tag_name"]) == ("Jill Chill", "Dr. Jill")
    assert got[1]["name"] == "Newer"


def test_bad_requests(api: Api) -> None:
    w = new_webinar(api)
    assert bad_fields(add(api, w["id"])) == {"panelists"}
    assert bad_fields(api.post(f"/webinars/{w['id']}/panelists", json={})) == {"panelists"}
    assert bad_fields(add(api, w["id"], {"name": "No address"})) == {"panelists[0].email"}
    assert bad_fields(add(api, w["id"], {"email": "not-an-address", "name": "x"})) == {"panelists[0].email"}
    assert bad_fields(add(api, w["id"], *people(31))) == {"panelists"}
    assert bad_fields(add(api, w["id"], {"email": unique_email(), "name_tag_id": "nope"},
                          {"email": unique_email(), "virtual_background_id": "nope"})) \
        == {"panelists[0].name_tag_id", "panelists[1].virtual_background_id"}
    assert bad_fields(api.post(f"/webinars/{w['id']}/panelists", json={"panelists": [None]})) == {"panelists[0]"}
    err(api.post(f"/webinars/{w['id']}/panelists", content=b"{", headers={"content-type": "application/json"}),
        400, 300)
    assert listed(api, w["id"]) == []


def test_cap_of_one_hundred(api: Api) -> None:
    w = new_webinar(api)
    crowd = people(PANELISTS_PER_WEBINAR)
    for start in range(0, len(crowd), 30):
        added(api, w["id"], *crowd[start:start + 30])
    assert len(listed(api, w["id"])) == PANELISTS_PER_WEBINAR
    err(add(api, w["id"], *people(1)), 400, 3000, LIMIT)
    # a request that would pass the cap adds nobody, even those that fit
    err(add(api, w["id"], crowd[0], *people(1)), 400, 3000, LIMIT)
    added(api, w["id"], {**crowd[5], "name": "Renamed"})     # updating one at the cap is fine
    got = listed(api, w["id"])
    assert len(got) == PANELISTS_PER_WEBINAR and got[5]["name"] == "Renamed"
    assert api.delete(f"/webinars/{w['id']}/panelists/{got[0]['id']}").status_code == 204
    added(api, w["id"], *people(1))


def test_cap_holds_under_concurrent_additions(api: Api) -> None:
    w = new_webinar(api)
    crowd = people(90, "base")
    for start in range(0, 90, 30):
        added(api, w["id"], *crowd[start:start + 30])
    answers: list[int] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        r = add(api, w["id"], *people(3, f"t{n}"))
        with lock:
            answers.append(r.status_code)
            if r.status_code != 201:
                assert r.json() == {"code": 3000, "message": LIMIT}

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(answers)) == [201, 400]
    total = len(listed(api, w["id"]))
    assert total == 90 + 3 * answers.count(201) and total <= PANELISTS_PER_WEBINAR
    assert answers.count(201) == 3


def test_webinar_errors(admin: Admin, api: Api) -> None:
    w = new_webinar(api)
    paths = [("GET", "/webinars/{}/panelists"), ("POST", "/webinars/{}/panelists"),
             ("DELETE", "/webinars/{}/panelists"), ("DELETE", "/webinars/{}/panelists/abc")]
    body = {"panelists": [{"email": "jill@example.com", "name": "Jill"}]}
    other = admin.tenant()
    meeting = new_meeting(api)
    member = admin.member(api, scopes=("webinar:read", "webinar:write"))
    licensed = admin.member(api, scopes=("webinar:read", "webinar:write"), features={"webinar": 500})
    for method, path in paths:
        kw: dict[str, Any] = {"json": body} if method == "POST" else {}
        err(api.request(method, path.format(90000000001), **kw), 404, 3001, "Webinar does not exist: 90000000001.")
        err(api.request(method, path.format(meeting["id"]), **kw), 404, 3001)
        err(other.request(method, path.format(w["id"]), **kw), 404, 3001, f"Webinar does not exist: {w['id']}.")
        err(api.request(method, path.format("abc"), **kw), 400, 300, "Invalid webinar ID.")
        err(api.request(method, path.format("9" * 4301), **kw), 404, 3001)   # digits, but no int64
        err(licensed.request(method, path.format(w["id"]), **kw), 400, 200, "No permission.")   # another host's
    mine = new_webinar(licensed)
    admin.call("PATCH", f"/accounts/{api.account_id}/users/{licensed.owner_id}/features", {"webinar": False})
    err(licensed.get(f"/webinars/{mine['id']}/panelists"), 400, 200, PLAN_MISSING)
    err(api.post(f"/webinars/{mine['id']}/panelists", json=body), 400, 200, PLAN_MISSING)   # its host's licence
    err(member.get(f"/webinars/{w['id']}/panelists"), 400, 200, "No permission.")
    assert api.delete(f"/webinars/{w['id']}").status_code == 204
    err(api.get(f"/webinars/{w['id']}/panelists"), 404, 3001)


def test_nul_in_panelist_id(api: Api) -> None:
    w = new_webinar(api)
    err(api.delete(f"/webinars/{w['id']}/panelists/a%00b"), 404, 1001)
