"""Signed, self-contained access tokens and hashed client secrets.

Tokens are JWT-shaped (HS256) so clients that peek at them see what they expect; the key
lives in the database, so tokens stay valid across restarts and across workers.

Access tokens live 3600 s of wall time, whatever the simulated clock does: clients judge expiry
by their own clock (zoomus never refreshes, Zoom's Node SDK compares with Date.now()), so moving
the simulated clock must not kill them. They carry the reset and expiry epochs they were issued
under (platform/shared.py), which is how a reset revokes them and a test expires them on purpose.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from zoomsim import jsonio

_HEADER = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _unb64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


# How long a worker trusts what it looked up about an app (it exists, its account, its secret)
# before reading it again; any admin change (a new shared generation) forgets it at once.
APP_CACHE_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Claims:
    account_id: str
    client_id: str
    user_id: str
    scopes: frozenset[str]
    issued_at: int       # wall time
    expires_at: int      # wall time
    reset_epoch: int
    expiry_epoch: int
    app_tag: str         # which making of the app (its salt): an app deleted and made again is another app


class TokenError(Exception):
    """Raised with expired=True when the signature is good but the time is up."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def sign_jwt(key: bytes, payload: dict[str, Any]) -> str:
    """A JWT-shaped HS256 token over `payload`."""
    body = _HEADER + b"." + _b64(jsonio.dumps(payload))
    return (body + b"." + _b64(hmac.new(key, body, hashlib.sha256).digest())).decode()


def open_jwt(key: bytes, token: str) -> dict[str, Any]:
    """The payload of a token signed with `key`; TokenError if it was not, or is unreadable."""
    parts = token.split(".")
    if len(parts) != 3 or not token.isascii():
        raise TokenError()
    body = (parts[0] + "." + parts[1]).encode()
    expected = _b64(hmac.new(key, body, hashlib.sha256).digest())
    if not hmac.compare_digest(expected, parts[2].encode()):
        raise TokenError()
    try:
        payload = jsonio.loads(_unb64(parts[1]))
    except Exception as exc:
        raise TokenError() from exc
    if not isinstance(payload, dict):
        raise TokenError()
    return payload


class ScopeCodec:
    """Scopes travel in the token as a bitmap over the operation table's scope list (plus any
    scope outside it spelled out), so a token holding all ~700 scopes stays a few hundred bytes
    instead of 30 KB. The list's digest rides along: a token minted against another table
    version is simply invalid."""

    def __init__(self, universe: list[str]) -> None:
        self._names = sorted(set(universe))
        self._index = {name: i for i, name in enumerate(self._names)}
        self.digest = hashlib.sha256("\n".join(self._names).encode()).hexdigest()[:8]

    def encode(self, scopes: list[str]) -> tuple[str, list[str]]:
        bits = 0
        extra = []
        for name in scopes:
            i = self._index.get(name)
            if i is None:
                extra.append(name)
            else:
                bits |= 1 << i
        raw = bits.to_bytes((len(self._names) + 7) // 8, "little")
        return _b64(raw).decode(), extra

    def decode(self, packed: str, extra: list[str]) -> frozenset[str]:
        bits = int.from_bytes(_unb64(packed), "little")
        names = [name for i, name in enumerate(self._names) if bits >> i & 1]
        return frozenset(names + list(extra))


class TokenSigner:
    def __init__(self, key: bytes, universe: list[str], cache_size: int = 50_000) -> None:
        self._key = key
        self._codec = ScopeCodec(universe)
        self._cache: dict[str, Claims] = {}
        self._cache_size = cache_size

    def issue(self, account_id: str, client_id: str, user_id: str, scopes: list[str], ttl: int,
              reset_epoch: int, expiry_epoch: int, app_tag: str = "") -> str:
        now = time.time()
        packed, extra = self._codec.encode(scopes)
        payload: dict[str, object] = {
            "aid": account_id,
            "cid": client_id,
            "uid": user_id,
            "scp": packed,
            "sv": self._codec.digest,
            "iat": int(now),
            "exp": int(now) + ttl,
            "jti": secrets.token_urlsafe(9),
            "rep": reset_epoch,
            "xep": expiry_epoch,
            "atg": app_tag,
        }
        if extra:
            payload["sx"] = extra
        return sign_jwt(self._key, payload)

    def verify(self, token: str, reset_epoch: int, expiry_epoch: int) -> Claims:
        """The token's claims, if it is ours, issued since the last reset, not expired on
        purpose and younger than its lifetime in wall time."""
        claims = self._cache.get(token)
        if claims is None:
            claims = self._decode(token)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[token] = claims
        if claims.reset_epoch != reset_epoch:
            raise TokenError()
        if claims.expiry_epoch < expiry_epoch or time.time() >= claims.expires_at:
            raise TokenError(expired=True)
        return claims

    def _decode(self, token: str) -> Claims:
        p = open_jwt(self._key, token)
        try:
            if p["sv"] != self._codec.digest:
                raise TokenError()
            scopes = self._codec.decode(p["scp"], p.get("sx") or [])
            return Claims(p["aid"], p["cid"], p["uid"], scopes, int(p["iat"]), int(p["exp"]), int(p["rep"]),
                          int(p["xep"]), str(p.get("atg") or ""))
        except Exception as exc:  # a well-signed token we cannot read is still just invalid
            raise TokenError() from exc


def app_tag(salt: str) -> str:
    """Which making of an app a token came from: its secret's salt is new each time it is made."""
    return salt[:8]


def hash_secret(secret: str, salt: str) -> str:
    """Client secrets are 32 random alphanumerics, so a salted SHA-256 HMAC is enough;
    a slow KDF would only slow every token request without adding protection."""
    return hmac.new(salt.encode(), secret.encode(), hashlib.sha256).hexdigest()


def check_secret(secret: str, salt: str, stored: str) -> bool:
    return hmac.compare_digest(hash_secret(secret, salt), stored)


def derive(master: bytes, purpose: str, length: int = 32) -> str:
    """Deterministic alphanumeric secret from the installation key (default app secret, admin key)."""
    raw = hmac.new(master, purpose.encode(), hashlib.sha256).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    out = []
    n = int.from_bytes(raw + hmac.new(master, raw, hashlib.sha256).digest(), "big")
    for _ in range(length):
        n, r = divmod(n, len(alphabet))
        out.append(alphabet[r])
    return "".join(out)
