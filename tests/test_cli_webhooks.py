"""`zoomsim serve --webhook-url URL` (or ZOOMSIM_WEBHOOK_URL) run as a user runs it: the default
app hears every event at URL, signed with the secret token the banner prints (and that
`credentials --json` gives)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx

from procs import CLI, serve_cli
from support import basic, free_port
from webhook_kit import Receiver, check_delivery, receiver  # noqa: F401



def _serve(db_url: str, *extra: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], dict[str, str]]:
    proc, _, printed = serve_cli(db_url, *extra, env=env)
    return proc, printed


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(10)


def _token(printed: dict[str, str]) -> str:
    r = httpx.post(printed["token URL"], params={"grant_type": "account_credentials",
                                                 "account_id": printed["account id"]},
                   headers={"Authorization": basic(printed["client id"], printed["client secret"])})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def _meeting(printed: dict[str, str]) -> dict[str, Any]:
    r = httpx.post(printed["API base URL"] + "/users/me/meetings", json={"topic": "From the CLI"},
                   headers={"Authorization": "Bearer " + _token(printed)})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_webhook_url_delivers_every_event_signed(tmp_path: Path, receiver: Receiver) -> None:  # noqa: F811
    db = f"sqlite:///{tmp_path / 'hooks.db'}"
    proc, printed = _serve(db, "--webhook-url", receiver.url)
    try:
        assert printed["webhooks"] == f"webhooks       every event to {receiver.url}"
        receiver.secret = printed["secret token"]
        meeting = _meeting(printed)
        (d,) = receiver.wait(1, "meeting.created")
        check_delivery(d)                        # signed with the printed token
        assert d.body["payload"]["object"]["id"] == meeting["id"]
        assert d.headers["clientid"] == printed["client id"]
        subs = httpx.get(f"{printed['API base URL'][:-3]}/_zoomsim/accounts/{printed['account id']}/apps/"
                         f"{printed['client id']}/event_subscriptions",
                         headers={"Authorization": "Bearer " + printed["admin key"]}).json()["event_subscriptions"]
        assert len(subs) == 1 and "meeting.created" in subs[0]["events"] and len(subs[0]["events"]) > 50
        assert receiver.validations == []        # not validated: the receiver may start after the server
    finally:
        _stop(proc)
    creds = json.loads(subprocess.run(CLI + ["credentials", "--db", db, "--json"], capture_output=True, text=True,
                                      check=True).stdout)
    assert creds["secret_token"] == printed["secret token"]
    proc2, printed2 = _serve(db, "--webhook-url", receiver.url)     # a second start replaces, not adds
    try:
        assert printed2["secret token"] == printed["secret token"]
        subs = httpx.get(f"{printed2['API base URL'][:-3]}/_zoomsim/accounts/{printed2['account id']}/apps/"
                         f"{printed2['client id']}/event_subscriptions",
                         headers={"Authorization": "Bearer " + printed2["admin key"]}).json()["event_subscriptions"]
        assert len(subs) == 1
    finally:
        _stop(proc2)


def test_webhook_url_from_the_environment(tmp_path: Path, receiver: Receiver) -> None:  # noqa: F811
    proc, printed = _serve(f"sqlite:///{tmp_path / 'env.db'}", env={"ZOOMSIM_WEBHOOK_URL": receiver.url})
    try:
        assert printed["webhooks"].endswith(receiver.url)
        receiver.secret = printed["secret token"]
        _meeting(printed)
        check_delivery(receiver.wait(1, "meeting.created")[0])
    finally:
        _stop(proc)


def test_a_bad_webhook_url_stops_serve(tmp_path: Path) -> None:
    out = subprocess.run(CLI + ["serve", "--db", f"sqlite:///{tmp_path / 'bad.db'}", "--port", str(free_port()),
                                "--webhook-url", "ftp://example.com/hook"], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "--webhook-url ftp://example.com/hook" in out.stderr and "Traceback" not in out.stderr


def test_credentials_json_has_the_secret_token(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'creds.db'}"
    made = json.loads(subprocess.run(CLI + ["init", "--db", db, "--json"], capture_output=True, text=True,
                                     check=True).stdout)
    creds = json.loads(subprocess.run(CLI + ["credentials", "--db", db, "--json"], capture_output=True, text=True,
                                      check=True).stdout)
    assert creds == made and isinstance(creds["secret_token"], str) and len(creds["secret_token"]) >= 8
    env = subprocess.run(CLI + ["credentials", "--db", db, "--env"], capture_output=True, text=True, check=True).stdout
    assert f"export SECRET_TOKEN={creds['secret_token']}" in env.splitlines()
