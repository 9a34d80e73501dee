"""Zoom's date rules for reports, in one place: `from`/`to` are 'yyyy-mm-dd' days (UTC), `to`
may not come before `from`, a report covers at most one month, looks back at most six months
(some reports a year), and never into the future.

Days are UTC days: a meeting counts on the UTC date it started, whatever its time zone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from zoomsim import clock as clockmod
from zoomsim.context import Ctx
from zoomsim.errors import ZoomError, documented

RECENT_MONTHS = 6


@dataclass(frozen=True, slots=True)
class Window:
    first: date
    last: date

    @property
    def start_iso(self) -> str:
        """The first instant of the window, in the shape stored times have."""
        return self.first.strftime("%Y-%m-%dT00:00:00Z")

    @property
    def end_iso(self) -> str:
        """The first instant after the window (compare with `<`)."""
        return (self.last + timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z")

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def today(ctx: Ctx) -> date:
    return datetime.fromtimestamp(ctx.now, timezone.utc).date()


def months_back(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when that day does not exist)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    if not 1 <= year <= 9999:
        return date.min if year < 1 else date.max
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)


def parse_day(value: Any, name: str) -> date:
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        day = None
    if day is None or day.year > clockmod.LAST_YEAR:   # the server's calendar: month arithmetic stays in range
        raise ZoomError(400, 300, f"Invalid parameter: {name}.")
    return day


def _over_a_month(first: date, last: date) -> bool:
    return last > months_back(first, -1)


def window(ctx: Ctx, query: dict[str, Any], *, months_back_limit: int = RECENT_MONTHS,
           one_month: bool = True, future: bool = False, default_to_today: bool = False) -> Window:
    """The report's days, after Zoom's checks. `future` allows upcoming days (upcoming events);
    `default_to_today` fills a missing bound the way the activity report does."""
    now = today(ctx)
    raw_from, raw_to = query.get("from"), query.get("to")
    if default_to_today:
        raw_to = raw_to or now.isoformat()
        raw_from = raw_from or (months_back(parse_day(raw_to, "to"), 1) + timedelta(days=1)).isoformat()
    first, last = parse_day(raw_from, "from"), parse_day(raw_to, "to")
    if last < first:
        raise ZoomError(400, 300, "The 'to' date can not be earlier than the 'from' date.")
    if one_month and _over_a_month(first, last):
        raise ZoomError(400, 300, "The date range can not be more than one month.")
    if not future and first > now:
        raise ZoomError(400, 300, "The 'from' date can not be later than today.")
    if not future:
        last = min(last, now)   # Zoom reports up to today when `to` runs past it
    if first < months_back(now, months_back_limit):
        if months_back_limit == 12:
            raise ZoomError(400, 300, "Only provide report in recent 1 year")
        raise ZoomError(400, 300, f"Only provide report in recent {months_back_limit} months")
    return Window(first, last)


def paid_only(ctx: Ctx) -> None:
    """Reports are a paid-plan feature: a free account gets the operation's own 200 wording."""
    if ctx.plan == "free":
        raise documented(ctx, 200, "This is only available for paid account: {accountId}.", containing="only available",
                         accountId=ctx.account_id)


def month_window(ctx: Ctx, year: Any, month: Any) -> Window:
    """The daily report's month (default: this month), inside the recent six months."""
    now = today(ctx)
    y = now.year if year in (None, "") else int(year)
    m = now.month if month in (None, "") else int(month)
    if not 1 <= m <= 12 or not 1 <= y <= 9999:
        raise ZoomError(400, 300, f"Invalid parameter: {'month' if not 1 <= m <= 12 else 'year'}.")
    first = date(y, m, 1)
    oldest = months_back(now, RECENT_MONTHS).replace(day=1)
    if first < oldest or first > now:
        raise documented(ctx, 300, "Daily report can only be provided for a month that falls within the recent 6 months.",
                         containing="Daily report")
    last = months_back(first, -1) - timedelta(days=1)
    return Window(first, min(last, now))
