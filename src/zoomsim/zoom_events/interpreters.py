"""Interpreters of a session: list, and PUT that replaces the list.

Language interpreters (type 1) translate between two of Zoom's nine spoken languages; sign
language interpreters (type 2) sign in one of ten sign languages. The list is one account item
of kind `ze_interpreters` (id = the session, owner = the event); the session object's
`interpreter_languages` and `sign_interpreter_languages` are kept to the languages it names,
so `GET .../sessions/{id}` shows what its interpreters offer."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.context import Ctx, Input
from zoomsim.errors import validation_failed
from zoomsim.platform.validation import is_email
from zoomsim.storage import events as repo
from zoomsim.storage import items as items_repo
from zoomsim.zoom_events import access, parts

KIND = parts.INTERPRETERS
LANGUAGE, SIGN = 1, 2
LANGUAGES = {"US": "English", "CN": "Chinese", "JP": "Japanese", "DE": "German", "FR": "French",
             "RU": "Russian", "PT": "Portuguese", "ES": "Spanish", "KR": "Korean"}
SIGN_LANGUAGES = {"ASE": "American Sign Language", "CSL": "Chinese Sign Language", "FSL": "French Sign Language",
                  "GSG": "German Sign Language", "JSL": "Japanese Sign Language", "RSL": "Russian Sign Language",
                  "BZS": "Brazilian Sign Language", "SSP": "Spanish Sign Language", "MFS": "Mexican Sign Language",
                  "BFI": "British Sign Language"}
Errors = list[dict[str, str]]


def _bad(errors: Errors, field: str, message: str = "Invalid field.") -> None:
    errors.append({"field": field, "message": message})


def _cleaned(given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry checked; one pair (or sign language) per interpreter e-mail and type."""
    errors: Errors = []
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    for i, entry in enumerate(given):
        where = f"interpreters[{i}]"
        email = str(entry.get("email") or "").strip().lower()
        kind = entry.get("type")
        if not is_email(email):
            _bad(errors, f"{where}.email")
        if kind not in (LANGUAGE, SIGN):
            _bad(errors, f"{where}.type")
            continue
        if (email, kind) in seen:
            _bad(errors, f"{where}.email", "The interpreter is already in the list.")
        seen.add((email, kind))
        source, target = entry.get("source_language_id"), entry.get("target_language_id")
        if kind == LANGUAGE:
            if source not in LANGUAGES:
                _bad(errors, f"{where}.source_language_id")
            if target not in LANGUAGES or target == source:
                _bad(errors, f"{where}.target_language_id")
            out.append({"email": email, "type": kind, "source_language_id": source, "target_language_id": target})
        else:
            if target not in SIGN_LANGUAGES:
                _bad(errors, f"{where}.target_language_id")
            out.append({"email": email, "type": kind, "target_language_id": target})
    if errors:
        raise validation_failed(errors)
    return out


def shown(entry: dict[str, Any]) -> dict[str, Any]:
    if entry["type"] == SIGN:
        return {**entry, "target_language_display_name": SIGN_LANGUAGES[entry["target_language_id"]]}
    return {"email": entry["email"], "type": entry["type"], "source_language_id": entry["source_language_id"],
            "source_language_display_name": LANGUAGES[entry["source_language_id"]],
            "target_language_id": entry["target_language_id"],
            "target_language_display_name": LANGUAGES[entry["target_language_id"]]}


def of_session(ctx: Ctx, session_id: str) -> list[dict[str, Any]]:
    item = items_repo.get(ctx.db, ctx.account_id, KIND, session_id)
    return list(item.data()["interpreters"]) if item is not None else []


def _languages(entries: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The session's spoken languages (both sides of each pair) and sign languages, in order."""
    spoken: dict[str, str] = {}
    signed: dict[str, str] = {}
    for e in entries:
        if e["type"] == LANGUAGE:
            for key in ("source_language_id", "target_language_id"):
                spoken.setdefault(e[key], LANGUAGES[e[key]])
        else:
            signed.setdefault(e["target_language_id"], SIGN_LANGUAGES[e["target_language_id"]])
    as_list = lambda found: [{"language_id": k, "language_display_name": v} for k, v in found.items()]  # noqa: E731
    return as_list(spoken), as_list(signed)


def list_interpreters(ctx: Ctx, inp: Input) -> dict[str, Any]:
    event = access.load_event(ctx, inp.path["eventId"])
    row = access.load_session(ctx, event, inp.path["sessionId"])
    out = [shown(e) for e in of_session(ctx, row.id)]
    return {"total_records": len(out), "interpreters": out}


def update_interpreters(ctx: Ctx, inp: Input) -> None:
    event = access.load_event(ctx, inp.path["eventId"])
    entries = _cleaned(list((inp.body or {}).get("interpreters") or []))
    parts.lock(ctx, inp.path["sessionId"], KIND)
    row = access.load_session(ctx, event, inp.path["sessionId"])    # read under the lock: the doc is rewritten
    if items_repo.get(ctx.db, ctx.account_id, KIND, row.id) is None:
        parts.add(ctx, KIND, event.id, row.id, {"interpreters": entries})
    else:
        items_repo.save(ctx.db, ctx.account_id, KIND, row.id, {"interpreters": entries})
    doc = row.data()
    doc["interpreter_languages"], doc["sign_interpreter_languages"] = _languages(entries)
    repo.save_session(ctx.db, event.id, doc, row.meeting_id)


HANDLERS: dict[str, Callable[..., Any]] = {
    "getSessionInterpreterList": list_interpreters,
    "updateSessionInterpreters": update_interpreters,
}
