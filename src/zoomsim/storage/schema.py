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
    # Zoom's "Secret Token" of the app's Feature page: signs its webhook deliveries (migration 0007)
    sa.Column("secret_token", sa.String(64), nullable=True),
)

# Meetings: the row is the meeting; `extra` holds what Zoom never returns (template used,
# occurrence overrides), so `doc` can be served as is.
meetings = sa.Table(
    "meetings",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
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
    sa.Index("ix_meetings_host_seq", "host_id", "seq"),
    sa.Index("ix_meetings_account_seq", "account_id", "seq"),
    sa.Index("ix_meetings_account_start", "account_id", "start_time"),   # upcoming-events report
)

registrants = sa.Table(
    "registrants",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("meeting_id", sa.BigInteger, nullable=False),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.UniqueConstraint("meeting_id", "email", name="uq_registrants_meeting_email"),
    sa.Index("ix_registrants_meeting_status_seq", "meeting_id", "status", "seq"),
)

# Parts of a meeting that Zoom serves on their own paths: polls (one row each, id = poll id)
# and singletons (survey, livestream, registration questions, summary: id = "").
meeting_parts = sa.Table(
    "meeting_parts",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("meeting_id", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("id", sa.String(64), nullable=False),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.UniqueConstraint("meeting_id", "kind", "id", name="uq_meeting_parts"),
)

# Files uploaded to a meeting or webinar (session branding's virtual backgrounds and wallpaper):
# the bytes themselves, so they survive restarts like every other state. Lists read the columns
# beside `data` and never load it. `name` and `content_type` are unbounded Text: the name is the
# client's, the type is derived from the bytes.
files = sa.Table(
    "files",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("meeting_id", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("content_type", sa.Text, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Index("ix_files_meeting_kind_seq", "meeting_id", "kind", "seq"),
)

# Account- and user-level resources with no meeting behind them: tracking fields, SIP phones,
# TSP settings and accounts, meeting templates. `owner_id` is the user ('' for account-wide),
# `name` the value that must be unique within (account, kind[, owner]).
account_items = sa.Table(
    "account_items",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.UniqueConstraint("account_id", "kind", "id", name="uq_account_items"),
    sa.Index("ix_account_items_owner", "account_id", "kind", "owner_id", "seq"),
)

# What happened: one row per run of a meeting (an instance, keyed by its UUID), with the
# totals reports read (computed once when it ends), and `doc` for what only detail views show.
instances = sa.Table(
    "instances",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
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
    # covering: the account-wide reports (daily, users) add up totals without reading rows
    sa.Index("ix_instances_account_start", "account_id", "start_time", "kind", "end_time", "host_id",
             "participants", "participant_minutes"),
    sa.Index("ix_instances_host_start", "host_id", "start_time"),
    sa.Index("ix_instances_meeting_seq", "meeting_id", "seq"),
)

# One row per session in an instance: leaving and joining again is a second row, as in
# Zoom's participant reports. `id` is the session's participant id, `person` the same
# person across sessions, `user_id` the Zoom user when they signed in ('' for guests).
participants = sa.Table(
    "participants",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
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
    sa.Index("ix_participants_instance_seq", "instance_seq", "seq"),
    sa.Index("ix_participants_user_join", "user_id", "join_time"),
)

# Q&A, poll votes and survey answers given in an instance, in the order they came.
instance_records = sa.Table(
    "instance_records",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("instance_seq", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Index("ix_instance_records", "instance_seq", "kind", "seq"),
)

# Account audit trail the reports read: admin changes made through the API (kind
# 'operation') and app sign-ins by token grant (kind 'signin').
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("time", sa.String(32), nullable=False),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Index("ix_audit_log_account_kind_time", "account_id", "kind", "time"),
)

# State every worker must agree on, in one row (id 1): `generation` moves on every change, so a
# worker knows with one small read whether its copy is current; `doc` holds the clock (frozen
# instant or offset) and the token epochs (reset and forced expiry).
runtime_state = sa.Table(
    "runtime_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("generation", sa.BigInteger, nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
)

# Rate-limit counters shared by the workers of a PostgreSQL deployment: one row per counter
# (account + label, daily quota, per-user cap) holding its current window and the hits in it.
# Unlogged on PostgreSQL (set by migration 0004): counters are not worth a WAL write, and a crash
# only forgets them.
rate_counters = sa.Table(
    "rate_counters",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("win", sa.BigInteger, nullable=False),
    sa.Column("hits", sa.Integer, nullable=False),
)

# Zoom Events. An account's hubs (made with the account: the API has no hub create), the events
# in them, each event's sessions, ticket types and tickets. `doc` is the object Zoom returns
# (minus what is derived at read time: URLs, meeting ids of unpublished events); `extra` on an
# event is our bookkeeping (cancel message, publish time). Times are UTC text, so they sort.
hubs = sa.Table(
    "hubs",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Index("ix_hubs_account_seq", "account_id", "seq"),
)

# `status` is DRAFT, PUBLISHED or CANCELLED; "past" is a published event whose end_time is over.
events = sa.Table(
    "events",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
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
    sa.Index("ix_events_host_status_seq", "host_id", "status", "seq"),
    sa.Index("ix_events_account_seq", "account_id", "seq"),
)

# `type` is Zoom's session type (0 meeting, 2 webinar, 4 neither); `meeting_id` the zoomsim
# meeting or webinar behind it once the event is published (null before).
event_sessions = sa.Table(
    "event_sessions",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("type", sa.Integer, nullable=False),
    sa.Column("start_time", sa.String(32), nullable=False),
    sa.Column("end_time", sa.String(32), nullable=False),
    sa.Column("meeting_id", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Index("ix_event_sessions_event_seq", "event_id", "seq"),
    sa.Index("ix_event_sessions_meeting", "meeting_id"),
)

# Sold counts are not stored: they are counted from `tickets` under a per-event lock
# (Db.serialize), so a stored total can never drift from the tickets it counts.
ticket_types = sa.Table(
    "ticket_types",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Index("ix_ticket_types_event_seq", "event_id", "seq"),
)

tickets = sa.Table(
    "tickets",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("ticket_type_id", sa.String(64), nullable=False),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Index("ix_tickets_event_seq", "event_id", "seq"),
    sa.Index("ix_tickets_type_status", "ticket_type_id", "status"),
    sa.Index("ix_tickets_account_email", "account_id", "email"),   # events a user holds a ticket for
)

# Webhooks. An app's event subscriptions (Marketplace API or admin API); `events`, `user_ids` and
# `custom_header` are JSON text. The outbox: one delivery per (event, subscription), written in
# the transaction of the change that caused it, the body stored as the exact bytes sent (signed
# as is); `due_at` is on zoomsim's clock (retries fall due when the clock moves), `lease_until`
# on the wall clock (a worker that claimed a row and died gives it back when the lease ends).
# Each try of a delivery is a row of webhook_attempts: what Zoom's webhook logs list. The outbox
# has one index besides its key (what the sender claims by): every emitting request pays for
# each index page its row dirties; request ids are uuid4s, unique by construction.
event_subscriptions = sa.Table(
    "event_subscriptions",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
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
    sa.Index("ix_event_subscriptions_app_seq", "app_id", "seq"),
    sa.Index("ix_event_subscriptions_account", "account_id"),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
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
    sa.Column("state", sa.String(16), nullable=False),          # pending | delivered | failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("due_at", sa.Float, nullable=False),
    sa.Column("lease_until", sa.Float, nullable=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("fault", sa.String(64), nullable=True),          # the fault rule that delayed or copied it
    sa.Index("ix_webhook_deliveries_due", "state", "due_at"),
)

webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("delivery_seq", sa.BigInteger, nullable=False, index=True),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("app_id", sa.String(64), nullable=False),
    sa.Column("event", sa.String(100), nullable=False),
    sa.Column("retry_num", sa.Integer, nullable=False),
    sa.Column("at", sa.Float, nullable=False),                  # zoomsim's clock
    sa.Column("status", sa.Integer, nullable=False),            # the receiver's HTTP status, -1 if none
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("failed_reason_type", sa.Integer, nullable=True),
    sa.Column("request_headers", sa.Text, nullable=False),
    sa.Column("response_headers", sa.Text, nullable=False),
    sa.Column("response_body", sa.Text, nullable=False),
    sa.Column("elapsed_ms", sa.Integer, nullable=False),
    sa.Index("ix_webhook_attempts_app_at", "app_id", "at"),
)

# The API-call log (migration 0008): one row per request to /v2, /v1 or /oauth/token, written
# in batches by each worker's recorder (platform/calllog.py), never in the request's own
# transaction. `wall` is wall time (charts, the dashboard, retention), `at` zoomsim's clock (Zoom's
# api_call_logs and its `duration` filter). `subject` is the resource the call names: the
# meeting, webinar, event... id of its path, or the id a create answered. Headers are JSON text
# (the Authorization header masked), bodies text cut at the recorder's limit. Two indexes only:
# every index costs every logged request; the charts find a wall-time window by the key
# (storage/calls.window).
api_calls = sa.Table(
    "api_calls",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
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
    sa.Column("fault", sa.String(64), nullable=True),      # the fault rule that answered it, if one did
    sa.Index("ix_api_calls_app_seq", "app_id", "seq"),
    # history of a resource lists its changes: reads, most of the log, stay out of the index
    sa.Index("ix_api_calls_subject_writes", "subject", "seq", sqlite_where=sa.text("method <> 'GET'"),
             postgresql_where=sa.text("method <> 'GET'")),
)

# Fault rules (migration 0008 too): what zoomsim answers instead of Zoom, on purpose. `spec` is
# the rule as given (match, effect, probability, seed); `matched` and `fired` are counted under
# a lock, so a rule's n-th request is the n-th on every worker. `expires_at` is zoomsim's clock.
fault_rules = sa.Table(
    "fault_rules",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("spec", sa.Text, nullable=False),
    sa.Column("times", sa.Integer, nullable=True),
    sa.Column("expires_at", sa.Float, nullable=True),
    sa.Column("matched", sa.Integer, nullable=False),
    sa.Column("fired", sa.Integer, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)
