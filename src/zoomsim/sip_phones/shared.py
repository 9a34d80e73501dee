"""Helpers the SIP phone and TSP families share: account features and documented wording.

Some features Zoom switches on per account (by contacting Sales or Support) rather than through
the API: SIP phone integration, TSP audio, special TSP privileges. zoomsim keeps them as account
licences (the admin API's `licences` map). A licence the tenant never named takes the plan's
default: on for paid plans, off for free ones (Zoom's TSP docs ask for a Pro or higher plan;
PSI is a paid add-on too)."""
from __future__ import annotations

from zoomsim import jsonio
from zoomsim.context import Ctx
from zoomsim.errors import documented  # noqa: F401  (re-exported for the TSP module)
from zoomsim.storage import accounts as accounts_repo

SIP_PHONE = "sip_phone"
TSP = "tsp"
TSP_SPECIAL = "tsp_special"


def feature_on(ctx: Ctx, feature: str) -> bool:
    row = accounts_repo.get(ctx.db, ctx.account_id)
    if row is None:  # the token check already proved the account exists
        return False
    licences = jsonio.loads(row.doc).get("licences") or {}
    value = licences.get(feature)
    return bool(value) if value is not None else ctx.plan != "free"
