"""Shared runtime state (clock, token epochs, a generation number) and the rate-limit counters
that every worker of a PostgreSQL deployment reads and counts in. The clock kept until now in
settings moves into runtime_state.

Revision ID: 0004
Revises: 0003
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "runtime_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("win", sa.BigInteger, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
        )
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ALTER TABLE rate_counters SET UNLOGGED"))
    clock = conn.execute(sa.text("SELECT value FROM settings WHERE key = 'clock'")).scalar()
    doc = {"clock": json.loads(clock) if clock else {}, "reset_epoch": 0, "expiry_epoch": 0}
    op.bulk_insert(state, [{"id": 1, "generation": 1, "doc": json.dumps(doc)}])
    conn.execute(sa.text("DELETE FROM settings WHERE key = 'clock'"))


def downgrade() -> None:
    op.drop_table("rate_counters")
    op.drop_table("runtime_state")
