"""Webinar registration tracking sources: GET /webinars/{webinarId}/tracking_sources.

Zoom makes tracking sources only in its web portal (a source name gets a tracking link to the
webinar's registration page); no API operation creates one, so the list is all the API has.
Here a source is a meeting part of kind "tracking_source" (doc: id, source_name, tracking_url,
visitor_count), made by `add_source`: the hook for the admin API and seed files, zoomsim's
stand-ins for the portal. A webinar nobody gave sources lists none, as on Zoom.

registration_count is counted, not stored: the registrants who registered with the source's id
as `source_id` (the field Zoom's "Add a webinar registrant" body takes), as the registrants
code notes them (registrants.registrations_by_source). visitor_count counts visits to the tracking link, which zoomsim never serves: it
is the stored number (0 unless the source was made with one). total_records is the number of
sources, as in every Zoom list envelope.

Registration must be on (Zoom's prerequisite); otherwise the registrants' own error."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.meetings import registrants
from zoomsim.meetings.kind_rules import load_subject
from zoomsim.meetings.kinds import WEBINAR
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts
from zoomsim.storage.db import Db

KIND = "tracking_source"


def _tracking_url(webinar: dict[str, Any], source_id: str) -> str:
    """The registration link with the source's id before its last segment, as Zoom shapes it
    (https://zoom.us/webinar/register/5516482804110/WN_...)."""
    base = str(webinar.get("registration_url") or "")
    if "/webinar/register/" in base:
        head, _, tail = base.rpartition("/")
        return f"{head}/{source_id}/{tail}"
    origin = str(webinar["join_url"]).split("/j/", 1)[0]
    return f"{origin}/webinar/register/{source_id}/{webinar['uuid']}"


def add_source(db: Db, meeting_id: int, source_name: str, visitor_count: int = 0) -> dict[str, Any]:
    """Give a webinar a tracking source (the portal's "Create" under Registration Source
    Tracking). Raises LookupError when `meeting_id` names no webinar."""
    row = meetings_repo.get(db, meeting_id)
    if row is None or row.type not in WEBINAR.types:
        raise LookupError(f"no webinar {meeting_id}")
    source_id = str(secrets.randbelow(9 * 10**12) + 10**12)     # 13 digits, like Zoom's
    doc = {"id": source_id, "source_name": source_name, "tracking_url": _tracking_url(row.data(), source_id),
           "visitor_count": int(visitor_count)}
    parts.put(db, row.account_id, meeting_id, KIND, doc, source_id)
    return doc


def list_sources(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = load_subject(ctx, inp)
    if not registrants.registration_on(row.data()):
        raise registrants.not_enabled(ctx, row.id)
    sources = parts.all_of(ctx.db, row.id, KIND)
    counted = registrants.registrations_by_source(ctx.db, row.id) if sources else {}
    out = [{"id": s["id"], "source_name": s["source_name"], "tracking_url": s["tracking_url"],
            "registration_count": counted.get(s["id"], 0), "visitor_count": int(s.get("visitor_count") or 0)}
           for s in sources]
    return {"total_records": len(out), "tracking_sources": out}


HANDLERS: dict[str, Callable[..., Any]] = {"getTrackingSources": list_sources}
