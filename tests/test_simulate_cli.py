"""`zoomsim simulate`: bulk history must read exactly like history from live runs.

The simulated account is checked over HTTP (past meeting totals against the sessions its
participants pages list, and against live.end's formulas), row by row against a meeting run
through the admin API's one-call run, for determinism, and through the CLI (summary, progress,
--account, and clear errors for bad arguments)."""
from __future__ import annotations

import json
import random
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import sqlalchemy as sa

from support import Admin, Api, Server, drop_pg_schema, pg_schema_url
from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.simulation import bulk, live
from zoomsim.storage import Storage

CLI = [sys.executable, "-m", "zoomsim.cli", "simulate"]
END = "2026-11-02T15:00:00Z"


def small(seed: Any, **kw: Any) -> bulk.Plan:
    """6 meetings of 8 sessions, with dial-ins, signed-in attendees and cloud recordings."""
    return bulk.Plan(users=3, meetings=6, per_meeting=8, days=3, seed=seed, dial_in=0.3, signed_in=0.5,
                     recording=0.5, **kw)


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    storage = Storage(url)
    try:
        with storage.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]
    finally:
        storage.dispose()


def tenant(server: Server, summary: dict[str, Any]) -> Api:
    """The simulated account, through the app `simulate` made for it."""
    api = Api(server, summary["account_id"], summary["owner_id"], summary["client_id"], summary["client_secret"],
              [], httpx.Client(base_url=server.url, timeout=30))
    api.fetch_token()
    return api


def ceil_minutes(seconds: int) -> int:
    return -(-seconds // 60)


def all_participants(api: Api, meeting_id: int) -> list[dict[str, Any]]:
    """Every session, following next_page_token through pages of 3."""
    out: list[dict[str, Any]] = []
    params: dict[str, Any] = {"page_size": 3}
    while True:
        r = api.get(f"/past_meetings/{meeting_id}/participants", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        out.extend(body["participants"])
        if not body.get("next_page_token"):
            assert body["total_records"] == len(out)
            return out
        params = {"page_size": 3, "next_page_token": body["next_page_token"]}


@pytest.fixture
def simulated(server: Server, backend: str) -> dict[str, Any]:
    # a fixed seed whose history holds every kind of session (a random one left out recordings 1 run in 60)
    return bulk.simulate(backend, small("mixed-1"), progress=False)


def test_past_meetings_add_up(server: Server, backend: str, simulated: dict[str, Any]) -> None:
    api = tenant(server, simulated)
    assert simulated["meetings"] == 6 and simulated["participants"] == 48 and simulated["users"] == 3
    rows = query(backend, "SELECT seq, uuid, meeting_id, host_id, start_time, end_time, duration, participants, "
                          "participant_minutes, dial_ins, recording_bytes, doc FROM instances "
                          "WHERE account_id = :a ORDER BY seq", a=api.account_id)
    assert len(rows) == 6
    assert [r[4] for r in rows] == sorted(r[4] for r in rows)     # stored in the order they ran
    users = {u for (u,) in query(backend, "SELECT id FROM users WHERE account_id = :a", a=api.account_id)}
    seen_signed_in = seen_dial_in = seen_recorded = 0
    for seq, uuid, mid, host, start, end, duration, people, minutes, dial_ins, recording, doc in rows:
        detail = api.get(f"/past_meetings/{mid}")
        assert detail.status_code == 200, detail.text
        d = detail.json()
        assert (d["uuid"], d["start_time"], d["end_time"], d["host_id"]) == (uuid, start, end, host)
        sessions = all_participants(api, mid)
        assert len(sessions) == 8
        assert sorted(int(s["user_id"]) for s in sessions) == \
            [live.FIRST_PARTICIPANT_ID + 1024 * k for k in range(8)]
        # the totals Zoom shows are the ones the sessions add up to ...
        assert d["total_minutes"] == ceil_minutes(sum(s["duration"] for s in sessions))
        # people, not sessions: signed-in users by id, guests by address; dial-ins (no address, and
        # random names that may repeat) are told apart by the stored person key below
        named = {s["id"] or s["user_email"] for s in sessions if s["id"] or s["user_email"]}
        assert len(named) <= d["participants_count"] <= len(named) + sum(1 for s in sessions if not (s["id"] or s["user_email"]))
        length = int(clockmod.parse_iso(end) - clockmod.parse_iso(start))
        assert d["duration"] == ceil_minutes(length)
        for s in sessions:
            assert s["duration"] == clockmod.parse_iso(s["leave_time"]) - clockmod.parse_iso(s["join_time"])
            assert start <= s["join_time"] <= s["leave_time"] <= end
            assert s["internal_user"] == bool(s["id"]) and (not s["id"] or s["id"] in users)
        hosts = [s for s in sessions if s["id"] == host]
        assert [(h["join_time"], h["leave_time"]) for h in hosts] == [(start, end)]
        # ... and the stored row holds live.end's formulas over the stored sessions
        stored = query(backend, "SELECT person, duration, phone_number FROM participants WHERE instance_seq = :s",
                       s=seq)
        assert people == len({p for p, _, _ in stored}) == d["participants_count"]
        assert minutes == ceil_minutes(sum(x for _, x, _ in stored)) == d["total_minutes"]
        assert dial_ins == len({p for p, _, phone in stored if phone})
        assert duration == ceil_minutes(length) == d["duration"]
        cloud = jsonio.loads(doc)["auto_recording"] == "cloud"
        assert recording == (length * live.RECORDING_BYTES_PER_SECOND if cloud else 0)
        meeting = api.get(f"/meetings/{mid}")
        assert meeting.status_code == 200, meeting.text
        m = meeting.json()
        assert m["type"] == 2 and m["host_id"] == host and m["uuid"] != uuid
        assert m["settings"]["auto_recording"] == ("cloud" if cloud else "none")
        instances = api.get(f"/past_meetings/{mid}/instances")
        assert instances.status_code == 200, instances.text
        assert [i["uuid"] for i in instances.json()["meetings"]] == [uuid]
        seen_signed_in += sum(1 for s in sessions if s["id"] and s["id"] != host)
        seen_dial_in += dial_ins
        seen_recorded += cloud
    assert seen_signed_in and seen_dial_in and seen_recorded
    assert summary_totals(rows) == (simulated["people"], simulated["participant_minutes"])


def summary_totals(rows: list[tuple[Any, ...]]) -> tuple[int, int]:
    return sum(r[7] for r in rows), sum(r[8] for r in rows)


def _shape(value: Any) -> Any:
    """Keys (recursively) and value types: what must match between live and simulated rows."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def shape(doc: str) -> str:
    """_shape of a stored document, as text so that key order counts."""
    return json.dumps(_shape(jsonio.loads(doc)))


def test_rows_look_like_a_live_run(server: Server, admin: Admin, backend: str, simulated: dict[str, Any]) -> None:
    """A meeting created through the API and run by the admin API's one-call run, next to the
    simulated ones: same columns filled, same document keys and value types, key order too."""
    api = tenant(server, simulated)
    made = api.post("/users/me/meetings", json={"topic": "Live run", "settings": {"auto_recording": "cloud"}})
    assert made.status_code == 201, made.text
    mid = made.json()["id"]
    ran = admin.http.post(f"/_zoomsim/meetings/{mid}/run", json={"participants": 9, "dial_in": 0.5, "seed": 3,
                                                                   "duration_minutes": 20})
    assert ran.status_code == 201, ran.text
    a = api.account_id
    inst = query(backend, "SELECT meeting_id, kind, type, end_time IS NULL, doc FROM instances WHERE account_id = :a",
                 a=a)
    live_inst = [r for r in inst if r[0] == mid]
    sim_inst = [r for r in inst if r[0] != mid]
    assert len(live_inst) == 1 and len(sim_inst) == 6
    for row in sim_inst:
        assert row[1:4] == live_inst[0][1:4]
        assert shape(row[4]) == shape(live_inst[0][4])
    sessions = query(backend, "SELECT i.meeting_id, p.user_id != '', p.phone_number != '', p.registrant_id, "
                              "p.leave_time IS NULL, length(p.person), p.doc FROM participants p "
                              "JOIN instances i ON i.seq = p.instance_seq WHERE p.account_id = :a", a=a)
    kinds: dict[tuple[bool, bool], dict[bool, set[str]]] = {}
    for meeting_id, member, phone, registrant, open_, person_len, doc in sessions:
        assert registrant == "" and not open_ and person_len == 22
        kinds.setdefault((member, phone), {}).setdefault(meeting_id == mid, set()).add(shape(doc))
    assert set(kinds) == {(True, False), (False, False), (False, True)}     # members, guests, dial-ins
    for (member, phone), by_source in kinds.items():
        assert by_source[True] == by_source[False], (member, phone)
    meetings = query(backend, "SELECT id, status, doc, extra FROM meetings WHERE account_id = :a", a=a)
    live_m = [r for r in meetings if r[0] == mid][0]
    for row in meetings:
        assert row[1] == live_m[1] == "waiting"
        assert shape(row[2]) == shape(live_m[2]) and shape(row[3]) == shape(live_m[3])
    summaries = query(backend, "SELECT meeting_id, doc FROM meeting_parts WHERE account_id = :a AND kind = 'summary'",
                      a=a)
    assert len(summaries) == 7
    live_s = [d for m, d in summaries if m == mid][0]
    assert all(shape(d) == shape(live_s) for _, d in summaries)


# ---- determinism ------------------------------------------------------------------------------

@pytest.fixture
def fresh_db(backend: str, tmp_path: Path) -> Iterator[Any]:
    """Makes empty databases of the backend's kind (files, or PostgreSQL schemas dropped after)."""
    schemas: list[str] = []

    def make() -> str:
        if backend.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'sim-{secrets.token_hex(3)}.db'}"
        schemas.append(f"zs_sim_{secrets.token_hex(4)}")
        return pg_schema_url(schemas[-1])
    yield make
    for schema in schemas:
        drop_pg_schema(schema)


def fingerprint(url: str) -> list[Any]:
    """Everything simulated, with user ids (and the owner's generated address) replaced by the
    user's position in the account: those are random by nature, the rest follows the seed."""
    users = query(url, "SELECT id, email FROM users WHERE email NOT LIKE 'owner@zoomsim.local' ORDER BY seq")
    names = {uid: f"user{n}" for n, (uid, _) in enumerate(users)}
    names.update({email: f"email{n}" for n, (_, email) in enumerate(users)})

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for raw, alias in names.items():
                value = value.replace(raw, alias)
        return value
    out: list[Any] = []
    for sql in ("SELECT meeting_id, uuid, host_id, topic, start_time, end_time, duration, participants, "
                "participant_minutes, dial_ins, recording_bytes, doc FROM instances ORDER BY seq",
                "SELECT i.meeting_id, p.id, p.user_id, p.name, p.email, p.join_time, p.leave_time, p.duration, "
                "p.phone_number, p.doc, CASE WHEN p.user_id = '' THEN p.person ELSE '' END "
                "FROM participants p JOIN instances i ON i.seq = p.instance_seq ORDER BY p.seq",
                "SELECT id, uuid, host_id, start_time, end_time, created_at, doc, extra FROM meetings ORDER BY seq"):
        out.append([tuple(clean(v) for v in row) for row in query(url, sql)])
    return out


def test_same_seed_same_history(fresh_db: Any) -> None:
    end = clockmod.parse_iso(END)
    one, two, three = fresh_db(), fresh_db(), fresh_db()
    first = bulk.simulate(one, small(42, end=end), progress=False)
    second = bulk.simulate(two, small(42, end=end), progress=False)
    other = bulk.simulate(three, small(43, end=end), progress=False)
    assert fingerprint(one) == fingerprint(two)
    assert fingerprint(one) != fingerprint(three)
    keep = ("meetings", "participants", "people", "participant_minutes", "from", "to")
    assert {k: first[k] for k in keep} == {k: second[k] for k in keep}
    assert (first["people"], first["participant_minutes"]) != (other["people"], other["participant_minutes"])
    assert first["to"] == END
    # the same seed again on a database that already holds it: new numbers and UUIDs, no clash
    again = bulk.simulate(one, small(42, end=end), progress=False)
    assert again["account_id"] != first["account_id"]
    counts = query(one, "SELECT COUNT(DISTINCT id), COUNT(DISTINCT uuid) FROM meetings")
    assert counts == [(12, 12)]


def test_iso_matches_the_clock() -> None:
    rng = random.Random(5)
    for ts in [0, 86399, 86400, 951782400, 4102444799] + [rng.randrange(0, 4_102_444_800) for _ in range(2000)]:
        assert bulk.iso(ts) == clockmod.iso(ts)


def test_exactly_the_sessions_asked_for(tmp_path: Path) -> None:
    """Sessions per meeting are exact even when guests come back (and with the host alone)."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    end = clockmod.parse_iso(END)
    for per in (1, 2, 37):
        out = bulk.simulate(url, bulk.Plan(users=2, meetings=25, per_meeting=per, days=2, seed=per, end=end),
                            progress=False)
        assert out["participants"] == 25 * per
        counts = query(url, "SELECT COUNT(*) FROM participants p JOIN instances i ON i.seq = p.instance_seq "
                            "WHERE i.account_id = :a GROUP BY p.instance_seq", a=out["account_id"])
        assert counts == [(per,)] * 25
    back = query(url, "SELECT COUNT(*) FROM (SELECT instance_seq, person FROM participants GROUP BY instance_seq, "
                      "person HAVING COUNT(*) > 1) AS t")
    assert back[0][0] > 0     # some guests left and came back


# ---- the command line -------------------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=120)


def test_cli_summary_progress_and_account(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = run_cli("--db", url, "--users", "2", "--meetings", "3", "--participants-per-meeting", "4", "--days", "2",
                   "--seed", "5", "--end", END)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"account_id", "owner_id", "client_id", "client_secret", "users", "meetings", "participants", "seconds",
            "rows_per_second"} <= set(out)
    assert (out["users"], out["meetings"], out["participants"], out["to"]) == (2, 3, 12, END)
    assert "simulate [" in done.stderr and "100%" in done.stderr
    assert out["from"] >= clockmod.iso(clockmod.parse_iso(END) - 2 * 86400)
    more = run_cli("--db", url, "--account", out["account_id"], "--users", "4", "--meetings", "2",
                   "--participants-per-meeting", "3", "--days", "1", "--end", END, "--quiet")
    assert more.returncode == 0, more.stderr
    assert more.stderr == ""
    added = json.loads(more.stdout)
    assert (added["account_id"], added["owner_id"], added["users"]) == (out["account_id"], out["owner_id"], 4)
    assert query(url, "SELECT COUNT(*) FROM users WHERE account_id = :a", a=out["account_id"]) == [(4,)]
    assert query(url, "SELECT COUNT(*), SUM(participants) FROM instances WHERE account_id = :a",
                 a=out["account_id"])[0][0] == 5


@pytest.mark.parametrize("args, message", [
    (["--users", "0"], "--users must be at least 1"),
    (["--participants-per-meeting", "0"], "--participants-per-meeting must be 1..1000"),
    (["--participants-per-meeting", "1001"], "--participants-per-meeting must be 1..1000"),
    (["--meetings", "-1"], "--meetings must not be negative"),
    (["--days", "0"], "--days must be 1..3650"),
    (["--dial-in", "1.5"], "--dial-in is a share: 0..1"),
    (["--recording", "-0.1"], "--recording is a share: 0..1"),
    (["--meetings", "many"], "argument --meetings: invalid int value: 'many'"),
    (["--end", "last tuesday"], "--end must be an ISO date or time"),
    (["--end", "2999-01-01"], "is after the app clock's now"),
    (["--plan", "gold"], "--plan must be one of free, pro, business"),
    (["--account", "nosuchaccount"], "account nosuchaccount does not exist in this database"),
])
def test_cli_refuses_bad_arguments(tmp_path: Path, args: list[str], message: str) -> None:
    done = run_cli("--db", f"sqlite:///{tmp_path / 'bad.db'}", "--meetings", "1", *args)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1   # one line, with the fix
    assert done.stderr.startswith("zoomsim simulate: ") and "--help" in done.stderr
    assert done.stdout == ""


def test_cli_reports_an_unreachable_database(tmp_path: Path) -> None:
    done = run_cli("--db", "postgresql://nobody@127.0.0.1:9/none", "--meetings", "1")
    assert done.returncode == 1
    assert done.stderr.startswith("zoomsim simulate: database error:") and "Traceback" not in done.stderr
