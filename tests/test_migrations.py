"""The Alembic revisions build exactly the tables storage/schema.py describes."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from zoomsim.storage import Storage
from zoomsim.storage.schema import metadata


def test_migrated_database_matches_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    storage = Storage(url)
    storage.migrate()
    storage.dispose()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert diff == []
