"""The README's examples run as written: every block marked `<!-- readme-test -->` runs, in order,
in one shell in a fresh folder, against `zoomsim serve` started there as the README's first
command starts it (port 8000, ./zoomsim.db). Blocks marked `<!-- readme-test: file NAME -->` are
saved as NAME; `<!-- readme-test: needs node -->` blocks run where node and npm are installed.
The coverage table is the one `zoomsim coverage --markdown` prints."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from zoomsim.cli import coverage_markdown

README = Path(__file__).resolve().parent.parent / "README.md"
MARK = re.compile(r"^<!-- readme-test(?::\s*(?P<how>[^>]*?))?\s*-->\s*$")
FENCE = re.compile(r"^```(\w*)\s*$")
PORT = 8000


@dataclass
class Block:
    line: int
    lang: str
    how: str
    text: str


def blocks(text: str) -> list[Block]:
    """The marked fenced blocks, in order."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        mark = MARK.match(line)
        if not mark:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        fence = FENCE.match(lines[j]) if j < len(lines) else None
        assert fence, f"README.md:{i + 1}: a readme-test mark must stand right before a fenced block"
        end = j + 1
        while not lines[end].startswith("```"):
            end += 1
        found.append(Block(j + 2, fence.group(1), (mark.group("how") or "").strip(), "\n".join(lines[j + 1:end]) + "\n"))
    return found


def script(found: list[Block], folder: Path, node: bool) -> str:
    """One bash script: sh blocks inline, python blocks as files run by the PATH's python."""
    out = ["set -euo pipefail"]
    for n, b in enumerate(found):
        if b.how.startswith("file "):
            (folder / b.how.split(None, 1)[1]).write_text(b.text)
            continue
        if b.how == "needs node" and not node:
            out.append(f"echo '=== README.md:{b.line}: skipped (no node/npm here)' >&2")
            continue
        out.append(f"echo '=== README.md:{b.line}' >&2")
        if b.lang == "python":
            name = f"readme_block_{n}.py"
            (folder / name).write_text(b.text)
            out.append(f"python {name}")
        else:
            assert b.lang in ("sh", "bash"), f"README.md:{b.line}: cannot run a {b.lang!r} block"
            out.append(b.text)
    return "\n".join(out) + "\n"


def test_readme_marks_every_runnable_section() -> None:
    found = blocks(README.read_text())
    langs = {b.lang for b in found}
    assert {"sh", "python", "js"} <= langs
    assert len(found) >= 7


def test_coverage_table_is_current() -> None:
    text = README.read_text()
    table = text.split("<!-- coverage:start -->", 1)[1].split("<!-- coverage:end -->", 1)[0].strip()
    assert table == coverage_markdown(), "README's coverage table is stale: paste `zoomsim coverage --markdown`"


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def test_readme_examples_run(tmp_path: Path) -> None:
    if not _port_free(PORT):
        if os.environ.get("CI"):
            pytest.fail(f"port {PORT} is taken: the README's examples use it")
        pytest.skip(f"port {PORT} is taken here")
    (tmp_path / ".venv").symlink_to(sys.prefix)        # the README runs from the install's folder
    node = shutil.which("node") is not None and shutil.which("npm") is not None
    body = script(blocks(README.read_text()), tmp_path, node)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZOOMSIM_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix))
    server = subprocess.Popen([str(tmp_path / ".venv" / "bin" / "zoomsim"), "serve"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{PORT}/_zoomsim/health", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "zoomsim serve did not start"
                time.sleep(0.1)
        done = subprocess.run(["bash", "-c", body], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    finally:
        server.terminate()
        server.wait(timeout=20)
    ran = [line for line in done.stderr.splitlines() if line.startswith("=== README.md:")]
    assert done.returncode == 0, f"failed in the block after {ran[-1] if ran else 'the start'}:\n" \
                                 f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    out = done.stdout
    assert "owner@zoomsim.local" in out                               # curl quick start
    assert "Planning" in out                                          # zoomus
    assert "3 passed" in out                                          # the pytest plugin and intercept
    assert "already there" in out and "Weekly sync" in out            # seed files
    assert '{"duration":30,"participants_count":2,"total_minutes":50}' in out   # the simulation walk-through
    assert '{"event":"meeting.created","topic":"Hooked"}' in out      # webhooks: the receiver got it
    assert '[{"retry_num":1,"status":-1,"failed_reason_type":2},{"retry_num":0,"status":-1,"failed_reason_type":2}]' \
        in out                                                        # webhooks: a retry after 5 minutes
    assert '{"method":"POST","http_status":201,"path":"/v2/users/me/meetings"}' in out   # api_call_logs
    assert '{"times":3,"fired":0}' in out and "429 429 429 201" in out                 # faults: a 429 storm
    assert "503 503 200" in out                                                       # faults: token outage
    assert "not yet" in out and '{"event":"meeting.created","topic":"Late"}' in out   # faults: a late webhook
    if node:
        assert "200 owner@zoomsim.local" in out                       # @zoom/rivet
