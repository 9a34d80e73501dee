"""Meeting and webinar registration (Meetings API, 2026): add one registrant or a batch, list,
get, delete, approve/deny/cancel, and the registration questions. One set of handlers serves
both kinds; what differs (seats, who may not register, wording, fields) is kind_rules data.

A meeting takes registrants when it is scheduled (type 2 / webinar 5) or recurring with a fixed
time (8 / 9) and its settings.approval_type is 0 (automatic approval: registrants are
"approved") or 1 (manual: "pending" until the host approves). approval_type 2, the default,
means no registration. Each registrant gets a join_url of their own (the meeting's URL with a
`tk` token). One address registers once per meeting: registering it again answers the existing
registration. For recurring meetings whose registration_type is 2 or 3, the occurrences each
registrant chose are kept in a meeting part (registrant id -> occurrence ids); a registrant
with no entry attends every occurrence. A webinar registrant who came through a tracking
source (`source_id`) is noted in another part (registrant id -> source id), which the list's
tracking_source_id filter reads.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.context import Ctx, Input, Raw
from zoomsim.errors import ZoomError, invalid_field, validation_failed
from zoomsim.meetings import model, seats
from zoomsim.meetings.access import documented, load_with_host
from zoomsim.meetings.kind_rules import (
    body_fields,
    check_id,
    documents,
    named,
    rules,
    said,
)
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.storage import registrants as repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.db import Db

QUESTIONS_KIND = "registrant_questions"
OCCURRENCES_KIND = "registrant_occurrences"
SOURCES_KIND = "registrant_sources"
BATCH_MAX = 30                # registrants per batch and per status update
REGISTRATION_TYPES = model.SCHEDULED_TYPES | model.FIXED_RECURRING
# The registrant object's fields, in the order Zoom lists them.
TEXT_FIELDS = ("first_name", "last_name", "email", "address", "city", "country", "zip", "state", "phone",
               "industry", "org", "job_title", "purchasing_time_frame", "role_in_purchase_process",
               "no_of_employees", "comments")
LIST_FILTERS = ("status", "occurrence_id", "tracking_source_id")
STATUS_OF_ACTION = {"approve": "approved", "deny": "denied", "cancel": "denied"}
INVALID_REGISTRANT = "The value that you entered for the Registrant ID field is invalid. Enter a valid value and try again."
# Registration off: most operations say the first, webinar registration the second.
NOT_ENABLED = ("Registration has not been enabled", "does not have registration")


# ---- the meeting and its registration settings ----------------------------------------------------

Found = tuple[meetings_repo.MeetingRow, users_repo.UserRow, dict[str, Any]]


def _registration_meeting(ctx: Ctx, raw_id: str, *, enabled: bool = True, batch: bool = False) -> Found:
    """The meeting, its host and its document, once the caller may act on it, its host holds a
    paid licence and (when `enabled`) it takes registrants; batches take scheduled ones only."""
    check_id(ctx, raw_id)
    row, host = load_with_host(ctx, raw_id)
    if host.type == 1:
        raise documented(ctx, 200, "Only available for paid users: {userId}.", containing="Only available",
                         userId=host.id)
    if batch and row.type not in model.SCHEDULED_TYPES:
        name, scheduled = ctx.kind.name, ctx.kind.scheduled
        raise said(ctx, "can only be used for scheduled", 303,
                   f"This API can only be used for scheduled {name}s (type {scheduled}). "
                   f"Batch registration is not supported for other {name} types.")
    doc = row.data()
    if enabled and not registration_on(doc):
        raise not_enabled(ctx, row.id)
    return row, host, doc


def registration_on(doc: dict[str, Any]) -> bool:
    return doc["type"] in REGISTRATION_TYPES and doc["settings"].get("approval_type") in (0, 1)


def not_enabled(ctx: Ctx, meeting_id: int) -> ZoomError:
    """Its code and wording differ by operation (404 in the meetings docs, 300 on delete, 3000
    for webinars, "does not have registration as required" on webinar registration): the
    documented entry decides, else the kind's code."""
    head = next((h for h in NOT_ENABLED if documents(ctx, h)), NOT_ENABLED[0])
    return said(ctx, head, rules(ctx).not_enabled_code,
                f"Registration has not been enabled for this {ctx.kind.name}: {{id}}.", **named(ctx, meeting_id))


def _live_occurrences(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in doc.get("occurrences") or [] if o.get("status") == "available"]


def _per_occurrence(doc: dict[str, Any]) -> bool:
    """Registrants pick occurrences (registration_type 2 or 3) rather than attending them all."""
    return doc["type"] in model.FIXED_RECURRING and doc["settings"].get("registration_type", 1) in (2, 3)


def _status_for(doc: dict[str, Any], auto_approve: bool) -> str:
    return "approved" if doc["settings"].get("approval_type") == 0 or auto_approve else "pending"


def _auto_approve(ctx: Ctx, body: dict[str, Any]) -> bool:
    """Only where the operation takes the field (webinar registration does not, batches do)."""
    return bool(body.get("auto_approve")) and "auto_approve" in body_fields(ctx)


def _join_url(ctx: Ctx, doc: dict[str, Any]) -> str:
    """The registrant's own link: the number, a personal token, the passcode and, for webinars,
    the registration it came from (Zoom's `uuid=WN_...`)."""
    url = f"{ctx.services.config.base_url}/w/{doc['id']}?tk={secrets.token_urlsafe(32)}"
    passcode = model.encrypted_passcode(doc)
    if passcode:
        url += f"&pwd={passcode}"
    key = str(doc.get("registration_url") or "").rstrip("/").rsplit("/", 1)[-1]
    if rules(ctx).link_names_registration and key:
        url += f"&uuid={key if key.startswith('WN_') else 'WN_' + key}"
    return url


# ---- occurrences ------------------------------------------------------------------------------------

def _wanted_occurrences(doc: dict[str, Any], raw: Any, name: str) -> list[str] | None:
    """Occurrence ids named in the query (comma separated), checked against the meeting's live
    ones; None when none are named or the meeting does not recur."""
    if doc["type"] not in model.FIXED_RECURRING or raw in (None, ""):
        return None
    live = {o["occurrence_id"] for o in _live_occurrences(doc)}
    wanted = [part.strip() for part in str(raw).split(",") if part.strip()]
    if not wanted or any(w not in live for w in wanted):
        raise ZoomError(400, 300, f"Invalid parameter: {name}.")
    return list(dict.fromkeys(wanted))


def _chosen(ctx: Ctx, meeting_id: int) -> dict[str, list[str]]:
    return parts_repo.get(ctx.db, meeting_id, OCCURRENCES_KIND) or {}


def _occurrences_of(doc: dict[str, Any], chosen: list[str] | None) -> list[dict[str, Any]]:
    live = _live_occurrences(doc)
    if chosen is not None:
        live = [o for o in live if o["occurrence_id"] in chosen]
    return [{"duration": o["duration"], "occurrence_id": o["occurrence_id"], "start_time": o["start_time"],
             "status": o["status"]} for o in live]


# ---- registering --------------------------------------------------------------------------------------

def _questions(ctx: Ctx, meeting_id: int) -> dict[str, Any]:
    saved = parts_repo.get(ctx.db, meeting_id, QUESTIONS_KIND) or {}
    return {"questions": list(saved.get("questions") or []), "custom_questions": list(saved.get("custom_questions") or [])}


def _chose(value: str, cq: dict[str, Any]) -> bool:
    """A choice question's answer is one of its answers; a multiple-answer one (webinars) may
    name several, separated by semicolons or commas."""
    answers = cq.get("answers") or []
    if value in answers or cq.get("type") != "multiple":
        return value in answers
    parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
    return bool(parts) and all(p in answers for p in parts)


def _answers(body: dict[str, Any], asked: dict[str, Any]) -> list[dict[str, str]]:
    """Check the answers against the meeting's questions (required ones present, a choice
    question answered with its choices) and return the custom answers to keep."""
    errors: list[dict[str, str]] = []
    for q in asked["questions"]:
        if q.get("required") and not str(body.get(q["field_name"]) or "").strip():
            errors.append({"field": q["field_name"], "message": "Invalid field."})
    given: dict[str, str] = {}
    out: list[dict[str, str]] = []
    for entry in body.get("custom_questions") or []:
        title = str(entry.get("title") or "")
        if title:
            value = str(entry.get("value") or "")
            given[title] = value
            out.append({"title": title, "value": value})
    for cq in asked["custom_questions"]:
        value = given.get(cq["title"], "").strip()
        if cq.get("required") and not value:
            errors.append({"field": "custom_questions", "message": "Invalid field."})
        elif value and cq.get("type", "short") != "short" and not _chose(value, cq):
            errors.append({"field": "custom_questions.value", "message": "Invalid field."})
    if errors:
        raise validation_failed(errors)
    return out


def _new_registrant(ctx: Ctx, doc: dict[str, Any], fields: dict[str, Any], custom: list[dict[str, str]],
                    status: str) -> dict[str, Any]:
    reg: dict[str, Any] = {"id": secrets.token_urlsafe(16)}
    for key in TEXT_FIELDS:
        reg[key] = str(fields.get(key) or "")
    reg["email"] = reg["email"].strip()
    for key in rules(ctx).registrant_extras:
        if fields.get(key) is not None:
            reg[key] = str(fields[key])
    reg["custom_questions"] = custom
    reg["status"] = status
    reg["create_time"] = clockmod.iso(ctx.now)
    reg["join_url"] = _join_url(ctx, doc)
    return reg


def _store(ctx: Ctx, doc: dict[str, Any], new: list[dict[str, Any]], emails: list[str]) -> dict[str, repo.RegistrantRow]:
    """Insert the new registrants (an address registered meanwhile is skipped) and answer every
    address's registration as stored, keyed by lower-cased email."""
    repo.insert_many(ctx.db, ctx.account_id, doc["id"], new)
    return {r.email: r for r in repo.find(ctx.db, doc["id"], emails=emails)}


def create_registrant(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row, host, doc = _registration_meeting(ctx, ctx.subject(inp))
    body = dict(inp.body or {})
    if not str(body.get("first_name") or "").strip():
        raise invalid_field("first_name")
    email = str(body["email"]).strip()
    wanted = _wanted_occurrences(doc, inp.query.get("occurrence_ids"), "occurrence_ids")
    seats.check_people(ctx, row, host, [email])
    seats.hold(ctx, row.id)
    existing = repo.get_by_email(ctx.db, row.id, email)
    if existing is None:
        custom = _answers(body, _questions(ctx, row.id))
        seats.check_register(ctx, row, doc, 1)
        reg = _new_registrant(ctx, doc, body, custom, _status_for(doc, _auto_approve(ctx, body)))
        stored = _store(ctx, doc, [reg], [email])[email.lower()]
        fresh = stored.id == reg["id"]
        if fresh:
            _note_source(ctx, row.id, stored.id, body.get("source_id"))
    else:
        stored, fresh = existing, False
    chosen: list[str] | None = None
    if _per_occurrence(doc):
        kept = _chosen(ctx, row.id)
        chosen = _choose(ctx, doc, kept, stored.id, wanted, fresh)
    out: dict[str, Any] = {"id": row.id}
    data = stored.data()
    if data["status"] == "approved":
        out["join_url"] = data["join_url"]
    out["registrant_id"] = stored.id
    occurrences = _occurrences_of(doc, chosen) if doc["type"] in model.FIXED_RECURRING else []
    out["start_time"] = occurrences[0]["start_time"] if occurrences else doc.get("start_time", "")
    out["topic"] = doc["topic"]
    if doc["type"] in model.FIXED_RECURRING:
        out["occurrences"] = occurrences
    return out


def _choose(ctx: Ctx, doc: dict[str, Any], kept: dict[str, list[str]], rid: str, wanted: list[str] | None,
            fresh: bool) -> list[str] | None:
    """The occurrences a registrant holds after this registration. A new registrant naming none
    attends all; one already attending all keeps that; otherwise the choices add up."""
    if wanted is None:
        return kept.get(rid) if not fresh else None
    if fresh:
        kept[rid] = wanted
    elif rid in kept:
        kept[rid] = list(dict.fromkeys(kept[rid] + wanted))
    else:
        return None
    parts_repo.put(ctx.db, ctx.account_id, doc["id"], OCCURRENCES_KIND, kept)
    return kept[rid]


def _note_source(ctx: Ctx, meeting_id: int, rid: str, source: Any) -> None:
    """Which tracking source brought a new registrant (webinar registration's `source_id`)."""
    if source in (None, "") or "source_id" not in body_fields(ctx):
        return
    kept = parts_repo.get(ctx.db, meeting_id, SOURCES_KIND) or {}
    kept[rid] = str(source)
    parts_repo.put(ctx.db, ctx.account_id, meeting_id, SOURCES_KIND, kept)


def registrations_by_source(db: Db, meeting_id: int) -> dict[str, int]:
    """How many registrants each tracking source brought (for the tracking sources list)."""
    counts: dict[str, int] = {}
    for source in (parts_repo.get(db, meeting_id, SOURCES_KIND) or {}).values():
        counts[source] = counts.get(source, 0) + 1
    return counts


def batch_registrants(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row, host, doc = _registration_meeting(ctx, ctx.subject(inp), batch=True)
    body = dict(inp.body or {})
    entries = list(body.get("registrants") or [])
    if not entries:
        raise invalid_field("registrants")
    if len(entries) > BATCH_MAX:
        raise invalid_field("registrants", f"Maximum {BATCH_MAX} items.")
    for i, entry in enumerate(entries):
        if not str(entry.get("first_name") or "").strip():
            raise invalid_field(f"registrants[{i}].first_name")
    emails = [str(e["email"]).strip() for e in entries]
    seats.check_people(ctx, row, host, emails)
    seats.hold(ctx, row.id)
    already = {r.email for r in repo.find(ctx.db, row.id, emails=emails)}
    status = _status_for(doc, _auto_approve(ctx, body))
    new: dict[str, dict[str, Any]] = {}
    for entry, email in zip(entries, emails):
        key = email.lower()
        if key not in already and key not in new:
            new[key] = _new_registrant(ctx, doc, {**entry, "email": email}, [], status)
    seats.check_register(ctx, row, doc, len(new))
    stored = _store(ctx, doc, list(new.values()), emails)
    out = []
    for email in emails:
        reg = stored[email.lower()]
        item: dict[str, Any] = {"email": email, "registrant_id": reg.id}
        if reg.status == "approved":
            item["join_url"] = reg.data()["join_url"]
        out.append(item)
    return {"registrants": out}


# ---- reading ----------------------------------------------------------------------------------------------

def list_registrants(ctx: Ctx, inp: Input) -> Raw:
    """One page, served from the stored documents: keyset on seq along the (meeting, status, seq)
    index, so the last page costs what the first does. An occurrence leaves out those who chose
    others; a tracking source keeps only those it brought."""
    row, _, doc = _registration_meeting(ctx, ctx.subject(inp))
    q = inp.query
    status = str(q.get("status") or "approved")
    excluded: list[str] | None = None
    included: list[str] | None = None
    occurrence = _wanted_occurrences(doc, q.get("occurrence_id"), "occurrence_id")
    if occurrence and _per_occurrence(doc):
        excluded = [rid for rid, occs in _chosen(ctx, row.id).items() if occurrence[0] not in occs]
    source = q.get("tracking_source_id")
    if source not in (None, ""):
        kept = parts_repo.get(ctx.db, row.id, SOURCES_KIND) or {}
        included = [rid for rid, s in kept.items() if s == str(source)]
    mid = row.id
    fetch: Callable[[Any, int, int], Any] = lambda after, offset, limit: repo.page(
        ctx.db, mid, status, after, offset, limit, excluded, included)
    count: Callable[[], int] = lambda: repo.count(ctx.db, mid, (status,), exclude=excluded, include=included)
    page = ctx.services.pager.paginate(f"registrants:{mid}", q, ctx.now, fetch=fetch, count=count,
                                       cursor_of=lambda r: r[0], filters=LIST_FILTERS)
    head = jsonio.dumps(page.envelope("registrants", [], with_page_number=True))
    items = ",".join([r[1] for r in page.rows]).encode()
    return Raw(head[:-len(b'[]}')] + b"[" + items + b"]}")


def get_registrant(ctx: Ctx, inp: Input) -> Raw:
    """Registration must be on only where the operation says so (webinars)."""
    row, _, _ = _registration_meeting(ctx, ctx.subject(inp), enabled=documents(ctx, NOT_ENABLED[0]))
    rid = inp.path["registrantId"]
    reg = repo.get(ctx.db, row.id, rid)
    if reg is None:
        raise documented(ctx, 3079, "This registrant does not exist: {registrantId}.", registrantId=rid)
    return Raw(reg.doc.encode())


# ---- changing ----------------------------------------------------------------------------------------------

def delete_registrant(ctx: Ctx, inp: Input) -> None:
    """With an occurrence named (registration per occurrence), only that occurrence is given up;
    the registration goes when no occurrence is left."""
    row, _, doc = _registration_meeting(ctx, ctx.subject(inp))
    rid = inp.path["registrantId"]
    reg = repo.get(ctx.db, row.id, rid)
    if reg is None:
        raise _no_registrant(ctx, rid)
    occurrence = _wanted_occurrences(doc, inp.query.get("occurrence_id"), "occurrence_id")
    kept = _chosen(ctx, row.id)
    if occurrence and _per_occurrence(doc):
        holds = kept.get(rid) or [o["occurrence_id"] for o in _live_occurrences(doc)]
        left = [o for o in holds if o != occurrence[0]]
        if left:
            kept[rid] = left
            parts_repo.put(ctx.db, ctx.account_id, row.id, OCCURRENCES_KIND, kept)
            return
    repo.delete(ctx.db, row.id, rid)
    for kind in (OCCURRENCES_KIND, SOURCES_KIND):    # what we noted about the registrant goes too
        notes = parts_repo.get(ctx.db, row.id, kind) or {}
        if notes.pop(rid, None) is not None:
            parts_repo.put(ctx.db, ctx.account_id, row.id, kind, notes)


def _no_registrant(ctx: Ctx, rid: str) -> ZoomError:
    """Webinars say the registrant "was not found"; meetings that the id is invalid."""
    if documents(ctx, "was not found"):
        return said(ctx, "was not found", 3000, "Registrant {registrantId} was not found.", registrantId=rid)
    return documented(ctx, 300, INVALID_REGISTRANT, containing="Registrant ID field is invalid")


def update_status(ctx: Ctx, inp: Input) -> None:
    """approve: pending or denied -> approved; deny: pending or approved -> denied; cancel: an
    approved registration -> denied. Registrants are named by id (or by email without an id);
    names that match nobody are ignored."""
    row, _, doc = _registration_meeting(ctx, ctx.subject(inp))
    _wanted_occurrences(doc, inp.query.get("occurrence_id"), "occurrence_id")
    body = dict(inp.body or {})
    action = str(body["action"])
    entries = list(body.get("registrants") or [])
    if len(entries) > BATCH_MAX:
        raise invalid_field("registrants", f"Maximum {BATCH_MAX} items.")
    ids = [str(e["id"]) for e in entries if e.get("id")]
    emails = [str(e["email"]) for e in entries if not e.get("id") and e.get("email")]
    target = STATUS_OF_ACTION[action]
    if action == "approve":
        seats.hold(ctx, row.id)
    changed, returning = [], 0
    for reg in repo.find(ctx.db, row.id, ids, emails):
        if reg.status == target or (action == "cancel" and reg.status != "approved"):
            continue
        returning += reg.status == "denied"     # a denied registrant approved again takes a seat back
        data = reg.data()
        data["status"] = target
        changed.append(data)
    seats.check_approve(ctx, row, doc, returning)
    repo.save(ctx.db, row.id, changed)


# ---- registration questions -------------------------------------------------------------------------------

def get_questions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Never set: no questions beyond the name and email every form asks."""
    row, _, _ = _registration_meeting(ctx, ctx.subject(inp))
    return _questions(ctx, row.id)


def update_questions(ctx: Ctx, inp: Input) -> None:
    """Each list given replaces the stored one; a list left out stays as it was. Question types
    are the operation's own (meetings: short, single; webinars: short, single_radio,
    single_dropdown, multiple): every type but short offers answers."""
    row, _, _ = _registration_meeting(ctx, ctx.subject(inp))
    body = dict(inp.body or {})
    saved = _questions(ctx, row.id)
    if body.get("questions") is not None:
        fields: dict[str, dict[str, Any]] = {}
        for i, q in enumerate(body["questions"]):
            name = q.get("field_name")
            if not name:
                raise invalid_field(f"questions[{i}].field_name")
            fields[name] = {"field_name": name, "required": bool(q.get("required"))}
        saved["questions"] = list(fields.values())
    if body.get("custom_questions") is not None:
        custom = []
        for i, q in enumerate(body["custom_questions"]):
            title = str(q.get("title") or "").strip()
            if not title:
                raise invalid_field(f"custom_questions[{i}].title")
            kind = q.get("type") or "short"
            item: dict[str, Any] = {"title": title, "type": kind, "required": bool(q.get("required"))}
            if kind != "short":
                answers = [str(a) for a in q.get("answers") or [] if str(a).strip()]
                if not answers:
                    raise invalid_field(f"custom_questions[{i}].answers")
                item["answers"] = answers
            custom.append(item)
        saved["custom_questions"] = custom
    parts_repo.put(ctx.db, ctx.account_id, row.id, QUESTIONS_KIND, saved)


HANDLERS: dict[str, Callable[..., Any]] = {
    "meetingRegistrants": list_registrants,
    "meetingRegistrantCreate": create_registrant,
    "addBatchRegistrants": batch_registrants,
    "meetingRegistrantGet": get_registrant,
    "meetingregistrantdelete": delete_registrant,
    "meetingRegistrantStatus": update_status,
    "meetingRegistrantsQuestionsGet": get_questions,
    "meetingRegistrantQuestionUpdate": update_questions,
}
