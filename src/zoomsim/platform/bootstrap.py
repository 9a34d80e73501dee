"""First-start set-up and reset: the installation key, the default account, its owner and
an S2S app holding every scope. A second start on the same database reuses all of them."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from zoomsim import clock as clockmod
from zoomsim import ids, tenants
from zoomsim.platform.tokens import derive
from zoomsim.storage import Storage
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import runtime as runtime_repo
from zoomsim.storage import settings as settings_repo
from zoomsim.storage.db import Db
from zoomsim.storage.schema import metadata


@dataclass(frozen=True)
class Installation:
    master: bytes
    account_id: str
    client_id: str

    @property
    def client_secret(self) -> str:
        return derive(self.master, "client-secret:" + self.client_id)

    @property
    def secret_token(self) -> str:
        """The default app's webhook secret token as first made (the admin API can rotate it)."""
        return derive(self.master, "secret-token:" + self.client_id, 22)

    @property
    def admin_key(self) -> str:
        return derive(self.master, "admin-key", 40)

    def key(self, purpose: str) -> bytes:
        return hmac.new(self.master, purpose.encode(), hashlib.sha256).digest()


def installed(storage: Storage) -> Installation | None:
    """The installation a database already holds, without creating or migrating anything."""
    if "settings" not in sa.inspect(storage.engine).get_table_names():
        return None
    with storage.read() as db:
        found = settings_repo.get_all(db)
    if "master_key" not in found:
        return None
    return Installation(bytes.fromhex(found["master_key"]), found["default_account_id"], found["default_client_id"])


def secret_token(storage: Storage, inst: Installation) -> str:
    """The default app's secret token as stored now (rotated or not)."""
    from zoomsim.storage import apps as apps_repo

    with storage.read() as db:
        row = apps_repo.get(db, inst.client_id)
    return (row.secret_token if row is not None else None) or inst.secret_token


def ensure(storage: Storage, base_url: str, all_scopes: list[str], now: float) -> Installation:
    """Create (or find) the installation and its default tenant."""
    with storage.write() as db:
        found = settings_repo.get_all(db)
        master_hex = found.get("master_key")
        if master_hex is None:
            master_hex = secrets.token_hex(32)
            settings_repo.put(db, "master_key", master_hex)
            settings_repo.put(db, "default_account_id", ids.new_id())
            settings_repo.put(db, "default_client_id", ids.new_client_id())
            found = settings_repo.get_all(db)
        inst = Installation(bytes.fromhex(master_hex), found["default_account_id"], found["default_client_id"])
        if accounts_repo.get(db, inst.account_id) is None:
            now_iso = clockmod.iso(now)
            account = tenants.create_account(db, now_iso=now_iso, base_url=base_url, plan="business",
                                             name="zoomsim default account", account_id=inst.account_id,
                                             owner_email="owner@zoomsim.local", owner_first_name="Default",
                                             owner_last_name="Owner")
            tenants.create_app(db, account_id=inst.account_id, user_id=account["owner_id"], scopes=all_scopes,
                               now_iso=now_iso, name="zoomsim default app", client_id=inst.client_id,
                               secret=inst.client_secret, secret_token=inst.secret_token)
    return inst


KEPT_BY_RESET = ("settings", "runtime_state")   # default ids, and the epochs that revoke old tokens


def wipe(db: Db) -> None:
    """Delete every row except the installation settings and the runtime row, in the caller's
    transaction (a reset moves the token epoch on in the same one)."""
    for table in reversed(metadata.sorted_tables):
        if table.name not in KEPT_BY_RESET:
            db.execute(sa.delete(table))


def load_clock(storage: Storage, clock: "clockmod.Clock") -> None:
    """A frozen or shifted clock survives a restart, like the rest of the state."""
    from zoomsim.platform.shared import Runtime

    found = runtime_repo.read(storage.fast)
    if found:
        clock.load(Runtime.parse(*found).clock_state())
