"""A whole meeting or webinar in one call: the host starts it, people join and leave over its
length, questions are asked, polls answered and chat sent, and it ends. Every step goes through
simulation.live with the time it happened at, so the instance holds exactly what a
step-by-step run would.

By default the meeting ends at the clock's now and began `duration_minutes` earlier; a
`start_time` places it elsewhere in the past. The same `seed` gives the same meeting. Who
comes: the host, then `panelists` (webinars only), then `registrants` (the first approved
ones, by registrant_id), then `participants` made up by simulation.crowd (or given). In a
webinar only attendees ask questions. With `emit` (admin/simulation.py passes the outbox) the
steps send their webhook events, each timed at its own moment of the run."""
from __future__ import annotations

import functools
import random
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings.kinds import WEBINAR
from zoomsim.simulation import crowd, live
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.storage import registrants as registrants_repo
from zoomsim.storage.db import Db

MAX_PARTICIPANTS = 1000
MAX_PANELISTS = 100
MAX_MINUTES = 24 * 60
Session = tuple[int, str, int, int]      # (person, participant id, join second, leave second)


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


def _crowd_specs(rng: random.Random, given: int | list[Any], share: float, field: str,
                 role: str) -> list[dict[str, Any]]:
    """Join specs for a list given in the request (checked before anyone joins) or `given`
    made-up people; each joins with `role`."""
    if isinstance(given, list):
        for i, person in enumerate(given):
            live.check_lengths(person, f"{field}[{i}].")
        return [{"role": role, **person} for person in given]
    return [{"name": p.name, "email": p.email, "device": p.device, "location": p.location,
             "phone_number": p.phone, "role": role} for p in crowd.people(rng, max(given, 0), share)]


def _registrant_specs(db: Db, row: meetings_repo.MeetingRow, count: int | list[Any]) -> list[dict[str, Any]]:
    """The first `count` approved registrants (all for -1), each joining by registrant_id."""
    if isinstance(count, list):
        raise invalid_field("registrants", "Give a count, or true for every approved registrant.")
    if count == 0:
        return []
    rows = registrants_repo.page(db, row.id, "approved", None, 0, MAX_PARTICIPANTS if count < 0 else count)
    return [{"registrant_id": jsonio.loads(doc)["id"], "device": "Windows"} for _, doc in rows]


def run(db: Db, row: meetings_repo.MeetingRow, now: float, spec: dict[str, Any],
        emit: live.Emit | None = None) -> dict[str, Any]:
    kind = live.kind_of(row)
    if row.status == "started":
        raise ZoomError(400, 3000, f"{kind.word} {row.id} is already in progress.")
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
    messages = _count_or_list(spec, "chat", MAX_PARTICIPANTS)
    panelists = _count_or_list(spec, "panelists", MAX_PANELISTS)
    if panelists not in (0, []) and kind is not WEBINAR:
        raise invalid_field("panelists", "Only webinars have panelists.")
    registrants = _count_or_list(spec, "registrants", MAX_PARTICIPANTS)
    rng = random.Random(f"{row.id}:{seed}")

    specs: list[dict[str, Any]] = []
    if spec.get("host_joins", True):
        specs.append({"user_id": row.host_id, "device": "Mac"})
    if panelists not in (0, []):
        specs.extend(_crowd_specs(rng, panelists, 0.0, "panelists", "panelist"))
    specs.extend(_registrant_specs(db, row, registrants))
    specs.extend(_crowd_specs(rng, attendees, float(share), "participants", "attendee"))
    plan = crowd.visits(rng, len(specs), seconds)
    if spec.get("host_joins", True):   # the host opens and closes the meeting
        plan = [crowd.Visit(0, 0, seconds)] + [v for v in plan if v.person != 0]

    live.start(db, row, begin, emit)
    row = _reload(db, row)
    events: list[tuple[int, int, str, int]] = []   # (second, order, what, visit index)
    for i, visit in enumerate(plan):
        events.append((visit.join, 0, "join", i))
        if visit.leave < seconds:
            events.append((visit.leave, 1, "leave", i))
    events.sort()
    session_of: dict[int, str] = {}
    sessions: list[Session] = []
    role_of: dict[int, str] = {}
    for second, _, what, i in events:
        visit = plan[i]
        if what == "join":
            joined = live.join(db, row, begin + second, specs[visit.person], emit)
            session_of[i] = joined["participant_id"]
            role_of[visit.person] = joined["role"]
            sessions.append((visit.person, joined["participant_id"], visit.join, visit.leave))
        else:
            live.leave(db, row, begin + second, session_of[i], emit)

    # Questions and answers happen while people are in the room: each is placed inside the
    # asker's own session.
    present = [s for s in sessions if s[3] - s[2] >= 2] or sessions
    askers = [s for s in present if role_of[s[0]] == "attendee"] if kind is WEBINAR else present
    _questions(db, row, begin, rng, qa, askers)
    _polls(db, row, begin, rng, votes, present)
    _surveys(db, row, begin, rng, surveys, present)
    _chat(db, row, begin, rng, messages, present, emit)
    result = live.end(db, row, begin + seconds, emit)
    result["participants"] = [{"participant_id": pid, "name": str(specs[person].get("name") or ""),
                               "role": role_of[person], "join_offset_seconds": j, "leave_offset_seconds": lv}
                              for person, pid, j, lv in sessions]
    return result


def _reload(db: Db, row: meetings_repo.MeetingRow) -> meetings_repo.MeetingRow:
    fresh = meetings_repo.get(db, row.id)
    assert fresh is not None
    return fresh


def _moment(rng: random.Random, session: Session) -> int:
    return rng.randint(session[2] + 1, max(session[2] + 1, session[3] - 1))


def _pick(rng: random.Random, present: list[Session], item: dict[str, Any]) -> Session:
    """The session an explicit item names (`participant`: index into the attendee list), else any."""
    if not present:
        raise invalid_field("participant", "Nobody who could do this attended.")
    index = item.get("participant")
    if isinstance(index, int) and not isinstance(index, bool):
        mine = [s for s in present if s[0] == index]
        if not mine:
            raise invalid_field("participant", f"Attendee {index} did not attend.")
        return mine[0]
    return rng.choice(present)


def _in_time_order(db: Db, row: meetings_repo.MeetingRow, begin: float, rng: random.Random,
                   present: list[Session], items: list[Any], step: Any) -> None:
    """Each item said by someone present, at a moment inside their session, replayed in time order."""
    timed = []
    for item in items:
        who = _pick(rng, present, item)
        timed.append((_moment(rng, who), who, item))
    for second, who, item in sorted(timed, key=lambda t: t[0]):
        step(db, row, begin + second, {**item, "participant_id": who[1]})


def _questions(db: Db, row: meetings_repo.MeetingRow, begin: float, rng: random.Random, qa: int | list[Any],
               present: list[Session]) -> None:
    items = qa if isinstance(qa, list) else [
        {"question": f"Question {n + 1}: could you say more about that?",
         "answers": ["Thanks, good question."] if rng.random() < 0.7 else []}
        for n in range(max(qa, 0))]
    _in_time_order(db, row, begin, rng, present, items, live.ask)


def _polls(db: Db, row: meetings_repo.MeetingRow, begin: float, rng: random.Random, votes: int | list[Any],
           present: list[Session]) -> None:
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
             present: list[Session]) -> None:
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



def _chat(db: Db, row: meetings_repo.MeetingRow, begin: float, rng: random.Random, given: int | list[Any],
          present: list[Session], emit: live.Emit | None = None) -> None:
    """Chat messages to everyone, each sent inside its sender's session, in time order."""
    items = given if isinstance(given, list) else [{"message": f"Message {n + 1}: thanks, all."}
                                                   for n in range(max(given, 0))]
    _in_time_order(db, row, begin, rng, present, items, functools.partial(live.chat, emit=emit))
