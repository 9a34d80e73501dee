"""Storage layer: SQLAlchemy Core over SQLite (default) and PostgreSQL, the same SQL for both."""
from zoomsim.storage.engine import Storage, normalize_url

__all__ = ["Storage", "normalize_url"]
