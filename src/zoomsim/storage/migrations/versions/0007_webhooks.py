"""Webhooks: each app's secret token, its event subscriptions, the delivery outbox and the log
of attempts. Apps that exist already get a secret token here, as new apps get theirs when made.

Revision ID: 0007
Revises: 0006
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("apps") as batch:
        batch.add_column(sa.Column("secret_token", sa.String(64), nullable=True))
    apps = sa.table("apps", sa.column("client_id"), sa.column("secret_token"))
    conn = op.get_bind()
    for (client_id,) in conn.execute(sa.select(apps.c.client_id)).all():
        conn.execute(apps.update().where(apps.c.client_id == client_id)
                     .values(secret_token=secrets.token_urlsafe(16)))
    op.create_table(
        "event_subscriptions",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("events", sa.Text, nullable=False),
        sa.Column("user_ids", sa.Text, nullable=False),
        sa.Column("custom_header", sa.Text, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_event_subscriptions_app_seq", "event_subscriptions", ["app_id", "seq"])
    op.create_index("ix_event_subscriptions_account", "event_subscriptions", ["account_id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("trace_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("event", sa.String(100), nullable=False),
        sa.Column("event_ts", sa.BigInteger, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("due_at", sa.Float, nullable=False),
        sa.Column("lease_until", sa.Float, nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["state", "due_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("delivery_seq", sa.BigInteger, nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("event", sa.String(100), nullable=False),
        sa.Column("retry_num", sa.Integer, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("failed_reason_type", sa.Integer, nullable=True),
        sa.Column("request_headers", sa.Text, nullable=False),
        sa.Column("response_headers", sa.Text, nullable=False),
        sa.Column("response_body", sa.Text, nullable=False),
        sa.Column("elapsed_ms", sa.Integer, nullable=False),
    )
    op.create_index("ix_webhook_attempts_delivery_seq", "webhook_attempts", ["delivery_seq"])
    op.create_index("ix_webhook_attempts_app_at", "webhook_attempts", ["app_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_attempts_app_at", table_name="webhook_attempts")
    op.drop_index("ix_webhook_attempts_delivery_seq", table_name="webhook_attempts")
    op.drop_table("webhook_attempts")
    op.drop_index("ix_webhook_deliveries_due", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_event_subscriptions_account", table_name="event_subscriptions")
    op.drop_index("ix_event_subscriptions_app_seq", table_name="event_subscriptions")
    op.drop_table("event_subscriptions")
    with op.batch_alter_table("apps") as batch:
        batch.drop_column("secret_token")
