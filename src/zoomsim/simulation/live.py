"""A meeting or webinar run step by step: start, people join and leave, ask questions, vote,
chat, end.

Each run is an instance with its own UUID: the meeting carries the UUID of its current (or
next) instance, and ending one hands the meeting a fresh UUID for the next run, as Zoom does.
Every step takes the time it happens at, so a whole meeting can also be replayed in the past
(simulation.run) through the same code. Ending an instance records its totals, which the
past-meeting operations and every report read.

Webinars run through the same steps; what differs is who may do what. A webinar participant
is an attendee or a panelist (the host is neither): attendees ask questions, the host and
panelists answer them (attendees may only comment), and only webinars have panelists.

The steps Zoom reports by webhook (start, join, leave, chat, end) take an optional `emit`: the
webhook outbox bound to the caller's unit of work (`emitter`), so the events are written in the
transaction of the step's rows. Every live caller passes one (the admin step routes, the
one-call run, the API's end and delete); the bulk history writer passes none and stays
silent. What a step tells its events is the data `_emit` puts together (payloads/simulation.py
reads it)."""
from __future__ import annotations

import functools
import hashlib
from typing import TYPE_CHECKING, Any, Callable

from zoomsim import clock as clockmod
from zoomsim import ids, jsonio
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings import model
from zoomsim.meetings.kinds import MEETING, PANELIST_PART, WEBINAR, Kind, of_type
from zoomsim.platform.validation import is_email
from zoomsim.simulation import answers
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.storage import registrants as registrants_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.db import Db
from zoomsim.storage.schema import participants as participants_table

if TYPE_CHECKING:
    from zoomsim.app import Services

# (account_id, step, kind, data) -> None: webhooks.outbox.emit_step bound to services and db.
Emit = Callable[[str, str, str, dict[str, Any]], None]

FIRST_PARTICIPANT_ID = 16778240      # Zoom's per-meeting participant ids count up from here
RECORDING_BYTES_PER_SECOND = 30_000  # what a cloud recording (speaker view, 720p) takes, roughly
DEFAULT_CALL_IN = "+1 646 558 8656"
DEFAULT_COUNTRY = "United States of America"
DEVICES = ("Windows", "Mac", "iOS", "Android", "Web", "Linux", "Phone", "H.323/SIP")
QA_ANSWER_TYPES = ("default", "host_answered_publicly", "host_answered_privately", "participant_commented",
                   "host_answered")
COMMENT = "participant_commented"    # the one kind of reply a webinar attendee may give
ROLES = ("attendee", "panelist")     # what a join may ask for; the host's own session is "host"
ANSWERING_ROLES = ("host", "panelist")
MAX_CHAT_MESSAGE = 4096
MAX_CHAT_FILES = 10
REMOTE_SUPPORT = "remote_support"    # instance record kind of a remote support session


def emitter(services: "Services", db: Db) -> Emit:
    """What a caller that runs steps for real passes as `emit`: the outbox, in `db`'s unit."""
    from zoomsim.webhooks import outbox
    return functools.partial(outbox.emit_step, services, db)


def _emit(emit: Emit | None, row: meetings_repo.MeetingRow, step: str, uuid: str, instance_seq: int,
          started: str, at: str, **more: Any) -> None:
    """Tell the step's events what happened: the meeting's number, account and host, the
    instance (UUID, seq, start) and the step's time, plus what the step adds."""
    if emit is None:
        return
    data = {"meeting_id": row.id, "account_id": row.account_id, "host_id": row.host_id, "uuid": uuid,
            "instance_seq": instance_seq, "start_time": started, "time": at, **more}
    emit(row.account_id, step, kind_of(row).name, data)


def _ts(iso: str) -> float:
    return clockmod.parse_iso(iso)


def not_running(meeting_id: int, kind: Kind | None = None) -> ZoomError:
    return ZoomError(400, 3000, f"{(kind or MEETING).word} {meeting_id} is not in progress.")


def kind_of(row: meetings_repo.MeetingRow) -> Kind:
    return of_type(row.type)


def _occurrence_due(doc: dict[str, Any], now: float) -> str:
    """For a recurring meeting, the occurrence a start at `now` belongs to: the last one that
    has begun, else the next one."""
    occurrences = [o for o in doc.get("occurrences") or [] if o.get("status") != "deleted"]
    begun = [o for o in occurrences if _ts(o["start_time"]) <= now + 60 * 30]
    chosen = begun[-1] if begun else (occurrences[0] if occurrences else None)
    return str(chosen["occurrence_id"]) if chosen else ""


def start(db: Db, row: meetings_repo.MeetingRow, now: float, emit: Emit | None = None) -> dict[str, Any]:
    kind = kind_of(row)
    if row.status == "deleted":
        raise ZoomError(404, 3001, f"{kind.word} does not exist: {row.id}.")
    if row.status == "started":
        raise ZoomError(400, 3000, f"{kind.word} {row.id} is already in progress.")
    doc, extra = row.data(), row.extras()
    host = users_repo.get(db, row.account_id, row.host_id)
    hd = jsonio.loads(host.doc) if host is not None else {}
    started = clockmod.iso(now)
    record = instance_record(doc, doc.get("host_email") or hd.get("email", ""),
                             hd.get("display_name") or doc.get("host_email", ""), hd.get("dept", ""),
                             started, _occurrence_due(doc, now))
    seq = inst_repo.insert(db, {
        "uuid": doc["uuid"], "meeting_id": row.id, "account_id": row.account_id, "host_id": row.host_id,
        "kind": kind.name, "type": int(doc.get("type") or kind.default_type), "topic": str(doc.get("topic") or "")[:300],
        "start_time": started, "doc": record,
    })
    doc["status"] = "started"
    extra["live"] = {"uuid": doc["uuid"], "start_time": started, "instance_seq": seq}
    meetings_repo.save(db, doc, extra, model.span(doc))
    _emit(emit, row, "start", doc["uuid"], seq, started, started)
    return {"id": row.id, "uuid": doc["uuid"], "status": "started", "start_time": started,
            "occurrence_id": record["occurrence_id"]}


def instance_record(doc: dict[str, Any], host_email: str, host_name: str, dept: str, started: str,
                    occurrence_id: str) -> dict[str, Any]:
    """What an instance keeps of its meeting and host as they were when it started (reports
    must not change when the meeting is edited later). Bulk history writes the same."""
    settings = doc.get("settings") or {}
    return {
        "host_email": host_email,
        "host_name": host_name,
        "dept": dept,
        "timezone": doc.get("timezone", "UTC"),
        "schedule_time": doc.get("start_time") or started,
        "created_at": doc.get("created_at") or started,
        "occurrence_id": occurrence_id,
        "tracking_fields": [{"field": t.get("field", ""), "value": t.get("value", "")}
                            for t in doc.get("tracking_fields") or []],
        "auto_recording": settings.get("auto_recording", "none"),
        "waiting_room": bool(settings.get("waiting_room")),
        "registration": settings.get("approval_type") in (0, 1),
        "call_in_number": call_in_number(settings),
        "source": "Zoom",
    }


def call_in_number(settings: dict[str, Any]) -> str:
    numbers = settings.get("global_dial_in_numbers") or []
    first = numbers[0] if numbers and isinstance(numbers[0], dict) else {}
    return str(first.get("number") or DEFAULT_CALL_IN)


def running(db: Db, row: meetings_repo.MeetingRow) -> inst_repo.InstanceRow:
    found = inst_repo.running(db, row.id) if row.status == "started" else None
    if found is None:
        raise not_running(row.id, kind_of(row))
    return found


def person_key(uuid: str, user_id: str, registrant_id: str, email: str, phone: str, name: str) -> str:
    """The same person across their sessions in one instance (Zoom's participant_user_id)."""
    key = user_id or registrant_id or email.lower() or phone or name
    return hashlib.sha256(f"{uuid}|{key}".encode()).hexdigest()[:22]


def minutes_up(seconds: int) -> int:
    """Zoom's minutes: any started minute counts."""
    return -(-seconds // 60)


# Fields of a join that land in a String(N) column of `participants` as given.
COLUMN_FIELDS = ("name", "email", "phone_number", "user_id", "registrant_id")


def check_lengths(spec: dict[str, Any], where: str = "") -> None:
    """The admin routes have no request schema: hold each stored field to its column's length
    here, so PostgreSQL never sees a longer value (400/300 naming the field instead)."""
    for key in COLUMN_FIELDS:
        limit = participants_table.c[key].type.length
        value = spec.get(key)
        if value is not None and limit is not None and len(str(value)) > limit:
            raise invalid_field(where + key, f"Length must be no more than {limit} characters.")
        if value is not None and "\x00" in str(value):    # PostgreSQL text cannot hold NUL
            raise invalid_field(where + key)


def _role(kind: Kind, spec: dict[str, Any], user_id: str, host_id: str) -> str:
    """The host's own session is the host's; anyone else joins as an attendee unless they come
    as a panelist, which only a webinar has."""
    if user_id and user_id == host_id:
        return "host"
    role = spec.get("role") or ("panelist" if spec.get("panelist_id") else "attendee")
    if not isinstance(role, str) or role not in ROLES:
        raise invalid_field("role", "A participant joins as an attendee or a panelist.")
    if role == "panelist" and kind is not WEBINAR:
        raise invalid_field("role", "Only webinars have panelists.")
    return role


def _panelist(db: Db, row: meetings_repo.MeetingRow, panelist_id: str) -> dict[str, Any]:
    found = parts_repo.get(db, row.id, PANELIST_PART, panelist_id)   # a panelist's part id is their id
    if found is None:
        raise invalid_field("panelist_id", "Not a panelist of this webinar.")
    return found


def _registrant(db: Db, row: meetings_repo.MeetingRow, registrant_id: str, kind: Kind) -> tuple[str, str]:
    """(email, name) of an approved registrant of this meeting: pending and denied ones
    cannot join."""
    reg = registrants_repo.get(db, row.id, registrant_id)
    if reg is None:
        raise invalid_field("registrant_id", f"Not a registrant of this {kind.name}.")
    if reg.status != "approved":
        raise invalid_field("registrant_id", f"Registrant {registrant_id} is {reg.status}, not approved.")
    doc = reg.data()
    return reg.email, " ".join(x for x in (doc.get("first_name"), doc.get("last_name")) if x)


def join(db: Db, row: meetings_repo.MeetingRow, now: float, spec: dict[str, Any],
         emit: Emit | None = None) -> dict[str, Any]:
    """A participant joins; returns the session, whose `participant_id` later leaves. Name and
    email default from the user, registrant or panelist the join names."""
    check_lengths(spec)
    kind = kind_of(row)
    instance = running(db, row)
    user_id = str(spec.get("user_id") or "")
    name, email = str(spec.get("name") or ""), str(spec.get("email") or "")
    internal = False
    if user_id:
        user = users_repo.get(db, row.account_id, user_id)
        if user is None:
            raise ZoomError(404, 1001, f"User does not exist: {user_id}.")
        user_doc = jsonio.loads(user.doc)
        user_id, internal = user.id, True
        email = email or user.email
        name = name or str(user_doc.get("display_name") or user.email)
    role = _role(kind, spec, user_id, row.host_id)
    if spec.get("panelist_id"):
        if role != "panelist":
            raise invalid_field("panelist_id", "Only a panelist joins as one.")
        panelist = _panelist(db, row, str(spec["panelist_id"]))
        email, name = email or str(panelist.get("email") or ""), name or str(panelist.get("name") or "")
    registrant_id = str(spec.get("registrant_id") or "")
    if registrant_id:
        reg_email, reg_name = _registrant(db, row, registrant_id, kind)
        email, name = email or reg_email, name or reg_name
    phone = str(spec.get("phone_number") or "")
    if phone and not all(c.isdigit() or c in "+ -()" for c in phone):
        raise invalid_field("phone_number")
    if email and not is_email(email):
        raise invalid_field("email")
    name = name or phone or (email.split("@")[0] if email else "")
    if not name:
        raise invalid_field("name", "A participant needs a name, an email, a user_id or a phone_number.")
    device = str(spec.get("device") or ("Phone" if phone else "Windows"))
    number = FIRST_PARTICIPANT_ID + inst_repo.session_count(db, instance.seq) * 1024
    session_id = str(number)
    call = None
    if phone:
        call_type = str(spec.get("call_type") or "toll-free")
        if call_type not in ("toll-free", "call-out", "call-in", "US toll-number", "global toll-number",
                             "premium", "premium call-in", "Toll"):
            raise invalid_field("call_type")
        call = (call_type, str(spec.get("call_in_number") or instance.data().get("call_in_number") or DEFAULT_CALL_IN),
                str(spec.get("country_name") or DEFAULT_COUNTRY))
    doc = session_doc(device, str(spec.get("location") or ""), str(spec.get("ip_address") or ""),
                      bool(spec.get("in_waiting_room")), internal, str(spec.get("customer_key") or ""), call, role)
    joined = clockmod.iso(now)
    person = person_key(instance.uuid, user_id, registrant_id, email, phone, name)
    inst_repo.add_session(db, {
        "instance_seq": instance.seq, "account_id": row.account_id, "id": session_id, "person": person,
        "user_id": user_id, "registrant_id": registrant_id, "name": name[:255], "email": email[:255],
        "join_time": joined, "phone_number": phone, "doc": doc,
    })
    _emit(emit, row, "join", instance.uuid, instance.seq, instance.start_time, joined, participant_id=session_id)
    return {"participant_id": session_id, "participant_user_id": person, "user_id": user_id,
            "registrant_id": registrant_id, "name": name, "email": email, "role": role, "join_time": joined,
            "meeting_uuid": instance.uuid}


def session_doc(device: str, location: str, ip_address: str, waiting: bool, internal: bool, customer_key: str,
                call: tuple[str, str, str] | None, role: str) -> dict[str, Any]:
    """What a session keeps beyond its columns; `call` is (call type, number dialled, country)
    for a dial-in, `role` host, attendee or panelist."""
    doc: dict[str, Any] = {"device": device, "location": location, "ip_address": ip_address,
                           "status": "in_waiting_room" if waiting else "in_meeting", "internal_user": internal,
                           "customer_key": customer_key, "role": role}
    if call is not None:
        doc.update(call_type=call[0], call_in_number=call[1], country_name=call[2])
    return doc


def leave(db: Db, row: meetings_repo.MeetingRow, now: float, session_id: str,
          emit: Emit | None = None) -> dict[str, Any]:
    instance = running(db, row)
    found = [s for s in inst_repo.sessions(db, instance.seq, session_id=session_id) if s.leave_time is None]
    if not found:
        raise ZoomError(404, 3001, f"Participant {session_id} is not in {kind_of(row).name} {row.id}.")
    session = found[0]
    left = clockmod.iso(max(now, _ts(session.join_time)))
    duration = int(_ts(left) - _ts(session.join_time))
    inst_repo.close_session(db, session.seq, left, duration)
    end_supports(db, instance.seq, left, session_id)
    _emit(emit, row, "leave", instance.uuid, instance.seq, instance.start_time, left, participant_id=session_id,
          reason="left")
    return {"participant_id": session_id, "join_time": session.join_time, "leave_time": left, "duration": duration}


def end_supports(db: Db, instance_seq: int, at: str, session_id: str | None = None) -> None:
    """Remote support lasts no longer than its two participants stay, nor than the meeting:
    cut the sessions still going at `at` (those of `session_id` only, when given)."""
    for seq, doc in inst_repo.record_rows(db, instance_seq, REMOTE_SUPPORT):
        ids_in = (doc["supporter"]["participant_id"], doc["supportee"]["participant_id"])
        if doc["end_time"] > at and (session_id is None or session_id in ids_in):
            doc["end_time"] = max(at, doc["start_time"])
            inst_repo.update_record(db, seq, doc)


def session_in(db: Db, instance: inst_repo.InstanceRow, session_id: Any, field: str = "participant_id") -> inst_repo.SessionRow:
    found = inst_repo.sessions(db, instance.seq, session_id=str(session_id or ""))
    if not found:
        raise invalid_field(field, f"Not a participant of this {instance.kind} instance.")
    return found[-1]


def role_of(session: inst_repo.SessionRow) -> str:
    return str(session.data().get("role") or "attendee")


def _who(session: inst_repo.SessionRow) -> dict[str, str]:
    return {"user_id": session.id, "participant_user_id": session.person, "name": session.name,
            "email": session.email}


def _qa_rules(row: meetings_repo.MeetingRow, asker: inst_repo.SessionRow, anonymous: bool) -> dict[str, Any]:
    """A webinar's Q&A follows its settings: it may be off, and anonymous questions may not be
    allowed; only attendees ask (in a meeting anyone does). Returns those settings."""
    qa = (row.data().get("settings") or {}).get("question_and_answer") or {}
    if qa.get("enable") is False:
        raise ZoomError(400, 3000, f"Q&A is not enabled for webinar {row.id}.")
    if role_of(asker) != "attendee":
        raise invalid_field("participant_id", "Questions come from attendees; the host and panelists answer them.")
    if anonymous and qa.get("allow_anonymous_questions") is False:
        raise invalid_field("anonymous", "This webinar does not allow anonymous questions.")
    return qa


def _reply(db: Db, instance: inst_repo.InstanceRow, rules: dict[str, Any] | None, item: Any, i: int,
           stamp: str) -> dict[str, Any]:
    """One answer to a question, by the host unless a participant_id names who gave it. In a
    webinar (`rules` set) the host and panelists answer; attendees may only comment."""
    item = {"content": item} if isinstance(item, str) else item
    if not isinstance(item, dict) or not isinstance(item.get("content"), str) or not item["content"]:
        raise invalid_field(f"answers[{i}].content")
    kind = str(item.get("type") or "host_answered_publicly")
    if kind not in QA_ANSWER_TYPES:
        raise invalid_field(f"answers[{i}].type")
    data = instance.data()
    by = {"user_id": "", "name": data.get("host_name", ""), "email": data.get("host_email", "")}
    if item.get("participant_id"):
        session = session_in(db, instance, item["participant_id"], f"answers[{i}].participant_id")
        if rules is not None and role_of(session) not in ANSWERING_ROLES and \
                (kind != COMMENT or rules.get("attendees_can_comment") is False):
            raise invalid_field(f"answers[{i}].participant_id", "Only the host and panelists answer questions.")
        by = _who(session)
    return {"user_id": by["user_id"], "name": by["name"], "email": by["email"], "content": item["content"],
            "create_time": stamp, "type": kind}


def ask(db: Db, row: meetings_repo.MeetingRow, now: float, spec: dict[str, Any]) -> dict[str, Any]:
    """A Q&A question, with any answers given to it."""
    instance = running(db, row)
    asker = session_in(db, instance, spec.get("participant_id"))
    question = spec.get("question")
    if not isinstance(question, str) or not question.strip():
        raise invalid_field("question")
    raw_answers = spec.get("answers") or []
    if not isinstance(raw_answers, list):
        raise invalid_field("answers")
    anonymous = bool(spec.get("anonymous"))
    rules = _qa_rules(row, asker, anonymous) if kind_of(row) is WEBINAR else None
    stamp = clockmod.iso(now)
    replies = [_reply(db, instance, rules, item, i, stamp) for i, item in enumerate(raw_answers)]
    record = {"question_id": ids.new_id(), "question": question, "create_time": stamp, "anonymous": anonymous,
              "asker": _who(asker), "status": "answered" if replies else "open", "answers": replies}
    inst_repo.add_record(db, instance.seq, "qa", record)
    return {"question_id": record["question_id"], "status": record["status"], "answers": len(replies)}


def chat(db: Db, row: meetings_repo.MeetingRow, now: float, spec: dict[str, Any],
         emit: Emit | None = None) -> dict[str, Any]:
    """An in-meeting chat message from a participant, to everyone or to one participant,
    optionally with files. The API may later edit or delete it while the meeting runs."""
    instance = running(db, row)
    sender = session_in(db, instance, spec.get("participant_id"))
    message = spec.get("message")
    if not isinstance(message, str) or not message.strip() or len(message) > MAX_CHAT_MESSAGE:
        raise invalid_field("message", f"A message is 1 to {MAX_CHAT_MESSAGE} characters.")
    to = spec.get("to") or "everyone"
    recipient = None if to == "everyone" else _who(session_in(db, instance, to, "to"))
    files = spec.get("files") or []
    if not isinstance(files, list) or len(files) > MAX_CHAT_FILES or \
            not all(isinstance(f, str) and 0 < len(f) <= 255 for f in files):
        raise invalid_field("files", f"Up to {MAX_CHAT_FILES} file names.")
    record = {"message_id": ids.new_uuid(), "sender": _who(sender), "to": recipient, "message": message,
              "date_time": clockmod.iso(now), "files": [{"file_id": ids.new_uuid(), "file_name": f} for f in files],
              "deleted": False}
    inst_repo.add_record(db, instance.seq, "chat", record)
    _emit(emit, row, "chat", instance.uuid, instance.seq, instance.start_time, record["date_time"],
          message_id=record["message_id"], participant_id=sender.id,
          to=recipient["user_id"] if recipient else "", message=message,
          file_ids=[f["file_id"] for f in record["files"]])
    return {"message_id": record["message_id"], "participant_id": sender.id, "date_time": record["date_time"],
            "files": record["files"]}


def vote(db: Db, row: meetings_repo.MeetingRow, now: float, poll_id: str, spec: dict[str, Any], *,
         known_unique: bool = False) -> dict[str, Any]:
    """A participant answers a poll of the meeting; answers must fit the poll's questions.
    `known_unique` skips the second-vote check for callers that pick distinct voters."""
    instance = running(db, row)
    poll = parts_repo.get(db, row.id, "poll", poll_id)
    if poll is None:
        raise ZoomError(404, 4400, f"Poll {poll_id} does not exist in {kind_of(row).name} {row.id}.")
    voter = session_in(db, instance, spec.get("participant_id"))
    if not known_unique and any(r["poll_id"] == poll_id and r["participant"]["participant_user_id"] == voter.person
           for r in inst_repo.records(db, instance.seq, "poll")):
        raise ZoomError(409, 3000, f"Participant {voter.id} has already answered poll {poll_id}.")
    details = answers.check(poll.get("questions") or [], spec.get("answers"))
    stamp = clockmod.iso(now)
    inst_repo.add_record(db, instance.seq, "poll", {
        "poll_id": poll_id, "title": poll.get("title", ""), "anonymous": bool(poll.get("anonymous")),
        "participant": _who(voter), "date_time": stamp, "details": details,
    })
    return {"poll_id": poll_id, "participant_id": voter.id, "answers": details, "date_time": stamp}


def answer_survey(db: Db, row: meetings_repo.MeetingRow, now: float, spec: dict[str, Any]) -> dict[str, Any]:
    """A participant's answers to the meeting survey (the custom one; a third-party survey is
    answered outside Zoom and leaves nothing to report)."""
    instance = running(db, row)
    survey = parts_repo.get(db, row.id, "survey") or {}
    questions = (survey.get("custom_survey") or {}).get("questions") or []
    if not questions:
        raise ZoomError(400, 3000, f"{kind_of(row).word} {row.id} has no survey to answer.")
    who = session_in(db, instance, spec.get("participant_id"))
    details = answers.check(questions, spec.get("answers"))
    stamp = clockmod.iso(now)
    inst_repo.add_record(db, instance.seq, "survey", {
        "survey_name": (survey.get("custom_survey") or {}).get("title", ""), "participant": _who(who),
        "date_time": stamp, "details": details,
    })
    return {"participant_id": who.id, "answers": details, "date_time": stamp}


def end(db: Db, row: meetings_repo.MeetingRow, now: float, emit: Emit | None = None) -> dict[str, Any]:
    """Close the running instance: everyone still in leaves (each leave is reported, as Zoom
    reports the host ending the meeting), totals are recorded, the summary is written, and the
    meeting gets the UUID of its next run. Returns the instance's totals."""
    instance = running(db, row)
    ended = clockmod.iso(max(now, _ts(instance.start_time)))
    for session in inst_repo.sessions(db, instance.seq, open_only=True):
        inst_repo.close_session(db, session.seq, ended, int(_ts(ended) - _ts(session.join_time)))
        _emit(emit, row, "leave", instance.uuid, instance.seq, instance.start_time, ended,
              participant_id=session.id, reason="ended")
    end_supports(db, instance.seq, ended)
    people, seconds, phones = inst_repo.totals(db, instance.seq)
    length = int(_ts(ended) - _ts(instance.start_time))
    record = instance.data()
    kinds = inst_repo.record_kinds(db, [instance.seq]).get(instance.seq, set())
    record["features"] = sorted(kinds)
    recorded = record.get("auto_recording") == "cloud"
    values = {
        "end_time": ended, "duration": minutes_up(length), "participants": people,
        "participant_minutes": minutes_up(seconds), "dial_ins": phones,
        "recording_bytes": length * RECORDING_BYTES_PER_SECOND if recorded else 0, "doc": record,
    }
    inst_repo.update(db, instance.seq, values)
    doc, extra = row.data(), row.extras()
    extra.pop("live", None)
    extra["last_instance"] = {"uuid": instance.uuid, "start_time": instance.start_time, "end_time": ended}
    doc["status"] = "waiting"
    doc["uuid"] = ids.new_uuid()
    meetings_repo.save(db, doc, extra, model.span(doc))
    write_summary(db, row, instance, values, kinds)
    _emit(emit, row, "end", instance.uuid, instance.seq, instance.start_time, ended, end_time=ended)
    return {"uuid": instance.uuid, "start_time": instance.start_time, "end_time": ended,
            "duration": values["duration"], "participants_count": people,
            "total_minutes": values["participant_minutes"], "dial_in_participants": phones}


def write_summary(db: Db, row: meetings_repo.MeetingRow, instance: inst_repo.InstanceRow,
                  totals: dict[str, Any], kinds: set[str]) -> None:
    """The AI Companion summary of the instance, put together from what was recorded."""
    record = instance.data()
    details: list[dict[str, str]] = []
    if "qa" in kinds:
        asked = inst_repo.records(db, instance.seq, "qa")
        details.append({"label": "Questions", "summary": "; ".join(q["question"] for q in asked[:10])})
    if "poll" in kinds:
        titles = sorted({v["title"] for v in inst_repo.records(db, instance.seq, "poll")})
        details.append({"label": "Polls", "summary": f"Polls run: {', '.join(titles)}."})
    parts_repo.put(db, row.account_id, row.id, "summary", summary_doc(
        row.host_id, record.get("host_email", ""), row.id, instance.uuid, instance.topic, instance.start_time,
        totals["end_time"], totals["duration"], totals["participants"], totals["participant_minutes"], details,
    ), part_id=instance.uuid)


def summary_doc(host_id: str, host_email: str, meeting_id: int, uuid: str, topic: str, started: str, ended: str,
                duration: int, people: int, minutes: int, more: list[dict[str, str]]) -> dict[str, Any]:
    """The summary object for an instance: attendance, then whatever else was recorded."""
    return {
        "meeting_host_id": host_id, "meeting_host_email": host_email,
        "meeting_uuid": uuid, "meeting_id": meeting_id, "meeting_topic": topic,
        "meeting_start_time": started, "meeting_end_time": ended,
        "summary_start_time": started, "summary_end_time": ended,
        "summary_created_time": ended, "summary_last_modified_time": ended,
        "summary_title": f"Meeting summary for {topic}",
        "summary_overview": f"{topic} ran for {duration} minutes with {people} participants.",
        "summary_details": [{"label": "Attendance",
                             "summary": f"{people} participants spent {minutes} minutes in the meeting."}] + more,
        "next_steps": [],
    }
