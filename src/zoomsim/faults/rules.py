"""A fault rule as the admin API takes it: what it matches, what it does, how often. Parsing
refuses anything it cannot honour, naming the field (Zoom's 300 envelope).

Two kinds share the shape: request rules (an operation, a family, `*` or `token`) answer or
slow a call before its handler; webhook rules (`operation: "webhook"`) delay or duplicate the
deliveries an event makes, per subscription."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

from zoomsim.errors import invalid_field

TOKEN = "token"                 # match.operation for POST /oauth/token
WEBHOOK = "webhook"             # match.operation for webhook deliveries
MAX_DELAY_SECONDS = 7 * 86_400  # a delivery held back at most a week of zoomsim's clock
MAX_COPIES = 10
DISTRIBUTIONS = ("uniform", "exponential")
MAX_LATENCY_MS = 120_000
ERROR_DEFAULTS: dict[int, tuple[int, str]] = {
    400: (300, "Bad Request."),
    401: (124, "Invalid access token."),
    403: (104, "Forbidden."),
    404: (404, "Not Found."),
    429: (429, "You have reached the maximum per-second rate limit for this API. Try again later."),
    500: (500, "Internal Server Error."),
    502: (502, "Bad Gateway."),
    503: (503, "Service Unavailable. Try again later."),
    504: (504, "Gateway Timeout."),
}


@dataclass(frozen=True)
class Rule:
    id: str
    operation: str | None
    method: str | None
    account_id: str | None
    app_id: str | None
    nth: int | None
    effect: dict[str, Any]
    probability: float
    seed: int
    times: int | None
    expires_at: float | None
    spec: dict[str, Any] = field(default_factory=dict)
    event: str | None = None               # webhook rules: the event and the subscription
    subscription_id: str | None = None

    @property
    def webhook(self) -> bool:
        return self.operation == WEBHOOK

    def matches(self, op_id: str, family: str, method: str, account_id: str | None, app_id: str | None,
                now: float) -> bool:
        if self.expires_at is not None and now >= self.expires_at:
            return False
        if self.webhook or self.operation not in (None, "*", op_id, family):
            return False
        if self.operation == "*" and op_id == TOKEN:
            return False            # "*" is every API call; the token endpoint is named on purpose
        return (self.method is None or self.method == method) and self._scoped(account_id, app_id)

    def matches_delivery(self, event: str, subscription_id: str, account_id: str, app_id: str, now: float) -> bool:
        if not self.webhook or (self.expires_at is not None and now >= self.expires_at):
            return False
        return ((self.event is None or self.event == event)
                and (self.subscription_id is None or self.subscription_id == subscription_id)
                and self._scoped(account_id, app_id))

    def _scoped(self, account_id: str | None, app_id: str | None) -> bool:
        return (self.account_id is None or self.account_id == account_id) and \
            (self.app_id is None or self.app_id == app_id)

    def fires(self, k: int, fired: int) -> bool:
        """Whether the k-th matching request is faulted: a pure function of (seed, k)."""
        if self.times is not None and fired >= self.times:
            return False
        if self.nth is not None and k != self.nth:
            return False
        return self.probability >= 1 or draw(self.seed, k, "fire") < self.probability

    def latency_seconds(self, k: int) -> float:
        return self._amount(k, "latency", "ms", MAX_LATENCY_MS) / 1000

    def delay_seconds(self, k: int) -> float:
        """How long (zoomsim's clock) the k-th matching delivery is held back."""
        return self._amount(k, "delay", "seconds", MAX_DELAY_SECONDS)

    def _amount(self, k: int, name: str, unit: str, cap: float) -> float:
        """A fixed `{name}_{unit}`, or the k-th draw of the `name` distribution, in `unit`."""
        effect = self.effect
        if f"{name}_{unit}" in effect:
            return float(effect[f"{name}_{unit}"])
        spec = effect.get(name)
        if not spec:
            return 0.0
        u = draw(self.seed, k, name)
        if spec["distribution"] == "uniform":
            value = spec[f"min_{unit}"] + (spec[f"max_{unit}"] - spec[f"min_{unit}"]) * u
        else:
            value = -spec[f"mean_{unit}"] * math.log(1 - u)
        return float(min(value, cap))


def draw(seed: int, k: int, purpose: str) -> float:
    """A number in [0, 1) fixed by its inputs: the same on every worker, every run and every
    rule made again with the same seed (rule ids are random, so they stay out of it; rules that
    should not draw alike take different seeds)."""
    digest = hashlib.sha256(f"{seed}:{k}:{purpose}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _number(value: Any, name: str, low: float, high: float, integer: bool = False) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise invalid_field(name)
    if not (low <= value <= high) or (isinstance(value, float) and not math.isfinite(value)):
        raise invalid_field(name)
    return value


def _text(value: Any, name: str, limit: int = 128) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > limit or "\x00" in value:
        raise invalid_field(name)
    return value


def _distribution(spec: Any, name: str, unit: str, cap: float) -> dict[str, Any]:
    """`{"distribution": "uniform", "min_<unit>", "max_<unit>"}` or `{"distribution":
    "exponential", "mean_<unit>"}`, each bound within [0, cap]."""
    where = f"effect.{name}"
    if not isinstance(spec, dict) or spec.get("distribution") not in DISTRIBUTIONS:
        raise invalid_field(f"{where}.distribution")
    if spec["distribution"] == "uniform":
        low = _number(spec.get(f"min_{unit}"), f"{where}.min_{unit}", 0, cap)
        high = _number(spec.get(f"max_{unit}"), f"{where}.max_{unit}", low, cap)
        return {"distribution": "uniform", f"min_{unit}": low, f"max_{unit}": high}
    mean = _number(spec.get(f"mean_{unit}"), f"{where}.mean_{unit}", 0, cap)
    return {"distribution": "exponential", f"mean_{unit}": mean}


def parse_effect(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw:
        raise invalid_field("effect")
    if raw.get("drop") is True and len(raw) == 1:
        return {"drop": True}
    if raw.get("pass") is True and len(raw) == 1:
        return {"pass": True}
    if "latency_ms" in raw and len(raw) == 1:
        return {"latency_ms": _number(raw["latency_ms"], "effect.latency_ms", 0, MAX_LATENCY_MS)}
    if "latency" in raw and len(raw) == 1:
        return {"latency": _distribution(raw["latency"], "latency", "ms", MAX_LATENCY_MS)}
    if "status" in raw:
        status = _number(raw["status"], "effect.status", 400, 599, integer=True)
        unknown = set(raw) - {"status", "code", "message", "body", "retry_after"}
        if unknown:
            raise invalid_field(f"effect.{sorted(unknown)[0]}")
        out: dict[str, Any] = {"status": status}
        if "body" in raw:
            if not isinstance(raw["body"], (dict, list)):
                raise invalid_field("effect.body")
            out["body"] = raw["body"]
        else:
            code, message = ERROR_DEFAULTS.get(status, (status, "Error."))
            out["code"] = _number(raw.get("code", code), "effect.code", 0, 2**31 - 1, integer=True)
            out["message"] = _text(raw.get("message", message), "effect.message", 1000)
        if "retry_after" in raw or status in (429, 503):
            out["retry_after"] = _number(raw.get("retry_after", 1), "effect.retry_after", 0, 86_400, integer=True)
        return out
    raise invalid_field("effect")


def parse_delivery_effect(raw: Any) -> dict[str, Any]:
    """A webhook rule's effect: hold the delivery back (`delay_seconds`, or a seeded `delay`),
    send it more than once (`duplicate` extra copies, `duplicate_after_seconds` after it), or
    both. A delay lets later events overtake it: that is how deliveries come out of order."""
    if not isinstance(raw, dict) or not raw:
        raise invalid_field("effect")
    unknown = set(raw) - {"delay_seconds", "delay", "duplicate", "duplicate_after_seconds"}
    if unknown:
        raise invalid_field(f"effect.{sorted(unknown)[0]}")
    if "delay_seconds" in raw and "delay" in raw:
        raise invalid_field("effect.delay")
    out: dict[str, Any] = {}
    if "delay_seconds" in raw:
        out["delay_seconds"] = _number(raw["delay_seconds"], "effect.delay_seconds", 0, MAX_DELAY_SECONDS)
    if "delay" in raw:
        out["delay"] = _distribution(raw["delay"], "delay", "seconds", MAX_DELAY_SECONDS)
    if "duplicate" in raw:
        out["duplicate"] = _number(raw["duplicate"], "effect.duplicate", 1, MAX_COPIES, integer=True)
    if "duplicate_after_seconds" in raw:
        if "duplicate" not in out:
            raise invalid_field("effect.duplicate")
        out["duplicate_after_seconds"] = _number(raw["duplicate_after_seconds"], "effect.duplicate_after_seconds",
                                                 0, MAX_DELAY_SECONDS)
    if not out:
        raise invalid_field("effect")
    return out


def parse(rule_id: str, body: dict[str, Any], now: float) -> Rule:
    """A rule from an admin request body (`now` is zoomsim's clock, for `expires_in`)."""
    from zoomsim import clock as clockmod

    unknown = set(body) - {"match", "effect", "probability", "seed", "times", "expires_in", "expires_at"}
    if unknown:
        raise invalid_field(sorted(unknown)[0])
    match = body.get("match") or {}
    if not isinstance(match, dict) or set(match) - {"operation", "method", "account_id", "app_id", "nth", "event",
                                                    "subscription_id"}:
        raise invalid_field("match")
    operation = _text(match.get("operation"), "match.operation")
    method = _text(match.get("method"), "match.method", 16)
    event = _text(match.get("event"), "match.event", 100)
    subscription_id = _text(match.get("subscription_id"), "match.subscription_id", 64)
    if operation == WEBHOOK and method is not None:
        raise invalid_field("match.method")          # a delivery is always a POST
    if operation != WEBHOOK and (event is not None or subscription_id is not None):
        raise invalid_field("match.event" if event is not None else "match.subscription_id")
    nth = match.get("nth")
    if nth is not None:
        nth = _number(nth, "match.nth", 1, 2**31 - 1, integer=True)
    probability = float(_number(body.get("probability", 1), "probability", 0, 1))
    seed = _number(body.get("seed", 0), "seed", -2**63, 2**63 - 1, integer=True)
    times = body.get("times")
    if times is not None:
        times = _number(times, "times", 1, 2**31 - 1, integer=True)
    expires_at = None
    if body.get("expires_in") is not None:
        expires_at = now + float(_number(body["expires_in"], "expires_in", 0, 100 * 365 * 86_400))
    elif body.get("expires_at") is not None:
        try:
            expires_at = clockmod.parse_iso(str(body["expires_at"]))
        except ValueError:
            raise invalid_field("expires_at") from None
    effect = parse_delivery_effect(body.get("effect")) if operation == WEBHOOK else parse_effect(body.get("effect"))
    spec = {"match": {k: v for k, v in match.items() if v is not None}, "effect": effect,
            "probability": probability, "seed": seed}
    return Rule(rule_id, operation, method.upper() if method else None,
                _text(match.get("account_id"), "match.account_id", 64), _text(match.get("app_id"), "match.app_id", 64),
                nth, effect, probability, seed, times, expires_at, spec, event, subscription_id)
