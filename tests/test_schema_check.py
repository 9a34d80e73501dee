"""The response-schema check the test client applies must itself catch what it claims to."""
from __future__ import annotations

import pytest

import schemas

pytestmark = pytest.mark.skipif(not schemas.available(), reason="../shared/reference is not present")


def test_finds_the_literal_path_before_a_template() -> None:
    assert schemas.find("GET", "/meetings/meeting_summaries") == (
        "zoom-meetings-api_2026-03_Meetings.json", "/meetings/meeting_summaries")
    assert schemas.find("GET", "/meetings/123")[1] == "/meetings/{meetingId}"  # type: ignore[index]
    assert schemas.find("GET", "/users/abc")[0] == "zoom-users-api_2026-03_Users.json"  # type: ignore[index]


def test_wrong_type_and_missing_required_are_reported() -> None:
    found = schemas.schema_for("GET", "/users/me/meetings", 200)
    assert found is not None
    schema, root = found
    bad = {"page_size": "30", "meetings": [{"id": "not-a-number", "type": 2}]}
    problems = schemas.violations(bad, schema, root)
    assert any("page_size: expected integer" in p for p in problems)
    assert any("meetings[0].id: expected integer" in p for p in problems)
    with pytest.raises(AssertionError):
        schemas.check("GET", "/users/me/meetings", 200, bad)


def test_required_fields_are_enforced() -> None:
    found = schemas.schema_for("POST", "/users/me/meetings", 201)
    assert found is not None
    schema, root = found
    body = {"settings": {"auto_add_recording_to_video_management": {}}}
    problems = schemas.violations(body, schema, root)
    # the spec marks auto_add_recording_to_video_management.enable as required
    assert any("missing required 'enable'" in p for p in problems), problems


def test_a_good_body_passes() -> None:
    schemas.check("GET", "/users/me/meetings", 200, {"page_size": 30, "total_records": 0, "meetings": []})
