"""Benchmark POST /v2/users/me/webinars against POST /v2/users/me/meetings on the same zoomsim,
same run: webinars are a kind of the meeting domain served by the same code, so creating one
should cost what creating a meeting costs (target: webinar/meeting req/s ratio >= 0.9). The
webinar path does one thing more, the host's webinar licence lookup.

Both bodies are the same scheduled shape (type 2 / 5, automatic approval); one zoomsim (uvicorn,
one worker, rate limits off) on one SQLite file is loaded alternately with each by wrk, or
without wrk by bench/loadgen.py.

    .venv/bin/python bench/webinar_create.py [--duration 5] [--rounds 3] [--connections 64] [--json]
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
import meeting_create
import users_get as common

BODIES = {
    "meeting": ("/v2/users/me/meetings", {**meeting_create.BODY, "type": 2}),
    "webinar": ("/v2/users/me/webinars", {**meeting_create.BODY, "type": 5}),
}


def sanity(port: int, auth: str) -> dict[str, int]:
    """Each path answers 201 with the given topic and its own kind's type; the answer sizes."""
    sizes = {}
    for name, (path, body) in BODIES.items():
        r = httpx.post(f"http://{common.LOOPBACK}:{port}{path}", json=body, headers={"Authorization": auth}, timeout=10)
        if r.status_code != 201 or r.json().get("type") != body["type"]:
            raise SystemExit(f"sanity check failed: POST {path} -> {r.status_code} {r.text[:300]}")
        sizes[name] = len(r.content)
    return sizes


def main(argv: list[str] | None = None) -> int:
    p = common.base_parser(__doc__, 3)
    args = p.parse_args(argv)
    common.check_common(p, args)
    common.watchdog(60 + args.rounds * 2 * (args.duration + 3) + 2 * args.warmup)
    with tempfile.TemporaryDirectory(prefix="zoomsim-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            data = common.seed(tmp, 1)     # the default account's owner holds a webinar licence
            auth = f"Bearer {data['token']}"
            port, pid = meeting_create.start_zoomsim(tmp, data["db_url"])
            sizes = sanity(port, auth)
            common.log(f"bench: POST meetings ({sizes['meeting']} B answers) vs POST webinars "
                       f"({sizes['webinar']} B), loadgen {args.loadgen}, {args.connections} connections, "
                       f"{args.rounds} rounds x {args.duration:g}s")
            meter = meeting_create.Meter({"meeting": pid, "webinar": pid})

            def post(name: str, seconds: float) -> Any:
                path, body = BODIES[name]
                raw = json.dumps(body, separators=(",", ":")).encode()
                return lambda: meeting_create.run_post(args.loadgen, port, path, auth, raw, args.connections,
                                                       seconds, args.threads)

            for name in BODIES if args.warmup > 0 else ():
                meter.measure(name, post(name, args.warmup), keep=False)
            for rnd in range(1, args.rounds + 1):
                for name in BODIES:
                    meter.measure(name, post(name, args.duration))
                m, w = meter.rps["meeting"][-1], meter.rps["webinar"][-1]
                common.log(f"round {rnd}  meetings {m:8,.0f} req/s   webinars {w:8,.0f} req/s   ratio {w / m if m else 0:.3f}")
        finally:
            common.stop_all()
    ratios = [w / m if m else 0.0 for m, w in zip(meter.rps["meeting"], meter.rps["webinar"])]
    out = {"benchmark": "POST /v2/users/me/webinars vs POST /v2/users/me/meetings", "loadgen": args.loadgen,
           "connections": args.connections, "duration": args.duration, "rounds": args.rounds,
           "meeting_rps": round(common.median(meter.rps["meeting"]) or 0, 1),
           "webinar_rps": round(common.median(meter.rps["webinar"]) or 0, 1),
           "webinar_over_meeting": round(common.median(ratios) or 0, 4),
           "meeting_cpu_us_per_req": common.median(meter.cpu_us["meeting"]),
           "webinar_cpu_us_per_req": common.median(meter.cpu_us["webinar"]),
           "non_2xx_or_errors": meter.bad}
    return meeting_create.finish(args, out, [
        f"POST meetings   {out['meeting_rps']:10,.0f} req/s",
        f"POST webinars   {out['webinar_rps']:10,.0f} req/s",
        f"ratio webinar/meeting {out['webinar_over_meeting']:.3f} (target >= 0.9)"], meter.bad)


if __name__ == "__main__":
    sys.exit(main())
