"""Zoom's own Node SDK (@zoom/rivet, 0.4.x) against zoomsim's webinars, multipart upload
included. Needs node and npm with the npm registry; skips cleanly without them."""
from __future__ import annotations

import json
import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from support import Admin, npm_installed

RIVET = "@zoom/rivet@0.4.0"
SCRIPT = Path(__file__).parent / "node" / "rivet_webinar.mjs"


@pytest.fixture(scope="session")
def rivet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return npm_installed(tmp_path_factory, RIVET)  # type: ignore[no-any-return]


def png(width: int, height: int) -> bytes:
    """A real (tiny, grey) PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_rivet_webinar_flow(admin: Admin, rivet_dir: Path, tmp_path: Path) -> None:
    api = admin.tenant()
    wallpaper = tmp_path / "stage.png"
    wallpaper.write_bytes(png(32, 18))
    script = rivet_dir / SCRIPT.name       # beside node_modules, so the import resolves
    script.write_text(SCRIPT.read_text())
    env = {**os.environ, "ZS": api.server.url, "ACCOUNT_ID": api.account_id, "CLIENT_ID": api.client_id,
           "CLIENT_SECRET": api.client_secret, "WALLPAPER": str(wallpaper)}
    done = subprocess.run(["node", str(script)], cwd=rivet_dir, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["create"] == [201, 5, "Rivet launch"] and out["get"] == "Rivet launch"
    assert out["register"] == [201, True] and out["registrants"] == ["rivet.guest@example.com"]
    assert out["panelists_added"] == 201 and out["panelists"] == ["Pat Panel"]
    assert out["poll"] == 201
    assert out["upload"][:2] == [201, "stage.png"], out       # the file name came through the multipart part
    assert out["branding"]["wallpaper"]["id"] == out["upload"][2], out
    assert out["missing"] == '[404/3001]: "Webinar does not exist: 1."', out       # the SDK's ApiResponseError
    assert out["delete"] == 204
