"""The seventeen v1 `/webinar/*` calls, each a v2 webinar operation (or two) in v1's words.
Writes go through the v2 handlers, so a webinar, registrant or panelist made here is the one
v2 reads, updates and simulates, and the reverse."""
from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import Any

from zoomsim import jsonio
from zoomsim.legacy_v1.call import V1Call
from zoomsim.legacy_v1.params import invalid
from zoomsim.legacy_v1.shapes import panelists as panelist_list
from zoomsim.legacy_v1.shapes import v1_webinar, v2_body
from zoomsim.meetings.kinds import WEBINAR
from zoomsim.storage import instances as instances_repo
from zoomsim.storage import meetings as meetings_repo
from zoomsim.storage import registrants as registrants_repo
from zoomsim.storage import users as users_repo

MAX_REGISTRANT_IDS = 15
REGISTRANT_FIELDS = ("address", "city", "country", "zip", "state", "phone", "industry", "org", "job_title",
                     "purchasing_time_frame", "role_in_purchase_process", "no_of_employees", "comments")
# The standard questions' answers, as v1's attendee report groups them under "questions".
STANDARD_ANSWERS = REGISTRANT_FIELDS


def _email_of(c: V1Call) -> Callable[[str], str | None]:
    def email_of(user_id: str) -> str | None:
        user = users_repo.get(c.db, c.account_id, user_id)
        return None if user is None else user.email
    return email_of


def _add_panelists(c: V1Call, number: int, host_id: str) -> None:
    people = panelist_list(c.form)
    if people:
        c.run("webinarPanelistCreate", {"webinarId": str(number)}, body={"panelists": people}, as_user=host_id)


# ---- webinars ------------------------------------------------------------------------------

def create(c: V1Call) -> dict[str, Any]:
    host = c.host()
    body = v2_body(c.form, _email_of(c), creating=True)
    panelist_list(c.form)       # a bad panelists value fails before anything is written
    doc = c.run("webinarCreate", {"userId": host.id}, body=body, as_user=host.id)
    _add_panelists(c, int(doc["id"]), host.id)
    return v1_webinar(doc)


def get(c: V1Call) -> dict[str, Any]:
    host = c.host()
    row = c.webinar(host)
    doc = c.run("webinar", {"webinarId": str(row.id)}, as_user=host.id)
    return v1_webinar(doc, occurrences=True)


def update(c: V1Call) -> dict[str, Any]:
    host = c.host()
    row = c.webinar(host, changes=True)
    body = v2_body(c.form, _email_of(c), creating=False)
    if not body["settings"]:
        del body["settings"]
    panelist_list(c.form)
    if body:
        c.run("webinarUpdate", {"webinarId": str(row.id)}, body=body, as_user=host.id)
    _add_panelists(c, row.id, host.id)
    return {"id": str(row.id), "updated_at": c.now_iso}


def delete(c: V1Call) -> dict[str, Any]:
    host = c.host()
    row = c.webinar(host, changes=True)
    c.run("webinarDelete", {"webinarId": str(row.id)}, {"occurrence_id": c.form.text("occurrence_id")},
          as_user=host.id)
    return {"id": str(row.id), "deleted_at": c.now_iso}


def end(c: V1Call) -> dict[str, Any]:
    """Ends the running webinar; one that is not running has nothing to end, and v1 said so
    with the same answer."""
    host = c.host()
    row = c.webinar(host, changes=True)
    if row.status == "started":
        c.run("webinarStatus", {"webinarId": str(row.id)}, body={"action": "end"}, as_user=host.id)
    return {"id": str(row.id), "ended_at": c.now_iso}


def _listing(c: V1Call, keep: Callable[[dict[str, Any]], bool], **filters: Any) -> dict[str, Any]:
    host = c.host()
    size, number = c.form.paging()
    rows = meetings_repo.for_host(c.db, host.id, types=tuple(sorted(WEBINAR.types)), **filters)
    docs = [doc for doc in (jsonio.loads(r.doc) for r in rows) if keep(doc)]
    return {
        "page_count": ceil(len(docs) / size), "total_records": len(docs), "page_number": number,
        "page_size": size, "webinars": [v1_webinar(d) for d in docs[(number - 1) * size:number * size]],
    }


def _approval(doc: dict[str, Any]) -> int:
    return int((doc.get("settings") or {}).get("approval_type", 2))


def list_webinars(c: V1Call) -> dict[str, Any]:
    """The host's webinars that need no registration."""
    return _listing(c, lambda doc: _approval(doc) == 2)


def list_registration(c: V1Call) -> dict[str, Any]:
    """The host's registration webinars that are not over yet."""
    return _listing(c, lambda doc: _approval(doc) != 2, ends_after=c.now_iso)


# ---- registration --------------------------------------------------------------------------

def register(c: V1Call) -> dict[str, Any]:
    row = c.webinar(None)
    body: dict[str, Any] = {name: c.form.text(name, required=True) for name in ("email", "first_name", "last_name")}
    for name in REGISTRANT_FIELDS + ("language",):
        value = c.form.text(name)
        if value is not None:
            body[name] = value
    custom = c.form.structured("custom_questions")
    if custom is not None:
        if not isinstance(custom, list) or not all(isinstance(q, dict) and q.get("title") for q in custom):
            raise invalid("custom_questions")
        body["custom_questions"] = [{"title": str(q["title"]), "value": str(q.get("value") or "")} for q in custom]
    occurrences = c.form.ids("occurrence_ids")
    made = c.run("webinarRegistrantCreate", {"webinarId": str(row.id)},
                 {"occurrence_ids": ",".join(occurrences) or None}, body, as_user=row.host_id)
    return {"registrant_id": made["registrant_id"], "id": str(row.id), "topic": made["topic"],
            "start_time": made.get("start_time") or "", "join_url": made.get("join_url") or ""}


def _registrants(c: V1Call, status: str, occurrence_id: str | None = None) -> tuple[dict[str, Any], int]:
    host = c.host()
    row = c.webinar(host)
    size, number = c.form.paging()
    page = c.run("webinarRegistrants", {"webinarId": str(row.id)},
                 {"status": status, "page_size": size, "page_number": number, "occurrence_id": occurrence_id},
                 as_user=host.id)
    return page, size


def _paged(page: dict[str, Any], size: int) -> dict[str, Any]:
    return {"page_count": page.get("page_count", 0), "page_number": page.get("page_number", 1),
            "page_size": size, "total_records": page.get("total_records", 0)}


def registrants_list(c: V1Call) -> dict[str, Any]:
    """Pending (type 0, the default) or approved (type 1) registrants."""
    kind = c.form.number("type", default=0, choices=frozenset({0, 1}))
    page, size = _registrants(c, "approved" if kind == 1 else "pending")
    users = [{"id": r["id"], "first_name": r.get("first_name", ""), "last_name": r.get("last_name", ""),
              "email": r["email"], "registration_time": r.get("create_time", "")} for r in page["registrants"]]
    return {**_paged(page, size), "type": kind, "users": users}


def registration(c: V1Call) -> dict[str, Any]:
    """Approved registrants with their join links (v1 called the link registration_url)."""
    page, size = _registrants(c, "approved", c.form.text("occurrence_id"))
    attendees = [{"id": r["id"], "first_name": r.get("first_name", ""), "last_name": r.get("last_name", ""),
                  "create_time": r.get("create_time", ""), "approval": r.get("status", "approved"),
                  "email": r["email"], "registration_url": r.get("join_url", "")} for r in page["registrants"]]
    return {**_paged(page, size), "attendees": attendees}


def _set_status(c: V1Call, action: str) -> dict[str, Any]:
    host = c.host()
    row = c.webinar(host, changes=True)
    ids = c.form.ids("registrant_ids", required=True, most=MAX_REGISTRANT_IDS)
    known = {r.id for r in registrants_repo.find(c.db, row.id, ids=ids)}
    if any(rid not in known for rid in ids):
        raise invalid("registrant_ids")
    c.run("webinarRegistrantStatus", {"webinarId": str(row.id)}, {"occurrence_id": c.form.text("occurrence_id")},
          {"action": action, "registrants": [{"id": rid} for rid in ids]}, as_user=host.id)
    return {"id": str(row.id), "updated_at": c.now_iso}


def registration_cancel(c: V1Call) -> dict[str, Any]:
    return _set_status(c, "cancel")


def registrants_approve(c: V1Call) -> dict[str, Any]:
    return _set_status(c, "approve")


def panelists(c: V1Call) -> dict[str, Any]:
    host = c.host()
    row = c.webinar(host)
    got = c.run("webinarPanelists", {"webinarId": str(row.id)}, as_user=host.id)
    people = [{"name": p.get("name", ""), "email": p.get("email", ""), "join_url": p.get("join_url", "")}
              for p in got.get("panelists") or []]
    return {"total_records": len(people), "panelists": people}


# ---- ended webinars ------------------------------------------------------------------------

def _instance_key(c: V1Call) -> tuple[str, int, str]:
    """(path value, webinar number, host) of an ended webinar: its `uuid` when given (it must
    be a run of this webinar), else the webinar, whose latest run v2 picks."""
    host = c.host()
    row = c.webinar(host)
    uuid = c.form.text("uuid")
    if uuid is not None:
        run = instances_repo.get_by_uuid(c.db, uuid)
        if run is None or run.meeting_id != row.id:
            raise invalid("uuid")
    return (uuid or str(row.id)), row.id, host.id


def uuid_list(c: V1Call) -> dict[str, Any]:
    host = c.host()
    row = c.webinar(host)
    got = c.run("pastWebinars", {"webinarId": str(row.id)}, as_user=host.id)
    return {"webinars": [{"uuid": w["uuid"], "start_time": w["start_time"]} for w in got.get("webinars") or []]}


def _all_pages(c: V1Call, op_id: str, key: str, path: dict[str, str], host_id: str) -> tuple[dict[str, Any], list[Any]]:
    first: dict[str, Any] = {}
    items: list[Any] = []
    token = None
    while True:
        got = c.run(op_id, path, {"page_size": 300, "next_page_token": token}, as_user=host_id)
        first = first or got
        items.extend(got.get(key) or [])
        token = got.get("next_page_token")
        if not token:
            return first, items


def _answers(doc: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    custom = {str(q.get("title")): str(q.get("value") or "") for q in doc.get("custom_questions") or []}
    standard = {k: str(doc[k]) for k in STANDARD_ANSWERS if doc.get(k)}
    return custom, standard


def attendees_list(c: V1Call) -> dict[str, Any]:
    """Who attended (one line per person, their sessions added up) and, on a registration
    webinar, the registrants who did not ("attended": "No"), with their registration answers."""
    subject, number, host_id = _instance_key(c)
    _, sessions = _all_pages(c, "listWebinarParticipants", "participants", {"webinarId": subject}, host_id)
    people: dict[str, dict[str, Any]] = {}
    for s in sessions:
        key = s.get("registrant_id") or s.get("user_email") or s.get("name") or s.get("user_id")
        person = people.get(key)
        if person is None:
            person = people[key] = {"session": s, "join": s["join_time"], "leave": s.get("leave_time") or "",
                                    "seconds": 0}
        person["join"] = min(person["join"], s["join_time"])
        person["leave"] = max(person["leave"], s.get("leave_time") or "")
        person["seconds"] += int(s.get("duration") or 0)
    wanted = [p["session"]["registrant_id"] for p in people.values() if p["session"].get("registrant_id")]
    registered = {r.id: r.data() for r in registrants_repo.find(c.db, number, ids=wanted)}
    out = []
    for person in people.values():
        s = person["session"]
        reg = registered.get(s.get("registrant_id") or "", {})
        first, _, last = str(s.get("name") or "").partition(" ")
        custom, standard = _answers(reg)
        out.append({"first_name": reg.get("first_name", first), "last_name": reg.get("last_name", last),
                    "email": reg.get("email") or s.get("user_email") or "", "join_time": person["join"],
                    "leave_time": person["leave"], "time_in_session": str(ceil(person["seconds"] / 60)),
                    "attended": "Yes", "custom_questions": custom, "questions": standard})
    for reg in _absentees(c, subject, number, host_id):
        custom, standard = _answers(reg)
        out.append({"first_name": reg.get("first_name", ""), "last_name": reg.get("last_name", ""),
                    "email": reg.get("email", ""), "join_time": "", "leave_time": "", "time_in_session": "0",
                    "attended": "No", "custom_questions": custom, "questions": standard})
    return {"attendees": out}


def _absentees(c: V1Call, subject: str, number: int, host_id: str) -> list[dict[str, Any]]:
    row = meetings_repo.get(c.db, number)
    if row is None or int((row.data().get("settings") or {}).get("approval_type", 2)) == 2:
        return []
    _, regs = _all_pages(c, "webinarAbsentees", "registrants", {"webinarId": subject}, host_id)
    return regs


def _ended_records(c: V1Call, op_id: str) -> dict[str, Any]:
    subject, _, host_id = _instance_key(c)
    got = c.run(op_id, {"webinarId": subject}, as_user=host_id)
    questions = [{"name": q.get("name", ""), "email": q.get("email", ""),
                  "question_details": [{"question": d.get("question", ""), "answer": d.get("answer", "")}
                                       for d in q.get("question_details") or []]}
                 for q in got.get("questions") or []]
    return {"id": str(got.get("id", "")), "uuid": got.get("uuid", ""), "start_time": got.get("start_time", ""),
            "questions": questions}


def polls(c: V1Call) -> dict[str, Any]:
    return _ended_records(c, "listPastWebinarPollResults")


def questions(c: V1Call) -> dict[str, Any]:
    return _ended_records(c, "listPastWebinarQA")


# operationId -> (handler, whether it writes).
CALLS: dict[str, tuple[Callable[[V1Call], dict[str, Any]], bool]] = {
    "webinarCreate_v1": (create, True),
    "webinarGet": (get, False),
    "webinarUpdate_v1": (update, True),
    "webinarDelete_v1": (delete, True),
    "webinarEnd": (end, True),
    "webinarList": (list_webinars, False),
    "webinarListRegistration": (list_registration, False),
    "webinarRegister": (register, True),
    "webinarRegistrantsList": (registrants_list, False),
    "webinarRegistration": (registration, False),
    "webinarRegistrationCancel": (registration_cancel, True),
    "webinarRegistrantsApprove": (registrants_approve, True),
    "webinarPanelists_v1": (panelists, False),
    "webinarUuidList": (uuid_list, False),
    "webinarAttendeesList": (attendees_list, False),
    "webinarPolls_v1": (polls, False),
    "webinarQuestions": (questions, False),
}
HANDLERS: dict[str, Callable[..., Any]] = {op_id: fn for op_id, (fn, _) in CALLS.items()}
WRITES = frozenset(op_id for op_id, (_, writes) in CALLS.items() if writes)
