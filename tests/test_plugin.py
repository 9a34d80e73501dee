"""The pytest plugin (zoomsim.testing.plugin), as another project uses it: pytester runs small
test files in a fresh pytest process with the plugin loaded from its entry point."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from zoomsim.testing.server import ZoomsimServer

pytest_plugins = ["pytester"]

# Other installed plugins take seconds to load in every pytest process (xdist starts three);
# past the first run, load only the two needed, the plugin by its entry-point name.
LEAN = ("-p", "no:cacheprovider", "-p", "xdist", "-p", "zoomsim")


def lean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

FIXTURES_AND_MARKER = '''
import threading
import pytest

SEEN = []


def test_nothing_started_before_use():
    assert not [t for t in threading.enumerate() if t.name.startswith("zoomsim")]


def test_fixture_hands_out_an_account(zoom, zoomsim_server):
    assert zoom.base_url == zoomsim_server.url + "/v2" and zoom.token_url == zoomsim_server.url + "/oauth/token"
    assert zoom.base_url.startswith("http://127.0.0.1:") and not zoomsim_server.attached
    assert zoom.client_id and zoom.client_secret and zoom.account_id and zoom.owner_id
    me = zoom.client.get("/users/me")
    assert me.status_code == 200, me.text
    assert me.json()["account_id"] == zoom.account_id and me.json()["id"] == zoom.owner_id
    assert zoom.account["plan"] == "business"
    made = zoom.client.post("/users/me/meetings", json={"topic": "Only mine"})
    assert made.status_code == 201, made.text
    SEEN.append(zoom.account_id)


def test_next_test_gets_a_fresh_account(zoom):
    assert SEEN and zoom.account_id not in SEEN
    listed = zoom.client.get("/users/me/meetings").json()
    assert listed["total_records"] == 0


def test_zoomus_with_the_fixture_urls(zoom):
    from zoomus import ZoomClient

    client = ZoomClient(zoom.client_id, zoom.client_secret, zoom.account_id,
                        base_uri=zoom.base_url, oauth_uri=zoom.token_url)
    assert client.user.get(id="me").json()["id"] == zoom.owner_id


@pytest.mark.zoomsim(plan="free", licences={"webinar": True})
def test_marker_plan_and_licences(zoom):
    assert zoom.account["plan"] == "free" and zoom.account["licences"]["webinar"] is True
    assert zoom.client.get("/users/me").json()["type"] == 1


@pytest.mark.zoomsim(scopes=["user:read:admin"])
def test_marker_scopes(zoom):
    assert zoom.scopes == ["user:read:admin"]
    r = zoom.client.post("/users/me/meetings", json={"topic": "x"})
    assert r.status_code == 400 and r.json()["code"] == 4711, r.text


@pytest.mark.zoomsim(plan="pro", users=[{"email": "ann@example.com", "role": "admin"}])
class TestClassMarker:
    def test_class_options(self, zoom):
        assert zoom.account["plan"] == "pro" and zoom.users[0]["email"] == "ann@example.com"

    @pytest.mark.zoomsim(plan="free")
    def test_closest_marker_wins_key_by_key(self, zoom):
        assert zoom.account["plan"] == "free" and zoom.users[0]["email"] == "ann@example.com"


@pytest.mark.zoomsim(plan="free")
def test_default_server_has_no_rate_limits(zoom):
    zoom.admin.freeze("2030-01-02T03:04:05Z")
    assert all(zoom.client.get("/users/me").status_code == 200 for _ in range(12))


def test_clock_is_wall_time_again_after_a_test_froze_it(zoom):
    assert not zoom.admin.now().startswith("2030-01-02")


@pytest.mark.zoomsim(plan="free", rate_limits=True)
def test_marker_rate_limits_use_the_limited_server(zoom, zoomsim_server):
    assert not zoom.base_url.startswith(zoomsim_server.url)
    zoom.admin.freeze("2030-01-02T03:04:05Z")       # every call in one second: 4/s for Light on free
    codes = [zoom.client.get("/users/me").status_code for _ in range(6)]
    assert codes[:4] == [200] * 4 and 429 in codes, codes


def test_clock_and_token_expiry(zoom):
    out = zoom.admin.freeze("2031-05-06T07:08:09Z")
    assert out["now"].startswith("2031-05-06T07:08:09") and out["mode"] == "frozen"
    assert zoom.admin.advance(3600)["now"].startswith("2031-05-06T08:08:09")
    assert zoom.client.get("/users/me").status_code == 200     # tokens expire by wall time
    zoom.admin.expire_tokens()
    r = zoom.client.get("/users/me")
    assert r.status_code == 401 and r.json()["message"] == "Access token is expired."
    zoom.fetch_token()
    assert zoom.client.get("/users/me").status_code == 200
    zoom.admin.real()
    assert not zoom.admin.now().startswith("2031")


def test_simulation(zoom):
    zoom.admin.freeze("2031-05-06T15:00:00Z")
    meeting = zoom.client.post("/users/me/meetings", json={"topic": "Sync"}).json()
    zoom.admin.start(meeting["id"])
    ann = zoom.admin.join(meeting["id"], name="Ann Lee", email="ann@example.com")
    zoom.admin.advance(600)
    zoom.admin.leave(meeting["id"], ann["participant_id"])
    zoom.admin.end(meeting["id"])
    past = zoom.client.get(f"/past_meetings/{meeting['id']}").json()
    assert past["participants_count"] == 1 and past["duration"] == 10, past
    other = zoom.client.post("/users/me/meetings", json={"topic": "Run"}).json()
    zoom.admin.run(other["id"], participants=5, duration_minutes=20, seed=1)
    assert zoom.client.get(f"/past_meetings/{other['id']}").json()["participants_count"] >= 5
    webinar = zoom.client.post("/users/me/webinars", json={"topic": "Launch"}).json()
    zoom.admin.start(webinar["id"], kind="webinar")
    pat = zoom.admin.join(webinar["id"], kind="webinar", name="Pat Panel", role="panelist")
    zoom.admin.advance(300)
    zoom.admin.leave(webinar["id"], pat["participant_id"], kind="webinar")
    zoom.admin.end(webinar["id"], kind="webinar")
    assert [p["name"] for p in zoom.client.get(f"/past_webinars/{webinar['id']}/participants").json()["participants"]] \
        == ["Pat Panel"]
    later = zoom.client.post("/users/me/webinars", json={"topic": "Again"}).json()
    zoom.admin.run(later["id"], kind="webinar", participants=4, panelists=1, duration_minutes=20, seed=1)
    assert len(zoom.client.get(f"/past_webinars/{later['id']}/instances").json()["webinars"]) == 1


def test_two_accounts_in_one_test(zoom, zoomsim_server):
    second = zoomsim_server.new_account(plan="pro")
    try:
        assert second.account_id != zoom.account_id
        assert second.client.get(f"/users/{zoom.owner_id}").status_code == 404
    finally:
        second.close()


@pytest.mark.zoomsim(colour="blue")
def test_unknown_option_is_an_error(zoom):
    pass
'''


def test_fixtures_marker_and_fresh_accounts(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin comes from its entry point alone (no -p, no conftest), beside every other
    installed plugin."""
    for var in ("ZOOMSIM_URL", "ZOOMSIM_LIMITED_URL", "ZOOMSIM_ADMIN_KEY"):
        monkeypatch.delenv(var, raising=False)
    pytester.makepyfile(test_kit=FIXTURES_AND_MARKER)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error::pytest.PytestUnknownMarkWarning")
    result.assert_outcomes(passed=14, errors=1)
    result.stdout.fnmatch_lines(["*test_unknown_option_is_an_error*unknown zoomsim account option(s): colour*"])


ATTACHED = '''
import json, os, pathlib


def test_attached(zoom, zoomsim_server):
    assert zoomsim_server.attached and zoomsim_server.url == os.environ["ZOOMSIM_URL"].removesuffix("/v2")
    assert zoom.base_url == zoomsim_server.url + "/v2"
    assert zoom.client.get("/users/me").status_code == 200
    pathlib.Path("attached.json").write_text(json.dumps({"account_id": zoom.account_id}))
'''


def test_zoomsim_url_attaches_to_a_running_server(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    server = ZoomsimServer.start(tmp_path / "outside.db", rate_limits=False)
    try:
        monkeypatch.setenv("ZOOMSIM_URL", server.url + "/v2")
        monkeypatch.setenv("ZOOMSIM_ADMIN_KEY", server.admin_key)
        monkeypatch.delenv("ZOOMSIM_LIMITED_URL", raising=False)
        lean(monkeypatch)
        pytester.makepyfile(test_attached=ATTACHED)
        result = pytester.runpytest_subprocess(*LEAN)
        result.assert_outcomes(passed=1)
        made = json.loads((pytester.path / "attached.json").read_text())
        assert server.admin.call("GET", f"/accounts/{made['account_id']}")["id"] == made["account_id"]

        monkeypatch.setenv("ZOOMSIM_ADMIN_KEY", "wrong")
        result = pytester.runpytest_subprocess(*LEAN)
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines([f"*cannot use the zoomsim server at {server.url}*Invalid admin key*"])
        monkeypatch.delenv("ZOOMSIM_ADMIN_KEY")
        result = pytester.runpytest_subprocess(*LEAN)
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*ZOOMSIM_URL is set but ZOOMSIM_ADMIN_KEY is not*"])
    finally:
        server.stop()


PER_WORKER = '''
import json, os, pathlib
import pytest


@pytest.mark.parametrize("n", range(6))
def test_worker(zoom, zoomsim_server, n):
    assert zoom.client.get("/users/me").status_code == 200
    out = pathlib.Path(os.environ["ZS_OUT"]) / f"{n}.json"
    out.write_text(json.dumps({"worker": os.environ.get("PYTEST_XDIST_WORKER"), "url": zoomsim_server.url,
                               "account": zoom.account_id}))
'''


def test_each_xdist_worker_has_its_own_server(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("ZOOMSIM_URL", "ZOOMSIM_LIMITED_URL", "ZOOMSIM_ADMIN_KEY"):
        monkeypatch.delenv(var, raising=False)
    out = pytester.mkdir("out")
    monkeypatch.setenv("ZS_OUT", str(out))
    lean(monkeypatch)
    pytester.makepyfile(test_workers=PER_WORKER)
    result = pytester.runpytest_subprocess(*LEAN, "-n", "2")
    result.assert_outcomes(passed=6)
    rows = [json.loads(p.read_text()) for p in out.iterdir()]
    by_worker: dict[str, set[str]] = {}
    for row in rows:
        by_worker.setdefault(row["worker"], set()).add(row["url"])
    assert len(by_worker) == 2 and all(len(urls) == 1 for urls in by_worker.values()), by_worker
    assert len({u for urls in by_worker.values() for u in urls}) == 2      # two servers
    assert len({row["account"] for row in rows}) == 6


FAULTS = '''
import pytest


@pytest.mark.zoomsim(faults=[{"effect": {"status": 429}, "match": {"operation": "meetingCreate"}, "times": 1}])
def test_marker_faults(zoom):
    r = zoom.client.post("/users/me/meetings", json={"topic": "x"})
    assert r.status_code == 429 and r.headers["Retry-After"] == "1" and r.json()["code"] == 429
    assert zoom.client.post("/users/me/meetings", json={"topic": "x"}).status_code == 201


def test_a_rule_mid_test(zoom, zoomsim_server):
    assert zoomsim_server.admin.call("GET", "/faults") == {"faults": []}     # the marker's rule is gone
    made = zoom.fault({"status": 500}, {"operation": "user"})
    assert made["match"]["account_id"] == zoom.account_id
    assert zoom.client.get("/users/me").status_code == 500


def test_and_gone_after_it(zoom, zoomsim_server):
    assert zoomsim_server.admin.call("GET", "/faults") == {"faults": []}
    assert zoom.client.get("/users/me").status_code == 200


@pytest.mark.zoomsim(faults=[{"match": {"operation": "user"}}])
def test_a_rule_without_effect_is_an_error(zoom):
    pass
'''


def test_faults_for_one_test(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """`@pytest.mark.zoomsim(faults=[...])` and `zoom.fault(...)`: rules for the test's account,
    removed after the test."""
    for var in ("ZOOMSIM_URL", "ZOOMSIM_LIMITED_URL", "ZOOMSIM_ADMIN_KEY"):
        monkeypatch.delenv(var, raising=False)
    pytester.makepyfile(test_faults_kit=FAULTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*test_a_rule_without_effect_is_an_error*faults=*"])
