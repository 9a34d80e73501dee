#!/usr/bin/env python3
"""Build zoomsim's operation table from the seed docs and the reference specs.

Reads ``<shared>/seeds`` and ``<shared>/reference`` and writes
``src/zoomsim/optable/operations.json`` (one operation per line, prose stripped).
Standard library only. Run: ``python tools/build_optable.py [--shared DIR] [--out FILE]``.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_OUT = REPO / "src" / "zoomsim" / "optable" / "operations.json"

METHODS = ("get", "post", "put", "patch", "delete")
PRIMARY_SPECS = [  # current specs, highest priority first
    ("meetings-2026", "zoom-meetings-api_2026-03_Meetings.json"),
    ("users-2026", "zoom-users-api_2026-03_Users.json"),
    ("events-2026", "zoom-events-api_2026-03_Events.json"),
]
FALLBACK_SPECS = [  # only consulted for seed operations the current specs lack
    ("monolithic-2023-10", "zoom-meeting-api_monolithic_2023-10_ZoomMeetingAPISpec.json"),
    ("monolithic-2023-07", "zoom-meeting-api_monolithic_2023-07_ZoomMeetingAPISpec.json"),
]
# Specs of which only some operations are served: the Marketplace API's event subscriptions and
# webhook logs (the rest of it manages Marketplace listings zoomsim has no use for).
PARTIAL_SPECS = [
    ("marketplace-2026", "zoom-marketplace-api_2026-03_Marketplace.json", {
        "getUserEventSubscriptions", "createEventSubscription", "unSubscribeEventSubscription",
        "deleteEventSubscription", "subscribeEventSubscription", "getWebhookLogs", "Getapicalllogs"}),
]
V1_SPEC = ("v1-2018", "zoom-api-v1_swagger2_2018-05_zoom-api-v1_openapi.v2.json")
SOURCE_ORDER = ["seeds", "meetings-2026", "users-2026", "events-2026", "marketplace-2026",
                "monolithic-2023-10", "monolithic-2023-07", "v1-2018"]
ID_RANK = ["meetings-2026", "users-2026", "events-2026", "marketplace-2026", "monolithic-2023-10",
           "monolithic-2023-07", "seeds", "v1-2018"]  # earlier wins an id clash

SCHEMA_KEYS = {
    "type", "format", "enum", "default", "required", "properties", "items",
    "maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems",
    "uniqueItems", "pattern", "oneOf", "anyOf", "allOf", "additionalProperties",
    "nullable", "deprecated",
}
# The v1 spec turned part of a field's prose into a "default"; it is not a value.
V1_BOGUS_DEFAULTS = {("password", " 10 characters")}
FORM_TYPES = [("application/json", "json"), ("multipart/form-data", "multipart"),
              ("application/x-www-form-urlencoded", "form")]

PARAM_RE = re.compile(r"\{[^}]*\}")
SCOPE_RE = re.compile(r"(Granular Scopes|Scopes?)\]?(?:\([^)]*\))?\**\s*:\s*\**\s*((?:`[^`]+`\s*,?\s*)+)")
RATE_RE = re.compile(r"Rate Limit Label\]?(?:\([^)]*\))?\**\s*:\s*\**\s*`?([A-Za-z][A-Za-z_ -]*[A-Za-z])")
ERR_RE = re.compile(r"(?:\*\*)?Error Code:?(?:\*\*)?\s*:?\s*`?(\d+)`?")
HTML_BR_RE = re.compile(r"<br\s*/?>", re.I)
BULLET_RE = re.compile(r"\n\s*\*\s+")
HTML_TAG_RE = re.compile(r"</?(?:br|p|b|i|strong|em|code|a|ul|ol|li|span|div)\b[^>]*>", re.I)
SEED_LINE_RE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/\S*)\s*$")
SEED_YAML_PATH_RE = re.compile(r"^(/[^\s:]*):\s*$")
SEED_YAML_METHOD_RE = re.compile(r"^(get|post|put|patch|delete):\s*$")
SEED_BULLET_RE = re.compile(r"^\s*•\s*(Method|Path):\s*(\S+)\s*$")
SEED_OPID_RE = re.compile(r"^\s*operationId:\s*(\S+)\s*$")
SEED_STATUS_RE = re.compile(r"^Status:\s*(\d{3})\b\s*(.*)$")

Op = dict[str, Any]


def shape(path: str) -> str:
    """Path with every parameter name replaced by ``{}``."""
    return PARAM_RE.sub("{}", path)


def api_of(path: str, v1: bool = False) -> str:
    """API a path belongs to."""
    if v1:
        return "v1"
    return "events" if path.startswith("/zoom_events") else "v2"


def clean_text(text: str) -> str:
    """Strip markdown/HTML decoration and collapse whitespace."""
    text = html.unescape(text or "")
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = HTML_TAG_RE.sub(" ", text)
    text = text.replace("**", "").replace("`", "")
    return " ".join(text.split())


def short(text: str, limit: int = 120) -> str:
    """First line of a text, cleaned and cut to ``limit`` characters."""
    lines = [ln for ln in (text or "").strip().splitlines() if ln.strip()]
    line = clean_text(lines[0]) if lines else ""
    if len(line) > limit:
        line = line[: limit - 3].rsplit(" ", 1)[0].rstrip(" ,;:") + "..."
    return line


def norm_rate(label: str | None) -> str | None:
    """Normalise a rate-limit label to LIGHT/MEDIUM/HEAVY/RESOURCE_INTENSIVE."""
    if not label:
        return None
    value = re.sub(r"[\s-]+", "_", label.strip()).upper()
    return value if value in {"LIGHT", "MEDIUM", "HEAVY", "RESOURCE_INTENSIVE"} else None


def split_csv(value: Any) -> list[str]:
    """Seed scopes come as comma-separated strings."""
    if not value:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [s.strip() for s in items if s and s.strip()]


def desc_scopes(desc: str) -> tuple[list[str], list[str]]:
    """Classic and granular scopes named in a description."""
    classic: list[str] = []
    granular: list[str] = []
    for kind, body in SCOPE_RE.findall(desc or ""):
        target = granular if kind.startswith("Granular") else classic
        target.extend(s.strip() for s in re.findall(r"`([^`]+)`", body) if s.strip())
    return list(dict.fromkeys(classic)), list(dict.fromkeys(granular))


def parse_errors(status_key: str, desc: str) -> list[tuple[int, int, str]]:
    """(status, code, message) triples found in a response description."""
    status = int(status_key)
    if not 400 <= status < 600:
        status = 400  # error codes filed under a 2xx/3xx key are sent as 400s
    matches = list(ERR_RE.finditer(desc or ""))
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(desc)
        chunk = HTML_BR_RE.sub("\n", desc[m.end():end].split("HTTP Status Code")[0])
        # a bulleted list under one code holds alternative messages: one entry each
        for part in BULLET_RE.split("\n" + chunk):
            if (msg := clean_text(part)):
                out.append((status, int(m.group(1)), msg))
    return out


def deref(node: Any, root: dict, stack: tuple[str, ...] = ()) -> Any:
    """Inline local ``$ref``s; a ref that recurses into itself becomes ``{}``."""
    if isinstance(node, list):
        return [deref(x, root, stack) for x in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        if ref in stack:
            return {}
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
        return deref(target, root, stack + (ref,))
    return {k: deref(v, root, stack) for k, v in node.items()}


# Fields and query parameters the specs give an enum for although Zoom takes a comma-separated
# list of those values ("2,4" = Monday and Wednesday); the handlers check each value instead.
LIST_VALUED = {"weekly_days", "meeting_feature"}


def clean_schema(node: Any) -> Any:
    """Keep only the validation keywords of a schema, recursively."""
    if not isinstance(node, dict):
        return node if isinstance(node, bool) else {}
    out: dict[str, Any] = {}
    for key, val in node.items():
        if key not in SCHEMA_KEYS:
            continue
        if key == "properties" and isinstance(val, dict):
            out[key] = {name: clean_schema(sub) for name, sub in val.items()}
            for name in LIST_VALUED & out[key].keys():
                out[key][name].pop("enum", None)
        elif key in ("items", "additionalProperties"):
            out[key] = clean_schema(val)
        elif key in ("oneOf", "anyOf", "allOf") and isinstance(val, list):
            out[key] = [clean_schema(sub) for sub in val]
        elif key == "required" and not isinstance(val, list):
            continue
        else:
            out[key] = val
    return out


def clean_param(p: dict) -> dict | None:
    """Parameter reduced to name, location, required flag and schema."""
    loc = p.get("in")
    if loc not in ("path", "query", "header") or not p.get("name"):
        return None
    schema = clean_schema(p.get("schema") or {k: v for k, v in p.items() if k in SCHEMA_KEYS and k != "required"})
    if p["name"] in LIST_VALUED:
        schema.pop("enum", None)
    return {"name": p["name"], "in": loc, "required": loc == "path" or bool(p.get("required")),
            "schema": schema}


# Success statuses the references get wrong. The 2026 and 2023 Meetings specs file an error text
# ("Webinar plan subscription is missing...") as the 200 of PUT /webinars/{webinarId}/status; the
# 2018 spec documents 204 "Webinar updated", which is what Zoom answers (and what ending a
# meeting answers).
STATUS_FIXES = {("PUT", "/webinars/{webinarId}/status"): 204}


def drop_phantom_required(schema: dict | None) -> dict | None:
    """A `required` name with no property of that name is a spec slip (POST .../vod_channels/
    {channelId}/videos requires the channel's `name` and `type`, copied from channel create):
    no client could send it on purpose, so it is not required."""
    if not isinstance(schema, dict):
        return schema
    props = schema.get("properties")
    if isinstance(props, dict):
        for sub in props.values():
            drop_phantom_required(sub)
        if isinstance(schema.get("required"), list):
            kept = [r for r in schema["required"] if r in props]
            if kept:
                schema["required"] = kept
            else:
                schema.pop("required")
    if isinstance(schema.get("items"), dict):
        drop_phantom_required(schema["items"])
    return schema


def success_status(responses: dict) -> int | None:
    """Lowest 2xx code whose response is not just an error list."""
    codes = []
    for key, resp in responses.items():
        desc = (resp or {}).get("description", "")
        if key.isdigit() and key.startswith("2"):
            if "Error Code" in desc and "HTTP Status Code" not in desc:
                continue
            codes.append(int(key))
    return min(codes) if codes else None


def success_response(responses: dict) -> dict | None:
    """JSON schema of the success response, prose stripped; None when it has no body (204)."""
    status = success_status(responses)
    if status is None or status == 204:
        return None
    content = (responses.get(str(status)) or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema")
    return clean_schema(schema) if isinstance(schema, dict) and schema else None


def spec_ops(tag: str, doc: dict) -> list[Op]:
    """Operations of an OpenAPI 3 spec, reduced to the table's fields."""
    ops = []
    for path, item in doc.get("paths", {}).items():
        item = deref(item, doc)
        shared = [p for p in item.get("parameters", []) if isinstance(p, dict)]
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            merged: dict[tuple, dict] = {(p.get("name"), p.get("in")): p for p in shared}
            merged.update({(p.get("name"), p.get("in")): p for p in op.get("parameters", []) if isinstance(p, dict)})
            params = [c for c in map(clean_param, merged.values()) if c]
            body, body_type = None, None
            content = (op.get("requestBody") or {}).get("content") or {}
            for ctype, kind in FORM_TYPES:
                if ctype in content:
                    body, body_type = clean_schema(content[ctype].get("schema") or {}), kind
                    break
            else:
                if content:
                    ctype = next(iter(content))
                    body = clean_schema(content[ctype].get("schema") or {})
                    body_type = "json" if "json" in ctype else "form" if "urlencoded" in ctype else "multipart"
            errors = []
            for key, resp in op.get("responses", {}).items():
                if key.isdigit():
                    errors += parse_errors(key, (resp or {}).get("description", ""))
            ext = op.get("x-extensions") or op.get("extensions") or {}
            desc = html.unescape(op.get("description", ""))
            ops.append({
                "source": tag, "api": api_of(path), "method": method.upper(), "path": path,
                "id": op.get("operationId"), "summary": short(op.get("summary") or desc),
                "x_scopes": split_csv(ext.get("x-macro-scopes")),
                "x_granular": split_csv(ext.get("x-granular-scopes")),
                "desc_scopes": desc_scopes(desc), "desc_rate": norm_rate(next(iter(RATE_RE.findall(desc)), None)),
                "status": success_status(op.get("responses", {})), "params": params,
                "body": body, "body_type": body_type, "errors": errors,
                "response": success_response(op.get("responses", {})),
            })
    return ops


def v1_ops(doc: dict) -> list[Op]:
    """The v1 ``/webinar/*`` operations: POST with a form-encoded body."""
    ops = []
    for path, item in doc.get("paths", {}).items():
        if not path.startswith("/webinar/"):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            props: dict[str, Any] = {}
            required: list[str] = []
            params = []
            for p in op.get("parameters", []):
                if p.get("in") != "formData":
                    if (c := clean_param(p)):
                        params.append(c)
                    continue
                field = clean_schema({k: v for k, v in p.items() if k != "required"})
                if (p["name"], field.get("default")) in V1_BOGUS_DEFAULTS:
                    field.pop("default")
                props[p["name"]] = field
                if p.get("required"):
                    required.append(p["name"])
            body = {"type": "object", "properties": props}
            if required:
                body["required"] = required
            ops.append({
                "source": V1_SPEC[0], "api": "v1", "method": method.upper(), "path": path,
                "id": op.get("operationId"), "summary": short(op.get("summary") or op.get("description", "")),
                "x_scopes": [], "x_granular": [], "desc_scopes": ([], []), "desc_rate": None,
                "status": success_status(op.get("responses", {})) or 200, "params": params,
                "body": body, "body_type": "form", "errors": [],
            })
    return ops


def seed_texts(seeds_dir: Path) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], list[str]]]:
    """operationId lines and per-operation text lines found in the seed docs."""
    opids: dict[tuple[str, str], str] = {}
    blocks: dict[tuple[str, str], list[str]] = {}
    for txt in sorted(seeds_dir.glob("*.txt")):
        current: tuple[str, str] | None = None
        yaml_path = bullet_method = None
        for line in txt.read_text(encoding="utf-8").splitlines():
            if m := SEED_LINE_RE.match(line):
                current = (m.group(1), m.group(2))
            elif m := SEED_YAML_PATH_RE.match(line):
                yaml_path = m.group(1)
            elif (m := SEED_YAML_METHOD_RE.match(line)) and yaml_path:
                current = (m.group(1).upper(), yaml_path)
            elif m := SEED_BULLET_RE.match(line):
                if m.group(1) == "Method":
                    bullet_method = m.group(2).upper()
                elif bullet_method:
                    current = (bullet_method, m.group(2))
            elif (m := SEED_OPID_RE.match(line)) and current:
                opids.setdefault(current, m.group(1))
            if current:
                blocks.setdefault(current, []).append(line)
    return opids, blocks


def seed_only_op(seed: dict, lines: list[str]) -> Op:
    """Best-effort operation for a seed that no spec describes."""
    statuses, errors = [], []
    for line in lines:
        if m := SEED_STATUS_RE.match(line):
            code = int(m.group(1))
            if 200 <= code < 300:
                statuses.append(code)
            else:
                errors += parse_errors(m.group(1), m.group(2))
    params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
              for n in re.findall(r"\{([^}]*)\}", seed["path"])]
    return {"source": "seeds", "api": seed["api"], "method": seed["method"], "path": seed["path"],
            "id": None, "summary": short(seed.get("summary", "")), "x_scopes": [], "x_granular": [],
            "desc_scopes": ([], []), "desc_rate": None, "status": min(statuses) if statuses else 200,
            "params": params, "body": None, "body_type": None, "errors": errors}


def rename_path_params(op: Op, path: str) -> None:
    """Give path parameters the names used by ``path`` (same shape, other names)."""
    old = re.findall(r"\{([^}]*)\}", op["path"])
    new = re.findall(r"\{([^}]*)\}", path)
    mapping = dict(zip(old, new))
    for p in op["params"]:
        if p["in"] == "path":
            p["name"] = mapping.get(p["name"], p["name"])
    op["path"] = path


def family(api: str, path: str, users_shapes: set[str]) -> str:
    """API family used for grouping handlers and coverage."""
    if api in ("v1", "events"):
        return api
    segs = path.strip("/").split("/")
    sub = segs[2] if segs[0] == "users" and len(segs) > 2 else ""
    if segs[0] == "report":
        return "reports"
    if segs[0] == "marketplace":
        return "marketplace"
    if "webinar" in path:
        return "webinars"
    if segs[0] in ("sip_phones", "tsp", "tracking_fields", "h323") or sub == "tsp":
        return "phones"
    if {"recordings", "archive_files"} & set(segs):  # cloud recording / archiving
        return "other"
    if segs[0] in ("meetings", "past_meetings", "live_meetings") or sub in (
            "meetings", "upcoming_meetings", "meeting_templates", "pac"):
        return "meetings"
    if segs[0] == "users" and (shape(path) in users_shapes or len(segs) <= 2 and shape(path) in ("/users", "/users/{}")):
        return "users"
    return "other"


def synth_id(summary: str) -> str:
    """lowerCamelCase id made from a summary (last resort)."""
    words = re.findall(r"[A-Za-z0-9]+", summary) or ["operation"]
    return words[0].lower() + "".join(w.capitalize() for w in words[1:])


def build(shared: Path) -> tuple[list[Op], list[str]]:
    """Assemble the table; returns the operations and warnings."""
    ref, seeds_dir = shared / "reference", shared / "seeds"
    load = lambda name: json.loads((ref / name).read_text(encoding="utf-8"))  # noqa: E731
    warnings: list[str] = []
    table: dict[tuple[str, str, str], Op] = {}
    users_shapes: set[str] = set()
    for tag, name in PRIMARY_SPECS:
        for op in spec_ops(tag, load(name)):
            key = (op["api"], op["method"], shape(op["path"]))
            if tag == "users-2026" and op["path"].startswith("/users"):
                users_shapes.add(shape(op["path"]))
            if key in table:
                warnings.append(f"{tag}: {op['method']} {op['path']} duplicates {table[key]['source']}")
                continue
            table[key] = op
    for tag, name, wanted in PARTIAL_SPECS:
        for op in spec_ops(tag, load(name)):
            if op["id"] in wanted:
                table.setdefault((op["api"], op["method"], shape(op["path"])), op)
    for op in v1_ops(load(V1_SPEC[1])):
        table.setdefault((op["api"], op["method"], shape(op["path"])), op)

    seeds = json.loads((seeds_dir / "operations.json").read_text(encoding="utf-8"))
    opids, blocks = seed_texts(seeds_dir)
    fallback = [(tag, {(o["api"], o["method"], shape(o["path"])): o for o in spec_ops(tag, load(name))})
                for tag, name in FALLBACK_SPECS]
    for seed in seeds:
        key = (seed["api"], seed["method"], shape(seed["path"]))
        op = table.get(key)
        if op is None:
            op = next((idx[key] for _, idx in fallback if key in idx), None)
            if op is None:
                op = seed_only_op(seed, blocks.get((seed["method"], seed["path"]), []))
                warnings.append(f"seed {seed['method']} {seed['path']} is in no spec; built from the seed doc")
            else:
                warnings.append(f"seed {seed['method']} {seed['path']} taken from {op['source']}")
            if op["path"] != seed["path"]:
                rename_path_params(op, seed["path"])
            table[key] = op
        elif op["path"] != seed["path"]:
            warnings.append(f"seed path {seed['path']} named {op['path']} in {op['source']}")
        op["seed"] = seed
        op["seed_id"] = opids.get((seed["method"], seed["path"]))

    ops = [finish(op, users_shapes, warnings) for op in table.values()]
    assign_ids(ops, warnings)
    add_column_limits(ops, warnings)
    ops.sort(key=lambda o: (o["api"], o["path"], o["method"]))
    return ops, warnings


def finish(op: Op, users_shapes: set[str], warnings: list[str]) -> Op:
    """Resolve each output field from the op's sources in priority order."""
    seed = op.get("seed") or {}
    current = op["source"] in ("meetings-2026", "users-2026", "events-2026", "marketplace-2026")
    from_spec = op["source"].startswith(("meetings", "users", "events", "marketplace", "monolithic"))
    scopes = (op["x_scopes"] if current else []) or split_csv(seed.get("scopes")) \
        or op["x_scopes"] or op["desc_scopes"][0]
    granular = (op["x_granular"] if current else []) or split_csv(seed.get("granular_scopes")) \
        or op["x_granular"] or op["desc_scopes"][1]
    seed_rate = norm_rate(seed.get("rate_limit"))
    if seed_rate and op["desc_rate"] and seed_rate != op["desc_rate"]:
        warnings.append(f"rate label for {op['method']} {op['path']}: seed {seed_rate}, spec {op['desc_rate']}")
    op["status"] = STATUS_FIXES.get((op["method"].upper(), op["path"]), op["status"])
    if op["status"] is None:
        warnings.append(f"no 2xx response for {op['method']} {op['path']}; using 200")
    sources = {op["source"]} | ({"seeds"} if seed else set())
    return {
        "id": (op["id"] if from_spec else None) or op.get("seed_id") or op["id"],
        "api": op["api"], "family": family(op["api"], op["path"], users_shapes),
        "method": op["method"], "path": op["path"],
        "summary": op["summary"] or short(seed.get("summary", "")),
        "scopes": scopes, "granular_scopes": granular,
        "rate_limit": seed_rate or op["desc_rate"], "status": op["status"] or 200,
        "params": op["params"], "body": drop_phantom_required(op["body"]), "body_type": op["body_type"],
        "errors": [{"status": s, "code": c, "message": m} for s, c, m in sorted(set(op["errors"]))],
        "sources": [s for s in SOURCE_ORDER if s in sources],
        "response": op.get("response"),
        "_rank": ID_RANK.index(op["source"]),
    }


def assign_ids(ops: list[Op], warnings: list[str]) -> None:
    """Make ids unique; on a clash the lower-priority op gets an ``_<api>`` suffix."""
    taken: set[str] = set()
    for op in sorted(ops, key=lambda o: (o.pop("_rank"), o["api"], o["path"], o["method"])):
        base = op["id"] or synth_id(op["summary"])
        if not op["id"]:
            warnings.append(f"no operationId for {op['method']} {op['path']}; made up {base}")
        new, n = base, 1
        while new in taken:
            new = f"{base}_{op['api']}" if n == 1 else f"{base}_{op['api']}{n}"
            n += 1
        if new != base:
            warnings.append(f"id {base} clashes; {op['api']} {op['method']} {op['path']} renamed {new}")
        op["id"] = new
        taken.add(new)


# Request strings that end up in a String(N) column of storage/schema.py where the spec gives
# no maxLength: PostgreSQL refuses a longer value, so validation must stop it first.
# (operationId, field path, "[]" for array items) -> maxLength. Where a sibling operation
# documents a limit for the same value (registrant and user emails: 128) that one is used.
COLUMN_LIMITS: dict[tuple[str, str], int] = {
    ("trackingfieldCreate", "field"): 255,                 # account_items.name
    ("trackingfieldUpdate", "field"): 255,
    ("meetingCreate", "tracking_fields[].field"): 255,     # names an account tracking field
    ("meetingUpdate", "tracking_fields[].field"): 255,
    ("meetingTemplateCreate", "name"): 255,                # account_items.name
    ("addBatchRegistrants", "registrants[].email"): 128,   # registrants.email
    ("userEmailUpdate", "email"): 128,                     # users.email
    ("createEventSubscription", "event_subscription_name"): 255,   # event_subscriptions.name
}


def add_column_limits(ops: list[Op], warnings: list[str]) -> None:
    """Give each COLUMN_LIMITS field its maxLength (keeping a smaller one the spec has)."""
    by_id = {op["id"]: op for op in ops}
    for (op_id, path), limit in COLUMN_LIMITS.items():
        node = (by_id.get(op_id) or {}).get("body")
        for part in path.split("."):
            holders = [node or {}] + list((node or {}).get("allOf") or [])
            node = next((h["properties"][part.removesuffix("[]")] for h in holders
                         if part.removesuffix("[]") in (h.get("properties") or {})), None)
            if part.endswith("[]"):
                node = (node or {}).get("items")
        if not isinstance(node, dict) or node.get("type") != "string":
            warnings.append(f"column limit: {op_id} has no string field {path}")
            continue
        node["maxLength"] = min(limit, node.get("maxLength", limit))


def write_table(ops: list[Op], out: Path) -> None:
    """Write the table with one operation per line."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(op, sort_keys=True, ensure_ascii=False) for op in ops]
    out.write_text('{"operations": [\n' + ",\n".join(lines) + '\n], "version": 1}\n', encoding="utf-8")


def report(ops: list[Op], out: Path) -> None:
    """Print counts per api and family and the gaps."""
    print(f"wrote {len(ops)} operations to {out} ({out.stat().st_size:,} bytes)")
    for label, key in (("api", "api"), ("family", "family")):
        counts = Counter(op[key] for op in ops)
        print(f"per {label}: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    print(f"no rate_limit label: {sum(op['rate_limit'] is None for op in ops)}")
    print(f"no classic scopes: {sum(not op['scopes'] for op in ops)}"
          f" (of which v1: {sum(not op['scopes'] and op['api'] == 'v1' for op in ops)})")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder holding seeds/ and reference/")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSON file")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every warning")
    args = ap.parse_args(argv)
    if not (args.shared / "seeds" / "operations.json").is_file():
        print(f"error: {args.shared} has no seeds/operations.json", file=sys.stderr)
        return 2
    ops, warnings = build(args.shared)
    write_table(ops, args.out)
    report(ops, args.out)
    if warnings:
        print(f"{len(warnings)} warnings" + ("" if args.verbose else " (use -v to list)"), file=sys.stderr)
        for w in warnings if args.verbose else []:
            print("  " + w, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
