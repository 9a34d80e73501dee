"""What registration and a meeting's parts (polls, survey, livestream, tokens) do differently for
a webinar than for a meeting, as one row of data per kind, plus the lookups that find an
operation's own wording for an error whatever code it files it under.

Everything else about the two kinds (types, settings, the word in messages, the path parameter)
is on kinds.Kind; this table holds only what these modules need, so kinds.py stays small."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented
from zoomsim.meetings.access import load_meeting
from zoomsim.meetings.kinds import PANELIST_PART
from zoomsim.storage.meetings import MeetingRow


@dataclass(frozen=True, slots=True)
class Rules:
    # registration
    licensed_seats: bool              # seats come from the host's webinar licence (else a fixed cap)
    full_code: int                    # registering past the cap: code and wording
    full_text: str
    host_registers: bool              # may the host register for their own one?
    invitees: str | None              # meeting-part kind whose addresses are invited, not registered
    over_with_time: bool              # registration ends with the last scheduled time by itself
    over_text: str                    # "is over, you cannot register now" (3038)
    not_enabled_code: int             # registration off, where the operation documents no code
    registrant_extras: tuple[str, ...]  # fields only this kind's registrant object carries
    link_names_registration: bool     # registrant links carry the registration's key (uuid=WN_...)
    # parts
    caption_needs_start: bool         # the closed caption token exists only while it runs
    survey_flags: tuple[tuple[str, bool], ...]   # the survey's switches and their defaults


MEETING_RULES = Rules(
    licensed_seats=False,
    full_code=3043, full_text="Meeting has reached maximum attendee capacity.",
    host_registers=True, invitees=None, over_with_time=False,
    over_text=("Meeting is over, you can not register now. If you have any questions, please contact the "
               "Meeting host."),
    not_enabled_code=404, registrant_extras=(), link_names_registration=False,
    caption_needs_start=False,
    survey_flags=(("show_in_the_browser", True),),
)
WEBINAR_RULES = Rules(
    licensed_seats=True,
    full_code=3000, full_text=("You have reached the limit for the number of attendees you can add. Contact "
                               "Zoom Support for more information."),
    host_registers=False, invitees=PANELIST_PART, over_with_time=True,
    over_text=("Webinar is over, you cannot register now. If you have any questions, contact the "
               "webinar host."),
    not_enabled_code=3000, registrant_extras=("language",), link_names_registration=True,
    caption_needs_start=True,
    survey_flags=(("show_in_the_browser", True), ("show_in_the_follow_up_email", False)),
)
RULES = {"meeting": MEETING_RULES, "webinar": WEBINAR_RULES}


def rules(ctx: Ctx) -> Rules:
    return RULES[ctx.kind.name]


def named(ctx: Ctx, number: object) -> dict[str, object]:
    """The placeholder the operation's messages name the meeting or webinar by, and {id}
    for our own fallbacks."""
    return {ctx.kind.param: number, "id": number}


def said(ctx: Ctx, text: str, code: int, fallback: str, **names: object) -> ZoomError:
    """The operation's documented error holding `text`, under whatever code it files it (Zoom
    says "has not started" with 4927 for meetings and 200 or 3000 for webinars); else `code`
    with the fallback."""
    needle = text.lower()
    hit = next((e for e in ctx.op.errors if needle in e["message"].lower()), None)
    return documented(ctx, hit["code"] if hit else code, fallback, containing=text, **names)


def documents(ctx: Ctx, text: str) -> bool:
    needle = text.lower()
    return any(needle in e["message"].lower() for e in ctx.op.errors)


def check_id(ctx: Ctx, raw_id: object) -> None:
    """An id that is not a number is 300 "Invalid meeting ID." / "Invalid webinar ID." where the
    operation documents it (elsewhere it is simply not found)."""
    text = str(raw_id).strip()
    if text.isascii() and text.isdigit():
        return
    head = f"invalid {ctx.kind.name} id"
    if any(e["code"] == 300 and e["status"] == 400 and e["message"].lower().startswith(head)
           for e in ctx.op.errors):
        raise documented(ctx, 300, f"Invalid {ctx.kind.name} ID.", containing=head)


def load_subject(ctx: Ctx, inp: Input) -> MeetingRow:
    """The path's meeting or webinar (access.load_meeting), after check_id."""
    check_id(ctx, ctx.subject(inp))
    return load_meeting(ctx, ctx.subject(inp))


def _props(node: Any) -> dict[str, Any]:
    out: dict[str, Any] = dict(node.get("properties") or {})
    for part in node.get("allOf") or []:
        out.update(_props(part))
    return out


def body_fields(ctx: Ctx, *path: str) -> frozenset[str]:
    """The properties the operation's request body documents at `path` (e.g. "settings"), so a
    handler keeps only what this kind's operation knows."""
    node: Any = ctx.op.body or {}
    for key in path:
        node = _props(node).get(key) or {}
    return frozenset(_props(node))
