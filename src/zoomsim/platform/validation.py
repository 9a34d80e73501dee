"""Request validation compiled from the operation table's JSON schemas.

A schema becomes a tree of small closures, built once per operation on first use. Values
from query strings and form bodies arrive as text and are coerced; JSON bodies are checked
as sent. Unknown fields pass through untouched (real clients send extra ones).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from zoomsim import clock
from zoomsim.errors import validation_failed

Errors = list[dict[str, str]]
Check = Callable[[Any, str, Errors], Any]

INVALID = "Invalid field."
_MISSING = object()

# An address Zoom would accept: no whitespace, control or invisible formatting characters, no
# characters that need quoting, a local part of at most 64 and a dotted domain with a 2+ char TLD.
_NOT_EMAIL_CHARS = r"@\s\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060\ufeff\"(),:;<>\[\]\\"
EMAIL_RE = re.compile(
    rf"^[^{_NOT_EMAIL_CHARS}]{{1,64}}@(?:[^{_NOT_EMAIL_CHARS}.]+\.)+[^{_NOT_EMAIL_CHARS}.]{{2,}}$"
)


def is_email(value: str) -> bool:
    return EMAIL_RE.match(value.strip()) is not None


def _merge_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    props: dict[str, Any] = dict(merged.get("properties") or {})
    required: list[str] = list(merged.get("required") or [])
    for part in schema["allOf"]:
        if "allOf" in part:
            part = _merge_all_of(part)
        props.update(part.get("properties") or {})
        required.extend(part.get("required") or [])
        for key in ("type", "additionalProperties"):
            if key in part and key not in merged:
                merged[key] = part[key]
    merged["properties"] = props
    merged["required"] = required
    if "type" not in merged and props:
        merged["type"] = "object"
    return merged


def _as_int(value: Any, coerce: bool) -> Any:
    if isinstance(value, bool):
        return _MISSING
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if coerce and isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return _MISSING
    return _MISSING


def _as_number(value: Any, coerce: bool) -> Any:
    if isinstance(value, bool):
        return _MISSING
    if isinstance(value, (int, float)):
        return value
    if coerce and isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return _MISSING
    return _MISSING


def _as_bool(value: Any, coerce: bool) -> Any:
    if isinstance(value, bool):
        return value
    if coerce and isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0"):
            return False
    return _MISSING


def _as_str(value: Any, coerce: bool) -> Any:
    if isinstance(value, str):
        # NUL can't be stored (PostgreSQL text refuses it) and no Zoom field means anything with it.
        return _MISSING if "\x00" in value else value
    if coerce and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return _MISSING


_SCALARS = {"integer": _as_int, "number": _as_number, "boolean": _as_bool, "string": _as_str}
_MOMENTS = ("date", "date-time")


def _out_of_calendar(text: str, fmt: str) -> bool:
    """A well-formed date or time outside the server's calendar (clock.check_year). Malformed
    ones pass: the handler that reads the field answers those in its own words."""
    try:
        if fmt == "date":
            clock.check_year(date.fromisoformat(text.strip()).year)
        else:
            clock.parse_moment(text)
    except clock.OutOfRange:
        return True
    except (ValueError, OverflowError):
        return False
    return False


def compile_schema(schema: dict[str, Any] | None, coerce: bool = False, name: str = "", emails: bool = False) -> Check:
    """Turn a schema into check(value, field_path, errors) -> cleaned value.

    `name` is the property the schema belongs to; with `emails`, a string property named `email`
    is checked as an address even where the spec forgot `format: email` (Zoom checks them all)."""
    if not schema:
        return lambda v, p, e: v
    if "allOf" in schema:
        schema = _merge_all_of(schema)
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        return _compile_alternatives(schema, alternatives, coerce, name, emails)
    kind = schema.get("type")
    if kind is None and "properties" in schema:
        kind = "object"
    if kind == "object":
        return _compile_object(schema, coerce, emails)
    if kind == "array":
        return _compile_array(schema, coerce, emails)
    if kind == "string" and schema.get("format") == "binary":
        return lambda v, p, e: v     # an uploaded file (platform/uploads.Upload): its operation judges it
    if kind in _SCALARS:
        email = kind == "string" and (schema.get("format") == "email" or (emails and name == "email"))
        return _compile_scalar(schema, kind, coerce, email, allow_empty=name != "email")
    return lambda v, p, e: v


def _compile_alternatives(
    schema: dict[str, Any], alternatives: list[dict[str, Any]], coerce: bool, name: str, emails: bool
) -> Check:
    base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
    checks = [compile_schema({**base, **alt}, coerce, name, emails) for alt in alternatives]

    def check(value: Any, path: str, errors: Errors) -> Any:
        for c in checks:
            trial: Errors = []
            out = c(value, path, trial)
            if not trial:
                return out
        errors.append({"field": path, "message": INVALID})
        return value

    return check


def _compile_scalar(
    schema: dict[str, Any], kind: str, coerce: bool, email: bool = False, allow_empty: bool = True
) -> Check:
    convert = _SCALARS[kind]
    enum = schema.get("enum")
    enum_set = None
    if enum:
        enum_set = {str(x) for x in enum} if kind == "string" else set(enum)
    max_len = schema.get("maxLength") if kind == "string" else None
    min_len = schema.get("minLength") if kind == "string" else None
    maximum = schema.get("maximum") if kind in ("integer", "number") else None
    minimum = schema.get("minimum") if kind in ("integer", "number") else None
    nullable = True  # Zoom treats an explicit null on an optional field as "not given"
    moment = schema.get("format") if kind == "string" and schema.get("format") in _MOMENTS else None

    def check(value: Any, path: str, errors: Errors) -> Any:
        if value is None and nullable:
            return None
        out = convert(value, coerce)
        if out is _MISSING:
            errors.append({"field": path, "message": INVALID})
            return value
        if enum_set is not None and out not in enum_set:
            errors.append({"field": path, "message": INVALID})
        elif max_len is not None and len(out) > max_len:
            errors.append({"field": path, "message": f"Length must be no more than {max_len} characters."})
        elif min_len is not None and len(out) < min_len:
            errors.append({"field": path, "message": INVALID})
        elif email and not is_email(out) and not (allow_empty and out == ""):
            errors.append({"field": path, "message": INVALID})
        elif maximum is not None and out > maximum:
            errors.append({"field": path, "message": INVALID})
        elif minimum is not None and out < minimum:
            errors.append({"field": path, "message": INVALID})
        elif moment is not None and _out_of_calendar(out, moment):
            errors.append({"field": path, "message": INVALID})
        return out

    return check


def _compile_object(schema: dict[str, Any], coerce: bool, emails: bool = False) -> Check:
    props = {name: compile_schema(sub, coerce, name, emails) for name, sub in (schema.get("properties") or {}).items()}
    required = tuple(dict.fromkeys(schema.get("required") or ()))

    def check(value: Any, path: str, errors: Errors) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            errors.append({"field": path or "body", "message": INVALID})
            return value
        for name in required:
            if value.get(name) is None:
                errors.append({"field": f"{path}.{name}" if path else name, "message": INVALID})
        out = dict(value)
        for name, sub in props.items():
            if name in value:
                out[name] = sub(value[name], f"{path}.{name}" if path else name, errors)
        return out

    return check


def _wants_value(schema: Any) -> bool:
    """Whether a schema describes an actual value (an object, a string, ...) rather than
    anything at all: a null array item is then an error, since handlers iterate the items."""
    if not isinstance(schema, dict) or schema.get("nullable"):
        return False
    return any(key in schema for key in ("type", "properties", "allOf", "oneOf", "anyOf"))


def _compile_array(schema: dict[str, Any], coerce: bool, emails: bool = False) -> Check:
    item = compile_schema(schema.get("items"), coerce, "", emails)
    no_null = _wants_value(schema.get("items"))
    max_items = schema.get("maxItems")

    def check(value: Any, path: str, errors: Errors) -> Any:
        if value is None:
            return None
        if not isinstance(value, list):
            errors.append({"field": path, "message": INVALID})
            return value
        if max_items is not None and len(value) > max_items:
            errors.append({"field": path, "message": f"Maximum {max_items} items."})
        out = []
        for i, v in enumerate(value):
            if v is None and no_null:
                errors.append({"field": f"{path}[{i}]", "message": INVALID})
                out.append(v)
            else:
                out.append(item(v, f"{path}[{i}]", errors))
        return out

    return check


def _files_optional(body: dict[str, Any]) -> dict[str, Any]:
    """An upload's required file is its operation's to miss: Zoom answers "No file uploaded"
    (code 120, each operation in its own words), not a validation failure."""
    props = body.get("properties") or {}
    binary = {name for name, sub in props.items() if isinstance(sub, dict) and sub.get("format") == "binary"}
    return {**body, "required": [name for name in body.get("required") or [] if name not in binary]}


class RequestValidator:
    """Validates one operation's query string and body; raises Zoom's 300 error naming every bad field."""

    PAGING = frozenset({"page_size", "next_page_token", "page_number"})

    def __init__(self, params: list[dict[str, Any]], body: dict[str, Any] | None, body_type: str | None) -> None:
        self.query: dict[str, Check] = {}
        self.required_query: list[str] = []
        self.defaults: dict[str, Any] = {}
        for p in params:
            if p.get("in") != "query" or p["name"] in self.PAGING:
                continue
            schema = p.get("schema") or {}
            self.query[p["name"]] = compile_schema(schema, coerce=True)
            if p.get("required"):
                self.required_query.append(p["name"])
            if "default" in schema:
                self.defaults[p["name"]] = schema["default"]
        if body and body_type == "multipart":
            body = _files_optional(body)
        self.body = compile_schema(body, coerce=(body_type in ("form", "multipart")), emails=True) if body else None
        self.body_required = bool(body and body.get("required"))

    def check_query(self, raw: dict[str, str]) -> dict[str, Any]:
        errors: Errors = []
        out: dict[str, Any] = dict(self.defaults)
        for name, value in raw.items():
            check = self.query.get(name)
            if check is None:
                out[name] = value
            elif value == "":
                continue  # an empty query value means "not given" to Zoom's parsers
            else:
                out[name] = check(value, name, errors)
        for name in self.required_query:   # a required parameter with a default is never missing
            if raw.get(name) in (None, "") and name not in self.defaults:
                errors.append({"field": name, "message": INVALID})
        if errors:
            raise validation_failed(errors)
        return out

    def check_body(self, body: Any) -> Any:
        if self.body is None:
            return body
        errors: Errors = []
        if body is None:
            if not self.body_required:
                return None
            body = {}  # so the missing required fields are named
        out = self.body(body, "", errors)
        if errors:
            raise validation_failed(errors)
        return out
