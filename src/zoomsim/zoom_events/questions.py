"""Registration questions of an event: what registrants answer besides their name and e-mail.

One account item of kind `ze_questions` per event (its id and owner are the event's id) holds
both lists; a ticket type of a multi-session event may ask its own (an item of the same kind,
id = the ticket type's, owner = the event), and asks the event's until it does. Until the
host sets them, an event asks Zoom's standing fields (first and last name, required), whose
question ids are derived from the event's id so they read the same every time. A PUT replaces
each list it gives and leaves the other; a question keeps its id when the PUT names it, and
gets a new one otherwise."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import access, parts, sessions, ticket_types

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


def fields_of(given: list[dict[str, Any]], old: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def custom_of(given: list[dict[str, Any]], old: list[dict[str, Any]],
              choices: str = "options") -> list[dict[str, Any]]:
    """Custom questions as given, checked; `choices` is what the list of options is called (VOD
    channels say "answers"). A given question_id the old list had is kept."""
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
        options = [str(o).strip() for o in q.get(choices) or []]
        if kind in TEXT_TYPES:
            if options:
                raise invalid_field(f"{where}.{choices}", "Can't be used for short or long answer type.")
            longest = TEXT_TYPES[kind]
            low = int(q["min_length"]) if q.get("min_length") is not None else int(required)
            high = int(q["max_length"]) if q.get("max_length") is not None else longest
            if low < int(required) or low > longest:
                raise invalid_field(f"{where}.min_length")
            if not low <= high <= longest or high < 1:
                raise invalid_field(f"{where}.max_length")
            item.update(min_length=low, max_length=high)
        else:
            if kind not in CHOICE_TYPES or not options or any(not o for o in options) \
                    or len(set(options)) != len(options):
                raise invalid_field(f"{where}.{choices}")
            item[choices] = options
        out.append(item)
    return out


def of_event(ctx: Ctx, event_id: str) -> dict[str, Any]:
    """What the event asks now ({"questions": [...], "custom_questions": [...]}): for tickets."""
    item = _current(ctx, event_id)
    return item.data() if item is not None else _standing(event_id)


def of_ticket_type(ctx: Ctx, event_id: str, ticket_type_id: str) -> dict[str, Any]:
    """What a ticket type's buyers are asked: its own questions once set, else the event's."""
    item = _current(ctx, ticket_type_id)
    return item.data() if item is not None and item.owner_id == event_id else of_event(ctx, event_id)


def _replace(ctx: Ctx, item_id: str, event_id: str, body: dict[str, Any], before: dict[str, Any]) -> None:
    """A PUT of the item `item_id` (the event's, or a ticket type's) asking `before` so far."""
    parts.lock(ctx, item_id, parts.QUESTIONS)      # two first PUTs would both insert the one item
    item = _current(ctx, item_id)
    doc = item.data() if item is not None else before
    if "questions" in body:
        doc["questions"] = fields_of(body["questions"], doc["questions"])
    if "custom_questions" in body:
        doc["custom_questions"] = custom_of(body["custom_questions"], doc["custom_questions"])
    if item is None:
        parts.add(ctx, parts.QUESTIONS, event_id, item_id, doc)
    else:
        items_repo.save(ctx.db, ctx.account_id, parts.QUESTIONS, item_id, doc)


def get_questions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    return of_event(ctx, event.id)


def update_questions(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    _replace(ctx, event.id, event.id, parts.given(inp.body), _standing(event.id))


def _ticket_type(ctx: Ctx, inp: Input) -> tuple[str, str]:
    """(event id, ticket type id) of a ticket type of the caller's event (26502 otherwise)."""
    event = access.load_event(ctx, inp.path["eventId"])
    type_id = inp.path["ticketTypeId"]
    if not parts.ticket_type_of(ctx, event.id, type_id):
        raise documented(ctx, 26502, ticket_types.BAD_TYPE, status=404)
    return event.id, type_id


def get_type_questions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    return of_ticket_type(ctx, *_ticket_type(ctx, inp))


def update_type_questions(ctx: Ctx, inp: Input) -> None:
    """Not on a single-session event (its one ticket type asks the event's questions)."""
    event = access.load_event(ctx, inp.path["eventId"])
    if event.event_type in sessions.ONE_SESSION:
        raise parts.not_for_type(ctx)
    event_id, type_id = _ticket_type(ctx, inp)
    _replace(ctx, type_id, event_id, parts.given(inp.body), of_ticket_type(ctx, event_id, type_id))


HANDLERS: dict[str, Callable[..., Any]] = {
    "getRegistrationQuestionsForEvent": get_questions,
    "updateRegistrationQuestionsForEvent": update_questions,
    "getRegistrationQuestionsForTicketType": get_type_questions,
    "updateRegistrationQuestionsForTicketType": update_type_questions,
}
