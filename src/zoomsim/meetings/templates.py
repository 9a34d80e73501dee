"""Meeting and webinar templates: a user's saved copy of an existing meeting's (webinar's)
options, which later ones can start from (`template_id` on create or update).

Templates are account items of kind template_kind() owned by the user, named by the template
name (unique per user): meeting and webinar templates are separate lists. The body names its
source as `meeting_id` or `webinar_id` (the kind's name); webinar templates need a host with
a webinar licence. The stored `meeting` holds exactly the keys the meetings core copies into a
new meeting or webinar (meetings.TEMPLATE_KEYS)."""
from __future__ import annotations

import copy
from typing import Any, Callable

from zoomsim import clock as clockmod
from zoomsim import ids
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings import model
from zoomsim.meetings.access import (
    cannot_access,
    check_plan,
    documented,
    may_host,
    no_hosting,
)
from zoomsim.meetings.kind_rules import named
from zoomsim.meetings.kinds import of_type
from zoomsim.meetings.meetings import TEMPLATE_KEYS, template_kind
from zoomsim.storage import items as items_repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import users as users_repo
from zoomsim.users.access import resolve_user

MAX_TEMPLATES = 40          # per user, as the create operation documents
USER_TEMPLATE, ADMIN_TEMPLATE = 1, 2


def _user_for(ctx: Ctx, user_id: str) -> users_repo.UserRow:
    """The path's user, who must be allowed to hold meetings (3161 otherwise) and, for webinar
    templates, hold a webinar licence (200)."""
    user = resolve_user(ctx, user_id)
    if not may_host(user):
        raise no_hosting(ctx)
    check_plan(ctx, user.id)
    return user


def _templates_of(ctx: Ctx, owner_id: str) -> list[items_repo.Item]:
    """The user's own templates, then account-wide (admin) ones, each in creation order."""
    own = items_repo.all_of(ctx.db, ctx.account_id, template_kind(ctx), owner_id)
    shared = items_repo.all_of(ctx.db, ctx.account_id, template_kind(ctx), "")
    return own + shared


def list_templates(ctx: Ctx, inp: Input) -> dict[str, Any]:
    user = _user_for(ctx, inp.path["userId"])
    rows = _templates_of(ctx, user.id)
    out = []
    for item in rows:
        doc = item.data()
        kind = int(doc.get("type") or (ADMIN_TEMPLATE if item.owner_id == "" else USER_TEMPLATE))
        out.append({"id": item.id, "name": item.name, "type": kind})
    return {"total_records": len(out), "templates": out}


def _source_meeting(ctx: Ctx, raw_id: Any, owner_id: str) -> meetings_repo.MeetingRow:
    """The live meeting (webinar) the template copies. Zoom answers an unknown number (or one of
    another account, another kind, or another user than the path's) with 400/3001; another
    host's meeting without an account-level scope is 3000."""
    text = str(raw_id)
    number = ids.meeting_number(text)
    row = meetings_repo.get(ctx.db, number) if number is not None else None
    missing = documented(ctx, 3001, f"{ctx.kind.word} does not exist: {{id}}.", **named(ctx, raw_id))
    if row is None or row.account_id != ctx.account_id or row.status == "deleted" or row.type not in ctx.kind.types:
        raise missing
    if row.host_id != ctx.user_id and not ctx.admin:
        raise cannot_access(ctx)
    if row.host_id != owner_id:
        raise missing
    return row


def template_meeting(meeting: dict[str, Any], save_recurrence: bool) -> dict[str, Any]:
    """What a template keeps of a meeting. Without `save_recurrence` a recurring meeting
    becomes a plain scheduled one: a meeting made from it is never a recurring type without a rule."""
    kept = {k: copy.deepcopy(meeting[k]) for k in TEMPLATE_KEYS if k in meeting and k != "recurrence"}
    if save_recurrence and meeting.get("recurrence") is not None:
        kept["recurrence"] = copy.deepcopy(meeting["recurrence"])
    elif kept.get("type") in model.RECURRING:
        kept["type"] = of_type(int(kept["type"])).scheduled
    return kept


def create_template(ctx: Ctx, inp: Input) -> dict[str, Any]:
    user = _user_for(ctx, inp.path["userId"])
    body = inp.body or {}
    name = str(body.get("name") or "").strip()
    if not name:
        raise invalid_field("name")
    source = f"{ctx.kind.name}_id"     # meeting_id or webinar_id
    if body.get(source) is None:
        raise invalid_field(source)
    row = _source_meeting(ctx, body[source], user.id)
    saved = template_meeting(row.data(), bool(body.get("save_recurrence")))
    existing = items_repo.find_by_name(ctx.db, ctx.account_id, template_kind(ctx), name, owner_id=user.id)
    if existing is not None:
        if not body.get("overwrite"):
            raise documented(ctx, 3000, f"{ctx.kind.word} template name already exists: {{templateName}}.",
                             containing="template name already exists", templateName=name, name=name)
        doc = {"id": existing.id, "name": name, "type": USER_TEMPLATE, "meeting": saved}
        items_repo.save(ctx.db, ctx.account_id, template_kind(ctx), existing.id, doc, name=name)
        return {"id": existing.id, "name": name}
    if items_repo.count(ctx.db, ctx.account_id, template_kind(ctx), user.id) >= MAX_TEMPLATES:
        raise documented(ctx, 300, f"You can only create up to {MAX_TEMPLATES} {ctx.kind.name} templates.")
    template_id = ids.new_id()
    doc = {"id": template_id, "name": name, "type": USER_TEMPLATE, "meeting": saved}
    items_repo.insert(ctx.db, ctx.account_id, template_kind(ctx), template_id, doc, owner_id=user.id,
                      name=name, created_at=clockmod.iso(ctx.now))
    return {"id": template_id, "name": name}


def detail_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The template's settings in the shape the Users API shows them (grouped like user
    settings); only what a saved meeting actually carries is reported."""
    out: dict[str, Any] = {}
    schedule = {k: bool(settings[k]) for k in ("host_video", "participant_video", "mute_upon_entry") if k in settings}
    if schedule:
        out["schedule_meeting"] = schedule
    breakout = settings.get("breakout_room")
    if isinstance(breakout, dict) and "enable" in breakout:
        out["in_meeting"] = {"breakout_room": bool(breakout["enable"])}
    if settings.get("auto_recording") in ("local", "cloud", "none"):
        out["recording"] = {"auto_recording": settings["auto_recording"]}
    if "waiting_room" in settings:
        out["meeting_security"] = {"waiting_room": bool(settings["waiting_room"])}
    return out


def get_template(ctx: Ctx, inp: Input) -> dict[str, Any]:
    user = resolve_user(ctx, inp.path["userId"])
    template_id = inp.path["meetingTemplateId"]
    item = items_repo.get(ctx.db, ctx.account_id, template_kind(ctx), template_id)
    if item is None or item.owner_id not in (user.id, ""):
        # The operation documents no error for this; a missing template reads like a missing meeting.
        raise ZoomError(404, 3001, f"Meeting template does not exist: {template_id}.")
    meeting = item.data().get("meeting") or {}
    return {"id": item.id, "name": item.name, "settings": detail_settings(meeting.get("settings") or {})}


HANDLERS: dict[str, Callable[..., Any]] = {
    "listMeetingTemplates": list_templates,
    "meetingTemplateCreate": create_template,
    "getUserMeetingTemplates": get_template,
}
