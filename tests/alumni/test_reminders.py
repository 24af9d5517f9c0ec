"""The daily run: completed cohorts' startups become alumni with three surveys; a survey that
became due is mailed to the founders once, and reminded once 14 days later if unanswered."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from accelerator.alumni import reminders
from accelerator.alumni.models import Alumnus, Survey
from accelerator.core import hooks
from accelerator.core.models import OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db
from tests import factories


def _noon(day):
    return datetime.combine(day, time(12), UTC)


def _mails(email: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == email)))


def _completed(days_ago: int, startups: int = 2):
    ends = (utcnow() - timedelta(days=days_ago)).date()
    cohort = factories.make_cohort(
        phase="completed", starts_on=ends - timedelta(days=91), ends_on=ends
    )
    founders = [factories.make_user(role="founder", name=f"Élise {n}") for n in range(startups)]
    for founder in founders:
        factories.make_enrollment(cohort=cohort, startup=factories.make_startup(founders=[founder]))
    return cohort, founders


def test_the_sender_is_connected_to_the_daily_reminders(app):
    assert "alumni.surveys" in hooks.reminders.names()


def test_a_completed_cohort_makes_alumni_and_three_surveys_each_once(db):
    cohort, _founders = _completed(days_ago=1)
    running = factories.make_cohort(phase="running")
    factories.make_enrollment(cohort=running)
    now = utcnow()
    assert reminders.send_surveys(now) == 0  # nothing due yet
    reminders.send_surveys(now)
    alumni = db.session.scalars(select(Alumnus).where(Alumnus.cohort_id == cohort.id)).all()
    assert len(alumni) == 2
    assert all(a.completed_on == cohort.ends_on for a in alumni)
    surveys = db.session.scalars(select(Survey).where(Survey.cohort_id == cohort.id)).all()
    assert sorted((s.alumnus_id, s.months) for s in surveys) == sorted(
        (a.id, m) for a in alumni for m in (6, 12, 24)
    )
    six = next(s for s in surveys if s.months == 6)
    assert six.due_on > cohort.ends_on + timedelta(days=180)
    assert six.currency == cohort.currency
    assert not db.session.scalar(
        select(func.count(Alumnus.id)).where(Alumnus.cohort_id == running.id)
    )


def test_a_cohort_whose_last_day_is_today_in_its_zone_is_not_complete(db):
    program = factories.make_program(timezone="Pacific/Auckland")
    cohort = factories.make_cohort(program=program, phase="completed")
    factories.make_enrollment(cohort=cohort)
    # 10:00 UTC the day before its last day is still that day in Auckland (UTC+12/13);
    # 13:00 UTC on its last day (still the last day in UTC) is the next day there
    now = datetime.combine(cohort.ends_on - timedelta(days=1), time(10), UTC)
    reminders.send_surveys(now)
    assert not db.session.scalar(
        select(func.count(Alumnus.id)).where(Alumnus.cohort_id == cohort.id)
    )
    reminders.send_surveys(datetime.combine(cohort.ends_on, time(13), UTC))
    assert db.session.scalar(select(func.count(Alumnus.id)).where(Alumnus.cohort_id == cohort.id))


def test_a_due_survey_is_mailed_once_and_reminded_once(db):
    cohort, (first, second) = _completed(days_ago=200)
    first.locale = "fr"
    db.session.flush()
    now = utcnow()
    assert reminders.send_surveys(now) == 2
    assert reminders.send_surveys(now) == 0  # twice: mailed once
    assert reminders.send_surveys(now + timedelta(days=13)) == 0
    french, english = _mails(first.email), _mails(second.email)
    assert len(french) == len(english) == 1
    assert french[0].body.startswith("Bonjour,")
    assert english[0].body.startswith("Hello,")
    assert "/alumni/surveys/" in english[0].body
    survey = db.session.scalar(
        select(Survey).where(Survey.cohort_id == cohort.id, Survey.months == 6).limit(1)
    )
    assert survey.sent_at is not None and survey.reminded_at is None
    later = now + timedelta(days=14, minutes=1)
    assert reminders.send_surveys(later) == 2
    assert reminders.send_surveys(later) == 0
    assert reminders.send_surveys(later + timedelta(days=30)) == 0
    assert len(_mails(second.email)) == 2
    assert _mails(second.email)[1].subject.startswith("Reminder")


def test_an_answered_survey_gets_no_reminder(db):
    alumnus = factories.make_alumnus(ended_days_ago=200)
    founder = factories.founder_of(_startup(alumnus))
    now = utcnow()
    assert reminders.send_surveys(now) == 1
    factories.answer(factories.survey_of(alumnus), founder, at=now)
    assert reminders.send_surveys(now + timedelta(days=15)) == 0
    assert len(_mails(founder.email)) == 1


def test_only_the_current_wave_is_mailed_for_an_old_cohort(db):
    alumnus = factories.make_alumnus(ended_days_ago=800)
    founder = factories.founder_of(_startup(alumnus))
    assert reminders.send_surveys(utcnow()) == 1
    sent = db.session.scalars(
        select(Survey.months).where(Survey.alumnus_id == alumnus.id, Survey.sent_at.is_not(None))
    ).all()
    assert sent == [24]
    assert "24" in _mails(founder.email)[0].subject


def _startup(alumnus):
    from accelerator.applications.models import Startup

    return db.session.get(Startup, alumnus.startup_id)
