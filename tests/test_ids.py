"""Identifier shapes Zoom clients rely on."""
from __future__ import annotations

import base64
from urllib.parse import quote

from zoomsim import ids


def test_meeting_numbers_are_10_or_11_digits() -> None:
    numbers = [ids.new_meeting_number() for _ in range(2000)]
    assert all(10 <= len(str(n)) <= 11 for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_uuids_are_zoom_shaped() -> None:
    for _ in range(500):
        u = ids.new_uuid()
        assert len(u) == 24 and u.endswith("==")
        assert len(base64.b64decode(u)) == 16


def test_double_encoded_uuid_decodes_once_more() -> None:
    raw = "/ajXp112QmuoKj4854875==" 
    once = quote(raw, safe="")
    twice = quote(once, safe="")
    # the server has already undone one level of encoding when it splits the path
    assert ids.decode_uuid(once) == raw
    assert ids.decode_uuid(twice) == raw
    assert ids.decode_uuid("4444AAAiAAAAAiAiAiiAii==") == "4444AAAiAAAAAiAiAiiAii=="
    assert ids.decode_uuid("a//b") == "a//b"


def test_user_and_client_ids() -> None:
    assert len(ids.new_id()) == 22
    assert not any(ids.new_id().startswith("-") for _ in range(2000))   # 1 in 64 would, unguarded
    cid = ids.new_client_id()
    assert len(cid) == 22 and cid.isalnum()
    assert len(ids.new_secret()) == 32
