"""Zoom's rate limits: per-label windows by account plan, a daily cap shared by the heavy
labels, and the per-user daily cap on meeting/webinar create and update.

Fixed windows on the app clock. The counters live where platform/shared.py keeps them: in
the worker's memory on SQLite (one worker), in a table on PostgreSQL, so that any number of
workers allow exactly the plan's limit together. One request's counters are counted in one call.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from datetime import datetime, timedelta, timezone

from zoomsim.errors import ZoomError

CATEGORY = {"LIGHT": "Light", "MEDIUM": "Medium", "HEAVY": "Heavy", "RESOURCE_INTENSIVE": "Resource-intensive"}


@dataclass(frozen=True, slots=True)
class PlanLimits:
    per_second: dict[str, int]         # LIGHT / MEDIUM / HEAVY requests per second
    resource_per_minute: int           # RESOURCE_INTENSIVE requests per minute
    daily: dict[str, tuple[str, int]]  # label -> (counter it draws on, requests per day)
    user_create_daily: int             # POST /users with action=create


_SHARED_HEAVY = "HEAVY+RESOURCE_INTENSIVE"
PLANS: dict[str, PlanLimits] = {
    # Free: every label has its own daily quota.
    "free": PlanLimits({"LIGHT": 4, "MEDIUM": 2, "HEAVY": 1}, 10,
                       {"LIGHT": ("LIGHT", 6_000), "MEDIUM": ("MEDIUM", 2_000), "HEAVY": ("HEAVY", 1_000),
                        "RESOURCE_INTENSIVE": ("RESOURCE_INTENSIVE", 30_000)}, 50),
    # Pro and Business+: no daily quota for Light/Medium; Heavy and Resource-intensive share one.
    "pro": PlanLimits({"LIGHT": 30, "MEDIUM": 20, "HEAVY": 10}, 10,
                      {"HEAVY": (_SHARED_HEAVY, 30_000), "RESOURCE_INTENSIVE": (_SHARED_HEAVY, 30_000)}, 1_500),
    "business": PlanLimits({"LIGHT": 80, "MEDIUM": 60, "HEAVY": 40}, 20,
                           {"HEAVY": (_SHARED_HEAVY, 60_000), "RESOURCE_INTENSIVE": (_SHARED_HEAVY, 60_000)}, 10_000),
}
PLAN_ALIASES = {"basic": "free", "business_plus": "business", "enterprise": "business", "education": "business"}
USER_DAILY_CAP = 100
# Zoom caps meeting/webinar create and update at 100 a day per user.
PER_USER_DAILY_OPS = frozenset({"meetingCreate", "meetingUpdate", "webinarCreate", "webinarUpdate"})

V1_PER_SECOND = (10, 1)   # v1: all calls, then the */list and report calls
QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. "
    "Refer to the response header for details on when you can make another request."
)
USER_DAILY_MESSAGE = (
    "You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API requests permitted "
    "for this particular user. You may resume these requests at GMT 00:00:00."
)


def limits_for(plan: str) -> PlanLimits:
    key = plan.lower()
    return PLANS.get(PLAN_ALIASES.get(key, key), PLANS["business"])


def _next_midnight(now: float) -> str:
    day = datetime.fromtimestamp(now, tz=timezone.utc).date() + timedelta(days=1)
    return f"{day.isoformat()}T00:00:00Z"


class CounterStore(Protocol):
    def hit(self, keys: list[tuple[str, int]]) -> dict[str, int]: ...


class MemoryCounters:
    """Counters of a single worker: a window and its hits per counter."""

    def __init__(self) -> None:
        self._slots: dict[str, list[int]] = {}

    def hit(self, keys: list[tuple[str, int]]) -> dict[str, int]:
        out = {}
        for key, window in keys:
            slot = self._slots.get(key)
            if slot is None or slot[0] != window:
                if len(self._slots) > 200_000:
                    self._slots.clear()
                slot = self._slots[key] = [window, 0]
            slot[1] += 1
            out[key] = slot[1]
        return out

    def clear(self) -> None:
        self._slots.clear()


def _key(*parts: str) -> str:
    return "|".join(parts)


def _user_daily(account_id: str, user_id: str) -> str:
    """The counter of one host's meeting/webinar creates and updates today."""
    return _key(account_id, "user-daily", user_id)


class RateLimiter:
    def __init__(self, store: CounterStore | None = None) -> None:
        self._store = store if store is not None else MemoryCounters()

    def check(self, account_id: str, plan: str, label: str, op_id: str, user_key: str | None, now: float) -> dict[str, str]:
        """Count the request; returns the headers to send, or raises Zoom's 429."""
        limits = limits_for(plan)
        category = CATEGORY.get(label, "Light")
        second = int(now)
        day = second // 86_400
        if label == "RESOURCE_INTENSIVE":
            limit, window, retry = limits.resource_per_minute, second // 60, str(60 - second % 60)
        else:
            limit, window, retry = limits.per_second.get(label, limits.per_second["LIGHT"]), second, "1"
        qps_key = _key(account_id, label)
        keys = [(qps_key, window)]
        daily = limits.daily.get(label)
        daily_key = _key(account_id, "daily", daily[0]) if daily is not None else ""
        if daily is not None:
            keys.append((daily_key, day))
        capped = user_key is not None and op_id in PER_USER_DAILY_OPS
        user_daily_key = _user_daily(account_id, str(user_key)) if capped else ""
        if user_daily_key:
            keys.append((user_daily_key, day))
        counts = self._store.hit(keys)
        headers = {"X-RateLimit-Category": category, "X-RateLimit-Type": "QPS", "X-RateLimit-Limit": str(limit)}
        remaining = limit - counts[qps_key]
        if remaining < 0:
            headers.update({"X-RateLimit-Remaining": "0", "Retry-After": retry})
            raise ZoomError(429, 429, QPS_MESSAGE, headers=headers)
        headers["X-RateLimit-Remaining"] = str(remaining)
        if daily is not None and counts[daily_key] > daily[1]:
            raise _daily_error(daily[1], DAILY_MESSAGE, category, now)
        if user_daily_key and counts[user_daily_key] > USER_DAILY_CAP:
            raise _daily_error(USER_DAILY_CAP, USER_DAILY_MESSAGE.format(limit=USER_DAILY_CAP), category, now)
        return headers

    def legacy_v1(self, account_id: str, listing: bool, now: float) -> None:
        """v1's limits, counted by the same store: 10 calls a second per account, and 1 a
        second for the list and report calls (which count against both)."""
        window = int(now)
        keys = [(_key(account_id, "v1"), window)]
        if listing:
            keys.append((_key(account_id, "v1-list"), window))
        counts = self._store.hit(keys)
        over = [limit for (key, _), limit in zip(keys, V1_PER_SECOND) if counts[key] > limit]
        if over:
            raise ZoomError(429, 429, QPS_MESSAGE, headers={"Retry-After": "1"})

    def host_daily(self, account_id: str, user_id: str, category: str, now: float) -> None:
        """Creating and updating meetings/webinars is capped per host per day. Updates name a
        meeting, not a user, so their handlers call this once they know the host."""
        self._daily(_user_daily(account_id, user_id), USER_DAILY_CAP,
                    USER_DAILY_MESSAGE.format(limit=USER_DAILY_CAP), category, now)

    def _daily(self, key: str, limit: int, message: str, category: str, now: float) -> None:
        """Count against a quota that resets at 00:00 UTC; over it, Zoom's Daily-limit 429."""
        if self._store.hit([(key, int(now) // 86_400)])[key] > limit:
            raise _daily_error(limit, message, category, now)

    def user_create(self, account_id: str, plan: str, now: float) -> None:
        """POST /users with action=create has a daily quota of its own, by plan."""
        self._daily(_key(account_id, "user-create"), limits_for(plan).user_create_daily, DAILY_MESSAGE, "Light", now)


def _daily_error(limit: int, message: str, category: str, now: float) -> ZoomError:
    return ZoomError(429, 429, message, headers={
        "X-RateLimit-Category": category, "X-RateLimit-Type": "Daily-limit",
        "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": "0",
        "Retry-After": _next_midnight(now)})
