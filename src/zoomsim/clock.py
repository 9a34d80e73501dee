"""The app's clock: wall time, frozen at an instant, or wall time shifted by an offset.

Everything time-based (token expiry, page-token expiry, rate-limit windows) reads this,
so the simulation can move time deterministically.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone


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


def iso(ts: float) -> str:
    """Zoom's timestamp shape: 2026-11-20T22:17:41Z."""
    return datetime.fromtimestamp(int(ts), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> float:
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()
