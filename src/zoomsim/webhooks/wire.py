"""What goes on the wire, exactly as Zoom writes it: the body, the signature, the headers, the
URL-validation challenge and the ids that name a delivery."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any

import msgspec

USER_AGENT = "Zoom Marketplace/1.0a"
CONTENT_TYPE = "application/json; charset=utf-8"
TIMEOUT_SECONDS = 3.0          # Zoom waits this long for a 200/204
RETRY_DELAYS = (300.0, 1200.0, 3600.0)   # retry n falls due this long after the try before it
OK_STATUSES = (200, 204)

_encode = msgspec.json.Encoder().encode
_JS_INT_LIMIT = 1e21           # JSON.stringify writes integral numbers below this without a point


def _js_float(text: str) -> Any:
    """A JSON number as JSON.stringify writes it back: integral ones without a point (5, not 5.0)."""
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < _JS_INT_LIMIT else number


_renumber = msgspec.json.Decoder(float_hook=_js_float).decode


def stringify(value: Any) -> bytes:
    """The bytes `JSON.stringify(value)` gives: no spaces, non-ASCII as is, keys in order.
    Zoom's receivers sign `JSON.stringify(req.body)`, so the body must be that fixed point.
    Integral floats become ints by a decode/encode round trip in C, several times cheaper than
    walking the payload in Python on every emitting request."""
    return _encode(_renumber(_encode(value)))


def signature(secret_token: str, timestamp: str, body: bytes) -> str:
    """x-zm-signature: v0= and hex HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    mac = hmac.new(secret_token.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return "v0=" + mac.hexdigest()


def encrypted_token(secret_token: str, plain_token: str) -> str:
    """The answer to endpoint.url_validation: hex HMAC-SHA256(secret token, plainToken)."""
    return hmac.new(secret_token.encode(), plain_token.encode(), hashlib.sha256).hexdigest()


def headers(*, secret_token: str, timestamp: str, body: bytes, trace_id: str, client_id: str,
            custom: dict[str, str]) -> dict[str, str]:
    out = {
        "content-type": CONTENT_TYPE,
        "user-agent": USER_AGENT,
        "x-zm-request-timestamp": timestamp,
        "x-zm-signature": signature(secret_token, timestamp, body),
        "x-zm-trackingid": trace_id,
        "clientid": client_id,
    }
    out.update(custom)
    return out


def new_request_id() -> str:
    """Names one delivery (the same on every retry), e.g. e8ca3e3c_0196_4dc8_9f9e_81217d9000e6."""
    return str(uuid.uuid4()).replace("-", "_")


def new_trace_id() -> str:
    return "WEB_" + secrets.token_hex(16)


def new_plain_token() -> str:
    return secrets.token_urlsafe(16)


def envelope(event: str, event_ts_ms: int, payload: dict[str, Any]) -> dict[str, Any]:
    return {"event": event, "event_ts": event_ts_ms, "payload": payload}


def validation_body(plain_token: str, event_ts_ms: int) -> bytes:
    return stringify({"payload": {"plainToken": plain_token}, "event_ts": event_ts_ms,
                      "event": "endpoint.url_validation"})
