"""Meeting history in bulk (`zoomsim simulate`): an account, its users, and many past meetings
that each ran once, with their participant sessions, written straight through the driver.

Reports and past-meeting operations must not be able to tell this history from meetings that
ran through simulation.live, so every row has the columns, document keys and values live.py
would write: attendance comes from simulation.crowd as in the one-call run (the host opens and
closes the meeting, guests arrive and leave, some come back), session ids count up from
live.FIRST_PARTICIPANT_ID, a person is hashed by live's rule, and an instance's totals are
live.end's formulas applied to its sessions. Only the path differs: rows are made in Python
and inserted by executemany in large transactions instead of one statement per event.

The same seed on an empty database gives the same meetings, numbers, UUIDs, times and people;
user and account ids are drawn by tenants and stay random."""
from __future__ import annotations

import base64
import random
import string
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import sqlalchemy as sa

from zoomsim import clock as clockmod
from zoomsim import jsonio, tenants
from zoomsim.meetings import model
from zoomsim.platform import bootstrap
from zoomsim.simulation import crowd, live
from zoomsim.storage import Storage
from zoomsim.storage import accounts as accounts_repo
from zoomsim.storage import users as users_repo
from zoomsim.storage.schema import instances as inst_t
from zoomsim.storage.schema import meeting_parts as parts_t
from zoomsim.storage.schema import meetings as meetings_t
from zoomsim.storage.schema import participants as part_t
from zoomsim.storage.schema import users as users_t

MAX_PER_MEETING = 1000        # the one-call run's limit, Zoom's large-meeting size
TOPICS = ("Weekly sync", "Design review", "Sprint planning", "Customer call", "1:1", "All hands",
          "Interview", "Retrospective", "Budget review", "Onboarding", "Roadmap", "Incident review")
SCHEDULED_MINUTES = (15, 30, 30, 45, 60, 60, 90)
BOOKED_AHEAD_DAYS = 14        # a meeting is scheduled up to this long before it runs
_PASS_CHARS = string.ascii_letters + string.digits


class SimulationError(ValueError):
    """Arguments or database state that make the simulation impossible; the CLI prints it."""


@dataclass
class Plan:
    """What to simulate. `users` counts the account's users hosts and attendees come from
    (owner included); `end` (epoch) is when the window closes, None for the app clock's now."""

    users: int
    meetings: int
    per_meeting: int
    days: int
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


@dataclass(frozen=True, slots=True)
class Host:
    id: str
    email: str
    name: str
    dept: str


@dataclass
class Totals:
    meetings: int = 0
    sessions: int = 0
    people: int = 0
    participant_minutes: int = 0


# ---- fast, exact timestamps -------------------------------------------------------------------

_HMS: list[str] = []
_DAYS: dict[int, str] = {}


def iso(ts: int) -> str:
    """clockmod.iso for whole seconds, without datetime: the loop formats two per session."""
    if not _HMS:
        _HMS.extend(f"{h:02d}:{m:02d}:{s:02d}Z" for h in range(24) for m in range(60) for s in range(60))
    day, sec = divmod(ts, 86400)
    prefix = _DAYS.get(day)
    if prefix is None:
        prefix = _DAYS[day] = clockmod.iso(day * 86400)[:11]
    return prefix + _HMS[sec]


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
        app = tenants.create_app(db, account_id=account["id"], user_id=account["owner_id"], scopes=_all_scopes(),
                                 now_iso=now_iso, name="zoomsim simulate")
    return account, hosts, app


def _host(user_id: str, email: str, doc: dict[str, Any]) -> Host:
    return Host(user_id, email, str(doc.get("display_name") or email), str(doc.get("dept") or ""))


# ---- one meeting ------------------------------------------------------------------------------

@dataclass
class Batch:
    """Rows of a group of meetings, in insert order, ready for executemany."""

    meetings: list[tuple[Any, ...]] = field(default_factory=list)
    instances: list[tuple[Any, ...]] = field(default_factory=list)
    sessions: list[tuple[Any, ...]] = field(default_factory=list)
    summaries: list[tuple[Any, ...]] = field(default_factory=list)


class Maker:
    """Builds each meeting's rows from its own random stream (seed, index), so a meeting does
    not depend on how the run is chunked."""

    def __init__(self, plan: Plan, account_id: str, hosts: list[Host], salt: int) -> None:
        self.plan = plan
        self.account_id = account_id
        self.hosts = hosts
        self.salt = salt
        # Shared by every meeting document (only encoded, never changed): the defaults, and
        # the defaults recording to the cloud.
        self.settings = jsonio.loads(jsonio.dumps(model.DEFAULT_SETTINGS))
        self.cloud_settings = {**self.settings, "auto_recording": "cloud"}
        self.call_in = live.call_in_number(self.settings)
        self._docs: dict[tuple[str, str, bool, bool], str] = {}

    def rng(self, index: int) -> random.Random:
        return random.Random(f"zoomsim-bulk:{self.plan.seed}:{self.salt}:{index}")

    def session_doc(self, device: str, location: str, internal: bool, phone: bool) -> str:
        """The few distinct session documents, encoded once."""
        key = (device, location, internal, phone)
        text = self._docs.get(key)
        if text is None:
            call = ("toll-free", self.call_in, live.DEFAULT_COUNTRY) if phone else None
            doc = live.session_doc(device, location, "", False, internal, "", call)
            text = self._docs[key] = jsonio.dumps(doc).decode()
        return text

    def add(self, batch: Batch, totals: Totals, rng: random.Random, number: int, slot: tuple[int, int, int],
            instance_seq: int) -> None:
        """One meeting that ran once, from `slot` (start epoch, minutes it ran, minutes booked)."""
        plan, hosts = self.plan, self.hosts
        begin, minutes, booked = slot
        seconds = minutes * 60
        host = hosts[rng.randrange(len(hosts))]
        scheduled = begin - begin % 900
        created = scheduled - rng.randint(3600, BOOKED_AHEAD_DAYS * 86400)
        cloud = rng.random() < plan.recording
        topic = TOPICS[rng.randrange(len(TOPICS))]
        inst_uuid = base64.b64encode(rng.randbytes(16)).decode()
        next_uuid = base64.b64encode(rng.randbytes(16)).decode()
        doc = self._meeting_doc(rng, number, host, topic, scheduled, created, next_uuid, cloud, booked)
        started, ended = iso(begin), iso(begin + seconds)

        # Attendance as run.run draws it: the host is attendee 0, guests come from crowd.
        guests = crowd.people(rng, plan.per_meeting - 1, plan.dial_in)
        plan_visits = crowd.visits(rng, plan.per_meeting, seconds)
        plan_visits = [crowd.Visit(0, 0, seconds)] + [v for v in plan_visits if v.person != 0]
        plan_visits = self._cap(plan_visits)
        members = [h for h in hosts if h.id != host.id]
        signed: dict[int, Host] = {}
        for p in guests:
            if members and not p.phone and rng.random() < plan.signed_in:
                signed[p.index + 1] = members.pop(rng.randrange(len(members)))

        rows = batch.sessions
        persons: set[str] = set()
        phones: set[str] = set()
        total = 0
        sid = live.FIRST_PARTICIPANT_ID
        for v in plan_visits:
            if v.person == 0:
                user_id, name, email, phone = host.id, host.name, host.email, ""
                sdoc = self.session_doc("Mac", "", True, False)
            else:
                p = guests[v.person - 1]
                member = signed.get(v.person)
                if member is not None:
                    user_id, name, email, phone = member.id, member.name, member.email, ""
                    sdoc = self.session_doc(p.device, p.location, True, False)
                else:
                    user_id, name, email, phone = "", p.name, p.email, p.phone
                    sdoc = self.session_doc(p.device, p.location, False, bool(phone))
            person = live.person_key(inst_uuid, user_id, "", email, phone, name)
            length = v.leave - v.join
            rows.append((instance_seq, self.account_id, str(sid), person, user_id, "", name[:255], email[:255],
                         iso(begin + v.join), iso(begin + v.leave), length, phone, sdoc))
            sid += 1024
            total += length
            persons.add(person)
            if phone:
                phones.add(person)

        # live.end's totals, from the sessions just made.
        people, dial_ins = len(persons), len(phones)
        minutes_total = live.minutes_up(total)
        record = live.instance_record(doc, host.email, host.name, host.dept, started, "")
        record["features"] = []
        duration = live.minutes_up(seconds)
        batch.instances.append((
            instance_seq, inst_uuid, number, self.account_id, host.id, "meeting", 2, topic[:300], started, ended,
            duration, people, minutes_total, dial_ins,
            seconds * live.RECORDING_BYTES_PER_SECOND if cloud else 0, jsonio.dumps(record).decode()))
        extra = {"creator": host.id, "last_instance": {"uuid": inst_uuid, "start_time": started, "end_time": ended}}
        span = model.span(doc)
        batch.meetings.append((number, next_uuid, self.account_id, host.id, 2, "waiting", span[0], span[1],
                               doc["created_at"], jsonio.dumps(doc).decode(), jsonio.dumps(extra).decode()))
        batch.summaries.append((number, "summary", inst_uuid, self.account_id,
                                jsonio.dumps(live.summary_doc(host.id, doc["host_email"], number, inst_uuid, topic,
                                                              started, ended, duration, people, minutes_total,
                                                              [])).decode()))
        totals.meetings += 1
        totals.sessions += len(plan_visits)
        totals.people += people
        totals.participant_minutes += minutes_total

    def _cap(self, visits: list[crowd.Visit]) -> list[crowd.Visit]:
        """Exactly `per_meeting` sessions: people are taken in attendee order; one whose return
        visit would overshoot simply does not come back."""
        want = self.plan.per_meeting
        by_person: dict[int, list[crowd.Visit]] = {}
        for v in visits:
            by_person.setdefault(v.person, []).append(v)
        kept: list[crowd.Visit] = []
        for person in sorted(by_person):
            room = want - len(kept)
            if room <= 0:
                break
            kept.extend(by_person[person][:room])
        kept.sort(key=lambda v: (v.join, v.person))
        return kept

    def _meeting_doc(self, rng: random.Random, number: int, host: Host, topic: str, scheduled: int, created: int,
                     uuid: str, cloud: bool, booked: int) -> dict[str, Any]:
        """The meeting object create_meeting would have stored, as it stands after its run."""
        base_url = self.plan.base_url
        doc: dict[str, Any] = {
            "uuid": uuid, "id": number, "host_id": host.id, "host_email": host.email, "topic": topic, "type": 2,
            "status": "waiting", "start_time": iso(scheduled), "duration": booked,
            "timezone": "UTC", "agenda": "", "created_at": iso(created), "start_url": "", "join_url": "",
            "pre_schedule": False, "settings": self.cloud_settings if cloud else self.settings,
            "creation_source": "open_api",
        }
        password = "".join(_PASS_CHARS[rng.randrange(len(_PASS_CHARS))] for _ in range(6))
        model.apply_password(doc, password, base_url)
        zak = base64.urlsafe_b64encode(rng.randbytes(48)).decode().rstrip("=")
        doc["start_url"] = f"{base_url}/s/{number}?zak={zak}"
        return doc


# ---- schedule: when each meeting ran ------------------------------------------------------------

def schedule(plan: Plan, end: int, salt: int) -> list[tuple[int, int, int]]:
    """(start epoch, minutes run, minutes booked) of every meeting, oldest first, all over by
    `end`: instances are stored in the order they ran, as live history is."""
    rng = random.Random(f"zoomsim-bulk-schedule:{plan.seed}:{salt}")
    window = plan.days * 86400
    out = []
    for _ in range(plan.meetings):
        booked = SCHEDULED_MINUTES[rng.randrange(len(SCHEDULED_MINUTES))]
        minutes = max(5, booked + rng.randint(-10, 10))
        latest = window - minutes * 60
        offset = rng.randrange(max(latest, 1))
        out.append((end - window + offset, minutes, booked))
    out.sort()
    return out


# ---- writing ----------------------------------------------------------------------------------

class Writer:
    """Inserts through the DBAPI connection: executemany, one transaction per batch."""

    def __init__(self, storage: Storage) -> None:
        self.sqlite = storage.is_sqlite
        self._pooled = storage.engine.raw_connection()
        driver: Any = self._pooled.driver_connection
        self.conn = driver
        mark = "?" if self.sqlite else "%s"
        self.sql = {
            "meetings": _insert_sql(meetings_t, ("id", "uuid", "account_id", "host_id", "type", "status", "start_time",
                                                 "end_time", "created_at", "doc", "extra"), mark),
            "instances": _insert_sql(inst_t, [c.name for c in inst_t.columns], mark),
            "sessions": _insert_sql(part_t, [c.name for c in part_t.columns if c.name != "seq"], mark),
            "summaries": _insert_sql(parts_t, ("meeting_id", "kind", "id", "account_id", "doc"), mark),
        }
        if self.sqlite:
            self.conn.isolation_level = None      # we issue BEGIN/COMMIT ourselves
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute("PRAGMA cache_size=-262144")
            self.conn.execute("PRAGMA temp_store=MEMORY")
        else:
            self.conn.autocommit = False

    def begin(self) -> None:
        if self.sqlite:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.sqlite:
            self.conn.execute("COMMIT")
        else:
            self.conn.commit()

    def rollback(self) -> None:
        try:
            if self.sqlite:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
            else:
                self.conn.rollback()
        except Exception:
            pass

    def instance_seqs(self, count: int) -> list[int]:
        """Seqs for the next `count` instances, reserved in this transaction: on SQLite the
        write lock is held, on PostgreSQL they come from the column's own sequence."""
        if not count:
            return []
        if self.sqlite:
            top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM instances").fetchone()[0]
            return list(range(top + 1, top + 1 + count))
        cur = self.conn.cursor()
        cur.execute("SELECT nextval(pg_get_serial_sequence('instances', 'seq')) FROM generate_series(1, %s)",
                    (count,))
        seqs = [int(r[0]) for r in cur.fetchall()]
        cur.close()
        return sorted(seqs)

    def taken(self, numbers: Sequence[int]) -> set[int]:
        """Which of these meeting numbers some meeting already holds."""
        found: set[int] = set()
        for i in range(0, len(numbers), 500):
            part = list(numbers[i:i + 500])
            marks = ",".join(["?" if self.sqlite else "%s"] * len(part))
            cur = self.conn.cursor()
            cur.execute(f"SELECT id FROM meetings WHERE id IN ({marks})", part)
            found.update(int(r[0]) for r in cur.fetchall())
            cur.close()
        return found

    def write(self, batch: Batch, on_rows: Callable[[int], None]) -> None:
        cur = self.conn.cursor()
        cur.executemany(self.sql["meetings"], batch.meetings)
        cur.executemany(self.sql["instances"], batch.instances)
        step = 10_000
        for i in range(0, len(batch.sessions), step):
            part = batch.sessions[i:i + step]
            cur.executemany(self.sql["sessions"], part)
            on_rows(len(part))
        cur.executemany(self.sql["summaries"], batch.summaries)
        cur.close()

    def close(self) -> None:
        if self.sqlite:
            try:
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception:
                pass
        self._pooled.invalidate()


def _insert_sql(table: sa.Table, columns: Sequence[str], mark: str) -> str:
    return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


# ---- progress ---------------------------------------------------------------------------------

class Progress:
    """A bar on stderr: redrawn in place on a terminal, a line per tenth otherwise."""

    def __init__(self, total: int, enabled: bool = True, stream: Any = None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.t0 = time.monotonic()
        self._drawn = -1.0
        self._tenth = -1

    def add(self, rows: int) -> None:
        self.done += rows
        if not self.enabled:
            return
        now = time.monotonic()
        share = min(self.done / self.total, 1.0)
        if self.tty and (now - self._drawn >= 0.1 or self.done >= self.total):
            self._drawn = now
            self.stream.write("\r" + self._line(share, now))
            self.stream.flush()
        elif not self.tty and int(share * 10) > self._tenth:
            self._tenth = int(share * 10)
            self.stream.write(self._line(share, now) + "\n")
            self.stream.flush()

    def _line(self, share: float, now: float) -> str:
        width = 30
        filled = int(share * width)
        spent = now - self.t0
        rate = self.done / spent if spent > 0 else 0.0
        return (f"simulate [{'#' * filled}{'.' * (width - filled)}] {share:4.0%} "
                f"{self.done:,}/{self.total:,} sessions  {spent:5.1f}s  {rate:,.0f} rows/s")

    def finish(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()


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
        times = schedule(plan, end, salt)
        maker = Maker(plan, account["id"], hosts, salt)
        totals = Totals()
        bar = Progress(plan.meetings * plan.per_meeting, progress)
        writer = Writer(storage)
        used: set[int] = set()
        try:
            per_chunk = max(1, plan.chunk_rows // plan.per_meeting)
            for start in range(0, plan.meetings, per_chunk):
                chunk = range(start, min(start + per_chunk, plan.meetings))
                rngs = [maker.rng(i) for i in chunk]
                writer.begin()
                numbers = _numbers(writer, rngs, used)
                seqs = writer.instance_seqs(len(chunk))
                batch = Batch()
                for k, i in enumerate(chunk):
                    maker.add(batch, totals, rngs[k], numbers[k], times[i], seqs[k])
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
        "participants": totals.sessions, "people": totals.people,
        "participant_minutes": totals.participant_minutes,
        "from": iso(times[0][0]) if times else None, "to": iso(end),
        "seconds": round(spent, 2), "rows_per_second": round(totals.sessions / spent) if spent > 0 else 0,
    }
