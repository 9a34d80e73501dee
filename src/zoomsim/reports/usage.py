"""(being written)"""
from __future__ import annotations

from typing import Any, Callable

HANDLERS: dict[str, Callable[..., Any]] = {}
