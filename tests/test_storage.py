"""The storage layer on both backends: migrations, SQLite's WAL, one transaction per request."""
from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from pathlib import Path

import sqlalchemy as sa

from zoomsim.storage.schema import metadata

from support import Admin, Server, basic, free_port
from zoomsim.storage import Storage
from zoomsim.storage import users as users_repo

MIGRATIONS = Path(__file__).resolve().parents[1] / "src/zoomsim/storage/migrations/versions"


def test_migrations_at_head(server: Server) -> None:
    storage = server.app.services.storage
    with storage.read() as conn:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        tables = set(sa.inspect(conn.conn).get_table_names())
    assert version == sorted(p.name[:4] for p in MIGRATIONS.glob("0*.py"))[-1]
    assert {t.name for t in metadata.sorted_tables} <= tables


def test_migrate_is_idempotent(server: Server) -> None:
    again = Storage(server.config.db_url)
    again.migrate()
    again.dispose()


def test_sqlite_runs_in_wal_mode(server: Server) -> None:
    storage = server.app.services.storage
    if not storage.is_sqlite:
        pytest.skip("SQLite only")
    with storage.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_failed_request_writes_nothing(server: Server, admin: Admin) -> None:
    """A handler that raises after writing rolls the whole request back."""
    api = admin.tenant()
    storage = server.app.services.storage
    with pytest.raises(RuntimeError):
        with storage.write() as conn:
            doc = dict(api.get("/users/me").json(), id="rollback-probe", email="probe@example.com", role_id="2")
            users_repo.insert(conn, doc, "123456")
            raise RuntimeError("boom")
    with storage.read() as conn:
        assert users_repo.get(conn, api.account_id, "rollback-probe") is None


def test_email_lookup_is_case_insensitive(server: Server, admin: Admin) -> None:
    api = admin.tenant()
    email = api.get("/users/me").json()["email"]
    with server.app.services.storage.read() as conn:
        row = users_repo.get(conn, api.account_id, email.upper())
    assert row is not None and row.id == api.owner_id


def test_postgresql_scale_out_workers(server: Server) -> None:
    """Several stateless workers over one PostgreSQL: a write through one is read through the others."""
    if server.app.services.storage.is_sqlite:
        pytest.skip("scale-out runs on PostgreSQL")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zoomsim.cli", "serve", "--db", server.config.db_url,
                             "--port", str(port), "--workers", "2", "--no-rate-limits"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while True:
            try:
                httpx.get(base + "/v2/users/me", timeout=1)
                break
            except httpx.TransportError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        inst = server.app.services.installation
        tok = httpx.post(base + "/oauth/token", params={"grant_type": "account_credentials", "account_id": inst.account_id},
                         headers={"Authorization": basic(inst.client_id, inst.client_secret)}).json()["access_token"]
        h = {"Authorization": f"Bearer {tok}"}
        with httpx.Client(base_url=base, headers=h) as c:
            created = c.post("/v2/users", json={"action": "custCreate",
                                                "user_info": {"email": f"w{port}@example.com", "type": 1}})
            assert created.status_code == 201, created.text
            for _ in range(20):   # new connections land on either worker
                with httpx.Client(base_url=base, headers=h) as fresh:
                    assert fresh.get(f"/v2/users/{created.json()['id']}").status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)
