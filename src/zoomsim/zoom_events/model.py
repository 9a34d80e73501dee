"""The event object: checking what a create or update gives, the schedule it makes (calendar,
recurrence, start and end), and how each operation shows it.

The stored document keeps Zoom's create shapes (recurrence `weekly_days` and `monthly_days` as
lists); the get and list operations show them as Zoom's reference does there (a comma-separated
string and one day), so every answer matches its own operation's schema."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zoomsim import clock as clockmod
from zoomsim.context import Ctx
from zoomsim.errors import documented, invalid_field
from zoomsim.meetings import recurrence as meeting_recurrence
from zoomsim.meetings.model import valid_timezone

EVENT_TYPES = ("SIMPLE_EVENT", "CONFERENCE", "RECURRING")
MEETING_TYPES = ("MEETING", "WEBINAR")
ACCESS_LEVELS = ("PUBLIC", "PRIVATE_UNRESTRICTED", "PRIVATE_RESTRICTED")
CATEGORIES = ("Education & Family", "Business & Networking", "Entertainment & Visual Arts", "Food & Drink",
              "Fitness & Health", "Home & Lifestyle", "Community & Spirituality", "Other")
MAX_SCHEDULE = timedelta(days=6)
# The Events reference's repeat_interval ceilings: 90 days, 12 weeks, 3 months.
MAX_INTERVAL = {1: 90, 2: 12, 3: 3}
# Fields a create or update copies as given (after the schema check).
PLAIN = ("name", "description", "contact_name", "tagline", "physical_location")
LISTS = ("tags", "blocked_countries")

TOO_LONG = "Event schedule cannot be more than 6 days."
ENDS_FIRST = "Event end_time must be after event start_time."
NO_CALENDAR = "Calender must contains start_time and end_time."


def moment(value: Any, field: str) -> datetime:
    """A UTC time the client sent; malformed is Zoom's 300 naming the field."""
    try:
        return clockmod.parse_moment(str(value))
    except ValueError:
        raise invalid_field(field) from None


def utc(moment_: datetime) -> str:
    return clockmod.utc_text(moment_)


def calendar(ctx: Ctx, given: Any) -> list[dict[str, str]]:
    """Entries in time order, each ending after it starts, the whole no longer than 6 days."""
    if not given:
        raise documented(ctx, 26204, NO_CALENDAR)
    entries = []
    for i, entry in enumerate(given):
        if not entry.get("start_time") or not entry.get("end_time"):
            raise documented(ctx, 26204, NO_CALENDAR)
        start = moment(entry["start_time"], f"calendar[{i}].start_time")
        end = moment(entry["end_time"], f"calendar[{i}].end_time")
        if end <= start:
            raise documented(ctx, 26203, ENDS_FIRST)
        entries.append((start, end))
    entries.sort()
    if max(end for _, end in entries) - entries[0][0] > MAX_SCHEDULE:
        raise documented(ctx, 26202, TOO_LONG)
    return [{"start_time": utc(start), "end_time": utc(end)} for start, end in entries]


def _days(value: Any, field: str, low: int, high: int) -> list[int]:
    """Days as a list: create sends lists, update (per its schema) a string or one number."""
    if value is None:
        return []
    raw = value if isinstance(value, list) else [p for p in str(value).split(",") if p.strip()]
    try:
        days = [int(str(d).strip()) for d in raw]
    except ValueError:
        raise invalid_field(field) from None
    if any(not low <= d <= high for d in days):
        raise invalid_field(field)
    return sorted(set(days))


def check_recurrence(given: Any) -> dict[str, Any]:
    """Zoom's recurrence object with the Events interval limits; stored with list-valued days."""
    if not isinstance(given, dict) or given.get("type") not in (1, 2, 3):
        raise invalid_field("recurrence.type")
    kind = int(given["type"])
    rule: dict[str, Any] = {"type": kind, "repeat_interval": int(given.get("repeat_interval") or 1)}
    if not 1 <= rule["repeat_interval"] <= MAX_INTERVAL[kind]:
        raise invalid_field("recurrence.repeat_interval")
    if given.get("end_times") is not None and given.get("end_date_time"):
        raise invalid_field("recurrence.end_date_time", "Cannot use end_times and end_date_time together.")
    if given.get("end_date_time"):
        rule["end_date_time"] = utc(moment(given["end_date_time"], "recurrence.end_date_time"))
    else:
        rule["end_times"] = int(given.get("end_times") or 1)
        if not 1 <= rule["end_times"] <= meeting_recurrence.MAX_OCCURRENCES:
            raise invalid_field("recurrence.end_times")
    if kind == 2:
        rule["weekly_days"] = _days(given.get("weekly_days"), "recurrence.weekly_days", 1, 7) or [1]
    if kind == 3:
        rule["monthly_days"] = _days(given.get("monthly_days"), "recurrence.monthly_days", 1, 31)
        week, week_day = given.get("monthly_week"), given.get("monthly_week_day")
        if not rule["monthly_days"] and (week is None) != (week_day is None):
            raise invalid_field("recurrence.monthly_week_day")
        if not rule["monthly_days"] and week is not None:
            rule["monthly_week"], rule["monthly_week_day"] = int(week), int(week_day)
        elif not rule["monthly_days"]:
            rule["monthly_days"] = [1]
    if given.get("duration") is not None:
        rule["duration"] = int(given["duration"])
        if not 1 <= rule["duration"] <= 24 * 60:
            raise invalid_field("recurrence.duration")
    return rule


def meeting_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """The same rule as a meeting's recurrence (meetings/recurrence.py reads that shape)."""
    out = {k: v for k, v in rule.items() if k not in ("weekly_days", "monthly_days", "duration")}
    if rule.get("weekly_days"):
        out["weekly_days"] = ",".join(str(d) for d in rule["weekly_days"])
    if rule.get("monthly_days"):
        out["monthly_day"] = rule["monthly_days"][0]
    return out


def occurrences(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """A recurring event's occurrences (UTC starts, minutes), from its first calendar entry."""
    first = doc["calendar"][0]
    start = moment(first["start_time"], "calendar[0].start_time")
    minutes = doc["recurrence"].get("duration") or int(
        (moment(first["end_time"], "calendar[0].end_time") - start).total_seconds() // 60)
    return meeting_recurrence.expand(meeting_rule(doc["recurrence"]), start, doc["timezone"], minutes)


def schedule(doc: dict[str, Any]) -> None:
    """start_time and end_time from the calendar (a recurring event ends with its last occurrence)."""
    doc["start_time"] = doc["calendar"][0]["start_time"]
    doc["end_time"] = max(entry["end_time"] for entry in doc["calendar"])
    if doc["event_type"] == "RECURRING":
        every = occurrences(doc)
        if not every:   # ends before it first occurs
            raise invalid_field("recurrence.end_date_time")
        last = every[-1]
        ends = moment(last["start_time"], "start_time") + timedelta(minutes=int(last["duration"]))
        doc["end_time"] = max(doc["end_time"], utc(ends))


def timezone_of(value: Any) -> str:
    tz = str(value or "")
    if not valid_timezone(tz):
        raise invalid_field("timezone")
    return tz


def apply_fields(doc: dict[str, Any], body: dict[str, Any]) -> None:
    """The descriptive fields of a create or update (already type-checked by the schema)."""
    for key in PLAIN:
        if key in body:
            doc[key] = str(body[key])
    if "name" in body and not doc["name"].strip():
        raise invalid_field("name")
    for key in LISTS:
        if key in body:
            doc[key] = [str(v) for v in body[key]]
    for code in doc.get("blocked_countries") or []:
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise invalid_field("blocked_countries")
    doc["blocked_countries"] = [c.upper() for c in doc.get("blocked_countries") or []]
    if "categories" in body:
        if any(c not in CATEGORIES for c in body["categories"]):
            raise invalid_field("categories")
        doc["categories"] = list(body["categories"])
    if "access_level" in body:
        if body["access_level"] not in ACCESS_LEVELS:
            raise invalid_field("access_level")
        doc["access_level"] = body["access_level"]
    if "attendance_type" in body:
        doc["attendance_type"] = body["attendance_type"]
    if "timezone" in body:
        doc["timezone"] = timezone_of(body["timezone"])
    for key in ("lobby_start_time", "lobby_end_time"):
        if key in body:
            doc[key] = utc(moment(body[key], key))
    if doc.get("lobby_start_time") and doc.get("lobby_end_time") and doc["lobby_end_time"] <= doc["lobby_start_time"]:
        raise invalid_field("lobby_end_time")


def view(ctx: Ctx, doc: dict[str, Any], shape: str) -> dict[str, Any]:
    """The event as operation `shape` shows it: "create" (list-valued recurrence days, no host),
    "get" or "list" (Zoom's string/one-day recurrence)."""
    out = dict(doc)
    out["event_url"] = f"{ctx.services.config.base_url}/ev/{doc['event_id']}"
    rule = doc.get("recurrence")
    if shape == "create":
        out.pop("host_id", None)
        out.pop("contact_email", None)
    elif rule:
        shown = {k: v for k, v in rule.items() if k not in ("weekly_days", "monthly_days")}
        if rule.get("weekly_days"):
            shown["weekly_days"] = ",".join(str(d) for d in rule["weekly_days"])
        if rule.get("monthly_days"):
            shown["monthly_days"] = rule["monthly_days"][0]
        out["recurrence"] = shown
    if shape == "list":
        out.pop("host_id", None)
    return out
