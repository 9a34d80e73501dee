"""Billing reports: what an account is charged, month by month, derived from its plan, its add-on
licences and its licensed users (users of type 2 whose status is active).

zoomsim keeps no payment history, so every period is priced from the account as it is at query
time: the same licensed-user count and add-ons apply to every month since the account was
created. Prices are our own monthly list prices (below), not quotes of Zoom's price list, and
one flat tax rate applies to every line. Each billing report's totals are the sums of its
invoices' totals, so the two operations always agree.

A free account has nothing to pay: its billing report is an empty list rather than an error
(add-on flags on a free account are treated as trials, never billed), and so no billing_id of
a free account exists for the invoices operation."""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.context import Ctx, Input
from zoomsim.errors import documented
from zoomsim.reports import dates
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage.schema import users as users_t

CURRENCY = "USD"
TAX_RATE = Decimal("0.08")    # one flat rate: zoomsim has no billing addresses to tax by
CENT = Decimal("0.01")
BILLING_TYPE_DETAILED = 0     # Zoom's "Detailed Billing Reports"

# Monthly list price per licensed user, and the line's name, for each paid plan.
PLAN_PRICES: dict[str, tuple[str, Decimal]] = {
    "pro": ("Zoom Workplace Pro - Monthly", Decimal("15.99")),
    "business": ("Zoom Workplace Business - Monthly", Decimal("21.99")),
    "business_plus": ("Zoom Workplace Business Plus - Monthly", Decimal("26.99")),
    "enterprise": ("Zoom Workplace Enterprise - Monthly", Decimal("32.99")),
    "education": ("Zoom Workplace Education - Monthly", Decimal("6.49")),
}
# Add-on licences (the account's `licences` flags), one unit each, in invoice order.
ADDON_PRICES: tuple[tuple[str, str, Decimal], ...] = (
    ("webinar", "Zoom Webinars 500 - Monthly", Decimal("79.00")),
    ("zoom_events", "Zoom Events 500 - Monthly", Decimal("99.00")),
    ("large_meeting", "Large Meetings 500 - Monthly", Decimal("50.00")),
    ("cloud_recording", "Cloud Recording Storage 30 GB - Monthly", Decimal("40.00")),
)


@dataclass(frozen=True, slots=True)
class Account:
    """What billing and storage allowances are computed from."""

    id: str
    plan: str
    created: date
    licences: dict[str, bool]
    licensed_users: int


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    name: str
    quantity: int
    amount: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.amount + self.tax


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date
    lines: tuple[Line, ...]

    @property
    def tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0"))


def licensed_users(ctx: Ctx) -> int:
    """Users holding a paid licence right now: type 2 (licensed) and active."""
    q = (sa.select(sa.func.count()).select_from(users_t)
         .where(users_t.c.account_id == ctx.account_id, users_t.c.type == 2, users_t.c.status == "active"))
    return int(ctx.db.execute(q).scalar() or 0)


def account(ctx: Ctx) -> Account:
    row = accounts_repo.get(ctx.db, ctx.account_id)
    doc: dict[str, Any] = jsonio.loads(row.doc) if row is not None else {}
    created_iso = str(row.created_at if row is not None else doc.get("created_at") or "")
    try:
        created = datetime.fromisoformat(created_iso.replace("Z", "+00:00")).astimezone(timezone.utc).date()
    except ValueError:
        created = dates.today(ctx)
    licences = {str(k): bool(v) for k, v in (doc.get("licences") or {}).items()}
    return Account(ctx.account_id, str(row.plan if row is not None else ctx.plan), created, licences,
                   licensed_users(ctx))


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _line(key: str, name: str, quantity: int, unit: Decimal) -> Line:
    amount = (unit * quantity).quantize(CENT, rounding=ROUND_HALF_UP)
    return Line(key, name, quantity, amount, (amount * TAX_RATE).quantize(CENT, rounding=ROUND_HALF_UP))


def monthly_lines(acct: Account) -> tuple[Line, ...]:
    """One month's charges: the plan licence for every licensed user, then each add-on held."""
    if acct.plan not in PLAN_PRICES:
        return ()
    name, unit = PLAN_PRICES[acct.plan]
    lines = [_line("plan", name, acct.licensed_users, unit)]
    lines += [_line(key, label, 1, price) for key, label, price in ADDON_PRICES if acct.licences.get(key)]
    return tuple(lines)


def periods(ctx: Ctx, acct: Account) -> list[Period]:
    """Calendar months from the account's creation month through this month, newest first."""
    lines = monthly_lines(acct)
    if not lines:
        return []
    out: list[Period] = []
    month = acct.created.replace(day=1)
    this_month = dates.today(ctx).replace(day=1)
    while month <= this_month:
        following = dates.months_back(month, -1)
        out.append(Period(month, following - timedelta(days=1), lines))
        month = following
    out.reverse()
    return out


def billing_id(account_id: str, first: date) -> str:
    """Stable for the account and month, so the invoices operation can find its period again."""
    digest = hashlib.sha256(f"billing|{account_id}|{first:%Y-%m}".encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def invoice_number(account_id: str, first: date, key: str) -> str:
    digest = hashlib.sha256(f"invoice|{account_id}|{first:%Y-%m}|{key}".encode()).digest()
    return f"INV{int.from_bytes(digest[:5], 'big') % 10**9:09d}"


def get_billing_report(ctx: Ctx, inp: Input) -> dict[str, Any]:
    acct = account(ctx)
    reports = [{
        "id": billing_id(acct.id, p.first),
        "start_date": p.first.isoformat(),
        "end_date": p.last.isoformat(),
        "total_amount": money(p.total),
        "tax_amount": money(p.tax),
        "type": BILLING_TYPE_DETAILED,
    } for p in periods(ctx, acct)]
    return {"currency": CURRENCY, "billing_reports": reports}


def get_billing_invoices(ctx: Ctx, inp: Input) -> dict[str, Any]:
    wanted = str(inp.query.get("billing_id") or "").strip()
    if not wanted:
        raise documented(ctx, 300, 'Invalid parameter "billing_id"', containing="billing_id")
    acct = account(ctx)
    found = next((p for p in periods(ctx, acct) if billing_id(acct.id, p.first) == wanted), None)
    if found is None:
        raise documented(ctx, 5010, "Report does not exist.", status=404)
    invoices = [{
        "end_date": found.last.isoformat(),
        "invoice_charge_name": line.name,
        "invoice_number": invoice_number(acct.id, found.first, line.key),
        "quantity": line.quantity,
        "start_date": found.first.isoformat(),
        "tax_amount": money(line.tax),
        "total_amount": money(line.total),
    } for line in found.lines]
    return {"currency": CURRENCY, "invoices": invoices}


HANDLERS: dict[str, Callable[..., Any]] = {
    "getBillingReport": get_billing_report,
    "getBillingInvoicesReports": get_billing_invoices,
}
