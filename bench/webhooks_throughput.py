"""Benchmark webhook delivery throughput: 10,000 meeting.created events, from the first emission to
the last delivery at a local receiver (one zoomsim worker, one SQLite file).

The events come from POST /v2/users/me/meetings, 64 in flight at a time (the creates are the
emissions; each writes its outbox row in its transaction), and the receiver is
bench/webhooks_create.py's (its own uvicorn process, answers 200, checks every 10th signature).
Reported: delivered events/s over first create sent .. last delivery received, the create
rate alone, and how long the last delivery came after the last create was answered. There is
no baseline to divide by: the rate is the number (it depends on the machine).

    .venv/bin/python bench/webhooks_throughput.py [--events 10000] [--concurrency 64] [--json]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import meeting_create
import users_get as common
import webhooks_create as hooks


async def _create_all(port: int, auth: str, events: int, concurrency: int) -> tuple[int, float, float]:
    """POST `events` meetings over `concurrency` keep-alive connections; (201s, t_first_sent, t_last_answer)."""
    body = json.dumps(meeting_create.BODY, separators=(",", ":")).encode()
    raw = (f"POST {meeting_create.PATH} HTTP/1.1\r\nHost: {common.LOOPBACK}:{port}\r\nAuthorization: {auth}\r\n"
           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1") + body
    left = [events]
    ok = [0]
    first = time.time()

    async def conn() -> None:
        reader, writer = await asyncio.open_connection(common.LOOPBACK, port)
        while left[0] > 0:
            left[0] -= 1
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            ok[0] += head[9:12] == b"201"
        writer.close()

    await asyncio.gather(*(conn() for _ in range(concurrency)))
    return ok[0], first, time.time()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=10_000, help="events to emit (default 10000)")
    p.add_argument("--concurrency", type=int, default=64, help="creates in flight (default 64)")
    p.add_argument("--json", action="store_true", help="print one machine-readable JSON result on stdout")
    args = p.parse_args(argv)
    if args.events < 1 or args.concurrency < 1:
        p.error("events and concurrency must be positive")
    common.watchdog(120 + args.events / 50)
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            zs = hooks.Zoomsim(tmp)
            acct = zs.account()
            hook_url, _ = hooks.start_receiver(tmp, acct["secret"])
            zs.subscribe(acct, hook_url + "/zoom/webhook")
            common.log(f"bench: {args.events:,} meeting creates, {args.concurrency} in flight, each delivered "
                       f"to {hook_url}")
            created, t_first, t_created = asyncio.run(_create_all(zs.port, acct["auth"], args.events,
                                                                  args.concurrency))
            deadline = time.monotonic() + 60 + args.events / 100
            stats = hooks.receiver_stats(hook_url)
            while stats["count"] < created and time.monotonic() < deadline:
                time.sleep(0.1)
                stats = hooks.receiver_stats(hook_url)
            pending = zs.pending(acct)
        finally:
            common.stop_all()
    last = stats["last"] or t_created
    out: dict[str, Any] = {
        "benchmark": "webhook deliveries of meeting.created", "events": args.events, "created": created,
        "delivered": stats["count"], "signatures_checked": stats["checked"], "bad_signatures": stats["bad"],
        "events_per_s": round(stats["count"] / (last - t_first), 1) if last > t_first else None,
        "creates_per_s": round(created / (t_created - t_first), 1),
        "seconds_first_emission_to_last_delivery": round(last - t_first, 3),
        "last_delivery_after_last_create_s": round(last - t_created, 3),
        "left_pending": pending,
    }
    bad = (created != args.events) + (stats["count"] != created) + stats["bad"]
    if args.json:
        print(json.dumps(out))
    else:
        print(f"emitted {created:,} (creates {out['creates_per_s']:,.0f}/s), delivered {stats['count']:,} in "
              f"{out['seconds_first_emission_to_last_delivery']:.2f}s: {out['events_per_s']:,.0f} events/s\n"
              f"last delivery {out['last_delivery_after_last_create_s']:.2f}s after the last create answered; "
              f"signatures checked {stats['checked']:,}, bad {stats['bad']}")
    if bad:
        common.log("bench: WARNING: some creates failed, some events were not delivered, or a signature was bad")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
