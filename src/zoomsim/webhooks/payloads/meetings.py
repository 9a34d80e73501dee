"""Meeting and webinar events of the API: created, updated, deleted, recovered, registrations
(created, approved, cancelled, denied) and a meeting's live stream started/stopped.

One builder serves both kinds where their schemas agree; the event's prefix is the operation's
kind (ctx.kind.name). Builders read what changed from the handler's answer, the operation's
input, what the BEFORE loaders read, and storage after the change (handlers answer as Zoom
does and nothing more). Every event concerns the meeting's host: a user-scoped subscription
hears it when it lists the host."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim.context import Ctx, Input
from zoomsim.meetings.livestream import KIND as LIVESTREAM_KIND
from zoomsim.meetings.registrants import OCCURRENCES_KIND, SOURCES_KIND
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.storage import registrants as registrants_repo
from zoomsim.storage.db import Db
from zoomsim.webhooks.model import Change, Emitted
from zoomsim.webinars.tracking_sources import KIND as SOURCE_KIND
from zoomsim.webhooks.payloads.common import RECURRING, head, ms, named_meeting, occurrences, operator, start_time

CREATED_FIELDS = ("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "join_url",
                  "password", "pmi", "creation_source", "occurrences", "settings", "recurrence", "tracking_fields")
# The settings a created event carries, as its schema lists them (Zoom's own payload is this
# short: a receiver that wants all settings reads the meeting).
CREATED_SETTINGS = {"meeting": ("use_pmi", "alternative_hosts", "meeting_invitees", "join_before_host", "jbh_time"),
                    "webinar": ("use_pmi", "alternative_hosts")}
# What an update may change, as meeting.updated / webinar.updated name it.
UPDATE_FIELDS = ("uuid", "host_id", "topic", "type", "start_time", "duration", "timezone", "join_url", "password",
                 "agenda", "registration_url", "occurrences", "settings", "recurrence", "tracking_fields")
# The registrant object of registration_created, in Zoom's order.
REGISTRANT_FIELDS = ("first_name", "last_name", "email", "address", "city", "country", "zip", "state", "phone",
                     "industry", "org", "job_title", "purchasing_time_frame", "role_in_purchase_process",
                     "no_of_employees", "comments")
# meetingRegistrantStatus's action -> the event it emits, per kind ("cancel" stores "denied").
STATUS_EVENTS = {"approve": "registration_approved", "cancel": "registration_cancelled", "deny": "registration_denied"}
LIVESTREAM_SERVICE = "Custom_Live_Streaming_Service"   # zoomsim streams only to a custom destination


def _event(change: Change, name: str) -> str:
    return f"{change.ctx.kind.name}.{name}"


def _scope(doc: dict[str, Any], occurrence_id: Any) -> str:
    """Zoom's operation / scope: "all" when a change covers every occurrence of a recurring
    meeting, "single" for one occurrence or a meeting that does not recur."""
    return "all" if doc.get("type") in RECURRING and not occurrence_id else "single"


# ---- loaders ------------------------------------------------------------------------------------

def load_meeting(ctx: Ctx, inp: Input) -> dict[str, Any] | None:
    """The meeting as it is before an update or delete changes it (its old values, its last state)."""
    row = named_meeting(ctx, inp)
    return row.data() if row is not None and row.status != "deleted" else None


def _named_registrants(inp: Input) -> tuple[list[str], list[str]]:
    """Ids and emails of the registrants a body names: a single registration's `email`, a batch's
    `registrants[].email`, a status update's `registrants[].id` (or email without an id)."""
    body = inp.body if isinstance(inp.body, dict) else {}
    wanted_ids: list[str] = []
    emails: list[str] = [str(body["email"]).strip()] if body.get("email") else []
    entries = body.get("registrants")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        if entry.get("id"):
            wanted_ids.append(str(entry["id"]))
        elif entry.get("email"):
            emails.append(str(entry["email"]).strip())
    return wanted_ids, emails


def load_registrants(ctx: Ctx, inp: Input) -> dict[str, str] | None:
    """Registrant id -> status of those the body names, before the change: a registration that
    existed already is not new, a status that did not change emits nothing."""
    row = named_meeting(ctx, inp)
    if row is None:
        return None
    wanted_ids, emails = _named_registrants(inp)
    return {r.id: r.status for r in registrants_repo.find(ctx.db, row.id, wanted_ids, emails)}


LOADERS: dict[str, Callable[..., Any]] = {"meeting": load_meeting, "registrants": load_registrants}


# ---- the meeting itself ---------------------------------------------------------------------------

def created(change: Change) -> list[Emitted]:
    doc = change.result or {}
    obj: dict[str, Any] = {k: doc[k] for k in CREATED_FIELDS if k in doc}
    if change.ctx.kind.name != "webinar":
        obj.pop("creation_source", None)   # only webinar.created carries it
    settings = doc.get("settings") or {}
    wanted = CREATED_SETTINGS[change.ctx.kind.name]
    obj["settings"] = {"use_pmi": False, "alternative_hosts": "",
                       **{k: settings[k] for k in wanted if k in settings}}
    payload = {**operator(change.ctx), "operation": "single", "object": obj}
    return [Emitted(_event(change, "created"), payload, doc.get("host_id"))]


def _diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(changed fields with their new values, the same fields with their old values). Within
    an object (settings, recurrence) only the keys that changed are listed."""
    now: dict[str, Any] = {}
    was: dict[str, Any] = {}
    for key in UPDATE_FIELDS:
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            keys = [k for k in b if a.get(k) != b[k]] + [k for k in a if k not in b]
            now[key] = {k: b[k] for k in keys if k in b}
            was[key] = {k: a[k] for k in keys if k in a}
            continue
        if b is not None:
            now[key] = b
        if a is not None:
            was[key] = a
    return now, was


def updated(change: Change) -> list[Emitted]:
    """object: the id and what changed; old_object: the id and what those fields were."""
    old = change.before
    if not old:
        return []
    row = meetings_repo.get(change.ctx.db, int(old["id"]))
    if row is None:
        return []
    now, was = _diff(old, row.data())
    if not now and not was:
        return []        # nothing changed: nothing to report
    number = int(old["id"])
    payload = {**operator(change.ctx), "scope": _scope(old, change.inp.query.get("occurrence_id")),
               "object": {"id": number, **now}, "old_object": {"id": number, **was},
               "time_stamp": ms(change.ctx.now)}
    return [Emitted(_event(change, "updated"), payload, row.host_id)]


def _with_occurrences(obj: dict[str, Any], found: list[dict[str, str]] | None) -> dict[str, Any]:
    if found:
        obj["occurrences"] = found
    return obj


def deleted(change: Change) -> list[Emitted]:
    """The meeting as it was; deleting one occurrence names that occurrence (operation single)."""
    doc = change.before
    if not doc:
        return []
    occurrence_id = change.inp.query.get("occurrence_id")
    found = occurrences(doc, [str(occurrence_id)] if occurrence_id else None)
    obj = _with_occurrences(head(doc), found)
    payload = {**operator(change.ctx), "operation": _scope(doc, occurrence_id), "object": obj}
    return [Emitted(_event(change, "deleted"), payload, str(doc.get("host_id") or ""))]


def recovered(change: Change) -> list[Emitted]:
    """meetingStatus {"action": "recover"} brings a deleted meeting back (its "end" is the
    simulation's end step, which emits meeting.ended)."""
    if (change.inp.body or {}).get("action") != "recover":
        return []
    row = named_meeting(change.ctx, change.inp)
    if row is None:
        return []
    doc = row.data()
    obj = _with_occurrences(head(doc), occurrences(doc))
    payload = {**operator(change.ctx), "operation": _scope(doc, None), "object": obj}
    return [Emitted(_event(change, "recovered"), payload, row.host_id)]


# ---- registration ---------------------------------------------------------------------------------

def _tracking_source(db: Db, row: meetings_repo.MeetingRow, registrant_id: str) -> dict[str, str] | None:
    """The webinar tracking source a registrant came through, if any (registrants.py notes it)."""
    source_id = (parts_repo.get(db, row.id, SOURCES_KIND) or {}).get(registrant_id)
    source = parts_repo.get(db, row.id, SOURCE_KIND, str(source_id)) if source_id else None
    if not source:
        return None
    return {"id": str(source.get("id") or source_id), "source_name": str(source.get("source_name") or ""),
            "tracking_url": str(source.get("tracking_url") or "")}


def _registrant(change: Change, row: meetings_repo.MeetingRow, reg: registrants_repo.RegistrantRow,
                fields: tuple[str, ...], *, full: bool, join_url: bool) -> dict[str, Any]:
    """The registrant object: id and `fields`, then (registration_created) custom questions and
    status, the join link where the event has one, and a webinar registrant's tracking source."""
    data = reg.data()
    out: dict[str, Any] = {"id": reg.id}
    for key in fields:
        out[key] = str(data.get(key) or "")
    if full:
        out["custom_questions"] = [{"title": str(q.get("title") or ""), "value": str(q.get("value") or "")}
                                   for q in data.get("custom_questions") or []]
        out["status"] = "approved" if reg.status == "approved" else "pending"
    if join_url:
        out["join_url"] = str(data.get("join_url") or "")
    if change.ctx.kind.name == "webinar":
        source = _tracking_source(change.ctx.db, row, reg.id)
        if source is not None:
            out["tracking_source"] = source
    return out


def _registration_object(change: Change, row: meetings_repo.MeetingRow, registrant: dict[str, Any]) -> dict[str, Any]:
    doc = row.data()
    chosen = (parts_repo.get(change.ctx.db, row.id, OCCURRENCES_KIND) or {}).get(registrant["id"])
    obj = _with_occurrences(head(doc), occurrences(doc, chosen))
    obj["registrant"] = registrant
    return obj


def registration_created(change: Change) -> list[Emitted]:
    """One event per new registrant (a single registration or a batch); an address registered
    before answers its old registration and emits nothing."""
    row = named_meeting(change.ctx, change.inp)
    if row is None:
        return []
    before = change.before or {}
    _, emails = _named_registrants(change.inp)
    out = []
    for reg in registrants_repo.find(change.ctx.db, row.id, emails=emails):
        if reg.id in before:
            continue
        registrant = _registrant(change, row, reg, REGISTRANT_FIELDS, full=True, join_url=True)
        out.append(Emitted(_event(change, "registration_created"),
                           {"object": _registration_object(change, row, registrant)}, row.host_id))
    return out


def _status_builder(action: str) -> Callable[[Change], list[Emitted]]:
    """registration_approved / _cancelled / _denied: one event per registrant whose status the
    update changed (named ones already in that state, or unknown, emit nothing)."""
    def build(change: Change) -> list[Emitted]:
        if (change.inp.body or {}).get("action") != action or not change.before:
            return []
        row = named_meeting(change.ctx, change.inp)
        if row is None:
            return []
        out = []
        for reg in registrants_repo.find(change.ctx.db, row.id, list(change.before)):
            if change.before.get(reg.id) == reg.status:
                continue
            registrant = _registrant(change, row, reg, ("first_name", "last_name", "email"), full=False,
                                     join_url=action == "approve")
            payload = {**operator(change.ctx), "object": _registration_object(change, row, registrant)}
            out.append(Emitted(_event(change, STATUS_EVENTS[action]), payload, row.host_id))
        return out
    return build


# ---- live streaming -----------------------------------------------------------------------------------

def _live_streaming(action: str, name: str) -> Callable[[Change], list[Emitted]]:
    """meetingLiveStreamStatusUpdate's start and stop (its "mode" emits nothing): the running
    meeting and where it streams, at the moment the stream started or stopped."""
    def build(change: Change) -> list[Emitted]:
        if (change.inp.body or {}).get("action") != action:
            return []
        row = named_meeting(change.ctx, change.inp)
        if row is None:
            return []
        doc = row.data()
        stored = parts_repo.get(change.ctx.db, row.id, LIVESTREAM_KIND) or {}
        live = stored.get("live") or {}
        obj = head(doc, ("id", "uuid", "host_id", "topic", "type", "start_time", "timezone", "duration"))
        obj["start_time"] = str((row.extras().get("live") or {}).get("start_time") or start_time(doc))
        target = {k: str(stored.get(k) or "") for k in ("stream_url", "stream_key", "page_url")}
        if stored.get("resolution"):
            target["resolution"] = str(stored["resolution"])
        obj["live_streaming"] = {"service": LIVESTREAM_SERVICE, "custom_live_streaming_settings": target,
                                 "date_time": str(live.get("started_at" if action == "start" else "stopped_at") or "")}
        payload = {**operator(change.ctx), "object": obj}
        return [Emitted(f"meeting.{name}", payload, row.host_id)]
    return build


BUILDERS: dict[str, Callable[[Change], list[Emitted]]] = {}
for _kind in ("meeting", "webinar"):
    BUILDERS[f"{_kind}.created"] = created
    BUILDERS[f"{_kind}.updated"] = updated
    BUILDERS[f"{_kind}.deleted"] = deleted
    BUILDERS[f"{_kind}.registration_created"] = registration_created
    for _action, _name in STATUS_EVENTS.items():
        BUILDERS[f"{_kind}.{_name}"] = _status_builder(_action)
BUILDERS["meeting.recovered"] = recovered
BUILDERS["meeting.live_streaming_started"] = _live_streaming("start", "live_streaming_started")
BUILDERS["meeting.live_streaming_stopped"] = _live_streaming("stop", "live_streaming_stopped")
