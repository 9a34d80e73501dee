"""Account usage reports: daily usage, active/inactive hosts, cloud recording storage and upcoming
events. All are paid-plan reports.

Daily and host reports add up the totals stored on each ended instance (`instances` row: unique
participants, participant minutes) with one GROUP BY over the (account_id, start_time) index;
they never read participant sessions or decode instance documents, so a month over a large
account stays fast. A meeting counts on the UTC day it started, whatever its own time zone.

zoomsim has no user groups yet, so any `group_id` names a group that does not exist: 404/4130
"Group does not exist: {groupId}."."""
from __future__ import annotations

import bisect
from typing import Any, Callable, Sequence

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError
from zoomsim.platform.paging import invalid_token
from zoomsim.reports import billing, dates
from zoomsim.storage.schema import instances as inst_t
from zoomsim.storage.schema import meetings as meetings_t
from zoomsim.storage.schema import users as users_t

MB = 1024 * 1024
GB = 1024 * MB
CLOUD_MAX_GAP_DAYS = 30
# Cloud storage each licensed user brings under the plan (with at least one licence's worth),
# plus what the cloud recording add-on licence adds for the whole account: the "Cloud Recording
# Storage 30 GB" line billing.py charges for. The licensed-user count is today's (no history).
STORAGE_PER_LICENCE = {"pro": 5 * GB, "business": 1 * GB, "business_plus": 10 * GB, "enterprise": 1 * GB,
                       "education": 1 * GB}
CLOUD_ADDON_STORAGE = 30 * GB
# Which types have a start on the calendar, per `type` filter: one start each (scheduled and
# screen-share-only meetings, scheduled webinars), or one per occurrence (recurring, fixed time).
SCHEDULED_TYPES = {"meeting": (2, 10), "webinar": (5,)}
RECURRING_FIXED = {"meeting": (8,), "webinar": (9,)}
USER_FILTERS = ("type", "from", "to", "group_id")
EVENT_FILTERS = ("type", "from", "to", "group_id")


def no_such_group(query: dict[str, Any]) -> None:
    """zoomsim has no groups: whatever group is asked for does not exist."""
    group = query.get("group_id")
    if group not in (None, ""):
        raise ZoomError(404, 4130, f"Group does not exist: {group}.")


def _rows(ctx: Ctx, stmt: Any) -> list[Any]:
    return list(ctx.db.execute(stmt))


def _day(column: Any) -> Any:
    """The UTC day of a stored ISO time. The bounds are inlined so SELECT and GROUP BY hold the
    same expression (PostgreSQL refuses the two when they only differ by bound parameters)."""
    return sa.func.substr(column, sa.literal_column("1"), sa.literal_column("10"))


def _ended_meetings(account_id: str, window: dates.Window) -> list[Any]:
    """Ended meeting instances of the account that started inside the window. Webinars are
    left out: the daily and host reports count meetings, and their objects have no webinar
    fields to count them under."""
    return [inst_t.c.account_id == account_id, inst_t.c.start_time >= window.start_iso,
            inst_t.c.start_time < window.end_iso, inst_t.c.end_time.is_not(None), inst_t.c.kind == "meeting"]


# ---- GET /report/daily ---------------------------------------------------------------------------

def report_daily(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Per UTC day of the month (through today): new users, ended meetings that started that
    day, their unique participants and participant minutes."""
    dates.paid_only(ctx)
    no_such_group(inp.query)
    window = dates.month_window(ctx, inp.query.get("year"), inp.query.get("month"))
    day = _day(inst_t.c.start_time)
    usage_q = (sa.select(day, sa.func.count(), sa.func.coalesce(sa.func.sum(inst_t.c.participants), 0),
                         sa.func.coalesce(sa.func.sum(inst_t.c.participant_minutes), 0))
               .where(*_ended_meetings(ctx.account_id, window)).group_by(day))
    usage = {str(d): (int(n), int(p), int(m)) for d, n, p, m in _rows(ctx, usage_q)}
    joined_day = _day(users_t.c.created_at)
    users_q = (sa.select(joined_day, sa.func.count())
               .where(users_t.c.account_id == ctx.account_id, users_t.c.created_at >= window.start_iso,
                      users_t.c.created_at < window.end_iso)
               .group_by(joined_day))
    joined = {str(d): int(n) for d, n in _rows(ctx, users_q)}
    rows = []
    for d in window.days():
        key = d.isoformat()
        meetings, people, minutes = usage.get(key, (0, 0, 0))
        rows.append({"date": key, "new_users": joined.get(key, 0), "meetings": meetings,
                     "participants": people, "meeting_minutes": minutes})
    return {"year": window.first.year, "month": window.first.month, "dates": rows}


# ---- GET /report/users ---------------------------------------------------------------------------

def _host_totals(ctx: Ctx, window: dates.Window) -> dict[str, tuple[int, int, int]]:
    """host id -> (meetings, participants, participant minutes) over the window."""
    q = (sa.select(inst_t.c.host_id, sa.func.count(), sa.func.coalesce(sa.func.sum(inst_t.c.participants), 0),
                   sa.func.coalesce(sa.func.sum(inst_t.c.participant_minutes), 0))
         .where(*_ended_meetings(ctx.account_id, window)).group_by(inst_t.c.host_id))
    return {str(h): (int(n), int(p), int(m)) for h, n, p, m in _rows(ctx, q)}


def page_slice(keys: Sequence[Any], rows: Sequence[Any], after: Any, offset: int, limit: int) -> list[Any]:
    """A page of a list already in key order: keyset after `after` (a key), else from `offset`."""
    start = bisect.bisect_right(keys, after) if after is not None else offset
    return list(rows[start:start + limit])


def report_users(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Active hosts (hosted at least one ended meeting that started in the window) with their
    totals, or inactive ones (every other user of the account), in user creation order."""
    dates.paid_only(ctx)
    no_such_group(inp.query)
    q = inp.query
    window = dates.window(ctx, q)
    active = str(q.get("type") or "active") == "active"
    totals = _host_totals(ctx, window)
    members = _rows(ctx, sa.select(users_t.c.seq, users_t.c.id)
                    .where(users_t.c.account_id == ctx.account_id).order_by(users_t.c.seq))
    listed = [(int(seq), str(uid)) for seq, uid in members if (str(uid) in totals) == active]
    keys = [seq for seq, _ in listed]
    page = ctx.services.pager.paginate(
        f"report_users:{ctx.account_id}", q, ctx.now,
        fetch=lambda after, offset, limit: page_slice(keys, listed, None if after is None else int(after),
                                                  offset, limit),
        count=lambda: len(listed), cursor_of=lambda row: row[0], filters=USER_FILTERS,
    )
    ids = [uid for _, uid in page.rows]
    found: dict[str, Any] = {}
    if ids:
        page_q = sa.select(users_t.c.id, users_t.c.email, users_t.c.type, users_t.c.doc).where(
            users_t.c.account_id == ctx.account_id, users_t.c.id.in_(ids))
        found = {str(r.id): r for r in _rows(ctx, page_q)}
    items = []
    for uid in ids:
        row = found.get(uid)
        if row is None:      # removed since the list was read
            continue
        doc = jsonio.loads(row.doc)
        meetings, people, minutes = totals.get(uid, (0, 0, 0))
        items.append({"id": uid, "email": row.email, "user_name": doc.get("display_name") or "",
                      "type": int(row.type), "dept": doc.get("dept") or "", "meetings": meetings,
                      "participants": people, "meeting_minutes": minutes,
                      "custom_attributes": list(doc.get("custom_attributes") or [])})
    counted = [totals[uid] for _, uid in listed] if active else []
    out: dict[str, Any] = {"from": dates.parse_day(q.get("from"), "from").isoformat(),
                           "to": dates.parse_day(q.get("to"), "to").isoformat()}
    out.update(page.envelope("users", items, with_page_number=True))
    out["total_meetings"] = sum(t[0] for t in counted)
    out["total_participants"] = sum(t[1] for t in counted)
    out["total_meeting_minutes"] = sum(t[2] for t in counted)
    return out


# ---- GET /report/cloud_recording -------------------------------------------------------------------

def storage_text(size: int) -> str:
    """Bytes the way Zoom prints storage: '0 MB', '512.5 MB', '1.2 GB' (binary units, one decimal)."""
    value, units = size / MB, ("MB", "GB", "TB", "PB")
    unit = 0
    while unit < len(units) - 1 and round(value, 1) >= 1024:
        value /= 1024
        unit += 1
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text} {units[unit]}"


def storage_allowance(acct: billing.Account) -> int:
    """The account's cloud storage: its plan's share per licensed user (at least one), plus the
    cloud recording add-on when the account holds that licence."""
    total = STORAGE_PER_LICENCE.get(acct.plan, 0) * max(acct.licensed_users, 1)
    if acct.licences.get("cloud_recording"):
        total += CLOUD_ADDON_STORAGE
    return total


def _cloud_window(ctx: Ctx, query: dict[str, Any]) -> dates.Window:
    """The usual report checks, then this report's own: it runs up to yesterday, and over at
    most 30 days (counted from `from` to `to`)."""
    window = dates.window(ctx, query, one_month=False)
    last = dates.parse_day(query.get("to"), "to")
    if last >= dates.today(ctx):
        raise ZoomError(400, 300, "The 'to' date must be earlier than today: cloud recording usage is "
                                  "reported up to yesterday.")
    if (last - window.first).days > CLOUD_MAX_GAP_DAYS:
        raise ZoomError(400, 300, "The date range can not be more than 30 days.")
    return dates.Window(window.first, last)


def report_cloud_recording(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Per UTC day: bytes recorded by instances that ended that day, storage used through that day
    (all time) and what is left of the allowance."""
    dates.paid_only(ctx)
    no_such_group(inp.query)
    window = _cloud_window(ctx, inp.query)
    # an instance ends after it starts: bounding start_time too lets the account/start index
    # skip everything that began after the days asked for
    recorded = [inst_t.c.account_id == ctx.account_id, inst_t.c.recording_bytes > 0]
    before_q = sa.select(sa.func.coalesce(sa.func.sum(inst_t.c.recording_bytes), 0)).where(
        *recorded, inst_t.c.start_time < window.start_iso, inst_t.c.end_time < window.start_iso)
    used = int(ctx.db.execute(before_q).scalar() or 0)
    day = _day(inst_t.c.end_time)
    daily_q = (sa.select(day, sa.func.sum(inst_t.c.recording_bytes))
               .where(*recorded, inst_t.c.start_time < window.end_iso, inst_t.c.end_time >= window.start_iso,
                      inst_t.c.end_time < window.end_iso)
               .group_by(day))
    per_day = {str(d): int(n) for d, n in _rows(ctx, daily_q)}
    allowance = storage_allowance(billing.account(ctx))
    rows = []
    for d in window.days():
        size = per_day.get(d.isoformat(), 0)
        used += size
        rows.append({"date": d.isoformat(), "usage": storage_text(size), "plan_usage": storage_text(used),
                     "free_usage": storage_text(max(allowance - used, 0))})
    return {"from": window.first.isoformat(), "to": window.last.isoformat(), "cloud_recording_storage": rows}


# ---- GET /report/upcoming_events -------------------------------------------------------------------

def _occurrence_starts(doc: dict[str, Any]) -> list[str]:
    """A recurring meeting's starts still on the calendar (deleted occurrences left out)."""
    occurrences = doc.get("occurrences")
    if occurrences is None:
        return [str(doc["start_time"])] if doc.get("start_time") else []
    return [str(o["start_time"]) for o in occurrences if o.get("status") != "deleted" and o.get("start_time")]


def _events(ctx: Ctx, window: dates.Window, kinds: Sequence[str]) -> list[tuple[str, int, str]]:
    """(start, meeting id, host id) per start inside the window, in start order. One pass over
    the span columns (first start .. last end) finds the candidates; a scheduled meeting's start
    is its start_time column, so only recurring meetings have their documents read."""
    m = meetings_t.c
    per_occurrence = {t for k in kinds for t in RECURRING_FIXED[k]}
    types = sorted({t for k in kinds for t in SCHEDULED_TYPES[k]} | per_occurrence)
    q = sa.select(m.start_time, m.id, m.host_id, m.type).where(
        m.account_id == ctx.account_id, m.status != "deleted", m.type.in_(types),
        m.start_time < window.end_iso, m.end_time >= window.start_iso)
    out: list[tuple[str, int, str]] = []
    recurring: dict[int, str] = {}
    for start, mid, host, mtype in _rows(ctx, q):
        if int(mtype) in per_occurrence:
            recurring[int(mid)] = str(host)
        elif str(start) >= window.start_iso:
            out.append((str(start), int(mid), str(host)))
    for mid, doc in _docs(ctx, set(recurring)).items():
        out.extend((start, mid, recurring[mid]) for start in _occurrence_starts(doc)
                   if window.start_iso <= start < window.end_iso)
    out.sort()
    return out


def _docs(ctx: Ctx, meeting_ids: set[int], chunk: int = 500) -> dict[int, dict[str, Any]]:
    """Meeting documents by id, read in chunks (IN lists stay short on every backend)."""
    ordered, out = sorted(meeting_ids), {}
    for i in range(0, len(ordered), chunk):
        q = sa.select(meetings_t.c.id, meetings_t.c.doc).where(meetings_t.c.id.in_(ordered[i:i + chunk]))
        out.update({int(mid): jsonio.loads(doc) for mid, doc in _rows(ctx, q)})
    return out


def _hosts(ctx: Ctx, host_ids: set[str]) -> dict[str, dict[str, Any]]:
    if not host_ids:
        return {}
    q = sa.select(users_t.c.id, users_t.c.doc).where(users_t.c.account_id == ctx.account_id,
                                                     users_t.c.id.in_(sorted(host_ids)))
    return {str(uid): jsonio.loads(doc) for uid, doc in _rows(ctx, q)}


def _event_key(cursor: Any) -> tuple[str, int] | None:
    """A page token's cursor (start, meeting id) back as a sort key."""
    if cursor is None:
        return None
    if not (isinstance(cursor, list) and len(cursor) == 2):
        raise invalid_token()
    return str(cursor[0]), int(cursor[1])


def report_upcoming_events(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Scheduled starts of the account's meetings inside the window, earliest first: a scheduled
    meeting once, a recurring meeting with fixed time once per occurrence not deleted, meetings
    without a time (instant, recurring with no fixed time) never. `from` may lie in the past
    (back to six months, as the spec says) and the window may run into the future; starts
    already past inside the window are listed too. `type` picks meetings, webinars or both
    (the default), in one list."""
    dates.paid_only(ctx)
    no_such_group(inp.query)
    q = inp.query
    window = dates.window(ctx, q, future=True)
    wanted = str(q.get("type") or "all")
    events = _events(ctx, window, [wanted] if wanted in SCHEDULED_TYPES else list(SCHEDULED_TYPES))
    keys = [(e[0], e[1]) for e in events]
    page = ctx.services.pager.paginate(
        f"upcoming_events:{ctx.account_id}", q, ctx.now,
        fetch=lambda after, offset, limit: page_slice(keys, events, _event_key(after), offset, limit),
        count=lambda: len(events), cursor_of=lambda e: [e[0], e[1]], filters=EVENT_FILTERS,
    )
    hosts = _hosts(ctx, {e[2] for e in page.rows})
    docs = _docs(ctx, {e[1] for e in page.rows})
    items = []
    for start, mid, host_id in page.rows:
        host, doc = hosts.get(host_id, {}), docs.get(mid, {})
        items.append({"dept": host.get("dept") or "", "host_id": host_id,
                      "host_name": host.get("display_name") or doc.get("host_email") or "",
                      "id": str(mid), "start_time": start, "topic": str(doc.get("topic") or "")})
    return {"from": window.first.isoformat(), "to": window.last.isoformat(), "page_size": page.page_size,
            "next_page_token": page.next_page_token, "upcoming_events": items}


HANDLERS: dict[str, Callable[..., Any]] = {
    "reportDaily": report_daily,
    "reportUsers": report_users,
    "reportCloudRecording": report_cloud_recording,
    "reportUpcomingEvents": report_upcoming_events,
}
