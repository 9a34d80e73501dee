"""The user object as Zoom returns it, and the rules for building and changing one."""
from __future__ import annotations

import secrets
from typing import Any

from zoomsim import ids

ROLE_NAMES = {"0": "Owner", "1": "Admin", "2": "Member"}
# Fields a list item carries (the list schema is a subset of the full user object).
LIST_FIELDS = (
    "id", "first_name", "last_name", "display_name", "email", "type", "pmi", "timezone", "verified",
    "dept", "created_at", "user_created_at", "last_login_time", "last_client_version", "pic_url",
    "language", "phone_number", "status", "role_id", "group_ids", "im_group_ids", "employee_unique_id",
)


def display_name(first: str, last: str, email: str) -> str:
    name = f"{first} {last}".strip()
    return name or email.split("@")[0]


def new_user(
    *, account_id: str, account_number: int, email: str, user_type: int, status: str, role_id: str,
    created_at: str, base_url: str, first_name: str = "", last_name: str = "", display: str | None = None,
) -> dict[str, Any]:
    user_id = ids.new_id()
    pmi = ids.new_pmi()
    return {
        "id": user_id,
        "first_name": first_name,
        "last_name": last_name,
        "display_name": display or display_name(first_name, last_name, email),
        "email": email,
        "type": user_type,
        "role_name": ROLE_NAMES.get(role_id, "Member"),
        "pmi": pmi,
        "use_pmi": False,
        "personal_meeting_url": f"{base_url}/j/{pmi}?pwd={secrets.token_urlsafe(24)}",
        "timezone": "",
        "verified": 1 if status == "active" else 0,
        "dept": "",
        "created_at": created_at,
        "user_created_at": created_at,
        "last_client_version": "",
        "pic_url": "",
        "cms_user_id": "",
        "jid": f"{user_id.lower()}@xmpp.zoom.us",
        "group_ids": [],
        "im_group_ids": [],
        "account_id": account_id,
        "account_number": account_number,
        "language": "en-US",
        "phone_country": "",
        "phone_number": "",
        "phone_numbers": [],
        "status": status,
        "role_id": role_id,
        "login_types": [100],
        "company": "",
        "job_title": "",
        "location": "",
        "custom_attributes": [],
        "cluster": "us06",
    }


def new_host_key() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


# Fields a PATCH may set directly (the rest need their own rules below or other endpoints).
PLAIN_UPDATES = (
    "first_name", "last_name", "display_name", "dept", "company", "job_title", "cost_center", "language",
    "location", "manager", "phone_country", "phone_number", "phone_numbers", "timezone", "use_pmi",
    "cms_user_id", "pronouns", "pronouns_option", "about_me",
    "linkedin_url", "group_id", "division_ids", "zoom_one_type", "plan_united_type", "type",
)


def merge_attributes(current: list[dict[str, Any]], given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """custom_attributes are set per key: a PATCH changes the keys it names and keeps the others."""
    out = [dict(a) for a in current if isinstance(a, dict)]
    by_key = {a.get("key"): a for a in out if a.get("key")}
    for item in given:
        if not isinstance(item, dict):
            continue
        known = by_key.get(item.get("key")) if item.get("key") else None
        if known is None:
            out.append({k: v for k, v in item.items() if v is not None})
            if item.get("key"):
                by_key[item["key"]] = out[-1]
        else:
            known.update({k: v for k, v in item.items() if v is not None})
    return out


def pmi_url(current: str, base_url: str, pmi: str) -> str:
    """The personal meeting link follows the PMI; its passcode part stays."""
    _, _, query = current.partition("?")
    return f"{base_url}/j/{pmi}" + (f"?{query}" if query else "")


def list_item(doc: dict[str, Any], host_key: str, include: set[str]) -> dict[str, Any]:
    item = {k: doc[k] for k in LIST_FIELDS if k in doc}
    if "host_key" in include:
        item["host_key"] = host_key
    if "custom_attributes" in include:
        item["custom_attributes"] = doc.get("custom_attributes", [])
    return item
