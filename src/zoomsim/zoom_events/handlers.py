"""operationId -> handler for the Zoom Events family: each module holds one resource and its
own HANDLERS mapping; this one gathers them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.zoom_events import actions, events, hubs, sessions, ticket_types, tickets
from zoomsim.zoom_events import speakers
from zoomsim.zoom_events import exhibitors
from zoomsim.zoom_events import coeditors
from zoomsim.zoom_events import access_links
from zoomsim.zoom_events import questions
from zoomsim.zoom_events import attendee_actions
from zoomsim.zoom_events import emails
from zoomsim.zoom_events import files
from zoomsim.zoom_events import hub_hosts
from zoomsim.zoom_events import videos
from zoomsim.zoom_events import vod_channels
from zoomsim.zoom_events import vod_registrations

HANDLERS: dict[str, Callable[..., Any]] = {}
for _module in (hubs, events, actions, sessions, ticket_types, tickets, speakers, exhibitors, coeditors, access_links, questions,
                attendee_actions, emails,
                files, hub_hosts, videos, vod_channels, vod_registrations):
    HANDLERS.update(_module.HANDLERS)
