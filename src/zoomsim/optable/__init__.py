"""The operation table: every Zoom operation as data (built by tools/build_optable.py).

Routing, scope checks, rate limits, the served OpenAPI document and `zoomsim coverage`
all read this table; nobody hand-writes a route list.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable

RATE_LABELS = ("LIGHT", "MEDIUM", "HEAVY", "RESOURCE_INTENSIVE")


@dataclass(slots=True, eq=False)
class Operation:
    id: str
    api: str
    family: str
    method: str
    path: str
    summary: str
    scopes: tuple[str, ...]
    granular_scopes: tuple[str, ...]
    rate_limit: str | None
    status: int
    params: list[dict[str, Any]]
    body: dict[str, Any] | None
    body_type: str | None
    errors: list[dict[str, Any]]
    response: dict[str, Any] | None = None   # success body schema from the reference spec
    kind: str = "meeting"           # which kind of the meeting domain it serves (meetings/kinds.py)
    all_scopes: frozenset[str] = frozenset()
    admin_scopes: frozenset[str] = frozenset()
    handler: Callable[..., Any] | None = None
    validator: Any = None           # compiled lazily on first call
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return "/v1" if self.api == "v1" else "/v2"

    @property
    def full_path(self) -> str:
        return self.base + self.path

    def checker(self) -> Any:
        """The request validator of this operation's query and body, compiled on first use."""
        if self.validator is None:
            from zoomsim.platform.validation import RequestValidator
            self.validator = RequestValidator(self.params, self.body, self.body_type)
        return self.validator

    @property
    def label(self) -> str:
        """Rate-limit label; operations the docs leave unlabelled count as LIGHT."""
        return self.rate_limit or "LIGHT"


def load_operations() -> list[Operation]:
    data = json.loads(resources.files("zoomsim.optable").joinpath("operations.json").read_text("utf-8"))
    ops = []
    for raw in data["operations"]:
        op = Operation(
            id=raw["id"],
            api=raw["api"],
            family=raw["family"],
            method=raw["method"].upper(),
            path=raw["path"],
            summary=raw.get("summary") or "",
            scopes=tuple(raw.get("scopes") or ()),
            granular_scopes=tuple(raw.get("granular_scopes") or ()),
            rate_limit=raw.get("rate_limit"),
            status=int(raw.get("status") or 200),
            params=raw.get("params") or [],
            body=raw.get("body"),
            body_type=raw.get("body_type"),
            errors=raw.get("errors") or [],
            response=raw.get("response"),
            kind="webinar" if "webinar" in raw["path"].lower() else "meeting",
        )
        op.all_scopes = frozenset(op.scopes) | frozenset(op.granular_scopes)
        op.admin_scopes = frozenset(s for s in op.all_scopes if ":admin" in s or s.endswith(":master"))
        ops.append(op)
    return ops
