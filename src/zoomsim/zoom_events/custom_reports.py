"""Zoom Events custom reports: GET .../reports/custom_reports/{customReportId}.

A custom report runs a template that a host defines in the Zoom Events web UI ("the edit custom
report definition page"); the API only reads it. zoomsim has no such UI, so the admin API stands
in for it, as it does for what Zoom makes in its portal only:
`POST /_zoomsim/zoom_events/events/{eventId}/custom_reports {"name": ...}` answers the new
template's `custom_report_id`. A template is an account item of kind `ze_custom_report` owned by
its event; an id that is no template of this event is Zoom's 260801.

The report lists every registrant with their registration, attendance and engagement, computed
like the other reports (reports.py, attendance.py) from the tickets and the simulated sessions;
what zoomsim does not simulate (lobby, bookmarks, downloads, recordings, livestream views, calls
to action) reads as not having happened."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.storage import events as events_repo
from zoomsim.storage import items as items_repo
from zoomsim.storage.db import Db
from zoomsim.zoom_events import access, attendee_actions, parts
from zoomsim.zoom_events.attendance import Holder, SessionView, event_views, holders, page_of
from zoomsim.zoom_events.reports import NO_CONSENT, admitted, names, ticket_view

KIND = parts.CUSTOM_REPORT
NOT_FOUND = "Custom report template not found."


def define(db: Db, now_iso: str, event_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The admin API's stand-in for the web UI: a new template for the event (any account's)."""
    event = events_repo.get_event(db, event_id)
    if event is None:
        raise ZoomError(404, 2002, access.NOT_FOUND)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > parts.NAME_MAX:
        raise invalid_field("name")
    report_id = ids.new_id()
    items_repo.insert(db, event.account_id, KIND, report_id, {"name": name.strip()}, owner_id=event.id,
                      created_at=now_iso)
    return {"custom_report_id": report_id, "event_id": event.id, "name": name.strip()}


def _sessions(holder: Holder, mine: list[SessionView]) -> list[dict[str, Any]]:
    out = []
    for view in mine:
        presence = view.people.get(holder.email)
        came = presence is not None or holder.email in view.checked_in      # online, or checked in on site
        out.append({"session_id": view.id, "session_name": view.name,
                    "session_attendance": "attended" if came else "absent",
                    "duration_in_session": presence.minutes if presence else 0, "bookmarked": False,
                    "material_download": [], "in_session_resource_download": [], "recording_view": False,
                    "recording_view_duration": 0, "live_streaming_view": False, "live_streaming_view_duration": 0})
    return out


def custom_report(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Every registrant of the event, by address, in the template's report."""
    event = access.load_event(ctx, inp.path["eventId"])
    report_id = inp.path["customReportId"]
    if parts.find(ctx, KIND, event.id, report_id) is None:
        raise documented(ctx, 260801, NOT_FOUND, status=404)
    views, types = event_views(ctx, event), parts.ticket_types_of(ctx, event.id)
    checked = attendee_actions.checked_in(ctx, event.id)
    items = []
    for email, holder in holders(ctx, event.id).items():
        mine = admitted(holder, types, views)
        joined = [v.people[email] for v in mine if email in v.people]
        items.append((email, {
            **names(holder, None), "email": email, "opt_in_marketing": NO_CONSENT["opt_in_marketing"],
            "registration_date": holder.registered,
            "event_attendance": "attended" if joined or email in checked or any(email in v.checked_in for v in mine)
            else "absent",
            "country": str(holder.first.get("country") or ""), "lobby_attendance": "absent",
            "surveys_count": sum(p.surveys for p in joined), "polls_count": sum(p.polls for p in joined),
            "resource_link_engagement": [], "sessions": _sessions(holder, mine),
            "tickets": [ticket_view(t, types, "custom") for t in holder.tickets]}))
    shown, total, token = page_of(ctx, f"ze_custom_report:{event.id}:{report_id}", inp.query, items)
    return {"total_records": total, "next_page_token": token, "registrants": shown}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getCustomEventReport": custom_report,
}
