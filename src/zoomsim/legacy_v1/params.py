"""A v1 call's parameters: the query string and the form body merged (the body wins), nested
`a[b]=1` / `a[0][b]=1` keys folded the way Node's `qs` writes them, and typed reads that turn
a bad value into v1's error naming the field. Everything arrives as text."""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from zoomsim.errors import RawError

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
TRUE = frozenset({"true", "1", "yes", "on"})
FALSE = frozenset({"false", "0", "no", "off"})
MAX_PAGE_SIZE = 300


def v1_error(code: int, message: str, headers: dict[str, str] | None = None) -> RawError:
    """v1's envelope. v1 clients look for an "error" section in the body and never at the
    status (Zoom's Node library parses every answer as JSON), so errors answer 200 as v1 did."""
    return RawError(200, {"error": {"code": code, "message": message}}, headers)


def missing(name: str) -> RawError:
    return v1_error(300, f"Missing field: {name}")


def invalid(name: str) -> RawError:
    return v1_error(300, f"Invalid parameter: {name}")


def merge(query: dict[str, str], body: bytes, content_type: str) -> dict[str, Any]:
    """The call's parameters, query first and form body over it. A JSON body is read too: some
    v1 wrappers posted JSON, and ignoring it would look like missing fields."""
    pairs: list[tuple[str, Any]] = list(query.items())
    text = body.decode("utf-8", "replace").strip() if body else ""
    if text:
        if "json" in content_type.lower() and text[:1] == "{":
            try:
                doc = json.loads(text)
            except ValueError:
                raise v1_error(300, "Invalid request body.") from None
            pairs.extend((str(k), v) for k, v in doc.items())
        else:
            pairs.extend(parse_qsl(text, keep_blank_values=True))
    out: dict[str, Any] = {}
    for key, value in pairs:
        _put(out, key, value)
    return _lists(out)


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    head, _, rest = key.partition("[")
    if not rest or not head:
        out[key] = value
        return
    path = [head] + _BRACKETS.findall("[" + rest)
    node = out
    for i, part in enumerate(path[:-1]):
        if part == "":      # a[][b]=1&a[][c]=2&a[][b]=3: a repeated key starts the next item
            bucket = node.setdefault("", [])
            if not isinstance(bucket, list):
                return
            leaf = i + 1 == len(path) - 1
            if not bucket or not isinstance(bucket[-1], dict) or (leaf and path[i + 1] in bucket[-1]):
                bucket.append({})
            node = bucket[-1]
            continue
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    last = path[-1]
    if last == "":          # a[]=x&a[]=y
        bucket = node.setdefault("", [])
        if isinstance(bucket, list):
            bucket.append(value)
    else:
        node[last] = value


def _lists(node: Any) -> Any:
    """{"0": x, "1": y} (and a[]= buckets) become lists, as qs.parse would give them."""
    if isinstance(node, list):
        return [_lists(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _lists(v) for k, v in node.items()}
    if set(node) == {""} and isinstance(node[""], list):
        return node[""]
    if node and all(k.isdigit() for k in node):
        return [node[k] for k in sorted(node, key=int)]
    return node


class Form:
    """Typed reads of one call's parameters; each bad value is v1's 300 naming the field."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str, *, required: bool = False, max_len: int | None = None,
             pattern: re.Pattern[str] | None = None) -> str | None:
        raw = self.values.get(name)
        if raw in (None, ""):
            if required:
                raise missing(name)
            return None
        if not isinstance(raw, str) or (max_len is not None and len(raw) > max_len) \
                or (pattern is not None and not pattern.fullmatch(raw)):
            raise invalid(name)
        return raw

    def number(self, name: str, *, required: bool = False, default: int | None = None,
               choices: frozenset[int] | None = None, low: int | None = None, high: int | None = None) -> int | None:
        raw = self.values.get(name)
        if raw in (None, ""):
            if required and default is None:
                raise missing(name)
            return default
        text = raw.strip() if isinstance(raw, str) else str(raw)
        if isinstance(raw, bool) or not re.fullmatch(r"-?\d{1,9}", text):
            raise invalid(name)
        value = int(text)
        if (choices is not None and value not in choices) or (low is not None and value < low) \
                or (high is not None and value > high):
            raise invalid(name)
        return value

    def flag(self, name: str) -> bool | None:
        raw = self.values.get(name)
        if raw in (None, ""):
            return None
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise invalid(name)

    def choice(self, name: str, options: tuple[str, ...]) -> str | None:
        value = self.text(name)
        if value is not None and value not in options:
            raise invalid(name)
        return value

    def structured(self, name: str) -> Any:
        """A JSON string (as the docs ask) or the qs-nested form Node's client sends."""
        raw = self.values.get(name)
        if raw in (None, ""):
            return None
        if isinstance(raw, (dict, list)):
            return raw
        try:
            return json.loads(raw)
        except (TypeError, ValueError):
            raise invalid(name) from None

    def ids(self, name: str, *, required: bool = False, most: int | None = None) -> list[str]:
        """A comma-separated list of ids."""
        raw = self.values.get(name)
        if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            raw = ",".join(raw)
        if raw is not None and not isinstance(raw, str):
            raise invalid(name)
        items = [part.strip() for part in (raw or "").split(",") if part.strip()]
        if required and not items:
            raise missing(name)
        if most is not None and len(items) > most:
            raise invalid(name)
        return items

    def paging(self) -> tuple[int, int]:
        size = self.number("page_size", default=30, low=1, high=MAX_PAGE_SIZE)
        number = self.number("page_number", default=1, low=1)
        return int(size or 30), int(number or 1)
