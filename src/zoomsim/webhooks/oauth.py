"""The token a custom_header of type 2 (OAuth) puts in front of each delivery.

Zoom fetches it from the subscription's token_url with the client credentials grant, sending
the client id and secret as a Basic header or as body fields (client_authentication), and
sends `authorization: Bearer <token>` until the token expires. Tokens are kept per worker,
keyed by everything that makes them differ, and one fetch is made for a key however many
deliveries wait for it."""
from __future__ import annotations

import asyncio
import base64
import time
from typing import TYPE_CHECKING, Any

import httpx

from zoomsim import jsonio
from zoomsim.webhooks import wire

if TYPE_CHECKING:
    from zoomsim.app import Services

DEFAULT_TTL = 3600.0       # a token endpoint that names no expires_in
MARGIN = 30.0              # fetch again this long before the token runs out


class TokenError(Exception):
    """The token endpoint did not give a token: the try that needed it fails."""


Key = tuple[str, str, str, str, str]


class OAuthTokens:
    def __init__(self, services: "Services") -> None:
        self.services = services
        # key -> (token, wall expiry, zoomsim-clock expiry): a token ends when either passes,
        # so a test that moves zoomsim's clock past expires_in sees a fresh fetch
        self._cache: dict[Key, tuple[str, float, float]] = {}
        self._locks: dict[Key, asyncio.Lock] = {}

    async def token(self, client: httpx.AsyncClient, spec: dict[str, Any]) -> str:
        key: Key = (str(spec.get("token_url", "")), str(spec.get("client_id", "")),
                    str(spec.get("client_secret", "")), str(spec.get("scope") or ""),
                    str(spec.get("client_authentication") or "header"))
        found = self._fresh(key)
        if found is not None:
            return found
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            found = self._fresh(key)
            if found is not None:
                return found
            token, ttl = await self._fetch(client, key)
            ttl -= min(MARGIN, ttl * 0.1)
            self._cache[key] = (token, time.time() + ttl, self.services.clock.now() + ttl)
            return token

    def _fresh(self, key: Key) -> str | None:
        hit = self._cache.get(key)
        if hit is None:
            return None
        token, wall_end, sim_end = hit
        if time.time() >= wall_end or self.services.clock.now() >= sim_end:
            del self._cache[key]
            return None
        return token

    async def _fetch(self, client: httpx.AsyncClient, key: Key) -> tuple[str, float]:
        url, client_id, secret, scope, auth = key
        form = {"grant_type": "client_credentials"}
        if scope:
            form["scope"] = scope
        headers = {"accept": "application/json"}
        if auth == "body":
            form.update(client_id=client_id, client_secret=secret)
        else:
            raw = f"{client_id}:{secret}".encode()
            headers["authorization"] = "Basic " + base64.b64encode(raw).decode()
        try:
            resp = await asyncio.wait_for(client.post(url, data=form, headers=headers), wire.TIMEOUT_SECONDS)
        except (asyncio.TimeoutError, httpx.HTTPError, ValueError, OSError) as exc:
            raise TokenError(f"OAuth token request failed: {exc!r}") from None
        if resp.status_code != 200:
            raise TokenError(f"OAuth token request answered {resp.status_code}")
        try:
            answer = jsonio.loads(resp.content)
        except (jsonio.DecodeError, UnicodeDecodeError, RecursionError):
            raise TokenError("OAuth token response is not JSON") from None
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise TokenError("OAuth token response has no access_token")
        ttl = answer.get("expires_in", DEFAULT_TTL)
        if isinstance(ttl, str) and ttl.isdigit():
            ttl = int(ttl)
        if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl <= 0:
            ttl = DEFAULT_TTL
        return token, float(ttl)
