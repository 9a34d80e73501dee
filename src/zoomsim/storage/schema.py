"""Tables as the code sees them. Each resource: typed columns for identity, ownership and
whatever we filter or sort by, plus `doc`, the resource's Zoom JSON as stored text."""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

BigSeq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("plan", sa.String(32), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("type", sa.Integer, nullable=False),
    sa.Column("role_id", sa.String(16), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("host_key", sa.String(16), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.UniqueConstraint("account_id", "email", name="uq_users_account_email"),
    sa.Index("ix_users_account_status_seq", "account_id", "status", "seq"),
)

apps = sa.Table(
    "apps",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(64), nullable=False, unique=True),
    sa.Column("account_id", sa.String(64), nullable=False, index=True),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("scopes", sa.Text, nullable=False),
    sa.Column("secret_salt", sa.String(64), nullable=False),
    sa.Column("secret_hash", sa.String(128), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)
