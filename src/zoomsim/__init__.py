"""zoomsim: a stateful, self-hosted implementation of Zoom's REST APIs."""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["intercept"]


def __getattr__(name: str) -> Any:
    """`zoomsim.intercept` on first use only: importing zoomsim stays free of the app."""
    if name == "intercept":
        from zoomsim.testing.intercept import intercept

        return intercept
    raise AttributeError(f"module 'zoomsim' has no attribute {name!r}")
