"""operationId -> handler, gathered from each API family's HANDLERS mapping."""
from __future__ import annotations

from typing import Any, Callable


def all_handlers() -> dict[str, Callable[..., Any]]:
    from zoomsim.users import handlers as users

    merged: dict[str, Callable[..., Any]] = {}
    for family in (users,):
        merged.update(family.HANDLERS)
    return merged
