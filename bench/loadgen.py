"""Load generators for the benchmarks: `wrk` when it is on PATH, else a built-in asyncio one.

Both send keep-alive HTTP/1.1 GETs over N connections, rotating through a list of paths,
one request in flight per connection (no pipelining), and return a Result.
"""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Result:
    """One measurement: completed requests, elapsed seconds, and how many were not 2xx."""

    requests: int
    seconds: float
    non_2xx: int = 0
    errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


# ---- wrk ---------------------------------------------------------------------------------------

_LUA = """
local paths = {%(paths)s}
local reqs = {}
local i = 0
init = function(args)
  for k, p in ipairs(paths) do
    reqs[k] = wrk.format("GET", p, {["Authorization"] = "%(auth)s"})
  end
end
request = function()
  i = i + 1
  return reqs[(i %% #reqs) + 1]
end
"""


def run_wrk(port: int, paths: list[str], auth: str, connections: int, seconds: float, threads: int = 1) -> Result:
    """Run wrk against 127.0.0.1:port for `seconds`, with a Lua script rotating the paths."""
    lua = _LUA % {"paths": ", ".join(f'"{p}"' for p in paths), "auth": auth}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua)
        script = fh.name
    try:
        cmd = ["wrk", "-t", str(threads), "-c", str(max(connections, threads)), "-d", f"{max(1, round(seconds))}s",
               "--timeout", "5s", "-s", script, f"http://127.0.0.1:{port}"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 20, check=True).stdout
    finally:
        os.unlink(script)
    return parse_wrk(out)


def parse_wrk(out: str) -> Result:
    """Read wrk's text summary: 'N requests in Xs', 'Non-2xx or 3xx responses', socket errors."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", out)
    if done is None:
        raise RuntimeError(f"cannot parse wrk output:\n{out}")
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[done.group(3)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Result(
        requests=int(done.group(1)), seconds=float(done.group(2)) * scale,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(x) for x in sock.groups()) if sock else 0,
    )


# ---- built-in asyncio generator ------------------------------------------------------------------


class _Conn(asyncio.Protocol):
    """One keep-alive connection: send a request, read the full response (Content-Length), repeat."""

    def __init__(self, gen: "_Gen", offset: int) -> None:
        self.gen = gen
        self.i = offset
        self.buf = b""
        self.need = -1           # bytes of the current response, once its head is parsed
        self.transport: asyncio.Transport | None = None
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self._send()

    def _send(self) -> None:
        reqs = self.gen.requests
        self.transport.write(reqs[self.i % len(reqs)])  # type: ignore[union-attr]
        self.i += 1

    def data_received(self, data: bytes) -> None:
        buf = self.buf + data if self.buf else data
        gen = self.gen
        while True:
            if self.need < 0:
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    break
                head = buf[:end].lower()
                at = head.find(b"\r\ncontent-length:")
                if at < 0:
                    gen.errors += 1
                    self.transport.close()  # type: ignore[union-attr]
                    return
                stop = head.find(b"\r\n", at + 2)
                length = int(head[at + 17:stop if stop > 0 else len(head)])
                if buf[9:10] != b"2":
                    gen.non_2xx += 1
                self.need = end + 4 + length
            if len(buf) < self.need:
                break
            buf = buf[self.need:]
            self.need = -1
            gen.done += 1
            if not gen.running:
                self.transport.close()  # type: ignore[union-attr]
                return
            self._send()
        self.buf = buf

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None:
            self.gen.errors += 1
        if not self.closed.done():
            self.closed.set_result(None)


class _Gen:
    def __init__(self, requests: list[bytes]) -> None:
        self.requests = requests
        self.running = True
        self.done = 0
        self.non_2xx = 0
        self.errors = 0


async def _drive(port: int, requests: list[bytes], connections: int, seconds: float) -> Result:
    loop = asyncio.get_running_loop()
    gen = _Gen(requests)
    conns: list[_Conn] = []
    for k in range(connections):
        _, proto = await loop.create_connection(lambda k=k: _Conn(gen, k), "127.0.0.1", port)
        conns.append(proto)
    start_count, t0 = gen.done, time.perf_counter()
    await asyncio.sleep(seconds)
    count, t1 = gen.done, time.perf_counter()
    gen.running = False
    try:
        await asyncio.wait_for(asyncio.gather(*(c.closed for c in conns)), timeout=10)
    except asyncio.TimeoutError:
        for c in conns:
            if c.transport is not None:
                c.transport.abort()
    return Result(count - start_count, t1 - t0, gen.non_2xx, gen.errors)


def run_python(port: int, paths: list[str], auth: str, connections: int, seconds: float) -> Result:
    """The built-in generator: asyncio protocols (uvloop when installed), one request in flight per connection."""
    requests = [
        (f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: {auth}\r\n"
         "User-Agent: zoomsim-bench\r\nAccept: */*\r\n\r\n").encode("latin-1")
        for p in paths
    ]
    try:
        import uvloop
        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    with runner:
        return runner.run(_drive(port, requests, connections, seconds))


def run(kind: str, port: int, paths: list[str], auth: str, connections: int, seconds: float,
        threads: int = 1) -> Result:
    """Dispatch to 'wrk' or 'python'."""
    if kind == "wrk":
        return run_wrk(port, paths, auth, connections, seconds, threads)
    return run_python(port, paths, auth, connections, seconds)
