"""Meeting polls over HTTP: every question type and its rules, quizzes, the anonymous filter,
batch creation, PUT replacement, delete, and the access errors (both backends)."""
from __future__ import annotations

from typing import Any

import pytest

from support import Admin, Api, unique_email, expect_error as err, bad_fields

POLL_NOT_FOUND = "Meeting Poll not found."
POLLS_DISABLED = ('Meeting polls disabled. To enable this feature, enable the "Meeting Polls/Quizzes" '
                  "setting in the Zoom web portal's \"Settings\" interface.")


def meeting(api: Api, **body: Any) -> int:
    body.setdefault("topic", "Polls")
    body.setdefault("type", 2)
    r = api.post("/users/me/meetings", json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def single(name: str = "Pick one", **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "single", "answers": ["Yes", "No"], **extra}


def poll(*questions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    fields.setdefault("title", "Quick check")
    return {**fields, "questions": list(questions) or [single()]}


def created(api: Api, mid: int, body: dict[str, Any]) -> dict[str, Any]:
    r = api.post(f"/meetings/{mid}/polls", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


# ---- create, get, list -----------------------------------------------------------------------

def test_basic_poll_defaults_and_round_trip(api: Api) -> None:
    mid = meeting(api)
    body = poll(single(), {"name": "Pick some", "type": "multiple", "answers": ["A", "B", "C"]})
    p = created(api, mid, body)
    assert len(p["id"]) == 22 and p["status"] == "notstart"
    assert (p["anonymous"], p["poll_type"], p["title"]) == (False, 1, "Quick check")
    assert p["questions"] == [
        {"name": "Pick one", "type": "single", "answer_required": True, "answers": ["Yes", "No"],
         "show_as_dropdown": False},
        {"name": "Pick some", "type": "multiple", "answer_required": True, "answers": ["A", "B", "C"]},
    ]
    got = api.get(f"/meetings/{mid}/polls/{p['id']}")
    assert got.status_code == 200 and got.json() == p
    listed = api.get(f"/meetings/{mid}/polls").json()
    assert listed == {"polls": [p], "total_records": 1}


ADVANCED_OK: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"name": "Match", "type": "matching", "answers": ["Paris", "Rome"],
      "prompts": [{"prompt_question": "France", "prompt_right_answers": ["Paris"]},
                  {"prompt_question": "Italy", "prompt_right_answers": ["Rome"]}]},
     {"answers": ["Paris", "Rome"],
      "prompts": [{"prompt_question": "France", "prompt_right_answers": ["Paris"]},
                  {"prompt_question": "Italy", "prompt_right_answers": ["Rome"]}]}),
    ({"name": "Rank", "type": "rank_order", "answers": ["1st", "2nd"],
      "prompts": [{"prompt_question": "Tea"}, {"prompt_question": "Coffee"}]},
     {"answers": ["1st", "2nd"], "prompts": [{"prompt_question": "Tea"}, {"prompt_question": "Coffee"}]}),
    ({"name": "Say it", "type": "short_answer"}, {"answer_min_character": 1, "answer_max_character": 500}),
    ({"name": "Say more", "type": "long_answer", "answer_min_character": 20, "answer_max_character": 2000,
      "answers": ["ignored"]}, {"answer_min_character": 20, "answer_max_character": 2000}),
    ({"name": "The capital of France is ___", "type": "fill_in_the_blank", "right_answers": ["Paris"],
      "case_sensitive": True}, {"right_answers": ["Paris"], "case_sensitive": True}),
    ({"name": "Rate", "type": "rating_scale", "rating_min_value": 0, "rating_max_value": 10,
      "rating_min_label": "Poor", "rating_max_label": "Great"},
     {"rating_min_value": 0, "rating_max_value": 10, "rating_min_label": "Poor", "rating_max_label": "Great"}),
    ({"name": "Menu", "type": "single", "answers": ["a", "b"], "show_as_dropdown": True, "answer_required": True},
     {"answers": ["a", "b"], "show_as_dropdown": True}),
]


@pytest.mark.parametrize("question,expected", ADVANCED_OK, ids=[q["type"] for q, _ in ADVANCED_OK])
def test_advanced_question_types(api: Api, question: dict[str, Any], expected: dict[str, Any]) -> None:
    mid = meeting(api)
    p = created(api, mid, poll(question, poll_type=2))
    q = p["questions"][0]
    required = question.get("answer_required", False)   # advanced polls default to optional answers
    assert q == {"name": question["name"], "type": question["type"], "answer_required": required, **expected}
    assert api.get(f"/meetings/{mid}/polls/{p['id']}").json()["questions"] == [q]


ADVANCED_BAD: list[tuple[dict[str, Any], str]] = [
    ({"type": "single", "answers": ["a", "b"]}, "questions[0].name"),
    ({"name": "  ", "type": "single", "answers": ["a", "b"]}, "questions[0].name"),
    ({"name": "x", "answers": ["a", "b"]}, "questions[0].type"),
    ({"name": "x", "type": "single", "answers": ["a"]}, "questions[0].answers"),
    ({"name": "x", "type": "multiple"}, "questions[0].answers"),
    ({"name": "x", "type": "multiple", "answers": [str(i) for i in range(11)]}, "questions[0].answers"),
    ({"name": "x", "type": "single", "answers": ["a", ""]}, "questions[0].answers[1]"),
    ({"name": "x", "type": "single", "answers": ["a", "b"], "right_answers": ["c"]}, "questions[0].right_answers[0]"),
    ({"name": "x", "type": "single", "answers": ["a", "b"], "right_answers": ["a", "b"]}, "questions[0].right_answers"),
    ({"name": "x", "type": "matching", "answers": ["a", "b"]}, "questions[0].prompts"),
    ({"name": "x", "type": "matching", "answers": ["a", "b"],
      "prompts": [{"prompt_question": "p", "prompt_right_answers": ["a"]}]}, "questions[0].prompts"),
    ({"name": "x", "type": "matching", "answers": ["a", "b"],
      "prompts": [{"prompt_question": "p"}, {"prompt_question": "q", "prompt_right_answers": ["b"]}]},
     "questions[0].prompts[0].prompt_right_answers"),
    ({"name": "x", "type": "matching", "answers": ["a", "b"],
      "prompts": [{"prompt_question": "p", "prompt_right_answers": ["z"]},
                  {"prompt_question": "q", "prompt_right_answers": ["b"]}]},
     "questions[0].prompts[0].prompt_right_answers[0]"),
    ({"name": "x", "type": "matching", "answers": [str(i) for i in range(17)],
      "prompts": [{"prompt_question": "p", "prompt_right_answers": ["1"]},
                  {"prompt_question": "q", "prompt_right_answers": ["2"]}]}, "questions[0].answers"),
    ({"name": "x", "type": "rank_order", "answers": [str(i) for i in range(8)],
      "prompts": [{"prompt_question": "p"}, {"prompt_question": "q"}]}, "questions[0].answers"),
    ({"name": "x", "type": "rank_order", "answers": ["1", "2"],
      "prompts": [{"prompt_question": ""}, {"prompt_question": "q"}]}, "questions[0].prompts[0].prompt_question"),
    ({"name": "x", "type": "rank_order", "answers": ["1", "2"],
      "prompts": [{"prompt_question": "p", "prompt_right_answers": ["1", "2"]}, {"prompt_question": "q"}]},
     "questions[0].prompts[0].prompt_right_answers"),
    ({"name": "x", "type": "rank_order", "answers": ["1", "2"],
      "prompts": [{"prompt_question": str(i)} for i in range(11)]}, "questions[0].prompts"),
    ({"name": "x", "type": "short_answer", "answer_max_character": 501}, "questions[0].answer_max_character"),
    ({"name": "x", "type": "long_answer", "answer_max_character": 2001}, "questions[0].answer_max_character"),
    ({"name": "x", "type": "short_answer", "answer_min_character": 0}, "questions[0].answer_min_character"),
    ({"name": "x", "type": "short_answer", "answer_min_character": 50, "answer_max_character": 10},
     "questions[0].answer_min_character"),
    ({"name": "x", "type": "fill_in_the_blank"}, "questions[0].right_answers"),
    ({"name": "x", "type": "fill_in_the_blank", "right_answers": []}, "questions[0].right_answers"),
    ({"name": "x", "type": "rating_scale", "rating_max_value": 5}, "questions[0].rating_min_value"),
    ({"name": "x", "type": "rating_scale", "rating_min_value": 1}, "questions[0].rating_max_value"),
    ({"name": "x", "type": "rating_scale", "rating_min_value": 1, "rating_max_value": 11},
     "questions[0].rating_max_value"),
    ({"name": "x", "type": "rating_scale", "rating_min_value": -1, "rating_max_value": 5},
     "questions[0].rating_min_value"),
    ({"name": "x", "type": "rating_scale", "rating_min_value": 5, "rating_max_value": 5},
     "questions[0].rating_max_value"),
    ({"name": "x", "type": "essay"}, "questions[0].type"),
    ({"name": "x" * 1025, "type": "short_answer"}, "questions[0].name"),
]


@pytest.mark.parametrize("question,field", ADVANCED_BAD, ids=[f"{i}-{f}" for i, (_, f) in enumerate(ADVANCED_BAD)])
def test_bad_questions_name_the_field(api: Api, question: dict[str, Any], field: str) -> None:
    mid = meeting(api)
    assert field in bad_fields(api.post(f"/meetings/{mid}/polls", json=poll(question, poll_type=2)))
    assert api.get(f"/meetings/{mid}/polls").json()["total_records"] == 0


def test_poll_level_rules(api: Api) -> None:
    mid = meeting(api)
    assert bad_fields(api.post(f"/meetings/{mid}/polls", json={"questions": [single()]})) == {"title"}
    assert bad_fields(api.post(f"/meetings/{mid}/polls", json={"title": "t"})) == {"questions"}
    assert bad_fields(api.post(f"/meetings/{mid}/polls", json={"title": "t", "questions": []})) == {"questions"}
    assert "title" in bad_fields(api.post(f"/meetings/{mid}/polls", json=poll(title="x" * 65)))
    assert "poll_type" in bad_fields(api.post(f"/meetings/{mid}/polls", json=poll(poll_type=4)))
    assert "anonymous" in bad_fields(api.post(f"/meetings/{mid}/polls", json=poll(anonymous="yes")))
    # several problems are reported together
    both = api.post(f"/meetings/{mid}/polls", json={"questions": [{"name": "x", "type": "single"}]})
    assert bad_fields(both) == {"title", "questions[0].answers"}


def test_basic_polls_take_choice_questions_only(api: Api) -> None:
    mid = meeting(api)
    rating = {"name": "Rate", "type": "rating_scale", "rating_min_value": 1, "rating_max_value": 5}
    body = poll(single(), rating)
    b = err(api.post(f"/meetings/{mid}/polls", json=body), 400, 300)
    assert [e["field"] for e in b["errors"]] == ["questions[1].type"]
    assert created(api, mid, {**body, "poll_type": 2})["poll_type"] == 2
    quiz = poll(single(right_answers=["No"]), rating, poll_type=3)
    assert created(api, mid, quiz)["poll_type"] == 3


def test_quiz_needs_right_answers(api: Api) -> None:
    mid = meeting(api)
    multiple = {"name": "Primes", "type": "multiple", "answers": ["2", "3", "4"]}
    rank = {"name": "Order", "type": "rank_order", "answers": ["1", "2"],
            "prompts": [{"prompt_question": "a"}, {"prompt_question": "b", "prompt_right_answers": ["2"]}]}
    fields = bad_fields(api.post(f"/meetings/{mid}/polls", json=poll(single(), multiple, rank, poll_type=3)))
    assert fields == {"questions[0].right_answers", "questions[1].right_answers",
                      "questions[2].prompts[0].prompt_right_answers"}
    multiple["right_answers"] = ["2", "3"]
    rank["prompts"][0]["prompt_right_answers"] = ["1"]
    p = created(api, mid, poll(single(right_answers=["Yes"]), multiple, rank, poll_type=3))
    assert p["questions"][0]["right_answers"] == ["Yes"] and p["questions"][0]["answer_required"] is False
    assert p["questions"][1]["right_answers"] == ["2", "3"]
    assert p["questions"][2]["prompts"][0] == {"prompt_question": "a", "prompt_right_answers": ["1"]}


def test_anonymous_filter(api: Api) -> None:
    mid = meeting(api)
    open_poll = created(api, mid, poll(title="Open"))
    secret = created(api, mid, poll(title="Secret", anonymous=True))

    def titles(**params: Any) -> tuple[list[str], int]:
        r = api.get(f"/meetings/{mid}/polls", params=params)
        assert r.status_code == 200, r.text
        return [p["title"] for p in r.json()["polls"]], r.json()["total_records"]

    assert titles() == (["Open", "Secret"], 2)
    assert titles(anonymous="true") == (["Secret"], 1)
    assert titles(anonymous="false") == (["Open"], 1)
    assert "anonymous" in bad_fields(api.get(f"/meetings/{mid}/polls", params={"anonymous": "maybe"}))
    assert secret["anonymous"] is True and open_poll["anonymous"] is False


def test_polls_belong_to_their_meeting(api: Api) -> None:
    first, second = meeting(api), meeting(api)
    p = created(api, first, poll())
    assert api.get(f"/meetings/{second}/polls").json() == {"polls": [], "total_records": 0}
    err(api.get(f"/meetings/{second}/polls/{p['id']}"), 404, 404, POLL_NOT_FOUND)


def test_recurring_meetings_take_polls_instant_ones_do_not(api: Api) -> None:
    recurring = meeting(api, type=3)
    assert created(api, recurring, poll())["status"] == "notstart"
    instant = meeting(api, type=1)
    b = err(api.post(f"/meetings/{instant}/polls", json=poll()), 400, 3000)
    assert "instant" in b["message"]
    err(api.post(f"/meetings/{instant}/batch_polls", json={"polls": [poll()]}), 400, 3000)
    assert api.get(f"/meetings/{instant}/polls").json()["total_records"] == 0


# ---- batch -----------------------------------------------------------------------------------

def test_batch_create(api: Api) -> None:
    mid = meeting(api)
    rating = {"name": "Rate", "type": "rating_scale", "rating_min_value": 1, "rating_max_value": 5}
    r = api.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll(title="One"),
                                                                  poll(rating, title="Two", poll_type=2)]})
    assert r.status_code == 201, r.text
    made = r.json()["polls"]
    assert [p["title"] for p in made] == ["One", "Two"]
    assert all(p["status"] == "notstart" and len(p["id"]) == 22 for p in made)
    assert made[1]["questions"][0]["rating_max_value"] == 5
    listed = api.get(f"/meetings/{mid}/polls").json()
    assert listed["polls"] == made and listed["total_records"] == 2


def test_batch_is_all_or_nothing(api: Api) -> None:
    mid = meeting(api)
    body = {"polls": [poll(title="Good"), poll({"name": "x", "type": "single", "answers": ["a"]})]}
    assert bad_fields(api.post(f"/meetings/{mid}/batch_polls", json=body)) == {"polls[1].questions[0].answers"}
    assert bad_fields(api.post(f"/meetings/{mid}/batch_polls", json={"polls": []})) == {"polls"}
    assert bad_fields(api.post(f"/meetings/{mid}/batch_polls", json={})) == {"polls"}
    assert "polls" in bad_fields(api.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll()] * 26}))
    assert api.get(f"/meetings/{mid}/polls").json()["total_records"] == 0


def test_at_most_fifty_polls(api: Api) -> None:
    mid = meeting(api)
    for _ in range(2):
        assert api.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll()] * 25}).status_code == 201
    err(api.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll()]}), 400, 4400,
        "You can only add a maximum of 50 polls.")
    err(api.post(f"/meetings/{mid}/polls", json=poll()), 400, 4400)
    assert api.get(f"/meetings/{mid}/polls").json()["total_records"] == 50


def test_batch_meeting_id_errors(api: Api) -> None:
    err(api.post("/meetings/not-a-number/batch_polls", json={"polls": [poll()]}), 400, 300, "Invalid Meeting ID.")
    err(api.post("/meetings/12345678901/batch_polls", json={"polls": [poll()]}), 404, 3001,
        "Meeting does not exist: 12345678901.")


# ---- update and delete -----------------------------------------------------------------------

def test_put_replaces_the_poll(api: Api) -> None:
    mid = meeting(api)
    p = created(api, mid, poll(single(), anonymous=True))
    text = {"name": "Why?", "type": "long_answer", "answer_max_character": 800}
    r = api.put(f"/meetings/{mid}/polls/{p['id']}", json={"title": "Redone", "poll_type": 2, "questions": [text]})
    assert r.status_code == 204 and not r.content
    got = api.get(f"/meetings/{mid}/polls/{p['id']}").json()
    assert got == {"id": p["id"], "status": "notstart", "anonymous": False, "poll_type": 2, "title": "Redone",
                   "questions": [{"name": "Why?", "type": "long_answer", "answer_required": False,
                                  "answer_min_character": 1, "answer_max_character": 800}]}
    assert api.get(f"/meetings/{mid}/polls").json()["polls"] == [got]


def test_bad_put_changes_nothing(api: Api) -> None:
    mid = meeting(api)
    p = created(api, mid, poll())
    assert bad_fields(api.put(f"/meetings/{mid}/polls/{p['id']}", json={"title": "x", "questions": [
        {"name": "x", "type": "short_answer"}]})) == {"questions[0].type"}
    err(api.put(f"/meetings/{mid}/polls/nope", json=poll()), 404, 404, "Meeting Poll not found")
    err(api.put(f"/meetings/12345678901/polls/{p['id']}", json=poll()), 404, 3001,
        "Meeting does not exist: 12345678901.")
    assert api.get(f"/meetings/{mid}/polls/{p['id']}").json() == p


def test_delete(api: Api) -> None:
    mid = meeting(api)
    keep, gone = created(api, mid, poll(title="Keep")), created(api, mid, poll(title="Gone"))
    r = api.delete(f"/meetings/{mid}/polls/{gone['id']}")
    assert r.status_code == 204 and not r.content
    err(api.get(f"/meetings/{mid}/polls/{gone['id']}"), 404, 404, POLL_NOT_FOUND)
    err(api.delete(f"/meetings/{mid}/polls/{gone['id']}"), 404, 404, "Meeting poll not found.")
    assert api.get(f"/meetings/{mid}/polls").json() == {"polls": [keep], "total_records": 1}


# ---- access ----------------------------------------------------------------------------------

def test_missing_meeting_per_operation(api: Api) -> None:
    base = "/meetings/12345678901/polls"
    err(api.get(base), 404, 404, "Meeting Poll not found")
    err(api.post(base, json=poll()), 404, 404, "Meeting not found")
    err(api.get(f"{base}/abc"), 404, 404, POLL_NOT_FOUND)
    err(api.delete(f"{base}/abc"), 404, 404, "Meeting poll not found.")


def test_deleted_meeting_has_no_polls(api: Api) -> None:
    mid = meeting(api)
    p = created(api, mid, poll())
    assert api.delete(f"/meetings/{mid}").status_code == 204
    err(api.get(f"/meetings/{mid}/polls/{p['id']}"), 404, 404)
    err(api.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll()]}), 404, 3001)


def test_other_account_sees_nothing(api: Api, admin: Admin) -> None:
    mid = meeting(api)
    p = created(api, mid, poll())
    other = admin.tenant()
    path = f"/meetings/{mid}/polls"
    for resp, code in ((other.get(path), 404), (other.post(path, json=poll()), 404),
                       (other.get(f"{path}/{p['id']}"), 404), (other.put(f"{path}/{p['id']}", json=poll()), 3001),
                       (other.delete(f"{path}/{p['id']}"), 404),
                       (other.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll()]}), 3001)):
        body = err(resp, 404, code)
        assert p["id"] not in str(body)
    assert api.get(path).json() == {"polls": [p], "total_records": 1}


def test_user_level_token_on_another_hosts_meeting(api: Api, admin: Admin) -> None:
    member = admin.member(api)
    own = meeting(member)
    assert created(member, own, poll())["status"] == "notstart"
    owners = meeting(api)
    p = created(api, owners, poll())
    path = f"/meetings/{owners}/polls"
    for resp in (member.get(path), member.post(path, json=poll()), member.get(f"{path}/{p['id']}"),
                 member.put(f"{path}/{p['id']}", json=poll()), member.delete(f"{path}/{p['id']}"),
                 member.post(f"/meetings/{owners}/batch_polls", json={"polls": [poll()]})):
        err(resp, 400, 3000)
    # the account-level app reaches the member's meeting
    assert api.get(f"/meetings/{own}/polls").json()["total_records"] == 1


def test_missing_scopes(admin: Admin) -> None:
    owner = admin.tenant()
    mid = meeting(owner)
    p = created(owner, mid, poll())
    reader = admin.member(owner, scopes=["meeting:read:admin"])
    assert reader.get(f"/meetings/{mid}/polls/{p['id']}").status_code == 200
    b = err(reader.post(f"/meetings/{mid}/polls", json=poll()), 400, 4711)
    assert "meeting:write:poll" in b["message"]
    err(reader.put(f"/meetings/{mid}/polls/{p['id']}", json=poll()), 400, 4711)
    err(reader.delete(f"/meetings/{mid}/polls/{p['id']}"), 400, 4711)
    err(reader.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll()]}), 400, 4711)
    granular = admin.member(owner, scopes=["meeting:read:list_polls:admin", "meeting:write:batch_polls:admin"])
    assert granular.get(f"/meetings/{mid}/polls").json()["total_records"] == 1
    assert granular.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll()]}).status_code == 201
    err(granular.get(f"/meetings/{mid}/polls/{p['id']}"), 400, 4711)
    err(granular.post(f"/meetings/{mid}/polls", json=poll()), 400, 4711)


def test_basic_host_has_no_polls(api: Api, admin: Admin) -> None:
    basic = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("basic"), "type": 1})
    r = api.post("/users/me/meetings", json={"topic": "B", "type": 2, "schedule_for": basic["email"]})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    err(api.post(f"/meetings/{mid}/polls", json=poll()), 400, 4400, POLLS_DISABLED)
    err(api.get(f"/meetings/{mid}/polls"), 400, 4400, POLLS_DISABLED)
    err(api.post(f"/meetings/{mid}/batch_polls", json={"polls": [poll()]}), 400, 4400, POLLS_DISABLED)


def test_host_without_meeting_rights_gets_3161(api: Api, admin: Admin) -> None:
    peer = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("gone")})
    mid = api.post("/users/me/meetings", json={"type": 2, "schedule_for": peer["email"]}).json()["id"]
    p = created(api, mid, poll())
    assert api.delete(f"/users/{peer['id']}").status_code == 204
    err(api.get(f"/meetings/{mid}/polls"), 400, 3161)
    err(api.get(f"/meetings/{mid}/polls/{p['id']}"), 400, 3161)
    err(api.post(f"/meetings/{mid}/polls", json=poll()), 400, 3161)
