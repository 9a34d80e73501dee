"""The meeting survey over HTTP: defaults, PATCH merging, question rules shared with polls,
the third-party link, delete, and the access errors (both backends)."""
from __future__ import annotations

from typing import Any

import pytest

from support import Admin, Api, unique_email, expect_error as err, bad_fields

FEEDBACK = ("Thank you so much for taking the time to complete the survey. "
            "Your feedback really makes a difference.")
EMPTY = {"show_in_the_browser": True, "third_party_survey": ""}


def meeting(api: Api, **body: Any) -> int:
    body.setdefault("type", 2)
    r = api.post("/users/me/meetings", json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def survey(api: Api, mid: int) -> dict[str, Any]:
    r = api.get(f"/meetings/{mid}/survey")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def patch(api: Api, mid: int, body: dict[str, Any]) -> None:
    r = api.patch(f"/meetings/{mid}/survey", json=body)
    assert r.status_code == 204, r.text
    assert not r.content


RATE = {"name": "How was it?", "type": "rating_scale", "rating_min_value": 1, "rating_max_value": 5,
        "rating_min_label": "Bad", "rating_max_label": "Good"}


def test_meeting_without_survey_answers_defaults(api: Api) -> None:
    assert survey(api, meeting(api)) == EMPTY


def test_custom_survey_defaults_and_round_trip(api: Api) -> None:
    mid = meeting(api)
    patch(api, mid, {"custom_survey": {"title": "After the call", "questions": [RATE]}})
    assert survey(api, mid) == {
        "custom_survey": {"title": "After the call", "anonymous": True, "numbered_questions": True,
                          "show_question_type": False, "feedback": FEEDBACK,
                          "questions": [{**RATE, "answer_required": False}]},
        "show_in_the_browser": True, "third_party_survey": "",
    }


def test_patch_merges(api: Api) -> None:
    mid = meeting(api)
    patch(api, mid, {"custom_survey": {"title": "T", "anonymous": False, "questions": [RATE]},
                     "show_in_the_browser": False})
    patch(api, mid, {"custom_survey": {"feedback": "Thanks!"}})
    got = survey(api, mid)
    assert got["show_in_the_browser"] is False
    cs = got["custom_survey"]
    assert (cs["title"], cs["anonymous"], cs["feedback"]) == ("T", False, "Thanks!")
    assert [q["name"] for q in cs["questions"]] == ["How was it?"]
    short = {"name": "Anything else?", "type": "short_answer", "answer_required": True}
    patch(api, mid, {"custom_survey": {"questions": [short]}, "third_party_survey": "https://forms.example.com/s/1"})
    got = survey(api, mid)
    assert got["custom_survey"]["questions"] == [
        {"name": "Anything else?", "type": "short_answer", "answer_required": True,
         "answer_min_character": 1, "answer_max_character": 500}]
    assert got["custom_survey"]["title"] == "T" and got["show_in_the_browser"] is False
    assert got["third_party_survey"] == "https://forms.example.com/s/1"
    patch(api, mid, {"third_party_survey": ""})
    assert survey(api, mid)["third_party_survey"] == ""
    patch(api, mid, {})
    assert survey(api, mid)["custom_survey"]["feedback"] == "Thanks!"


SURVEY_OK: list[dict[str, Any]] = [
    {"name": "One", "type": "single", "answers": [f"a{i}" for i in range(50)], "show_as_dropdown": True},
    {"name": "Some", "type": "multiple", "answers": ["a", "b", "c"]},
    {"name": "Match", "type": "matching", "answers": ["x", "y"],
     "prompts": [{"prompt_question": "p"}, {"prompt_question": "q"}]},
    {"name": "Rank", "type": "rank_order", "answers": ["1", "2"],
     "prompts": [{"prompt_question": "p"}, {"prompt_question": "q"}]},
    {"name": "Long", "type": "long_answer", "answer_min_character": 5, "answer_max_character": 1500},
    {"name": "Fill ___", "type": "fill_in_the_blank"},
    {"name": "Rate", "type": "rating_scale", "rating_min_value": 0, "rating_max_value": 10},
]


@pytest.mark.parametrize("question", SURVEY_OK, ids=[q["type"] for q in SURVEY_OK])
def test_every_question_type(api: Api, question: dict[str, Any]) -> None:
    mid = meeting(api)
    patch(api, mid, {"custom_survey": {"title": "S", "questions": [question]}})
    q = survey(api, mid)["custom_survey"]["questions"][0]
    assert q["type"] == question["type"] and q["name"] == question["name"] and q["answer_required"] is False
    for key, value in question.items():
        assert q[key] == value
    assert "right_answers" not in q and "case_sensitive" not in q


SURVEY_BAD: list[tuple[dict[str, Any], str]] = [
    ({"type": "single", "answers": ["a", "b"]}, "custom_survey.questions[0].name"),
    ({"name": "x" * 421, "type": "short_answer"}, "custom_survey.questions[0].name"),
    ({"name": "x", "type": "single", "answers": [f"a{i}" for i in range(51)]}, "custom_survey.questions[0].answers"),
    ({"name": "x", "type": "single", "answers": ["a", "b" * 201]}, "custom_survey.questions[0].answers[1]"),
    ({"name": "x", "type": "multiple", "answers": ["a"]}, "custom_survey.questions[0].answers"),
    ({"name": "x", "type": "matching", "answers": ["a", "b"], "prompts": [{"prompt_question": "p"}]},
     "custom_survey.questions[0].prompts"),
    ({"name": "x", "type": "rank_order", "answers": ["a", "b"],
      "prompts": [{"prompt_question": str(i)} for i in range(11)]}, "custom_survey.questions[0].prompts"),
    ({"name": "x", "type": "short_answer", "answer_max_character": 600},
     "custom_survey.questions[0].answer_max_character"),
    ({"name": "x", "type": "rating_scale", "rating_min_value": 3, "rating_max_value": 2},
     "custom_survey.questions[0].rating_max_value"),
    ({"name": "x", "type": "rating_scale", "rating_min_value": 0, "rating_max_value": 5,
      "rating_max_label": "L" * 51}, "custom_survey.questions[0].rating_max_label"),
    ({"name": "x", "type": "quiz"}, "custom_survey.questions[0].type"),
]


@pytest.mark.parametrize("question,field", SURVEY_BAD, ids=[f"{i}-{f}" for i, (_, f) in enumerate(SURVEY_BAD)])
def test_bad_questions_name_the_field(api: Api, question: dict[str, Any], field: str) -> None:
    mid = meeting(api)
    r = api.patch(f"/meetings/{mid}/survey", json={"custom_survey": {"questions": [question]},
                                                   "show_in_the_browser": False})
    assert field in bad_fields(r)
    assert survey(api, mid) == EMPTY


def test_survey_level_rules(api: Api) -> None:
    mid = meeting(api)
    url = f"/meetings/{mid}/survey"
    assert bad_fields(api.patch(url, json={"custom_survey": {"title": "No questions"}})) == {"custom_survey.questions"}
    assert bad_fields(api.patch(url, json={"custom_survey": {"questions": []}})) == {"custom_survey.questions"}
    too_many = [RATE] * 101
    assert "custom_survey.questions" in bad_fields(api.patch(url, json={"custom_survey": {"questions": too_many}}))
    long_title = {"custom_survey": {"title": "t" * 65, "questions": [RATE]}}
    assert "custom_survey.title" in bad_fields(api.patch(url, json=long_title))
    long_feedback = {"custom_survey": {"feedback": "f" * 321, "questions": [RATE]}}
    assert "custom_survey.feedback" in bad_fields(api.patch(url, json=long_feedback))
    assert "third_party_survey" in bad_fields(api.patch(url, json={"third_party_survey": "https://x.io/" + "a" * 60}))
    assert survey(api, mid) == EMPTY


def test_third_party_link_must_be_a_url(api: Api) -> None:
    mid = meeting(api)
    err(api.patch(f"/meetings/{mid}/survey", json={"third_party_survey": "not a link"}), 400, 300,
        "Invalid third party survey: not a link.")
    err(api.patch(f"/meetings/{mid}/survey", json={"third_party_survey": "ftp://files.example.com"}), 400, 300)
    assert survey(api, mid) == EMPTY


def test_delete(api: Api) -> None:
    mid = meeting(api)
    patch(api, mid, {"custom_survey": {"questions": [RATE]}, "show_in_the_browser": False})
    r = api.delete(f"/meetings/{mid}/survey")
    assert r.status_code == 204 and not r.content
    assert survey(api, mid) == EMPTY
    assert api.delete(f"/meetings/{mid}/survey").status_code == 204   # nothing left to delete is fine


def test_surveys_belong_to_their_meeting(api: Api) -> None:
    first, second = meeting(api), meeting(api)
    patch(api, first, {"custom_survey": {"questions": [RATE]}})
    assert survey(api, second) == EMPTY
    assert api.delete(f"/meetings/{second}/survey").status_code == 204
    assert "custom_survey" in survey(api, first)


def test_instant_meetings_have_no_survey(api: Api) -> None:
    mid = meeting(api, type=1)
    b = err(api.patch(f"/meetings/{mid}/survey", json={"custom_survey": {"questions": [RATE]}}), 400, 3000)
    assert "instant" in b["message"]
    assert survey(api, mid) == EMPTY
    assert survey(api, meeting(api, type=3)) == EMPTY


# ---- access ----------------------------------------------------------------------------------

def test_missing_meeting(api: Api) -> None:
    url = "/meetings/12345678901/survey"
    message = "Meeting does not exist: 12345678901."
    err(api.get(url), 404, 3001, message)
    err(api.patch(url, json={"show_in_the_browser": False}), 404, 3001, message)
    err(api.delete(url), 404, 3001, message)
    err(api.get("/meetings/abc/survey"), 400, 300, "Invalid meeting ID.")
    err(api.patch("/meetings/abc/survey", json={}), 400, 300, "Invalid meeting ID.")
    mid = meeting(api)
    assert api.delete(f"/meetings/{mid}").status_code == 204
    err(api.get(f"/meetings/{mid}/survey"), 404, 3001)


def test_other_account_sees_nothing(api: Api, admin: Admin) -> None:
    mid = meeting(api)
    patch(api, mid, {"custom_survey": {"title": "Private", "questions": [RATE]}})
    other = admin.tenant()
    url = f"/meetings/{mid}/survey"
    for resp in (other.get(url), other.patch(url, json={"show_in_the_browser": False}), other.delete(url)):
        assert "Private" not in err(resp, 404, 3001)["message"]
    assert survey(api, mid)["custom_survey"]["title"] == "Private"


def test_user_level_token_on_another_hosts_meeting(api: Api, admin: Admin) -> None:
    member = admin.member(api)
    own = meeting(member)
    patch(member, own, {"show_in_the_browser": False})
    assert survey(member, own)["show_in_the_browser"] is False
    owners = meeting(api)
    url = f"/meetings/{owners}/survey"
    for resp in (member.get(url), member.patch(url, json={"show_in_the_browser": False}), member.delete(url)):
        err(resp, 400, 3000)
    assert survey(api, owners) == EMPTY
    assert survey(api, own)["show_in_the_browser"] is False


def test_missing_scopes(admin: Admin) -> None:
    owner = admin.tenant()
    mid = meeting(owner)
    reader = admin.member(owner, scopes=["meeting:read:admin"])
    assert survey(reader, mid) == EMPTY
    b = err(reader.patch(f"/meetings/{mid}/survey", json={}), 400, 4711)
    assert "meeting:update:survey" in b["message"]
    err(reader.delete(f"/meetings/{mid}/survey"), 400, 4711)
    granular = admin.member(owner, scopes=["meeting:update:survey:admin"])
    assert granular.patch(f"/meetings/{mid}/survey", json={"show_in_the_browser": False}).status_code == 204
    err(granular.get(f"/meetings/{mid}/survey"), 400, 4711)
    assert survey(owner, mid)["show_in_the_browser"] is False


def test_basic_host_has_no_survey(api: Api, admin: Admin) -> None:
    basic = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("basic"), "type": 1})
    mid = api.post("/users/me/meetings", json={"type": 2, "schedule_for": basic["email"]}).json()["id"]
    b = err(api.get(f"/meetings/{mid}/survey"), 400, 3000)
    assert b["message"].startswith("Meeting survey disabled.")
    err(api.patch(f"/meetings/{mid}/survey", json={"show_in_the_browser": False}), 400, 3000)
    err(api.delete(f"/meetings/{mid}/survey"), 400, 3000)


def test_host_without_meeting_rights_gets_3161(api: Api, admin: Admin) -> None:
    peer = admin.call("POST", f"/accounts/{api.account_id}/users", {"email": unique_email("gone")})
    mid = api.post("/users/me/meetings", json={"type": 2, "schedule_for": peer["email"]}).json()["id"]
    assert api.delete(f"/users/{peer['id']}").status_code == 204
    for resp in (api.get(f"/meetings/{mid}/survey"), api.delete(f"/meetings/{mid}/survey"),
                 api.patch(f"/meetings/{mid}/survey", json={})):
        err(resp, 400, 3161)
