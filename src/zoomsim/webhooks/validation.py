"""endpoint.url_validation: the challenge Zoom sends before it accepts a subscription's URL.

The receiver must answer 200 or 204 within 3 s with {"plainToken", "encryptedToken"}, the
latter hex HMAC-SHA256(secret token, plainToken). Made synchronously, in the request that
subscribes (as Zoom refuses the subscription on the spot)."""
from __future__ import annotations

import time

import httpx

from zoomsim import jsonio
from zoomsim.webhooks import wire
from zoomsim.webhooks.http import target


def validate_url(url: str, secret_token: str, client_id: str, now: float,
                 custom: dict[str, str] | None = None) -> bool:
    """Whether `url` answers the challenge rightly and in time. `custom` is the subscription's
    own header (Basic or key/value), sent as on every delivery, so a receiver that checks it
    can accept the challenge."""
    plain = wire.new_plain_token()
    body = wire.validation_body(plain, int(now * 1000))
    headers = wire.headers(secret_token=secret_token, timestamp=str(int(time.time())), body=body,
                           trace_id=wire.new_trace_id(), client_id=client_id, custom=custom or {})
    started = time.monotonic()
    try:
        with httpx.Client(timeout=wire.TIMEOUT_SECONDS, trust_env=False, follow_redirects=False) as client:
            resp = client.post(url, content=body, headers=headers)
    except (httpx.HTTPError, ValueError, OSError):
        return False
    # httpx's timeout bounds each read; an answer trickled out past 3 s in all is too late as well
    if time.monotonic() - started > wire.TIMEOUT_SECONDS or resp.status_code not in wire.OK_STATUSES:
        return False
    try:
        answer = jsonio.loads(resp.content)
    except (jsonio.DecodeError, UnicodeDecodeError, RecursionError):
        return False
    return (isinstance(answer, dict) and answer.get("plainToken") == plain
            and answer.get("encryptedToken") == wire.encrypted_token(secret_token, plain))


def usable_url(url: str) -> bool:
    """What the sender can post to (http.target): http(s) with a host. Zoom wants https; a local
    receiver is plain http."""
    if any(c in url for c in " \r\n"):
        return False
    try:
        target(url)
    except (ValueError, UnicodeError):
        return False
    return True
