"""Seed files on both backends: fixed credentials work at /oauth/token and the API, seeded
meetings are the API's own, a second seed changes nothing, and every bad file is one line on
stderr, exit status 2, with nothing written."""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import sqlalchemy as sa

from support import Server, basic, free_port
from zoomsim import cli
from zoomsim.app import create_app
from zoomsim.config import Config
from zoomsim.storage import schema

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "seed.yaml"
ZOOMSIM = [sys.executable, "-m", "zoomsim.cli"]    # the installed `zoomsim` script runs the same main()


@pytest.fixture(scope="module")
def engine(backend: str) -> Iterator[sa.Engine]:
    # A bad file may be the first thing to meet this database: set it up as `serve` would, since
    # `zoomsim seed` does that (committed on its own) before its one transaction.
    app = create_app(Config(db_url=backend))
    yield app.services.storage.engine
    app.services.storage.dispose()


def tag() -> str:
    return secrets.token_hex(4)


def write(tmp_path: Path, text: str, name: str = "seed.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def seed(backend: str, path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    """`zoomsim seed` in this process (cli.main, as the script calls it)."""
    code = cli.main(["seed", str(path), "--db", backend, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(engine: sa.Engine, account_ids: list[str]) -> dict[str, list[Any]]:
    """Every row the seed could have written for these accounts, plus the shared generation."""
    tables = ("accounts", "users", "apps", "meetings")
    out: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for name in tables:
            t = schema.metadata.tables[name]
            key = t.c.id if name == "accounts" else t.c.account_id
            out[name] = sorted(tuple(r) for r in conn.execute(sa.select(t).where(key.in_(account_ids))))
        out["counts"] = [conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar() for name in tables]
        out["generation"] = list(conn.execute(sa.text("SELECT * FROM runtime_state")))
    return out


def token(server: Server, account_id: str, client_id: str, secret: str) -> httpx.Response:
    return httpx.post(f"{server.url}/oauth/token", params={"grant_type": "account_credentials", "account_id": account_id},
                      headers={"Authorization": basic(client_id, secret)})


def tenant_file(t: str, meetings: str = "") -> str:
    return f"""\
accounts:
  - id: acct-{t}
    plan: pro
    name: Seeded {t}
    licences: {{webinar: true}}
    owner: {{email: owner-{t}@seed.example.com, first_name: Olive, last_name: Owner}}
    users:
      - {{email: alice-{t}@seed.example.com, first_name: Alice, role: admin}}
      - {{email: bob-{t}@seed.example.com, type: 1, status: active}}
    apps:
      - client_id: cid{t}all
        client_secret: secret-{t}-all
        scopes: all
      - client_id: cid{t}ro
        client_secret: secret-{t}-ro
        user: alice-{t}@seed.example.com
        scopes: [meeting:read:admin]
    meetings:
      - topic: Standup {t}
        start_time: "2031-03-02T09:30:00"
        timezone: America/New_York
        duration: 15
        settings: {{waiting_room: true, jbh_time: 5}}
      - key: demo
        host: alice-{t}@seed.example.com
        topic: Demo {t}
        type: 8
        start_time: 2031-03-03T15:00:00Z        # unquoted: still text, read as the API reads it
        recurrence: {{type: 1, repeat_interval: 1, end_times: 3}}
{meetings}"""


# ---- what a seed makes ---------------------------------------------------------------------------

def test_fixed_credentials_work_for_token_and_api(backend: str, server: Server, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    t = tag()
    path = write(tmp_path, tenant_file(t))
    res = subprocess.run(ZOOMSIM + ["seed", str(path), "--db", backend, "--json"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["created"] == {"accounts": 1, "users": 2, "apps": 2, "meetings": 2, "webinars": 0}

    r = token(server, f"acct-{t}", f"cid{t}all", f"secret-{t}-all")
    assert r.status_code == 200, r.text
    auth = {"Authorization": "Bearer " + r.json()["access_token"]}
    me = httpx.get(f"{server.url}/v2/users/me", headers=auth).json()
    assert (me["email"], me["first_name"], me["account_id"]) == (f"owner-{t}@seed.example.com", "Olive", f"acct-{t}")
    users = httpx.get(f"{server.url}/v2/users", headers=auth).json()["users"]
    by_email = {u["email"]: u for u in users}
    assert by_email[f"bob-{t}@seed.example.com"]["type"] == 1
    assert by_email[f"alice-{t}@seed.example.com"]["role_id"] == "1"

    # meetings are the API's own: full settings with defaults, passcode, links, UTC times, occurrences
    listed = httpx.get(f"{server.url}/v2/users/me/meetings", headers=auth).json()["meetings"]
    standup = next(m for m in listed if m["topic"] == f"Standup {t}")
    got = httpx.get(f"{server.url}/v2/meetings/{standup['id']}", headers=auth).json()
    assert got["start_time"] == "2031-03-02T14:30:00Z" and got["timezone"] == "America/New_York"
    assert got["settings"]["waiting_room"] is True and got["settings"]["jbh_time"] == 5
    assert "host_video" in got["settings"] and "approval_type" in got["settings"]      # defaults filled in
    assert len(got["password"]) == 6 and got["join_url"].startswith("http://127.0.0.1:8000/j/")
    alice_id = by_email[f"alice-{t}@seed.example.com"]["id"]
    demo = httpx.get(f"{server.url}/v2/users/{alice_id}/meetings", headers=auth).json()["meetings"]
    assert [m["topic"] for m in demo] == [f"Demo {t}"]
    occ = httpx.get(f"{server.url}/v2/meetings/{demo[0]['id']}", headers=auth).json()["occurrences"]
    assert len(occ) == 3

    # the second app: its own user, only the scopes the file gave
    r = token(server, f"acct-{t}", f"cid{t}ro", f"secret-{t}-ro")
    assert r.status_code == 200 and r.json()["scope"] == "meeting:read:admin"
    ro = {"Authorization": "Bearer " + r.json()["access_token"]}
    assert httpx.get(f"{server.url}/v2/meetings/{standup['id']}", headers=ro).status_code == 200
    denied = httpx.post(f"{server.url}/v2/users/me/meetings", headers=ro, json={"topic": "x"})
    assert denied.status_code == 400 and denied.json()["code"] == 4711
    assert token(server, f"acct-{t}", f"cid{t}ro", "wrong").json()["error"] == "invalid_client"


def test_seeding_twice_changes_nothing(backend: str, engine: sa.Engine, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    t = tag()
    path = write(tmp_path, tenant_file(t))
    code, out, err = seed(backend, path, capsys)
    assert code == 0 and err == ""
    assert out.strip() == f"zoomsim seed: {path}: created 1 account, 2 users, 2 apps, 2 meetings; already there nothing"
    before = snapshot(engine, [f"acct-{t}"])
    assert len(before["meetings"]) == 2

    code, out, err = seed(backend, path, capsys)
    assert code == 0 and err == ""
    assert out.strip() == f"zoomsim seed: {path}: created nothing; already there 1 account, 2 users, 2 apps, 2 meetings"
    assert snapshot(engine, [f"acct-{t}"]) == before     # same rows, same ids, same generation

    # a meeting with a key is found by its key (the topic may change); without one, by topic
    edited = tenant_file(t).replace(f"topic: Demo {t}", f"topic: Demo renamed {t}")
    edited += f"      - topic: Retro {t}\n"
    code, out, _ = seed(backend, write(tmp_path, edited, "edited.yaml"), capsys)
    assert code == 0
    assert "created 1 meeting; already there 1 account, 2 users, 2 apps, 2 meetings" in out
    assert len(snapshot(engine, [f"acct-{t}"])["meetings"]) == 3


def test_json_file_and_derived_account_id(backend: str, server: Server, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Without `id` the account id comes from the owner's email, so a second seed finds it."""
    from zoomsim.seeding import derived_account_id

    t = tag()
    doc = {"accounts": [{"owner": {"email": f"json-{t}@seed.example.com"}, "plan": "free",
                         "apps": [{"client_id": f"json{t}", "client_secret": f"s{t}", "scopes": "user:read:admin"}]}]}
    path = write(tmp_path, json.dumps(doc, indent=2), "seed.json")
    code, out, err = seed(backend, path, capsys, "--json")
    assert code == 0, err
    summary = json.loads(out)
    account_id = derived_account_id(f"json-{t}@seed.example.com")
    assert summary["accounts"][0]["id"] == account_id and summary["created"]["accounts"] == 1
    r = token(server, account_id, f"json{t}", f"s{t}")
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == "user:read:admin"
    me = httpx.get(f"{server.url}/v2/users/me", headers={"Authorization": "Bearer " + r.json()["access_token"]}).json()
    assert me["type"] == 1          # a free account's owner is a basic user
    code, out, _ = seed(backend, path, capsys, "--json")
    assert json.loads(out)["existing"] == {"accounts": 1, "users": 0, "apps": 1, "meetings": 0, "webinars": 0}


def test_example_file_is_valid_and_idempotent(backend: str, server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = seed(backend, EXAMPLE, capsys, "--json")
    assert code == 0, err
    summary = json.loads(out)
    total = {k: summary["created"][k] + summary["existing"][k] for k in summary["created"]}
    assert total == {"accounts": 1, "users": 3, "apps": 2, "meetings": 2, "webinars": 1}
    r = token(server, "ci-account-0001", "ciClientId0000000000001", "ciClientSecret0000000000000000001")
    assert r.status_code == 200, r.text
    code, out, _ = seed(backend, EXAMPLE, capsys, "--json")
    assert json.loads(out)["created"] == {"accounts": 0, "users": 0, "apps": 0, "meetings": 0, "webinars": 0}


def test_two_seeds_at_once_create_once(backend: str, engine: sa.Engine, tmp_path: Path) -> None:
    t = tag()
    path = write(tmp_path, tenant_file(t))
    procs = [subprocess.Popen(ZOOMSIM + ["seed", str(path), "--db", backend, "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(code == 0 for _, _, code in results), results
    created = sorted(json.loads(out)["created"]["meetings"] for out, _, _ in results)
    assert created == [0, 2]
    assert len(snapshot(engine, [f"acct-{t}"])["meetings"]) == 2


# ---- serve --seed -----------------------------------------------------------------------------------

def _start(args: list[str]) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen(ZOOMSIM + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "admin key" in line or "admin API" in line:
            break
    return proc, lines


def test_serve_seeds_before_the_banner(backend: str, tmp_path: Path) -> None:
    t = tag()
    path = write(tmp_path, tenant_file(t))
    port = free_port()
    proc, lines = _start(["serve", "--db", backend, "--port", str(port), "--seed", str(path),
                          "--public-url", f"http://seed.test:{port}"])
    try:
        assert lines[0] == f"zoomsim seed: {path}: created 1 account, 2 users, 2 apps, 2 meetings; already there nothing"
        assert lines[1].startswith("zoomsim ")      # then the banner
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while True:
            try:
                r = httpx.post(f"{url}/oauth/token", params={"grant_type": "account_credentials",
                                                             "account_id": f"acct-{t}"},
                               headers={"Authorization": basic(f"cid{t}all", f"secret-{t}-all")})
                break
            except httpx.TransportError:
                assert time.time() < deadline, lines
                time.sleep(0.05)
        assert r.status_code == 200, r.text
        meetings = httpx.get(f"{url}/v2/users/me/meetings",
                             headers={"Authorization": "Bearer " + r.json()["access_token"]}).json()["meetings"]
        assert meetings[0]["join_url"].startswith(f"http://seed.test:{port}/j/")   # the server's own public URL
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_refuses_a_bad_seed_file(backend: str, tmp_path: Path) -> None:
    path = write(tmp_path, "accounts:\n  - id: x\n    plan: gold\n")
    res = subprocess.run(ZOOMSIM + ["serve", "--db", backend, "--port", str(free_port()), "--seed", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert res.stdout == ""
    assert res.stderr.splitlines() == [f"zoomsim serve: {path}:3: accounts[0].plan: unknown plan 'gold' "
                                       "(one of free, pro, business, business_plus, enterprise, education)"]


# ---- bad files: one line, exit 2, nothing written ------------------------------------------------------

BAD = [
    ("bad_yaml", "accounts:\n  - id: a\n   plan: pro\n", ":3: not valid YAML: expected <block end>"),
    ("tab_yaml", "accounts:\n\t- id: a\n", ":2: not valid YAML: found character '\\t'"),
    ("python_tag", "accounts: !!python/object/apply:os.system [echo hi]\n", ":1: not valid YAML: could not determine"),
    ("empty", "", ": the file is empty"),
    ("not_a_mapping", "- 1\n- 2\n", ": must be a mapping, not a list"),
    ("unknown_top", "acounts: []\n", ":1: acounts: unknown field (expected one of: accounts, faults, x-...)"),
    ("accounts_type", "accounts: {{id: a}}\n", ":1: accounts: must be a list, not a mapping"),
    ("unknown_plan", "accounts:\n  - id: A{t}\n    plan: gold\n", ":3: accounts[0].plan: unknown plan 'gold'"),
    ("plan_type", "accounts:\n  - id: A{t}\n    plan: 3\n", ":3: accounts[0].plan: unknown plan 3"),
    ("bad_email", "accounts:\n  - id: A{t}\n    users:\n      - {{email: a{t}@x.com}}\n      - {{email: b{t}@x.com}}\n"
                  "      - {{email: not-an-email}}\n", ":6: accounts[0].users[2].email: not an email address"),
    ("email_type", "accounts:\n  - id: A{t}\n    users: [{{email: 42}}]\n",
     ":3: accounts[0].users[0].email: must be text, not a number"),
    ("user_type", "accounts:\n  - id: A{t}\n    users: [{{email: u{t}@x.com, type: licensed}}]\n",
     ":3: accounts[0].users[0].type: 'licensed' is not one of 1, 2, 4, 99"),
    ("role", "accounts:\n  - id: A{t}\n    users: [{{email: u{t}@x.com, role: owner}}]\n",
     ":3: accounts[0].users[0].role: 'owner' is not one of admin, member"),
    ("licence_type", "accounts:\n  - id: A{t}\n    licences: {{webinar: maybe}}\n",
     ":3: accounts[0].licences.webinar: must be true or false"),
    ("unknown_user_field", "accounts:\n  - id: A{t}\n    users:\n      - email: u{t}@x.com\n        emial: x\n",
     ":5: accounts[0].users[0].emial: unknown field"),
    ("twice", "accounts:\n  - id: A{t}\n    plan: pro\n    plan: free\n", ":4: accounts[0].plan: given twice"),
    ("dup_email", "accounts:\n  - id: A{t}\n    owner: {{email: o{t}@x.com}}\n    users: [{{email: O{t}@x.com}}]\n",
     ":4: accounts[0].users[0].email: O{t}@x.com is already the owner or another user here"),
    ("no_identity", "accounts:\n  - plan: pro\n", ":2: accounts[0]: give an `id` or an `owner.email`"),
    ("bad_id", "accounts:\n  - id: 'a b'\n", ":2: accounts[0].id: must be 1 to 64 letters"),
    ("no_secret", "accounts:\n  - id: A{t}\n    apps: [{{client_id: c{t}}}]\n",
     ":3: accounts[0].apps[0].client_secret: missing"),
    ("unknown_scope", "accounts:\n  - id: A{t}\n    apps:\n      - {{client_id: c{t}, client_secret: s, scopes: [meeting:read, meeting:reed]}}\n",
     ":4: accounts[0].apps[0].scopes[1]: unknown scope 'meeting:reed'"),
    ("dup_client_in_file", "accounts:\n  - id: A{t}\n    apps: [{{client_id: c{t}, client_secret: s}}]\n"
                           "  - id: B{t}\n    apps: [{{client_id: c{t}, client_secret: s}}]\n",
     ":5: accounts[1].apps[0].client_id: client id c{t} is also accounts[0].apps[0]"),
    ("meeting_schema", "accounts:\n  - id: A{t}\n    meetings:\n      - topic: x\n        type: 7\n",
     ":5: accounts[0].meetings[0].type: refused by the meeting API's request schema: Invalid field."),
    ("meeting_setting", "accounts:\n  - id: A{t}\n    meetings:\n      - topic: x\n        settings:\n"
                        "          host_vidoe: true\n", ":6: accounts[0].meetings[0].settings.host_vidoe: unknown meeting setting"),
    ("meeting_field", "accounts:\n  - id: A{t}\n    meetings:\n      - {{topic: x, start: '2030-01-01'}}\n",
     ":4: accounts[0].meetings[0].start: unknown field"),
    ("meeting_dup", "accounts:\n  - id: A{t}\n    meetings:\n      - {{topic: x}}\n      - {{topic: x}}\n",
     ":5: accounts[0].meetings[1]: same host and topic as accounts[0].meetings[0]"),
    ("schedule_for", "accounts:\n  - id: A{t}\n    meetings:\n      - {{topic: x, schedule_for: a@x.com}}\n",
     ":4: accounts[0].meetings[0].schedule_for: not taken in a seed file"),
    # found only while applying: the account and users before it are rolled back with it
    ("meeting_timezone", "accounts:\n  - id: A{t}\n    users: [{{email: u{t}@x.com}}]\n    meetings:\n"
                         "      - {{topic: x, timezone: Mars/Olympus}}\n",
     ":5: accounts[0].meetings[0].timezone: refused by the meeting API: Invalid field."),
    ("unknown_host", "accounts:\n  - id: A{t}\n    users: [{{email: u{t}@x.com}}]\n    meetings:\n"
                     "      - {{topic: x, host: nobody{t}@x.com}}\n",
     ":5: accounts[0].meetings[0].host: no user nobody{t}@x.com in account A{t}"),
]


@pytest.mark.parametrize("name,text,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_one_line_exit_2_nothing_written(backend: str, engine: sa.Engine, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     name: str, text: str, expected: str) -> None:
    t = tag()
    path = write(tmp_path, text.format(t=t))
    before = snapshot(engine, [f"A{t}", f"B{t}"])
    code, out, err = seed(backend, path, capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"zoomsim seed: {path}"), err
    assert expected.format(t=t) in err, err
    assert snapshot(engine, [f"A{t}", f"B{t}"]) == before


def test_client_id_of_another_account_writes_nothing(backend: str, engine: sa.Engine, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    t = tag()
    assert seed(backend, write(tmp_path, tenant_file(t)), capsys)[0] == 0
    other = (f"accounts:\n  - id: other-{t}\n    users: [{{email: u{t}@x.com}}]\n"
             f"    apps:\n      - {{client_id: cid{t}all, client_secret: secret-{t}-all}}\n")
    before = snapshot(engine, [f"acct-{t}", f"other-{t}"])
    code, out, err = seed(backend, write(tmp_path, other, "other.yaml"), capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"zoomsim seed: {tmp_path / 'other.yaml'}:5: accounts[0].apps[0].client_id: "
                                f"client id cid{t}all already belongs to another account (acct-{t})"]
    assert snapshot(engine, [f"acct-{t}", f"other-{t}"]) == before
    # the same client id with another secret in its own account: refused too (CI's secret would fail)
    changed = tenant_file(t).replace(f"client_secret: secret-{t}-ro", "client_secret: changed")
    code, _, err = seed(backend, write(tmp_path, changed, "changed.yaml"), capsys)
    assert code == 2 and f"client id cid{t}ro already exists with another secret" in err


def test_script_errors_have_no_traceback(backend: str, tmp_path: Path) -> None:
    """The real binary: a bad file and a missing one are one line and exit 2."""
    bad = write(tmp_path, "accounts:\n  - id: x\n    users: [{email: nope}]\n")
    for path in (bad, tmp_path / "missing.yaml"):
        res = subprocess.run([str(Path(sys.executable).parent / "zoomsim"), "seed", str(path), "--db", backend],
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 2 and res.stdout == ""
        assert len(res.stderr.splitlines()) == 1 and "Traceback" not in res.stderr, res.stderr
    assert "accounts[0].users[0].email: not an email address" in subprocess.run(
        [sys.executable, "-m", "zoomsim.cli", "seed", str(bad), "--db", backend],
        capture_output=True, text=True, timeout=60).stderr


def test_a_bad_file_never_touches_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Checks that need no database run first: a fresh SQLite path is not even created."""
    db = tmp_path / "fresh.db"
    code, _, err = seed(f"sqlite:///{db}", write(tmp_path, "accounts:\n  - {id: a, plan: gold}\n"), capsys)
    assert code == 2 and "unknown plan" in err
    assert not db.exists()


def test_an_app_made_again_does_not_revive_old_tokens(server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Deleting an app and seeding the same client id and secret again makes a new app: tokens of
    the old one stay refused, a new token works."""
    import httpx

    from support import Admin, basic
    from zoomsim.seeding import seed_file

    account = f"revive-{tmp_path.name[-8:]}"
    f = tmp_path / "seed.yaml"
    f.write_text(f"accounts:\n  - id: {account}\n    owner: {{email: o@{account}.example.com}}\n"
                 f"    apps:\n      - {{client_id: {account}-app, client_secret: s3cret-{account}, scopes: all}}\n")
    seed_file(server.app, f)

    def token() -> str:
        r = httpx.post(server.url + "/oauth/token", params={"grant_type": "account_credentials", "account_id": account},
                       headers={"Authorization": basic(f"{account}-app", f"s3cret-{account}")})
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])

    old = token()
    me = lambda t: httpx.get(server.url + "/v2/users/me", headers={"Authorization": f"Bearer {t}"}).status_code  # noqa: E731
    assert me(old) == 200
    Admin(server).call("DELETE", f"/accounts/{account}/apps/{account}-app")
    seed_file(server.app, f)
    assert me(old) == 401
    assert me(token()) == 200


def test_webinars_and_webinar_licences(backend: str, server: Server, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`webinars:` goes through the webinar-create operation; `features` grants the licence a
    host needs; a webinar and a meeting may share a topic (they are different lists)."""
    t = secrets.token_hex(3)
    text = tenant_file(t).replace("role: admin}", "role: admin, features: {webinar: 3000}}") + f"""\
    webinars:
      - topic: Standup {t}
        host: alice-{t}@seed.example.com
        type: 9
        start_time: "2031-04-01T16:00:00Z"
        recurrence: {{type: 2, weekly_days: "3", end_times: 2}}
"""
    path = tmp_path / "w.yaml"
    path.write_text(text)
    code, out, err = seed(backend, path, capsys, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["created"]["webinars"] == 1 and summary["created"]["meetings"] == 2
    made = summary["accounts"][0]["webinars"][0]
    r = token(server, f"acct-{t}", f"cid{t}all", f"secret-{t}-all")
    auth = {"Authorization": "Bearer " + r.json()["access_token"]}
    got = httpx.get(f"{server.url}/v2/webinars/{made['id']}", headers=auth).json()
    assert got["type"] == 9 and len(got["occurrences"]) == 2
    code, out, _ = seed(backend, path, capsys, "--json")
    assert json.loads(out)["existing"]["webinars"] == 1 and json.loads(out)["created"]["webinars"] == 0

    unlicensed = tmp_path / "u.yaml"
    unlicensed.write_text(text.replace("host: alice-", "host: bob-").replace(f"Standup {t}\n        host", f"Other {t}\n        host"))
    code, _, err = seed(backend, unlicensed, capsys)
    assert code != 0 and "webinar" in err and "Webinar plan is missing" in err and len(err.strip().splitlines()) == 1
