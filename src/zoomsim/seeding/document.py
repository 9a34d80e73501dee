"""Step 1, load: a seed file's YAML (PyYAML, timestamps kept as text) or JSON, with the line of
each field, so a bad field is named by its line."""
from __future__ import annotations

import json
from typing import Any

import yaml

from zoomsim.seeding.errors import FieldPath, SeedError


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves timestamps as text: start_time is read by the meeting code, in
    the meeting's time zone, exactly as the API reads it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


MAX_NODES = 1_000_000    # what the file expands to, aliases counted each time they are used


def _marks(node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int], sizes: dict[int, int], line: int = 0) -> int:
    """Record the line of every field (its key's line) and refuse a key given twice in one
    mapping (PyYAML keeps the last). Walks each node once and answers how many nodes the data
    expands to, so a few lines of nested aliases can't make a billion-node document."""
    lines.setdefault(path, line or node.start_mark.line + 1)
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = 1
    size = 1
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name in keys and key.tag != "tag:yaml.org,2002:merge":
                raise SeedError(path + (str(name),), "given twice", key.start_mark.line + 1)
            keys.add(name)
            size += _marks(value, path + (str(name),), lines, sizes, key.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            size += _marks(item, path + (i,), lines, sizes)
    if size > MAX_NODES:
        raise SeedError(path, f"expands to more than {MAX_NODES:,} values (aliases used over and over?)",
                        lines.get(path))
    sizes[id(node)] = size
    return size


def _yaml_document(text: str) -> tuple[Any, dict[FieldPath, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[FieldPath, int] = {}
        if node is None:
            return None, lines
        _marks(node, (), lines, {})
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def load_document(text: str, json_file: bool) -> tuple[Any, dict[FieldPath, int]]:
    """The file's data and the line of each field path; a syntax error is a SeedError with
    the line it was found on."""
    try:
        if json_file:
            def no_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
                out: dict[str, Any] = {}
                for k, v in pairs:
                    if k in out:
                        raise SeedError((), f"key {k!r} given twice")
                    out[k] = v
                return out
            try:
                data = json.loads(text, object_pairs_hook=no_twice)
            except json.JSONDecodeError as exc:
                raise SeedError((), f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
            try:                      # JSON is YAML: its nodes give the lines of fields
                lines = _yaml_document(text)[1]
            except (yaml.YAMLError, SeedError):
                lines = {}
            return data, lines
        try:
            return _yaml_document(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
            raise SeedError((), f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
        except yaml.YAMLError as exc:
            raise SeedError((), "not valid YAML: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise SeedError((), "nested too deeply") from None
