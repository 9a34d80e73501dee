"""Fault rules in seed files (`faults:`), both backends: a seeded rule faults requests on a running
server, seeding again finds it (by its `id` or the id derived from its content) and changes
nothing, `expires_in` counts from the seed on zoomsim's clock, and a bad rule is one line naming
file, line and field, exit 2, with nothing written."""
from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import sqlalchemy as sa
import yaml

from support import Admin, Api, Server
from zoomsim.app import create_app
from zoomsim.config import Config
from zoomsim.seeding import derived_fault_id, seed_file
from zoomsim.storage import schema

from test_seed import seed, write       # the seed tests' helpers

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "seed.yaml"


@pytest.fixture(scope="module")
def engine(backend: str) -> Iterator[sa.Engine]:
    app = create_app(Config(db_url=backend))        # set up as `serve` would, before a bad file meets it
    yield app.services.storage.engine
    app.services.storage.dispose()


@pytest.fixture
def rules(admin: Admin) -> Iterator[list[str]]:
    """Ids of the rules a test seeds: removed afterwards (rules are server-wide)."""
    ids: list[str] = []
    yield ids
    for rule_id in ids:
        admin.http.delete(f"/_zoomsim/faults/{rule_id}")


def listed(admin: Admin, rule_id: str) -> list[dict[str, Any]]:
    return [r for r in admin.call("GET", "/faults")["faults"] if r["id"] == rule_id]


def snapshot(engine: sa.Engine, account_ids: list[str]) -> dict[str, Any]:
    with engine.connect() as conn:
        return {"faults": sorted(tuple(r) for r in conn.execute(sa.text("SELECT * FROM fault_rules"))),
                "accounts": sorted(tuple(r) for r in conn.execute(
                    sa.select(schema.accounts).where(schema.accounts.c.id.in_(account_ids)))),
                "generation": list(conn.execute(sa.text("SELECT * FROM runtime_state")))}


def test_seed_then_serve_the_rule_faults_once(backend: str, admin: Admin, api: Api, engine: sa.Engine,
                                              rules: list[str], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`zoomsim seed FILE` then `zoomsim serve`, as a CI job does: the first create is the rule's
    503, the second the API's 201; seeding again finds the rule and leaves it, counts and all."""
    path = write(tmp_path, f"""\
faults:
  - match: {{operation: meetingCreate, account_id: {api.account_id}}}
    effect: {{status: 503}}
    times: 1
""")
    body = {"match": {"operation": "meetingCreate", "account_id": api.account_id}, "effect": {"status": 503},
            "times": 1}
    rule_id = derived_fault_id(body)
    rules.append(rule_id)
    code, out, err = seed(backend, path, capsys, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["faults"] == [{"id": rule_id, "created": True}]
    assert summary["created"]["faults"] == 1 and summary["existing"]["faults"] == 0

    srv = Server(backend, rate_limits=False).start()
    try:
        fresh = Api(srv, api.account_id, api.owner_id, api.client_id, api.client_secret, api.scopes,
                    httpx.Client(base_url=srv.url, timeout=30))
        fresh.fetch_token()
        r = fresh.post("/users/me/meetings", json={"topic": "faulted"})
        assert r.status_code == 503 and r.json() == {"code": 503, "message": "Service Unavailable. Try again later."}
        assert r.headers["Retry-After"] == "1"
        assert fresh.post("/users/me/meetings", json={"topic": "made"}).status_code == 201
        [stored] = listed(admin, rule_id)
        assert (stored["times"], stored["matched"], stored["fired"]) == (1, 2, 1)
        assert stored["match"] == body["match"] and stored["effect"]["status"] == 503

        # nothing written the second time, not even the shared generation
        before = snapshot(engine, [])
        code, out, err = seed(backend, path, capsys)
        assert (code, err) == (0, "")
        assert out.strip() == f"zoomsim seed: {path}: created nothing; already there 1 fault"
        assert snapshot(engine, []) == before
        assert len(listed(admin, rule_id)) == 1
        assert fresh.post("/users/me/meetings", json={"topic": "still made"}).status_code == 201   # stays used
    finally:
        srv.stop()


def test_an_explicit_id_is_kept_and_a_running_server_reloads(admin: Admin, api: Api, rules: list[str],
                                                             tmp_path: Path) -> None:
    """seed_file(app) is what `serve --seed` calls: the running app's workers reload the rules."""
    rule_id = f"storm-{secrets.token_hex(4)}"
    rules.append(rule_id)
    assert api.get("/users/me").status_code == 200          # the server has loaded the rules as they were
    path = write(tmp_path, json.dumps({"faults": [
        {"id": rule_id, "match": {"operation": "user", "app_id": api.client_id}, "effect": {"status": 500},
         "probability": 1, "seed": 7}]}), "seed.json")
    summary = seed_file(api.server.app, path)
    assert summary["faults"] == [{"id": rule_id, "created": True}]
    got = admin.call("GET", f"/faults/{rule_id}")
    assert got["seed"] == 7 and got["times"] is None and got["expires_at"] is None
    assert api.get("/users/me").status_code == 500
    again = seed_file(api.server.app, path)
    assert again["faults"] == [{"id": rule_id, "created": False}] and again["existing"]["faults"] == 1
    assert len(listed(admin, rule_id)) == 1


def test_expires_in_counts_from_the_seed_on_zoomsims_clock(backend: str, clock: Admin, api: Api,
                                                           rules: list[str], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    clock.clock(now="2026-06-01T12:00:00Z")
    api.fetch_token()
    t = secrets.token_hex(4)
    rules.extend([f"brief-{t}", f"cli-{t}"])
    text = f"""\
faults:
  - id: {{id}}
    match: {{{{operation: user, app_id: {api.client_id}}}}}
    effect: {{{{status: 500}}}}
    expires_in: 60
"""
    seed_file(api.server.app, write(tmp_path, text.format(id=f"brief-{t}"), "serve.yaml"))   # serve --seed
    clock.clock(advance_seconds=30)
    assert seed(backend, write(tmp_path, text.format(id=f"cli-{t}")), capsys)[0] == 0        # zoomsim seed
    got = [clock.call("GET", f"/faults/{rid}") for rid in (f"brief-{t}", f"cli-{t}")]
    assert [(g["created_at"], g["expires_at"]) for g in got] == [
        ("2026-06-01T12:00:00Z", "2026-06-01T12:01:00Z"), ("2026-06-01T12:00:30Z", "2026-06-01T12:01:30Z")]
    clock.call("DELETE", f"/faults/cli-{t}")
    assert api.get("/users/me").status_code == 500
    clock.clock(advance_seconds=31)
    assert api.get("/users/me").status_code == 200


BAD = [
    ("status", "  - effect: {{status: 200}}\n",
     ":4: faults[0].effect.status: refused by the fault rules API: Invalid field. (given: 200)"),
    ("match_field", "  - match: {{operation: user, colour: red}}\n    effect: {{status: 500}}\n",
     ":4: faults[0].match: refused by the fault rules API: Invalid field."),
    ("rule_field", "  - effect: {{drop: true}}\n    tiems: 3\n",
     ":5: faults[0].tiems: refused by the fault rules API: Invalid field."),
    ("nested", "  - effect:\n      latency: {{distribution: uniform, min_ms: 5}}\n",
     ":5: faults[0].effect.latency.max_ms: refused by the fault rules API: Invalid field. (missing)"),
    ("no_effect", "  - match: {{operation: user}}\n", ":4: faults[0].effect: refused by the fault rules API"),
    ("not_a_mapping", "  - {{effect: {{drop: true}}}}\n  - drop\n",
     ":5: faults[1]: must be a mapping (a POST /_zoomsim/faults body), not text"),
    ("not_a_list", "  effect: {{drop: true}}\n", ":3: faults: must be a list, not a mapping"),
    ("dup_id", "  - {{id: r{t}, effect: {{drop: true}}}}\n  - {{id: r{t}, effect: {{pass: true}}}}\n",
     ":5: faults[1].id: fault rule r{t} is also faults[0]"),
    ("dup_rule", "  - {{effect: {{drop: true}}, match: {{account_id: A{t}}}}}\n"
                 "  - {{effect: {{drop: true}}, match: {{account_id: A{t}}}}}\n",
     ":5: faults[1]: the same rule as faults[0]; give each an `id`"),
    ("bad_id", "  - {{id: 'a b', effect: {{drop: true}}}}\n",
     ":4: faults[0].id: must be 1 to 64 letters, digits, '-' or '_'"),
    ("key_type", "  - effect: {{status: 502, body: {{1: x}}}}\n",
     ":4: faults[0].effect.body: field names must be text, not a number"),
]


@pytest.mark.parametrize("name,rules_text,expected", BAD, ids=[b[0] for b in BAD])
def test_a_bad_rule_is_one_line_exit_2_nothing_written(backend: str, engine: sa.Engine, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      name: str, rules_text: str, expected: str) -> None:
    t = secrets.token_hex(4)
    # a good rule and an account before the bad one: neither is written
    text = (f"accounts:\n  - id: A{t}\nfaults:\n" + rules_text.format(t=t) +
            f"  - {{id: ok{t}, match: {{account_id: A{t}}}, effect: {{drop: true}}}}\n")
    if name == "not_a_list":
        text = f"accounts:\n  - id: A{t}\nfaults:\n" + rules_text.format(t=t)
    path = write(tmp_path, text)
    before = snapshot(engine, [f"A{t}"])
    code, out, err = seed(backend, path, capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"zoomsim seed: {path}:"), err
    assert expected.format(t=t) in err, err
    assert snapshot(engine, [f"A{t}"]) == before


def test_the_examples_fault_rule_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """examples/seed.yaml carries its `faults:` commented out (a live rule would fault every CI
    run seeded with the file): uncommented, it is a valid rule, created once."""
    lines = EXAMPLE.read_text().splitlines()
    start = lines.index("# faults:")
    block = [line[2:] for line in lines[start:] if line.startswith("# ")]
    assert yaml.safe_load("\n".join(block))["faults"], block
    text = EXAMPLE.read_text() + "\n" + "\n".join(block) + "\n"
    db = f"sqlite:///{tmp_path}/example.db"
    code, out, err = seed(db, write(tmp_path, text), capsys, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["created"]["faults"] == 1 and summary["faults"][0]["created"] is True
    code, out, err = seed(db, write(tmp_path, text), capsys, "--json")
    assert json.loads(out)["existing"]["faults"] == 1


def test_a_seed_from_another_process_reaches_a_running_server(backend: str, admin: Admin, api: Api,
                                                              rules: list[str], tmp_path: Path) -> None:
    """`zoomsim seed` into the database a server is serving (the README's way on SQLite): the
    server picks the rule up within a second, on SQLite as on PostgreSQL."""
    import subprocess
    import sys
    import time

    rule_id = f"late-{secrets.token_hex(4)}"
    rules.append(rule_id)
    assert api.get("/users/me").status_code == 200          # the server has loaded the rules as they were
    path = write(tmp_path, json.dumps({"faults": [
        {"id": rule_id, "match": {"operation": "user", "app_id": api.client_id}, "effect": {"status": 502}}]}),
        "seed.json")
    done = subprocess.run([sys.executable, "-m", "zoomsim.cli", "seed", str(path), "--db", backend],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 5
    while api.get("/users/me").status_code != 502:
        assert time.monotonic() < deadline, "the running server never saw the seeded rule"
        time.sleep(0.1)
