"""Every API test runs against real servers on SQLite and on PostgreSQL."""
from __future__ import annotations

import secrets
from typing import Iterator

import pytest

from support import Admin, Api, Server, drop_pg_schema, pg_schema_url, require_pg

BACKENDS = ["sqlite", "postgresql"]


def _db_url(kind: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'zoomsim.db'}", None
    require_pg()
    schema = f"zs_test_{secrets.token_hex(4)}"
    return pg_schema_url(schema), schema


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, schema = _db_url(request.param, tmp_path_factory)
    request.node.stash_db = (url, schema)  # type: ignore[attr-defined]
    yield url
    if schema:
        drop_pg_schema(schema)


@pytest.fixture(scope="session")
def server(backend: str) -> Iterator[Server]:
    srv = Server(backend, rate_limits=False).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def limited_server(backend: str) -> Iterator[Server]:
    """A second server on the same database with Zoom's rate limits switched on. Its webhook
    sender stays off: on SQLite it does not see the first server's clock changes (one worker per
    SQLite file is what zoomsim supports), so it would send the first server's deliveries on a
    stale clock."""
    srv = Server(backend, rate_limits=True, webhooks=False).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def admin(server: Server) -> Admin:
    return Admin(server)


@pytest.fixture
def api(admin: Admin) -> Api:
    return admin.tenant()


@pytest.fixture
def clock(admin: Admin) -> Iterator[Admin]:
    """Hands the test the admin client; puts the clock back to wall time afterwards."""
    yield admin
    admin.clock(mode="real")
