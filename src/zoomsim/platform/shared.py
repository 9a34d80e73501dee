"""State every worker must agree on: the clock, the token epochs, the rate-limit counters.

The truth is one row of `runtime_state` (and, on PostgreSQL, the `rate_counters` table). Each
change goes through `Shared.change`, which edits the row under a lock, moves its generation on
and commits before the admin call that asked for it answers.

- SQLite (one worker process, enforced by the CLI): the worker that changes the row is the only
  one, so it applies the change to its own copy and counts rate limits in memory. Another
  process may still write the file (`zoomsim seed` into a running server's database), so the
  generation is read again at most once a second (SYNC_SECONDS): no query on almost every
  request, and a seeded app or fault rule takes effect within a second.
- PostgreSQL (any number of workers and servers): every request starts by reading the row's
  generation (one indexed single-row read on the worker's autocommit connection); a new
  generation reloads the clock and epochs and drops the cached app lookups. Rate-limit counters
  are rows, counted with one upsert per request, so N workers allow exactly the plan's limit.

Tokens carry the epochs they were issued under: a reset moves `reset_epoch` on (older tokens
are invalid, the default app's included, though its credentials stay the same), and
`POST /_zoomsim/tokens/expire` moves `expiry_epoch` on (older tokens are expired).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Callable

from zoomsim import jsonio
from zoomsim.clock import Clock
from zoomsim.platform.ratelimit import MemoryCounters
from zoomsim.storage import runtime as repo
from zoomsim.storage.db import Db
from zoomsim.storage.engine import Storage


@dataclass(frozen=True, slots=True)
class Runtime:
    generation: int = 0
    frozen: float | None = None      # the clock's frozen instant, if frozen
    offset: float = 0.0              # else wall time plus this
    reset_epoch: int = 0
    expiry_epoch: int = 0

    @classmethod
    def parse(cls, generation: int, doc: str) -> "Runtime":
        data = jsonio.loads(doc) if doc else {}
        clock = data.get("clock") or {}
        frozen = clock.get("frozen")
        return cls(generation, None if frozen is None else float(frozen), float(clock.get("offset") or 0.0),
                   int(data.get("reset_epoch") or 0), int(data.get("expiry_epoch") or 0))

    def frozen_at(self, at: float) -> "Runtime":
        return replace(self, frozen=at)

    def advanced(self, seconds: float) -> "Runtime":
        if self.frozen is not None:
            return replace(self, frozen=self.frozen + seconds)
        return replace(self, offset=self.offset + seconds)

    def real(self) -> "Runtime":
        return replace(self, frozen=None, offset=0.0)

    def tokens_expired(self) -> "Runtime":
        return replace(self, expiry_epoch=self.expiry_epoch + 1)

    def after_reset(self) -> "Runtime":
        return replace(self, reset_epoch=self.reset_epoch + 1)

    def clock_state(self) -> dict[str, float | None]:
        """What Clock.load takes."""
        return {"frozen": self.frozen, "offset": self.offset}

    def doc(self) -> str:
        return jsonio.dumps({"clock": {"frozen": self.frozen, "offset": self.offset},
                             "reset_epoch": self.reset_epoch, "expiry_epoch": self.expiry_epoch}).decode()


Edit = Callable[[Runtime], Runtime]
SYNC_SECONDS = 1.0               # SQLite: how stale another process's change may be seen


class Shared:
    """The SQLite flavour: this process is the only worker, so its copy is the truth once written."""

    shared_by_workers = False

    def __init__(self, storage: Storage, clock: Clock) -> None:
        self.storage = storage
        self.clock = clock
        self.runtime = Runtime()
        self._on_change: list[Callable[[], None]] = []
        self._counters = MemoryCounters()
        self._next_look = 0.0
        self.load()

    def on_change(self, fn: Callable[[], None]) -> None:
        """Called whenever another generation is applied (cached lookups to drop)."""
        self._on_change.append(fn)

    def load(self) -> None:
        found = repo.read(self.storage.fast)
        self._apply(Runtime.parse(*found) if found else Runtime())

    def sync(self) -> None:
        """Make this worker's copy current: another process's write shows within a second (an
        in-memory database has no other process)."""
        if self.storage.memory:
            return
        now = time.monotonic()
        if now < self._next_look:
            return
        self._next_look = now + SYNC_SECONDS
        self._refresh()

    def _refresh(self) -> None:
        """Apply the stored row if its generation moved."""
        found = repo.read(self.storage.fast)
        if found is not None and found[0] != self.runtime.generation:
            self._apply(Runtime.parse(*found))

    def change(self, edit: Edit, also: Callable[[Db], None] | None = None, reset: bool = False) -> Runtime:
        """Apply `edit` to the stored row (locked), with `also` in the same transaction; the change
        is committed, and applied here, when this returns."""
        with self.storage.write() as db:
            found = repo.read_for_change(db)
            current = Runtime.parse(*found) if found else Runtime()
            if also is not None:
                also(db)
            new = replace(edit(current), generation=current.generation + 1)
            repo.write(db, new.generation, new.doc())
            if reset:
                self._clear(db)
        if reset:
            self._counters.clear()
        self._apply(new)
        return new

    def bump(self, db: Db) -> None:
        """Move the generation on inside `db`'s own transaction (a request's), so every worker
        drops what it cached (apps, subscriptions) once that transaction commits; applied here
        on commit too."""
        found = repo.read_for_change(db)
        current = Runtime.parse(*found) if found else Runtime()
        new = replace(current, generation=current.generation + 1)
        repo.write(db, new.generation, new.doc())
        db.after_commit(lambda: self._apply(new))

    def _apply(self, rt: Runtime) -> None:
        self.runtime = rt
        self.clock.load(rt.clock_state())
        for fn in self._on_change:
            fn()

    # ---- rate-limit counters ----------------------------------------------------------------

    def hit(self, keys: list[tuple[str, int]]) -> dict[str, int]:
        """Count one request in each (counter, window); the counts after it."""
        return self._counters.hit(keys)

    def _clear(self, db: Db) -> None:
        """Counters kept in the database go with the reset's transaction (none here)."""


class DbShared(Shared):
    """The PostgreSQL flavour: the row decides, read at the start of every request."""

    shared_by_workers = True

    def sync(self) -> None:
        self._refresh()

    def hit(self, keys: list[tuple[str, int]]) -> dict[str, int]:
        return repo.hit(self.storage.fast, keys)

    def _clear(self, db: Db) -> None:
        repo.clear_counters(db)


def make_shared(storage: Storage, clock: Clock) -> Shared:
    return Shared(storage, clock) if storage.is_sqlite else DbShared(storage, clock)
