"""Hub hosts: the users who may create events, upload videos and run VOD channels in a hub.

They stay where hubs.py and events.check_hub already read them, the hub document's `hosts`
list (user ids, the account owner first), so a host added here may create events in the hub
at once and one removed may not: one list, not a second copy as account items. Changes to it
are made one request after another per hub (`ctx.db.serialize`), so two concurrent adds never
lose one another.

Who may touch a hub (load_hub, shared by files, videos and VOD channels): one of its hosts, or
anyone with the operation's :admin scope. Another account's hub is "Hub not found." (2001),
exactly like a missing one; a hub of the account the caller does not host is 260101."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented, invalid_field
from zoomsim.platform.validation import is_email
from zoomsim.storage import events as repo
from zoomsim.storage import users as users_repo

HUB_NOT_FOUND = "Hub not found."
HUB_DENIED = "Hub access denied."


def hosts_of(hub: repo.HubRow) -> list[str]:
    return [str(h) for h in hub.data().get("hosts") or []]


def find_hub(ctx: Ctx, hub_id: str) -> repo.HubRow:
    """The account's hub, whoever asks; 2001 otherwise."""
    hub = repo.get_hub(ctx.db, ctx.account_id, hub_id)
    if hub is None:
        raise documented(ctx, 2001, HUB_NOT_FOUND, status=404)
    return hub


def may_manage(ctx: Ctx, hub: repo.HubRow) -> bool:
    return ctx.admin or ctx.user_id in hosts_of(hub)


def load_hub(ctx: Ctx, hub_id: str) -> repo.HubRow:
    """The account's hub, for one of its hosts or an account admin."""
    hub = find_hub(ctx, hub_id)
    if not may_manage(ctx, hub):
        raise documented(ctx, 260101, HUB_DENIED, status=403)
    return hub


def default_hub(ctx: Ctx) -> repo.HubRow | None:
    """The first hub the caller may manage (uploads that name no hub land there)."""
    return next((hub for hub in repo.hubs_of(ctx.db, ctx.account_id) if may_manage(ctx, hub)), None)


def _save_hosts(ctx: Ctx, hub: repo.HubRow, hosts: list[str]) -> None:
    repo.save_hub(ctx.db, ctx.account_id, hub.id, {**hub.data(), "hosts": hosts})


def _locked(ctx: Ctx, hub_id: str) -> repo.HubRow:
    """The hub, re-read under its lock, for one of its hosts or an admin."""
    load_hub(ctx, hub_id)
    ctx.db.serialize(f"ze_hub_hosts:{hub_id}")
    return load_hub(ctx, hub_id)


def list_hosts(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Hosts in the order they were added, with their e-mail addresses; pages by position."""
    hub = load_hub(ctx, inp.path["hubId"])
    rows = []
    for user_id in hosts_of(hub):
        user = users_repo.get(ctx.db, ctx.account_id, user_id)
        if user is not None:       # a user deleted since no longer hosts anything
            rows.append((f"{len(rows):09d}", {"host_user_id": user.id, "email": user.email}))
    page = ctx.services.pager.paginate_list(f"ze_hub_hosts:{ctx.account_id}:{hub.id}", inp.query, ctx.now, rows,
                                            filters=())
    return {"total_records": page.total_records, "next_page_token": page.next_page_token, "hosts": list(page.rows)}


def create_host(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Adds an active user of the account by e-mail; adding a host again answers the same id."""
    email = str((inp.body or {}).get("email") or "").strip()
    if not email or not is_email(email):
        raise invalid_field("email")
    hub = _locked(ctx, inp.path["hubId"])
    user = users_repo.get(ctx.db, ctx.account_id, email)
    if user is None or user.status != "active":
        raise ZoomError(404, 1001, f"User does not exist: {email}.")
    hosts = hosts_of(hub)
    if user.id not in hosts:
        _save_hosts(ctx, hub, [*hosts, user.id])
    return {"host_user_id": user.id}


def delete_host(ctx: Ctx, inp: Input) -> None:
    hub = _locked(ctx, inp.path["hubId"])
    user_id = inp.path["hostUserId"]
    hosts = hosts_of(hub)
    if user_id not in hosts:
        raise ZoomError(404, 1001, f"Hub host does not exist: {user_id}.")
    _save_hosts(ctx, hub, [h for h in hosts if h != user_id])


HANDLERS: dict[str, Callable[..., Any]] = {
    "gethubhostList": list_hosts,
    "createHubHost": create_host,
    "deleteHubHost": delete_host,
}
