"""Who may watch a VOD channel: its registration questions, its registrations and the report
of them.

The questions are one `ze_vod_questions` item per channel (id = the channel's). Until the host
sets them a channel asks Zoom's standing fields, first and last name (required), with ids
derived from the channel's id. A PUT replaces each list it gives. Custom questions follow the
reference: answer choices (`answers`) only, and always, for the choice types; min/max lengths
for short (at most 500) and long (2000) answers, min_length at least 1 when required.

A registration is a `ze_vod_registration` item (owner = the channel, name = the lower-cased
e-mail, so an address registers once: registering it again answers the registration it has).
Each entry is checked against the channel's questions (required fields and custom questions
answered, choices among the answers) and its allow lists; one bad entry refuses the whole
request, so nothing is half written. Registrations are counted and written under the channel's
lock. The report lists what is stored; zoomsim plays no videos, so `video_watch_duration` is
empty until something records watching."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import invalid_field
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import vod_channels
from zoomsim.zoom_events.parts import derived_id
from zoomsim.zoom_events.questions import CHOICE_TYPES, TEXT_TYPES, TITLES, custom_of, fields_of
from zoomsim.zoom_events.vod_channels import QUESTIONS, REGISTRATION

STANDING = ("first_name", "last_name")
# The registration method each channel setting means, in the registrations' own words.
AUTH = {"zoom_account": "zoom_account", "email_otp": "email_opt", "bypass_auth": "no_auth"}
LIST_FILTERS = ("email",)


# ---- questions ----------------------------------------------------------------------------------

def standing(channel_id: str) -> dict[str, Any]:
    return {"questions": [{"question_id": derived_id(channel_id, "vod_question", name), "field_name": name,
                           "title": TITLES[name], "required": True} for name in STANDING],
            "custom_questions": []}


def questions_of(ctx: Ctx, channel_id: str) -> dict[str, Any]:
    item = items_repo.get(ctx.db, ctx.account_id, QUESTIONS, channel_id)
    return item.data() if item is not None else standing(channel_id)


def get_questions(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _, channel = vod_channels.load_channel(ctx, inp)
    return questions_of(ctx, channel.id)


def update_questions(ctx: Ctx, inp: Input) -> None:
    _, channel = vod_channels.load_channel(ctx, inp)
    body = {k: v for k, v in (inp.body or {}).items() if v is not None}
    ctx.db.serialize(f"{QUESTIONS}:{channel.id}")    # two first PUTs would both insert the one item
    item = items_repo.get(ctx.db, ctx.account_id, QUESTIONS, channel.id)
    doc = item.data() if item is not None else standing(channel.id)
    if "questions" in body:
        doc["questions"] = fields_of(body["questions"], [])
    if "custom_questions" in body:
        doc["custom_questions"] = custom_of(body["custom_questions"], [], choices="answers")
    if item is None:
        items_repo.insert(ctx.db, ctx.account_id, QUESTIONS, channel.id, doc, owner_id=channel.id,
                          created_at=clockmod.iso(ctx.now))
    else:
        items_repo.save(ctx.db, ctx.account_id, QUESTIONS, channel.id, doc)


# ---- registrations ------------------------------------------------------------------------------

def _method(channel: dict[str, Any]) -> str:
    """How a registrant of this channel signs in (embedded channels have no sign-in)."""
    return AUTH.get(str((channel.get("settings") or {}).get("authentication_method")), "no_auth")


def _allowed(channel: dict[str, Any], email: str) -> bool:
    settings = channel.get("settings") or {}
    domains, emails = settings.get("allow_domain_list") or [], settings.get("allow_email_list") or []
    if not domains and not emails:
        return True
    return email in emails or email.rsplit("@", 1)[-1] in domains


def _entry(channel: dict[str, Any], asked: dict[str, Any], given: dict[str, Any], where: str) -> dict[str, Any]:
    """One registration, checked against the channel's questions and allow lists."""
    email = str(given.get("email") or "").strip().lower()
    if not email:
        raise invalid_field(f"{where}.email")
    if not _allowed(channel, email):
        raise invalid_field(f"{where}.email", "This email address is not allowed to register for the channel.")
    doc: dict[str, Any] = {"email": email}
    for name in TITLES:
        value = str(given.get(name) or "").strip()
        if value:
            doc[name] = value
    for q in asked["questions"]:
        if q["required"] and not doc.get(q["field_name"]):
            raise invalid_field(f"{where}.{q['field_name']}")
    if doc.get("country") and (len(doc["country"]) != 2 or not doc["country"].isalpha()):
        raise invalid_field(f"{where}.country")
    if "country" in doc:
        doc["country"] = doc["country"].upper()
    by_title = {q["title"].lower(): q for q in asked["custom_questions"]}
    answers: dict[str, str] = {}
    for j, a in enumerate(given.get("custom_questions") or []):
        title = str(a.get("title") or "").strip().lower()
        q = by_title.get(title)
        answer = str(a.get("answer") or "").strip()
        if q is None or title in answers:
            raise invalid_field(f"{where}.custom_questions[{j}].title")
        if q["type"] in TEXT_TYPES and answer and not q["min_length"] <= len(answer) <= q["max_length"]:
            raise invalid_field(f"{where}.custom_questions[{j}].answer")
        chosen = [c.strip() for c in answer.split(",")] if q["type"] == "multiple_choice" else [answer]
        if q["type"] in CHOICE_TYPES and answer and any(c not in q["answers"] for c in chosen):
            raise invalid_field(f"{where}.custom_questions[{j}].answer")
        if answer:
            answers[title] = answer
    for q in asked["custom_questions"]:
        if q["required"] and q["title"].lower() not in answers:
            raise invalid_field(f"{where}.custom_questions", f"The question '{q['title']}' must be answered.")
    doc["custom_questions"] = [{"title": q["title"], "answer": answers[q["title"].lower()]}
                               for q in asked["custom_questions"] if q["title"].lower() in answers]
    doc["authentication_method"] = _method(channel)
    return doc


def _join_link(ctx: Ctx, channel_id: str, registration_id: str) -> str:
    return f"{ctx.services.config.base_url}/events/vod/{channel_id}/join?registration={registration_id}"


def register(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _, channel = vod_channels.load_channel(ctx, inp)
    given = (inp.body or {}).get("registrations") or []
    if not given:
        raise invalid_field("registrations")
    doc = channel.data()
    asked = questions_of(ctx, channel.id)
    entries = [_entry(doc, asked, g, f"registrations[{i}]") for i, g in enumerate(given)]
    ctx.db.serialize(f"{REGISTRATION}:{channel.id}")
    out, made = [], {}
    now_iso = clockmod.iso(ctx.now)
    for entry in entries:
        found = made.get(entry["email"]) or items_repo.find_by_name(ctx.db, ctx.account_id, REGISTRATION,
                                                                    entry["email"], owner_id=channel.id)
        if found is None:
            reg_id = ids.new_id()
            entry.update(registration_id=reg_id, join_link=_join_link(ctx, channel.id, reg_id),
                         registered_at=now_iso, video_watch_duration=[])
            items_repo.insert(ctx.db, ctx.account_id, REGISTRATION, reg_id, entry, owner_id=channel.id,
                              name=entry["email"], created_at=now_iso)
            made[entry["email"]] = found = entry
        record = found if isinstance(found, dict) else found.data()
        out.append({"registration_id": record["registration_id"], "email": record["email"],
                    "join_link": record["join_link"]})
    return {"registrations": out}


def _page(ctx: Ctx, inp: Input, scope: str) -> tuple[Any, str]:
    """A keyset page of the channel's registrations (one, or none, for an `email` filter)."""
    _, channel = vod_channels.load_channel(ctx, inp)
    email = str(inp.query.get("email") or "").strip().lower()

    def fetch(after: Any, offset: int, limit: int) -> list[items_repo.Item]:
        if email:
            hit = items_repo.find_by_name(ctx.db, ctx.account_id, REGISTRATION, email, owner_id=channel.id)
            return [hit] if hit is not None and (after is None or hit.seq > after) else []
        return list(items_repo.page(ctx.db, ctx.account_id, REGISTRATION, channel.id, after, 0, limit))

    def count() -> int:
        if email:
            return int(items_repo.find_by_name(ctx.db, ctx.account_id, REGISTRATION, email,
                                               owner_id=channel.id) is not None)
        return items_repo.count(ctx.db, ctx.account_id, REGISTRATION, channel.id)

    page = ctx.services.pager.paginate(f"{scope}:{ctx.account_id}:{channel.id}", inp.query, ctx.now,
                                       fetch=fetch, count=count, cursor_of=lambda item: item.seq,
                                       filters=LIST_FILTERS)
    return page, channel.id


def list_registrations(ctx: Ctx, inp: Input) -> dict[str, Any]:
    page, _ = _page(ctx, inp, "ze_vod_regs")
    out = []
    for item in page.rows:
        doc = item.data()
        out.append({"registration_id": doc["registration_id"], "email": doc["email"], "join_link": doc["join_link"],
                    "authentication_method": doc["authentication_method"],
                    **{name: doc[name] for name in TITLES if name in doc},
                    "custom_questions": doc["custom_questions"]})
    return {"total_records": page.total_records, "next_page_token": page.next_page_token, "registrations": out}


def registrations_report(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Each registration with its answers (standing fields under their titles, then custom)."""
    page, channel_id = _page(ctx, inp, "ze_vod_report")
    titles = {q["field_name"]: q["title"] for q in questions_of(ctx, channel_id)["questions"]}
    method = {"email_opt": "email_opt", "zoom_account": "zoom_account"}
    out = []
    for item in page.rows:
        doc = item.data()
        answers = [{"title": titles.get(name, TITLES[name]), "answer": doc[name]}
                   for name in TITLES if name in doc and name not in STANDING]
        out.append({"email": doc["email"], "first_name": doc.get("first_name", ""),
                    "last_name": doc.get("last_name", ""),
                    "authentication_method": method.get(doc["authentication_method"], "no_auth"),
                    "questions": answers + list(doc["custom_questions"]),
                    "video_watch_duration": list(doc.get("video_watch_duration") or [])})
    return {"total_records": page.total_records, "next_page_token": page.next_page_token, "registrations": out}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getRegistrationQuestionsForVODChannel": get_questions,
    "updateRegistrationQuestionsForVODchannel": update_questions,
    "ListVODRegistration": list_registrations,
    "VODTicketRegistration": register,
    "VodChannelReigistration": registrations_report,
}
