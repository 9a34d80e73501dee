"""Meeting and webinar polls (Meetings API, 2026): list, create, batch create, get, replace,
delete. Webinar polls are the same objects; only the wording of the errors is the kind's own.

A poll is a meeting part of kind "poll" whose id is the poll id. The question rules live here
because the meeting survey uses the same eight question types with its own limits and
without right answers; `clean_questions` serves both."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zoomsim import ids
from zoomsim.context import Ctx, Input, Raw
from zoomsim.errors import ZoomError, validation_failed
from zoomsim.meetings import model
from zoomsim.meetings.access import documented, load_with_host
from zoomsim.meetings.kind_rules import check_id, documents
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts
from zoomsim.storage import users as users_repo

KIND = "poll"
MAX_POLLS = 50            # per meeting, across single and batch creation
BASIC_USER = 1            # a Basic (unlicensed) user: polls and surveys are off for them
CHOICE = ("single", "multiple")
POLL, ADVANCED_POLL, QUIZ = 1, 2, 3

Errors = list[dict[str, str]]


@dataclass(frozen=True, slots=True)
class Rules:
    """What a question may hold: polls grade answers and cap choices at 10; surveys don't
    grade, allow 50 choices and cap the question text at 420 characters."""

    graded: bool
    max_choices: int
    max_name: int


POLL_RULES = Rules(graded=True, max_choices=10, max_name=1024)
SURVEY_RULES = Rules(graded=False, max_choices=50, max_name=420)
MAX_ANSWERS = {"matching": 16, "rank_order": 7}
MAX_PROMPTS = 10
MAX_CHARACTERS = {"short_answer": 500, "long_answer": 2000}


# ---- errors shared with the survey ---------------------------------------------------------

def load(ctx: Ctx, raw_id: str) -> tuple[meetings_repo.MeetingRow, users_repo.UserRow]:
    """The meeting, with this operation's wording for a bad or missing one: an id that is not
    a number is 300 where the operation documents "Invalid meeting ID". Also returns the host."""
    check_id(ctx, raw_id)
    return load_with_host(ctx, raw_id)


def host_is_basic(host: users_repo.UserRow) -> bool:
    return host.type == BASIC_USER


# ---- question rules (polls and survey) ------------------------------------------------------

def _add(errors: Errors, field: str, message: str) -> None:
    errors.append({"field": field, "message": message})


def _texts(value: Any, field: str, errors: Errors, low: int, high: int | None, what: str) -> list[str]:
    """A list of non-blank strings of a given size."""
    if not isinstance(value, list) or len(value) < low:
        _add(errors, field, f"At least {low} {what} required.")
        return []
    if high is not None and len(value) > high:
        _add(errors, field, f"No more than {high} {what} allowed.")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            _add(errors, f"{field}[{i}]", "Must not be blank.")
        else:
            out.append(item)
    return out


def _subset(given: list[str], answers: list[str], field: str, errors: Errors) -> None:
    for i, item in enumerate(given):
        if item not in answers:
            _add(errors, f"{field}[{i}]", "Must be one of the question's answers.")


def _right_answers(q: dict[str, Any], where: str, errors: Errors, answers: list[str],
                   required: bool, single: bool) -> list[str] | None:
    given = q.get("right_answers")
    if given is None:
        if required:
            _add(errors, f"{where}.right_answers", "Right answers are required for quiz questions.")
        return None
    out = _texts(given, f"{where}.right_answers", errors, 1, 1 if single else None, "right answer(s)")
    _subset(out, answers, f"{where}.right_answers", errors)
    return out


def _prompts(q: dict[str, Any], where: str, errors: Errors, rules: Rules, answers: list[str],
             kind: str, quiz: bool) -> list[dict[str, Any]]:
    """Matching pairs each prompt with answers; rank order ranks each prompt. Polls keep the
    right answers (always for matching, for rank order at most one and only required in quizzes)."""
    field = f"{where}.prompts"
    given = q.get("prompts")
    if not isinstance(given, list) or len(given) < 2:
        _add(errors, field, "At least 2 prompts required.")
        return []
    if len(given) > MAX_PROMPTS:
        _add(errors, field, f"No more than {MAX_PROMPTS} prompts allowed.")
    out = []
    for j, prompt in enumerate(given):
        at = f"{field}[{j}]"
        if not isinstance(prompt, dict):
            _add(errors, at, "Invalid field.")
            continue
        text = prompt.get("prompt_question")
        if not isinstance(text, str) or not text.strip():
            _add(errors, f"{at}.prompt_question", "A prompt question is required.")
        item: dict[str, Any] = {"prompt_question": text}
        if rules.graded:
            rights = prompt.get("prompt_right_answers")
            needed = kind == "matching" or quiz
            if rights is None and needed:
                _add(errors, f"{at}.prompt_right_answers", "Right answers are required for this prompt.")
            elif rights is not None:
                high = 1 if kind == "rank_order" else None
                rights = _texts(rights, f"{at}.prompt_right_answers", errors, 1, high, "right answer(s)")
                _subset(rights, answers, f"{at}.prompt_right_answers", errors)
                item["prompt_right_answers"] = rights
        out.append(item)
    return out


def _int(q: dict[str, Any], key: str, where: str, errors: Errors, default: int | None) -> int:
    value = q.get(key)
    if value is None:
        if default is None:
            _add(errors, f"{where}.{key}", f"{key} is required for this question type.")
            return 0
        return default
    return int(value)


def clean_question(q: Any, where: str, errors: Errors, rules: Rules, poll_type: int | None) -> dict[str, Any]:
    """One question as stored and answered: its common fields plus only those of its type."""
    if not isinstance(q, dict):
        _add(errors, where, "Invalid field.")
        return {}
    kind = q.get("type")
    name = q.get("name")
    if not isinstance(name, str) or not name.strip():
        _add(errors, f"{where}.name", "A question name is required.")
    elif len(name) > rules.max_name:
        _add(errors, f"{where}.name", f"Length must be no more than {rules.max_name} characters.")
    if kind is None:
        _add(errors, f"{where}.type", "A question type is required.")
        return {}
    if poll_type == POLL and kind not in CHOICE:
        _add(errors, f"{where}.type", "Only single and multiple choice questions are allowed when poll_type is 1; "
                                      "use poll_type 2 (advanced poll) or 3 (quiz).")
    quiz = poll_type == QUIZ
    required = q.get("answer_required")   # Zoom: defaults to true in a basic poll, false elsewhere
    out: dict[str, Any] = {"name": name, "type": kind,
                           "answer_required": poll_type == POLL if required is None else bool(required)}
    if kind in CHOICE:
        answers = _texts(q.get("answers"), f"{where}.answers", errors, 2, rules.max_choices, "answers")
        out["answers"] = answers
        if kind == "single":
            out["show_as_dropdown"] = bool(q.get("show_as_dropdown") or False)
        if rules.graded:
            rights = _right_answers(q, where, errors, answers, quiz, kind == "single")
            if rights is not None:
                out["right_answers"] = rights
    elif kind in MAX_ANSWERS:
        answers = _texts(q.get("answers"), f"{where}.answers", errors, 2, MAX_ANSWERS[kind], "answers")
        out["answers"] = answers
        out["prompts"] = _prompts(q, where, errors, rules, answers, kind, quiz)
    elif kind in MAX_CHARACTERS:
        cap = MAX_CHARACTERS[kind]
        low = _int(q, "answer_min_character", where, errors, 1)
        high = _int(q, "answer_max_character", where, errors, cap)
        if high > cap:
            _add(errors, f"{where}.answer_max_character", f"Must be no more than {cap}.")
        elif low > high:
            _add(errors, f"{where}.answer_min_character", "Must not exceed answer_max_character.")
        out["answer_min_character"], out["answer_max_character"] = low, high
    elif kind == "fill_in_the_blank":
        if rules.graded:
            field = f"{where}.right_answers"
            if q.get("right_answers") is None:
                _add(errors, field, "Give one right answer for each blank.")
            else:
                out["right_answers"] = _texts(q["right_answers"], field, errors, 1, None, "right answer(s)")
            out["case_sensitive"] = bool(q.get("case_sensitive") or False)
    elif kind == "rating_scale":
        low = _int(q, "rating_min_value", where, errors, None)
        high = _int(q, "rating_max_value", where, errors, None)
        if low < 0:
            _add(errors, f"{where}.rating_min_value", "Must not be less than 0.")
        if high > 10:
            _add(errors, f"{where}.rating_max_value", "Must be no more than 10.")
        elif q.get("rating_max_value") is not None and q.get("rating_min_value") is not None and high <= low:
            _add(errors, f"{where}.rating_max_value", "Must be greater than rating_min_value.")
        out["rating_min_value"], out["rating_max_value"] = low, high
        for key in ("rating_min_label", "rating_max_label"):
            if q.get(key) is not None:
                out[key] = str(q[key])
    return out


def clean_questions(value: Any, field: str, errors: Errors, rules: Rules, poll_type: int | None = None,
                    max_items: int | None = None) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        _add(errors, field, "At least one question is required.")
        return []
    if max_items is not None and len(value) > max_items:
        _add(errors, field, f"No more than {max_items} questions allowed.")
    return [clean_question(q, f"{field}[{i}]", errors, rules, poll_type) for i, q in enumerate(value)]


# ---- polls -----------------------------------------------------------------------------------

def _poll_fields(body: Any, prefix: str, errors: Errors) -> dict[str, Any]:
    """The writable part of a poll, defaults applied, in Zoom's field order."""
    if not isinstance(body, dict):
        _add(errors, prefix.rstrip(".") or "body", "Invalid field.")
        return {}
    poll_type = int(body.get("poll_type") or POLL)
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        _add(errors, f"{prefix}title", "A poll title is required.")
    return {
        "anonymous": bool(body.get("anonymous") or False),
        "poll_type": poll_type,
        "questions": clean_questions(body.get("questions"), f"{prefix}questions", errors, POLL_RULES, poll_type),
        "title": title,
    }


def _new_poll(fields: dict[str, Any]) -> dict[str, Any]:
    return {"id": ids.new_id(), "status": "notstart", **fields}


def _writable(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow:
    """A meeting whose polls may be written: polls are a licensed feature and instant
    meetings have none."""
    row = _readable(ctx, raw_id)
    if row.type == model.INSTANT:
        raise ZoomError(400, 3000, "Polls are not available for instant meetings.")
    return row


def _readable(ctx: Ctx, raw_id: str) -> meetings_repo.MeetingRow:
    row, host = load(ctx, raw_id)
    if host_is_basic(host):
        word = ctx.kind.word
        raise documented(ctx, 4400, containing=f"{word} polls disabled",
                         fallback=f'{word} polls disabled. To enable this feature, enable the "{word} Polls/Quizzes" '
                                  "setting in the Zoom web portal's \"Settings\" interface.")
    return row


def _poll_not_found(ctx: Ctx) -> ZoomError:
    """404 "Meeting Poll not found." where documented; webinar deletes document "Invalid poll IDs."."""
    if not any(e["code"] == 404 for e in ctx.op.errors) and documents(ctx, "Invalid poll ID"):
        return documented(ctx, 4400, "Invalid poll IDs.", containing="Invalid poll ID")
    return documented(ctx, 404, f"{ctx.kind.word} Poll not found.", 404)


def _room_for(ctx: Ctx, meeting_id: int, adding: int) -> None:
    if parts.count(ctx.db, meeting_id, KIND) + adding > MAX_POLLS:
        raise documented(ctx, 4400, containing="You can only add", fallback=f"You can only add a maximum of {MAX_POLLS} polls.")


def list_polls(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = _readable(ctx, ctx.subject(inp))
    polls = parts.all_of(ctx.db, row.id, KIND)
    anonymous = inp.query.get("anonymous")
    if anonymous is not None:
        polls = [p for p in polls if bool(p.get("anonymous")) is bool(anonymous)]
    return {"polls": polls, "total_records": len(polls)}


def create_poll(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = _writable(ctx, ctx.subject(inp))
    errors: Errors = []
    fields = _poll_fields(inp.body or {}, "", errors)
    if errors:
        raise validation_failed(errors)
    _room_for(ctx, row.id, 1)
    poll = _new_poll(fields)
    parts.put(ctx.db, ctx.account_id, row.id, KIND, poll, poll["id"])
    return poll


def create_batch(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = _writable(ctx, ctx.subject(inp))
    given = (inp.body or {}).get("polls")
    errors: Errors = []
    if not isinstance(given, list) or not given:
        _add(errors, "polls", "At least one poll is required.")
        given = []
    made = [_new_poll(_poll_fields(p, f"polls[{i}].", errors)) for i, p in enumerate(given)]
    if errors:
        raise validation_failed(errors)
    _room_for(ctx, row.id, len(made))
    for poll in made:
        parts.put(ctx.db, ctx.account_id, row.id, KIND, poll, poll["id"])
    return {"polls": made}


def get_poll(ctx: Ctx, inp: Input) -> Raw:
    row = _readable(ctx, ctx.subject(inp))
    raw = parts.get_raw(ctx.db, row.id, KIND, inp.path["pollId"])
    if raw is None:
        raise _poll_not_found(ctx)
    return Raw(raw.encode())


def update_poll(ctx: Ctx, inp: Input) -> None:
    """PUT replaces everything a caller may write; the id and status stay."""
    row = _writable(ctx, ctx.subject(inp))
    current = parts.get(ctx.db, row.id, KIND, inp.path["pollId"])
    if current is None:
        raise _poll_not_found(ctx)
    errors: Errors = []
    fields = _poll_fields(inp.body or {}, "", errors)
    if errors:
        raise validation_failed(errors)
    poll = {"id": current["id"], "status": current.get("status", "notstart"), **fields}
    parts.put(ctx.db, ctx.account_id, row.id, KIND, poll, current["id"])


def delete_poll(ctx: Ctx, inp: Input) -> None:
    row = _readable(ctx, ctx.subject(inp))
    if not parts.delete(ctx.db, row.id, KIND, inp.path["pollId"]):
        raise _poll_not_found(ctx)


HANDLERS = {
    "meetingPolls": list_polls,
    "meetingPollCreate": create_poll,
    "createBatchPolls": create_batch,
    "meetingPollGet": get_poll,
    "meetingPollUpdate": update_poll,
    "meetingPollDelete": delete_poll,
}
