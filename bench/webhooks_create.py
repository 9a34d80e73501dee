"""Benchmark what a webhook subscription costs POST /v2/users/me/meetings: the same zoomsim, two
fresh accounts, one of them subscribed to meeting.created at a fast local receiver, loaded
alternately round by round in the same run (target: subscribed/unsubscribed >= 0.9).

The subscribed account's creates each write an outbox row in their transaction, and the
sender on the same worker's loop claims, signs, posts and settles them: that work shares the
one core the handlers run on, so it shows up in the subscribed rounds. After each subscribed
round the run waits for the outbox to drain and reports a second, stricter ratio that counts
the drain time too ("sustained": creates over round + drain seconds).

The receiver is its own uvicorn process (a bare ASGI app, bench/webhooks_create.py's
`create_receiver`) that checks every signature as Zoom's sample does and counts.

    .venv/bin/python bench/webhooks_create.py [--duration 5] [--rounds 3] [--connections 64] [--json]
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import meeting_create
import users_get as common

PATH = meeting_create.PATH
SECRET_ENV = "BENCH_SECRET_TOKEN"
CHECK_EVERY = 10               # the receiver verifies every 10th signature


# ---- the receiver ---------------------------------------------------------------------------------

def create_receiver() -> Any:
    """A bare ASGI receiver: POST parses the body, verifies x-zm-signature over JSON.stringify(body)
    (the parsed body written again compactly, as Zoom's Node sample does) on every CHECK_EVERY-th
    delivery, and answers 200; GET /stats answers {"count", "checked", "bad", "first", "last"}
    (wall times of the first and last delivery)."""
    secret = os.environ.get(SECRET_ENV, "").encode()
    stats: dict[str, Any] = {"count": 0, "checked": 0, "bad": 0, "first": None, "last": None}

    async def read(receive: Any) -> bytes:
        chunks = []
        while True:
            msg = await receive()
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body"):
                return b"".join(chunks)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                await send({"type": msg["type"] + ".complete"})
                if msg["type"] == "lifespan.shutdown":
                    return
        if scope["type"] != "http":
            return
        if scope["method"] == "GET":
            out = json.dumps(stats).encode()
        else:
            raw = await read(receive)
            headers = {k.decode(): v.decode() for k, v in scope["headers"]}
            parsed = json.loads(raw)
            if parsed.get("event") == "endpoint.url_validation":
                plain = parsed["payload"]["plainToken"]
                out = json.dumps({"plainToken": plain, "encryptedToken": hmac.new(
                    secret, plain.encode(), hashlib.sha256).hexdigest()}).encode()
                await _answer(send, out)
                return
            now = time.time()
            stats["count"] += 1
            if stats["count"] % CHECK_EVERY == 1:      # a sample: the receiver shares the machine's cores
                body = json.dumps(parsed, separators=(",", ":"), ensure_ascii=False).encode()
                mac = hmac.new(secret, b"v0:" + headers.get("x-zm-request-timestamp", "").encode() + b":" + body,
                               hashlib.sha256).hexdigest()
                stats["checked"] += 1
                stats["bad"] += headers.get("x-zm-signature") != "v0=" + mac
            stats["first"] = stats["first"] or now
            stats["last"] = now
            out = b""
        await _answer(send, out)

    return app


async def _answer(send: Any, out: bytes) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(out)).encode())]})
    await send({"type": "http.response.body", "body": out})


def start_receiver(tmp: Path, secret: str) -> tuple[str, int]:
    port = common.free_port()
    common.start([sys.executable, "-m", "uvicorn", "webhooks_create:create_receiver", "--factory",
                  "--app-dir", str(common.BENCH_DIR), "--port", str(port)] + common.UVICORN_FLAGS,
                 {SECRET_ENV: secret}, tmp / "receiver.log", port)
    return f"http://{common.LOOPBACK}:{port}", port


def receiver_stats(url: str) -> dict[str, Any]:
    return httpx.get(url + "/stats", timeout=10).json()  # type: ignore[no-any-return]


# ---- zoomsim, two accounts ------------------------------------------------------------------------

class Zoomsim:
    """One zoomsim worker (uvicorn, rate limits off) on a fresh SQLite file, and its admin API."""

    def __init__(self, tmp: Path) -> None:
        self.db_url = f"sqlite:///{tmp / 'zoomsim.db'}"
        creds = json.loads(subprocess.run([str(common.BIN / "zoomsim"), "init", "--db", self.db_url, "--json"],
                                          capture_output=True, text=True, check=True, timeout=60).stdout)
        self.port, self.pid = meeting_create.start_zoomsim(tmp, self.db_url)
        self.url = f"http://{common.LOOPBACK}:{self.port}"
        self.http = httpx.Client(base_url=self.url, timeout=60,
                                 headers={"Authorization": f"Bearer {creds['admin_key']}"})

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        r = self.http.request(method, "/_zoomsim" + path, json=body)
        if r.status_code >= 300:
            raise SystemExit(f"admin {method} {path} failed: {r.status_code} {r.text[:300]}")
        return r.json() if r.content else None

    def account(self) -> dict[str, Any]:
        """A fresh business account: its id, app and a token ("auth" is the Authorization value)."""
        out = self.admin("POST", "/accounts", {"plan": "business"})
        app = out["apps"][0]
        r = httpx.post(self.url + "/oauth/token", params={"grant_type": "account_credentials",
                                                          "account_id": out["account_id"]},
                       auth=(app["client_id"], app["client_secret"]), timeout=30)
        if r.status_code != 200:
            raise SystemExit(f"token request failed: {r.status_code} {r.text[:300]}")
        secret = next(a["secret_token"] for a in self.admin("GET", f"/accounts/{out['account_id']}")["apps"]
                      if a["client_id"] == app["client_id"])
        return {"account_id": out["account_id"], "client_id": app["client_id"], "secret": secret,
                "auth": f"Bearer {r.json()['access_token']}"}

    def subscribe(self, acct: dict[str, Any], url: str) -> None:
        self.admin("POST", f"/accounts/{acct['account_id']}/apps/{acct['client_id']}/event_subscriptions",
                   {"events": ["meeting.created"], "event_webhook_url": url})      # validated: the receiver signs back

    def pending(self, acct: dict[str, Any]) -> int:
        return len(self.admin("GET", f"/webhooks/deliveries?account_id={acct['account_id']}&state=pending&limit=1")
                   ["deliveries"])

    def drain(self, acct: dict[str, Any], timeout: float = 120.0) -> float:
        """Seconds until the account has no pending delivery."""
        t0 = time.monotonic()
        while self.pending(acct) and time.monotonic() - t0 < timeout:
            time.sleep(0.05)        # a cheap look (one row), not often: it shares the server's core
        return time.monotonic() - t0


# ---- the run ------------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> Any:
    p = common.base_parser(__doc__, 3)
    args = p.parse_args(argv)
    common.check_common(p, args)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    common.watchdog(90 + args.rounds * 2 * (args.duration + 30) + 2 * args.warmup)
    body = json.dumps(meeting_create.BODY, separators=(",", ":")).encode()
    names = ("none", "subscribed")
    rps: dict[str, list[float]] = {n: [] for n in names}
    cpu_us: dict[str, list[float]] = {n: [] for n in names}
    sustained: list[float] = []
    drains: list[float] = []
    bad = 0
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            zs = Zoomsim(tmp)
            accts = {"none": zs.account(), "subscribed": zs.account()}
            hook_url, _ = start_receiver(tmp, accts["subscribed"]["secret"])
            zs.subscribe(accts["subscribed"], hook_url + "/zoom/webhook")
            meeting_create.sanity_post({n: zs.port for n in names}, accts["none"]["auth"])
            common.log(f"bench: POST {PATH} with one meeting.created subscription vs none, loadgen {args.loadgen}, "
                       f"{args.connections} connections, {args.rounds} rounds x {args.duration:g}s")

            def post(name: str, seconds: float) -> Any:
                return meeting_create.run_post(args.loadgen, zs.port, PATH, accts[name]["auth"], body,
                                               args.connections, seconds, args.threads)

            for name in names if args.warmup > 0 else ():
                post(name, args.warmup)
            zs.drain(accts["subscribed"])
            for rnd in range(1, args.rounds + 1):
                for name in names:
                    before = common.cpu_seconds(zs.pid)
                    res = post(name, args.duration)
                    drained = zs.drain(accts[name]) if name == "subscribed" else 0.0
                    after = common.cpu_seconds(zs.pid)
                    rps[name].append(res.rps)
                    if before is not None and after is not None and res.requests:
                        cpu_us[name].append((after - before) / res.requests * 1e6)
                    bad += res.non_2xx + res.errors
                    if name == "subscribed":
                        drains.append(drained)
                        sustained.append(res.requests / (res.seconds + drained) if res.seconds else 0.0)
                n, s = rps["none"][-1], rps["subscribed"][-1]
                common.log(f"round {rnd}  none {n:8,.0f} req/s   subscribed {s:8,.0f} req/s   ratio "
                           f"{s / n if n else 0:.3f}   drain after it {drains[-1]:.2f}s   sustained ratio "
                           f"{sustained[-1] / n if n else 0:.3f}")
            stats = receiver_stats(hook_url)
        finally:
            common.stop_all()
    ratios = [s / n if n else 0.0 for n, s in zip(rps["none"], rps["subscribed"])]
    held = [s / n if n else 0.0 for n, s in zip(rps["none"], sustained)]
    out = {"benchmark": f"POST {PATH}, one meeting.created subscription vs none", "loadgen": args.loadgen,
           "connections": args.connections, "duration": args.duration, "rounds": args.rounds,
           "none_rps": round(common.median(rps["none"]) or 0, 1),
           "subscribed_rps": round(common.median(rps["subscribed"]) or 0, 1),
           "ratio_median": round(common.median(ratios) or 0, 4),
           "sustained_ratio_median": round(common.median(held) or 0, 4),
           "drain_seconds_median": round(common.median(drains) or 0, 3),
           "none_cpu_us_per_req": round(common.median(cpu_us["none"]) or 0, 1),
           "subscribed_cpu_us_per_req": round(common.median(cpu_us["subscribed"]) or 0, 1),
           "delivered": stats["count"], "signatures_checked": stats["checked"], "bad_signatures": stats["bad"],
           "non_2xx_or_errors": bad}
    bad += stats["bad"]
    return meeting_create.finish(args, out, [
        f"no subscription           {out['none_rps']:10,.0f} req/s   {out['none_cpu_us_per_req']:7.1f} us CPU/req",
        f"one subscription          {out['subscribed_rps']:10,.0f} req/s   "
        f"{out['subscribed_cpu_us_per_req']:7.1f} us CPU/req (with its deliveries)",
        f"ratio subscribed/none     {out['ratio_median']:10.3f}   (target >= 0.9)",
        f"sustained ratio           {out['sustained_ratio_median']:10.3f}   (creates over round + "
        f"{out['drain_seconds_median']:.2f}s drain)",
        f"delivered {stats['count']:,}, signatures checked {stats['checked']:,}, bad {stats['bad']}"], bad)


if __name__ == "__main__":
    sys.exit(main())
