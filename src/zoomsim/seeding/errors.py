"""SeedError, the one error a seed file gives, and the field paths it names."""
from __future__ import annotations

import re
from typing import Union

FieldPath = tuple[Union[str, int], ...]


class SeedError(Exception):
    """A bad file or a file the database disagrees with: one line naming the field."""

    def __init__(self, path: FieldPath, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line

    def render(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        field_ = dotted(self.path)
        return f"{where}: {field_}: {self.message}" if field_ else f"{where}: {self.message}"


def dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def split_field(text: str) -> FieldPath:
    """The validator's `settings.x` / `tracking_fields[0].field` back into a path."""
    out: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text):
        out.append(int(index) if index else name)
    return tuple(out)
