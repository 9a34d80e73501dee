"""Past meetings and webinars: what an ended instance looked like (details, the list of a
meeting's ended instances, its participant sessions), in records.py the poll votes and Q&A
given in it, in absentees.py a webinar's registrants who never came. Everything is read from
the instance rows the simulation writes when a run ends; nothing here is computed from the
meeting's schedule. The webinar operations are the meeting ones at webinar paths (see
webinars/handlers.py): lookup.find keeps each path to its own kind."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim.context import Ctx, Input
from zoomsim.errors import documented
from zoomsim.meetings.summaries import KIND as SUMMARY_KIND
from zoomsim.meetings.summaries import TRASHED
from zoomsim.meetings.access import find_meeting
from zoomsim.past_meetings import absentees, records
from zoomsim.past_meetings.lookup import find as find_instance
from zoomsim.platform.paging import Page
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import parts as parts_repo


def _paid_only(ctx: Ctx) -> None:
    """Past-meeting details and participants are paid features; a free account gets the
    operation's own code-200 wording, naming the account."""
    if ctx.plan == "free":
        raise documented(ctx, 200, "Only available for paid account: {accountId}.", containing="only available",
                         accountId=ctx.account_id)


def _has_summary(ctx: Ctx, instance: inst_repo.InstanceRow) -> bool:
    """The instance's AI Companion summary exists and has not been moved to the trash."""
    doc = parts_repo.get(ctx.db, instance.meeting_id, SUMMARY_KIND, instance.uuid)
    return doc is not None and not doc.get(TRASHED)


def past_meeting_details(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _paid_only(ctx)
    instance = find_instance(ctx, ctx.subject(inp))
    doc = instance.data()
    return {
        "id": instance.meeting_id,
        "uuid": instance.uuid,
        "duration": instance.duration,
        "start_time": instance.start_time,
        "end_time": instance.end_time or "",
        "host_id": instance.host_id,
        "dept": str(doc.get("dept") or ""),
        "participants_count": instance.participants,
        "source": str(doc.get("source") or ""),
        "topic": instance.topic,
        "total_minutes": instance.participant_minutes,
        "type": instance.type,
        "user_email": str(doc.get("host_email") or ""),
        "user_name": str(doc.get("host_name") or ""),
        "has_meeting_summary": _has_summary(ctx, instance),
    }


def past_meeting_instances(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Every ended run of a meeting (or webinar: listed under "webinars"), oldest first. The
    path takes a number only; one that never ran lists nothing rather than failing."""
    meeting = find_meeting(ctx, ctx.subject(inp))
    runs = inst_repo.of_meeting(ctx.db, meeting.id, ended=True)
    return {ctx.kind.collection: [{"uuid": r.uuid, "start_time": r.start_time} for r in runs]}


def participant(session: inst_repo.SessionRow) -> dict[str, Any]:
    """One session as Zoom lists it: `id` is the signed-in user's id (empty for guests),
    `user_id` the per-meeting participant id; duration in seconds. The participants report
    builds on this."""
    doc = session.data()
    return {
        "id": session.user_id,
        "name": session.name,
        "user_id": session.id,
        "registrant_id": session.registrant_id,
        "user_email": session.email,
        "join_time": session.join_time,
        "leave_time": session.leave_time or "",
        "duration": session.duration,
        "failover": False,
        "status": str(doc.get("status") or "in_meeting"),
        "internal_user": bool(doc.get("internal_user")),
    }


def past_meeting_participants(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Participant sessions in join order, keyset-paged; a page token only fits the instance
    that issued it (by number, a newer run ending in between makes old tokens stale)."""
    _paid_only(ctx)
    instance = find_instance(ctx, ctx.subject(inp))
    page = session_page(ctx, "past_participants", instance, inp.query)
    return page.envelope("participants", [participant(s) for s in page.rows])


def session_page(ctx: Ctx, scope: str, instance: inst_repo.InstanceRow, query: dict[str, Any]) -> Page:
    """One page of an instance's sessions in join order, keyset on seq. The token is bound to
    the instance alone (other query keys may change between pages)."""
    return ctx.services.pager.paginate(
        f"{scope}:{ctx.account_id}:{instance.uuid}", query, ctx.now,
        fetch=lambda after, offset, limit: inst_repo.page_sessions(ctx.db, instance.seq, after, offset, limit),
        count=lambda: inst_repo.session_count(ctx.db, instance.seq),
        cursor_of=lambda row: row.seq,
        filters=(),
    )


HANDLERS: dict[str, Callable[..., Any]] = {
    "pastMeetingDetails": past_meeting_details,
    "pastMeetings": past_meeting_instances,
    "pastMeetingParticipants": past_meeting_participants,
    **records.HANDLERS,
    **absentees.HANDLERS,
}
