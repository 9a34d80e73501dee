"""Real v1 clients against zoomsim: zoomus 1.2.1 (PyPI) in v1 mode, which fetches an S2S token
and then puts every parameter in the query string, and Zoom's own Node library for v1 (zoomus
0.1.5 from npm), which form-encodes nested values. The Node test skips cleanly without node/npm."""
from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from zoomus import ZoomClient
from zoomus.util import API_VERSION_1

from support import Admin, npm_installed, ok

NODE_ZOOMUS = "zoomus@0.1.5"
SCRIPT = Path(__file__).parent / "node" / "zoomus_v1.js"
FUTURE = "2031-05-04T16:00:00Z"


def test_zoomus_v1_webinar_flow(admin: Admin) -> None:
    api = admin.tenant()
    client = ZoomClient(api.client_id, api.client_secret, api.account_id, version=API_VERSION_1,
                        base_uri=api.server.url + "/v1", oauth_uri=api.server.url + "/oauth/token")
    assert client.config["token"]       # the S2S token came from zoomsim's /oauth/token
    made = client.webinar.create(host_id=api.owner_id, topic="zoomus v1", type=5, duration=30,
                                 approval_type=0, start_time=datetime(2031, 5, 4, 16, 0))
    assert made.status_code == 200 and made.request.body is None      # all of it in the URL
    assert "api_secret=" in (urlsplit(made.request.url).query)
    w = made.json()
    assert (w["topic"], w["type"], w["duration"], w["approval_type"]) == ("zoomus v1", 5, 30, 0)
    got = client.webinar.get(host_id=api.owner_id, id=w["id"]).json()
    assert got["uuid"] == w["uuid"] and got["start_time"] == FUTURE
    listed = client.webinar.upcoming(host_id=api.owner_id).json()
    assert [x["id"] for x in listed["webinars"]] == [w["id"]]
    assert client.webinar.list(host_id=api.owner_id).json()["total_records"] == 0    # it needs registration
    reg = client.webinar.register(id=w["id"], email="zoomus@example.com", first_name="Zoe", last_name="Mus").json()
    assert reg["id"] == w["id"] and reg["join_url"]
    v2 = ok(api, f"/webinars/{w['id']}/registrants")["registrants"]
    assert [r["id"] for r in v2] == [reg["registrant_id"]]
    assert client.webinar.update(host_id=api.owner_id, id=w["id"], topic="zoomus v1 renamed").json()["id"] == w["id"]
    assert ok(api, f"/webinars/{w['id']}")["topic"] == "zoomus v1 renamed"
    assert client.webinar.end(host_id=api.owner_id, id=w["id"]).json()["id"] == w["id"]
    assert "deleted_at" in client.webinar.delete(host_id=api.owner_id, id=w["id"]).json()
    assert api.get(f"/webinars/{w['id']}").status_code == 404
    missing = client.webinar.get(host_id=api.owner_id, id=w["id"]).json()
    assert missing == {"error": {"code": 3001, "message": f"Webinar {w['id']} not found or expired."}}


@pytest.fixture(scope="session")
def node_zoomus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return npm_installed(tmp_path_factory, NODE_ZOOMUS)  # type: ignore[no-any-return]


def test_zooms_node_v1_library(admin: Admin, node_zoomus: Path) -> None:
    api = admin.tenant()
    script = node_zoomus / SCRIPT.name
    script.write_text(SCRIPT.read_text())
    env = {**os.environ, "KEY": api.client_id, "SECRET": api.client_secret, "PORT": str(api.server.port),
           "HOST_ID": api.owner_id}
    done = subprocess.run(["node", str(script)], cwd=node_zoomus, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["create"] == [9, "Node v1", False, {"type": 2, "weekly_days": "2,4", "end_times": 4}], out
    assert out["get"] == 4 and out["list"] == [out["id"]]
    assert out["registrants"] == ["node@example.com"] and out["register"]     # approval_type 0: approved at once
    assert out["panelists"] == ["pat@example.com", "lee@example.com"]
    assert out["update"] == out["delete"] == out["id"] and out["uuids"] == []
    assert out["error"] == {"error": {"code": 300, "message": "Missing field: host_id"}}
