"""Access links of an event: list, create, get, update, delete.

A link is a `registration` link (attendees register, and may have to join with the address
they registered with) or a `group-join` link (a group named by its authentication joins without
registering, with the access of a ticket type of the event). Each is an account item of kind
`ze_access_link` owned by the event and named by its lower-cased name: names are unique within
the event (261203), checked and written under the event's access-link lock, which also keeps
exactly one link the default when one is made the default. The type is fixed once made (the
update schema has no `type`)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import documented, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import items as items_repo
from zoomsim.storage.events import EventRow
from zoomsim.zoom_events import access, parts

TYPES = ("registration", "group-join")
METHODS = ("zoom_account", "zoom_account_otp", "corporate_idp", "bypass_auth", "accelerated_auth")
RECURRING_OPTIONS = ("all_sessions", "single_session", "multiple_sessions")
MAX_DOMAINS = 50          # "This array returns a maximum of 50 domains."
NOT_FOUND = "Event access link not found."
NO_TICKET_TYPE = "The ticket type could not be found."
NAME_TAKEN = "Please ensure that each join link has a unique name."


def _domain(value: str) -> str:
    domain = value.strip().lower().lstrip("@")
    labels = domain.split(".")
    if len(labels) < 2 or any(not label or not all(c.isalnum() or c == "-" for c in label) for label in labels):
        raise invalid_field("allow_domain_list")
    return domain


def _apply(ctx: Ctx, event: EventRow, doc: dict[str, Any], body: dict[str, Any]) -> None:
    """The fields of a create or update (enums and types are the schema's), checked."""
    if "name" in body:
        doc["name"] = parts.fits(str(body["name"]).strip(), "name")
        if not doc["name"]:
            raise invalid_field("name")
    for key in ("authentication_method", "is_default", "idp_name"):
        if key in body:
            doc[key] = body[key]
    if doc["authentication_method"] == "corporate_idp":
        doc.setdefault("idp_name", "")
    else:
        doc.pop("idp_name", None)
    if "allow_domain_list" in body:
        domains = list(dict.fromkeys(_domain(str(d)) for d in body["allow_domain_list"]))
        if len(domains) > MAX_DOMAINS:
            raise invalid_field("allow_domain_list")
        doc["allow_domain_list"] = domains
    if "email_restrict_list" in body:
        emails = [str(e).strip().lower() for e in body["email_restrict_list"]]
        if any(not is_email(e) for e in emails):
            raise invalid_field("email_restrict_list")
        doc["email_restrict_list"] = list(dict.fromkeys(emails))
    if "security_at_join" in body:
        given = body["security_at_join"] or {}
        security = doc["security_at_join"]
        for key in ("email_authentication", "security_code_verification"):
            if given.get(key) is not None:
                security[key] = bool(given[key])
    if doc["type"] != "registration":          # "applies only to registration link type"
        doc["security_at_join"]["email_authentication"] = False
    if "recurring_registration_option" in body:
        if event.event_type != "RECURRING":
            raise invalid_field("recurring_registration_option")
        doc["recurring_registration_option"] = body["recurring_registration_option"]
    if "ticket_type_id" in body and doc["type"] == "group-join":   # "applies only to group-join link type"
        if not parts.ticket_type_of(ctx, event.id, str(body["ticket_type_id"])):
            raise documented(ctx, 261202, NO_TICKET_TYPE)
        doc["ticket_type_id"] = str(body["ticket_type_id"])


def _name_free(ctx: Ctx, event_id: str, name: str, link_id: str = "") -> None:
    found = items_repo.find_by_name(ctx.db, ctx.account_id, parts.ACCESS_LINK, name.lower(), owner_id=event_id)
    if found is not None and found.id != link_id:
        raise documented(ctx, 261203, NAME_TAKEN)


def _one_default(ctx: Ctx, event_id: str, link_id: str) -> None:
    """Only one link is the default at any time: making one the default unmakes the other."""
    for item in parts.of_event(ctx, parts.ACCESS_LINK, event_id):
        doc = item.data()
        if item.id != link_id and doc.get("is_default"):
            doc["is_default"] = False
            items_repo.save(ctx.db, ctx.account_id, parts.ACCESS_LINK, item.id, doc)


def _load(ctx: Ctx, event_id: str, link_id: str) -> items_repo.Item:
    item = parts.find(ctx, parts.ACCESS_LINK, event_id, link_id)
    if item is None:
        raise documented(ctx, 261201, NOT_FOUND, status=404)
    return item


def _view(item_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    return {"access_link_id": item_id, **doc}


def url_of(ctx: Ctx, event_id: str, link_id: str) -> str:
    return f"{ctx.services.config.base_url}/ev/{event_id}/access/{link_id}"


def list_links(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """The list alone shows each link's URL (only its schema has `url`)."""
    event = access.load_event(ctx, inp.path["eventId"])
    out = [{**_view(item.id, item.data()), "url": url_of(ctx, event.id, item.id)}
           for item in parts.of_event(ctx, parts.ACCESS_LINK, event.id)]
    return {"access_links": out}


def create_link(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    body = parts.given(inp.body)
    doc: dict[str, Any] = {"name": "", "type": str(body["type"]), "is_default": False,
                           "authentication_method": str(body["authentication_method"]),
                           "allow_domain_list": [], "email_restrict_list": [],
                           "security_at_join": {"email_authentication": False, "security_code_verification": False}}
    if event.event_type == "RECURRING":
        doc["recurring_registration_option"] = "all_sessions"
    _apply(ctx, event, doc, body)
    parts.lock(ctx, event.id, parts.ACCESS_LINK)
    _name_free(ctx, event.id, doc["name"])
    link_id = parts.new_id(ctx, parts.ACCESS_LINK)
    if doc["is_default"]:
        _one_default(ctx, event.id, link_id)
    parts.add(ctx, parts.ACCESS_LINK, event.id, link_id, doc, name=doc["name"].lower())
    return _view(link_id, doc)


def get_link(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    item = _load(ctx, event.id, inp.path["accessLinkId"])
    return _view(item.id, item.data())


def update_link(ctx: Ctx, inp: Input) -> None:
    """PATCH: the keys given change; `security_at_join` keys one by one."""
    event = access.load_event(ctx, inp.path["eventId"])
    item = _load(ctx, event.id, inp.path["accessLinkId"])
    doc = item.data()
    _apply(ctx, event, doc, parts.given(inp.body))
    parts.lock(ctx, event.id, parts.ACCESS_LINK)
    _name_free(ctx, event.id, doc["name"], item.id)
    if doc["is_default"]:
        _one_default(ctx, event.id, item.id)
    items_repo.save(ctx.db, ctx.account_id, parts.ACCESS_LINK, item.id, doc, name=doc["name"].lower())


def delete_link(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    item = _load(ctx, event.id, inp.path["accessLinkId"])
    items_repo.delete(ctx.db, ctx.account_id, parts.ACCESS_LINK, item.id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getEventAccessLinks": list_links,
    "createEventAccessLink": create_link,
    "GetEventAccessLink": get_link,
    "updateEventAccess": update_link,
    "deleteEventAccessLink": delete_link,
}
