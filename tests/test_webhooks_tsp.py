"""user.tsp_created / updated / deleted over HTTP: the operator, the user, the credentials and,
on update, the credentials as they were; another user's TSP account (an admin app); failed
requests emit nothing (both backends)."""
from __future__ import annotations

from typing import Any

from support import Admin, Api, expect_error, unique_email
from test_tsp import NUMBERS, account, create
from webhook_kit import Receiver, check_delivery, receiver, subscribe  # noqa: F401

EVENTS = ["user.tsp_created", "user.tsp_updated", "user.tsp_deleted"]
# as the events show NUMBERS: "America" is no country label their schemas know
SHOWN = [{"code": "1", "number": "+1 1000200200", "type": "toll"}, NUMBERS[1]]


def heard(receiver: Receiver, event: str, count: int = 1) -> list[dict[str, Any]]:  # noqa: F811
    found = receiver.wait(count, event)
    for d in found:
        check_delivery(d)
    return [d.body["payload"] for d in found[:count]]


def me(api: Api) -> dict[str, Any]:
    r = api.get("/users/me")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def written(admin: Admin, api: Api, event: str) -> list[dict[str, Any]]:
    r = admin.http.get("/_zoomsim/webhooks/deliveries", params={"account_id": api.account_id, "event": event})
    assert r.status_code == 200, r.text
    return r.json()["deliveries"]  # type: ignore[no-any-return]


def test_created_updated_deleted(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, EVENTS)
    user = me(api)
    made = create(api, dial_in_numbers=NUMBERS)
    (p,) = heard(receiver, "user.tsp_created")
    assert list(p) == ["account_id", "operator", "operator_id", "object"]
    assert (p["account_id"], p["operator"], p["operator_id"]) == (api.account_id, user["email"], user["id"])
    assert p["object"] == {"tsp_credentials": {"id": made["id"], "conference_code": "0125", "leader_pin": "11189898",
                                               "tsp_bridge": "US_TSP_TB", "dial_in_numbers": SHOWN},
                           "email": user["email"], "id": user["id"]}
    eu = [{**NUMBERS[0], "country_label": "EU_TSP_TB"}]
    r = api.patch(f"/users/me/tsp/{made['id']}", json=account(code="0130", pin="11188124", tsp_bridge="EU_TSP_TB",
                                                              dial_in_numbers=eu))
    assert r.status_code == 204, r.text
    (p,) = heard(receiver, "user.tsp_updated")
    assert list(p) == ["account_id", "operator", "operator_id", "object", "old_object"]
    assert p["object"] == {"id": user["id"], "email": user["email"],
                           "tsp_credentials": {"conference_code": "0130", "leader_pin": "11188124",
                                               "dial_in_numbers": eu, "tsp_bridge": "EU_TSP_TB"}}
    assert p["old_object"] == {"conference_code": "0125", "leader_pin": "11189898", "dial_in_numbers": SHOWN,
                               "tsp_bridge": "US_TSP_TB"}
    assert api.delete(f"/users/me/tsp/{made['id']}").status_code == 204
    (p,) = heard(receiver, "user.tsp_deleted")
    assert p["object"]["id"] == user["id"] and p["object"]["tsp_credentials"]["conference_code"] == "0130"
    assert p["object"]["tsp_credentials"]["id"] == made["id"]


def test_another_users_tsp_names_that_user(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["user.tsp_created", "user.tsp_deleted"])
    other = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("tsphook")})
    made = create(api, user=other["email"])                         # by e-mail, as an admin app may
    (p,) = heard(receiver, "user.tsp_created")
    assert p["operator_id"] == me(api)["id"]
    assert (p["object"]["id"], p["object"]["email"]) == (other["id"], other["email"])
    assert written(admin, api, "user.tsp_created")[0]["user_id"] == other["id"]
    assert api.delete(f"/users/{other['id']}/tsp/{made['id']}").status_code == 204
    (p,) = heard(receiver, "user.tsp_deleted")
    assert (p["object"]["id"], p["object"]["tsp_credentials"]["id"]) == (other["id"], made["id"])


def test_failed_requests_emit_nothing(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, EVENTS)
    expect_error(api.patch("/users/me/tsp/1", json=account()), 400, 300)      # nothing to update yet
    expect_error(api.delete("/users/me/tsp/2"), 400, 300)
    expect_error(api.post("/users/nobody@example.com/tsp", json=account()), 404, 1001)
    create(api)
    create(api)
    expect_error(api.post("/users/me/tsp", json=account()), 400, 300)         # at most two
    expect_error(api.patch("/users/me/tsp/3", json=account()), 400, 300)
    assert [len(written(admin, api, e)) for e in EVENTS] == [2, 0, 0]
