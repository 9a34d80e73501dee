"""operationId -> handler for the reports family: each module holds a group of reports."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim.reports import audit, billing, history, meeting_reports, remote_support, usage

HANDLERS: dict[str, Callable[..., Any]] = {}
for _module in (meeting_reports, history, usage, billing, audit, remote_support):
    HANDLERS.update(_module.HANDLERS)
