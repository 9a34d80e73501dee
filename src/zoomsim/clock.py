"""The app's clock: wall time, frozen at an instant, or wall time shifted by an offset.

Everything time-based (token expiry, page-token expiry, rate-limit windows) reads this,
so the simulation can move time deterministically.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone, tzinfo


class Clock:
    def __init__(self) -> None:
        self._frozen: float | None = None
        self._offset = 0.0

    def now(self) -> float:
        """Epoch seconds."""
        if self._frozen is not None:
            return self._frozen
        return time.time() + self._offset

    def freeze(self, at: float) -> None:
        self._frozen = at

    def advance(self, seconds: float) -> None:
        if self._frozen is not None:
            self._frozen += seconds
        else:
            self._offset += seconds

    def real(self) -> None:
        self._frozen = None
        self._offset = 0.0

    @property
    def mode(self) -> str:
        if self._frozen is not None:
            return "frozen"
        return "offset" if self._offset else "real"

    def state(self) -> dict[str, float | None]:
        return {"frozen": self._frozen, "offset": self._offset}

    def load(self, state: dict[str, float | None]) -> None:
        self._frozen = state.get("frozen")
        self._offset = float(state.get("offset") or 0.0)

    def iso(self) -> str:
        return iso(self.now())


# The calendar the server computes with. A meeting ends after it starts, a recurrence runs up
# to ~60 years on and reports step months either way, so a time given to us must leave room
# inside datetime's years 1..9999; four-digit years also keep stored times sortable as text.
FIRST_YEAR, LAST_YEAR = 1900, 9000


class OutOfRange(ValueError):
    """A well-formed time outside FIRST_YEAR..LAST_YEAR: callers answer it like any bad time."""


def check_year(year: int) -> None:
    """The one date rule every parser below (and the request validator) applies."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfRange(f"year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")


def utc_text(moment: datetime) -> str:
    """Zoom's timestamp shape for an aware datetime, the year always four digits."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def iso(ts: float) -> str:
    """Zoom's timestamp shape: 2026-11-20T22:17:41Z."""
    return utc_text(datetime.fromtimestamp(int(ts), tz=timezone.utc))


def parse_moment(value: str, tz: tzinfo | None = None) -> datetime:
    """An ISO time as an aware UTC datetime. With a Z or an offset it is that instant; without,
    local time in `tz` (UTC when None). Raises ValueError when malformed, OutOfRange when
    outside the calendar above."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    check_year(dt.year)   # before any arithmetic, so converting zones cannot overflow
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz or timezone.utc)
    moment = dt.astimezone(timezone.utc)
    check_year(moment.year)
    return moment


def parse_iso(value: str) -> float:
    """Epoch seconds of an ISO time (UTC unless it says otherwise); ValueError if not one we take."""
    return parse_moment(value).timestamp()
