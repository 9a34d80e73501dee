"""POST /oauth/token with grant_type=account_credentials.

Clients differ: parameters come in the form body or the query string, with or without a
Content-Type (some send an empty JSON body and put everything in the query). We read both.
"""
from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from zoomsim import jsonio
from zoomsim.errors import RawError
from zoomsim.platform.tokens import app_tag, check_secret
from zoomsim.reports.oplog import record_signin
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import apps as apps_repo
from zoomsim.storage import users as users_repo

if TYPE_CHECKING:
    from zoomsim.app import Request, Services

INVALID_CLIENT = {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
UNSUPPORTED_GRANT = {"reason": "unsupported grant type", "error": "unsupported_grant_type"}
MISSING_GRANT = {"reason": "Missing grant type", "error": "invalid_request"}
BAD_ACCOUNT = {"reason": "Invalid request : Bad request", "error": "invalid_request"}


def _params(req: "Request") -> dict[str, str]:
    params = dict(req.query)
    body = req.body.strip()
    if body:
        ctype = req.headers.get("content-type", "").lower()
        if "json" in ctype or body[:1] == b"{":
            try:
                data = jsonio.loads(body)
            except (jsonio.DecodeError, RecursionError, UnicodeDecodeError):   # deep nesting is no token request
                data = {}
            if isinstance(data, dict):
                params.update({k: str(v) for k, v in data.items() if v is not None})
        else:
            params.update(dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)))
    return params


def _basic(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def token_endpoint(s: "Services", req: "Request") -> tuple[int, bytes, dict[str, str]]:
    if req.method != "POST":
        raise RawError(405, {"reason": "Method not allowed", "error": "invalid_request"})
    params = _params(req)
    creds = _basic(req.headers.get("authorization", ""))
    if creds is None and params.get("client_id"):
        creds = (params["client_id"], params.get("client_secret", ""))
    if creds is None:
        raise RawError(400, INVALID_CLIENT)
    grant = params.get("grant_type")
    if not grant:
        raise RawError(400, MISSING_GRANT)
    with s.storage.read() as db:
        app = apps_repo.get(db, creds[0])
        if app is None or not check_secret(creds[1], app.secret_salt, app.secret_hash):
            raise RawError(400, INVALID_CLIENT)
        if grant != "account_credentials":
            raise RawError(400, UNSUPPORTED_GRANT)
        account_id = params.get("account_id", "")
        if account_id != app.account_id or accounts_repo.get(db, account_id) is None:
            raise RawError(400, BAD_ACCOUNT)
        owner = users_repo.get(db, app.account_id, app.user_id)
    now = s.clock.now()
    scopes = app.scopes.split()
    rt = s.shared.runtime
    token = s.signer.issue(app.account_id, app.client_id, owner.id if owner else app.user_id, scopes,
                           s.config.token_ttl, rt.reset_epoch, rt.expiry_epoch, app_tag=app_tag(app.secret_salt))
    record_signin(s, req, app.account_id, owner.email if owner else "", now)
    body = {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": s.config.token_ttl,
        "scope": " ".join(scopes),
        "api_url": s.config.base_url,
    }
    return 200, jsonio.dumps(body), {"Cache-Control": "no-store", "Pragma": "no-cache"}
