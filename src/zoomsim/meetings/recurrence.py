"""Expanding a recurrence rule into occurrences, the way Zoom lays them out: in the meeting's
time zone, first occurrence on or after the start, capped at Zoom's maximum count."""
from __future__ import annotations

import calendar
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from zoomsim import clock

MAX_OCCURRENCES = 60
# repeat_interval ceilings per recurrence type (daily days, weekly weeks, monthly months)
MAX_INTERVAL = {1: 99, 2: 50, 3: 10}


def _zoom_weekday(day: datetime) -> int:
    """Zoom numbers weekdays 1 = Sunday .. 7 = Saturday."""
    return (day.weekday() + 1) % 7 + 1


def _nth_weekday(year: int, month: int, week: int, zoom_day: int) -> int | None:
    """Day of month of the `week`-th (−1: last) given weekday, or None if the month has none."""
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if _zoom_weekday(datetime(year, month, d)) == zoom_day]
    if week == -1:
        return days[-1]
    return days[week - 1] if week - 1 < len(days) else None


def local_dates(rule: dict[str, Any], first: datetime, until: datetime | None, count: int) -> list[datetime]:
    """Local (naive) start datetimes of each occurrence."""
    kind = int(rule.get("type") or 1)
    interval = max(1, int(rule.get("repeat_interval") or 1))
    out: list[datetime] = []

    def take(moment: datetime) -> bool:
        if moment < first:
            return True
        if until is not None and moment > until:
            return False
        out.append(moment)
        return len(out) < count

    if kind == 1:
        moment = first
        while take(moment):
            moment += timedelta(days=interval)
    elif kind == 2:
        days = sorted({int(d) for d in str(rule.get("weekly_days") or _zoom_weekday(first)).split(",") if d.strip()})
        week_start = first - timedelta(days=_zoom_weekday(first) - 1)   # that week's Sunday
        go = True
        while go:
            for d in days:
                if not take(week_start + timedelta(days=d - 1)):
                    go = False
                    break
            week_start += timedelta(weeks=interval)
            if until is None and week_start > first + timedelta(weeks=interval * (count + 1)):
                break
    else:
        year, month = first.year, first.month
        for _ in range(count * interval + 24):
            if rule.get("monthly_week") is not None and rule.get("monthly_week_day") is not None:
                day = _nth_weekday(year, month, int(rule["monthly_week"]), int(rule["monthly_week_day"]))
            else:
                wanted = int(rule.get("monthly_day") or first.day)
                day = wanted if wanted <= calendar.monthrange(year, month)[1] else None
            if day is not None and not take(first.replace(year=year, month=month, day=day)):
                break
            month += interval
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return out


def expand(rule: dict[str, Any], start_utc: datetime, tz: str, duration: int) -> list[dict[str, Any]]:
    """Occurrences of a fixed-time recurring meeting, start times in UTC."""
    zone = ZoneInfo(tz)
    first = start_utc.astimezone(zone).replace(tzinfo=None)
    until = None
    if rule.get("end_date_time"):
        until = clock.parse_moment(str(rule["end_date_time"])).astimezone(zone).replace(tzinfo=None)
        count = MAX_OCCURRENCES
    else:
        count = int(rule.get("end_times") or 1) or MAX_OCCURRENCES
        count = min(count, MAX_OCCURRENCES)
    out = []
    for local in local_dates(rule, first, until, count):
        utc = local.replace(tzinfo=zone).astimezone(timezone.utc)
        out.append({
            "occurrence_id": str(int(utc.timestamp() * 1000)),
            "start_time": clock.utc_text(utc),
            "duration": duration,
            "status": "available",
        })
    return out
