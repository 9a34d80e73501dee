"""Payload builders, one module per family: event name -> fn(Change) -> [Emitted] (BUILDERS),
simulation-step event -> fn(Step) -> [Emitted] (STEP_BUILDERS), and the loaders that read
state before an operation changes it (LOADERS, named by catalog.BEFORE)."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim.webhooks.payloads import meetings, simulation, tsp, zoom_events

BUILDERS: dict[str, Callable[..., list[Any]]] = {}
STEP_BUILDERS: dict[str, Callable[..., list[Any]]] = {}
LOADERS: dict[str, Callable[..., Any]] = {}

for _family in (meetings, simulation, tsp, zoom_events):
    BUILDERS.update(getattr(_family, "BUILDERS", {}))
    STEP_BUILDERS.update(getattr(_family, "STEP_BUILDERS", {}))
    LOADERS.update(getattr(_family, "LOADERS", {}))
