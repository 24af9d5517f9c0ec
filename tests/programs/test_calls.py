"""The public calls page and a call's page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from accelerator.core.types import utcnow


@pytest.fixture
def calls(make):
    paris = make.make_program(name="Orange Fab France", location="Paris")
    sf = make.make_program(
        name="Orange Fab Silicon Valley", location="San Francisco", timezone="America/Los_Angeles"
    )
    return {
        "open": make.make_cohort(program=paris, phase="open", name="Season 13"),
        "upcoming": make.make_cohort(program=sf, phase="upcoming", name="Cohort 8"),
        "running": make.make_cohort(program=paris, phase="running", name="Season 12"),
        "completed": make.make_cohort(program=paris, phase="completed", name="Season 11"),
        "draft": make.make_cohort(program=paris, phase="draft", name="Secret Season"),
    }


def _section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert match, heading_id
    return match.group(0)


def test_calls_page_sorts_cohorts_into_open_upcoming_and_past(client, calls):
    page = client.get("/calls").get_data(as_text=True)
    open_now = _section(page, "open-heading")
    upcoming = _section(page, "upcoming-heading")
    past = _section(page, "past-heading")
    assert "Season 13" in open_now and "Season 13" not in upcoming + past
    assert "Cohort 8" in upcoming
    assert "Season 12" in past and "Season 11" in past
    assert "Secret Season" not in page


def test_open_call_shows_its_deadline_in_the_programs_timezone_and_a_countdown(client, make):
    program = make.make_program(timezone="Europe/Paris")
    close = datetime(2030, 7, 1, 16, 0, tzinfo=UTC)  # 18:00 in Paris (summer time)
    make.make_cohort(
        program=program,
        phase="open",
        applications_close_at=close,
        starts_on=close.date() + timedelta(days=30),
        ends_on=close.date() + timedelta(days=120),
    )
    page = client.get("/calls").get_data(as_text=True)
    assert "18:00 CEST" in page
    assert f'datetime="{close.isoformat()}" data-countdown' in page
    assert "/static/js/countdown.js" in page
    assert "<script>" not in page  # no inline script: CSP


def test_calls_page_empty_states(client):
    page = client.get("/calls").get_data(as_text=True)
    assert "No call is open right now." in page
    assert "No upcoming call is announced yet." in page
    assert "No past cohorts yet." in page


def test_call_page_shows_the_facts(client, calls):
    cohort = calls["open"]
    page = client.get(f"/calls/{cohort.id}").get_data(as_text=True)
    assert "Orange Fab France · Season 13" in page
    assert "$20,000.00" in page and ">6<" in page
    assert 'data-status="open"' in page
    assert "Applications close in" in page


def test_anonymous_visitors_are_sent_to_sign_up_or_sign_in_first(client, calls, app):
    cohort = calls["open"]
    page = client.get(f"/calls/{cohort.id}").get_data(as_text=True)
    if "applications.apply" in app.view_functions:
        apply_url = f"/calls/{cohort.id}/apply"
        assert f"/signup?next={apply_url}" in page and f"/login?next={apply_url}" in page
        assert ">Apply<" in page
    else:
        assert "Online applications open here soon." in page


def test_founders_get_the_apply_link(login_as, founder, calls, app):
    cohort = calls["open"]
    page = login_as(founder).get(f"/calls/{cohort.id}").get_data(as_text=True)
    if "applications.apply" in app.view_functions:
        assert f'href="/calls/{cohort.id}/apply"' in page
    else:
        assert "Online applications open here soon." in page


def test_mentors_see_no_apply_button(login_as, mentor, calls):
    page = login_as(mentor).get(f"/calls/{calls['open'].id}").get_data(as_text=True)
    assert ">Apply<" not in page


@pytest.mark.parametrize(
    "phase, text",
    [
        ("upcoming", "Applications open on"),
        ("running", "Applications for this cohort are closed."),
        ("completed", "Applications for this cohort are closed."),
    ],
)
def test_call_page_outside_the_open_phase_has_no_apply_button(client, calls, phase, text):
    page = client.get(f"/calls/{calls[phase].id}").get_data(as_text=True)
    assert text in page and ">Apply<" not in page


def test_draft_calls_are_404_except_for_staff(client, login_as, staff, founder, calls):
    url = f"/calls/{calls['draft'].id}"
    assert client.get(url).status_code == 404
    assert login_as(founder).get(url).status_code == 404
    page = login_as(staff).get(url).get_data(as_text=True)
    assert "only staff can see this page" in page


def test_call_that_closed_a_minute_ago_is_past(client, make):
    now = utcnow()
    cohort = make.make_cohort(
        phase="open",
        applications_close_at=now - timedelta(minutes=1),
        starts_on=(now + timedelta(days=10)).date(),
        ends_on=(now + timedelta(days=100)).date(),
    )
    page = client.get("/calls").get_data(as_text=True)
    assert cohort.name in _section(page, "past-heading")
    assert 'data-status="reviewing"' in page


def test_url_if_exists_helper(app):
    from accelerator.programs.public_views import url_if_exists

    with app.test_request_context():
        assert url_if_exists("programs.calls") == "/calls"
        assert url_if_exists("nowhere.to_be_found", cohort_id=1) is None
