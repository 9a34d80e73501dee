"""operationId -> handler for the meetings family. Each module holds one resource and its own
HANDLERS mapping; this one gathers them."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim.meetings import (chat, invitation, livestream, lists, meetings, pac, polls, registrants,
                              summaries, survey, templates, tokens)

CORE: dict[str, Callable[..., Any]] = {
    "meetingCreate": meetings.create_meeting,
    "meeting": meetings.get_meeting,
    "meetingUpdate": meetings.update_meeting,
    "meetingDelete": meetings.delete_meeting,
    "meetingStatus": meetings.update_status,
    "meetings": lists.list_meetings,
    "listUpcomingMeeting": lists.upcoming_meetings,
}

HANDLERS: dict[str, Callable[..., Any]] = dict(CORE)
for _module in (registrants, polls, survey, livestream, tokens, invitation, summaries, pac, templates, chat):
    HANDLERS.update(_module.HANDLERS)
