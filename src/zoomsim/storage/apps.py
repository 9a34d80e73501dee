"""Server-to-Server OAuth apps: a client id, a hashed secret, the scopes granted."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Row

from zoomsim.storage.db import Db

from zoomsim.storage.schema import apps

_BY_CLIENT = sa.select(apps).where(apps.c.client_id == sa.bindparam("cid"))


def get(db: Db, client_id: str) -> Row | None:
    return db.execute(_BY_CLIENT, {"cid": client_id}).first()


def insert(
    db: Db, *, client_id: str, account_id: str, user_id: str, name: str,
    scopes: list[str], salt: str, secret_hash: str, created_at: str, secret_token: str,
) -> None:
    db.execute(apps.insert().values(
        client_id=client_id, account_id=account_id, user_id=user_id, name=name,
        scopes=" ".join(scopes), secret_salt=salt, secret_hash=secret_hash, created_at=created_at,
        secret_token=secret_token,
    ))


def set_secret_token(db: Db, account_id: str, client_id: str, token: str) -> bool:
    done = db.execute(apps.update().where(apps.c.account_id == account_id, apps.c.client_id == client_id)
                      .values(secret_token=token))
    return bool(done.rowcount)


def secret_tokens(db: Db, client_ids: list[str]) -> dict[str, str]:
    rows = db.execute(sa.select(apps.c.client_id, apps.c.secret_token).where(apps.c.client_id.in_(client_ids)))
    return {cid: token or "" for cid, token in rows}


def list_for_account(db: Db, account_id: str) -> list[Row]:
    return list(db.execute(sa.select(apps).where(apps.c.account_id == account_id).order_by(apps.c.seq)))


def delete(db: Db, account_id: str, client_id: str) -> bool:
    gone = db.execute(apps.delete().where(apps.c.account_id == account_id, apps.c.client_id == client_id))
    return bool(gone.rowcount)
