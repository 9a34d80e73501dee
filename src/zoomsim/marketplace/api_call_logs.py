"""GET /marketplace/apps/{appId}/api_call_logs: Zoom's own view of the API-call log (the
dashboard's API calls page reads the same rows). The app's calls to the API (not its token
requests) of the last `duration` days on zoomsim's clock, newest first."""
from __future__ import annotations

from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import ZoomError
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import calls as calls_repo

PAGE_FILTERS = ("duration", "query", "method", "status_code")


def api_call_logs(ctx: Ctx, inp: Input) -> dict[str, Any]:
    ctx.services.calls.flush()       # this worker's calls so far are in the table, before any read
    app_id = inp.path["appId"]
    app = apps_repo.get(ctx.db, app_id) if "\x00" not in app_id else None
    if app is None or app.account_id != ctx.account_id:
        raise ZoomError(404, 1401, f"App id not exist: {app_id}.")
    q = inp.query
    size = q.get("page_size")
    if size not in (None, "") and not (str(size).isdigit() and 10 <= int(size) <= 100):
        raise ZoomError(400, 300, "Page size is not valid")
    since = ctx.now - int(q.get("duration") or 7) * 86_400
    keyword = str(q.get("query") or "").replace("\x00", "") or None

    def fetch(before: Any, offset: int, limit: int) -> list[calls_repo.Call]:
        return calls_repo.recent(ctx.db, app_id=app_id, at_from=since, method=q.get("method"),
                                 status=q.get("status_code"), path_contains=keyword, api_only=True,
                                 before_seq=int(before) if before is not None else None, limit=limit)

    try:
        page = ctx.services.pager.paginate(f"api_call_logs:{app_id}", q, ctx.now, fetch=fetch, count=lambda: 0,
                                           cursor_of=lambda c: c.seq, filters=PAGE_FILTERS)
    except ZoomError as err:
        if q.get("next_page_token") and err.code == 300:
            raise ZoomError(400, 301, "Next page token is not valid") from None
        raise
    base = ctx.services.config.base_url
    return {"next_page_token": page.next_page_token, "page_size": page.page_size,
            "call_logs": [{"url_pattern": base + c.path, "time": str(int(c.at * 1000)), "http_status": c.status,
                           "method": c.method, "trace_id": c.trace_id} for c in page.rows]}
