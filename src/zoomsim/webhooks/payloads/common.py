"""What many payloads share: who did it (operator, operator_id), the meeting an operation names,
a meeting's head fields, and Zoom's millisecond timestamps."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomsim import ids
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import users as users_repo

if TYPE_CHECKING:
    from zoomsim.context import Ctx, Input

RECURRING = frozenset({3, 6, 8, 9})         # meetings 3, 8 and webinars 6, 9
FIXED_RECURRING = frozenset({8, 9})


def operator(ctx: "Ctx") -> dict[str, Any]:
    """The caller as Zoom names it in a payload: its e-mail and user id."""
    user = users_repo.get(ctx.db, ctx.account_id, ctx.user_id)
    return {"operator": user.email if user is not None else "", "operator_id": ctx.user_id}


def ms(seconds: float) -> int:
    """Zoom's epoch milliseconds (time_stamp, event_ts)."""
    return int(seconds * 1000)


def named_meeting(ctx: "Ctx", inp: "Input") -> meetings_repo.MeetingRow | None:
    """The caller's account's meeting or webinar the operation's path names, deleted or not;
    None when there is none (the handler answers the error, a loader must not)."""
    try:
        number = ids.meeting_number(ctx.subject(inp))
    except KeyError:
        return None
    row = meetings_repo.get(ctx.db, number) if number is not None else None
    return row if row is not None and row.account_id == ctx.account_id else None


def start_time(doc: dict[str, Any]) -> str:
    """A meeting's start time where a schema requires one: a recurring meeting with no fixed time
    has none stored, so its creation time stands in (as Zoom shows it)."""
    return str(doc.get("start_time") or doc.get("created_at") or "")


def occurrences(doc: dict[str, Any], chosen: list[str] | None = None) -> list[dict[str, str]] | None:
    """The live occurrences (id and start time) of a recurring meeting with fixed times, or
    the `chosen` ones; None for any other meeting (the key is then left out)."""
    if doc.get("type") not in FIXED_RECURRING or doc.get("occurrences") is None:
        return None
    return [{"occurrence_id": str(o["occurrence_id"]), "start_time": str(o["start_time"])}
            for o in doc["occurrences"]
            if o.get("status", "available") == "available" and (chosen is None or o["occurrence_id"] in chosen)]


HEAD = ("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone")


def head(doc: dict[str, Any], keys: tuple[str, ...] = HEAD) -> dict[str, Any]:
    """A meeting's or webinar's identity and schedule, the way most events begin their object,
    in the order `keys` gives (each event's example orders them its own way). `id` is the
    integer here; the live events (started, participants) spell it as a string themselves."""
    values: dict[str, Any] = {
        "uuid": str(doc.get("uuid") or ""), "id": int(doc["id"]), "host_id": str(doc.get("host_id") or ""),
        "topic": str(doc.get("topic") or ""), "type": int(doc["type"]), "start_time": start_time(doc),
        "duration": int(doc.get("duration") or 0), "timezone": str(doc.get("timezone") or "UTC"),
    }
    return {k: values[k] for k in keys}
