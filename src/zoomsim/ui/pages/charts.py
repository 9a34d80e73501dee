"""Charts of the API-call log over the last minutes: requests per second, latency per operation,
errors by Zoom code and rate-limit hits, drawn on the server as inline SVG (no chart library;
charts.js only reloads the page's content every few seconds).

The numbers come from storage/calls.window(), read from the database, so every worker draws the
same charts; each chart is geometry computed here and drawn by charts.html."""
from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from typing import Any, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zoomsim import clock as clockmod
from zoomsim.storage import calls as calls_repo
from zoomsim.ui import web

WINDOWS = {1: 5, 5: 5, 15: 10, 60: 30}     # minutes shown → seconds a bucket holds
DEFAULT_MINUTES = 5
TOP_OPERATIONS = 10
TOP_CODES = 12
NO_OP = "(token or unmatched)"      # calls with no operation: /oauth/token, unknown paths

# the time-series canvas (viewBox units; the SVG scales to the card's width)
TS_W, TS_H, TS_LEFT, TS_RIGHT, TS_TOP, TS_BOTTOM = 1200, 210, 52, 12, 12, 26
# the horizontal-bar canvas
HB_W, HB_ROW, HB_LABEL, HB_NUMBERS, HB_TOP = 1200, 28, 260, 230, 8


def nice_ceiling(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at least the value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def number(value: float) -> str:
    """Short labels: 3, 2.5, 0.25, 1.2k."""
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest rank: the value q of the calls were at or under."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


def clock_label(wall: float) -> str:
    return clockmod.iso(wall)[11:19]


def time_series(start: float, bucket: int, n: int, series: list[tuple[str, list[float]]],
                unit: str) -> dict[str, Any]:
    """Stacked bars per bucket (each series a list of n values, bottom first), with a y axis
    in `unit` and time labels under the x axis."""
    plot_w, plot_h = TS_W - TS_LEFT - TS_RIGHT, TS_H - TS_TOP - TS_BOTTOM
    totals = [sum(values[i] for _, values in series) for i in range(n)]
    top = nice_ceiling(max(totals, default=0))
    width = plot_w / n
    bars = []
    for i in range(n):
        y = TS_TOP + plot_h
        label = clock_label(start + i * bucket)
        for name, values in series:
            if values[i] <= 0:
                continue
            h = values[i] / top * plot_h
            y -= h
            bars.append({"x": round(TS_LEFT + i * width + 0.5, 2), "y": round(y, 2),
                         "w": round(max(width - 1, 0.8), 2), "h": round(h, 2), "cls": name,
                         "title": f"{label}: {number(values[i])} {unit} ({name})"})
    grid = [{"y": round(TS_TOP + plot_h - f * plot_h, 2), "label": number(top * f)} for f in (0, 0.5, 1)]
    ticks = []
    for i in sorted({0, n // 4, n // 2, (3 * n) // 4, n}):
        ticks.append({"x": round(TS_LEFT + i * width, 2), "label": clock_label(start + i * bucket),
                      "anchor": "start" if i == 0 else ("end" if i == n else "middle")})
    return {"w": TS_W, "h": TS_H, "bars": bars, "grid": grid, "ticks": ticks, "left": TS_LEFT,
            "right": TS_W - TS_RIGHT, "base": TS_TOP + plot_h, "unit": unit}


def hbars(rows: list[dict[str, Any]], keys: list[str]) -> dict[str, Any]:
    """Horizontal bars, one row per item; `keys` are drawn over each other, the first widest
    (p95 behind p50, or a single count)."""
    plot_w = HB_W - HB_LABEL - HB_NUMBERS
    top = nice_ceiling(max((r[keys[0]] for r in rows), default=0))
    out = []
    for i, r in enumerate(rows):
        y = HB_TOP + i * HB_ROW
        layers = [{"cls": key, "w": round(max(r[key] / top * plot_w, 1.0 if r[key] else 0), 2), "title":
                   f"{r['label']}: {key} {number(r[key])}"} for key in keys]
        out.append({**r, "y": y, "layers": layers})
    return {"w": HB_W, "h": HB_TOP * 2 + len(rows) * HB_ROW, "rows": out, "x0": HB_LABEL,
            "xn": HB_W - HB_NUMBERS + 8, "row": HB_ROW, "top": number(top)}


def window_start(now: float, minutes: int) -> float:
    """The first bucket's start: buckets are aligned to their size and the last one holds now."""
    bucket = WINDOWS[minutes]
    return math.floor(now / bucket) * bucket - (minutes * 60 // bucket - 1) * bucket


def build_charts(rows: list[tuple[float, str | None, int, int | None, float]], now: float,
                 minutes: int) -> dict[str, Any]:
    """Everything the page draws, from the window's (wall, operation, status, code, latency) rows."""
    bucket = WINDOWS[minutes]
    n = minutes * 60 // bucket
    start = window_start(now, minutes)
    ok, failed, limited = [0.0] * n, [0.0] * n, [0.0] * n
    latencies: dict[str, list[float]] = defaultdict(list)
    codes: Counter[tuple[int | None, int]] = Counter()
    for wall, op, status, code, latency in rows:
        i = int((wall - start) // bucket)
        if not 0 <= i < n:
            continue
        (failed if status >= 400 else ok)[i] += 1
        if status == 429:
            limited[i] += 1
        latencies[op or NO_OP].append(latency)
        if status >= 400:
            codes[(code, status)] += 1
    total = int(sum(ok) + sum(failed))
    per_second = time_series(start, bucket, n, [("ok", [v / bucket for v in ok]),
                                                ("failed", [v / bucket for v in failed])], "req/s")
    ops = sorted(latencies.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_OPERATIONS]
    op_rows = []
    for op, values in ops:
        values.sort()
        op_rows.append({"label": op, "count": len(values), "p50": percentile(values, 0.5),
                        "p95": percentile(values, 0.95)})
    code_rows = [{"label": f"{code} ({status})" if code is not None else f"no code ({status})",
                  "code": code, "status": status, "count": count}
                 for (code, status), count in sorted(codes.items(), key=lambda kv: (-kv[1], str(kv[0])))[:TOP_CODES]]
    all_latency = sorted(latency for *_, latency in rows)
    return {
        "total": total, "bucket": bucket, "minutes": minutes,
        "summary": {"calls": total, "rate": number(total / (minutes * 60)),
                    "errors": int(sum(failed)), "error_pct": f"{(sum(failed) / total * 100) if total else 0:.1f}",
                    "p95": number(round(percentile(all_latency, 0.95), 1)), "limited": int(sum(limited))},
        "per_second": per_second,
        "latency": hbars(op_rows, ["p95", "p50"]) if op_rows else None,
        "codes": hbars(code_rows, ["count"]) if code_rows else None,
        "limited": time_series(start, bucket, n, [("limited", limited)], "429s") if sum(limited) else None,
        "from": clockmod.iso(start), "to": clockmod.iso(now),
    }


@web.page
async def charts_page(request: Request) -> Response:
    s = web.services(request)
    raw = request.query_params.get("minutes", "")
    minutes = int(raw) if raw.isascii() and raw.isdigit() and int(raw) in WINDOWS else DEFAULT_MINUTES
    ignored = bool(raw) and str(minutes) != raw
    now = time.time()
    s.calls.flush()
    with s.storage.read() as db:
        rows = calls_repo.window(db, window_start(now, minutes))
    data = build_charts(rows, now, minutes)
    return web.render(request, "charts.html", title="Charts", c=data, windows=list(WINDOWS), ignored=ignored)


ROUTES = [Route("/charts", charts_page, methods=["GET"])]
