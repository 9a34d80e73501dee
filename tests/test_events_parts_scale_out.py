"""The event-scoped caps and unique values hold under concurrent requests through two servers
of two workers each on one PostgreSQL database: one speaker per e-mail, the speaker cap, unique access link names,
one default access link, the co-editor cap."""
from __future__ import annotations

import itertools
from typing import Any, Iterator

import httpx
import pytest

from procs import ServeProcess
from support import unique_email
from test_scale_out import fan_out, pg_url, tenant   # noqa: F401  (pg_url is a fixture)


class Pair:
    """Two servers on one database; requests alternate between them."""

    def __init__(self, a: ServeProcess, b: ServeProcess) -> None:
        self.servers = (a, b)
        self.url = a.url
        self._turn = itertools.count()

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        return self.servers[0].admin(method, path, body)

    def token(self, client_id: str, secret: str, account_id: str) -> str:
        return self.servers[0].token(client_id, secret, account_id)

    def next_url(self) -> str:
        return self.servers[next(self._turn) % 2].url


@pytest.fixture(scope="module")
def srv(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:  # noqa: F811
    log = tmp_path_factory.mktemp("parts") / "serve.log"
    a = ServeProcess(pg_url, workers=2, rate_limits=False, log=log).start()
    b = ServeProcess(pg_url, workers=2, rate_limits=False, log=log).start()
    yield Pair(a, b)
    a.stop()
    b.stop()


def call(srv: Pair, t: dict[str, Any], method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, f"{srv.next_url()}/v2{path}", json=body, timeout=60,
                         headers={"Authorization": f"Bearer {t['token']}", "Connection": "close"})


def event(srv: Pair, t: dict[str, Any]) -> str:
    hub = call(srv, t, "GET", "/zoom_events/hubs").json()["hubs"][0]["hub_id"]
    r = call(srv, t, "POST", "/zoom_events/events", {
        "name": "Scale", "description": "", "timezone": "UTC", "event_type": "CONFERENCE", "access_level": "PUBLIC",
        "attendance_type": "virtual", "hub_id": hub,
        "calendar": [{"start_time": "2031-03-10T15:00:00Z", "end_time": "2031-03-10T18:00:00Z"}]})
    assert r.status_code == 201, r.text
    return r.json()["event_id"]  # type: ignore[no-any-return]


def codes(answers: list[httpx.Response]) -> list[tuple[int, Any]]:
    return sorted((r.status_code, r.json().get("code")) for r in answers)


def test_one_speaker_per_email_and_the_cap(srv: Pair) -> None:
    t = tenant(srv)
    event_id = event(srv, t)
    path = f"/zoom_events/events/{event_id}/speakers"
    same = fan_out(lambda: call(srv, t, "POST", path, {"name": "Same", "email": "same@example.com"}), 100)
    assert codes(same).count((201, None)) == 1 and codes(same).count((400, 1003)) == 99
    for i in range(269):
        assert call(srv, t, "POST", path, {"name": f"S{i}"}).status_code == 201
    late = fan_out(lambda: call(srv, t, "POST", path, {"name": "Late"}), 100)
    assert codes(late).count((201, None)) == 30 and codes(late).count((403, 3002)) == 70
    assert call(srv, t, "GET", path).json()["total_records"] == 300


def test_unique_link_names_and_one_default(srv: Pair) -> None:
    t = tenant(srv)
    event_id = event(srv, t)
    path = f"/zoom_events/events/{event_id}/access_links"
    same = fan_out(lambda: call(srv, t, "POST", path, {"name": "Main", "type": "registration",
                                                       "authentication_method": "bypass_auth"}), 100)
    assert codes(same).count((201, None)) == 1 and codes(same).count((400, 261203)) == 99
    defaults = fan_out(lambda: call(srv, t, "POST", path, {"name": unique_email("link"), "type": "registration",
                                                           "authentication_method": "bypass_auth",
                                                           "is_default": True}), 40)
    assert {r.status_code for r in defaults} == {201}
    links = call(srv, t, "GET", path).json()["access_links"]
    assert len(links) == 41 and sum(link["is_default"] for link in links) == 1


def test_the_coeditor_cap(srv: Pair) -> None:
    t = tenant(srv)
    event_id = event(srv, t)
    emails = [unique_email("co") for _ in range(12)]
    for email in emails:
        srv.admin("POST", f"/accounts/{t['account_id']}/users", {"email": email})
    pending = iter(emails)
    answers = fan_out(lambda: call(srv, t, "PATCH", f"/zoom_events/events/{event_id}/coeditors",
                                   {"operation": "add", "coeditors": [{"email": next(pending)}]}), 12)
    assert {r.status_code for r in answers} == {201}
    assert sum(not r.json()["errors"] for r in answers) == 3
    assert call(srv, t, "GET", f"/zoom_events/events/{event_id}/coeditors").json()["total_records"] == 3
