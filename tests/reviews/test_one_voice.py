"""What founders and staff read says one thing: times in the program's zone, true next steps,
no invitation to apply to a cohort the startup is already in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from accelerator.core.timeutil import format_dt, format_relative


def _founder(application):
    from accelerator.applications.models import StartupMember
    from accelerator.auth.models import User
    from accelerator.extensions import db

    member = db.session.query(StartupMember).filter_by(startup_id=application.startup_id).first()
    return db.session.get(User, member.user_id)


def test_the_dt_filter_has_one_format_per_kind():
    moment = datetime(2026, 12, 7, 11, 9, tzinfo=UTC)
    assert format_dt(moment, "Europe/Paris") == "2026-12-07 12:09 CET"
    assert format_dt(moment, "Europe/Paris", "date") == "2026-12-07"
    now = moment - timedelta(days=3)
    assert format_relative(moment, now=now) == "in 3 days"
    assert format_relative(now, now=moment) == "3 days ago"


def test_an_offer_deadline_reads_the_same_on_home_and_status_page(login_as, make):
    program = make.make_program(timezone="Europe/Paris")
    cohort = make.make_cohort(program=program, phase="reviewing")
    application = make.make_application(cohort=cohort, status="in_review")
    offer = make.make_offer(application)
    founder = _founder(application)
    expected = format_dt(offer.expires_at, "Europe/Paris")
    assert expected.endswith(("CET", "CEST"))
    home = login_as(founder).get("/").get_data(as_text=True)
    status = login_as(founder).get(f"/applications/{application.id}").get_data(as_text=True)
    assert f"Confirm by {expected}." in home
    assert expected in status
    assert "UTC" not in re.sub(r"\s+", " ", home)


def test_the_reviews_index_says_when_a_call_closes_in_its_zone(login_as, make, staff):
    program = make.make_program(timezone="Europe/Paris")
    cohort = make.make_cohort(program=program, phase="open")
    page = login_as(staff).get("/reviews/").get_data(as_text=True)
    assert "Applications closed" not in page
    when = format_dt(cohort.applications_close_at, "Europe/Paris")
    assert f"Close {when} (in " in page


def test_after_submitting_the_founder_reads_what_is_true(login_as, make):
    application = make.make_application(status="submitted")
    page = login_as(_founder(application)).get(f"/applications/{application.id}")
    text = page.get_data(as_text=True)
    assert "Reviews start after the deadline" not in text
    assert "reviews applications as they arrive" in text


def test_an_enrolled_founder_is_not_invited_to_apply_again(login_as, make):
    cohort = make.make_cohort(phase="open")
    startup = make.make_startup()
    make.make_enrollment(cohort=cohort, startup=startup)
    from accelerator.applications.models import StartupMember
    from accelerator.auth.models import User
    from accelerator.extensions import db

    member = db.session.query(StartupMember).filter_by(startup_id=startup.id).first()
    founder = db.session.get(User, member.user_id)
    call = login_as(founder).get(f"/calls/{cohort.id}").get_data(as_text=True)
    assert "You are in this cohort." in call
    assert ">Apply</a>" not in call
    home = login_as(founder).get("/").get_data(as_text=True)
    assert "You are in this cohort" in home
    # Another open call still invites the same founder.
    other = make.make_cohort(phase="open")
    assert ">Apply</a>" in login_as(founder).get(f"/calls/{other.id}").get_data(as_text=True)
