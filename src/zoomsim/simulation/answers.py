"""Checking a participant's answers against a poll's or survey's questions, the way the Zoom
client only lets valid answers through: a single-choice question takes one of its choices, a
rating stays inside its scale, a matching question pairs known prompts with known choices.

Answers come as a list of {"question": name | "index": n, "answer": ...} or as a mapping of
question name to answer. What is stored is the report's shape: one {"question", "answer"}
per question, several choices joined with ";" as Zoom's poll reports do."""
from __future__ import annotations

from typing import Any

from zoomsim.errors import validation_failed

Errors = list[dict[str, str]]


def _as_items(raw: Any, errors: Errors) -> list[tuple[str, Any, str]]:
    """(question key, answer, field path) triples from either input shape."""
    if isinstance(raw, dict):
        return [(str(k), v, f"answers.{k}") for k, v in raw.items()]
    if not isinstance(raw, list) or not raw:
        errors.append({"field": "answers", "message": "Give at least one answer."})
        return []
    out = []
    for i, item in enumerate(raw):
        path = f"answers[{i}]"
        if not isinstance(item, dict) or "answer" not in item:
            errors.append({"field": path, "message": "Each answer needs a question (or index) and an answer."})
            continue
        key = item.get("question", item.get("index"))
        if key is None or isinstance(key, bool):
            errors.append({"field": path + ".question", "message": "Name the question or give its index."})
            continue
        out.append((f"#{key}" if isinstance(key, int) else str(key), item["answer"], path + ".answer"))
    return out


def _find(questions: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    if key.startswith("#") and key[1:].isdigit():
        index = int(key[1:])
        return questions[index] if index < len(questions) else None
    return next((q for q in questions if str(q.get("name")) == key), None)


def _texts(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _one(question: dict[str, Any], value: Any, path: str, errors: Errors) -> str | None:
    kind = str(question.get("type") or "single")
    choices = [str(a) for a in question.get("answers") or []]
    bad = len(errors)
    text: str | None = None
    if kind in ("single", "multiple"):
        picked = _texts(value)
        if picked is None or (kind == "single" and len(picked) != 1) or len(set(picked)) != len(picked):
            errors.append({"field": path, "message": "Pick one choice." if kind == "single" else "Pick one or more choices."})
        elif any(p not in choices for p in picked):
            errors.append({"field": path, "message": "Not one of the question's choices."})
        else:
            text = ";".join(picked)
    elif kind in ("short_answer", "long_answer"):
        lo = int(question.get("answer_min_character") or 1)
        hi = int(question.get("answer_max_character") or (500 if kind == "short_answer" else 2000))
        if not isinstance(value, str) or not lo <= len(value) <= hi:
            errors.append({"field": path, "message": f"Answer with text of {lo} to {hi} characters."})
        else:
            text = value
    elif kind == "fill_in_the_blank":
        blanks = _texts(value)
        if blanks is None:
            errors.append({"field": path, "message": "Fill the blanks with text."})
        else:
            text = ";".join(blanks)
    elif kind == "rating_scale":
        lo, hi = int(question.get("rating_min_value") or 0), int(question.get("rating_max_value") or 10)
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).lstrip("-").isdigit() \
                or not lo <= int(value) <= hi:
            errors.append({"field": path, "message": f"Rate from {lo} to {hi}."})
        else:
            text = str(int(value))
    elif kind in ("matching", "rank_order"):
        prompts = [str(p.get("prompt_question")) for p in question.get("prompts") or [] if isinstance(p, dict)]
        if not isinstance(value, dict) or not value:
            errors.append({"field": path, "message": "Answer with a mapping of prompt to choice."})
        elif any(k not in prompts for k in value) or any(str(v) not in choices for v in value.values()):
            errors.append({"field": path, "message": "Use the question's prompts and choices."})
        else:
            text = ";".join(f"{k}:{v}" for k, v in value.items())
    else:
        errors.append({"field": path, "message": f"Questions of type {kind} cannot be answered."})
    return text if len(errors) == bad else None


def check(questions: list[dict[str, Any]], raw: Any) -> list[dict[str, str]]:
    """Validated answers as report details, or a 300 listing every bad answer."""
    errors: Errors = []
    details: list[dict[str, str]] = []
    seen: set[str] = set()
    for key, value, path in _as_items(raw, errors):
        question = _find(questions, key)
        if question is None:
            errors.append({"field": path.rsplit(".", 1)[0] if path.endswith(".answer") else path,
                           "message": f"No such question: {key.lstrip('#')}."})
            continue
        name = str(question.get("name"))
        if name in seen:
            errors.append({"field": path, "message": f"Question answered twice: {name}."})
            continue
        seen.add(name)
        text = _one(question, value, path, errors)
        if text is not None:
            details.append({"question": name, "answer": text})
    for i, question in enumerate(questions):
        if question.get("answer_required") and str(question.get("name")) not in seen:
            errors.append({"field": f"questions[{i}]", "message": f"This question needs an answer: {question.get('name')}."})
    if errors:
        raise validation_failed(errors)
    return details
