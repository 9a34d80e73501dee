"""An app's event subscriptions as the outbox sees them, cached per worker.

The cache maps an account to its subscriptions; any change to a subscription moves the shared
generation on (Shared.bump), which empties the cache on every worker, so a request that
emits nothing (no subscriber) costs one dict lookup."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Row

from zoomsim import jsonio
from zoomsim.storage import webhooks as repo
from zoomsim.storage.db import Db


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    account_id: str
    app_id: str
    name: str
    url: str
    scope: str                      # user | account | master_account | team
    events: frozenset[str]
    user_ids: tuple[str, ...]
    custom_header: dict[str, Any]
    source: str                     # default (admin API, --webhook-url) | openapi (Marketplace API)
    created_at: str

    @classmethod
    def of(cls, row: Row) -> "Subscription":
        return cls(row.id, row.account_id, row.app_id, row.name, row.url, row.scope,
                   frozenset(jsonio.loads(row.events)), tuple(jsonio.loads(row.user_ids)),
                   jsonio.loads(row.custom_header), row.source, row.created_at)

    def wants(self, event: str, user_id: str | None) -> bool:
        """A user-scoped subscription hears the events of its users only."""
        if event not in self.events:
            return False
        return self.scope != "user" or (user_id is not None and user_id in self.user_ids)

    def entry(self) -> dict[str, Any]:
        """Zoom's object for it (GET event_subscription)."""
        out: dict[str, Any] = {
            "event_subscription_id": self.id, "events": sorted(self.events),
            "event_subscription_name": self.name, "event_webhook_url": self.url,
            "subscription_scope": self.scope, "created_source": self.source,
            "subscriber_id": self.account_id,
        }
        if self.custom_header:
            out["custom_header"] = self.custom_header
        return out


def static_headers(custom: dict[str, Any]) -> dict[str, str]:
    """The header a custom_header of type 1 (Basic) or 3 (key/value) adds; type 2 (OAuth) is
    fetched at send time (sender.py)."""
    kind = custom.get("custom_header_type") or 0
    if kind == 1:
        raw = f"{custom.get('username', '')}:{custom.get('password', '')}".encode()
        return {"authorization": "Basic " + base64.b64encode(raw).decode()}
    if kind == 3:
        return {str(custom["custom_header_key"]).lower(): str(custom.get("custom_header_value", ""))}
    return {}


class SubscriptionCache:
    def __init__(self) -> None:
        self._by_account: dict[str, tuple[Subscription, ...]] = {}

    def forget(self) -> None:
        self._by_account.clear()

    def of(self, db: Db, account_id: str) -> tuple[Subscription, ...]:
        found = self._by_account.get(account_id)
        if found is None:
            found = tuple(Subscription.of(r) for r in repo.subscriptions_of_account(db, account_id))
            if len(self._by_account) > 10_000:      # many short-lived test accounts: stay bounded
                self._by_account.clear()
            self._by_account[account_id] = found
        return found
