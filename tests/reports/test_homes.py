"""Founder and mentor homes: what reports add (calendar; health, sessions this month)."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.models import StartupMember
from accelerator.extensions import db
from accelerator.mentoring.models import Match
from accelerator.programs.models import Enrollment


def test_mentor_home_shows_health_items_and_sessions(running, login_as):
    cohort, grants = running
    enrollment = db.session.get(Enrollment, grants[0].enrollment_id)
    match = db.session.scalar(select(Match).where(Match.startup_id == enrollment.startup_id))
    from accelerator.auth.models import User

    mentor = db.session.get(User, match.mentor_id)
    html = login_as(mentor).get("/").get_data(as_text=True)
    assert "home-mentor-startups" in html
    assert 'data-status="red"' in html  # the first startup's last check-in was red
    assert f"/mentoring/sessions/new?startup={enrollment.startup_id}" in html


def test_founder_home_leads_to_the_calendar(running, login_as):
    cohort, grants = running
    enrollment = db.session.get(Enrollment, grants[1].enrollment_id)
    member = db.session.scalar(
        select(StartupMember).where(StartupMember.startup_id == enrollment.startup_id)
    )
    from accelerator.auth.models import User

    founder = db.session.get(User, member.user_id)
    html = login_as(founder).get("/").get_data(as_text=True)
    assert "home-founder-calendar" in html and "/mentoring/calendar" in html


def test_staff_home_leads_to_running_dashboards(running, login_as, staff):
    cohort, _grants = running
    html = login_as(staff).get("/").get_data(as_text=True)
    assert f"/reports/cohorts/{cohort.id}" in html
