"""Settings of one server: where state lives, where it listens, and which switches are on."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field


def default_db_url() -> str:
    return os.environ.get("ZOOMSIM_DB", "sqlite:///zoomsim.db")


def webhooks_from_env() -> bool:
    """ZOOMSIM_WEBHOOKS=0 keeps the sender off: events are written to the outbox and wait (a
    test makes "committed but never tried" deterministic this way)."""
    return os.environ.get("ZOOMSIM_WEBHOOKS", "1") != "0"


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None or value == "" else value not in ("0", "false", "no", "off")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


@dataclass
class Config:
    db_url: str = field(default_factory=default_db_url)
    host: str = "127.0.0.1"
    port: int = 8000
    rate_limits: bool = True
    admin_key: str | None = None       # explicit key; enables the admin API on any bind
    public_url: str | None = None      # base URL printed and used in join links
    max_body_bytes: int = 10 * 1024 * 1024
    token_ttl: int = 3600
    webhooks: bool = True              # send webhook deliveries from this worker
    webhook_url: str | None = None     # serve --webhook-url: the CLI subscribes the default app at start
    call_log: bool = field(default_factory=lambda: _env_flag("ZOOMSIM_CALL_LOG", True))
    call_log_rows: int = field(default_factory=lambda: _env_int("ZOOMSIM_CALL_LOG_ROWS", 100_000))
    call_log_days: float = field(default_factory=lambda: float(_env_int("ZOOMSIM_CALL_LOG_DAYS", 30)))

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    @property
    def loopback(self) -> bool:
        """Only an address that is loopback (127.0.0.0/8, ::1) or the name localhost; a host name
        that merely starts with "127." is not."""
        host = self.host.strip("[]")
        if host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    @property
    def admin_enabled(self) -> bool:
        return self.loopback or bool(self.admin_key)

    @classmethod
    def from_env(cls) -> "Config":
        """Used by worker processes, which receive their settings through the environment."""
        return cls(
            db_url=default_db_url(),
            host=os.environ.get("ZOOMSIM_HOST", "127.0.0.1"),
            port=int(os.environ.get("ZOOMSIM_PORT", "8000")),
            rate_limits=os.environ.get("ZOOMSIM_RATE_LIMITS", "1") != "0",
            admin_key=os.environ.get("ZOOMSIM_ADMIN_KEY") or None,
            public_url=os.environ.get("ZOOMSIM_PUBLIC_URL") or None,
            webhooks=webhooks_from_env(),
        )

    def to_env(self) -> dict[str, str]:
        env = {
            "ZOOMSIM_DB": self.db_url,
            "ZOOMSIM_HOST": self.host,
            "ZOOMSIM_PORT": str(self.port),
            "ZOOMSIM_RATE_LIMITS": "1" if self.rate_limits else "0",
        }
        if self.admin_key:
            env["ZOOMSIM_ADMIN_KEY"] = self.admin_key
        if self.public_url:
            env["ZOOMSIM_PUBLIC_URL"] = self.public_url
        if not self.webhooks:
            env["ZOOMSIM_WEBHOOKS"] = "0"
        if not self.call_log:
            env["ZOOMSIM_CALL_LOG"] = "0"
        env["ZOOMSIM_CALL_LOG_ROWS"] = str(self.call_log_rows)
        env["ZOOMSIM_CALL_LOG_DAYS"] = str(int(self.call_log_days))
        return env
