"""What the pytest plugin and `intercept()` hand a test: one account (`Zoom`) and the admin API
of the server it lives on (`Admin`: clock, token expiry, meeting simulation).

Both talk to the server through a `Backend` (a keep-alive socket, or the app in process), with
the standard library only: httpx is needed for `Zoom.client` alone, so the plugin works in a
project that does not use httpx.
"""
from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

if TYPE_CHECKING:
    import httpx

ACCOUNT_OPTIONS = ("plan", "licences", "scopes", "users", "owner", "name")


class Backend(Protocol):
    """How a handle reaches one server; `target` is a path (with query) from the server's root."""

    def request(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]: ...

    def httpx_transport(self) -> "httpx.BaseTransport": ...


class AdminError(AssertionError):
    """An admin or token call that did not succeed: a broken test set-up, never a Zoom answer
    the test wants to look at (those come from the API through `Zoom.client`)."""

    def __init__(self, method: str, path: str, status: int, body: bytes) -> None:
        super().__init__(f"{method} {path} answered {status}: {body.decode('utf-8', 'replace')[:500]}")
        self.status = status
        self.body = body


def _iso(at: str | datetime) -> str:
    if isinstance(at, datetime):
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        return at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return at


class Admin:
    """The admin API (`/_zoomsim/`) of one server. The clock and token expiry are the server's,
    shared by every account on it; the plugin puts a clock a test moved back to wall time after
    the test (`clock_touched`)."""

    def __init__(self, backend: Backend, admin_key: str) -> None:
        self.backend = backend
        self._auth = {"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"}
        self.clock_touched = False

    def call(self, method: str, path: str, json_body: Any = None) -> Any:
        """Any admin call (`path` below /_zoomsim, e.g. "/accounts"); its decoded JSON answer."""
        body = json.dumps(json_body).encode() if json_body is not None else b""
        status, out = self.backend.request(method, "/_zoomsim" + path, self._auth, body)
        if status >= 300:
            raise AdminError(method, "/_zoomsim" + path, status, out)
        return json.loads(out) if out else None

    # ---- accounts ------------------------------------------------------------------------

    def create_account(self, plan: str = "business", licences: dict[str, bool] | None = None,
                       scopes: Any = "all", **extra: Any) -> dict[str, Any]:
        """A new account with its owner and one Server-to-Server app (`apps[0]`), in one call."""
        body: dict[str, Any] = {"plan": plan, "apps": [{"scopes": scopes}], **extra}
        if licences:
            body["licences"] = licences
        return self.call("POST", "/accounts", body)  # type: ignore[no-any-return]

    def add_user(self, account_id: str, email: str, **spec: Any) -> dict[str, Any]:
        return self.call("POST", f"/accounts/{account_id}/users", {"email": email, **spec})  # type: ignore[no-any-return]

    def delete_account(self, account_id: str) -> None:
        self.call("DELETE", f"/accounts/{account_id}")

    # ---- the clock and token expiry ------------------------------------------------------

    def now(self) -> str:
        """The simulated clock's now (ISO 8601, UTC)."""
        return self.call("GET", "/clock")["now"]  # type: ignore[no-any-return]

    def freeze(self, at: str | datetime) -> dict[str, Any]:
        """Stop the clock at `at` (ISO text or a datetime; naive means UTC)."""
        self.clock_touched = True
        return self.call("POST", "/clock", {"now": _iso(at)})  # type: ignore[no-any-return]

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move the clock by `seconds` (frozen or running); tokens keep working (wall-time expiry)."""
        self.clock_touched = True
        return self.call("POST", "/clock", {"advance_seconds": seconds})  # type: ignore[no-any-return]

    def real(self) -> dict[str, Any]:
        """Back to wall time."""
        out = self.call("POST", "/clock", {"mode": "real"})
        self.clock_touched = False
        return out  # type: ignore[no-any-return]

    def expire_tokens(self) -> None:
        """Every access token issued so far answers 401 "Access token is expired."; new ones work
        (`Zoom.fetch_token()`)."""
        self.call("POST", "/tokens/expire")

    # ---- meeting and webinar simulation ------------------------------------------------------
    # Each step takes kind="webinar" for a webinar (the admin API's /_zoomsim/webinars/... routes).

    def start(self, meeting_id: int | str, kind: str = "meeting") -> dict[str, Any]:
        return self.call("POST", _simulated(kind, meeting_id, "start"))  # type: ignore[no-any-return]

    def join(self, meeting_id: int | str, kind: str = "meeting", **person: Any) -> dict[str, Any]:
        """A participant joins (name, email, user_id, phone_number, device, ...; in a webinar
        also role and registrant_id): `participant_id`."""
        return self.call("POST", _simulated(kind, meeting_id, "participants"), person)  # type: ignore[no-any-return]

    def leave(self, meeting_id: int | str, participant_id: str, kind: str = "meeting") -> dict[str, Any]:
        return self.call("DELETE", _simulated(kind, meeting_id, f"participants/{participant_id}"))  # type: ignore[no-any-return]

    def end(self, meeting_id: int | str, kind: str = "meeting") -> dict[str, Any]:
        return self.call("POST", _simulated(kind, meeting_id, "end"))  # type: ignore[no-any-return]

    def run(self, meeting_id: int | str, kind: str = "meeting", **spec: Any) -> dict[str, Any]:
        """A whole meeting or webinar in one call (participants, duration_minutes, qa, poll_votes,
        seed, ...; webinars also panelists and registrants)."""
        return self.call("POST", _simulated(kind, meeting_id, "run"), spec)  # type: ignore[no-any-return]


def _simulated(kind: str, meeting_id: int | str, step: str) -> str:
    if kind not in ("meeting", "webinar"):
        raise ValueError(f"kind must be 'meeting' or 'webinar', not {kind!r}")
    return f"/{kind}s/{meeting_id}/{step}"


class Zoom:
    """One fresh account: its credentials, URLs, a token and an httpx client, and the admin
    handle of its server. The token and the client are made on first use, so a test that only
    needs credentials pays for one admin call."""

    def __init__(self, backend: Backend, admin: Admin, created: dict[str, Any], base_url: str, token_url: str) -> None:
        app = created["apps"][0]
        self.backend = backend
        self.admin = admin
        self.base_url = base_url            # ".../v2"
        self.token_url = token_url          # ".../oauth/token"
        self.account_id: str = created["account_id"]
        self.owner_id: str = created["owner_id"]
        self.client_id: str = app["client_id"]
        self.client_secret: str = app["client_secret"]
        self.scopes: list[str] = app["scopes"]
        self.users: list[dict[str, Any]] = created.get("users", [])
        self.account: dict[str, Any] = created.get("account", {})
        self._token: str | None = None
        self._client: "httpx.Client | None" = None
        self._faults: list[str] = []

    def fault(self, effect: dict[str, Any], match: dict[str, Any] | None = None, **rule: Any) -> dict[str, Any]:
        """A fault rule for this account only (its token requests: this app only), removed when
        the test ends: `zoom.fault({"status": 429}, {"operation": "meetingCreate"}, times=2)`.
        The rule's options are the admin API's (`POST /_zoomsim/faults`)."""
        scoped = dict(match or {})
        if scoped.get("operation") == "token":
            scoped.setdefault("app_id", self.client_id)
        else:
            scoped.setdefault("account_id", self.account_id)
        made: dict[str, Any] = self.admin.call("POST", "/faults", {"match": scoped, "effect": effect, **rule})
        self._faults.append(made["id"])
        return made

    def __repr__(self) -> str:
        return f"<Zoom account {self.account_id} at {self.base_url}>"

    @property
    def token(self) -> str:
        """An access token of the account's app (taken on first use)."""
        if self._token is None:
            self.fetch_token()
        assert self._token is not None
        return self._token

    def fetch_token(self) -> str:
        """A new access token (after `admin.expire_tokens()`, say); the client uses it from now on."""
        query = urlencode({"grant_type": "account_credentials", "account_id": self.account_id})
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        status, out = self.backend.request("POST", f"/oauth/token?{query}", {"Authorization": f"Basic {basic}"}, b"")
        if status != 200:
            raise AdminError("POST", "/oauth/token", status, out)
        self._token = json.loads(out)["access_token"]
        if self._client is not None:
            self._client.headers["Authorization"] = f"Bearer {self._token}"
        return self._token  # type: ignore[return-value]

    @property
    def client(self) -> "httpx.Client":
        """An httpx.Client whose base_url is the API (`/v2`) and which sends the token."""
        if self._client is None:
            import httpx

            self._client = httpx.Client(base_url=self.base_url, transport=self.backend.httpx_transport(),
                                        headers={"Authorization": f"Bearer {self.token}"}, timeout=30)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        while self._faults:
            rule_id = self._faults.pop()
            try:
                self.admin.call("DELETE", f"/faults/{rule_id}")
            except AdminError as err:
                if err.status != 404:       # the test removed it itself
                    raise


def account_body(options: dict[str, Any]) -> dict[str, Any]:
    """The admin `POST /accounts` arguments for the marker's or intercept()'s account options."""
    unknown = set(options) - set(ACCOUNT_OPTIONS)
    if unknown:
        raise TypeError(f"unknown zoomsim account option(s): {', '.join(sorted(unknown))}; "
                        f"known: {', '.join(ACCOUNT_OPTIONS)}, rate_limits")
    return {k: v for k, v in options.items() if v is not None}


def new_account(backend: Backend, admin_key: str, base_url: str, token_url: str, options: dict[str, Any]) -> Zoom:
    """A fresh account on the server behind `backend`, as a `Zoom` handle with its own `Admin`
    (so what one test does to the clock is known to that test's teardown)."""
    admin = Admin(backend, admin_key)
    created = admin.create_account(**account_body(options))
    return Zoom(backend, admin, created, base_url, token_url)
