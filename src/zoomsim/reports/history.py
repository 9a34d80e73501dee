"""Reports over many past meeting instances: one user's meetings (reportMeetings), the
account's meeting history (Gethistorymeetingandwebinarlist), and its dial-in usage
(reportTelephone). Paid plans only; days are UTC days (dates.window).

Lists run oldest first, on (time, instance or session seq) keysets, so a page token carries the
last key it listed and later pages neither skip nor repeat rows when new meetings end.

Zoom's meetings run at most 30 hours, so a call or an end time inside the window belongs to an
instance that started at most TWO days before it: the lists that filter on anything but the
instance's start time still narrow on the (account_id, start_time) index first."""
from __future__ import annotations

import math
from datetime import timedelta
from typing import Any, Callable, Sequence

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented
from zoomsim.reports.dates import Window, paid_only, window
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.schema import instance_records as rec_t
from zoomsim.storage.schema import instances as t
from zoomsim.storage.schema import meeting_parts as parts_t
from zoomsim.storage.schema import participants as p_t

WIDEN = timedelta(days=2)
BATCH = 200
TRASHED = "_trashed_at"          # a summary moved to the trash (meetings.summaries)

# Every flag of the history list's feature_used object, in the spec's order.
FEATURE_FLAGS = (
    "screen_sharing", "video_on", "remote_control", "closed_caption", "breakout_room",
    "language_interpretation", "telephone_usage", "in_meeting_chat", "poll", "join_by_room",
    "waiting_room", "live_transcription", "reaction", "zoom_apps", "annotation", "raise_hand",
    "virtual_background", "whiteboard", "immersive_scene", "avatar", "switch_to_mobile", "file_sharing",
    "meeting_summary", "meeting_questions", "record_to_computer", "record_to_cloud", "live_translation",
    "registration", "smart_recording", "multi_speaker", "meeting_wallpaper", "gen_ai_virtual_background",
    "multi_share", "document_collaboration", "portrait_lighting", "personalized_audio_isolation",
    "color_themes",
)
REPORT_KINDS = {"poll": "poll", "survey": "survey", "qa": "qa"}   # report_type -> instance record kind

# Telephone report: which call types each `type` covers, and the per-minute rates (USD) the
# simulated audio-conferencing plan charges. Toll-free and call-out cost more outside the US.
TOLL_FREE_TYPES = ("toll-free", "call-out")
TOLL_TYPES = ("Toll", "call-in", "US toll-number", "global toll-number", "premium", "premium call-in")
CALL_TYPES = {"1": TOLL_FREE_TYPES, "2": TOLL_TYPES, "3": ()}   # '3' SIP connected audio: never recorded
RATES = {"toll-free": 0.04, "call-out": 0.07, "Toll": 0.0, "call-in": 0.0, "US toll-number": 0.0,
         "global toll-number": 0.02, "premium": 0.15, "premium call-in": 0.15}
ABROAD_RATES = {"toll-free": 0.12, "call-out": 0.10}
HOME_COUNTRY = "United States of America"


def _after(column: Any, cursor: Any) -> Any:
    """Rows after a [time, seq] keyset cursor."""
    stamp, seq = str(cursor[0]), int(cursor[1])
    return sa.or_(column > stamp, sa.and_(column == stamp, t.c.seq > seq))


def page_cursor(value: Any) -> tuple[str, int]:
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], int)):
        raise ZoomError(400, 300, "The next page token is invalid or expired.")
    return str(value[0]), int(value[1])


def widened_start(w: Window) -> str:
    return (w.first - WIDEN).strftime("%Y-%m-%dT00:00:00Z")


# ---- reportMeetings ------------------------------------------------------------------------------

def _report_user(ctx: Ctx, raw: str) -> users_repo.UserRow:
    key = ctx.user_id if raw == "me" else raw
    row = users_repo.get(ctx.db, ctx.account_id, key) if key else None
    if row is None:
        raise documented(ctx, 1001, "User {userId} not exist or not belong to this account.", 404,
                         userId=raw)
    return row


def _signed_in_counts(ctx: Ctx, seqs: Sequence[int]) -> dict[int, int]:
    """Unique signed-in people of the account per instance (participants_count_my_account)."""
    if not seqs:
        return {}
    q = (sa.select(p_t.c.instance_seq, sa.func.count(sa.distinct(p_t.c.person)))
         .where(p_t.c.instance_seq.in_(list(seqs)), p_t.c.user_id != "", p_t.c.account_id == ctx.account_id)
         .group_by(p_t.c.instance_seq))
    rows: Any = ctx.db.execute(q)
    return {int(seq): int(n) for seq, n in rows}


def _joined_sessions(user_id: str) -> Any:
    """Per instance, the user's first join and last leave (a subquery for pastJoined)."""
    return (sa.select(p_t.c.instance_seq.label("iseq"), sa.func.min(p_t.c.join_time).label("first_join"),
                      sa.func.max(p_t.c.leave_time).label("last_leave"))
            .where(p_t.c.user_id == user_id).group_by(p_t.c.instance_seq).subquery())


def _user_meetings_query(ctx: Ctx, user: users_repo.UserRow, kind: str, w: Window) -> tuple[Any, list[Any]]:
    """(select of instance columns [+ join/leave], conditions) for one report type."""
    conds = [t.c.account_id == ctx.account_id, t.c.end_time.is_not(None),
             t.c.start_time >= w.start_iso, t.c.start_time < w.end_iso]
    if kind == "pastJoined":
        joined = _joined_sessions(user.id)
        q = (sa.select(*inst_repo.COLS, joined.c.first_join, joined.c.last_leave)
             .select_from(t.join(joined, joined.c.iseq == t.c.seq)))
        return q, conds
    conds.append(t.c.host_id == user.id)
    conds.append(t.c.participants == 1 if kind == "pastOne" else t.c.participants >= 2)
    return sa.select(*inst_repo.COLS), conds


def _user_meeting_item(row: inst_repo.InstanceRow, joined: tuple[Any, Any] | None, mine: int,
                       organization: str) -> dict[str, Any]:
    doc = row.data()
    item: dict[str, Any] = {
        "uuid": row.uuid, "id": row.meeting_id, "topic": row.topic, "type": row.type,
        "start_time": row.start_time, "end_time": row.end_time, "duration": row.duration,
        "total_minutes": row.participant_minutes, "participants_count": row.participants,
        "user_name": str(doc.get("host_name") or ""), "user_email": str(doc.get("host_email") or ""),
        "host_name": str(doc.get("host_name") or ""), "host_organization": organization,
        "source": str(doc.get("source") or "Zoom"), "custom_keys": [],
        "schedule_time": str(doc.get("schedule_time") or row.start_time),
        "has_screen_share": False, "has_chat": "chat" in (doc.get("features") or []),
        "has_recording": row.recording_bytes > 0 or doc.get("auto_recording") in ("cloud", "local"),
        "meeting_encryption_status": 1, "participants_count_my_account": mine,
    }
    if joined is not None:
        item["join_time"] = str(joined[0] or "")
        item["leave_time"] = str(joined[1] or "")
    return item


def _organization(ctx: Ctx) -> str:
    account = accounts_repo.get(ctx.db, ctx.account_id)
    return str(jsonio.loads(account.doc).get("name") or "") if account is not None else ""


def user_meetings(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """past: instances the user hosted with two or more people; pastOne: with exactly one;
    pastJoined: instances the user joined signed in, with their first join and last leave."""
    paid_only(ctx)
    user = _report_user(ctx, str(inp.path["userId"]).strip())
    w = window(ctx, inp.query)
    kind = str(inp.query.get("type") or "past")
    base, conds = _user_meetings_query(ctx, user, kind, w)

    def fetch(after: Any, offset: int, limit: int) -> list[Any]:
        where = list(conds)
        if after is not None:
            where.append(_after(t.c.start_time, page_cursor(after)))
        stmt = base.where(*where).order_by(t.c.start_time, t.c.seq).limit(limit)
        if after is None and offset:
            stmt = stmt.offset(offset)
        return list(ctx.db.execute(stmt))

    def count() -> int:
        inner = base.where(*conds).subquery()
        return int(ctx.db.execute(sa.select(sa.func.count()).select_from(inner)).scalar_one())

    page = ctx.services.pager.paginate(
        f"report_user_meetings:{ctx.account_id}:{user.id}", inp.query, ctx.now, fetch=fetch, count=count,
        cursor_of=lambda r: [r.start_time, r.seq], filters=("from", "to", "type"))
    width = len(inst_repo.InstanceRow._fields)
    rows = [(inst_repo.InstanceRow._make(tuple(r)[:width]), tuple(r)[width:]) for r in page.rows]
    mine = _signed_in_counts(ctx, [r.seq for r, _ in rows])
    organization = _organization(ctx)
    items = [_user_meeting_item(r, extra if kind == "pastJoined" else None, mine.get(r.seq, 0), organization)
             for r, extra in rows]
    out = page.envelope("meetings", items, with_page_number=True)
    return {"from": w.first.isoformat(), "to": w.last.isoformat(), **out}


# ---- Gethistorymeetingandwebinarlist -------------------------------------------------------------

def _history_conds(ctx: Ctx, q: dict[str, Any], w: Window, field: Any) -> list[Any]:
    conds = [t.c.account_id == ctx.account_id, t.c.end_time.is_not(None),
             field >= w.start_iso, field < w.end_iso]
    if field is not t.c.start_time:   # narrow on the start index: an instance ends within WIDEN of starting
        conds += [t.c.start_time >= widened_start(w), t.c.start_time < w.end_iso]
    meeting_type = str(q.get("meeting_type") or "all")
    if meeting_type != "all":
        conds.append(t.c.kind == meeting_type)
    report_type = str(q.get("report_type") or "all")
    if report_type != "all":
        kind = REPORT_KINDS.get(report_type)
        if kind is None:         # resources and reactions are never recorded
            conds.append(sa.false())
        else:
            conds.append(sa.exists().where(rec_t.c.instance_seq == t.c.seq, rec_t.c.kind == kind))
    key = str(q.get("search_key") or "").strip()
    if key:
        matches = [sa.func.lower(t.c.topic).contains(key.lower(), autoescape=True)]
        digits = key.replace(" ", "").replace("-", "")
        if digits.isascii() and digits.isdigit() and len(digits) <= 18:   # '²'.isdigit(), yet int() refuses it
            matches.append(t.c.meeting_id == int(digits))
        conds.append(sa.or_(*matches))
    return conds


def _summaries(ctx: Ctx, rows: Sequence[inst_repo.InstanceRow]) -> set[str]:
    """Instance UUIDs whose AI summary exists and is not in the trash."""
    if not rows:
        return set()
    q = sa.select(parts_t.c.id, parts_t.c.doc).where(
        parts_t.c.kind == "summary", parts_t.c.meeting_id.in_(sorted({r.meeting_id for r in rows})),
        parts_t.c.id.in_([r.uuid for r in rows]))
    found: Any = ctx.db.execute(q)
    return {str(pid) for pid, doc in found if TRASHED not in jsonio.loads(doc)}


def _features(row: inst_repo.InstanceRow, doc: dict[str, Any], summarised: bool) -> dict[str, bool]:
    """What the stored instance tells: dial-ins, polls, Q&A and chat given, recording and
    meeting settings, the summary. Nothing else is simulated, so every other flag is false."""
    kinds = set(doc.get("features") or [])
    known = {
        "telephone_usage": row.dial_ins > 0,
        "poll": "poll" in kinds,
        "meeting_questions": "qa" in kinds,
        "in_meeting_chat": "chat" in kinds,
        "record_to_cloud": doc.get("auto_recording") == "cloud",
        "record_to_computer": doc.get("auto_recording") == "local",
        "waiting_room": bool(doc.get("waiting_room")),
        "registration": bool(doc.get("registration")),
        "meeting_summary": summarised,
    }
    return {flag: known.get(flag, False) for flag in FEATURE_FLAGS}


def _history_item(row: inst_repo.InstanceRow, doc: dict[str, Any], flags: dict[str, bool]) -> dict[str, Any]:
    return {
        "meeting_uuid": row.uuid, "meeting_id": row.meeting_id,
        "type": "Webinar" if row.kind == "webinar" else "Meeting",
        "host_display_name": str(doc.get("host_name") or ""), "host_email": str(doc.get("host_email") or ""),
        "start_time": row.start_time, "end_time": row.end_time or "", "topic": row.topic,
        "participants": row.participants, "duration": row.duration,
        "total_participant_minutes": row.participant_minutes, "department": str(doc.get("dept") or ""),
        "group": [], "source": str(doc.get("source") or "Zoom"), "unique_viewers": 0, "max_concurrent_views": 0,
        "create_time": str(doc.get("created_at") or ""), "custom_fields": [],
        "tracking_fields": [{"field": str(x.get("field") or ""), "value": str(x.get("value") or "")}
                            for x in doc.get("tracking_fields") or []],
        "feature_used": flags,
    }


def history_meetings(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """The account's ended instances whose start (or end) falls in the window, filtered by
    kind, recorded reports, topic or number, and features used (any of a comma list)."""
    paid_only(ctx)
    q = inp.query
    w = window(ctx, q, months_back_limit=12)
    date_type = str(q.get("date_type") or "start_time")
    field = t.c.end_time if date_type == "end_time" else t.c.start_time
    conds = _history_conds(ctx, q, w, field)
    wanted = {f.strip() for f in str(q.get("meeting_feature") or "").split(",") if f.strip()}
    unknown = sorted(wanted - set(FEATURE_FLAGS))
    if unknown:
        raise ZoomError(400, 300, f"Invalid parameter: {unknown[0]}.")

    def batch(after: tuple[str, int] | None, size: int) -> list[inst_repo.InstanceRow]:
        where = list(conds)
        if after is not None:
            where.append(_after(field, after))
        stmt = sa.select(*inst_repo.COLS).where(*where).order_by(field, t.c.seq).limit(size)
        return [inst_repo.InstanceRow._make(r) for r in ctx.db.execute(stmt)]

    def fetch(after: Any, offset: int, limit: int) -> list[tuple[inst_repo.InstanceRow, dict[str, Any]]]:
        """Matching items from the cursor on: rows come in batches, the feature filter runs
        here (flags live in documents), `offset` skips matches for page_number paging."""
        out: list[tuple[inst_repo.InstanceRow, dict[str, Any]]] = []
        cursor = None if after is None else page_cursor(after)
        skip = offset if after is None else 0
        while len(out) < limit:
            rows = batch(cursor, BATCH)
            summarised = _summaries(ctx, rows)
            for row in rows:
                cursor = (str(getattr(row, field.key)), row.seq)
                doc = row.data()
                flags = _features(row, doc, row.uuid in summarised)
                if wanted and not any(flags[f] for f in wanted):
                    continue
                if skip:
                    skip -= 1
                    continue
                out.append((row, _history_item(row, doc, flags)))
                if len(out) >= limit:
                    break
            if len(rows) < BATCH:
                break
        return out

    page = ctx.services.pager.paginate(
        f"report_history:{ctx.account_id}", q, ctx.now, fetch=fetch, count=lambda: 0,
        cursor_of=lambda pair: [str(getattr(pair[0], field.key)), pair[0].seq],
        filters=("from", "to", "date_type", "meeting_type", "report_type", "search_key", "meeting_feature",
                 "group_id"))
    return {"next_page_token": page.next_page_token, "page_size": page.page_size,
            "history_meetings": [item for _row, item in page.rows]}


# ---- reportTelephone -----------------------------------------------------------------------------

def _rate(call_type: str, country: str) -> float:
    if country and country != HOME_COUNTRY and call_type in ABROAD_RATES:
        return ABROAD_RATES[call_type]
    return RATES.get(call_type, 0.0)


def _call_item(session: inst_repo.SessionRow, row: inst_repo.InstanceRow, doc: dict[str, Any]) -> dict[str, Any]:
    data = session.data()
    call_type = str(data.get("call_type") or "toll-free")
    minutes = math.ceil(session.duration / 60)
    rate = _rate(call_type, str(data.get("country_name") or ""))
    return {
        "call_in_number": str(data.get("call_in_number") or doc.get("call_in_number") or ""),
        "country_name": str(data.get("country_name") or ""),
        "dept": str(doc.get("dept") or ""),
        "duration": minutes,
        "start_time": session.join_time,
        "end_time": session.leave_time or "",
        "host_email": str(doc.get("host_email") or ""),
        "host_id": row.host_id,
        "host_name": str(doc.get("host_name") or ""),
        "meeting_id": row.meeting_id,
        "meeting_type": "Webinar" if row.kind == "webinar" else "Meeting",
        "phone_number": session.phone_number,
        "rate": rate,
        "total": round(rate * minutes, 2),
        "signaled_number": session.phone_number,
        "type": call_type,
        "uuid": row.uuid,
    }


def _calls(ctx: Ctx, w: Window, date_type: str, types: tuple[str, ...]) -> list[tuple[str, int, dict[str, Any]]]:
    """(sort time, session seq, item) for every dial-in leg whose chosen time is in the window,
    oldest first: instances come off the start index (widened for calls and ends that fall
    after their instance began), then their dial-in sessions."""
    if not types:
        return []
    low = w.start_iso if date_type == "meeting_start_time" else widened_start(w)
    stmt = sa.select(*inst_repo.COLS).where(
        t.c.account_id == ctx.account_id, t.c.start_time >= low, t.c.start_time < w.end_iso,
        t.c.end_time.is_not(None))
    instances = {r.seq: inst_repo.InstanceRow._make(r) for r in ctx.db.execute(stmt)}
    if not instances:
        return []
    sq = (sa.select(*inst_repo.SESSION_COLS)
          .where(p_t.c.instance_seq.in_(sorted(instances)), p_t.c.phone_number != "", p_t.c.leave_time.is_not(None)))
    docs: dict[int, dict[str, Any]] = {}
    out = []
    for raw in ctx.db.execute(sq):
        session = inst_repo.SessionRow._make(raw)
        row = instances[session.instance_seq]
        if str(session.data().get("call_type") or "toll-free") not in types:
            continue
        stamp = {"start_time": session.join_time, "end_time": session.leave_time or "",
                 "meeting_start_time": row.start_time, "meeting_end_time": row.end_time or ""}[date_type]
        if not w.start_iso <= stamp < w.end_iso:
            continue
        doc = docs.setdefault(row.seq, row.data())
        out.append((stamp, session.seq, _call_item(session, row, doc)))
    out.sort(key=lambda c: (c[0], c[1]))
    return out


def telephone(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Dial-in legs of the account's meetings, by call type, dated by the call or by its
    meeting. Dated by the meeting, Zoom gives no page numbers or totals, so neither do we."""
    paid_only(ctx)
    q = dict(inp.query)
    w = window(ctx, q)
    date_type = str(q.get("query_date_type") or "start_time")
    by_meeting = date_type.startswith("meeting_")
    if by_meeting:
        q.pop("page_number", None)
    calls = _calls(ctx, w, date_type, CALL_TYPES.get(str(q.get("type") or "1"), ()))

    def fetch(after: Any, offset: int, limit: int) -> list[tuple[str, int, dict[str, Any]]]:
        if after is not None:
            key = page_cursor(after)
            return [c for c in calls if (c[0], c[1]) > key][:limit]
        return calls[offset:offset + limit]

    page = ctx.services.pager.paginate(
        f"report_telephone:{ctx.account_id}", q, ctx.now, fetch=fetch, count=lambda: len(calls),
        cursor_of=lambda c: [c[0], c[1]], filters=("from", "to", "type", "query_date_type"))
    out: dict[str, Any] = {"from": w.first.isoformat(), "to": w.last.isoformat(),
                           "next_page_token": page.next_page_token, "page_size": page.page_size}
    if not by_meeting:
        out["page_count"] = page.page_count
        out["total_records"] = page.total_records
    out["telephony_usage"] = [c[2] for c in page.rows]
    return out


HANDLERS: dict[str, Callable[..., Any]] = {
    "reportMeetings": user_meetings,
    "Gethistorymeetingandwebinarlist": history_meetings,
    "reportTelephone": telephone,
}
