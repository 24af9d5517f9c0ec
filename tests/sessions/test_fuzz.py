"""Junk in every field of the session and office-hour forms: a 422 or a redirect, never a 500."""

from __future__ import annotations

import pytest

JUNK = ["", "0001-01-01", "abc", "99999999999999999999", "\x00"]


@pytest.mark.parametrize("junk", JUNK)
def test_the_session_form_never_fails(login_as, pair, pair_mentor, pair_founder, junk):
    fields = [
        "startup",
        "mentor",
        "held_on",
        "start_time",
        "duration",
        "format",
        "topics",
        "done_items",
        "slot_id",
        "items-0-text",
        "items-0-owner",
        "items-0-due_on",
        "items-50-text",
        "summary",
    ]
    base = {
        "startup": str(pair.startup_id),
        "mentor": str(pair.mentor_id),
        "held_on": "2026-01-05",
        "start_time": "10:00",
        "duration": "30",
        "format": "video",
    }
    for user in (pair_mentor, pair_founder):
        client = login_as(user)
        for field in fields:
            response = client.post("/mentoring/sessions/new", data={**base, field: junk})
            assert response.status_code in (302, 409, 422), (field, junk, response.status_code)


@pytest.mark.parametrize("junk", JUNK)
def test_the_slot_form_never_fails(login_as, pair_mentor, junk):
    base = {"starts_on": "2030-01-05", "start_time": "10:00", "duration": "30", "location": "R"}
    client = login_as(pair_mentor)
    for field in base:
        response = client.post("/mentoring/office-hours", data={**base, field: junk})
        assert response.status_code in (302, 409, 422), (field, junk, response.status_code)
