"""Live chat: deleting (meetings and webinars) and editing (meetings) an in-meeting chat message
while the meeting runs. Messages are sent by the simulation (POST /_zoomsim/meetings/{id}/chat,
simulation.live.chat) and kept as records of the running instance; the API only reaches the
running instance's messages, so a message of an earlier run, or any message once the meeting
has ended, is gone from here.

Zoom requires DLP for in-meeting chat on the account for these operations; zoomsim treats it
as enabled everywhere. Deleting marks the message deleted (it stays in the instance's records);
with `file_ids`, only those files of the message go."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim import clock as clockmod
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings.access import load_meeting
from zoomsim.simulation import live
from zoomsim.storage import instances as inst_repo

KIND = "chat"


def _message(ctx: Ctx, inp: Input) -> tuple[int, dict[str, Any]]:
    """(record seq, message) of the running instance's message the path names."""
    row = load_meeting(ctx, ctx.subject(inp))
    instance = live.running(ctx.db, row)
    message_id = str(inp.path["messageId"])
    for seq, doc in inst_repo.record_rows(ctx.db, instance.seq, KIND):
        if doc.get("message_id") == message_id and not doc.get("deleted"):
            return seq, doc
    raise ZoomError(404, 3001, f"Message does not exist: {message_id}.")


def delete_message(ctx: Ctx, inp: Input) -> None:
    """The whole message, or only the files `file_ids` names (comma separated), each of which
    must be one of the message's."""
    seq, doc = _message(ctx, inp)
    stamp = clockmod.iso(ctx.now)
    wanted = [f.strip() for f in str(inp.query.get("file_ids") or "").split(",") if f.strip()]
    if wanted:
        files = [f for f in doc.get("files") or [] if not f.get("deleted")]
        held = {f["file_id"] for f in files}
        if any(w not in held for w in wanted):
            raise ZoomError(400, 300, "Invalid parameter: file_ids.")
        for f in files:
            if f["file_id"] in wanted:
                f.update(deleted=True, deleted_time=stamp)
    else:
        doc.update(deleted=True, deleted_time=stamp)
    inst_repo.update_record(ctx.db, seq, doc)


def update_message(ctx: Ctx, inp: Input) -> None:
    """New text for the message; it keeps its id, sender and files."""
    content = (inp.body or {}).get("message_content")
    if not isinstance(content, str) or not content.strip() or len(content) > live.MAX_CHAT_MESSAGE:
        raise invalid_field("message_content", f"A message is 1 to {live.MAX_CHAT_MESSAGE} characters.")
    seq, doc = _message(ctx, inp)
    doc.update(message=content, edited_time=clockmod.iso(ctx.now))
    inst_repo.update_record(ctx.db, seq, doc)


HANDLERS: dict[str, Callable[..., Any]] = {
    "deleteMeetingChatMessageById": delete_message,
    "updateMeetingChatMessageById": update_message,
}
