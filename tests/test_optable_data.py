"""Checks on the committed operation table (src/zoomsim/optable/operations.json)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "src" / "zoomsim" / "optable" / "operations.json"
SEEDS = REPO.parent / "shared" / "seeds" / "operations.json"

APIS = {"v1", "v2", "events"}
FAMILIES = {"meetings", "webinars", "reports", "phones", "users", "marketplace", "events", "v1", "other"}
RATES = {"LIGHT", "MEDIUM", "HEAVY", "RESOURCE_INTENSIVE", None}
BODY_TYPES = {"json", "form", "multipart", None}
SOURCES = {"seeds", "meetings-2026", "users-2026", "events-2026", "marketplace-2026",
           "monolithic-2023-10", "monolithic-2023-07", "v1-2018"}
KEYS = {"id", "api", "family", "method", "path", "summary", "scopes", "granular_scopes",
        "rate_limit", "status", "params", "body", "body_type", "errors", "sources", "response"}


def shape(path: str) -> str:
    """Path with parameter names replaced by {}."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def load_ops() -> list[dict]:
    """Operations of the committed table."""
    with TABLE.open(encoding="utf-8") as fh:
        data = json.load(fh)
    assert data["version"] == 1
    return data["operations"]


def test_table_shape() -> None:
    ops = load_ops()
    assert 300 <= len(ops) <= 400
    for op in ops:
        assert set(op) == KEYS, op["id"]
        assert op["api"] in APIS and op["family"] in FAMILIES
        assert op["method"] in {"GET", "POST", "PUT", "PATCH", "DELETE"}
        assert op["path"].startswith("/") and op["summary"] and len(op["summary"]) <= 120
        assert op["rate_limit"] in RATES and op["body_type"] in BODY_TYPES
        assert (op["body"] is None) == (op["body_type"] is None)
        assert isinstance(op["status"], int) and 200 <= op["status"] < 300
        assert op["response"] is None or (op["status"] != 204 and isinstance(op["response"], dict))
        assert set(op["sources"]) <= SOURCES and op["sources"]
        assert all(isinstance(s, str) for s in op["scopes"] + op["granular_scopes"])
        assert (op["api"] == "events") == op["path"].startswith("/zoom_events")
        for err in op["errors"]:
            assert isinstance(err["status"], int) and isinstance(err["code"], int)
            assert err["message"] and "**" not in err["message"]


def test_unique_and_sorted() -> None:
    ops = load_ops()
    ids = [op["id"] for op in ops]
    assert len(ids) == len(set(ids))
    keys = [(op["api"], op["method"], shape(op["path"])) for op in ops]
    assert len(keys) == len(set(keys))
    order = [(op["api"], op["path"], op["method"]) for op in ops]
    assert order == sorted(order)


def test_params_match_path() -> None:
    for op in load_ops():
        names = re.findall(r"\{([^}]*)\}", op["path"])
        declared = [p["name"] for p in op["params"] if p["in"] == "path"]
        assert sorted(declared) == sorted(names), op["id"]
        assert all(p["required"] for p in op["params"] if p["in"] == "path")


def test_v1_ops_are_form_posts() -> None:
    v1 = [op for op in load_ops() if op["api"] == "v1"]
    assert len(v1) == 17
    for op in v1:
        assert op["method"] == "POST" and op["path"].startswith("/webinar/")
        assert op["body_type"] == "form" and op["body"]["type"] == "object"


def test_one_operation_per_line() -> None:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(load_ops()) + 2


def test_covers_all_seed_operations() -> None:
    if not SEEDS.is_file():
        pytest.skip("../shared/seeds is not available")
    seeds = json.loads(SEEDS.read_text(encoding="utf-8"))
    assert len(seeds) == 208
    table = {(op["api"], op["method"], shape(op["path"])): op for op in load_ops()}
    missing = [(s["method"], s["path"]) for s in seeds
               if (s["api"], s["method"], shape(s["path"])) not in table]
    assert not missing
    for s in seeds:
        assert "seeds" in table[(s["api"], s["method"], shape(s["path"]))]["sources"]


def test_committed_table_is_what_the_script_builds(tmp_path: Path) -> None:
    """The data file is generated, never hand-edited: rebuilding it from ../shared changes nothing."""
    if not SEEDS.exists():
        pytest.skip("../shared is not present")
    import subprocess
    import sys

    out = tmp_path / "operations.json"
    subprocess.run([sys.executable, str(REPO / "tools" / "build_optable.py"), "--shared", str(SEEDS.parent.parent),
                    "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == TABLE.read_bytes()
