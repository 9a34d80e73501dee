"""v1's webinar fields and the v2 webinar they stand for. v1 spreads the settings over flat
`option_*` fields and types everything as text; v2 keeps a `settings` object. Both faces
read and write the same stored webinar, so these two functions are the whole difference."""
from __future__ import annotations

import re
from typing import Any, Callable

from zoomsim.legacy_v1.params import Form, invalid

TOPIC_MAX = 300
PASSWORD = re.compile(r"[a-zA-Z0-9@\-_*]{1,10}")
TYPES = frozenset({5, 6, 9})

# v1 field -> the v2 setting it is, with the values v1 allows (None: any text; bool: a flag).
OPTIONS: dict[str, tuple[str, tuple[str, ...] | type | None]] = {
    "option_audio": ("audio", ("both", "telephony", "voip")),
    "option_host_video": ("host_video", bool),
    "option_panelist_video": ("panelists_video", bool),
    "option_practice_session": ("practice_session", bool),
    "option_enforce_login": ("enforce_login", bool),
    "option_enforce_login_domains": ("enforce_login_domains", None),
    "option_alternative_hosts": ("alternative_hosts", None),
    "option_auto_record_type": ("auto_recording", ("local", "cloud", "none")),
    "option_panelists_reminder": ("panelists_invitation_email_notification", bool),
}
# What v1 gave a webinar created with no options (its docs' defaults), where v2's differ.
CREATE_DEFAULTS = {"host_video": True, "panelists_video": True, "auto_recording": "local"}
# v1's e-mail languages, as v2's email_language names them.
LANGUAGES = {"en-US": "en-US", "en": "en-US", "zh-CN": "zh-CN", "zh": "zh-CN", "en-ES": "es-ES", "es": "es-ES",
             "fr-FR": "fr-FR", "fr": "fr-FR"}
RECURRENCE_NUMBERS = ("type", "repeat_interval", "monthly_day", "monthly_week", "monthly_week_day", "end_times")
STATUS = {"waiting": 0, "started": 1, "finished": 2}


EmailOf = Callable[[str], "str | None"]


def v2_body(form: Form, email_of: EmailOf, *, creating: bool) -> dict[str, Any]:
    """The v2 create/update body a v1 call means. `email_of` gives an account user's e-mail,
    for option_alternative_host_ids (v2 names alternative hosts by e-mail)."""
    body: dict[str, Any] = {}
    topic = form.text("topic", required=creating, max_len=TOPIC_MAX)
    if topic is not None:
        body["topic"] = topic
    kind = form.number("type", default=5 if creating else None, choices=TYPES)
    if kind is not None:
        body["type"] = kind
    for name in ("start_time", "timezone", "agenda"):
        value = form.text(name)
        if value is not None:
            body[name] = value.strip() if name == "start_time" else value
    duration = form.number("duration", low=0, high=1440 * 7)
    if duration is not None:
        body["duration"] = duration
    password = form.text("password", pattern=PASSWORD)
    if password is not None:
        body["password"] = password
    elif creating:
        body["password"] = ""     # v1 webinars had no passcode unless one was given
    recurrence = _recurrence(form)
    if recurrence is not None:
        body["recurrence"] = recurrence
    body["settings"] = _settings(form, email_of, creating)
    return body


def _settings(form: Form, email_of: EmailOf, creating: bool) -> dict[str, Any]:
    settings: dict[str, Any] = dict(CREATE_DEFAULTS) if creating else {}
    approval = form.number("approval_type", default=2 if creating else None, choices=frozenset({0, 1, 2}))
    if approval is not None:
        settings["approval_type"] = approval
    registration = form.number("registration_type", choices=frozenset({1, 2, 3}))
    if registration is not None:
        settings["registration_type"] = registration
    for name, (key, allowed) in OPTIONS.items():
        value: Any = form.flag(name) if allowed is bool else (
            form.choice(name, allowed) if isinstance(allowed, tuple) else form.text(name))
        if value is not None:
            settings[key] = value
    host_ids = form.ids("option_alternative_host_ids")
    if host_ids:
        emails = [email_of(uid) for uid in host_ids]
        if None in emails:
            raise invalid("option_alternative_host_ids")
        named = [e for e in str(settings.get("alternative_hosts") or "").replace(",", ";").split(";") if e.strip()]
        settings["alternative_hosts"] = ";".join(named + [str(e) for e in emails])
    language = form.text("language")
    if language is not None:
        if language not in LANGUAGES:
            raise invalid("language")
        settings["email_language"] = LANGUAGES[language]
    return settings


def _recurrence(form: Form) -> dict[str, Any] | None:
    raw = form.structured("recurrence")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise invalid("recurrence")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in RECURRENCE_NUMBERS:
            text = str(value).strip()
            if not re.fullmatch(r"-?\d{1,4}", text):
                raise invalid("recurrence")
            out[key] = int(text)
        elif key in ("weekly_days", "end_date_time"):
            out[key] = str(value)
        else:
            raise invalid("recurrence")
    return out


def panelists(form: Form) -> list[dict[str, str]]:
    """`panelists` as v1 takes it: a JSON list of {"name", "email"}."""
    raw = form.structured("panelists")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(p, dict) and isinstance(p.get("email"), str)
                                            and p.get("email") for p in raw):
        raise invalid("panelists")
    return [{"name": str(p.get("name") or p["email"]), "email": str(p["email"])} for p in raw]


def v1_webinar(doc: dict[str, Any], *, occurrences: bool = False) -> dict[str, Any]:
    """The v1 webinar object (create, get, list) from the stored v2 webinar."""
    s = doc.get("settings") or {}
    approval = int(s.get("approval_type", 2))
    out: dict[str, Any] = {
        "uuid": doc["uuid"],
        "id": str(doc["id"]),
        "host_id": doc["host_id"],
        "topic": doc["topic"],
        "agenda": doc.get("agenda") or "",
        "status": STATUS.get(str(doc.get("status")), 0),
        "option_start_type": "video" if s.get("host_video") else "screen_share",
        "option_audio": s.get("audio", "both"),
        "option_host_video": bool(s.get("host_video")),
        "option_panelist_video": bool(s.get("panelists_video")),
        "option_practice_session": bool(s.get("practice_session")),
        "option_enforce_login": bool(s.get("enforce_login")),
        "option_enforce_login_domains": s.get("enforce_login_domains") or "",
        "option_alternative_hosts": s.get("alternative_hosts") or "",
        "option_auto_record_type": s.get("auto_recording") or "none",
        "type": doc["type"],
        "start_time": doc.get("start_time") or "",
        "duration": doc.get("duration") or 0,
        "timezone": doc.get("timezone") or "",
        "password": doc.get("password") or "",
        "approval_type": approval,
        "registration_type": int(s.get("registration_type", 1)),
        "start_url": doc.get("start_url") or "",
        "join_url": doc.get("join_url") or "",
        "registration_url": (doc.get("registration_url") or "") if approval != 2 else "",
        "created_at": doc.get("created_at") or "",
    }
    if doc.get("recurrence"):
        out["recurrence"] = doc["recurrence"]
    if occurrences:
        out["occurrences"] = [{"occurrence_id": o["occurrence_id"], "start_time": o["start_time"],
                               "duration": o["duration"], "status": o.get("status", "available")}
                              for o in doc.get("occurrences") or []]
    return out
