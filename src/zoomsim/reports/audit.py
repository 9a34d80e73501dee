"""Audit-style reports: operation logs (admin changes made through the API), sign in / sign out
activities, and meeting activity logs. All list newest first and page with next_page_token.

Operation logs and token sign-ins are read from audit_log (written by reports.oplog); sign-ins
in Zoom clients and every meeting activity are derived from what meetings recorded (meetings,
instances, participant sessions), so nothing is stored twice. Several streams merge into one
list through storage.audit's shared (time, rank, seq) ordering."""
from __future__ import annotations

from typing import Any, Callable

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError, documented
from zoomsim.platform.paging import Page, invalid_token
from zoomsim.reports import dates
from zoomsim.reports.oplog import OPERATION, SIGNIN
from zoomsim.storage import audit as audit_repo
from zoomsim.storage.audit import Cursor, Event

# category_type query values and the way Zoom shows them in a row.
CATEGORY_NAMES = {
    "user": "User", "user_settings": "User Settings", "account": "Account", "billing": "Billing", "im": "IM",
    "recording": "Recording", "phone_contacts": "Phone Contacts", "webinar": "Webinar",
    "sub_account": "Sub Account", "role": "Role", "zoom_rooms": "Zoom Rooms",
}
# Session devices as the sign-in report names client types.
CLIENT_TYPES = {"Web": "Browser"}
# Meeting activity types in the order they happen; the index is the stream's rank.
CREATED, STARTED, JOINED, LEFT, ENDED = "Meeting Created", "Meeting Started", "User Join", "User Left", "Meeting Ended"
ACTIVITIES = (CREATED, STARTED, JOINED, LEFT, ENDED)
ALL_ACTIVITIES = "All Activities"   # 'Remote Control' and 'In-Meeting Chat' are never recorded

Streams = Callable[[Cursor | None, int], list[Event]]


def _paid(ctx: Ctx, status: int | None = None) -> None:
    """The audit reports need a paid plan; Zoom answers a free account "No permission." (code 200)."""
    if ctx.plan == "free":
        raise documented(ctx, 200, "No permission.", status=status)


def _page(ctx: Ctx, scope: str, query: dict[str, Any], filters: tuple[str, ...], streams: Streams) -> Page:
    """One page of merged streams; the token carries the last row's (time, rank, seq)."""
    def fetch(after: Any, offset: int, limit: int) -> list[Event]:
        try:
            at = audit_repo.cursor(after)
        except ValueError:
            raise invalid_token() from None
        return streams(at, offset + limit)[offset:]

    return ctx.services.pager.paginate(
        f"{scope}:{ctx.account_id}", query, ctx.now, fetch, count=lambda: 0,
        cursor_of=lambda e: [e.time, e.rank, e.seq], filters=filters)


def _bound(query: dict[str, Any], win: dates.Window) -> dict[str, Any]:
    """The query with the window it resolved to, so tokens are bound to the days listed."""
    return {**query, "from": win.first.isoformat(), "to": win.last.isoformat()}


# ---- GET /report/operationlogs -----------------------------------------------------------------

def operation_logs(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _paid(ctx)
    win = dates.window(ctx, inp.query)
    category = str(inp.query.get("category_type") or "all")
    only = None if category == "all" else [category]

    def streams(after: Cursor | None, limit: int) -> list[Event]:
        return audit_repo.logged(ctx.db, ctx.account_id, OPERATION, win.start_iso, win.end_iso, only,
                                 0, after, limit)

    page = _page(ctx, "report_operationlogs", _bound(inp.query, win), ("from", "to", "category_type"), streams)
    logs = []
    for event in page.rows:
        doc = jsonio.loads(event.row.doc)
        logs.append({
            "time": event.time, "operator": doc.get("operator", ""),
            "category_type": CATEGORY_NAMES.get(event.row.category, event.row.category),
            "action": doc.get("action", ""), "operation_detail": doc.get("detail", ""),
        })
    return {"next_page_token": page.next_page_token, "page_size": page.page_size, "operation_logs": logs}


# ---- GET /report/activities ----------------------------------------------------------------------

def _session_activity(event: Event, kind: str) -> dict[str, Any]:
    doc = jsonio.loads(event.row.doc)
    device = str(doc.get("device") or "")
    return {"email": event.row.email, "time": event.time, "type": kind,
            "ip_address": str(doc.get("ip_address") or ""), "client_type": CLIENT_TYPES.get(device, device),
            "version": ""}


def signin_activities(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Sign-ins are token grants (the app's user, client type "API") and signed-in users joining
    meetings; sign-outs are those users leaving. Zoom clients' versions are not simulated ('')."""
    _paid(ctx)
    win = dates.window(ctx, inp.query, default_to_today=True)
    db, account = ctx.db, ctx.account_id

    def streams(after: Cursor | None, limit: int) -> list[Event]:
        return audit_repo.merge([
            audit_repo.logged(db, account, SIGNIN, win.start_iso, win.end_iso, None, 0, after, limit),
            audit_repo.signed_in_sessions(db, account, win.start_iso, win.end_iso, leaving=False, rank=1,
                                          after=after, limit=limit),
            audit_repo.signed_in_sessions(db, account, win.start_iso, win.end_iso, leaving=True, rank=2,
                                          after=after, limit=limit),
        ], limit)

    page = _page(ctx, "report_activities", _bound(inp.query, win), ("from", "to"), streams)
    logs = []
    for event in page.rows:
        if event.rank == 0:
            doc = jsonio.loads(event.row.doc)
            logs.append({"email": doc.get("email", ""), "time": event.time, "type": "Sign in",
                         "ip_address": doc.get("ip_address", ""), "client_type": doc.get("client_type", ""),
                         "version": doc.get("version", "")})
        else:
            logs.append(_session_activity(event, "Sign in" if event.rank == 1 else "Sign out"))
    return {"from": win.start_iso, "to": f"{win.last.isoformat()}T00:00:00Z",
            "page_size": page.page_size, "next_page_token": page.next_page_token, "activity_logs": logs}


# ---- GET /report/meeting_activities ----------------------------------------------------------------

def meeting_number(value: int) -> str:
    """A meeting ID the way Zoom prints one: 982 610 0285, 812 3456 7890."""
    digits = str(value)
    if len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if len(digits) in (9, 10):
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return digits


def _activity_time(stamp: str) -> str:
    """Zoom's activity time shape: 2024-03-21 07:09:03:216 (our times hold whole seconds)."""
    return f"{stamp[:10]} {stamp[11:19]}:000"


def _span(seconds: int) -> str:
    minutes, rest = divmod(max(seconds, 0), 60)
    parts = ([f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes else []) + \
        ([f"{rest} second{'s' if rest != 1 else ''}"] if rest or not minutes else [])
    return " ".join(parts)


def _parse_number(raw: Any) -> int | None:
    text = "".join(str(raw or "").split()).replace("-", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 19:   # '²'.isdigit(), yet int() refuses it
        raise ZoomError(400, 300, "Invalid parameter: meeting_number.")
    return int(text)


def _activity(event: Event, hosts: dict[str, tuple[str, str]]) -> dict[str, Any]:
    kind, row = ACTIVITIES[event.rank], event.row
    out = {"meeting_number": meeting_number(int(row.meeting_id)), "activity_time": _activity_time(event.time),
           "activity_category": kind}
    if kind == CREATED:
        doc = jsonio.loads(row.doc)
        name, email = hosts.get(row.host_id) or (doc.get("host_email", ""), doc.get("host_email", ""))
        detail = f"Created meeting \"{doc.get('topic', '')}\"."
    elif kind in (STARTED, ENDED):
        doc = jsonio.loads(row.doc)
        name, email = str(doc.get("host_name") or ""), str(doc.get("host_email") or "")
        if kind == STARTED:
            detail = f"Started meeting \"{row.topic}\"."
        else:
            length = int(clockmod.parse_iso(event.time) - clockmod.parse_iso(row.start_time))
            detail = f"Ended meeting \"{row.topic}\" after {_span(length)}."
    else:
        name, email = row.name, row.email
        if kind == JOINED:
            device = str(jsonio.loads(row.doc).get("device") or "")
            detail = f"Joined meeting \"{row.topic}\"" + (f" from {device}." if device else ".")
        else:
            detail = f"Left meeting \"{row.topic}\" after {_span(int(row.duration))}."
    return {**out, "operator": name or email, "operator_email": email, "activity_detail": detail}


def meeting_activities(ctx: Ctx, inp: Input) -> dict[str, Any]:
    _paid(ctx, status=403)
    q = inp.query
    win = dates.window(ctx, q)
    number = _parse_number(q.get("meeting_number"))
    wanted = str(q.get("activity_type") or ALL_ACTIVITIES)
    kinds = set(ACTIVITIES) if wanted == ALL_ACTIVITIES else {wanted} & set(ACTIVITIES)
    search = str(q.get("search_key") or "").strip()
    db, account, start, end = ctx.db, ctx.account_id, win.start_iso, win.end_iso
    # hosts are the operators of created/started/ended rows: a search narrows them by user first
    host_ids = sorted(audit_repo.users_matching(db, account, search)) if search else None

    def streams(after: Cursor | None, limit: int) -> list[Event]:
        found: list[list[Event]] = []
        if CREATED in kinds:
            found.append(audit_repo.meetings_created(db, account, start, end, number, host_ids, 0, after, limit))
        for kind, ending in ((STARTED, False), (ENDED, True)):
            if kind in kinds:
                found.append(audit_repo.instance_edges(db, account, start, end, number, host_ids, ending=ending,
                                                       rank=ACTIVITIES.index(kind), after=after, limit=limit))
        for kind, leaving in ((JOINED, False), (LEFT, True)):
            if kind in kinds:
                found.append(audit_repo.session_edges(db, account, start, end, number, search, leaving=leaving,
                                                      rank=ACTIVITIES.index(kind), after=after, limit=limit))
        return audit_repo.merge(found, limit)

    page = _page(ctx, "report_meeting_activities", _bound(q, win),
                 ("from", "to", "activity_type", "meeting_number", "search_key"), streams)
    created_by = [e.row.host_id for e in page.rows if e.rank == 0]
    hosts = audit_repo.user_names(db, account, created_by)
    return {"meeting_activity_logs": [_activity(e, hosts) for e in page.rows],
            "next_page_token": page.next_page_token, "page_size": page.page_size}


HANDLERS: dict[str, Callable[..., Any]] = {
    "reportOperationLogs": operation_logs,
    "reportSignInSignOutActivities": signin_activities,
    "reportMeetingactivitylogs": meeting_activities,
}
