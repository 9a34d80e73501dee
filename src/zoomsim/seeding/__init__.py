"""Seed files: accounts, users, apps with fixed credentials and meetings, loaded from YAML or JSON.

CI wants to hard-code a client id, secret and account id and find them working on a fresh
database, so `zoomsim seed FILE` and `zoomsim serve --seed FILE` create them. A file goes
through three steps, and nothing is written unless all of them pass:

1. load: YAML (PyYAML, timestamps kept as text) or JSON, remembering each field's line;
2. validate: every field checked without the database (meetings against the meeting-create
   operation's own request schema), so a bad file names its field before anything happens;
3. apply: one transaction, through the code the API and admin API use (tenants.create_account,
   add_user, create_app, the meetingCreate handler), so seeded rows are exactly API-made ones.

Idempotency: an account is matched by `id` (given, or derived from its owner's email), a user
by email within the account, an app by client id, a meeting by host and `key` (when given) or
host and topic, a fault rule (top-level `faults:`, POST /_zoomsim/faults bodies plus an optional
`id`) by `id` or an id derived from its content. What is found is left as it is and counted as
already there; a seed never changes or deletes anything. The one disagreement it refuses is an
existing client id whose secret or account differs, since the hard-coded credentials would not work.

Modules: errors (SeedError, field paths), document (step 1), specs (step 2), apply (step 3),
entry (seed_file, summary_line) and command (`zoomsim seed`). Each imports the rest of zoomsim
(storage, tenants, the app) where it is used: the command line builds the seed parser for every
command, and those imports cost it 0.6 s.
"""
from zoomsim.seeding.command import add_seed_parser
from zoomsim.seeding.document import load_document
from zoomsim.seeding.entry import Target, seed_file, summary_line
from zoomsim.seeding.errors import FieldPath, SeedError, dotted
from zoomsim.seeding.specs import (AccountSpec, AppSpec, FaultSpec, MeetingSpec, Plan, Rules, UserSpec,
                                   derived_account_id, derived_fault_id, validate)

__all__ = ["AccountSpec", "AppSpec", "FaultSpec", "FieldPath", "MeetingSpec", "Plan", "Rules", "SeedError", "Target",
           "UserSpec", "add_seed_parser", "derived_account_id", "derived_fault_id", "dotted", "load_document",
           "seed_file", "summary_line", "validate"]
