"""Meetings: create, get, list, update, delete, end/recover (Meetings API, 2026)."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids, jsonio
from zoomsim.context import Ctx, Input, Raw
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings import model
from zoomsim.meetings.kinds import settings_defaults
from zoomsim.simulation import live
from zoomsim.meetings.access import check_plan, documented, find_meeting, load_meeting, may_host, no_hosting
from zoomsim.storage import items as items_repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import users as users_repo
from zoomsim.users.access import resolve_user



def template_kind(ctx: Ctx) -> str:
    """Meeting and webinar templates are separate lists of account items."""
    return f"{ctx.kind.name}_template"
TRACKING_KIND = "tracking_field"
# Keys a template may carry into a new meeting; the body given with the create wins.
TEMPLATE_KEYS = ("topic", "agenda", "duration", "type", "recurrence", "settings", "timezone", "tracking_fields")
PRESCHEDULE_ONLY = ("Prescheduling is only available for scheduled meetings (type 2) and recurring meetings "
                    "with no fixed time (type 3).")
INVALID_SCHEDULE_FOR = "The value that you entered in the schedule_for field is invalid. Enter a valid value and try again."


def _schedule_for(ctx: Ctx, body: dict[str, Any], kind: int, current: users_repo.UserRow) -> users_repo.UserRow:
    """`schedule_for` names another user of the account as host; only admin-scoped apps may."""
    target = str(body.get("schedule_for") or "").strip()
    if not target or target.lower() in (current.id.lower(), current.email):
        return current
    if kind == model.INSTANT:
        raise documented(ctx, 3000, "Instant meetings do not support the schedule_for parameter, and you can't schedule an instant meeting for another user.")
    if not ctx.admin:
        raise documented(ctx, 3000, "You cannot schedule a meeting for {userId}", containing="You cannot schedule",
                         userId=target)
    host = users_repo.get(ctx.db, ctx.account_id, target)
    if host is None:
        raise documented(ctx, 300, INVALID_SCHEDULE_FOR, containing="schedule_for field is invalid")
    return host


def _tracking_fields(ctx: Ctx, given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep what was given; `visible` comes from the account's field definition."""
    out = []
    for entry in given:
        name = str(entry.get("field") or "")
        if not name:
            raise invalid_field("tracking_fields.field")
        known = items_repo.find_by_name(ctx.db, ctx.account_id, TRACKING_KIND, name)
        visible = bool(known.data().get("visible", True)) if known else True
        out.append({"field": name, "value": str(entry.get("value") or ""), "visible": visible})
    return out


def _template(ctx: Ctx, template_id: str, host_id: str) -> dict[str, Any]:
    item = items_repo.get(ctx.db, ctx.account_id, template_kind(ctx), template_id)
    if item is None or item.owner_id not in (host_id, ""):
        raise ZoomError(400, 300, f"Invalid template_id: {template_id}.")
    saved = item.data().get("meeting") or {}
    return {k: saved[k] for k in TEMPLATE_KEYS if k in saved}


def _start_of(body: dict[str, Any], tz: str, now: float) -> str:
    """A missing or past start time means now, as Zoom documents."""
    now_dt = datetime.fromtimestamp(now, timezone.utc).replace(microsecond=0)
    if not body.get("start_time"):
        return model.utc_iso(now_dt)
    start = model.parse_start(str(body["start_time"]), tz)
    return model.utc_iso(max(start, now_dt))


def create_meeting(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """POST /users/{userId}/meetings and /webinars: one path, the kind's defaults."""
    of = ctx.kind
    user = resolve_user(ctx, inp.path["userId"])
    body = dict(inp.body or {})
    base: dict[str, Any] = {}
    kind = int(body.get("type") or of.default_type)
    host = _schedule_for(ctx, body, kind, user)
    if not may_host(host):
        raise no_hosting(ctx)
    check_plan(ctx, host.id)
    if body.get("template_id"):
        base = _template(ctx, str(body["template_id"]), host.id)
        merged = model.deep_merge(base, {k: v for k, v in body.items() if v is not None})
        body = merged
        kind = int(body.get("type") or of.default_type)
    if kind not in of.types:
        raise invalid_field("type")
    if body.get("is_simulive"):
        _refuse_simulive(ctx, kind)
    host_doc = jsonio.loads(host.doc)
    tz = str(body.get("timezone") or host_doc.get("timezone") or "UTC")
    if not model.valid_timezone(tz):
        raise invalid_field("timezone")
    number = ids.new_meeting_number()
    while meetings_repo.number_taken(ctx.db, number):
        number = ids.new_meeting_number()
    now_iso = clockmod.iso(ctx.now)
    settings = model.deep_merge(jsonio.loads(jsonio.dumps(settings_defaults(of))), body.get("settings") or {})
    _check_settings(settings)
    doc: dict[str, Any] = {
        "uuid": ids.new_uuid(),
        "id": number,
        "host_id": host.id,
        "host_email": host.email,
        "assistant_id": user.id if host.id != user.id else "",
        "topic": str(body.get("topic") if body.get("topic") is not None else of.default_topic),
        "type": kind,
        "status": "waiting",
        "start_time": _start_of(body, tz, ctx.now),
        "duration": int(body.get("duration") or 60),
        "timezone": tz,
        "agenda": str(body.get("agenda") or ""),
        "created_at": now_iso,
        "start_url": "",
        "join_url": "",
        "pre_schedule": bool(body.get("pre_schedule") or False),
        "settings": settings,
        "creation_source": "open_api",
    }
    if of.name == "webinar":   # webinars have no pre-scheduling; simulive ones replay a recording
        del doc["pre_schedule"]
        doc["is_simulive"] = False
    elif doc["pre_schedule"] and kind not in (model.SCHEDULED, 3):
        raise documented(ctx, 3000, PRESCHEDULE_ONLY, containing="Prescheduling")
    if not doc["assistant_id"]:
        del doc["assistant_id"]
    if body.get("recurrence") is not None:
        doc["recurrence"] = dict(body["recurrence"])
    if body.get("tracking_fields"):
        doc["tracking_fields"] = _tracking_fields(ctx, body["tracking_fields"])
    if body.get("template_id"):
        doc["template_id"] = str(body["template_id"])
    if settings.get("use_pmi") and host_doc.get("pmi"):
        doc["pmi"] = str(host_doc["pmi"])
    password = body.get("password")
    if password is None:
        password = "" if body.get("default_password") is False else model.new_password()
    model.validate_password(str(password))
    model.apply_password(doc, str(password), ctx.services.config.base_url)
    doc["start_url"] = _start_url(ctx, number)
    if settings.get("approval_type") in (0, 1):
        doc["registration_url"] = registration_url(ctx)
    extra: dict[str, Any] = {"creator": user.id}
    model.schedule(doc, extra, ctx.now)
    meetings_repo.insert(ctx.db, ctx.account_id, doc, extra, model.span(doc))
    return doc


def _refuse_simulive(ctx: Ctx, kind: int) -> None:
    """Simulive webinars replay a cloud recording; zoomsim's accounts have no recordings to
    replay, so they answer as an account without simulive enabled (after the type rule)."""
    if kind in model.NO_FIXED_TIME:
        raise documented(ctx, 4505, "Simulive can't select No Fixed Time.")
    raise documented(ctx, 300, "Account hasn't enabled simulive webinar.", containing="simulive")


def registration_url(ctx: Ctx) -> str:
    return f"{ctx.services.config.base_url}/{ctx.kind.name}/register/{ctx.kind.register_prefix}{ids.new_id()}"


def _start_url(ctx: Ctx, number: int) -> str:
    return f"{ctx.services.config.base_url}/s/{number}?zak={secrets.token_urlsafe(48)}"


def _check_settings(settings: dict[str, Any]) -> None:
    domains = settings.get("enforce_login_domains")
    if domains and ("," in str(domains) or " " in str(domains).strip()):
        raise ZoomError(400, 300, "Invalid enforce_login_domains. Separate multiple domains with semicolons.")
    jbh = settings.get("jbh_time")
    if jbh is not None and jbh not in (0, 5, 10, 15):
        raise invalid_field("settings.jbh_time")


def _occurrence(doc: dict[str, Any], occurrence_id: str, ctx: Ctx | None = None) -> dict[str, Any]:
    """The named occurrence; an unknown one is 300 "Invalid parameter", or the operation's own
    3000 wording where it documents one (webinar delete: "Webinar occurrence does not exist.")."""
    for occ in doc.get("occurrences") or []:
        if occ["occurrence_id"] == occurrence_id:
            return occ
    if ctx is not None and any("occurrence does not exist" in e["message"] for e in ctx.op.errors):
        raise documented(ctx, 3000, "Occurrence does not exist.", containing="occurrence does not exist")
    raise ZoomError(400, 300, "Invalid parameter: occurrence_id.")


def view(doc: dict[str, Any], now: float, occurrence_id: str | None, show_previous: bool) -> bool:
    """What GET shows of a stored meeting, made in `doc`: deleted occurrences never, past ones
    on request, and the chosen occurrence's time when one is named. False when that is the
    stored document unchanged (so its stored bytes are the answer)."""
    if doc.get("occurrences") is not None:
        stored = doc["occurrences"]
        visible = [o for o in stored if o["status"] == "available"]
        if not show_previous:
            visible = _current(visible, now) or visible[-1:]
        if occurrence_id:
            occ = _occurrence(doc, occurrence_id)
            doc["start_time"], doc["duration"] = occ["start_time"], occ["duration"]
            doc["occurrences"] = visible
            return True
        doc["occurrences"] = visible
        return len(visible) != len(stored)
    if occurrence_id:
        raise ZoomError(400, 300, "Invalid parameter: occurrence_id.")
    return False


def _current(occurrences: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
    """Occurrences not over at `now` (ending at or after it, to the second). Ending at or after
    now is starting at or after now - duration, so the stored start texts are compared with one
    time per distinct duration instead of parsing and formatting each (54 of 65 us for 20)."""
    cutoff, base = clockmod.iso(now), int(now)
    since: dict[int, str | None] = {}
    out = []
    for occ in occurrences:
        minutes = int(occ.get("duration") or 0)
        if minutes not in since:
            try:
                since[minutes] = clockmod.iso(base - minutes * 60)
            except (OverflowError, ValueError, OSError):   # outside the calendar: the slow way
                since[minutes] = None
        edge = since[minutes]
        if (occ["start_time"] >= edge) if edge is not None else (_ends(occ) >= cutoff):
            out.append(occ)
    return out


def _ends(occ: dict[str, Any]) -> str:
    start = datetime.fromisoformat(occ["start_time"].replace("Z", "+00:00"))
    return model.utc_iso(start + timedelta(minutes=int(occ.get("duration") or 0)))


def get_meeting(ctx: Ctx, inp: Input) -> Raw | dict[str, Any]:
    row = load_meeting(ctx, ctx.subject(inp))
    occurrence_id = inp.query.get("occurrence_id")
    if row.type not in model.FIXED_RECURRING and not occurrence_id:
        return Raw(row.doc.encode())
    doc = row.data()
    if view(doc, ctx.now, occurrence_id, bool(inp.query.get("show_previous_occurrences"))):
        return doc
    return Raw(row.doc.encode())   # nothing hidden or moved: skip encoding it again


def update_meeting(ctx: Ctx, inp: Input) -> None:
    row = load_meeting(ctx, ctx.subject(inp))
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    doc, extra = row.data(), row.extras()
    if ctx.services.config.rate_limits:
        ctx.services.limiter.host_daily(ctx.account_id, row.host_id, "Light", ctx.now)
    occurrence_id = inp.query.get("occurrence_id")
    if occurrence_id:
        _update_occurrence(doc, extra, str(occurrence_id), body)
    else:
        _update_whole(ctx, doc, extra, body)
    model.schedule(doc, extra, ctx.now)
    meetings_repo.save(ctx.db, doc, extra, model.span(doc))


def _update_occurrence(doc: dict[str, Any], extra: dict[str, Any], occurrence_id: str, body: dict[str, Any]) -> None:
    """One occurrence of a recurring meeting may move or change length on its own."""
    occ = _occurrence(doc, occurrence_id)
    change = extra.setdefault("occurrences", {}).setdefault(occ["occurrence_id"], {})
    if "start_time" in body:
        change["start_time"] = model.utc_iso(model.parse_start(str(body["start_time"]), doc["timezone"]))
    if "duration" in body:
        change["duration"] = int(body["duration"])


def _update_whole(ctx: Ctx, doc: dict[str, Any], extra: dict[str, Any], body: dict[str, Any]) -> None:
    kind = int(body.get("type") or doc["type"])
    if body.get("is_simulive") and ctx.kind.name == "webinar":
        _refuse_simulive(ctx, kind)
    if "schedule_for" in body:
        current = users_repo.get(ctx.db, ctx.account_id, doc["host_id"])
        assert current is not None
        host = _schedule_for(ctx, body, kind, current)
        doc["host_id"], doc["host_email"] = host.id, host.email
    if body.get("template_id"):
        template = _template(ctx, str(body["template_id"]), doc["host_id"])
        body = model.deep_merge(template, body)
    if "timezone" in body:
        if not model.valid_timezone(str(body["timezone"])):
            raise invalid_field("timezone")
        doc["timezone"] = str(body["timezone"])
    for key in ("topic", "agenda"):
        if key in body:
            doc[key] = str(body[key])
    if "duration" in body:
        doc["duration"] = int(body["duration"])
    if "pre_schedule" in body and "pre_schedule" in doc:
        doc["pre_schedule"] = bool(body["pre_schedule"])
        if doc["pre_schedule"] and kind not in (model.SCHEDULED, 3):
            raise documented(ctx, 3000, PRESCHEDULE_ONLY, containing="Prescheduling")
    if kind != doc["type"]:
        if kind not in ctx.kind.types:
            raise invalid_field("type")
        doc["type"] = kind
        extra.pop("occurrences", None)
    if "start_time" in body:
        doc["start_time"] = model.utc_iso(model.parse_start(str(body["start_time"]), doc["timezone"]))
        extra.pop("occurrences", None)
    elif not doc.get("start_time"):
        doc["start_time"] = clockmod.iso(ctx.now)
    if "recurrence" in body:
        doc["recurrence"] = model.deep_merge(dict(doc.get("recurrence") or {}), body["recurrence"])
        if body["recurrence"].get("end_date_time"):
            doc["recurrence"].pop("end_times", None)
        elif body["recurrence"].get("end_times") is not None:
            doc["recurrence"].pop("end_date_time", None)
        extra.pop("occurrences", None)
    if "settings" in body:
        model.deep_merge(doc["settings"], body["settings"])
        _check_settings(doc["settings"])
        if doc["settings"].get("approval_type") in (0, 1) and not doc.get("registration_url"):
            doc["registration_url"] = registration_url(ctx)
    if "password" in body:
        model.validate_password(str(body["password"]))
        model.apply_password(doc, str(body["password"]), ctx.services.config.base_url)
    if "tracking_fields" in body:
        doc["tracking_fields"] = _tracking_fields(ctx, body["tracking_fields"])
    if body.get("template_id"):
        doc["template_id"] = str(body["template_id"])


def delete_meeting(ctx: Ctx, inp: Input) -> None:
    row = load_meeting(ctx, ctx.subject(inp))
    occurrence_id = inp.query.get("occurrence_id")
    doc, extra = row.data(), row.extras()
    if occurrence_id:
        occ = _occurrence(doc, str(occurrence_id), ctx)
        extra.setdefault("occurrences", {}).setdefault(occ["occurrence_id"], {})["status"] = "deleted"
        model.schedule(doc, extra, ctx.now)
        meetings_repo.save(ctx.db, doc, extra, model.span(doc))
        return
    if row.status == "started":   # deleting a running meeting ends it first, so its instance is kept
        live.end(ctx.db, row, ctx.now, live.emitter(ctx.services, ctx.db))
        ended = meetings_repo.get(ctx.db, row.id)
        assert ended is not None
        doc, extra = ended.data(), ended.extras()
    extra["deleted_at"] = clockmod.iso(ctx.now)
    meetings_repo.save(ctx.db, doc, extra, model.span(doc))


def update_status(ctx: Ctx, inp: Input) -> None:
    """`end` stops a running meeting; `recover` brings back a deleted one."""
    action = (inp.body or {}).get("action")
    raw = ctx.subject(inp)
    if action == "recover":
        row = _deleted_meeting(ctx, raw)
        doc, extra = row.data(), row.extras()
        extra.pop("deleted_at", None)
        meetings_repo.save(ctx.db, doc, extra, model.span(doc))
        return
    row = load_meeting(ctx, raw)
    if row.status != "started":
        raise ZoomError(400, 3000, f"{ctx.kind.word} {row.id} is not in progress.")
    live.end(ctx.db, row, ctx.now, live.emitter(ctx.services, ctx.db))   # the end step: meeting.ended


def _deleted_meeting(ctx: Ctx, raw: str) -> meetings_repo.MeetingRow:
    row = find_meeting(ctx, raw)
    if row.status != "deleted":
        raise ZoomError(400, 3000, f"Meeting {raw} is not deleted.")
    return row
