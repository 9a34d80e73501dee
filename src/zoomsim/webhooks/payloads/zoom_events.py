"""zoom_events.* events: events, sessions, speakers, exhibitors, tickets, ticket types, VOD."""
from __future__ import annotations

BUILDERS: dict = {}
STEP_BUILDERS: dict = {}
LOADERS: dict = {}
