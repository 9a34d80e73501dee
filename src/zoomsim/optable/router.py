"""Method + path -> operation, over a segment trie built from the table."""
from __future__ import annotations

from dataclasses import dataclass, field

from zoomsim.optable import Operation


@dataclass(slots=True)
class _Node:
    literal: dict[str, "_Node"] = field(default_factory=dict)
    param: "_Node | None" = None
    ops: dict[str, tuple[Operation, tuple[str, ...]]] = field(default_factory=dict)


class Router:
    def __init__(self, operations: list[Operation]) -> None:
        self._root = _Node()
        for op in operations:
            self.add(op)

    def add(self, op: Operation) -> None:
        node = self._root
        names: list[str] = []
        for seg in op.full_path.strip("/").split("/"):
            if seg.startswith("{") and seg.endswith("}"):
                names.append(seg[1:-1])
                if node.param is None:
                    node.param = _Node()
                node = node.param
            else:
                node = node.literal.setdefault(seg, _Node())
        node.ops.setdefault(op.method, (op, tuple(names)))

    def match(self, method: str, segments: list[str]) -> tuple[Operation | None, dict[str, str], bool]:
        """Returns (operation, path params, path_exists). path_exists without an operation means 405."""
        found = self._walk(self._root, segments, 0, [])
        if found is None:
            return None, {}, False
        node, values = found
        entry = node.ops.get(method)
        if entry is None:
            return None, {}, True
        op, names = entry
        return op, dict(zip(names, values)), True

    def methods(self, segments: list[str]) -> list[str]:
        """The methods a path answers (for a 405's Allow header)."""
        found = self._walk(self._root, segments, 0, [])
        return sorted(found[0].ops) if found is not None else []

    def _walk(self, node: _Node, segs: list[str], i: int, values: list[str]) -> tuple[_Node, list[str]] | None:
        if i == len(segs):
            return (node, values) if node.ops else None
        child = node.literal.get(segs[i])
        if child is not None:
            hit = self._walk(child, segs, i + 1, values)
            if hit is not None:
                return hit
        if node.param is not None and segs[i] != "":
            hit = self._walk(node.param, segs, i + 1, values + [segs[i]])
            if hit is not None:
                return hit
        return None
