"""The meeting and webinar survey (Meetings API, 2026): get, update (PATCH merges), delete.

One singleton meeting part of kind "survey". A meeting without one answers the defaults
(shown in the browser, no third-party link; a webinar's also has the follow-up email switch,
off). Questions follow the poll question rules with the survey's limits (see
polls.clean_questions)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, validation_failed
from zoomsim.meetings import model
from zoomsim.meetings.kind_rules import rules
from zoomsim.meetings.polls import (
    SURVEY_RULES,
    Errors,
    clean_questions,
    host_is_basic,
    load,
)
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts

KIND = "survey"
MAX_QUESTIONS = 100
FEEDBACK = ("Thank you so much for taking the time to complete the survey. "
            "Your feedback really makes a difference.")
# A new custom survey's settings, as Zoom's field descriptions give them.
CUSTOM_DEFAULTS: dict[str, Any] = {
    "anonymous": True,
    "numbered_questions": True,
    "show_question_type": False,
    "feedback": FEEDBACK,
}
CUSTOM_FLAGS = ("anonymous", "numbered_questions", "show_question_type")


def _empty() -> dict[str, Any]:
    return {"third_party_survey": ""}


def _meeting(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow:
    """The meeting, if its host may use surveys (a licensed feature)."""
    row, host = load(ctx, raw_id)
    if host_is_basic(host):
        word = ctx.kind.word
        raise documented(ctx, 3000, containing=f"{word} survey disabled",
                         fallback=f'{word} survey disabled. To enable this feature, enable the "{word} Survey" setting '
                                  "in the Zoom web portal's \"Settings\" interface.")
    return row


def _is_url(text: str) -> bool:
    try:
        parts_ = urlsplit(text)
    except ValueError:
        return False
    return parts_.scheme in ("http", "https") and bool(parts_.hostname) and not any(c.isspace() for c in text)


def _ordered(ctx: Ctx, doc: dict[str, Any]) -> dict[str, Any]:
    """The survey in Zoom's field order, with the kind's switches (their defaults if unset)."""
    out: dict[str, Any] = {}
    if doc.get("custom_survey") is not None:
        out["custom_survey"] = doc["custom_survey"]
    for flag, default in rules(ctx).survey_flags:
        out[flag] = bool(doc.get(flag, default))
    out["third_party_survey"] = str(doc.get("third_party_survey") or "")
    return out


def get_survey(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = _meeting(ctx, ctx.subject(inp))
    return _ordered(ctx, parts.get(ctx.db, row.id, KIND) or _empty())


def _custom(given: dict[str, Any], current: dict[str, Any] | None, errors: Errors) -> dict[str, Any]:
    """Merge the given custom survey into the stored one; questions, when given, replace
    the old ones as a whole. A new custom survey needs questions."""
    merged: dict[str, Any] = dict(current or CUSTOM_DEFAULTS)
    if given.get("title") is not None:
        merged["title"] = str(given["title"])
    for key in CUSTOM_FLAGS:
        if given.get(key) is not None:
            merged[key] = bool(given[key])
    if given.get("feedback") is not None:
        merged["feedback"] = str(given["feedback"])
    if given.get("questions") is not None or "questions" not in merged:
        merged["questions"] = clean_questions(given.get("questions"), "custom_survey.questions", errors,
                                              SURVEY_RULES, None, MAX_QUESTIONS)
    order = ("title", "anonymous", "numbered_questions", "show_question_type", "feedback", "questions")
    return {key: merged[key] for key in order if key in merged}


def update_survey(ctx: Ctx, inp: Input) -> None:
    row = _meeting(ctx, ctx.subject(inp))
    if row.type == model.INSTANT:
        raise ZoomError(400, 3000, "Surveys are not available for instant meetings.")
    body = inp.body or {}
    doc = parts.get(ctx.db, row.id, KIND) or _empty()
    for flag, _ in rules(ctx).survey_flags:
        if body.get(flag) is not None:
            doc[flag] = bool(body[flag])
    link = body.get("third_party_survey")
    if link is not None:
        link = str(link).strip()
        if link and not _is_url(link):
            raise documented(ctx, 300, containing="Invalid third party survey", fallback="Invalid third party survey: {third_party_survey}.",
                           third_party_survey=link)
        doc["third_party_survey"] = link
    errors: Errors = []
    given = body.get("custom_survey")
    if isinstance(given, dict):
        doc["custom_survey"] = _custom(given, doc.get("custom_survey"), errors)
    if errors:
        raise validation_failed(errors)
    parts.put(ctx.db, ctx.account_id, row.id, KIND, _ordered(ctx, doc))


def delete_survey(ctx: Ctx, inp: Input) -> None:
    """Removing a survey that was never set is not an error: the meeting simply has none."""
    row = _meeting(ctx, ctx.subject(inp))
    parts.delete(ctx.db, row.id, KIND)


HANDLERS = {
    "meetingSurveyGet": get_survey,
    "meetingSurveyUpdate": update_survey,
    "meetingSurveyDelete": delete_survey,
}
