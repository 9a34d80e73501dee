"""Speakers of an event: list, create, get, update, delete.

A speaker is an account item of kind `ze_speaker` owned by the event, named by its lower-cased
e-mail (blank when it has none): an address is used by one speaker of an event at most (1003).
An event holds at most MAX_SPEAKERS (the list answers them all in one page, whose reference
allows 300), counted under the event's speaker lock (3002). Sessions name speakers by id in
`session_speakers`; a speaker may not also be a panelist or alternative host of a session they
speak in (1005)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import events as repo
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import access, parts

MAX_SPEAKERS = 300
TEXTS = ("name", "email", "job_title", "biography", "company_name", "company_website", "linkedin_url",
         "twitter_url", "youtube_url")
FLAGS = {"featured_in_event_detail_page": False, "visible_in_event_detail_page": True,
         "featured_in_lobby": False, "visible_in_lobby": True}
EMAIL_TAKEN = "The email address has already been used by another speaker."
TOO_MANY = "You have exceeded the maximum speaker capacity."
NOT_FOUND = "Speaker not found."
TWO_ROLES = ("The same person has been assigned multiple roles. A user is not allowed to hold multiple roles "
             "in the same session.")


def view(item: items_repo.Item) -> dict[str, Any]:
    return {"speaker_id": item.id, **item.data()}


def _apply(doc: dict[str, Any], body: dict[str, Any]) -> None:
    for key in TEXTS:
        if key in body:
            doc[key] = str(body[key]).strip()
    if not doc["name"]:
        raise invalid_field("name")
    if doc["email"]:
        if not is_email(doc["email"]) or len(doc["email"]) > parts.NAME_MAX:
            raise invalid_field("email")
        doc["email"] = doc["email"].lower()
    for key in FLAGS:
        if key in body:
            doc[key] = bool(body[key])


def _email_free(ctx: Ctx, event_id: str, email: str, speaker_id: str = "") -> None:
    if not email:
        return
    found = items_repo.find_by_name(ctx.db, ctx.account_id, parts.SPEAKER, email, owner_id=event_id)
    if found is not None and found.id != speaker_id:
        raise documented(ctx, 1003, EMAIL_TAKEN)


def _load(ctx: Ctx, event_id: str, speaker_id: str) -> items_repo.Item:
    item = parts.find(ctx, parts.SPEAKER, event_id, speaker_id)
    if item is None:
        raise documented(ctx, 2005, NOT_FOUND)
    return item


def speaks_in(session_doc: dict[str, Any], speaker_id: str) -> bool:
    return any(isinstance(s, dict) and s.get("speaker_id") == speaker_id
               for s in session_doc.get("session_speakers") or [])


def _one_role(ctx: Ctx, event_id: str, speaker_id: str, email: str) -> None:
    """A session's speaker is not also its panelist or alternative host."""
    if not email:
        return
    for session in repo.sessions_of(ctx.db, event_id):
        doc = session.data()
        if speaks_in(doc, speaker_id) and email in [*doc.get("panelist", []), *doc.get("alternative_host", [])]:
            raise documented(ctx, 1005, TWO_ROLES)


def list_speakers(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    speakers = [view(item) for item in parts.of_event(ctx, parts.SPEAKER, event.id)]
    return {"total_records": len(speakers), "speakers": speakers}


def create_speaker(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    body = parts.given(inp.body)
    doc: dict[str, Any] = {key: "" for key in TEXTS} | dict(FLAGS)
    _apply(doc, body)
    parts.lock(ctx, event.id, parts.SPEAKER)
    _email_free(ctx, event.id, doc["email"])
    if items_repo.count(ctx.db, ctx.account_id, parts.SPEAKER, event.id) >= MAX_SPEAKERS:
        raise documented(ctx, 3002, TOO_MANY)
    speaker_id = parts.new_id(ctx, parts.SPEAKER)
    parts.add(ctx, parts.SPEAKER, event.id, speaker_id, doc, name=doc["email"])
    return {"speaker_id": speaker_id, **doc}


def get_speaker(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    return view(_load(ctx, event.id, inp.path["speakerId"]))


def update_speaker(ctx: Ctx, inp: Input) -> None:
    """PATCH: the keys given change."""
    event = access.load_event(ctx, inp.path["eventId"])
    item = _load(ctx, event.id, inp.path["speakerId"])
    doc = item.data()
    _apply(doc, parts.given(inp.body))
    parts.lock(ctx, event.id, parts.SPEAKER)
    _email_free(ctx, event.id, doc["email"], item.id)
    _one_role(ctx, event.id, item.id, doc["email"])
    items_repo.save(ctx.db, ctx.account_id, parts.SPEAKER, item.id, doc, name=doc["email"])


def delete_speaker(ctx: Ctx, inp: Input) -> None:
    """The speaker leaves every session that named them too."""
    event = access.load_event(ctx, inp.path["eventId"])
    item = _load(ctx, event.id, inp.path["speakerId"])
    for session in repo.sessions_of(ctx.db, event.id):
        doc = session.data()
        if speaks_in(doc, item.id):
            doc["session_speakers"] = [s for s in doc["session_speakers"]
                                       if not (isinstance(s, dict) and s.get("speaker_id") == item.id)]
            repo.save_session(ctx.db, event.id, doc, session.meeting_id)
    items_repo.delete(ctx.db, ctx.account_id, parts.SPEAKER, item.id)


def exists(ctx: Ctx, event_id: str, speaker_id: str) -> bool:
    """For sessions: whether `session_speakers` names a speaker of this event."""
    return parts.find(ctx, parts.SPEAKER, event_id, speaker_id) is not None


HANDLERS: dict[str, Callable[..., Any]] = {
    "getSpeakers": list_speakers,
    "createSpeaker": create_speaker,
    "getSpeaker": get_speaker,
    "updateSpeaker": update_speaker,
    "deleteSpeaker": delete_speaker,
}
