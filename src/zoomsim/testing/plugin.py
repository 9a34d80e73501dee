"""pytest plugin (entry point `zoomsim`, loaded wherever zoomsim is installed).

Fixtures, none of which does anything until a test asks for it:

- `zoom` (per test): a fresh account on the session's server — `base_url`, `token_url`,
  `account_id`, `owner_id`, `client_id`, `client_secret`, `token`, `client` (an httpx.Client on
  `/v2` holding a token) and `admin` (clock, token expiry, meeting simulation). A fresh account
  instead of a global reset keeps tests independent and fast; a clock the test moved is put back
  to wall time afterwards.
- `zoomsim_server` (session, one per xdist worker): the server itself (`url`, `admin_key`,
  `admin`, `new_account(**options)`). Started on 127.0.0.1 on a temporary SQLite file with rate
  limits off, or, when `ZOOMSIM_URL` (and `ZOOMSIM_ADMIN_KEY`) are set, the server found there.
- `zoomsim_limited_server` (session): the same with Zoom's rate limits on, started only when a
  test asks for `@pytest.mark.zoomsim(rate_limits=True)`; `ZOOMSIM_LIMITED_URL` attaches it.

Marker: `@pytest.mark.zoomsim(plan=..., licences={...}, scopes=[...] | "all", users=[...],
owner={...}, name=..., rate_limits=True, faults=[{"effect": {...}, "match": {...}, ...}])` on a
test, class or module (the closest one wins, key by key) sets the options of the account `zoom`
hands out. `faults` are fault rules (the admin API's `POST /_zoomsim/faults`) scoped to that
account and removed after the test; `zoom.fault(effect, match, **options)` adds one mid-test.

Importing this module imports nothing of zoomsim's app (the project's own suite loads it too).
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from zoomsim.testing.handle import Zoom
    from zoomsim.testing.server import ZoomsimServer

MARKER = "zoomsim"
ENV_URL = "ZOOMSIM_URL"
ENV_LIMITED_URL = "ZOOMSIM_LIMITED_URL"
ENV_ADMIN_KEY = "ZOOMSIM_ADMIN_KEY"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(plan='business', licences=None, scopes='all', users=None, owner=None, name=None, "
        "rate_limits=False): options of the fresh account the `zoom` fixture hands this test",
    )


def _attach(url: str) -> "ZoomsimServer":
    from zoomsim.testing.server import ZoomsimServer

    key = os.environ.get(ENV_ADMIN_KEY, "")
    if not key:
        pytest.fail(f"{ENV_URL} is set but {ENV_ADMIN_KEY} is not: the fixtures need the server's admin key "
                    "(`zoomsim credentials --json` prints it)", pytrace=False)
    try:
        return ZoomsimServer.attach(url, key)
    except (OSError, AssertionError) as err:
        pytest.fail(f"cannot use the zoomsim server at {url}: {err}", pytrace=False)


def _serve(tmp_path_factory: pytest.TempPathFactory, env: str, rate_limits: bool) -> Iterator["ZoomsimServer"]:
    url = os.environ.get(env, "")
    if url:
        yield _attach(url)
        return
    from zoomsim.testing.server import ZoomsimServer

    name = "zoomsim-limited" if rate_limits else "zoomsim"
    server = ZoomsimServer.start(tmp_path_factory.mktemp(name) / "zoomsim.db", rate_limits=rate_limits)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def zoomsim_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator["ZoomsimServer"]:
    """The session's zoomsim server (rate limits off), or the one at ZOOMSIM_URL."""
    yield from _serve(tmp_path_factory, ENV_URL, rate_limits=False)


@pytest.fixture(scope="session")
def zoomsim_limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator["ZoomsimServer"]:
    """A second server with Zoom's rate limits on (its own database): limits are a server
    setting, and the session's server keeps them off so tests never wait on each other's counts.
    ZOOMSIM_LIMITED_URL attaches it instead (with ZOOMSIM_ADMIN_KEY)."""
    yield from _serve(tmp_path_factory, ENV_LIMITED_URL, rate_limits=True)


def marker_options(node: pytest.Item) -> dict[str, Any]:
    """The zoomsim marker's keyword options for `node`, the closest marker winning key by key."""
    options: dict[str, Any] = {}
    for mark in reversed(list(node.iter_markers(MARKER))):
        if mark.args:
            raise pytest.UsageError(f"{node.nodeid}: @pytest.mark.{MARKER} takes keyword options only")
        options.update(mark.kwargs)
    return options


@pytest.fixture
def zoom(request: pytest.FixtureRequest) -> Iterator["Zoom"]:
    """A fresh account on the session's server (or the rate-limited one), per the zoomsim marker."""
    options = marker_options(request.node)
    limited = bool(options.pop("rate_limits", False))
    rules = options.pop("faults", None) or []
    if not isinstance(rules, list) or not all(isinstance(r, dict) and "effect" in r for r in rules):
        raise pytest.UsageError(f"{request.node.nodeid}: faults=[{{'effect': ..., 'match': ...}}, ...]")
    server: ZoomsimServer = request.getfixturevalue("zoomsim_limited_server" if limited else "zoomsim_server")
    try:
        handle = server.new_account(**options)
    except TypeError as err:
        raise pytest.UsageError(f"{request.node.nodeid}: {err}") from None
    try:
        for spec in rules:
            handle.fault(**spec)
        yield handle
    finally:
        handle.close()
        # the clock is the server's: whoever moved it during this test, the next test gets wall time
        if handle.admin.clock_touched or server.admin.clock_touched:
            server.admin.real()
            handle.admin.clock_touched = False
