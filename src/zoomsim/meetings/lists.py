"""A user's meetings: GET /users/{userId}/meetings (by list type and date range) and
GET /users/{userId}/upcoming_meetings."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings import model
from zoomsim.meetings.access import check_plan, may_host, no_hosting
from zoomsim.meetings.kinds import MEETING, Kind
from zoomsim.storage import meetings as meetings_repo
from zoomsim.users.access import resolve_user

LIST_FILTERS = ("type", "from", "to", "timezone")
LIST_KEYS = ("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "agenda",
             "created_at", "join_url")


def list_item(doc: dict[str, Any]) -> dict[str, Any]:
    item = {k: doc[k] for k in LIST_KEYS if k in doc and doc[k] != ""}
    if "is_simulive" in doc:
        item["is_simulive"] = doc["is_simulive"]
    if doc["settings"].get("use_pmi") and doc.get("pmi"):
        item["pmi"] = doc["pmi"]
    return item


def _day_bound(value: str, tz: str, end: bool) -> str:
    try:
        day = date.fromisoformat(str(value)[:10])
        clockmod.check_year(day.year)
    except ValueError:
        raise invalid_field("to" if end else "from") from None
    moment = datetime.combine(day, time.max if end else time.min).replace(tzinfo=ZoneInfo(tz))
    return model.utc_iso(moment.astimezone(timezone.utc))


# The scheduled list leaves instant meetings out; webinars have no instant type.
SCHEDULED_LIST = {"meeting": (model.SCHEDULED, 3, 8, model.SCREEN_SHARE), "webinar": (5, 6, 9)}


def _filters(query: dict[str, Any], now: float, of: Kind) -> dict[str, Any]:
    """Zoom's list types as span filters: 'upcoming' is anything not yet over, 'previous' what
    has ended, 'live' what is running, 'scheduled' everything still on the calendar. Only the
    operation's kind is listed (a user's meetings never include their webinars)."""
    kind = str(query.get("type") or "scheduled")
    now_iso = clockmod.iso(now)
    out: dict[str, Any] = {"types": tuple(sorted(of.types))}
    if kind == "live":
        out["status"] = "started"
    elif kind in ("upcoming", "upcoming_meetings"):
        out["ends_after"] = now_iso
    elif kind == "previous_meetings":
        out["ends_before"] = now_iso
    elif kind == "scheduled":
        out["types"] = SCHEDULED_LIST[of.name]
    tz = str(query.get("timezone") or "UTC")
    if not model.valid_timezone(tz):
        raise invalid_field("timezone")
    if query.get("from"):
        out["starts_after"] = _day_bound(str(query["from"]), tz, end=False)
    if query.get("to"):
        bound = _day_bound(str(query["to"]), tz, end=True)
        if "starts_after" in out and bound < out["starts_after"]:
            raise ZoomError(400, 300, "The end date cannot be earlier than the start date.")
        out["starts_before"] = min(bound, out.get("starts_before", bound))
    return out


def list_meetings(ctx: Ctx, inp: Input) -> dict[str, Any]:
    user = resolve_user(ctx, inp.path["userId"])
    if not may_host(user):
        raise no_hosting(ctx)
    check_plan(ctx, user.id)
    q = inp.query
    filters = _filters(q, ctx.now, ctx.kind)
    page = ctx.services.pager.paginate(
        f"{ctx.kind.collection}:{user.id}", q, ctx.now,
        fetch=lambda after, offset, limit: meetings_repo.for_host(
            ctx.db, user.id, after=after, offset=offset, limit=limit, **filters),
        count=lambda: meetings_repo.count_for_host(ctx.db, user.id, **filters),
        cursor_of=lambda row: row.seq,
        filters=LIST_FILTERS,
    )
    items = [list_item(jsonio.loads(row.doc)) for row in page.rows]
    return page.envelope(ctx.kind.collection, items, with_page_number=True)


def upcoming_meetings(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Meetings not yet over, soonest first, as Zoom's calendar view lists them."""
    user = resolve_user(ctx, inp.path["userId"])
    if not may_host(user):
        raise no_hosting(ctx)
    now_iso = clockmod.iso(ctx.now)
    rows = meetings_repo.for_host(ctx.db, user.id, ends_after=now_iso, types=tuple(MEETING.types))
    out = []
    for row in rows:
        doc = jsonio.loads(row.doc)
        if doc["type"] in model.NO_FIXED_TIME:
            continue
        start = doc.get("start_time")
        for occ in doc.get("occurrences") or []:
            if occ["status"] == "available" and (occ["start_time"] >= now_iso or _running(occ, now_iso)):
                start = occ["start_time"]
                break
        item = {
            "id": doc["id"], "topic": doc["topic"], "type": doc["type"], "start_time": start,
            "duration": doc["duration"], "timezone": doc["timezone"], "created_at": doc["created_at"],
            "join_url": doc["join_url"], "use_pmi": bool(doc["settings"].get("use_pmi")),
            "is_host": True,
        }
        if doc.get("password"):
            item["passcode"] = doc["password"]
        out.append(item)
    out.sort(key=lambda m: m["start_time"] or "")
    return {"total_records": len(out), "meetings": out}


def _running(occ: dict[str, Any], now_iso: str) -> bool:
    start = datetime.fromisoformat(occ["start_time"].replace("Z", "+00:00"))
    return model.utc_iso(start + timedelta(minutes=int(occ["duration"] or 0))) >= now_iso
