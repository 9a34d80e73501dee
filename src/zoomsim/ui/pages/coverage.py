"""Coverage: how much of Zoom's operation table zoomsim answers, per API family, with each
family's operations one click away. The counts are `zoomsim coverage`'s (cli.coverage_rows);
an operation is implemented when that command does not list it as missing."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim.cli import FAMILY_LABELS, coverage_rows
from zoomsim.optable import load_operations
from zoomsim.ui import web


@lru_cache(maxsize=1)
def families() -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Per family: label, implemented, total, percent and its operations; plus the totals. The
    table ships with the package and never changes while a server runs, so it is built once."""
    ops = load_operations()
    family_of = {label: family for family, label in FAMILY_LABELS.items()}
    out = []
    for label, done, total, missing in coverage_rows():
        family = family_of[label]
        gaps = set(missing)
        mine = [{"method": op.method, "path": op.full_path, "id": op.id, "summary": op.summary,
                 "scopes": list(op.scopes) or list(op.granular_scopes),
                 "implemented": f"{op.method} {op.full_path} ({op.id})" not in gaps}
                for op in ops if op.family == family]
        mine.sort(key=lambda o: (o["path"], o["method"]))
        out.append({"family": family, "label": label, "done": done, "total": total,
                    "percent": round(100 * done / total) if total else 100, "ops": mine})
    done = sum(f["done"] for f in out)
    total = sum(f["total"] for f in out)
    return out, {"done": done, "total": total, "percent": round(100 * done / total) if total else 100}


@web.page
async def coverage(request: Request) -> Response:
    rows, totals = families()
    return web.render(request, "coverage.html", title="Coverage", rows=rows, totals=totals)


ROUTES = [Route("/coverage", coverage, methods=["GET"])]
