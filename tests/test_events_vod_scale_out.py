"""Hub hosts, VOD registrations and multipart parts under concurrent requests through two
servers of two workers each on one PostgreSQL database: no host added at once is lost, an
address registers for a channel once, and parts sent at once are all kept."""
from __future__ import annotations

from typing import Any

import httpx
from support import unique_email
from test_events_parts_scale_out import Pair, call, srv  # noqa: F401  (srv is a fixture)
from test_scale_out import fan_out, pg_url, tenant   # noqa: F401  (pg_url is a fixture)


def hub_of(srv: Pair, t: dict[str, Any]) -> str:  # noqa: F811
    return call(srv, t, "GET", "/zoom_events/hubs").json()["hubs"][0]["hub_id"]  # type: ignore[no-any-return]


def test_hosts_added_at_once_are_all_kept(srv: Pair) -> None:  # noqa: F811
    t = tenant(srv)
    hub = hub_of(srv, t)
    emails = [unique_email("host") for _ in range(24)]
    users = [srv.admin("POST", f"/accounts/{t['account_id']}/users", {"email": e})["id"] for e in emails]
    pending = iter(emails)
    answers = fan_out(lambda: call(srv, t, "POST", f"/zoom_events/hubs/{hub}/hosts", {"email": next(pending)}), 24)
    assert {r.status_code for r in answers} == {201}, [r.text for r in answers]
    listed = call(srv, t, "GET", f"/zoom_events/hubs/{hub}/hosts", None).json()
    assert listed["total_records"] == 25
    assert {h["host_user_id"] for h in listed["hosts"]} == {t["owner_id"], *users}


def test_an_address_registers_once(srv: Pair) -> None:  # noqa: F811
    t = tenant(srv)
    base = f"/zoom_events/hubs/{hub_of(srv, t)}/vod_channels"
    channel = call(srv, t, "POST", base, {"name": "Replays", "type": "VIDEO_LIST_HUB"}).json()["channel_id"]
    entry = {"email": unique_email("viewer"), "first_name": "A", "last_name": "B"}
    url = f"{base}/{channel}/registrations"
    answers = fan_out(lambda: call(srv, t, "POST", url, {"registrations": [entry]}), 100)
    assert {r.status_code for r in answers} == {201}
    assert len({r.json()["registrations"][0]["registration_id"] for r in answers}) == 1
    assert call(srv, t, "GET", url).json()["total_records"] == 1


def test_parts_sent_at_once_are_all_kept(srv: Pair) -> None:  # noqa: F811
    t = tenant(srv)
    made = call(srv, t, "POST", "/zoom_events/files/multipart/upload",
                {"method": "CreateMultipartUpload", "file_name": "a.pdf", "file_type": "other"})
    upload_id = made.json()["upload_id"]
    numbers = iter(range(1, 21))

    def send() -> httpx.Response:
        number = next(numbers)
        data = b"%PDF-1.4\n" if number == 1 else b"\x00" * 10
        return httpx.post(f"{srv.next_url()}/v2/zoom_events/files/multipart", timeout=60,
                          headers={"Authorization": f"Bearer {t['token']}", "Connection": "close"},
                          data={"part_number": str(number), "upload_context": upload_id},
                          files={"file": ("blob", data)})

    assert {r.status_code for r in fan_out(send, 20)} == {201}
    done = call(srv, t, "POST", "/zoom_events/files/multipart/upload",
                {"method": "CompleteMultipartUpload", "upload_id": upload_id, "part_count": "20"})
    # all 20 parts were kept (else part_count would not match: 300); the small parts then break the 5 MB rule
    assert (done.status_code, done.json()["code"]) == (400, 120), done.text
