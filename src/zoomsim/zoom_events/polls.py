"""Polls of a session: list, and PUT that replaces the whole set.

A session backed by a meeting or webinar (its event is published) has that meeting's polls:
they are the meeting parts of kind "poll" the Meetings API serves (meetings/polls.py), so
`GET /meetings/{id}/polls` shows the same polls and a simulated vote
(`/_zoomsim/meetings/{id}/...`) lands on them. Until then (a draft, or a session of type 4 that
never gets a meeting) the set is one account item of kind `ze_session_polls` (id = the session,
owner = the event) holding the same meeting-shaped documents, which `carry` copies onto the
meeting once there is one.

The questions are checked by the meeting's own rules (meetings.polls.clean_questions). The two
APIs shape two things differently: Events prompts are plain strings with the right answers in
one list beside them (paired by position), meeting prompts are objects holding their own; and
an Events poll is `active` or `inactive` where a meeting poll is `deactivated` or in one of its
running states."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import validation_failed
from zoomsim.meetings import polls as meeting_polls
from zoomsim.storage import events as repo
from zoomsim.storage import items as items_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.zoom_events import access, parts

DRAFT = parts.SESSION_POLLS
PART = meeting_polls.KIND
INACTIVE = "deactivated"            # the meeting poll status an inactive Events poll has
FRESH = "notstart"
PROMPTED = tuple(meeting_polls.MAX_ANSWERS)      # matching, rank_order
Errors = list[dict[str, str]]


# ---- shapes -------------------------------------------------------------------------------------

def _to_meeting_question(q: dict[str, Any], where: str, errors: Errors) -> dict[str, Any]:
    """An Events question in the meeting's shape: each prompt with its right answer."""
    out = {k: v for k, v in q.items() if k not in ("prompts", "prompt_right_answers") and v is not None}
    if q.get("type") in PROMPTED and q.get("prompts") is not None:
        prompts = list(q["prompts"])
        rights = q.get("prompt_right_answers")
        if rights is not None and len(rights) != len(prompts):
            errors.append({"field": f"{where}.prompt_right_answers",
                           "message": "Give one right answer for each prompt."})
            rights = None
        out["prompts"] = [{"prompt_question": p, **({"prompt_right_answers": [rights[i]]} if rights else {})}
                          for i, p in enumerate(prompts)]
    return out


def _to_events_question(q: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in q.items() if k != "prompts"}
    if q.get("prompts") is not None:
        out["prompts"] = [str(p.get("prompt_question") or "") for p in q["prompts"]]
        rights = [p["prompt_right_answers"][0] for p in q["prompts"] if p.get("prompt_right_answers")]
        if rights:
            out["prompt_right_answers"] = rights
    return out


def shown(poll: dict[str, Any]) -> dict[str, Any]:
    """A stored (meeting-shaped) poll as the Events API shows it."""
    return {"id": poll["id"], "status": "inactive" if poll.get("status") == INACTIVE else "active",
            "anonymous": bool(poll.get("anonymous")), "poll_type": int(poll.get("poll_type") or 1),
            "title": poll.get("title", ""),
            "questions": [_to_events_question(q) for q in poll.get("questions") or []]}


def _cleaned(given: list[dict[str, Any]], current: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The new set, checked as the meeting checks its polls. A poll keeps its id (and its
    running status, unless it is switched off or on) when the PUT names it; others are new."""
    if len(given) > meeting_polls.MAX_POLLS:
        raise validation_failed([{"field": "polls", "message":
                                  f"You can only add a maximum of {meeting_polls.MAX_POLLS} polls."}])
    old = {p["id"]: p for p in current}
    errors: Errors = []
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    for i, poll in enumerate(given):
        where = f"polls[{i}]"
        poll_type = int(poll.get("poll_type") or meeting_polls.POLL)
        title = str(poll.get("title") or "")
        if not title.strip():
            errors.append({"field": f"{where}.title", "message": "A poll title is required."})
        raw = [_to_meeting_question(q, f"{where}.questions[{j}]", errors)
               for j, q in enumerate(poll.get("questions") or [])]
        questions = meeting_polls.clean_questions(raw, f"{where}.questions", errors, meeting_polls.POLL_RULES,
                                                  poll_type)
        given_id = str(poll.get("id") or "")
        before = old.get(given_id) if given_id not in used else None
        poll_id = given_id if before is not None else ids.new_id()
        used.add(poll_id)
        status = (before or {}).get("status", FRESH)
        if poll.get("status") == "inactive":
            status = INACTIVE
        elif poll.get("status") == "active" and status == INACTIVE:
            status = FRESH
        out.append({"id": poll_id, "status": status, "anonymous": bool(poll.get("anonymous")),
                    "poll_type": poll_type, "questions": questions, "title": title})
    if errors:
        raise validation_failed(errors)
    return out


# ---- where a session's polls are -------------------------------------------------------------------

def _draft(ctx: Ctx, session_id: str) -> items_repo.Item | None:
    return items_repo.get(ctx.db, ctx.account_id, DRAFT, session_id)


def stored(ctx: Ctx, row: repo.SessionRow) -> list[dict[str, Any]]:
    """The session's polls, meeting-shaped: the meeting's once it has one (a draft set not yet
    carried over is shown until the meeting has polls of its own)."""
    meeting_id = row.meeting_id
    if meeting_id is not None:
        on_meeting = parts_repo.all_of(ctx.db, meeting_id, PART)
        if on_meeting:
            return on_meeting
    draft = _draft(ctx, row.id)
    return list(draft.data()["polls"]) if draft is not None else []


def carry(ctx: Ctx, session_id: str, meeting_id: int) -> None:
    """Move a draft session's polls onto the meeting that now backs it (for publishing)."""
    draft = _draft(ctx, session_id)
    if draft is None:
        return
    for poll in draft.data()["polls"]:
        parts_repo.put(ctx.db, ctx.account_id, meeting_id, PART, poll, poll["id"])
    items_repo.delete(ctx.db, ctx.account_id, DRAFT, session_id)


def list_polls(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    out = [shown(p) for p in stored(ctx, row)]
    return {"total_records": len(out), "polls": out}


def update_polls(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    given = list((inp.body or {}).get("polls") or [])
    parts.lock(ctx, row.id, DRAFT)      # two PUTs at once: one set wins whole, never a mix
    polls = _cleaned(given, stored(ctx, row))
    meeting_id = row.meeting_id
    if meeting_id is None:
        draft = _draft(ctx, row.id)
        if draft is None:
            parts.add(ctx, DRAFT, event.id, row.id, {"polls": polls})
        else:
            items_repo.save(ctx.db, ctx.account_id, DRAFT, row.id, {"polls": polls})
        return
    keep = {p["id"] for p in polls}
    for old in parts_repo.all_of(ctx.db, meeting_id, PART):
        if old["id"] not in keep:
            parts_repo.delete(ctx.db, meeting_id, PART, old["id"])
    for poll in polls:
        parts_repo.put(ctx.db, ctx.account_id, meeting_id, PART, poll, poll["id"])
    items_repo.delete(ctx.db, ctx.account_id, DRAFT, row.id)    # a draft set not carried over is replaced


HANDLERS: dict[str, Callable[..., Any]] = {
    "getSessionPolls": list_polls,
    "updateSessionPolls": update_polls,
}
