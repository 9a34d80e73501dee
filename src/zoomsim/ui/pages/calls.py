"""The API-call log: every request to /v2, /v1 and /oauth/token, newest first, filterable by app,
account, operation, status and method, paged by seq; and one call with its request and response.

Rows come from the api_calls table (storage/calls.py), so every worker shows the same log. This
worker's own buffered calls are flushed first; other workers' arrive within their flush period."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim import clock as clockmod
from zoomsim.storage import calls as calls_repo
from zoomsim.storage import schema
from zoomsim.ui import web

PAGE = 50
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
CLASSES = ("2xx", "3xx", "4xx", "5xx")
APPS_LISTED = 300       # newest apps offered in the filter's select


@dataclass
class Filters:
    """The query string, checked: what is usable goes to storage, the rest is named in `ignored`."""

    app: str = ""
    account: str = ""
    op: str = ""
    status: str = ""
    method: str = ""
    before: int | None = None
    ignored: list[str] | None = None

    def query(self, **change: Any) -> str:
        values = {"app": self.app, "account": self.account, "op": self.op, "status": self.status,
                  "method": self.method, "before": self.before}
        values.update(change)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def storage(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.app:
            out["app_id"] = self.app
        if self.account:
            out["account_id"] = self.account
        if self.op:
            out["operation_id"] = self.op
        if self.status:
            out["status"] = self.status if self.status in CLASSES else int(self.status)
        if self.method:
            out["method"] = self.method
        if self.before is not None:
            out["before_seq"] = self.before
        return out


def _text(params: Any, name: str, limit: int = 100) -> str:
    value = str(params.get(name, "")).strip()
    return value if len(value) <= limit and "\x00" not in value else ""


def read_filters(params: Any) -> Filters:
    """Unusable values are dropped and listed, never an error page."""
    f = Filters(ignored=[])
    assert f.ignored is not None
    f.app, f.account, f.op = _text(params, "app", 64), _text(params, "account", 64), _text(params, "op", 100)
    for name in ("app", "account", "op"):
        if str(params.get(name, "")).strip() and not getattr(f, name):
            f.ignored.append(name)
    status = str(params.get("status", "")).strip().lower()
    if status in ("", "any"):
        pass
    elif status in CLASSES or (status.isascii() and status.isdigit() and 100 <= int(status) <= 599):
        f.status = status
    else:
        f.ignored.append(f"status {status[:20]!r}")
    method = str(params.get("method", "")).strip().upper()
    if method in METHODS:
        f.method = method
    elif method not in ("", "ANY"):
        f.ignored.append(f"method {method[:20]!r}")
    before = str(params.get("before", "")).strip()
    f.before = web.seq_of(before)
    if before and f.before is None:
        f.ignored.append("before")
    return f


def status_class(status: int) -> str:
    """The badge: 2xx ok, 4xx warn (429 too), 5xx err."""
    if 200 <= status < 300:
        return "ok"
    if 400 <= status < 500:
        return "warn"
    if status >= 500:
        return "err"
    return ""


def wall_text(wall: float) -> str:
    """Wall time with milliseconds: calls come several a second."""
    return clockmod.iso(wall)[:-1].replace("T", " ") + f".{int((wall % 1) * 1000):03d}"


def _apps(db: Any) -> list[tuple[str, str, str]]:
    t = schema.apps
    rows = db.conn.execute(sa.select(t.c.client_id, t.c.name, t.c.account_id).order_by(t.c.seq.desc())
                           .limit(APPS_LISTED)).all()
    return [(r[0], r[1], r[2]) for r in rows]


@web.page
async def calls_page(request: Request) -> Response:
    s = web.services(request)
    s.calls.flush()
    f = read_filters(request.query_params)
    with s.storage.read() as db:
        rows = calls_repo.recent(db, limit=PAGE + 1, **f.storage())
        apps = _apps(db)
    older = rows[PAGE - 1].seq if len(rows) > PAGE else None    # before_seq is exclusive: the last one shown
    rows = rows[:PAGE]
    names = {client_id: name for client_id, name, _ in apps}
    if f.app and f.app not in names:
        apps.insert(0, (f.app, f.app, ""))
    shown = [{
        "c": c, "wall": wall_text(c.wall), "sim": clockmod.iso(c.at), "sim_differs": abs(c.at - c.wall) >= 1,
        "badge": status_class(c.status), "app_name": names.get(c.app_id or "", ""),
    } for c in rows]
    return web.render(request, "calls.html", title="API calls", rows=shown, f=f, apps=apps,
                      operations=sorted(s.by_id), methods=METHODS, classes=CLASSES, older=older,
                      older_query=f.query(before=older) if older else "", newest_query=f.query(before=None),
                      ignored=", ".join(f.ignored or []), page_size=PAGE)


def _headers(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [(str(k), str(v)) for k, v in value.items()]
    return []


def _body(text: Any) -> tuple[str, bool]:
    """(what to show, whether it is JSON): JSON is indented, anything else shown as sent."""
    if not isinstance(text, str) or text == "":
        return "", False
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False), True
    except ValueError:
        return text, False


@web.page
async def call_detail(request: Request) -> Response:
    s = web.services(request)
    raw = request.path_params["seq"]
    seq = web.seq_of(raw)
    if seq is None:
        return web.not_found(request, f"API call {raw}")
    s.calls.flush()
    with s.storage.read() as db:
        call = calls_repo.get(db, seq)
        app_name = ""
        if call is not None and call.app_id:
            app_name = db.conn.execute(sa.select(schema.apps.c.name)
                                       .where(schema.apps.c.client_id == call.app_id)).scalar() or ""
    if call is None:
        return web.not_found(request, f"API call {raw}")
    try:
        req, resp = call.request, call.response
    except ValueError:
        req, resp = {}, {}
    query = req.get("query", "")
    query_pairs = parse_qsl(query, keep_blank_values=True) if isinstance(query, str) else []
    request_body, request_json = _body(req.get("body"))
    response_body, response_json = _body(resp.get("body"))
    op = s.by_id.get(call.operation_id or "")
    return web.render(request, "calls_detail.html", title=f"Call {call.seq}", c=call, op=op, app_name=app_name,
                      wall=wall_text(call.wall), sim=clockmod.iso(call.at), badge=status_class(call.status),
                      query=query if isinstance(query, str) else "", query_pairs=query_pairs,
                      request_headers=_headers(req.get("headers")), response_headers=_headers(resp.get("headers")),
                      request_body=request_body, request_json=request_json, response_body=response_body,
                      response_json=response_json)


ROUTES = [
    Route("/calls", calls_page, methods=["GET"]),
    Route("/calls/{seq}", call_detail, methods=["GET"]),
]
