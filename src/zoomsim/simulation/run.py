"""A whole meeting in one call: the host starts it, people join and leave over its length,
questions are asked and polls answered, and it ends. Every step goes through simulation.live
with the time it happened at, so the instance holds exactly what a step-by-step run would.

By default the meeting ends at the clock's now and began `duration_minutes` earlier; a
`start_time` places it elsewhere in the past. The same `seed` gives the same meeting."""
from __future__ import annotations

import random
from typing import Any

from zoomsim import clock as clockmod
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.simulation import crowd, live
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.storage.db import Db

MAX_PARTICIPANTS = 1000
MAX_MINUTES = 24 * 60


def _count_or_list(spec: dict[str, Any], key: str, limit: int) -> int | list[Any]:
    value = spec.get(key, 0)
    if value is True:
        return -1          # "everyone"
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int) and 0 <= value <= limit:
        return value
    if isinstance(value, list) and len(value) <= limit and all(isinstance(x, dict) for x in value):
        return value
    raise invalid_field(key)


def _window(spec: dict[str, Any], now: float) -> tuple[float, int]:
    minutes = spec.get("duration_minutes", 30)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise invalid_field("duration_minutes")
    seconds = minutes * 60
    if spec.get("start_time") is None:
        return now - seconds, seconds
    try:
        begin = clockmod.parse_iso(str(spec["start_time"]))
    except ValueError:
        raise invalid_field("start_time") from None
    if begin + seconds > now:
        raise invalid_field("start_time", "The meeting must be over by now: start it earlier or make it shorter.")
    return begin, seconds


def run(db: Db, row: meetings_repo.MeetingRow, now: float, spec: dict[str, Any]) -> dict[str, Any]:
    if row.status == "started":
        raise ZoomError(400, 3000, f"Meeting {row.id} is already in progress.")
    begin, seconds = _window(spec, now)
    seed = spec.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, (int, str)):
        raise invalid_field("seed")
    share = spec.get("dial_in", 0)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise invalid_field("dial_in")
    attendees = _count_or_list(spec, "participants", MAX_PARTICIPANTS)
    qa = _count_or_list(spec, "qa", 500)
    votes = _count_or_list(spec, "poll_votes", MAX_PARTICIPANTS)
    surveys = _count_or_list(spec, "survey_answers", MAX_PARTICIPANTS)
    rng = random.Random(f"{row.id}:{seed}")

    specs: list[dict[str, Any]] = []
    if spec.get("host_joins", True):
        specs.append({"user_id": row.host_id, "device": "Mac"})
    if isinstance(attendees, list):
        for i, attendee in enumerate(attendees):   # all checked before anyone joins
            live.check_lengths(attendee, f"participants[{i}].")
        specs.extend(attendees)
    else:
        for p in crowd.people(rng, max(attendees, 0), float(share)):
            specs.append({"name": p.name, "email": p.email, "device": p.device, "location": p.location,
                          "phone_number": p.phone})
    plan = crowd.visits(rng, len(specs), seconds)
    if spec.get("host_joins", True):   # the host opens and closes the meeting
        plan = [crowd.Visit(0, 0, seconds)] + [v for v in plan if v.person != 0]

    live.start(db, row, begin)
    row = _reload(db, row)
    events: list[tuple[int, int, str, int]] = []   # (second, order, what, visit index)
    for i, visit in enumerate(plan):
        events.append((visit.join, 0, "join", i))
        if visit.leave < seconds:
            events.append((visit.leave, 1, "leave", i))
    events.sort()
    session_of: dict[int, str] = {}
    sessions: list[tuple[int, str, int, int]] = []   # (person, participant id, join, leave)
    for second, _, what, i in events:
        visit = plan[i]
        if what == "join":
            joined = live.join(db, row, begin + second, specs[visit.person])
            session_of[i] = joined["participant_id"]
            sessions.append((visit.person, joined["participant_id"], visit.join, visit.leave))
        else:
            live.leave(db, row, begin + second, session_of[i])

    # Questions and answers happen while people are in the room: each is placed inside the
    # asker's own session.
    present = [s for s in sessions if s[3] - s[2] >= 2] or sessions
    _questions(db, row, begin, rng, qa, present)
    _polls(db, row, begin, rng, votes, present)
    _surveys(db, row, begin, rng, surveys, present)
    result = live.end(db, row, begin + seconds)
    result["participants"] = [{"participant_id": pid, "name": str(specs[person].get("name") or ""),
                               "join_offset_seconds": j, "leave_offset_seconds": lv}
                              for person, pid, j, lv in sessions]
    return result


def _reload(db: Db, row: meetings_repo.MeetingRow) -> meetings_repo.MeetingRow:
    fresh = meetings_repo.get(db, row.id)
    assert fresh is not None
    return fresh


def _moment(rng: random.Random, session: tuple[int, str, int, int]) -> int:
    return rng.randint(session[2] + 1, max(session[2] + 1, session[3] - 1))


def _pick(rng: random.Random, present: list[tuple[int, str, int, int]], item: dict[str, Any]) -> tuple[int, str, int, int]:
    """The session an explicit item names (`participant`: index into the attendee list), else any."""
    index = item.get("participant")
    if isinstance(index, int) and not isinstance(index, bool):
        mine = [s for s in present if s[0] == index]
        if not mine:
            raise invalid_field("participant", f"Attendee {index} did not attend.")
        return mine[0]
    return rng.choice(present)


def _questions(db: Db, row: meetings_repo.MeetingRow, begin: float, rng: random.Random, qa: int | list[Any],
               present: list[tuple[int, str, int, int]]) -> None:
    items = qa if isinstance(qa, list) else [
        {"question": f"Question {n + 1}: could you say more about that?",
         "answers": ["Thanks, good question."] if rng.random() < 0.7 else []}
        for n in range(max(qa, 0))]
    timed = []
    for item in items:
        who = _pick(rng, present, item)
        timed.append((_moment(rng, who), who, item))
    for second, who, item in sorted(timed, key=lambda t: t[0]):
        live.ask(db, row, begin + second, {**item, "participant_id": who[1]})


def _polls(db: Db, row: meetings_repo.MeetingRow, begin: float, rng: random.Random, votes: int | list[Any],
           present: list[tuple[int, str, int, int]]) -> None:
    """Votes are cast in time order, whichever poll they answer."""
    timed: list[tuple[int, str, dict[str, Any], bool]] = []   # (second, poll id, body, voters distinct)
    if isinstance(votes, list):
        for item in votes:
            who = _pick(rng, present, item)
            timed.append((_moment(rng, who), str(item.get("poll_id") or ""),
                          {"participant_id": who[1], "answers": item.get("answers")}, False))
    elif votes != 0:
        by_person = list({s[0]: s for s in present}.values())
        for poll in parts_repo.all_of(db, row.id, "poll"):
            voters = by_person if votes < 0 else rng.sample(by_person, min(votes, len(by_person)))
            for who in voters:
                answers = [{"question": q.get("name"), "answer": crowd.answer_for(rng, q)}
                           for q in poll.get("questions") or []]
                timed.append((_moment(rng, who), str(poll["id"]), {"participant_id": who[1], "answers": answers}, True))
    for second, poll_id, body, distinct in sorted(timed, key=lambda t: t[0]):
        live.vote(db, row, begin + second, poll_id, body, known_unique=distinct)


def _surveys(db: Db, row: meetings_repo.MeetingRow, begin: float, rng: random.Random, given: int | list[Any],
             present: list[tuple[int, str, int, int]]) -> None:
    if given == 0 or given == []:
        return
    survey = parts_repo.get(db, row.id, "survey") or {}
    questions = (survey.get("custom_survey") or {}).get("questions") or []
    if isinstance(given, list):
        for item in given:
            who = _pick(rng, present, item)
            live.answer_survey(db, row, begin + who[3] - 1, {"participant_id": who[1], "answers": item.get("answers")})
        return
    by_person = {s[0]: s for s in present}
    chosen = list(by_person.values()) if given < 0 else rng.sample(list(by_person.values()), min(given, len(by_person)))
    for who in chosen:
        answers = [{"question": q.get("name"), "answer": crowd.answer_for(rng, q)} for q in questions]
        live.answer_survey(db, row, begin + max(who[3] - 1, who[2]), {"participant_id": who[1], "answers": answers})

