"""operationId -> handler, gathered from each API family's HANDLERS mapping."""
from __future__ import annotations

from typing import Any, Callable


def all_handlers() -> dict[str, Callable[..., Any]]:
    from zoomsim.legacy_v1 import webinars as legacy_v1
    from zoomsim.marketplace import handlers as marketplace
    from zoomsim.meetings import handlers as meetings
    from zoomsim.past_meetings import handlers as past_meetings
    from zoomsim.reports import handlers as reports
    from zoomsim.sip_phones import handlers as sip_phones
    from zoomsim.tracking_fields import handlers as tracking_fields
    from zoomsim.tsp import handlers as tsp
    from zoomsim.users import handlers as users

    from zoomsim.webinars.handlers import webinar_handlers
    from zoomsim.zoom_events import handlers as zoom_events

    merged: dict[str, Callable[..., Any]] = {}
    for family in (users, meetings, past_meetings, reports, tracking_fields, sip_phones, tsp, zoom_events,
                   legacy_v1, marketplace):
        merged.update(family.HANDLERS)
    merged.update(webinar_handlers(merged))   # webinars share the meeting domain's handlers
    return merged
