"""Zoom Events reports on what was said: the survey report (answers to the surveys of the
sessions' meetings and webinars) and the chat transcripts report (their in-meeting chat).

Both read the instance records the admin simulation wrote (kinds `survey` and `chat`) in every
run of every session's meeting or webinar. An anonymous survey (the meeting survey's default)
hides who answered: no e-mail, as the reference says. Chat is reported once a run has ended:
until then its messages can still be edited and deleted through the live chat API. A message
to everyone is in-meeting/webinar chat; one sent to a single participant a private 1:1 chat."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented
from zoomsim.storage import events as events_repo
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import parts as meeting_parts
from zoomsim.zoom_events import access, parts
from zoomsim.zoom_events.attendance import page_of

IN_MEETING, PRIVATE = "In-meeting/webinar Chat", "Private 1:1 Chat"


def _runs(ctx: Ctx, event: events_repo.EventRow) -> list[tuple[events_repo.SessionRow, inst_repo.InstanceRow]]:
    """(session, run of its meeting) pairs, in the event's session order then run order."""
    out = []
    for row in events_repo.sessions_of(ctx.db, event.id):
        if row.meeting_id is None:
            continue
        out += [(row, i) for i in inst_repo.of_meeting(ctx.db, row.meeting_id, ended=False)
                if i.account_id == ctx.account_id]
    return out


# --- surveys ---------------------------------------------------------------------------------

def _survey_event(ctx: Ctx, event_id: str) -> events_repo.EventRow:
    """This operation documents a missing event as code 404 "Event not found."."""
    try:
        return access.load_event(ctx, event_id)
    except ZoomError as exc:
        if exc.code == 2002:
            raise documented(ctx, 404, access.NOT_FOUND, status=404) from None
        raise


def event_survey(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """One entry per survey response, in the order they were given."""
    event = _survey_event(ctx, inp.path["eventId"])
    items = []
    for row, instance in _runs(ctx, event):
        survey = meeting_parts.get(ctx.db, instance.meeting_id, "survey") or {}
        anonymous = (survey.get("custom_survey") or {}).get("anonymous", True) is not False
        for i, answer in enumerate(inst_repo.records(ctx.db, instance.seq, "survey")):
            entry: dict[str, Any] = {"session_id": row.id, "session_name": str(row.data().get("name") or ""),
                                     "question_and_answers": [{"question": str(d.get("question") or ""),
                                                               "answer": str(d.get("answer") or "")}
                                                              for d in answer.get("details") or []]}
            if not anonymous:
                entry["email"] = str((answer.get("participant") or {}).get("email") or "")
            items.append((f"{answer.get('date_time') or ''}|{instance.seq:012d}|{i:06d}", entry))
    try:
        shown, total, token = page_of(ctx, f"ze_survey_report:{event.id}", inp.query, items)
    except ZoomError as exc:
        if exc.code == 300:
            raise documented(ctx, 400, "Invalid page_size or event_id/next_page_token.", status=400) from None
        raise
    return {"total_records": total, "next_page_token": token, "surveys": shown}


# --- chat ------------------------------------------------------------------------------------

def chat_transcripts(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Every message of every ended run of the sessions' meetings, in the order sent; deleted
    ones are gone, edited ones read as edited."""
    event = access.load_event(ctx, inp.path["eventId"])
    items = []
    for row, instance in _runs(ctx, event):
        if instance.end_time is None:
            continue
        channel = parts.derived_id("ze-chat", instance.uuid)
        name = str(row.data().get("name") or "")
        for i, msg in enumerate(inst_repo.records(ctx.db, instance.seq, "chat")):
            if msg.get("deleted"):
                continue
            sender = msg.get("sender") or {}
            items.append((f"{msg.get('date_time') or ''}|{instance.seq:012d}|{i:06d}", {
                "chat_type": IN_MEETING if not msg.get("to") else PRIVATE,
                "chat_name": name if not msg.get("to") else f"{name} - {(msg.get('to') or {}).get('name') or ''}",
                "sender": str(sender.get("name") or ""), "sender_email": str(sender.get("email") or ""),
                "message_time": str(msg.get("date_time") or ""), "message": str(msg.get("message") or ""),
                "chat_channel_id": channel, "message_id": str(msg.get("message_id") or "")}))
    shown, total, token = page_of(ctx, f"ze_chat_report:{event.id}", inp.query, items)
    return {"total_records": total, "next_page_token": token, "chat_transcripts": shown}


HANDLERS: dict[str, Callable[..., Any]] = {
    "EventSurveyReportApi": event_survey,
    "ChatTranscriptsReport": chat_transcripts,
}
