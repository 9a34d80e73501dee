"""Writing `zoomsim simulate`'s rows fast: straight through the DBAPI connection with
executemany, one transaction per batch (SQLite with its write lock held from the first
statement), and a progress bar on stderr."""
from __future__ import annotations

import sys
import time
from typing import Any, Callable, Sequence

import sqlalchemy as sa

from zoomsim.simulation.bulk_rows import Batch
from zoomsim.storage import Storage
from zoomsim.storage.schema import instances as inst_t
from zoomsim.storage.schema import meeting_parts as parts_t
from zoomsim.storage.schema import meetings as meetings_t
from zoomsim.storage.schema import participants as part_t


class Writer:
    """Inserts through the DBAPI connection: executemany, one transaction per batch."""

    def __init__(self, storage: Storage) -> None:
        self.sqlite = storage.is_sqlite
        self._pooled = storage.engine.raw_connection()
        driver: Any = self._pooled.driver_connection
        self.conn = driver
        mark = "?" if self.sqlite else "%s"
        self.sql = {
            "meetings": _insert_sql(meetings_t, ("id", "uuid", "account_id", "host_id", "type", "status", "start_time",
                                                 "end_time", "created_at", "doc", "extra"), mark),
            "instances": _insert_sql(inst_t, [c.name for c in inst_t.columns], mark),
            "sessions": _insert_sql(part_t, [c.name for c in part_t.columns if c.name != "seq"], mark),
            "summaries": _insert_sql(parts_t, ("meeting_id", "kind", "id", "account_id", "doc"), mark),
        }
        if self.sqlite:
            self.conn.isolation_level = None      # we issue BEGIN/COMMIT ourselves
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute("PRAGMA cache_size=-262144")
            self.conn.execute("PRAGMA temp_store=MEMORY")
        else:
            self.conn.autocommit = False

    def begin(self) -> None:
        if self.sqlite:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.sqlite:
            self.conn.execute("COMMIT")
        else:
            self.conn.commit()

    def rollback(self) -> None:
        try:
            if self.sqlite:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
            else:
                self.conn.rollback()
        except Exception:
            pass

    def instance_seqs(self, count: int) -> list[int]:
        """Seqs for the next `count` instances, reserved in this transaction: on SQLite the
        write lock is held, on PostgreSQL they come from the column's own sequence."""
        if not count:
            return []
        if self.sqlite:
            top = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM instances").fetchone()[0]
            return list(range(top + 1, top + 1 + count))
        cur = self.conn.cursor()
        cur.execute("SELECT nextval(pg_get_serial_sequence('instances', 'seq')) FROM generate_series(1, %s)",
                    (count,))
        seqs = [int(r[0]) for r in cur.fetchall()]
        cur.close()
        return sorted(seqs)

    def taken(self, numbers: Sequence[int]) -> set[int]:
        """Which of these meeting numbers some meeting already holds."""
        found: set[int] = set()
        for i in range(0, len(numbers), 500):
            part = list(numbers[i:i + 500])
            marks = ",".join(["?" if self.sqlite else "%s"] * len(part))
            cur = self.conn.cursor()
            cur.execute(f"SELECT id FROM meetings WHERE id IN ({marks})", part)
            found.update(int(r[0]) for r in cur.fetchall())
            cur.close()
        return found

    def write(self, batch: Batch, on_rows: Callable[[int], None]) -> None:
        cur = self.conn.cursor()
        cur.executemany(self.sql["meetings"], batch.meetings)
        cur.executemany(self.sql["instances"], batch.instances)
        step = 10_000
        for i in range(0, len(batch.sessions), step):
            part = batch.sessions[i:i + step]
            cur.executemany(self.sql["sessions"], part)
            on_rows(len(part))
        cur.executemany(self.sql["summaries"], batch.summaries)
        cur.close()

    def close(self) -> None:
        if self.sqlite:
            try:
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception:
                pass
        self._pooled.invalidate()


def _insert_sql(table: sa.Table, columns: Sequence[str], mark: str) -> str:
    return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


# ---- progress ---------------------------------------------------------------------------------

class Progress:
    """A bar on stderr: redrawn in place on a terminal, a line per tenth otherwise."""

    def __init__(self, total: int, enabled: bool = True, stream: Any = None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.t0 = time.monotonic()
        self._drawn = -1.0
        self._tenth = -1

    def add(self, rows: int) -> None:
        self.done += rows
        if not self.enabled:
            return
        now = time.monotonic()
        share = min(self.done / self.total, 1.0)
        if self.tty and (now - self._drawn >= 0.1 or self.done >= self.total):
            self._drawn = now
            self.stream.write("\r" + self._line(share, now))
            self.stream.flush()
        elif not self.tty and int(share * 10) > self._tenth:
            self._tenth = int(share * 10)
            self.stream.write(self._line(share, now) + "\n")
            self.stream.flush()

    def _line(self, share: float, now: float) -> str:
        width = 30
        filled = int(share * width)
        spent = now - self.t0
        rate = self.done / spent if spent > 0 else 0.0
        return (f"simulate [{'#' * filled}{'.' * (width - filled)}] {share:4.0%} "
                f"{self.done:,}/{self.total:,} sessions  {spent:5.1f}s  {rate:,.0f} rows/s")

    def finish(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()

