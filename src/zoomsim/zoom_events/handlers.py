"""operationId -> handler for the Zoom Events family: each module holds one resource and its
own HANDLERS mapping; this one gathers them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.zoom_events import actions, events, hubs, sessions
from zoomsim.zoom_events import speakers
from zoomsim.zoom_events import exhibitors
from zoomsim.zoom_events import coeditors
from zoomsim.zoom_events import access_links
from zoomsim.zoom_events import questions
from zoomsim.zoom_events import attendee_actions

HANDLERS: dict[str, Callable[..., Any]] = {}
for _module in (hubs, events, actions, sessions, speakers, exhibitors, coeditors, access_links, questions,
                attendee_actions):
    HANDLERS.update(_module.HANDLERS)
