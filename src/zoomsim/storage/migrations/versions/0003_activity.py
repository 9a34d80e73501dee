"""What happened in meetings (instances, participant sessions, Q&A/poll/survey records) and
the account audit trail that reports read.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "instances",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("meeting_id", sa.BigInteger, nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("host_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("type", sa.Integer, nullable=False),
        sa.Column("topic", sa.String(300), nullable=False),
        sa.Column("start_time", sa.String(32), nullable=False),
        sa.Column("end_time", sa.String(32), nullable=True),
        sa.Column("duration", sa.Integer, nullable=False),
        sa.Column("participants", sa.Integer, nullable=False),
        sa.Column("participant_minutes", sa.Integer, nullable=False),
        sa.Column("dial_ins", sa.Integer, nullable=False),
        sa.Column("recording_bytes", sa.BigInteger, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_instances_account_start", "instances", ["account_id", "start_time", "kind", "end_time",
                                                                "host_id", "participants", "participant_minutes"])
    op.create_index("ix_meetings_account_start", "meetings", ["account_id", "start_time"])
    op.create_index("ix_instances_host_start", "instances", ["host_id", "start_time"])
    op.create_index("ix_instances_meeting_seq", "instances", ["meeting_id", "seq"])
    op.create_table(
        "participants",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("instance_seq", sa.BigInteger, nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("registrant_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("join_time", sa.String(32), nullable=False),
        sa.Column("leave_time", sa.String(32), nullable=True),
        sa.Column("duration", sa.Integer, nullable=False),
        sa.Column("phone_number", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_participants_instance_seq", "participants", ["instance_seq", "seq"])
    op.create_index("ix_participants_user_join", "participants", ["user_id", "join_time"])
    op.create_table(
        "instance_records",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("instance_seq", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_instance_records", "instance_records", ["instance_seq", "kind", "seq"])
    op.create_table(
        "audit_log",
        sa.Column("seq", Seq, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("time", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_account_kind_time", "audit_log", ["account_id", "kind", "time"])


def downgrade() -> None:
    op.drop_index("ix_meetings_account_start", "meetings")
    for name in ("audit_log", "instance_records", "participants", "instances"):
        op.drop_table(name)
