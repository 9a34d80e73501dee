"""Billing reports and their invoices, priced from the account's plan, add-on licences and
licensed users (list prices and the 8% tax rate of zoomsim.reports.billing)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from support import Admin, Api, bad_fields, expect_error, unique_email


def add_user(admin: Admin, api: Api, **spec: Any) -> dict[str, Any]:
    spec.setdefault("email", unique_email("u"))
    return admin.call("POST", f"/accounts/{api.account_id}/users", spec)  # type: ignore[no-any-return]


def invoices(api: Api, billing_id: str) -> dict[str, Any]:
    r = api.get("/report/billing/invoices", params={"billing_id": billing_id})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_monthly_periods_and_invoices_agree(clock: Admin) -> None:
    clock.clock(now="2026-09-15T10:00:00Z")
    api = clock.tenant()                                  # business; webinar, zoom_events, cloud_recording
    add_user(clock, api, type=2)                          # licensed
    add_user(clock, api, type=1)                          # basic: not billed
    add_user(clock, api, type=2, status="inactive")       # licensed but not active: not billed
    clock.clock(now="2026-11-20T12:00:00Z")
    api.fetch_token()
    r = api.get("/report/billing")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["currency"] == "USD"
    reports = body["billing_reports"]
    assert [(b["start_date"], b["end_date"]) for b in reports] == [
        ("2026-11-01", "2026-11-30"), ("2026-10-01", "2026-10-31"), ("2026-09-01", "2026-09-30")]
    # 2 x 21.99 + 79.00 + 99.00 + 40.00 = 261.98; tax per line 3.52 + 6.32 + 7.92 + 3.20 = 20.96
    for b in reports:
        assert (b["total_amount"], b["tax_amount"], b["type"]) == ("282.94", "20.96", 0)
    assert len({b["id"] for b in reports}) == 3
    assert api.get("/report/billing").json() == body       # ids are stable
    for b in reports:
        inv = invoices(api, b["id"])
        assert inv["currency"] == "USD"
        lines = inv["invoices"]
        assert [(i["invoice_charge_name"], i["quantity"], i["total_amount"], i["tax_amount"]) for i in lines] == [
            ("Zoom Workplace Business - Monthly", 2, "47.50", "3.52"),
            ("Zoom Webinars 500 - Monthly", 1, "85.32", "6.32"),
            ("Zoom Events 500 - Monthly", 1, "106.92", "7.92"),
            ("Cloud Recording Storage 30 GB - Monthly", 1, "43.20", "3.20"),
        ]
        assert all((i["start_date"], i["end_date"]) == (b["start_date"], b["end_date"]) for i in lines)
        assert sum(Decimal(i["total_amount"]) for i in lines) == Decimal(b["total_amount"])
        assert sum(Decimal(i["tax_amount"]) for i in lines) == Decimal(b["tax_amount"])
        assert len({i["invoice_number"] for i in lines}) == 4
        assert all(i["invoice_number"].startswith("INV") for i in lines)
    # a newly licensed user shows in every period (priced from the account as it is now)
    add_user(clock, api, type=2)
    again = api.get("/report/billing").json()["billing_reports"]
    assert [b["id"] for b in again] == [b["id"] for b in reports]
    assert again[0]["total_amount"] == "306.69"       # + 21.99 + 1.76 tax
    assert invoices(api, again[2]["id"])["invoices"][0]["quantity"] == 3


def test_add_ons_follow_the_licences(clock: Admin) -> None:
    clock.clock(now="2026-11-02T10:00:00Z")
    api = clock.tenant(plan="pro", licences={"webinar": False, "zoom_events": False, "large_meeting": True,
                                             "cloud_recording": False})
    reports = api.get("/report/billing").json()["billing_reports"]
    assert len(reports) == 1 and (reports[0]["start_date"], reports[0]["end_date"]) == ("2026-11-01", "2026-11-30")
    # 15.99 (tax 1.28) + 50.00 (tax 4.00)
    assert (reports[0]["total_amount"], reports[0]["tax_amount"]) == ("71.27", "5.28")
    lines = invoices(api, reports[0]["id"])["invoices"]
    assert [(i["invoice_charge_name"], i["quantity"], i["total_amount"]) for i in lines] == [
        ("Zoom Workplace Pro - Monthly", 1, "17.27"), ("Large Meetings 500 - Monthly", 1, "54.00")]


def test_free_plan_has_nothing_to_bill(admin: Admin) -> None:
    free = admin.tenant(plan="free")
    assert free.get("/report/billing").json() == {"currency": "USD", "billing_reports": []}
    expect_error(free.get("/report/billing/invoices", params={"billing_id": "anything"}), 404, 5010,
                 "Report does not exist.")


def test_invoice_errors(admin: Admin, api: Api) -> None:
    other = admin.tenant()
    theirs = other.get("/report/billing").json()["billing_reports"][0]["id"]
    expect_error(api.get("/report/billing/invoices", params={"billing_id": theirs}), 404, 5010,
                 "Report does not exist.")
    expect_error(api.get("/report/billing/invoices", params={"billing_id": "nope"}), 404, 5010,
                 "Report does not exist.")
    assert bad_fields(api.get("/report/billing/invoices")) == {"billing_id"}
    assert bad_fields(api.get("/report/billing/invoices", params={"billing_id": ""})) == {"billing_id"}
    expect_error(api.get("/report/billing/invoices", params={"billing_id": "  "}), 400, 300,
                 'Invalid parameter "billing_id"')
    mine = api.get("/report/billing").json()["billing_reports"][0]["id"]
    assert invoices(api, mine)["invoices"]


def test_billing_needs_report_scope(admin: Admin) -> None:
    reader = admin.tenant(scopes=["meeting:read:admin", "user:read:admin"])
    expect_error(reader.get("/report/billing"), 400, 4711)
    expect_error(reader.get("/report/billing/invoices", params={"billing_id": "x"}), 400, 4711)
    granular = admin.tenant(scopes=["report:read:billing:admin"])
    assert granular.get("/report/billing").status_code == 200
    expect_error(granular.get("/report/billing/invoices", params={"billing_id": "x"}), 400, 4711)
