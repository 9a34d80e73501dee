"""Registration questions of an event: what registrants answer besides their name and e-mail.

One account item of kind `ze_questions` per event (its id and owner are the event's id) holds
both lists. Until the host sets them, an event asks Zoom's standing fields (first and last name,
required), whose question ids are derived from the event's id so they read the same every
time. A PUT replaces each list it gives and leaves the other; a question keeps its id when the
PUT names it, and gets a new one otherwise."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import invalid_field
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import access, parts

TITLES = {"first_name": "First Name", "last_name": "Last Name", "address": "Address", "city": "City",
          "state": "State/Province", "zip": "Zip/Postal Code", "country": "Country/Region", "phone": "Phone",
          "industry": "Industry", "job_title": "Job Title", "organization": "Organization",
          "organization_size": "Organization Size"}
STANDING = ("first_name", "last_name")
TEXT_TYPES = {"short_answer": 500, "long_answer": 2000}     # the longest answer each allows
CHOICE_TYPES = ("single_radio", "single_dropdown", "multiple_choice")


def _standing(event_id: str) -> dict[str, Any]:
    return {"questions": [{"question_id": parts.derived_id(event_id, "question", name), "field_name": name,
                           "title": TITLES[name], "required": True} for name in STANDING],
            "custom_questions": []}


def _current(ctx: Ctx, event_id: str) -> items_repo.Item | None:
    return items_repo.get(ctx.db, ctx.account_id, parts.QUESTIONS, event_id)


def _id_for(given: Any, old_ids: set[str], used: set[str]) -> str:
    """The given id when it names a question the list had (once), else a new one."""
    if given is not None and str(given) in old_ids and str(given) not in used:
        made = str(given)
    else:
        made = ids.new_id()
    used.add(made)
    return made


def _fields(given: list[dict[str, Any]], old: list[dict[str, Any]]) -> list[dict[str, Any]]:
    old_ids, used, names = {q["question_id"] for q in old}, set(), set()
    out = []
    for i, q in enumerate(given):
        name = q.get("field_name")
        if name not in TITLES or name in names:
            raise invalid_field(f"questions[{i}].field_name")
        names.add(name)
        title = str(q.get("title") or "").strip() or TITLES[name]
        out.append({"question_id": _id_for(q.get("question_id"), old_ids, used), "field_name": name,
                    "title": title, "required": bool(q.get("required", False))})
    return out


def _custom(given: list[dict[str, Any]], old: list[dict[str, Any]]) -> list[dict[str, Any]]:
    old_ids, used, titles = {q["question_id"] for q in old}, set(), set()
    out = []
    for i, q in enumerate(given):
        where = f"custom_questions[{i}]"
        title = str(q.get("title") or "").strip()
        if not title or title.lower() in titles:
            raise invalid_field(f"{where}.title")
        titles.add(title.lower())
        kind = q.get("type") or "short_answer"
        required = bool(q.get("required", False))
        item: dict[str, Any] = {"question_id": _id_for(q.get("question_id"), old_ids, used), "title": title,
                                "type": kind, "required": required}
        options = [str(o).strip() for o in q.get("options") or []]
        if kind in TEXT_TYPES:
            if options:
                raise invalid_field(f"{where}.options")     # "Can't be used for short or long answer type."
            longest = TEXT_TYPES[kind]
            low = int(q["min_length"]) if q.get("min_length") is not None else int(required)
            high = int(q["max_length"]) if q.get("max_length") is not None else longest
            if low < int(required) or low > longest:
                raise invalid_field(f"{where}.min_length")
            if not low <= high <= longest or high < 1:
                raise invalid_field(f"{where}.max_length")
            item.update(min_length=low, max_length=high)
        else:
            if not options or any(not o for o in options) or len(set(options)) != len(options):
                raise invalid_field(f"{where}.options")
            item["options"] = options
        out.append(item)
    return out


def of_event(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """What the event asks now ({"questions": [...], "custom_questions": [...]}): for tickets."""
    item = _current(ctx, event_id)
    return item.data() if item is not None else _standing(event_id)


def get_questions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    return of_event(ctx, event.id)


def update_questions(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    body = parts.given(inp.body)
    parts.lock(ctx, event.id, parts.QUESTIONS)      # two first PUTs would both insert the one item
    item = _current(ctx, event.id)
    doc = item.data() if item is not None else _standing(event.id)
    if "questions" in body:
        doc["questions"] = _fields(body["questions"], doc["questions"])
    if "custom_questions" in body:
        doc["custom_questions"] = _custom(body["custom_questions"], doc["custom_questions"])
    if item is None:
        parts.add(ctx, parts.QUESTIONS, event.id, event.id, doc)
    else:
        items_repo.save(ctx.db, ctx.account_id, parts.QUESTIONS, event.id, doc)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getRegistrationQuestionsForEvent": get_questions,
    "updateRegistrationQuestionsForEvent": update_questions,
}
