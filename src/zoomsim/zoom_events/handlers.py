"""operationId -> handler for the Zoom Events family: each module holds one resource and its
own HANDLERS mapping; this one gathers them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.zoom_events import hubs

HANDLERS: dict[str, Callable[..., Any]] = {}
for _module in (hubs,):
    HANDLERS.update(_module.HANDLERS)
