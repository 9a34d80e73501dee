"""Poll votes and Q&A of an ended meeting instance, grouped per person as Zoom reports them.

Votes and questions are read in the order they were given (by their time stamps). A person
is their participant_user_id (stable across re-joins within the instance), so one voter who
left and came back still makes one entry. Anonymous polls and anonymous questions hide who gave them:
each such vote or question is listed on its own under "Anonymous" with no email, so the
listing never reveals that two of them came from the same person."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim.context import Ctx, Input
from zoomsim.past_meetings.lookup import find as find_instance
from zoomsim.storage import instances as inst_repo

ANONYMOUS = "Anonymous"
ANSWER_SEPARATOR = "; "


class People:
    """Entries keyed by person, in the order each person first appears; anonymous entries
    stand alone. `make` gives an entry's identity fields from who gave it ({} = anonymous).
    The meeting reports group the same way with more identity fields."""

    def __init__(self, details_key: str = "question_details") -> None:
        self.details_key = details_key
        self.entries: list[dict[str, Any]] = []
        self._by_person: dict[str, dict[str, Any]] = {}

    def add(self, who: dict[str, Any], anonymous: bool, details: list[dict[str, Any]],
            make: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        if anonymous:
            self.entries.append({**make({}), self.details_key: list(details)})
            return
        person = str(who.get("participant_user_id") or who.get("user_id") or "")
        entry = self._by_person.get(person)
        if entry is None:
            entry = {**make(who), self.details_key: []}
            self._by_person[person] = entry
            self.entries.append(entry)
        entry[self.details_key].extend(details)


def _identity(who: dict[str, Any]) -> dict[str, Any]:
    if not who:
        return {"name": ANONYMOUS, "email": ""}
    return {"name": str(who.get("name") or ""), "email": str(who.get("email") or "")}


def _in_time_order(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Records by the time they were given (stored order breaks ties): a whole-meeting
    simulation may store one poll's votes before an earlier vote on another poll."""
    return sorted(items, key=lambda item: str(item.get(key) or ""))


def _header(instance: inst_repo.InstanceRow) -> dict[str, Any]:
    return {"id": instance.meeting_id, "uuid": instance.uuid, "start_time": instance.start_time}


def past_polls(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Each voter with every answer they gave, one detail per poll question answered."""
    instance = find_instance(ctx, ctx.subject(inp))
    people = People()
    for vote in _in_time_order(inst_repo.records(ctx.db, instance.seq, "poll"), "date_time"):
        details = [{"question": str(d.get("question") or ""), "answer": str(d.get("answer") or ""),
                    "polling_id": str(vote.get("poll_id") or ""), "date_time": str(vote.get("date_time") or "")}
                   for d in vote.get("details") or []]
        people.add(vote.get("participant") or {}, bool(vote.get("anonymous")), details, _identity)
    return {**_header(instance), "questions": people.entries}


def past_qa(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Each asker with their questions; a question's answer is every reply's text joined
    with "; " (empty while unanswered)."""
    instance = find_instance(ctx, ctx.subject(inp))
    people = People()
    for item in _in_time_order(inst_repo.records(ctx.db, instance.seq, "qa"), "create_time"):
        answer = ANSWER_SEPARATOR.join(str(a.get("content") or "") for a in item.get("answers") or [])
        people.add(item.get("asker") or {}, bool(item.get("anonymous")),
                   [{"question": str(item.get("question") or ""), "answer": answer}], _identity)
    return {**_header(instance), "questions": people.entries}


HANDLERS: dict[str, Callable[..., Any]] = {
    "listPastMeetingPolls": past_polls,
    "listPastMeetingQA": past_qa,
}
