"""Platform core: settings, accounts, users, OAuth apps.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("plan", sa.String(32), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
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
    )
    op.create_index("ix_users_account_status_seq", "users", ["account_id", "status", "seq"])
    op.create_table(
        "apps",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(64), nullable=False, unique=True),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("secret_salt", sa.String(64), nullable=False),
        sa.Column("secret_hash", sa.String(128), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_apps_account_id", "apps", ["account_id"])


def downgrade() -> None:
    for table in ("apps", "users", "accounts", "settings"):
        op.drop_table(table)
