"""The API-call log: what every request asked and was answered (the dashboard, and Zoom's
GET /marketplace/apps/{appId}/api_call_logs); and the fault rules that answer instead of Zoom.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "api_calls",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("wall", sa.Float, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("account_id", sa.String(64), nullable=True),
        sa.Column("app_id", sa.String(64), nullable=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("operation_id", sa.String(100), nullable=True),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("code", sa.Integer, nullable=True),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("trace_id", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(64), nullable=True),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("request_headers", sa.Text, nullable=False),
        sa.Column("request_body", sa.Text, nullable=False),
        sa.Column("response_headers", sa.Text, nullable=False),
        sa.Column("response_body", sa.Text, nullable=False),
        sa.Column("fault", sa.String(64), nullable=True),
    )
    op.create_index("ix_api_calls_app_seq", "api_calls", ["app_id", "seq"])
    writes = sa.text("method <> 'GET'")
    op.create_index("ix_api_calls_subject_writes", "api_calls", ["subject", "seq"], sqlite_where=writes,
                    postgresql_where=writes)


    op.create_table(
        "fault_rules",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("times", sa.Integer, nullable=True),
        sa.Column("expires_at", sa.Float, nullable=True),
        sa.Column("matched", sa.Integer, nullable=False),
        sa.Column("fired", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("fault_rules")
    op.drop_table("api_calls")
