"""Every mistake on the command line is one line naming the problem and what to do, a non-zero
exit status and no traceback; every option has a working environment variable."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from support import PG_URL, free_port, pg_available

CLI = [sys.executable, "-m", "zoomsim"]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=60, cwd=cwd,
                          env={**os.environ, **(env or {})})


def one_line(res: subprocess.CompletedProcess[str], status: int, text: str) -> str:
    """The command failed with `status`, printing exactly one line on stderr holding `text`."""
    assert res.returncode == status, (res.returncode, res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert text in lines[0], lines[0]
    assert res.stdout == ""
    return lines[0]


def test_version_and_python_m() -> None:
    from zoomsim import about
    res = run("--version")
    assert res.returncode == 0 and res.stdout.strip() == f"zoomsim {about.version()}"
    assert run("--help").returncode == 0


def test_help_shows_defaults_and_env_vars() -> None:
    out = " ".join(run("serve", "--help").stdout.split())   # one line, whatever the wrapping
    for text in ("(default: 8000)", "(default: 127.0.0.1)", "ZOOMSIM_PORT", "ZOOMSIM_WORKERS", "ZOOMSIM_RATE_LIMITS=0",
                 "ZOOMSIM_PUBLIC_URL", "ZOOMSIM_ACCESS_LOG", "--access-log"):
        assert text in out, text


@pytest.mark.parametrize("url,status,text", [
    ("zoomsim.db", 2, "zoomsim serve: 'zoomsim.db' is not a database URL: use sqlite:///zoomsim.db"),
    ("mysql://root@localhost/test", 2, "unsupported database 'mysql'"),
    ("sqlite:////no/such/folder/z.db", 1, "cannot open SQLite database /no/such/folder/z.db: the folder"),
    ("postgresql://postgres@127.0.0.1:1/test", 1, "cannot reach PostgreSQL"),
])
def test_bad_database_urls(url: str, status: int, text: str) -> None:
    one_line(run("serve", "--db", url, "--port", str(free_port())), status, text)


def test_missing_postgres_database() -> None:
    if not pg_available():
        pytest.skip("PostgreSQL not reachable")
    url = PG_URL.rsplit("/", 1)[0] + "/zoomsim_no_such_db"
    one_line(run("serve", "--db", url, "--port", str(free_port())), 1,
             'PostgreSQL: database "zoomsim_no_such_db" does not exist: create it')
    one_line(run("credentials", "--db", url), 1, 'database "zoomsim_no_such_db" does not exist')


def test_unwritable_sqlite_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = tmp_path / "dir-is-a-file"
        target.write_text("")
        url = f"sqlite:///{target}/z.db"         # root may write anywhere, but not under a file
    else:
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o500)
        url = f"sqlite:///{folder}/z.db"
    one_line(run("serve", "--db", url, "--port", str(free_port())), 1, "cannot open SQLite database")


def test_bad_ports() -> None:
    one_line(run("serve", "--port", "70000"), 2, "zoomsim serve: argument --port: 70000 is not a port (0-65535)")
    one_line(run("serve", "--port", "http"), 2, "'http' is not a port number")
    one_line(run("serve", env={"ZOOMSIM_PORT": "abc"}), 2, "ZOOMSIM_PORT: 'abc' is not a port number")


def test_port_in_use_is_found_before_the_banner(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        res = run("serve", "--db", f"sqlite:///{tmp_path / 'z.db'}", "--port", str(port))
    one_line(res, 1, f"port {port} on 127.0.0.1 is in use")
    assert not (tmp_path / "z.db").exists()


def test_unknown_host() -> None:
    one_line(run("serve", "--host", "no-such-host.invalid", "--port", str(free_port())), 2,
             "cannot listen on no-such-host.invalid")


def test_workers_need_postgres() -> None:
    one_line(run("serve", "--workers", "2"), 2, "--workers 2 needs PostgreSQL")
    one_line(run("serve", "--workers", "0"), 2, "--workers must be at least 1")
    one_line(run("serve", env={"ZOOMSIM_WORKERS": "3"}), 2, "--workers 3 needs PostgreSQL")


def test_credentials_never_creates_a_database(tmp_path: Path) -> None:
    one_line(run("credentials", cwd=tmp_path), 1, "no zoomsim database at zoomsim.db")
    assert list(tmp_path.iterdir()) == []
    one_line(run("credentials", "--db", "sqlite://"), 2, "in-memory database")


def test_credentials_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'z.db'}"
    assert run("init", "--db", db).returncode == 0
    shell = f"{sys.executable} -m zoomsim credentials --db {db} --json | head -c 1 > /dev/null"
    res = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in res.stderr and "BrokenPipe" not in res.stderr


def _serve(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(CLI + ["serve", *args], env={**os.environ, **env}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/_zoomsim/health", timeout=1)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read() if proc.stdout else "exited")
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("server did not start")


def test_env_vars_configure_serve(tmp_path: Path) -> None:
    port = free_port()
    env = {"ZOOMSIM_DB": f"sqlite:///{tmp_path / 'env.db'}", "ZOOMSIM_PORT": str(port), "ZOOMSIM_HOST": "127.0.0.1",
           "ZOOMSIM_RATE_LIMITS": "0", "ZOOMSIM_PUBLIC_URL": "https://zoom.example.test", "ZOOMSIM_ADMIN_KEY": "k" * 24}
    proc = _serve([], env, port)
    try:
        info = httpx.get(f"http://127.0.0.1:{port}/_zoomsim/", headers={"Authorization": "Bearer " + "k" * 24}).json()
        assert info["api_url"] == "https://zoom.example.test/v2"
        token = httpx.post(f"http://127.0.0.1:{port}/oauth/token", auth=(info["client_id"], info["client_secret"]),
                           params={"grant_type": "account_credentials", "account_id": info["account_id"]}).json()
        assert token["api_url"] == "https://zoom.example.test"
        me = httpx.get(f"http://127.0.0.1:{port}/v2/users/me", headers={"Authorization": "Bearer " + token["access_token"]})
        assert "X-RateLimit-Limit" not in me.headers           # ZOOMSIM_RATE_LIMITS=0 took effect
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0]
    assert (tmp_path / "env.db").exists()
    assert "(rate limits off)" in out


def test_in_memory_sqlite_and_health() -> None:
    port = free_port()
    proc = _serve(["--db", "sqlite://", "--port", str(port)], {}, port)
    try:
        r = httpx.get(f"http://127.0.0.1:{port}/_zoomsim/health")
        from zoomsim import about
        assert r.status_code == 200
        assert r.json() == {"status": "ok", "version": about.version(), "storage": {"backend": "sqlite", "ok": True}}
        out = proc.stdout.readline() if proc.stdout else ""
        assert out.startswith("zoomsim ") and "sqlite://" in out
        creds = {}
        for _ in range(6):
            line = proc.stdout.readline().split() if proc.stdout else []
            if len(line) >= 3:
                creds[" ".join(line[:2])] = line[2]
        token = httpx.post(f"http://127.0.0.1:{port}/oauth/token", auth=(creds["client id"], creds["client secret"]),
                           params={"grant_type": "account_credentials", "account_id": creds["account id"]})
        assert token.status_code == 200, token.text
        auth = {"Authorization": "Bearer " + token.json()["access_token"]}
        made = httpx.post(f"http://127.0.0.1:{port}/v2/users/me/meetings", json={"topic": "in memory"}, headers=auth)
        assert made.status_code == 201
        assert httpx.get(f"http://127.0.0.1:{port}/v2/meetings/{made.json()['id']}", headers=auth).status_code == 200
    finally:
        proc.terminate()
        proc.wait(20)


def test_health_is_503_when_the_database_is_gone(tmp_path: Path) -> None:
    """A server whose database stops answering says so on /_zoomsim/health (and API calls get a
    503 envelope, not a 500): here its storage is pointed at a file that can't be opened."""
    import sqlalchemy as sa

    from support import Server

    srv = Server(f"sqlite:///{tmp_path / 'h.db'}").start()
    try:
        assert httpx.get(srv.url + "/_zoomsim/health").status_code == 200
        storage = srv.app.services.storage
        storage.dispose()
        storage.url = "sqlite:////no/such/folder/h.db"
        storage.engine = sa.create_engine(storage.url)
        r = httpx.get(srv.url + "/_zoomsim/health")
        assert r.status_code == 503
        body = r.json()
        assert body["status"] == "unavailable" and body["storage"]["ok"] is False
        assert body["storage"]["error"] == "cannot open SQLite database /no/such/folder/h.db: the folder /no/such/folder does not exist"
        assert httpx.get(srv.url + "/v2/users/me", headers={"Authorization": "Bearer x.y.z"}).status_code in (401, 503)
    finally:
        srv.stop()
