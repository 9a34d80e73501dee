"""v1 calls authenticate with api_key/api_secret (an app's client id and secret) in the form
body or query string, and report errors as {"error": {"code", "message"}}."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from zoomsim import jsonio
from zoomsim.errors import RawError
from zoomsim.optable import Operation
from zoomsim.platform.tokens import check_secret
from zoomsim.storage import apps as apps_repo

if TYPE_CHECKING:
    from zoomsim.app import Request, Services


def v1_error(code: int, message: str, status: int = 200) -> RawError:
    return RawError(status, {"error": {"code": code, "message": message}})


def v1_call(s: "Services", op: Operation, params: dict[str, str], req: "Request") -> tuple[int, bytes, dict[str, str]]:
    form = dict(req.query)
    if req.body:
        form.update(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
    key, secret = form.get("api_key", ""), form.get("api_secret", "")
    with s.storage.read() as conn:
        app = apps_repo.get(conn, key) if key else None
    if app is None or not check_secret(secret, app.secret_salt, app.secret_hash):
        raise v1_error(200, "Invalid api key or secret.")
    if op.handler is None:
        raise v1_error(501, f"zoomsim does not implement POST /v1{op.path} yet.", status=501)
    result = op.handler(s, app, form)
    return 200, jsonio.dumps(result), {}
