"""Meetings and what hangs off them: registrants, meeting parts (polls, survey, livestream,
questions, summary), and account items (tracking fields, SIP phones, TSP, templates).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("id", sa.BigInteger, nullable=False, unique=True),
        sa.Column("uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("host_id", sa.String(64), nullable=False),
        sa.Column("type", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start_time", sa.String(32), nullable=True),
        sa.Column("end_time", sa.String(32), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("extra", sa.Text, nullable=False),
    )
    op.create_index("ix_meetings_host_seq", "meetings", ["host_id", "seq"])
    op.create_index("ix_meetings_account_seq", "meetings", ["account_id", "seq"])
    op.create_table(
        "registrants",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("meeting_id", sa.BigInteger, nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.UniqueConstraint("meeting_id", "email", name="uq_registrants_meeting_email"),
    )
    op.create_index("ix_registrants_meeting_status_seq", "registrants", ["meeting_id", "status", "seq"])
    op.create_table(
        "meeting_parts",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.UniqueConstraint("meeting_id", "kind", "id", name="uq_meeting_parts"),
    )
    op.create_table(
        "account_items",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.UniqueConstraint("account_id", "kind", "id", name="uq_account_items"),
    )
    op.create_index("ix_account_items_owner", "account_items", ["account_id", "kind", "owner_id", "seq"])


def downgrade() -> None:
    for name in ("account_items", "meeting_parts", "registrants", "meetings"):
        op.drop_table(name)
