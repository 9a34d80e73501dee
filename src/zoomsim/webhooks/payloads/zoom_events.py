"""zoom_events.* events: events, sessions, speakers, exhibitors, ticket types, tickets, VOD
registrations, and a session's end.

None of these payloads names an operator and none has an old_object (the reference's schemas
forbid any key they do not list), so each is `{"object": {...}}` with the resource as it is
after the change, or, for a delete, as the BEFORE loader read it. Keys follow the order of
each event's example in the reference. The user an event concerns is the event's host.

Session events: the reference speaks of sessions created, updated and deleted "post event
publishing", and its session `type` knows only meetings (0) and webinars (2), so only sessions
of published events are reported, and never a session of type 4 (neither). A session ends
when the meeting or webinar that backs it ends (the simulation's end step)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from zoomsim.storage import events as events_repo
from zoomsim.storage import items as items_repo
from zoomsim.storage import tickets as tickets_repo
from zoomsim.webhooks.model import Change, Emitted, Step
from zoomsim.zoom_events import parts
from zoomsim.zoom_events.vod_channels import REGISTRATION

if TYPE_CHECKING:
    from zoomsim.context import Ctx, Input

PUBLISHED = "PUBLISHED"
REPORTED_SESSION_TYPES = (0, 2)

EVENT_KEYS = {
    "zoom_events.event_updated": ("hub_id", "event_id", "host_id", "name", "description", "attendance_type",
                                  "event_type", "status", "start_time", "timezone", "end_time"),
    "zoom_events.event_published": ("hub_id", "event_id", "host_id", "name", "description", "event_type",
                                    "attendance_type", "status", "start_time", "end_time", "timezone"),
    "zoom_events.event_cancelled": ("hub_id", "event_id", "host_id", "name", "description", "attendance_type",
                                    "event_type", "status", "start_time", "end_time", "timezone"),
    "zoom_events.event_duplicated": ("hub_id", "event_id", "source_event_id", "host_id", "name", "description",
                                     "attendance_type", "event_type", "status", "start_time", "end_time",
                                     "timezone"),
}
SESSION_KEYS = {
    "zoom_events.session_created": ("event_id", "host_id", "session_id", "name", "attendance_type", "type",
                                    "start_time", "end_time", "timezone"),
    "zoom_events.session_updated": ("event_id", "host_id", "session_id", "name", "type", "attendance_type",
                                    "start_time", "end_time", "timezone"),
    "zoom_events.session_deleted": ("event_id", "host_id", "session_id", "name", "attendance_type", "type",
                                    "start_time", "end_time", "timezone"),
    "zoom_events.session_ended": ("event_id", "host_id", "session_id", "name", "type", "start_time", "timezone",
                                  "end_time"),
}
TICKET_KEYS = ("event_id", "host_id", "ticket_id", "ticket_type_id", "external_ticket_id", "ticket_role_type",
               "email", "authentication_method")
DELETED_TICKET_KEYS = ("event_id", "host_id", "ticket_id", "ticket_type_id", "external_ticket_id", "email",
                       "ticket_role_type", "authentication_method")
# questions.TITLES (every field a channel may ask) and the comments, in the example's order
VOD_FIELDS = ("first_name", "last_name", "address", "city", "state", "zip", "country", "phone", "industry",
              "job_title", "organization", "organization_size", "comments")
# An action's answer (`status`) -> the event it emits.
ACTIONS = {"published": "zoom_events.event_published", "cancelled": "zoom_events.event_cancelled",
           "duplicated": "zoom_events.event_duplicated"}


# ---- reading what a change names -----------------------------------------------------------------

def _event(ctx: "Ctx", event_id: Any) -> events_repo.EventRow | None:
    """The caller's account's event (another account's is nobody's business: None)."""
    row = events_repo.get_event(ctx.db, str(event_id or ""))
    return row if row is not None and row.account_id == ctx.account_id else None


def _path_event(ctx: "Ctx", inp: "Input") -> events_repo.EventRow | None:
    return _event(ctx, inp.path.get("eventId"))


def _emitted(event: str, row: events_repo.EventRow, obj: dict[str, Any]) -> Emitted:
    return Emitted(event, {"object": obj}, row.host_id)


def _pick(values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The keys that have a value, in the event's order (an optional key without one is left out)."""
    return {k: values[k] for k in keys if values.get(k) is not None and values.get(k) != ""}


# ---- events ------------------------------------------------------------------------------------

def event_object(row: events_repo.EventRow, keys: tuple[str, ...], **more: Any) -> dict[str, Any]:
    doc = row.data()
    values = {**doc, "event_id": row.id, "hub_id": row.hub_id, "host_id": row.host_id, "status": row.status,
              "event_type": row.event_type, "description": str(doc.get("description") or ""),
              "start_time": row.start_time, "end_time": row.end_time, **more}
    return _pick(values, keys)


def load_event(ctx: "Ctx", inp: "Input") -> events_repo.EventRow | None:
    """The event before an update: which event it is, should its id be all that is left."""
    return _path_event(ctx, inp)


def event_updated(change: Change) -> list[Emitted]:
    before = change.before
    row = _event(change.ctx, before.id) if before is not None else _path_event(change.ctx, change.inp)
    if row is None:
        return []
    event = "zoom_events.event_updated"
    return [_emitted(event, row, event_object(row, EVENT_KEYS[event]))]


def _action(event: str) -> Callable[[Change], list[Emitted]]:
    """EventActions emits the event of the action it took: its answer says which."""
    def build(change: Change) -> list[Emitted]:
        result = change.result if isinstance(change.result, dict) else {}
        if ACTIONS.get(str(result.get("status"))) != event:
            return []
        row = _event(change.ctx, result.get("event_id"))
        if row is None:
            return []
        more = {"source_event_id": change.inp.path.get("eventId")} if event.endswith("_duplicated") else {}
        return [_emitted(event, row, event_object(row, EVENT_KEYS[event], **more))]
    return build


# ---- sessions ------------------------------------------------------------------------------------

def session_object(event: events_repo.EventRow, doc: dict[str, Any], keys: tuple[str, ...],
                   **more: Any) -> dict[str, Any]:
    values = {**doc, "event_id": event.id, "host_id": event.host_id, "type": int(doc["type"]), **more}
    return _pick(values, keys)


def _reported(event: events_repo.EventRow | None, doc: dict[str, Any] | None) -> bool:
    return event is not None and doc is not None and event.status == PUBLISHED \
        and doc.get("type") in REPORTED_SESSION_TYPES


def load_session(ctx: "Ctx", inp: "Input") -> tuple[events_repo.EventRow, dict[str, Any]] | None:
    """The session before it changes or goes, with its event."""
    event = _path_event(ctx, inp)
    row = events_repo.get_session(ctx.db, event.id, str(inp.path.get("sessionId") or "")) if event else None
    return (event, row.data()) if event is not None and row is not None else None


def session_created(change: Change) -> list[Emitted]:
    event = _path_event(change.ctx, change.inp)
    result = change.result if isinstance(change.result, dict) else {}
    row = events_repo.get_session(change.ctx.db, event.id, str(result.get("session_id"))) if event else None
    doc = row.data() if row is not None else None
    if not _reported(event, doc):
        return []
    assert event is not None and doc is not None
    name = "zoom_events.session_created"
    return [_emitted(name, event, session_object(event, doc, SESSION_KEYS[name]))]


def session_updated(change: Change) -> list[Emitted]:
    event = _path_event(change.ctx, change.inp)
    row = events_repo.get_session(change.ctx.db, event.id, str(change.inp.path.get("sessionId"))) if event else None
    doc = row.data() if row is not None else None
    if not _reported(event, doc):
        return []
    assert event is not None and doc is not None
    name = "zoom_events.session_updated"
    return [_emitted(name, event, session_object(event, doc, SESSION_KEYS[name]))]


def session_deleted(change: Change) -> list[Emitted]:
    if change.before is None:
        return []
    event, doc = change.before
    if not _reported(event, doc):
        return []
    name = "zoom_events.session_deleted"
    return [_emitted(name, event, session_object(event, doc, SESSION_KEYS[name]))]


def session_ended(step: Step) -> list[Emitted]:
    """When a published event's session's meeting or webinar ends: the session with the run's
    actual start and end; nothing for a meeting that backs no session."""
    try:
        meeting_id = int(step.data.get("meeting_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return []
    name = "zoom_events.session_ended"
    out: list[Emitted] = []
    for row in events_repo.sessions_backed_by(step.db, step.account_id, meeting_id):
        event = events_repo.get_event(step.db, row.event_id)
        doc = row.data()
        if not _reported(event, doc):
            continue
        assert event is not None and doc is not None
        ran = {k: str(step.data[k]) for k in ("start_time", "end_time") if step.data.get(k)}
        if "end_time" not in ran and step.data.get("time"):
            ran["end_time"] = str(step.data["time"])
        out.append(_emitted(name, event, session_object(event, doc, SESSION_KEYS[name], **ran)))
    return out


# ---- speakers and exhibitors -------------------------------------------------------------------------

def speaker_object(event: events_repo.EventRow, speaker_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    values = {**doc, "event_id": event.id, "host_id": event.host_id, "speaker_id": speaker_id}
    return _pick(values, ("event_id", "host_id", "speaker_id", "name", "email"))


def exhibitor_object(event: events_repo.EventRow, exhibitor_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    values = {**doc, "event_id": event.id, "host_id": event.host_id, "exhibitor_id": exhibitor_id,
              "description": str(doc.get("description") or ""), "is_sponsor": bool(doc.get("is_sponsor"))}
    if not values["is_sponsor"]:
        values.pop("tier_id", None)     # "only applies to a sponsor"
    obj = _pick(values, ("event_id", "host_id", "exhibitor_id", "name", "description", "is_sponsor", "tier_id",
                         "contact_name", "contact_email"))
    obj["is_sponsor"] = values["is_sponsor"]
    return obj


def _item_loader(kind: str, param: str) -> Callable[["Ctx", "Input"], Any]:
    """An event's item (speaker, exhibitor) before it changes or goes, with its event."""
    def load(ctx: "Ctx", inp: "Input") -> tuple[events_repo.EventRow, items_repo.Item] | None:
        event = _path_event(ctx, inp)
        item = parts.find(ctx, kind, event.id, str(inp.path.get(param) or "")) if event else None
        return (event, item) if event is not None and item is not None else None
    return load


def _item_builders(kind: str, param: str, what: str, make: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """created (the id in the answer), updated (the id in the path) and deleted (what the
    loader read) for one kind of event item."""
    def current(change: Change, item_id: str, event: str) -> list[Emitted]:
        row = _path_event(change.ctx, change.inp)
        item = parts.find(change.ctx, kind, row.id, item_id) if row is not None else None
        if row is None or item is None:
            return []
        return [_emitted(event, row, make(row, item.id, item.data()))]

    def created(change: Change) -> list[Emitted]:
        result = change.result if isinstance(change.result, dict) else {}
        return current(change, str(result.get(f"{what}_id") or ""), f"zoom_events.{what}_created")

    def updated(change: Change) -> list[Emitted]:
        return current(change, str(change.inp.path.get(param) or ""), f"zoom_events.{what}_updated")

    def deleted(change: Change) -> list[Emitted]:
        if change.before is None:
            return []
        row, item = change.before
        return [_emitted(f"zoom_events.{what}_deleted", row, make(row, item.id, item.data()))]

    return {f"zoom_events.{what}_created": created, f"zoom_events.{what}_updated": updated,
            f"zoom_events.{what}_deleted": deleted}


# ---- ticket types and tickets ------------------------------------------------------------------

def ticket_type_object(event: events_repo.EventRow, row: tickets_repo.TypeRow) -> dict[str, Any]:
    doc = row.data()
    values = {**doc, "event_id": event.id, "host_id": event.host_id, "ticket_type_id": row.id,
              "description": str(doc.get("description") or "")}
    return _pick(values, ("event_id", "host_id", "ticket_type_id", "name", "description", "attendance_type",
                          "start_time", "end_time"))


def load_ticket_type(ctx: "Ctx", inp: "Input") -> tuple[events_repo.EventRow, tickets_repo.TypeRow] | None:
    event = _path_event(ctx, inp)
    row = tickets_repo.get_type(ctx.db, event.id, str(inp.path.get("ticketTypeId") or "")) if event else None
    return (event, row) if event is not None and row is not None else None


def _type_now(change: Change, type_id: str, name: str) -> list[Emitted]:
    event = _path_event(change.ctx, change.inp)
    row = tickets_repo.get_type(change.ctx.db, event.id, type_id) if event is not None else None
    if event is None or row is None:
        return []
    return [_emitted(name, event, ticket_type_object(event, row))]


def ticket_type_created(change: Change) -> list[Emitted]:
    result = change.result if isinstance(change.result, dict) else {}
    return _type_now(change, str(result.get("ticket_type_id") or ""), "zoom_events.ticket_type_created")


def ticket_type_updated(change: Change) -> list[Emitted]:
    return _type_now(change, str(change.inp.path.get("ticketTypeId") or ""), "zoom_events.ticket_type_updated")


def ticket_type_deleted(change: Change) -> list[Emitted]:
    if change.before is None:
        return []
    event, row = change.before
    return [_emitted("zoom_events.ticket_type_deleted", event, ticket_type_object(event, row))]


def ticket_object(event: events_repo.EventRow, doc: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return _pick({**doc, "event_id": event.id, "host_id": event.host_id}, keys)


def load_ticket(ctx: "Ctx", inp: "Input") -> tuple[events_repo.EventRow, dict[str, Any]] | None:
    event = _path_event(ctx, inp)
    row = tickets_repo.get_ticket(ctx.db, event.id, str(inp.path.get("ticketId") or "")) if event else None
    if event is None or row is None or row.status == "cancelled":
        return None
    return event, row.data()


def ticket_created(change: Change) -> list[Emitted]:
    """One event per ticket the batch sold (the refused ones are in the answer's `errors`)."""
    event = _path_event(change.ctx, change.inp)
    result = change.result if isinstance(change.result, dict) else {}
    if event is None:
        return []
    out = []
    for made in result.get("tickets") or []:
        row = tickets_repo.get_ticket(change.ctx.db, event.id, str(made.get("ticket_id") or ""))
        if row is not None:
            out.append(_emitted("zoom_events.ticket_created", event, ticket_object(event, row.data(), TICKET_KEYS)))
    return out


def ticket_updated(change: Change) -> list[Emitted]:
    event = _path_event(change.ctx, change.inp)
    row = tickets_repo.get_ticket(change.ctx.db, event.id, str(change.inp.path.get("ticketId"))) if event else None
    if event is None or row is None:
        return []
    return [_emitted("zoom_events.ticket_updated", event, ticket_object(event, row.data(), TICKET_KEYS))]


def ticket_deleted(change: Change) -> list[Emitted]:
    if change.before is None:
        return []
    event, doc = change.before
    return [_emitted("zoom_events.ticket_deleted", event, ticket_object(event, doc, DELETED_TICKET_KEYS))]


# ---- VOD registrations -------------------------------------------------------------------------

def load_vod_registrations(ctx: "Ctx", inp: "Input") -> set[str]:
    """The registration ids the request's addresses already hold in the channel: registering
    an address again answers its registration and is no new one."""
    channel_id = str(inp.path.get("channelId") or "")
    held: set[str] = set()
    for given in (inp.body or {}).get("registrations") or []:
        email = str((given or {}).get("email") or "").strip().lower() if isinstance(given, dict) else ""
        found = items_repo.find_by_name(ctx.db, ctx.account_id, REGISTRATION, email, owner_id=channel_id) \
            if email else None
        if found is not None:
            held.add(found.id)
    return held


def vod_registration_object(hub_id: str, host_id: str, doc: dict[str, Any], channel_id: str) -> dict[str, Any]:
    values = {**doc, "channel_id": channel_id, "hub_id": hub_id, "host_id": host_id,
              "registration_date": doc.get("registered_at")}
    obj = _pick(values, ("channel_id", "hub_id", "host_id", "registration_id", "email", "registration_date",
                         "authentication_method", "join_link", *VOD_FIELDS))
    obj["custom_questions"] = [{"title": str(q.get("title") or ""), "answer": str(q.get("answer") or "")}
                               for q in doc.get("custom_questions") or []]
    return obj


def vod_registration_created(change: Change) -> list[Emitted]:
    """One event per address newly registered; the hub's owner (its first host) is the host."""
    ctx, inp = change.ctx, change.inp
    hub = events_repo.get_hub(ctx.db, ctx.account_id, str(inp.path.get("hubId") or ""))
    result = change.result if isinstance(change.result, dict) else {}
    if hub is None:
        return []
    hosts = hub.data().get("hosts") or [ctx.user_id]
    held = change.before if isinstance(change.before, set) else set()
    channel_id = str(inp.path.get("channelId") or "")
    out, seen = [], set()
    for entry in result.get("registrations") or []:
        reg_id = str(entry.get("registration_id") or "")
        if reg_id in held or reg_id in seen:
            continue
        seen.add(reg_id)
        item = items_repo.get(ctx.db, ctx.account_id, REGISTRATION, reg_id, owner_id=channel_id)
        if item is not None:
            obj = vod_registration_object(hub.id, str(hosts[0]), item.data(), channel_id)
            out.append(Emitted("zoom_events.vod_registration_created", {"object": obj}, str(hosts[0])))
    return out


BUILDERS: dict[str, Callable[[Change], list[Emitted]]] = {
    "zoom_events.event_updated": event_updated,
    **{event: _action(event) for event in ACTIONS.values()},
    "zoom_events.session_created": session_created,
    "zoom_events.session_updated": session_updated,
    "zoom_events.session_deleted": session_deleted,
    **_item_builders(parts.SPEAKER, "speakerId", "speaker", speaker_object),
    **_item_builders(parts.EXHIBITOR, "exhibitorId", "exhibitor", exhibitor_object),
    "zoom_events.ticket_type_created": ticket_type_created,
    "zoom_events.ticket_type_updated": ticket_type_updated,
    "zoom_events.ticket_type_deleted": ticket_type_deleted,
    "zoom_events.ticket_created": ticket_created,
    "zoom_events.ticket_updated": ticket_updated,
    "zoom_events.ticket_deleted": ticket_deleted,
    "zoom_events.vod_registration_created": vod_registration_created,
}
STEP_BUILDERS: dict[str, Callable[[Step], list[Emitted]]] = {
    "zoom_events.session_ended": session_ended,
}
LOADERS: dict[str, Callable[..., Any]] = {
    "ze_event": load_event,
    "ze_session": load_session,
    "ze_speaker": _item_loader(parts.SPEAKER, "speakerId"),
    "ze_exhibitor": _item_loader(parts.EXHIBITOR, "exhibitorId"),
    "ze_ticket_type": load_ticket_type,
    "ze_ticket": load_ticket,
    "ze_vod_registrations": load_vod_registrations,
}
