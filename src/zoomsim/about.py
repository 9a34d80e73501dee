"""What this installation is: the version the command line, the health check and the served
OpenAPI document report."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("zoomsim")
    except PackageNotFoundError:     # running from a source tree that was never installed
        return "0+unknown"
