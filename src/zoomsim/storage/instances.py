"""Meeting instances, their participant sessions, and the Q&A, poll and survey records given in
them. An instance is written when a meeting starts and completed (end time and totals) when it
ends, so reports add up stored totals instead of re-reading every session."""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import sqlalchemy as sa

from zoomsim import jsonio
from zoomsim.storage.db import Db
from zoomsim.storage.schema import instance_records as rec_t
from zoomsim.storage.schema import instances as t
from zoomsim.storage.schema import participants as p_t


class InstanceRow(NamedTuple):
    seq: int
    uuid: str
    meeting_id: int
    account_id: str
    host_id: str
    kind: str
    type: int
    topic: str
    start_time: str
    end_time: str | None
    duration: int
    participants: int
    participant_minutes: int
    dial_ins: int
    recording_bytes: int
    doc: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]


class SessionRow(NamedTuple):
    seq: int
    instance_seq: int
    id: str
    person: str
    user_id: str
    registrant_id: str
    name: str
    email: str
    join_time: str
    leave_time: str | None
    duration: int
    phone_number: str
    doc: str

    def data(self) -> dict[str, Any]:
        return jsonio.loads(self.doc)  # type: ignore[no-any-return]


COLS = tuple(t.c[name] for name in InstanceRow._fields)
SESSION_COLS = tuple(p_t.c[name] for name in SessionRow._fields)
_BY_UUID = sa.select(*COLS).where(t.c.uuid == sa.bindparam("key"))
_INSERT = t.insert()
_UPDATE = t.update().where(t.c.seq == sa.bindparam("key"))
_SESSION_INSERT = p_t.insert()
_RECORD_INSERT = rec_t.insert()


def get_by_uuid(db: Db, uuid: str) -> InstanceRow | None:
    row = db.one(_BY_UUID, {"key": uuid})
    return None if row is None else InstanceRow._make(row)


def of_meeting(db: Db, meeting_id: int, *, ended: bool = True) -> list[InstanceRow]:
    """A meeting's instances, oldest first; with `ended`, only the ones that are over."""
    q = sa.select(*COLS).where(t.c.meeting_id == meeting_id)
    if ended:
        q = q.where(t.c.end_time.is_not(None))
    return [InstanceRow._make(r) for r in db.execute(q.order_by(t.c.seq))]


def latest(db: Db, meeting_id: int) -> InstanceRow | None:
    """The newest instance that has ended."""
    q = (sa.select(*COLS).where(t.c.meeting_id == meeting_id, t.c.end_time.is_not(None))
         .order_by(t.c.seq.desc()).limit(1))
    row = db.execute(q).first()
    return None if row is None else InstanceRow._make(row)


def running(db: Db, meeting_id: int) -> InstanceRow | None:
    q = (sa.select(*COLS).where(t.c.meeting_id == meeting_id, t.c.end_time.is_(None))
         .order_by(t.c.seq.desc()).limit(1))
    row = db.execute(q).first()
    return None if row is None else InstanceRow._make(row)


def insert(db: Db, values: dict[str, Any]) -> int:
    """Start an instance; totals stay zero until it ends. Returns its seq."""
    row = {"end_time": None, "duration": 0, "participants": 0, "participant_minutes": 0, "dial_ins": 0,
           "recording_bytes": 0, **values}
    if isinstance(row.get("doc"), dict):
        row["doc"] = jsonio.dumps(row["doc"]).decode()
    result = db.execute(_INSERT, row)
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def update(db: Db, seq: int, values: dict[str, Any]) -> None:
    if isinstance(values.get("doc"), dict):
        values = {**values, "doc": jsonio.dumps(values["doc"]).decode()}
    db.execute(_UPDATE, {"key": seq, **values})


# ---- participant sessions ---------------------------------------------------------------------

def add_session(db: Db, values: dict[str, Any]) -> int:
    row = {"leave_time": None, "duration": 0, "user_id": "", "registrant_id": "", "phone_number": "",
           "doc": "{}", **values}
    if isinstance(row["doc"], dict):
        row["doc"] = jsonio.dumps(row["doc"]).decode()
    result = db.execute(_SESSION_INSERT, row)
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def session_count(db: Db, instance_seq: int) -> int:
    q = sa.select(sa.func.count()).select_from(p_t).where(p_t.c.instance_seq == instance_seq)
    return int(db.execute(q).scalar_one())


def sessions(db: Db, instance_seq: int, *, open_only: bool = False, session_id: str | None = None,
             person: str | None = None) -> list[SessionRow]:
    if any(key is not None and "\x00" in key for key in (session_id, person)):
        return []     # nothing stored holds NUL, and PostgreSQL refuses it as a parameter
    q = sa.select(*SESSION_COLS).where(p_t.c.instance_seq == instance_seq)
    if open_only:
        q = q.where(p_t.c.leave_time.is_(None))
    if session_id is not None:
        q = q.where(p_t.c.id == session_id)
    if person is not None:
        q = q.where(p_t.c.person == person)
    return [SessionRow._make(r) for r in db.execute(q.order_by(p_t.c.seq))]


def page_sessions(db: Db, instance_seq: int, after: int | None, offset: int, limit: int) -> list[SessionRow]:
    """Sessions in join order (keyset on seq)."""
    q = sa.select(*SESSION_COLS).where(p_t.c.instance_seq == instance_seq)
    if after is not None:
        q = q.where(p_t.c.seq > after)
    elif offset:
        q = q.offset(offset)
    return [SessionRow._make(r) for r in db.execute(q.order_by(p_t.c.seq).limit(limit))]


def close_session(db: Db, seq: int, leave_time: str, duration: int) -> None:
    db.execute(p_t.update().where(p_t.c.seq == seq).values(leave_time=leave_time, duration=duration))


def totals(db: Db, instance_seq: int) -> tuple[int, int, int]:
    """(unique participants, participant seconds, unique dial-in participants)."""
    q = sa.select(
        sa.func.count(sa.distinct(p_t.c.person)),
        sa.func.coalesce(sa.func.sum(p_t.c.duration), 0),
        sa.func.count(sa.distinct(sa.case((p_t.c.phone_number != "", p_t.c.person), else_=None))),
    ).where(p_t.c.instance_seq == instance_seq)
    row: Any = db.execute(q).one()
    people, seconds, phones = row
    return int(people), int(seconds), int(phones)


# ---- Q&A, poll votes, survey answers --------------------------------------------------------------

def add_record(db: Db, instance_seq: int, kind: str, doc: dict[str, Any]) -> None:
    db.execute(_RECORD_INSERT, {"instance_seq": instance_seq, "kind": kind, "doc": jsonio.dumps(doc).decode()})


def records(db: Db, instance_seq: int, kind: str) -> list[dict[str, Any]]:
    q = (sa.select(rec_t.c.doc).where(rec_t.c.instance_seq == instance_seq, rec_t.c.kind == kind)
         .order_by(rec_t.c.seq))
    return [jsonio.loads(r[0]) for r in db.execute(q)]


def record_kinds(db: Db, instance_seqs: Sequence[int]) -> dict[int, set[str]]:
    """Which kinds of record each instance holds (for feature flags in lists)."""
    if not instance_seqs:
        return {}
    q = (sa.select(rec_t.c.instance_seq, rec_t.c.kind).where(rec_t.c.instance_seq.in_(list(instance_seqs)))
         .group_by(rec_t.c.instance_seq, rec_t.c.kind))
    out: dict[int, set[str]] = {}
    rows: Any = db.execute(q)
    for seq, kind in rows:
        out.setdefault(int(seq), set()).add(str(kind))
    return out


def record_rows(db: Db, instance_seq: int, kind: str) -> list[tuple[int, dict[str, Any]]]:
    """(record seq, document) pairs, for records that change after they are given (chat
    messages are edited and deleted while the meeting runs)."""
    q = (sa.select(rec_t.c.seq, rec_t.c.doc).where(rec_t.c.instance_seq == instance_seq, rec_t.c.kind == kind)
         .order_by(rec_t.c.seq))
    rows: Any = db.execute(q)
    return [(int(seq), jsonio.loads(doc)) for seq, doc in rows]


def update_record(db: Db, seq: int, doc: dict[str, Any]) -> None:
    db.execute(rec_t.update().where(rec_t.c.seq == seq).values(doc=jsonio.dumps(doc).decode()))


def attendance(db: Db, instance_seq: int) -> tuple[set[str], set[str]]:
    """Registrant ids and (lower-cased) emails of everyone who joined the instance: who
    attended, for the webinar absentees list."""
    q = (sa.select(p_t.c.registrant_id, p_t.c.email).where(p_t.c.instance_seq == instance_seq)
         .group_by(p_t.c.registrant_id, p_t.c.email))
    rows: Any = db.execute(q)
    registrants: set[str] = set()
    emails: set[str] = set()
    for registrant_id, email in rows:
        if registrant_id:
            registrants.add(str(registrant_id))
        if email:
            emails.add(str(email).lower())
    return registrants, emails
