"""Events of the simulation's steps: started, participant joined/left, chat message sent, ended,
for meetings and webinars alike (the event's prefix is Step.kind).

What a step tells (simulation/live.py `_emit`), in Step.data: meeting_id (the number),
account_id, host_id, uuid (the instance's), instance_seq, start_time (the instance's), time
(the step's own, ISO); a join or leave adds participant_id (the session's per-meeting id) and
a leave its reason ("left", or "ended" when the end closed the session); a chat adds
message_id, participant_id (the sender), to (the recipient's participant id, "" for everyone),
message and file_ids; an end adds end_time. The rest is read from storage: the meeting for its
topic, type, timezone and scheduled length, the session for who the participant is. Every
time field of a payload is the step's time, not the clock's (a run replays the past)."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim.storage import instances as inst_repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.webhooks.model import Emitted, Step
from zoomsim.webhooks.payloads.common import head

# The live events spell the meeting's id as a string, and order their fields as below.
LIVE_HEAD = ("id", "uuid", "host_id", "topic", "type", "start_time", "timezone", "duration")
REASONS = {"left": "{name} left the {kind}.", "ended": "{name} left the {kind}.<br>Reason: Host ended the {kind}."}
# Participant fields in each kind's order (their examples differ); None marks the event's
# own time field (join_time / leave_time, leave_reason).
MEETING_PARTICIPANT = ("user_id", "user_name", "id", "participant_uuid", None, "email", "registrant_id",
                       "participant_user_id", "customer_key", "phone_number")
WEBINAR_PARTICIPANT = ("user_id", "user_name", "id", None, "email", "registrant_id", "participant_user_id",
                       "participant_uuid", "customer_key", "phone_number")
OPTIONAL = ("registrant_id", "customer_key", "phone_number")     # left out when empty


def _object(step: Step) -> dict[str, Any] | None:
    """The live events' object head: the meeting as it is, this instance's UUID and start."""
    row = meetings_repo.get(step.db, int(step.data["meeting_id"]))
    if row is None:
        return None
    obj = head(row.data(), LIVE_HEAD)
    obj.update(id=str(row.id), uuid=str(step.data["uuid"]), start_time=str(step.data["start_time"]))
    return obj


def _emitted(step: Step, name: str, payload: dict[str, Any]) -> list[Emitted]:
    return [Emitted(f"{step.kind}.{name}", payload, str(step.data.get("host_id") or ""))]


def started(step: Step) -> list[Emitted]:
    obj = _object(step)
    if obj is None:
        return []
    obj["start_time"] = str(step.data["time"])
    return _emitted(step, "started", {"object": obj})


def ended(step: Step) -> list[Emitted]:
    """The instance that just ended (the meeting already holds its next run's UUID)."""
    obj = _object(step)
    if obj is None:
        return []
    end_time = str(step.data.get("end_time") or step.data["time"])
    if step.kind == "webinar":   # the webinar example puts end_time before duration
        duration = obj.pop("duration")
        obj.update(end_time=end_time, duration=duration)
    else:
        obj["end_time"] = end_time
    return _emitted(step, "ended", {"object": obj})


def _session(step: Step) -> inst_repo.SessionRow | None:
    """The session that joined or left. One that sat in the waiting room is not reported as in
    the meeting: Zoom tells of it with the waiting-room events, which zoomsim does not send."""
    found = inst_repo.sessions(step.db, int(step.data["instance_seq"]), session_id=str(step.data["participant_id"]))
    if not found or found[-1].data().get("status") == "in_waiting_room":
        return None
    return found[-1]


def _participant(step: Step, session: inst_repo.SessionRow, moment: dict[str, str]) -> dict[str, Any]:
    """Who joined or left, as Zoom names them: user_id is the per-meeting participant id, id
    the signed-in user's id (empty for a guest), participant_uuid and participant_user_id the
    person across their sessions of this instance (the reports' participant_user_id). An
    email Zoom does not know (a guest who gave none, a phone caller) is empty, as Zoom sends it."""
    doc = session.data()
    values = {"user_id": session.id, "user_name": session.name, "id": session.user_id,
              "participant_uuid": session.person, "email": session.email, "registrant_id": session.registrant_id,
              "participant_user_id": session.person, "customer_key": str(doc.get("customer_key") or ""),
              "phone_number": session.phone_number}
    order = WEBINAR_PARTICIPANT if step.kind == "webinar" else MEETING_PARTICIPANT
    out: dict[str, Any] = {}
    for key in order:
        if key is None:
            out.update(moment)
        elif key not in OPTIONAL or values[key]:
            out[key] = values[key]
    return out


def participant_joined(step: Step) -> list[Emitted]:
    obj, session = _object(step), _session(step)
    if obj is None or session is None:
        return []
    obj["participant"] = _participant(step, session, {"join_time": str(step.data["time"])})
    return _emitted(step, "participant_joined", {"object": obj})


def participant_left(step: Step) -> list[Emitted]:
    obj, session = _object(step), _session(step)
    if obj is None or session is None:
        return []
    reason = REASONS.get(str(step.data.get("reason") or "left"), REASONS["left"])
    moment = {"leave_time": str(step.data["time"]),
              "leave_reason": reason.format(name=session.name, kind=step.kind)}
    obj["participant"] = _participant(step, session, moment)
    return _emitted(step, "participant_left", {"object": obj})


def _chat_role(step: Step, session: inst_repo.SessionRow, *, sender: bool) -> str:
    """Zoom's sender_type / recipient_type: the host is "host"; a webinar's panelist sends as
    "panelist"; anyone else is a "guest"."""
    role = str(session.data().get("role") or "attendee")
    if role == "host":
        return "host"
    if role == "panelist" and sender and step.kind == "webinar":
        return "panelist"
    return "guest"


def chat_message_sent(step: Step) -> list[Emitted]:
    seq = int(step.data["instance_seq"])
    by = inst_repo.sessions(step.db, seq, session_id=str(step.data["participant_id"]))
    if not by:
        return []
    sender = by[-1]
    context = step.kind        # "meeting" or "webinar": where the message was said
    message: dict[str, Any] = {"date_time": str(step.data["time"]), "sender_session_id": sender.id,
                               "sender_name": sender.name}
    if sender.email:
        message["sender_email"] = sender.email
    message.update(sender_type=_chat_role(step, sender, sender=True), sender_context=context)
    to = str(step.data.get("to") or "")
    found = inst_repo.sessions(step.db, seq, session_id=to) if to else []
    if found:
        recipient = found[-1]
        message.update(recipient_session_id=recipient.id, recipient_name=recipient.name)
        if recipient.email:
            message["recipient_email"] = recipient.email
        message["recipient_type"] = _chat_role(step, recipient, sender=False)
    else:
        message["recipient_type"] = "everyone"
    message.update(recipient_context=context, message_id=str(step.data["message_id"]),
                   message_content=str(step.data.get("message") or ""))
    if step.data.get("file_ids"):
        message["file_ids"] = [str(f) for f in step.data["file_ids"]]
    obj = {"id": int(step.data["meeting_id"]), "uuid": str(step.data["uuid"]), "chat_message": message}
    return _emitted(step, "chat_message_sent", {"object": obj})


BUILDERS: dict[str, Callable[..., list[Emitted]]] = {}
LOADERS: dict[str, Callable[..., Any]] = {}
STEP_BUILDERS: dict[str, Callable[[Step], list[Emitted]]] = {}
for _kind in ("meeting", "webinar"):
    STEP_BUILDERS[f"{_kind}.started"] = started
    STEP_BUILDERS[f"{_kind}.participant_joined"] = participant_joined
    STEP_BUILDERS[f"{_kind}.participant_left"] = participant_left
    STEP_BUILDERS[f"{_kind}.chat_message_sent"] = chat_message_sent
    STEP_BUILDERS[f"{_kind}.ended"] = ended
