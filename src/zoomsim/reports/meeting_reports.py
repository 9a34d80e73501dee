"""Reports on one ended meeting or webinar instance: details, participant sessions, poll votes,
Q&A and survey answers. A number means its latest ended instance, anything else an instance
UUID (past_meetings.lookup does the finding and Zoom's checks, each path seeing its own kind
only). Paid plans only. The webinar reports are these handlers at webinar paths; where their
objects differ (the survey report's webinar_id / webinar_uuid) the kind names the fields.

Who gave what is grouped per person (participant_user_id, stable across re-joins). Anonymous
poll votes and anonymous questions are listed one entry each under "Anonymous" with no email,
so the report never shows that two of them came from the same person."""
from __future__ import annotations

import hashlib
from typing import Any, Callable

from zoomsim.context import Ctx, Input
from zoomsim.past_meetings import lookup
from zoomsim.past_meetings.handlers import participant, session_page
from zoomsim.past_meetings.records import ANONYMOUS, ANSWER_SEPARATOR, People
from zoomsim.reports.dates import paid_only
from zoomsim.storage import instances as inst_repo


def _instance(ctx: Ctx, inp: Input) -> inst_repo.InstanceRow:
    """The paid-plan check, then the instance (a missing one gets the operation's own 3001
    wording: the survey report's text speaks of a webinar, as Zoom's does)."""
    paid_only(ctx)
    return lookup.find(ctx, ctx.subject(inp))


def _split_name(name: str) -> tuple[str, str]:
    """First and last name from a display name: the first word, and the rest."""
    first, _, last = name.strip().partition(" ")
    return first, last.strip()


def _short_id(*parts: object) -> str:
    """A stable Zoom-looking id derived from what it names (same input, same id)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:22]


def _named(who: dict[str, Any]) -> dict[str, Any]:
    """A voter's or answerer's identity with first/last name; empty `who` means anonymous."""
    if not who:
        return {"name": ANONYMOUS, "email": "", "first_name": "", "last_name": ""}
    name = str(who.get("name") or "")
    first, last = _split_name(name)
    return {"name": name, "email": str(who.get("email") or ""), "first_name": first, "last_name": last}


# ---- handlers ------------------------------------------------------------------------------------

def meeting_details(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """The instance's stored totals and the host it ran under."""
    found = _instance(ctx, inp)
    doc = found.data()
    return {
        "custom_keys": [],
        "dept": str(doc.get("dept") or ""),
        "duration": found.duration,
        "end_time": found.end_time,
        "id": found.meeting_id,
        "participants_count": found.participants,
        "start_time": found.start_time,
        "topic": found.topic,
        "total_minutes": found.participant_minutes,
        "tracking_fields": [{"field": str(t.get("field") or ""), "value": str(t.get("value") or "")}
                            for t in doc.get("tracking_fields") or []],
        "type": found.type,
        "user_email": str(doc.get("host_email") or ""),
        "user_name": str(doc.get("host_name") or ""),
        "uuid": found.uuid,
    }


def _session_item(row: inst_repo.SessionRow, with_registrant: bool) -> dict[str, Any]:
    """The past-meeting participant, plus what only the report carries; registrant_id only
    when include_fields asks for it."""
    item = participant(row)
    del item["internal_user"]
    if not with_registrant:
        del item["registrant_id"]
    item.update(participant_user_id=row.person, customer_key=str(row.data().get("customer_key") or ""), bo_mtg_id="")
    return item


def meeting_participants(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Every session in join order (one per join: a re-join is a second entry). The page token
    is bound to the instance only, so include_fields may change between pages."""
    page = session_page(ctx, "report_participants", _instance(ctx, inp), inp.query)
    with_registrant = inp.query.get("include_fields") == "registrant_id"
    return page.envelope("participants", [_session_item(r, with_registrant) for r in page.rows])


def meeting_polls(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Each voter with one detail per poll question they answered, in voting order."""
    found = _instance(ctx, inp)
    people = People("question_details")
    for vote in inst_repo.records(ctx.db, found.seq, "poll"):
        details = [{"answer": str(d.get("answer") or ""), "date_time": str(vote.get("date_time") or ""),
                    "polling_id": str(vote.get("poll_id") or ""), "question": str(d.get("question") or "")}
                   for d in vote.get("details") or []]
        people.add(vote.get("participant") or {}, bool(vote.get("anonymous")), details, _named)
    return {"id": found.meeting_id, "uuid": found.uuid, "start_time": found.start_time,
            "questions": people.entries}


def _asker(who: dict[str, Any]) -> dict[str, Any]:
    if not who:
        return {"user_id": "", "name": ANONYMOUS, "email": ""}
    return {"user_id": str(who.get("user_id") or ""), "name": str(who.get("name") or ""),
            "email": str(who.get("email") or "")}


def meeting_qa(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Each asker with their questions; `answer` is every reply's text joined with "; "
    (empty while open), `answer_details` the replies themselves."""
    found = _instance(ctx, inp)
    people = People("question_details")
    for item in inst_repo.records(ctx.db, found.seq, "qa"):
        replies = item.get("answers") or []
        detail = {
            "question": str(item.get("question") or ""),
            "answer": ANSWER_SEPARATOR.join(str(a.get("content") or "") for a in replies),
            "question_id": str(item.get("question_id") or ""),
            "create_time": str(item.get("create_time") or ""),
            "question_status": str(item.get("status") or "open"),
            "answer_details": [{"user_id": str(a.get("user_id") or ""), "name": str(a.get("name") or ""),
                                "email": str(a.get("email") or ""), "content": str(a.get("content") or ""),
                                "create_time": str(a.get("create_time") or ""),
                                "type": str(a.get("type") or "default")} for a in replies],
        }
        people.add(item.get("asker") or {}, bool(item.get("anonymous")), [detail], _asker)
    return {"id": found.meeting_id, "uuid": found.uuid, "start_time": found.start_time,
            "questions": people.entries}


def meeting_survey(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Each respondent with their answers. The survey id is derived from the meeting (a
    meeting holds one survey), a question id from the question's text, so both stay the same
    from one report to the next."""
    found = _instance(ctx, inp)
    records = inst_repo.records(ctx.db, found.seq, "survey")
    people = People("answer_details")
    for answer in records:
        details = [{"question": str(d.get("question") or ""),
                    "question_id": _short_id("survey-question", found.meeting_id, d.get("question") or ""),
                    "answer": str(d.get("answer") or ""), "date_time": str(answer.get("date_time") or "")}
                   for d in answer.get("details") or []]
        people.add(answer.get("participant") or {}, False, details, _named)
    name = next((str(r.get("survey_name")) for r in reversed(records) if r.get("survey_name")), "")
    kind = ctx.kind.name
    return {f"{kind}_id": found.meeting_id, f"{kind}_uuid": found.uuid, "start_time": found.start_time,
            "survey_id": _short_id("survey", found.meeting_id), "survey_name": name,
            "survey_answers": people.entries}


HANDLERS: dict[str, Callable[..., Any]] = {
    "reportMeetingDetails": meeting_details,
    "reportMeetingParticipants": meeting_participants,
    "reportMeetingPolls": meeting_polls,
    "reportMeetingQA": meeting_qa,
    "reportMeetingSurvey": meeting_survey,
}
