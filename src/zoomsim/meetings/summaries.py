"""AI Companion meeting summaries: read one, list the account's, delete one.

A summary is the meeting part of kind "summary", written once a meeting has ended. Its part
id is the meeting instance's UUID (or "" for the meeting's single summary); the document
holds the fields of Zoom's summary object. Deleting moves it to the trash, as Zoom does: it
stays stored (`_trashed_at`) but reads and deletes answer 403/2305 from then on, and lists
leave it out. Paid plans only."""
from __future__ import annotations

from typing import Any, Iterator

import sqlalchemy as sa

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, invalid_field
from zoomsim.meetings.access import documented, gate, load_meeting, not_found
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import parts as parts_repo
from zoomsim.storage.db import Db
from zoomsim.storage.schema import meeting_parts as parts_t
from zoomsim.storage.schema import meetings as meetings_t

KIND = "summary"
TRASHED = "_trashed_at"
# Zoom's summary object (Getameetingsummary), in its order; anything else in the part is ours.
FIELDS = (
    "meeting_host_id", "meeting_host_email", "meeting_uuid", "meeting_id", "meeting_topic",
    "meeting_start_time", "meeting_end_time", "summary_start_time", "summary_end_time",
    "summary_created_time", "summary_last_modified_time", "summary_last_modified_user_id",
    "summary_last_modified_user_email", "summary_title", "summary_overview", "summary_details",
    "next_steps", "edited_summary", "summary_content", "summary_doc_url",
)
# What a list item carries (Listmeetingsummaries).
LIST_FIELDS = FIELDS[:11]
TIME_FIELDS = ("summary_start_time", "summary_created_time")
BATCH = 200


# ---- storage: summaries across an account -----------------------------------------------------

def _live_summaries(account_id: str) -> list[Any]:
    """An account's summary parts whose meeting still exists (a deleted meeting's summary goes)."""
    return [parts_t.c.account_id == account_id, parts_t.c.kind == KIND, meetings_t.c.status != "deleted"]


def account_summaries(db: Db, account_id: str, after: int | None, limit: int) -> list[tuple[int, int, str, dict[str, Any]]]:
    """(seq, meeting id, part id, doc) in creation order, keyset on the part's seq."""
    conds = _live_summaries(account_id)
    if after is not None:
        conds.append(parts_t.c.seq > after)
    q = (sa.select(parts_t.c.seq, parts_t.c.meeting_id, parts_t.c.id, parts_t.c.doc)
         .select_from(parts_t.join(meetings_t, meetings_t.c.id == parts_t.c.meeting_id))
         .where(*conds).order_by(parts_t.c.seq).limit(limit))
    rows: Any = db.execute(q)    # untyped rows: SQLAlchemy's typing can't follow the join
    return [(int(r[0]), int(r[1]), str(r[2]), jsonio.loads(r[3])) for r in rows]


def summary_by_part_id(db: Db, account_id: str, part_id: str) -> tuple[int, str, dict[str, Any]] | None:
    """The summary stored under a meeting instance UUID, anywhere in the account."""
    q = (sa.select(parts_t.c.meeting_id, parts_t.c.id, parts_t.c.doc)
         .where(parts_t.c.account_id == account_id, parts_t.c.kind == KIND, parts_t.c.id == part_id)
         .order_by(parts_t.c.seq.desc()).limit(1))
    row: Any = db.execute(q).first()
    return None if row is None else (int(row[0]), str(row[1]), jsonio.loads(row[2]))


def latest_of_meeting(db: Db, meeting_id: int) -> tuple[str, dict[str, Any]] | None:
    """The newest summary of a meeting (a recurring meeting may hold one per instance)."""
    q = (sa.select(parts_t.c.id, parts_t.c.doc)
         .where(parts_t.c.meeting_id == meeting_id, parts_t.c.kind == KIND)
         .order_by(parts_t.c.seq.desc()).limit(1))
    row: Any = db.execute(q).first()
    return None if row is None else (str(row[0]), jsonio.loads(row[1]))


# ---- lookup -----------------------------------------------------------------------------------

def _paid(ctx: Ctx) -> None:
    if ctx.plan == "free":
        raise documented(ctx, 200, "Only available for Paid account.")


def _trashed(ctx: Ctx) -> ZoomError:
    for err in ctx.op.errors:
        if err["code"] == 2305 and "Trash" in err["message"]:
            return ZoomError(err["status"], 2305, err["message"])
    return ZoomError(403, 2305, "The meeting summary has been moved to Trash and cannot be accessed.")


def _by_instance_uuid(ctx: Ctx, uuid: str) -> tuple[int, str, dict[str, Any]] | None:
    """A summary whose document names the instance UUID (one stored under id ""), newest first."""
    found = None
    after = None
    while True:
        batch = account_summaries(ctx.db, ctx.account_id, after, BATCH)
        for seq, mid, pid, doc in batch:
            after = seq
            if doc.get("meeting_uuid") == uuid:
                found = (mid, pid, doc)
        if len(batch) < BATCH:
            return found


def find_summary(ctx: Ctx, raw: str) -> tuple[meetings_repo.MeetingRow, str, dict[str, Any]]:
    """By meeting number (its newest summary) or by instance UUID; a meeting without one is
    not found, like a meeting that does not exist."""
    text = str(raw).strip()
    if "\x00" in text:     # nothing stored holds NUL (and PostgreSQL refuses it as a value)
        raise not_found(ctx, raw)
    if text.isdigit():
        row = load_meeting(ctx, text)
        hit = latest_of_meeting(ctx.db, row.id)
        if hit is None:
            raise not_found(ctx, raw)
        return row, hit[0], hit[1]
    found = summary_by_part_id(ctx.db, ctx.account_id, text) or _by_instance_uuid(ctx, text)
    if found is None:
        raise not_found(ctx, raw)
    row = gate(ctx, meetings_repo.get(ctx.db, found[0]), raw)
    return row, found[1], found[2]


def _view(doc: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: doc[k] for k in keys if k in doc}


# ---- handlers ---------------------------------------------------------------------------------

def get_summary(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _paid(ctx)
    _, _, doc = find_summary(ctx, ctx.subject(inp))
    if doc.get(TRASHED):
        raise _trashed(ctx)
    return _view(doc, FIELDS)


def delete_summary(ctx: Ctx, inp: Input) -> None:
    """Moves the summary to the trash; a second delete finds it there."""
    _paid(ctx)
    row, part_id, doc = find_summary(ctx, ctx.subject(inp))
    if doc.get(TRASHED):
        raise _trashed(ctx)
    doc[TRASHED] = clockmod.iso(ctx.now)
    parts_repo.put(ctx.db, ctx.account_id, row.id, KIND, doc, part_id)


def _bound(query: dict[str, Any], key: str) -> str | None:
    value = query.get(key)
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        moment = clockmod.parse_iso(text)
    except (ValueError, OverflowError):
        raise invalid_field(key) from None
    if key == "to" and len(text) == 10:   # a bare date ends at the end of that day
        moment += 86399
    return clockmod.iso(moment)


def _matching(ctx: Ctx, after: int | None, limit: int, field: str, start: str | None,
              end: str | None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Walk the account's summaries in seq order from `after`, yielding the ones in range."""
    found = 0
    cursor = after
    while found < limit:
        batch = account_summaries(ctx.db, ctx.account_id, cursor, BATCH)
        for seq, _mid, _pid, doc in batch:
            cursor = seq
            stamp = str(doc.get(field) or "")
            if doc.get(TRASHED) or (start and stamp < start) or (end and stamp > end):
                continue
            yield seq, doc
            found += 1
            if found >= limit:
                return
        if len(batch) < BATCH:
            return


def list_summaries(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """The account's summaries, filtered on summary_start_time (or summary_created_time)."""
    _paid(ctx)
    query = {k: v for k, v in inp.query.items() if k != "page_number"}
    start, end = _bound(query, "from"), _bound(query, "to")
    if start and end and end < start:
        raise ZoomError(400, 300, "The end date cannot be earlier than the start date.")
    field = str(query.get("time_filter_field") or TIME_FIELDS[0])
    page = ctx.services.pager.paginate(
        f"meeting_summaries:{ctx.account_id}", query, ctx.now,
        fetch=lambda after, _offset, limit: list(_matching(ctx, after, limit, field, start, end)),
        count=lambda: 0,
        cursor_of=lambda item: item[0],
        filters=("from", "to", "time_filter_field"),
    )
    out: dict[str, Any] = {"page_size": page.page_size, "next_page_token": page.next_page_token}
    if start:
        out["from"] = start
    if end:
        out["to"] = end
    out["summaries"] = [_view(doc, LIST_FIELDS) for _seq, doc in page.rows]
    return out


HANDLERS = {
    "Getameetingsummary": get_summary,
    "Deletemeetingorwebinarsummary": delete_summary,
    "Listmeetingsummaries": list_summaries,
}
