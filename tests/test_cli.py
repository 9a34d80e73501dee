"""The command line as a user runs it: serve (twice on one file), credentials, coverage."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from procs import CLI, serve_cli
from support import basic


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'cli.db'}"


def test_serve_prints_credentials_that_work(db: str) -> None:
    proc, port, printed = serve_cli(db)
    try:
        assert printed["API base URL"] == f"http://127.0.0.1:{port}/v2"
        assert printed["token URL"] == f"http://127.0.0.1:{port}/oauth/token"
        r = httpx.post(printed["token URL"], params={"grant_type": "account_credentials", "account_id": printed["account id"]},
                       headers={"Authorization": basic(printed["client id"], printed["client secret"])})
        assert r.status_code == 200, r.text
        me = httpx.get(printed["API base URL"] + "/users/me", headers={"Authorization": "Bearer " + r.json()["access_token"]})
        assert me.status_code == 200
        assert me.json()["role_name"] == "Owner"
        acct = httpx.get(f"http://127.0.0.1:{port}/_zoomsim/accounts/{printed['account id']}",
                         headers={"Authorization": "Bearer " + printed["admin key"]}).json()
        assert acct["plan"] == "business"
        assert acct["licences"]["webinar"] and acct["licences"]["zoom_events"]
        assert printed["dashboard"] == f"http://127.0.0.1:{port}/_zoomsim/ui/"
        board = httpx.get(printed["dashboard"], follow_redirects=True)
        assert board.status_code == 200 and 'name="admin_key"' in board.text      # the sign-in form
    finally:
        proc.terminate()
        proc.wait(10)
    proc2, _, printed2 = serve_cli(db)
    try:
        for label in ("account id", "client id", "client secret", "admin key"):
            assert printed2[label] == printed[label]
    finally:
        proc2.terminate()
        proc2.wait(10)


def test_credentials_json(db: str) -> None:
    made = json.loads(subprocess.run(CLI + ["init", "--db", db, "--json"], capture_output=True, text=True,
                                     check=True).stdout)
    out = subprocess.run(CLI + ["credentials", "--db", db, "--json"], capture_output=True, text=True, check=True)
    creds = json.loads(out.stdout)
    assert creds == made
    assert set(creds) == {"account_id", "client_id", "client_secret", "secret_token", "admin_key"}
    again = json.loads(subprocess.run(CLI + ["credentials", "--db", db, "--json"], capture_output=True, text=True,
                                      check=True).stdout)
    assert again == creds


def test_no_rate_limits_flag_is_reported(db: str) -> None:
    proc, _, printed = serve_cli(db, "--no-rate-limits")
    proc.terminate()
    proc.wait(10)
    assert "(rate limits off)" in printed["text"]


def test_coverage_lists_families_and_missing() -> None:
    out = subprocess.run(CLI + ["coverage"], capture_output=True, text=True, check=True).stdout
    for family in ("v2 meetings", "v2 webinars", "v2 reports", "v2 phones/tsp/tracking", "v2 users", "events", "v1"):
        assert family in out
    users_line = next(line for line in out.splitlines() if line.startswith("v2 users"))
    done, total = [int(x) for x in users_line.split()[-3::2]]
    assert done >= 5 and total >= done
    missing = subprocess.run(CLI + ["coverage", "--missing"], capture_output=True, text=True, check=True).stdout
    assert "GET /v2/meetings/{meetingId}/recordings (recordingGet)" in missing
    assert "GET /v2/users/{userId} (user)" not in missing
    data = json.loads(subprocess.run(CLI + ["coverage", "--json"], capture_output=True, text=True, check=True).stdout)
    assert sum(row["total"] for row in data) >= 300
