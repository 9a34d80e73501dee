"""Webinar absentees: the registrants of an ended webinar instance who never joined it.

Someone attended when a session of the instance carries their registrant id (they joined
through their own link) or their email address (they joined another way). Only approved
registrants count (pending and denied ones were never let in), only those registered by the
time the instance ended, and, for a recurring webinar whose registrants pick occurrences,
only those registered for the occurrence that ran. The list runs in registration order and
pages on the registrant's seq."""
from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.context import Ctx, Input, Raw
from zoomsim.errors import documented
from zoomsim.meetings.access import check_plan
from zoomsim.meetings.registrants import OCCURRENCES_KIND
from zoomsim.past_meetings import lookup
from zoomsim.platform.paging import Page
from zoomsim.storage import instances as inst_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.storage.schema import registrants as reg_t

FILTERS = ("occurrence_id",)


def _absent(ctx: Ctx, instance: inst_repo.InstanceRow) -> list[tuple[int, str]]:
    """(seq, registrant id) of every absentee, in registration order. A webinar holds at most
    a few thousand registrants, so their ids and addresses are read in one go."""
    came_ids, came_emails = inst_repo.attendance(ctx.db, instance.seq)
    occurrence = str(instance.data().get("occurrence_id") or "")
    chosen: dict[str, list[str]] = (parts_repo.get(ctx.db, instance.meeting_id, OCCURRENCES_KIND) or {}) \
        if occurrence else {}
    q = (sa.select(reg_t.c.seq, reg_t.c.id, reg_t.c.email)
         .where(reg_t.c.meeting_id == instance.meeting_id, reg_t.c.status == "approved",
                reg_t.c.created_at <= str(instance.end_time))
         .order_by(reg_t.c.seq))
    rows: Any = ctx.db.execute(q)
    return [(int(seq), str(rid)) for seq, rid, email in rows
            if rid not in came_ids and str(email).lower() not in came_emails
            and (rid not in chosen or occurrence in chosen[rid])]


def _docs(ctx: Ctx, seqs: list[int]) -> list[str]:
    """The stored registrant documents of one page, in the page's order."""
    if not seqs:
        return []
    rows: Any = ctx.db.execute(sa.select(reg_t.c.seq, reg_t.c.doc).where(reg_t.c.seq.in_(seqs)))
    found = {int(seq): str(doc) for seq, doc in rows}
    return [found[s] for s in seqs if s in found]


def _page(ctx: Ctx, instance: inst_repo.InstanceRow, query: dict[str, Any]) -> Page:
    absent = _absent(ctx, instance)

    def fetch(after: Any, offset: int, limit: int) -> list[tuple[int, str]]:
        if after is None:
            return absent[offset:offset + limit]
        if not isinstance(after, int) or isinstance(after, bool):
            return []
        return [a for a in absent if a[0] > after][:limit]

    return ctx.services.pager.paginate(
        f"webinar_absentees:{ctx.account_id}:{instance.uuid}", query, ctx.now, fetch=fetch,
        count=lambda: len(absent), cursor_of=lambda a: a[0], filters=FILTERS)


def webinar_absentees(ctx: Ctx, inp: Input) -> Raw:
    """Registrants who did not attend the instance (the latest one, or the named occurrence's,
    or the UUID's), served from their stored documents."""
    raw = ctx.subject(inp)
    instance = lookup.find(ctx, raw, str(inp.query.get("occurrence_id") or "").strip())
    check_plan(ctx, instance.host_id)
    if not instance.data().get("registration"):
        raise documented(ctx, 3000, "This webinar doesn't have registration required: {webinarUUID}.",
                         webinarUUID=instance.uuid)
    page = _page(ctx, instance, inp.query)
    head = jsonio.dumps(page.envelope("registrants", [], with_page_number=True))
    items = ",".join(_docs(ctx, [seq for seq, _ in page.rows])).encode()
    return Raw(head[:-len(b'[]}')] + b"[" + items + b"]}")


HANDLERS: dict[str, Callable[..., Any]] = {
    "webinarAbsentees": webinar_absentees,
}
