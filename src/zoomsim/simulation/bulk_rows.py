"""The rows of one simulated meeting or webinar that ran once, for `zoomsim simulate`: the meeting
row, its instance, its participant sessions and its summary, each shaped exactly as
simulation.live writes them (see bulk.py for the promise and the run as a whole).

Attendance follows the one-call run (simulation.run): the host is person 0 and stays from
start to end; a webinar's panelists come next, then the guests, all drawn from simulation.crowd
in the run's order; session ids count up from live.FIRST_PARTICIPANT_ID; an instance's totals
are live.end's formulas applied to its sessions."""
from __future__ import annotations

import base64
import random
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zoomsim import clock as clockmod
from zoomsim import jsonio
from zoomsim.meetings import model
from zoomsim.meetings.kinds import MEETING, WEBINAR, Kind, settings_defaults
from zoomsim.simulation import crowd, live

if TYPE_CHECKING:
    from zoomsim.simulation.bulk import Plan

TOPICS = {
    "meeting": ("Weekly sync", "Design review", "Sprint planning", "Customer call", "1:1", "All hands",
                "Interview", "Retrospective", "Budget review", "Onboarding", "Roadmap", "Incident review"),
    "webinar": ("Product launch", "Quarterly update", "Customer training", "Town hall", "Partner briefing",
                "Feature deep dive", "Office hours", "Industry panel"),
}
BOOKED_AHEAD_DAYS = 14        # a meeting is scheduled up to this long before it runs
_PASS_CHARS = string.ascii_letters + string.digits


@dataclass(frozen=True, slots=True)
class Host:
    id: str
    email: str
    name: str
    dept: str


@dataclass
class Totals:
    meetings: int = 0
    webinars: int = 0
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


# ---- one meeting ------------------------------------------------------------------------------

@dataclass
class Batch:
    """Rows of a group of meetings, in insert order, ready for executemany."""

    meetings: list[tuple[Any, ...]] = field(default_factory=list)
    instances: list[tuple[Any, ...]] = field(default_factory=list)
    sessions: list[tuple[Any, ...]] = field(default_factory=list)
    summaries: list[tuple[Any, ...]] = field(default_factory=list)


class Maker:
    """Builds each meeting's rows from its own random stream (kind, seed, index), so a meeting
    does not depend on how the run is chunked, nor meetings on how many webinars there are."""

    def __init__(self, plan: "Plan", account_id: str, hosts: list[Host], salt: int) -> None:
        self.plan = plan
        self.account_id = account_id
        self.hosts = hosts
        self.salt = salt
        # Shared by every document of a kind (only encoded, never changed): the kind's defaults,
        # and the same recording to the cloud.
        self.settings: dict[str, dict[str, Any]] = {}
        self.cloud_settings: dict[str, dict[str, Any]] = {}
        for kind in (MEETING, WEBINAR):
            plain = jsonio.loads(jsonio.dumps(settings_defaults(kind)))
            self.settings[kind.name], self.cloud_settings[kind.name] = plain, {**plain, "auto_recording": "cloud"}
        self.call_in = live.call_in_number(self.settings["meeting"])
        self._docs: dict[tuple[str, str, bool, bool, str], str] = {}

    def rng(self, index: int, kind: Kind = MEETING) -> random.Random:
        stream = "zoomsim-bulk" if kind is MEETING else f"zoomsim-bulk-{kind.name}"
        return random.Random(f"{stream}:{self.plan.seed}:{self.salt}:{index}")

    def session_doc(self, device: str, location: str, internal: bool, phone: bool, role: str) -> str:
        """The few distinct session documents, encoded once."""
        key = (device, location, internal, phone, role)
        text = self._docs.get(key)
        if text is None:
            call = ("toll-free", self.call_in, live.DEFAULT_COUNTRY) if phone else None
            doc = live.session_doc(device, location, "", False, internal, "", call, role)
            text = self._docs[key] = jsonio.dumps(doc).decode()
        return text

    def _people(self, rng: random.Random, kind: Kind) -> tuple[list[crowd.Person], int]:
        """Everyone but the host, panelists first (a webinar's only), and how many panelists."""
        plan = self.plan
        panelists = min(plan.panelists, plan.per_meeting - 1) if kind is WEBINAR else 0
        ahead = crowd.people(rng, panelists, 0.0) if panelists else []
        return ahead + crowd.people(rng, plan.per_meeting - 1 - panelists, plan.dial_in), panelists

    def add(self, batch: Batch, totals: Totals, rng: random.Random, number: int, slot: tuple[int, int, int],
            instance_seq: int, kind: Kind = MEETING) -> None:
        """One meeting that ran once, from `slot` (start epoch, minutes it ran, minutes booked)."""
        plan, hosts = self.plan, self.hosts
        begin, minutes, booked = slot
        seconds = minutes * 60
        host = hosts[rng.randrange(len(hosts))]
        scheduled = begin - begin % 900
        created = scheduled - rng.randint(3600, BOOKED_AHEAD_DAYS * 86400)
        cloud = rng.random() < plan.recording
        topics = TOPICS[kind.name]
        topic = topics[rng.randrange(len(topics))]
        inst_uuid = base64.b64encode(rng.randbytes(16)).decode()
        next_uuid = base64.b64encode(rng.randbytes(16)).decode()
        doc = self._meeting_doc(rng, kind, number, host, topic, scheduled, created, next_uuid, cloud, booked)
        started, ended = iso(begin), iso(begin + seconds)

        # Attendance as run.run draws it: the host is attendee 0, everyone else comes from crowd.
        guests, panelists = self._people(rng, kind)
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
                sdoc = self.session_doc("Mac", "", True, False, "host")
            else:
                p = guests[v.person - 1]
                role = "panelist" if v.person <= panelists else "attendee"
                member = signed.get(v.person)
                if member is not None:
                    user_id, name, email, phone = member.id, member.name, member.email, ""
                    sdoc = self.session_doc(p.device, p.location, True, False, role)
                else:
                    user_id, name, email, phone = "", p.name, p.email, p.phone
                    sdoc = self.session_doc(p.device, p.location, False, bool(phone), role)
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
            instance_seq, inst_uuid, number, self.account_id, host.id, kind.name, kind.scheduled, topic[:300],
            started, ended, duration, people, minutes_total, dial_ins,
            seconds * live.RECORDING_BYTES_PER_SECOND if cloud else 0, jsonio.dumps(record).decode()))
        extra = {"creator": host.id, "last_instance": {"uuid": inst_uuid, "start_time": started, "end_time": ended}}
        span = model.span(doc)
        batch.meetings.append((number, next_uuid, self.account_id, host.id, kind.scheduled, "waiting", span[0],
                               span[1], doc["created_at"], jsonio.dumps(doc).decode(), jsonio.dumps(extra).decode()))
        batch.summaries.append((number, "summary", inst_uuid, self.account_id,
                                jsonio.dumps(live.summary_doc(host.id, doc["host_email"], number, inst_uuid, topic,
                                                              started, ended, duration, people, minutes_total,
                                                              [])).decode()))
        if kind is WEBINAR:
            totals.webinars += 1
        else:
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

    def _meeting_doc(self, rng: random.Random, kind: Kind, number: int, host: Host, topic: str, scheduled: int,
                     created: int, uuid: str, cloud: bool, booked: int) -> dict[str, Any]:
        """The object create_meeting would have stored for a scheduled meeting or webinar, as it
        stands after its run."""
        base_url = self.plan.base_url
        doc: dict[str, Any] = {
            "uuid": uuid, "id": number, "host_id": host.id, "host_email": host.email, "topic": topic,
            "type": kind.scheduled, "status": "waiting", "start_time": iso(scheduled), "duration": booked,
            "timezone": "UTC", "agenda": "", "created_at": iso(created), "start_url": "", "join_url": "",
            "pre_schedule": False, "settings": (self.cloud_settings if cloud else self.settings)[kind.name],
            "creation_source": "open_api",
        }
        if kind is WEBINAR:   # as create_meeting words a webinar
            del doc["pre_schedule"]
            doc["is_simulive"] = False
        password = "".join(_PASS_CHARS[rng.randrange(len(_PASS_CHARS))] for _ in range(6))
        model.apply_password(doc, password, base_url)
        zak = base64.urlsafe_b64encode(rng.randbytes(48)).decode().rstrip("=")
        doc["start_url"] = f"{base_url}/s/{number}?zak={zak}"
        return doc
