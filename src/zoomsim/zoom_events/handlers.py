"""operationId -> handler for the Zoom Events family: each module holds one resource and its
own HANDLERS mapping; this one gathers them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.zoom_events import (access_links, actions, attendee_actions, coeditors, emails, events, exhibitors,
                                 files, hub_hosts, hubs, join_tokens, livestream, questions, registrants, sessions,
                                 speakers, ticket_types, tickets, videos, vod_channels, vod_registrations)
from zoomsim.zoom_events import interpreters, polls, reservations          # a session's parts
from zoomsim.zoom_events import attendance, custom_reports, engagement, reports, transcripts   # what happened

HANDLERS: dict[str, Callable[..., Any]] = {}
for _module in (hubs, events, actions, sessions, livestream, join_tokens, ticket_types, tickets,   # the event
                registrants, polls, interpreters, reservations,                                # its sessions' parts
                speakers, exhibitors, coeditors, access_links, questions, attendee_actions, emails,   # its parts
                files, hub_hosts, videos, vod_channels, vod_registrations,                 # the hub's media
                attendance, reports, custom_reports, transcripts, engagement):             # what happened
    HANDLERS.update(_module.HANDLERS)
