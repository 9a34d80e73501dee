"""`zoomsim serve` as a real process (several uvicorn workers on PostgreSQL), for the tests that
need what one in-process server can't show: state shared by workers, crashes, restarts."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from support import basic, free_port

BIN = Path(sys.executable).parent


CLI = [sys.executable, "-m", "zoomsim.cli"]
BANNER = ("account id", "client id", "client secret", "secret token", "API base URL", "token URL", "admin key",
          "dashboard", "webhooks")


def serve_cli(db_url: str, *extra: str, env: dict[str, str] | None = None
              ) -> tuple[subprocess.Popen[str], int, dict[str, str]]:
    """`zoomsim serve` as a user starts it, its banner read line by line: (process, port, what the
    banner printed by label, and its whole text under "text"), once the API answers."""
    port = free_port()
    proc = subprocess.Popen(CLI + ["serve", "--db", db_url, "--port", str(port), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})})
    printed: dict[str, str] = {"text": ""}
    assert proc.stdout is not None
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        printed["text"] += line
        for label in BANNER:
            if line.strip().startswith(label):
                printed[label] = line.strip()[len(label):].split()[0] if label != "webhooks" else line.strip()
        if "token URL" in printed and ("dashboard" in printed or line.strip().startswith("admin API")):
            break
    while time.time() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/v2/users/me", timeout=1)
            return proc, port, printed
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"server did not start: {printed}")


def credentials(db_url: str) -> dict[str, Any]:
    out = subprocess.run([str(BIN / "zoomsim"), "init", "--db", db_url, "--json"], capture_output=True,
                         text=True, timeout=60, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


class ServeProcess:
    """One `zoomsim serve` process group; `kill()` is kill -9 of all of it (parent and workers)."""

    def __init__(self, db_url: str, workers: int = 1, rate_limits: bool = True, log: Path | None = None) -> None:
        self.db_url = db_url
        self.workers = workers
        self.rate_limits = rate_limits
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.creds = credentials(db_url)

    @property
    def admin_key(self) -> str:
        return str(self.creds["admin_key"])

    def start(self) -> "ServeProcess":
        cmd = [str(BIN / "zoomsim"), "serve", "--db", self.db_url, "--port", str(self.port),
               "--workers", str(self.workers)]
        if not self.rate_limits:
            cmd.append("--no-rate-limits")
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"zoomsim serve exited with {self.proc.returncode}")
            if self._answers():
                return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("zoomsim serve did not start")

    def _answers(self) -> bool:
        """Every worker is up once enough fresh connections in a row are answered."""
        try:
            for _ in range(4 * self.workers):
                httpx.get(self.url + "/_zoomsim/clock", headers=self.admin_headers(), timeout=2)
            return True
        except httpx.TransportError:
            return False

    def admin_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_key}"}

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        r = httpx.request(method, self.url + "/_zoomsim" + path, json=body, headers=self.admin_headers(), timeout=30)
        assert r.status_code < 300, r.text
        return r.json() if r.content else None

    def token(self, client_id: str, secret: str, account_id: str) -> str:
        r = httpx.post(self.url + "/oauth/token", params={"grant_type": "account_credentials",
                                                          "account_id": account_id},
                       headers={"Authorization": basic(client_id, secret)}, timeout=30)
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def fresh_get(url: str, path: str, token: str) -> httpx.Response:
    """A request on a connection of its own, so the kernel may hand it to any worker."""
    return httpx.get(url + path, headers={"Authorization": f"Bearer {token}", "Connection": "close"}, timeout=30)
