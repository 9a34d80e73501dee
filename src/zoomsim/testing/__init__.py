"""zoomsim's kit for other projects' tests.

- `plugin`: the pytest plugin (entry point `zoomsim`): a server per session (per xdist worker)
  and a fresh account per test (`zoom` fixture, `@pytest.mark.zoomsim(...)` options).
- `intercept`: `with zoomsim.intercept() as zs:` routes Zoom's own URLs, made through
  `requests` or `httpx`, into an in-process app, for code that can't be pointed elsewhere.
- `handle`: what both hand a test: `Zoom` (one account's credentials and a client) and `Admin`
  (clock, token expiry, meeting simulation).

Nothing here is imported by the app, and importing this package imports nothing else.
"""
