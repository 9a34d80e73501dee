"""A user's paid add-ons (Zoom's user settings `feature` section): the webinar licence and its
capacity, large meetings, Zoom Events. Kept as an account item per user so the Zoom user object
stays as Zoom returns it; webinar operations read it to decide "Webinar plan is missing"."""
from __future__ import annotations

from typing import Any

from zoomsim.errors import invalid_field
from zoomsim.storage import items as items_repo
from zoomsim.storage.db import Db

KIND = "user_features"
WEBINAR_CAPACITIES = (100, 500, 1000, 3000, 5000, 10000)
DEFAULT_WEBINAR_CAPACITY = 500
# Panelists per webinar: Zoom allows 100 on every webinar licence.
PANELISTS_PER_WEBINAR = 100
DEFAULTS: dict[str, Any] = {"webinar": False, "webinar_capacity": 0, "large_meeting": False,
                            "large_meeting_capacity": 0, "zoom_events": False, "zoom_events_capacity": 0}


def get(db: Db, account_id: str, user_id: str) -> dict[str, Any]:
    item = items_repo.get(db, account_id, KIND, user_id)
    return {**DEFAULTS, **(item.data() if item is not None else {})}


def webinar_capacity(db: Db, account_id: str, user_id: str) -> int:
    """The user's webinar licence capacity; 0 when the user holds none."""
    found = get(db, account_id, user_id)
    return int(found["webinar_capacity"]) if found["webinar"] else 0


def parse(spec: Any) -> dict[str, Any]:
    """The admin API's way of granting add-ons: `{"webinar": 1000}` (a capacity), `true` (the
    default capacity) or `false`; the same for large_meeting and zoom_events."""
    if not isinstance(spec, dict):
        raise invalid_field("features")
    out: dict[str, Any] = {}
    for name in ("webinar", "large_meeting", "zoom_events"):
        if name not in spec:
            continue
        value = spec[name]
        if value is False or value is None or value == 0:
            out[name], out[f"{name}_capacity"] = False, 0
        elif value is True:
            out[name], out[f"{name}_capacity"] = True, DEFAULT_WEBINAR_CAPACITY
        elif isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100_000:
            out[name], out[f"{name}_capacity"] = True, value
        else:
            raise invalid_field(f"features.{name}")
    unknown = set(spec) - {"webinar", "large_meeting", "zoom_events"}
    if unknown:
        raise invalid_field(f"features.{sorted(unknown)[0]}")
    return out


def grant(db: Db, account_id: str, user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**get(db, account_id, user_id), **changes}
    items_repo.upsert(db, account_id, KIND, user_id, merged, owner_id=user_id)
    return merged
