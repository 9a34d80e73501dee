"""The sender in a process of its own: what `zoomsim serve` runs beside its workers, so that
posting deliveries never takes a turn from the loop that answers requests.

The workers then only write the outbox (in the request's transaction); this process claims
what is due, exactly as a worker's own sender would (webhooks/sender.py), on the same database.
It reads the shared runtime row every cycle, on SQLite too, so a clock the admin API moves in a
worker moves here (retries fall due), and it quits when the server that started it is gone.

    python -m zoomsim.webhooks.process      (settings through the environment, as a worker's)
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import replace

from zoomsim.config import Config

PARENT_CHECK_SECONDS = 0.5


def spawn(config: Config) -> subprocess.Popen[bytes]:
    """Start the sender process for a server on `config`'s database."""
    env = {**os.environ, **replace(config, webhooks=True).to_env()}
    return subprocess.Popen([sys.executable, "-m", "zoomsim.webhooks.process"], env=env)


async def _serve(parent: int) -> None:
    from zoomsim.app import create_app
    from zoomsim.platform.shared import DbShared

    app = create_app(replace(Config.from_env(), webhooks=True))
    s = app.services
    shared = DbShared(s.storage, s.clock)      # read the row every cycle: workers change it
    shared.on_change(s.forget_apps)
    s.shared = shared
    s.sender.poll_seconds = 0.1                # no worker can wake this process: look often
    s.sender.ensure_started()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        while not stop.is_set() and os.getppid() == parent:
            try:
                await asyncio.wait_for(stop.wait(), PARENT_CHECK_SECONDS)
            except asyncio.TimeoutError:
                pass
    finally:
        await s.sender.stop()
        s.storage.dispose()


def main() -> None:
    asyncio.run(_serve(os.getppid()))


if __name__ == "__main__":
    main()
