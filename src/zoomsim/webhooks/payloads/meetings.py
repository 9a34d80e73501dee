"""Meeting and webinar events of the API (created, updated, deleted, registrations ...)."""
from __future__ import annotations

from typing import Any

from zoomsim.webhooks.model import Change, Emitted
from zoomsim.webhooks.payloads.common import operator

CREATED_FIELDS = ("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "join_url",
                  "password", "pmi", "occurrences", "settings", "recurrence", "tracking_fields")


def created(change: Change) -> list[Emitted]:
    doc = change.result or {}
    obj: dict[str, Any] = {k: doc[k] for k in CREATED_FIELDS if k in doc}
    obj["settings"] = {"use_pmi": False, "alternative_hosts": "", **(doc.get("settings") or {})}
    payload = {**operator(change.ctx), "operation": "single", "object": obj}
    return [Emitted(f"{change.ctx.kind.name}.created", payload, doc.get("host_id"))]


BUILDERS = {"meeting.created": created}
