"""GET /report/remote_support: the account's remote support sessions (given through
simulation.remote_support) that started inside the window's UTC days and are over by now,
earliest start first. A paid-plan report with the usual date rules (dates.window: at most a
month, within the last six months).

Sessions are instance records. One starts while its meeting runs, and a meeting lasts at most
30 hours, so the candidates come off the (account_id, start_time) index from instances that
started up to two days before the window (history's widening); the session's own start then
decides. The list is read whole and paged in memory on a (start, record seq) keyset, as the
telephone report is: remote support is rare next to meetings.

wait_time and duration read as Zoom's examples do: "01:28" under an hour, "01:02:03" from one."""
from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.context import Ctx, Input
from zoomsim.reports import dates
from zoomsim.reports.history import page_cursor, widened_start
from zoomsim.reports.usage import page_slice
from zoomsim.simulation.live import REMOTE_SUPPORT
from zoomsim.storage.schema import instance_records as rec_t
from zoomsim.storage.schema import instances as t

Log = tuple[tuple[str, int], dict[str, Any]]     # ((start time, record seq), report item)


def clock_text(seconds: int) -> str:
    """Seconds as Zoom prints a span: mm:ss, or hh:mm:ss once it reaches an hour."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _span(first: str, last: str) -> str:
    return clock_text(int(clockmod.parse_iso(last) - clockmod.parse_iso(first)))


def _item(row: Any, doc: dict[str, Any]) -> dict[str, Any]:
    supporter, supportee = doc["supporter"], doc["supportee"]
    return {
        "meeting_start_time": row.meeting_start, "meeting_uuid": row.uuid, "meeting_number": int(row.meeting_id),
        "topic": row.topic, "meeting_host_id": row.host_id,
        "supporter_name": supporter["name"], "supporter_email": supporter["email"],
        "supportee_name": supportee["name"], "supportee_email": supportee["email"],
        "request_time": doc["request_time"], "wait_time": _span(doc["request_time"], doc["start_time"]),
        "start_time": doc["start_time"], "end_time": doc["end_time"],
        "duration": _span(doc["start_time"], doc["end_time"]),
    }


def _logs(ctx: Ctx, w: dates.Window) -> list[Log]:
    """Every finished session of the account that started in the window, in key order."""
    q = (sa.select(rec_t.c.seq.label("record_seq"), rec_t.c.doc.label("record"), t.c.uuid, t.c.meeting_id,
                   t.c.topic, t.c.host_id, t.c.start_time.label("meeting_start"))
         .select_from(rec_t.join(t, t.c.seq == rec_t.c.instance_seq))
         .where(t.c.account_id == ctx.account_id, t.c.start_time >= widened_start(w), t.c.start_time < w.end_iso,
                rec_t.c.kind == REMOTE_SUPPORT))
    now = clockmod.iso(ctx.now)
    out: list[Log] = []
    for row in ctx.db.execute(q):
        doc = jsonio.loads(row.record)
        if w.start_iso <= doc["start_time"] < w.end_iso and doc["end_time"] <= now:
            out.append(((doc["start_time"], int(row.record_seq)), _item(row, doc)))
    out.sort(key=lambda log: log[0])
    return out


def remote_support(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """The report's page; the token is bound to the from/to it was issued for."""
    dates.paid_only(ctx)
    q = inp.query
    logs = _logs(ctx, dates.window(ctx, q))
    keys = [key for key, _ in logs]
    page = ctx.services.pager.paginate(
        f"report_remote_support:{ctx.account_id}", q, ctx.now,
        fetch=lambda after, offset, limit: page_slice(keys, logs, None if after is None else page_cursor(after),
                                                  offset, limit),
        count=lambda: len(logs), cursor_of=lambda log: list(log[0]), filters=("from", "to"))
    return {"next_page_token": page.next_page_token, "page_size": page.page_size,
            "remote_support_logs": [item for _, item in page.rows]}


HANDLERS: dict[str, Callable[..., Any]] = {"Getremotesupportreport": remote_support}
