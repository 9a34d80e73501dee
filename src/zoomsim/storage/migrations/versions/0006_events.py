"""Zoom Events: hubs, events, sessions, ticket types and tickets. Every account that already
holds a Zoom Events or Webinars Plus licence gets its hub here, as new accounts get theirs
when they are made (the API has no hub create).

Revision ID: 0006
Revises: 0005
"""
import json
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _common() -> list[sa.Column]:
    return [sa.Column("seq", Seq, primary_key=True, autoincrement=True),
            sa.Column("id", sa.String(64), nullable=False, unique=True)]


def upgrade() -> None:
    hubs = op.create_table(
        "hubs", *_common(),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_hubs_account_seq", "hubs", ["account_id", "seq"])
    op.create_table(
        "events", *_common(),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("hub_id", sa.String(64), nullable=False),
        sa.Column("host_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start_time", sa.String(32), nullable=True),
        sa.Column("end_time", sa.String(32), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("extra", sa.Text, nullable=False),
    )
    op.create_index("ix_events_host_status_seq", "events", ["host_id", "status", "seq"])
    op.create_index("ix_events_account_seq", "events", ["account_id", "seq"])
    op.create_table(
        "event_sessions", *_common(),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("type", sa.Integer, nullable=False),
        sa.Column("start_time", sa.String(32), nullable=False),
        sa.Column("end_time", sa.String(32), nullable=False),
        sa.Column("meeting_id", sa.BigInteger, nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_event_sessions_event_seq", "event_sessions", ["event_id", "seq"])
    op.create_index("ix_event_sessions_meeting", "event_sessions", ["meeting_id"])
    op.create_table(
        "ticket_types", *_common(),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_ticket_types_event_seq", "ticket_types", ["event_id", "seq"])
    op.create_table(
        "tickets", *_common(),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("ticket_type_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_tickets_event_seq", "tickets", ["event_id", "seq"])
    op.create_index("ix_tickets_type_status", "tickets", ["ticket_type_id", "status"])
    op.create_index("ix_tickets_account_email", "tickets", ["account_id", "email"])
    _hubs_for_existing_accounts(hubs)


def _new_id() -> str:
    while True:
        made = secrets.token_urlsafe(16)
        if not made.startswith("-"):
            return made


def _hubs_for_existing_accounts(hubs: sa.Table) -> None:
    """The hub each licensed account would have got at creation (zoom_events/hubs.py's shape
    as of this revision)."""
    conn = op.get_bind()
    accounts = sa.table("accounts", sa.column("id"), sa.column("owner_id"), sa.column("doc"))
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    for account_id, owner_id, raw in conn.execute(sa.select(accounts.c.id, accounts.c.owner_id, accounts.c.doc)):
        doc = json.loads(raw)
        licences = doc.get("licences") or {}
        if not (licences.get("zoom_events") or licences.get("webinars_plus")):
            continue
        hub = {"name": f"{doc.get('name') or 'zoomsim account'} hub", "description": "", "access_level": "PUBLIC",
               "hidden_hub": False, "hub_active": True, "auto_list_events": True, "landing_hub": True,
               "conference": bool(licences.get("zoom_events")), "hosts": [owner_id] if owner_id else []}
        conn.execute(hubs.insert().values(id=_new_id(), account_id=account_id, created_at=now,
                                          doc=json.dumps(hub, separators=(",", ":"))))


def downgrade() -> None:
    for table, indexes in (("tickets", ("ix_tickets_event_seq", "ix_tickets_type_status", "ix_tickets_account_email")),
                           ("ticket_types", ("ix_ticket_types_event_seq",)),
                           ("event_sessions", ("ix_event_sessions_event_seq", "ix_event_sessions_meeting")),
                           ("events", ("ix_events_host_status_seq", "ix_events_account_seq")),
                           ("hubs", ("ix_hubs_account_seq",))):
        for index in indexes:
            op.drop_index(index, table_name=table)
        op.drop_table(table)
