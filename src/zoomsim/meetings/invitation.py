"""The invitation a host sends (GET .../invitation) and per-attendee invite links
(POST .../invite_links). The invitation carries the facts Zoom's does: who invites, topic,
time in the meeting's zone (or the recurrence), how to join online, by phone and by SIP."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from zoomsim import jsonio
from zoomsim.context import Ctx, Input
from zoomsim.errors import invalid_field
from zoomsim.meetings import model
from zoomsim.meetings.access import load_with_host
from zoomsim.meetings.kind_rules import load_subject
from zoomsim.meetings.tokens import SIP_DOMAIN, key_for, sign

NL = "\r\n"
WEEKDAYS = {1: "Sun", 2: "Mon", 3: "Tue", 4: "Wed", 5: "Thu", 6: "Fri", 7: "Sat"}
WEEKS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
PHONE_AUDIO = ("both", "telephony")
INVITE_LINK_TTL = 7200
INVITE_PURPOSE = "invite_link"


def format_meeting_id(number: int) -> str:
    """Zoom groups the digits: 3-4-4 for 11 digits, 3-3-4 for 10, 3-3-3 for 9."""
    text = str(number)
    if len(text) == 11:
        return f"{text[:3]} {text[3:7]} {text[7:]}"
    if len(text) == 10:
        return f"{text[:3]} {text[3:6]} {text[6:]}"
    if len(text) == 9:
        return f"{text[:3]} {text[3:6]} {text[6:]}"
    return text


def _local(iso: str, tz: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(tz))
    return moment.strftime("%b %d, %Y %I:%M %p")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def recurrence_summary(doc: dict[str, Any]) -> str:
    """One line describing the rule, then its end: the last date and the number of times."""
    rule = doc.get("recurrence") or {}
    kind = int(rule.get("type") or 1)
    every = int(rule.get("repeat_interval") or 1)
    if kind == 1:
        text = "Every day" if every == 1 else f"Every {every} days"
    elif kind == 2:
        days = [WEEKDAYS.get(int(d), "") for d in str(rule.get("weekly_days") or "").split(",") if d.strip()]
        text = ("Every week" if every == 1 else f"Every {every} weeks") + (f" on {', '.join(days)}" if days else "")
    else:
        text = "Every month" if every == 1 else f"Every {every} months"
        if rule.get("monthly_week") is not None and rule.get("monthly_week_day") is not None:
            text += (f" on the {WEEKS.get(int(rule['monthly_week']), '')} "
                     f"{WEEKDAYS.get(int(rule['monthly_week_day']), '')}")
        elif rule.get("monthly_day") is not None:
            text += f" on the {_ordinal(int(rule['monthly_day']))}"
    live = [o for o in doc.get("occurrences") or [] if o.get("status") == "available"]
    if live:
        last = datetime.fromisoformat(live[-1]["start_time"].replace("Z", "+00:00")).astimezone(ZoneInfo(doc["timezone"]))
        text += f", until {last.strftime('%b %d, %Y')}, {len(live)} occurrence(s)"
    return text


def _time_lines(doc: dict[str, Any]) -> list[str]:
    tz = doc.get("timezone") or "UTC"
    if doc["type"] in model.NO_FIXED_TIME:
        return ["Time: a recurring meeting with no fixed time; join whenever it is open"]
    if doc["type"] in model.FIXED_RECURRING:
        live = [o for o in doc.get("occurrences") or [] if o.get("status") == "available"]
        first = live[0]["start_time"] if live else doc["start_time"]
        lines = [f"Time: {_local(first, tz)} {tz}", f"    {recurrence_summary(doc)}"]
        lines += [f"    {_local(o['start_time'], tz)}" for o in live]
        return lines
    start = doc.get("start_time") or doc.get("created_at")
    return [f"Time: {_local(start, tz)} {tz}"] if start else []


def _find_number_code(ctx: Ctx, meeting_id: int) -> str:
    """The short code of the 'find your local number' page, fixed per meeting."""
    digest = hmac.new(key_for(ctx, "local_numbers"), str(meeting_id).encode(), hashlib.sha256).hexdigest()
    return digest[:10]


def _phone_lines(ctx: Ctx, doc: dict[str, Any], pretty_id: str) -> list[str]:
    settings = doc.get("settings") or {}
    numbers = [n for n in settings.get("global_dial_in_numbers") or [] if n.get("number")]
    if settings.get("audio") not in PHONE_AUDIO or not numbers:
        return []
    pstn = doc.get("pstn_password") or ""
    lines = ["", "Join with one tap on mobile"]
    for entry in numbers[:2]:
        digits = entry["number"].replace(" ", "")
        tail = f",,,,*{pstn}#" if pstn else ""
        lines.append(f"{digits},,{doc['id']}#{tail} {_place(entry)}")
    lines += ["", "Join by phone, using the number nearest you"]
    lines += [f"    {entry['number']} {_place(entry)}" for entry in numbers]
    lines.append(f"Meeting ID: {pretty_id}")
    if pstn:
        lines.append(f"Passcode: {pstn}")
    lines.append(f"Other local numbers: {ctx.services.config.base_url}/u/{_find_number_code(ctx, doc['id'])}")
    return lines


def _place(entry: dict[str, Any]) -> str:
    country = entry.get("country") or entry.get("country_name") or ""
    city = entry.get("city") or ""
    return f"{country} ({city})" if city else country


def sip_links(doc: dict[str, Any]) -> list[str]:
    return [f"{doc['id']}@{SIP_DOMAIN}"]


def invitation_text(ctx: Ctx, doc: dict[str, Any], host_name: str) -> str:
    kind = "recurring" if doc["type"] in model.RECURRING else "scheduled"
    pretty_id = format_meeting_id(doc["id"])
    lines = [f"{host_name} invites you to a {kind} Zoom meeting.", "", f"Topic: {doc.get('topic', '')}"]
    lines += _time_lines(doc)
    lines.append("")
    settings = doc.get("settings") or {}
    if settings.get("approval_type") in (0, 1) and doc.get("registration_url"):
        lines += ["Registration is required. Register here before the meeting:", doc["registration_url"], "",
                  "Once you have registered, a confirmation email will tell you how to join.", ""]
        return NL.join(lines)
    lines += ["Join the Zoom meeting", doc["join_url"], "", f"Meeting ID: {pretty_id}"]
    if doc.get("password"):
        lines.append(f"Passcode: {doc['password']}")
    lines += _phone_lines(ctx, doc, pretty_id)
    lines += ["", "Join from a SIP device"] + [f"    {link}" for link in sip_links(doc)]
    lines.append("")
    return NL.join(lines)


def get_invitation(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row, host = load_with_host(ctx, ctx.subject(inp))
    doc = row.data()
    host_doc = jsonio.loads(host.doc)
    name = str(host_doc.get("display_name") or "").strip() or str(doc.get("host_email") or "The host")
    return {"invitation": invitation_text(ctx, doc, name), "sip_links": sip_links(doc)}


def create_invite_links(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """One signed join link per attendee. The token (`tk`) names the attendee, their audio and
    video choices and, unless ttl is 0 (no expiry), when the link stops working. Webinars
    hand out the same links (attendees join by the webinar's number)."""
    row = load_subject(ctx, inp)
    body = inp.body or {}
    attendees = body.get("attendees")
    if not attendees:
        raise invalid_field("attendees")
    ttl = body.get("ttl")
    ttl = INVITE_LINK_TTL if ttl is None else int(ttl)
    doc = row.data()
    now = int(ctx.now)
    base = f"{ctx.services.config.base_url}/j/{row.id}"
    pwd = f"&pwd={model.encrypted_passcode(doc)}" if model.encrypted_passcode(doc) else ""
    out = []
    for i, person in enumerate(attendees):
        name = str(person.get("name") or "").strip()
        if not name:
            raise invalid_field(f"attendees[{i}].name")
        claims: dict[str, Any] = {"aid": ctx.account_id, "mid": row.id, "name": name,
                                  "dv": bool(person.get("disable_video")), "da": bool(person.get("disable_audio")),
                                  "iat": now, "jti": secrets.token_urlsafe(6)}
        if ttl:
            claims["exp"] = now + ttl
        out.append({"name": name, "join_url": f"{base}?tk={sign(ctx, INVITE_PURPOSE, claims)}{pwd}"})
    return {"attendees": out}


HANDLERS = {
    "meetingInvitation": get_invitation,
    "meetingInviteLinksCreate": create_invite_links,
}
