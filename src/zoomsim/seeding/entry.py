"""The entry points: seed_file (load, validate, apply one file) and the summary line it prints."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from zoomsim.seeding.apply import apply_plan
from zoomsim.seeding.document import load_document
from zoomsim.seeding.errors import SeedError
from zoomsim.seeding.specs import Rules, validate

# The rest of zoomsim (the app, the operation table, storage) is imported where it is used: the
# command line builds the seed parser for every command, and those imports cost it 0.6 s.
if TYPE_CHECKING:
    from zoomsim.app import Services, ZoomSim
    from zoomsim.storage import Storage

Target = Union["ZoomSim", "Services", "Storage", str]


def _services(target: Target, public_url: str | None) -> tuple["Services", bool]:
    """The services to seed through, and whether we made them (and must dispose of them)."""
    from zoomsim.app import Services, ZoomSim, create_app
    from zoomsim.config import Config
    from zoomsim.storage import Storage

    if isinstance(target, ZoomSim):
        return target.services, False
    if isinstance(target, Services):
        return target, False
    url = target.url if isinstance(target, Storage) else target
    return create_app(Config(db_url=url, public_url=public_url)).services, True


def seed_file(target: Target, path: str | Path, public_url: str | None = None) -> dict[str, Any]:
    """Load, validate and apply one seed file; the summary says what was created and what was
    already there. `target` is a database URL or Storage (the app is built, as `serve` would,
    with `public_url` for join links), or a running app's ZoomSim/Services. Raises SeedError
    for a bad file, with nothing of it written. Checks that need no database come first, so
    such a file never opens it; a database zoomsim never opened is set up (schema, default
    tenant, as `serve` does, committed on its own) before the seed's one transaction."""
    from zoomsim.app import scope_universe
    from zoomsim.optable import load_operations

    name = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError((), f"cannot read the file: {getattr(exc, 'strerror', None) or exc}") from None
    data, lines = load_document(text, name.lower().endswith(".json"))

    def at_line(err: SeedError) -> SeedError:
        if err.line is None:
            p = err.path
            while p and p not in lines:
                p = p[:-1]
            err.line = lines.get(p) if p else None
        return err

    try:
        operations = load_operations()
        plan = validate(data, Rules.build(operations, scope_universe(operations)))
        services, owned = _services(target, public_url)
        try:
            summary = apply_plan(services, plan)
        finally:
            if owned:
                services.storage.dispose()
    except SeedError as err:
        raise at_line(err) from None
    summary["file"] = name
    return summary


def summary_line(summary: dict[str, Any]) -> str:
    def counts(tally: dict[str, int]) -> str:
        parts = [f"{n} {kind if n != 1 else kind[:-1]}" for kind, n in tally.items() if n]
        return ", ".join(parts) or "nothing"
    return (f"zoomsim seed: {summary['file']}: created {counts(summary['created'])}; "
            f"already there {counts(summary['existing'])}")
