"""The meeting object: Zoom's defaults for every setting, passcodes and URLs, and the
deep merge PATCH applies."""
from __future__ import annotations

import base64
import copy
import hashlib
import secrets
import string
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from zoomsim import clock as clockmod
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings import recurrence
from zoomsim.meetings.kinds import DIAL_IN_NUMBERS, of_type
# The type groups live with the kinds; the model's users read them from here too.
from zoomsim.meetings.kinds import FIXED_RECURRING as FIXED_RECURRING
from zoomsim.meetings.kinds import NO_FIXED_TIME as NO_FIXED_TIME
from zoomsim.meetings.kinds import RECURRING as RECURRING
from zoomsim.meetings.kinds import SCHEDULED_TYPES as SCHEDULED_TYPES

INSTANT, SCHEDULED, SCREEN_SHARE = 1, 2, 10

# What Zoom returns in `settings` for a meeting created with none given.
DEFAULT_SETTINGS: dict[str, Any] = {
    "host_video": False,
    "participant_video": False,
    "cn_meeting": False,
    "in_meeting": False,
    "join_before_host": False,
    "jbh_time": 0,
    "mute_upon_entry": False,
    "watermark": False,
    "use_pmi": False,
    "approval_type": 2,
    "registration_type": 1,
    "audio": "voip",
    "auto_recording": "none",
    "enforce_login": False,
    "enforce_login_domains": "",
    "alternative_hosts": "",
    "alternative_host_update_polls": False,
    "close_registration": False,
    "show_share_button": False,
    "allow_multiple_devices": False,
    "registrants_confirmation_email": True,
    "waiting_room": False,
    "request_permission_to_unmute_participants": False,
    "global_dial_in_countries": ["US"],
    "global_dial_in_numbers": DIAL_IN_NUMBERS,
    "registrants_email_notification": True,
    "meeting_authentication": False,
    "encryption_type": "enhanced_encryption",
    "approved_or_denied_countries_or_regions": {"enable": False},
    "breakout_room": {"enable": False},
    "internal_meeting": False,
    "continuous_meeting_chat": {"enable": False, "auto_add_invited_external_users": False,
                                "auto_add_meeting_participants": False},
    "participant_focused_meeting": False,
    "push_change_to_calendar": False,
    "resources": [],
    "alternative_hosts_email_notification": True,
    "show_join_info": False,
    "device_testing": False,
    "focus_mode": False,
    "private_meeting": False,
    "email_notification": True,
    "host_save_video_order": False,
    "sign_language_interpretation": {"enable": False},
    "email_in_attendee_report": False,
    "auto_add_recording_to_video_management": {"enable": False},
    "waiting_room_options": {"mode": "follow_setting"},
    "question_and_answer": {"enable": False},
    "language_interpretation": {"enable": False},
    "disable_participant_video": False,
}

_TIMEZONES: set[str] | None = None
_PASS_CHARS = string.ascii_letters + string.digits


def valid_timezone(name: str) -> bool:
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = available_timezones() | {"UTC", "GMT"}
    return name in _TIMEZONES


def deep_merge(into: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """PATCH semantics: nested objects merge key by key, anything else (lists too) replaces."""
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            deep_merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)
    return into


def parse_start(value: str, tz: str) -> datetime:
    """`yyyy-MM-ddTHH:mm:ssZ` is UTC; without the Z it is local time in the meeting's zone.
    A time outside the server's calendar (clock.FIRST_YEAR..LAST_YEAR) is invalid too."""
    try:
        return clockmod.parse_moment(value, ZoneInfo(tz))
    except ValueError:
        raise invalid_field("start_time") from None


def utc_iso(moment: datetime) -> str:
    return clockmod.utc_text(moment)


def numeric_password(password: str) -> str:
    """The digits-only passcode phone and H.323 callers type: the passcode itself when it is
    all digits, otherwise a stable digest of it."""
    if password.isdigit():
        return password
    return str(int(hashlib.sha256(password.encode()).hexdigest(), 16))[:len(password) if len(password) > 5 else 6]


def encrypted_password(meeting_id: int, password: str) -> str:
    digest = hashlib.sha256(f"{meeting_id}:{password}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32] + ".1"


def new_password() -> str:
    return "".join(secrets.choice(_PASS_CHARS) for _ in range(6))


def apply_password(doc: dict[str, Any], password: str, base_url: str) -> None:
    """The passcode and the forms derived from it, under the names the kind's object uses
    (webinars say h323_passcode / encrypted_passcode and have no phone passcode)."""
    kind = of_type(doc["type"])
    doc["password"] = password
    if password:
        doc[kind.h323_key] = numeric_password(password)
        if kind.pstn:
            doc["pstn_password"] = numeric_password(password)
        doc[kind.encrypted_key] = encrypted_password(doc["id"], password)
        doc["join_url"] = f"{base_url}/j/{doc['id']}?pwd={doc[kind.encrypted_key]}"
    else:
        for key in (kind.h323_key, "pstn_password", kind.encrypted_key):
            doc.pop(key, None)
        doc["join_url"] = f"{base_url}/j/{doc['id']}"


def encrypted_passcode(doc: dict[str, Any]) -> str:
    """The passcode as join links carry it, whichever kind's name it is stored under."""
    return str(doc.get(of_type(doc["type"]).encrypted_key) or "")


def validate_password(password: str) -> None:
    if len(password) > 10:
        raise ZoomError(400, 300, "Password must be a maximum of 10 characters.")
    if any(c.isspace() for c in password):
        raise invalid_field("password")


def schedule(doc: dict[str, Any], extra: dict[str, Any], now: float) -> None:
    """Recompute start_time and occurrences from type, start, duration and recurrence."""
    kind = doc["type"]
    if kind in (INSTANT,):
        doc.pop("recurrence", None)
        doc.pop("occurrences", None)
        return
    if kind in NO_FIXED_TIME:
        doc.pop("start_time", None)
        doc.pop("occurrences", None)
        return
    if kind not in FIXED_RECURRING:
        doc.pop("recurrence", None)
        doc.pop("occurrences", None)
        return
    rule = doc.setdefault("recurrence", {"type": 1, "repeat_interval": 1, "end_times": 1})
    check_recurrence(rule)
    start = datetime.fromisoformat(doc["start_time"].replace("Z", "+00:00"))
    occurrences = recurrence.expand(rule, start, doc["timezone"], doc["duration"])
    changes: dict[str, Any] = extra.get("occurrences", {})
    for occ in occurrences:
        occ.update(changes.get(occ["occurrence_id"], {}))
    doc["occurrences"] = occurrences
    live = [o for o in occurrences if o["status"] == "available"]
    if live:
        doc["start_time"] = live[0]["start_time"]


WEEKDAYS = frozenset("1234567")   # Zoom's weekday numbers, Sunday = 1


def check_recurrence(rule: dict[str, Any]) -> None:
    kind = int(rule.get("type") or 0)
    if kind not in (1, 2, 3):
        raise invalid_field("recurrence.type")
    interval = int(rule.get("repeat_interval") or 1)
    if interval > recurrence.MAX_INTERVAL[kind] or interval < 1:
        raise invalid_field("recurrence.repeat_interval")
    if rule.get("end_times") is not None and rule.get("end_date_time"):
        raise ZoomError(400, 300, "Cannot use end_times and end_date_time together.")
    if rule.get("end_times") is not None and not 0 <= int(rule["end_times"]) <= recurrence.MAX_OCCURRENCES:
        raise invalid_field("recurrence.end_times")
    if rule.get("end_date_time"):
        try:
            clockmod.parse_iso(str(rule["end_date_time"]))
        except ValueError:
            raise invalid_field("recurrence.end_date_time") from None
    elif rule.get("end_times") is None:
        rule["end_times"] = 1
    if kind == 2:
        days = str(rule.get("weekly_days") or "1")
        parts = [d.strip() for d in days.split(",")]
        if not all(p in WEEKDAYS for p in parts):   # not isdigit(): '²' is a digit int() refuses
            raise invalid_field("recurrence.weekly_days")
        rule["weekly_days"] = ",".join(parts)
    if kind == 3:
        if rule.get("monthly_day") is not None and not 1 <= int(rule["monthly_day"]) <= 31:
            raise invalid_field("recurrence.monthly_day")
        if rule.get("monthly_week") is None and rule.get("monthly_day") is None:
            rule["monthly_day"] = 1
        if (rule.get("monthly_week") is None) != (rule.get("monthly_week_day") is None) and rule.get("monthly_day") is None:
            raise invalid_field("recurrence.monthly_week_day")


def span(doc: dict[str, Any]) -> tuple[str | None, str | None]:
    """(first start, last end) in UTC, for list filters; None where the meeting has no time."""
    if doc["type"] in NO_FIXED_TIME or not doc.get("start_time"):
        return None, None
    occurrences = [o for o in doc.get("occurrences") or [] if o["status"] == "available"]
    if occurrences:
        first, last = occurrences[0], occurrences[-1]
    else:
        first = last = {"start_time": doc["start_time"], "duration": doc.get("duration") or 0}
    end = datetime.fromisoformat(last["start_time"].replace("Z", "+00:00")) + timedelta(minutes=int(last["duration"] or 0))
    return first["start_time"], utc_iso(end)
