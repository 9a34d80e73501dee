"""Meeting history in bulk (`zoomsim simulate`): an account, its users, and many past meetings
(and webinars) that each ran once, with their participant sessions, written straight through
the driver.

Reports and past-meeting operations must not be able to tell this history from meetings that
ran through simulation.live, so every row has the columns, document keys and values live.py
would write: attendance comes from simulation.crowd as in the one-call run (the host opens and
closes the meeting, guests arrive and leave, some come back), session ids count up from
live.FIRST_PARTICIPANT_ID, a person is hashed by live's rule, and an instance's totals are
live.end's formulas applied to its sessions (bulk_rows.py makes them). Only the path differs:
rows are made in Python and inserted by executemany in large transactions instead of one
statement per event (bulk_write.py). Webinars are made the same way, with panelists, and
their hosts hold the webinar licence; without webinars the history is what it was before
webinars existed, seed for seed.

The same seed on an empty database gives the same meetings, numbers, UUIDs, times and people;
user and account ids are drawn by tenants and stay random."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from zoomsim import clock as clockmod
from zoomsim import jsonio, tenants
from zoomsim.meetings.kinds import MEETING, WEBINAR, Kind
from zoomsim.platform import bootstrap
from zoomsim.simulation import crowd
from zoomsim.simulation.bulk_rows import BOOKED_AHEAD_DAYS, Batch, Host, Maker, Totals, iso
from zoomsim.simulation.bulk_write import Progress, Writer
from zoomsim.storage import Storage
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.schema import meetings as meetings_t
from zoomsim.storage.schema import users as users_t
from zoomsim.users import features

__all__ = ["Plan", "SimulationError", "iso", "schedule", "simulate"]

MAX_PER_MEETING = 1000        # the one-call run's limit, Zoom's large-meeting size
MAX_PANELISTS = 100           # a webinar's panelists (features.PANELISTS_PER_WEBINAR)
SCHEDULED_MINUTES = {"meeting": (15, 30, 30, 45, 60, 60, 90), "webinar": (30, 45, 60, 60, 90, 120)}
Job = tuple[int, int, int, int, Kind]   # (start epoch, minutes run, minutes booked, index, kind)


class SimulationError(ValueError):
    """Arguments or database state that make the simulation impossible; the CLI prints it."""


@dataclass
class Plan:
    """What to simulate. `users` counts the account's users hosts and attendees come from
    (owner included); `end` (epoch) is when the window closes, None for the app clock's now;
    `panelists` of each webinar's `per_meeting` sessions are panelists."""

    users: int
    meetings: int
    per_meeting: int
    days: int
    webinars: int = 0
    panelists: int = 2
    seed: int | str = 0
    account_id: str | None = None
    dial_in: float = 0.05
    recording: float = 0.2
    signed_in: float = 0.15
    end: float | None = None
    plan: str = "business"
    base_url: str = "http://127.0.0.1:8000"
    chunk_rows: int = 25_000

    def check(self) -> None:
        if self.users < 1:
            raise SimulationError("--users must be at least 1 (the account owner)")
        if self.meetings < 0:
            raise SimulationError("--meetings must not be negative")
        if self.webinars < 0:
            raise SimulationError("--webinars must not be negative")
        if not 0 <= self.panelists <= MAX_PANELISTS:
            raise SimulationError(f"--panelists-per-webinar must be 0..{MAX_PANELISTS}")
        if not 1 <= self.per_meeting <= MAX_PER_MEETING:
            raise SimulationError(f"--participants-per-meeting must be 1..{MAX_PER_MEETING} (the host is one)")
        if not 1 <= self.days <= 3650:
            raise SimulationError("--days must be 1..3650")
        for name, share in (("--dial-in", self.dial_in), ("--recording", self.recording),
                            ("--signed-in", self.signed_in)):
            if not 0 <= share <= 1:
                raise SimulationError(f"{name} is a share: 0..1")
        if self.plan not in tenants.PLANS:
            raise SimulationError(f"--plan must be one of {', '.join(tenants.PLANS)}")
        if self.chunk_rows < 1:
            raise SimulationError("--chunk-rows must be positive")


def clock_now(storage: Storage) -> float:
    """The app clock as a server on this database would read it (frozen or shifted survives)."""
    clock = clockmod.Clock()
    bootstrap.load_clock(storage, clock)
    return clock.now()


# ---- account and users -----------------------------------------------------------------------

def _all_scopes() -> list[str]:
    from zoomsim.app import scope_universe
    from zoomsim.optable import load_operations

    return scope_universe(load_operations())


def _setup_account(storage: Storage, plan: Plan, rng: random.Random,
                   now_iso: str) -> tuple[dict[str, Any], list[Host], tuple[str, str]]:
    """Create (or open) the account, bring it to `plan.users` users, and give it an S2S app
    holding every scope (a secret is only known when it is made, so each run makes one)."""
    with storage.write() as db:
        if plan.account_id:
            row = accounts_repo.get(db, plan.account_id)
            if row is None:
                raise SimulationError(f"account {plan.account_id} does not exist in this database")
            account = {**jsonio.loads(row.doc), "owner_id": row.owner_id}
        else:
            first, last = crowd.FIRST[rng.randrange(len(crowd.FIRST))], crowd.LAST[rng.randrange(len(crowd.LAST))]
            account = tenants.create_account(db, now_iso=now_iso, base_url=plan.base_url, plan=plan.plan,
                                             name="zoomsim simulated account", owner_first_name=first,
                                             owner_last_name=last)
        rows = list(db.execute(sa.select(users_t.c.id, users_t.c.email, users_t.c.doc)
                               .where(users_t.c.account_id == account["id"], users_t.c.status == "active")
                               .order_by(users_t.c.seq).limit(plan.users)))
        hosts = [_host(r.id, r.email, jsonio.loads(r.doc)) for r in rows]
        n = len(hosts)
        while len(hosts) < plan.users:
            n += 1
            first, last = crowd.FIRST[rng.randrange(len(crowd.FIRST))], crowd.LAST[rng.randrange(len(crowd.LAST))]
            email = f"{first}.{last}.{n}@example.com".lower()
            if users_repo.get(db, account["id"], email) is not None:
                continue
            doc = tenants.add_user(db, account, email=email, user_type=2, status="active", role_id="2",
                                   now_iso=now_iso, base_url=plan.base_url, first_name=first, last_name=last)
            hosts.append(_host(doc["id"], doc["email"].lower(), doc))
        if plan.webinars:
            _license_webinars(db, account["id"], hosts)
        app = tenants.create_app(db, account_id=account["id"], user_id=account["owner_id"], scopes=_all_scopes(),
                                 now_iso=now_iso, name="zoomsim simulate")
    return account, hosts, app


def _license_webinars(db: Any, account_id: str, hosts: list[Host]) -> None:
    """Every host may hold a webinar: those without a webinar licence get one (the default
    capacity), as an admin would grant it before scheduling webinars."""
    for host in hosts:
        if not features.webinar_capacity(db, account_id, host.id):
            features.grant(db, account_id, host.id, {"webinar": True,
                                                    "webinar_capacity": features.DEFAULT_WEBINAR_CAPACITY})


def _host(user_id: str, email: str, doc: dict[str, Any]) -> Host:
    return Host(user_id, email, str(doc.get("display_name") or email), str(doc.get("dept") or ""))


# ---- schedule: when each meeting ran ------------------------------------------------------------

def schedule(plan: Plan, end: int, salt: int, kind: Kind = MEETING) -> list[tuple[int, int, int]]:
    """(start epoch, minutes run, minutes booked) of every meeting (or webinar) of the plan,
    oldest first, all over by `end`. Each kind draws from its own stream."""
    stream = "zoomsim-bulk-schedule" if kind is MEETING else f"zoomsim-bulk-{kind.name}-schedule"
    rng = random.Random(f"{stream}:{plan.seed}:{salt}")
    window = plan.days * 86400
    lengths = SCHEDULED_MINUTES[kind.name]
    out = []
    for _ in range(plan.meetings if kind is MEETING else plan.webinars):
        booked = lengths[rng.randrange(len(lengths))]
        minutes = max(5, booked + rng.randint(-10, 10))
        latest = window - minutes * 60
        offset = rng.randrange(max(latest, 1))
        out.append((end - window + offset, minutes, booked))
    out.sort()
    return out


def jobs(plan: Plan, end: int, salt: int) -> list[Job]:
    """Meetings and webinars in the order they ran (a meeting first on a tie), which is the
    order instances are stored in, as live history is."""
    out: list[Job] = []
    for kind in (MEETING, WEBINAR):
        out.extend((start, minutes, booked, i, kind) for i, (start, minutes, booked) in
                   enumerate(schedule(plan, end, salt, kind)))
    out.sort(key=lambda j: (j[0], j[1], j[2], j[4] is WEBINAR, j[3]))
    return out


# ---- the whole run ----------------------------------------------------------------------------

def _numbers(writer: Writer, rngs: list[random.Random], used: set[int]) -> list[int]:
    """An unused 11-digit meeting number per meeting, drawn from its own stream."""
    def draw(rng: random.Random) -> int:
        while True:
            n = rng.randrange(10_000_000_000, 100_000_000_000)
            if n not in used:
                used.add(n)
                return n
    numbers = [draw(r) for r in rngs]
    pending = list(range(len(numbers)))
    while pending:
        clash = writer.taken([numbers[i] for i in pending])
        pending = [i for i in pending if numbers[i] in clash]
        for i in pending:
            numbers[i] = draw(rngs[i])
    return numbers


def simulate(url: str, plan: Plan, *, progress: bool = True, migrate: bool = True) -> dict[str, Any]:
    """Run the whole simulation; returns the summary the CLI prints."""
    plan.check()
    t0 = time.monotonic()
    storage = Storage(url)
    try:
        if migrate:
            storage.migrate()
        now = clock_now(storage)
        if plan.end is not None and plan.end > now:
            raise SimulationError(f"--end {clockmod.iso(plan.end)} is after the app clock's now ({clockmod.iso(now)}): "
                                  "simulated meetings are past meetings")
        end = int(plan.end if plan.end is not None else now)
        if end - plan.days * 86400 < 0:
            raise SimulationError("--end and --days reach back before 1970")
        with storage.read() as db:
            salt = int(db.execute(sa.select(sa.func.count()).select_from(meetings_t)).scalar() or 0)
        setup_rng = random.Random(f"zoomsim-bulk-users:{plan.seed}:{salt}")
        # Users (and a new account) exist before the first meeting of the window is booked.
        joined = clockmod.iso(end - plan.days * 86400 - (BOOKED_AHEAD_DAYS + 1) * 86400)
        account, hosts, (client_id, secret) = _setup_account(storage, plan, setup_rng, joined)
        times = jobs(plan, end, salt)
        maker = Maker(plan, account["id"], hosts, salt)
        totals = Totals()
        bar = Progress(len(times) * plan.per_meeting, progress)
        writer = Writer(storage)
        used: set[int] = set()
        try:
            per_chunk = max(1, plan.chunk_rows // plan.per_meeting)
            for start in range(0, len(times), per_chunk):
                chunk = times[start:start + per_chunk]
                rngs = [maker.rng(job[3], job[4]) for job in chunk]
                writer.begin()
                numbers = _numbers(writer, rngs, used)
                seqs = writer.instance_seqs(len(chunk))
                batch = Batch()
                for k, job in enumerate(chunk):
                    maker.add(batch, totals, rngs[k], numbers[k], job[:3], seqs[k], job[4])
                writer.write(batch, bar.add)
                writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.close()
            bar.finish()
    finally:
        storage.dispose()
    spent = time.monotonic() - t0
    return {
        "account_id": account["id"], "owner_id": account["owner_id"], "client_id": client_id,
        "client_secret": secret, "users": len(hosts), "meetings": totals.meetings,
        "webinars": totals.webinars,
        "participants": totals.sessions, "people": totals.people,
        "participant_minutes": totals.participant_minutes,
        "from": iso(times[0][0]) if times else None, "to": iso(end),
        "seconds": round(spent, 2), "rows_per_second": round(totals.sessions / spent) if spent > 0 else 0,
    }
