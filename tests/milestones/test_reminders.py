"""Reminders: check-ins due and missing, milestones due soon and overdue; each one once, also
when `flask reminders send` runs twice or in two processes at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from accelerator.milestones import reminders
from accelerator.milestones.models import Cadence, SentReminder
from accelerator.milestones.periods import all_periods
from tests import factories


def _noon(day):
    return datetime.combine(day, time(12), UTC)


def _mail(to=None) -> list[str]:
    statement = select(OutboxEmail.subject).order_by(OutboxEmail.id)
    if to:
        statement = statement.where(OutboxEmail.to == to)
    return list(db.session.scalars(statement))


def test_each_kind_of_reminder_goes_out_once(enrollment, cohort, ms_founder):
    weeks = all_periods(cohort.starts_on, cohort.ends_on, Cadence.WEEKLY)
    # Saturday of week 4 (index 3): its check-in is due, week 3's was missed, the week-4
    # milestone (due Sunday) is due within three days, and week 1's is overdue.
    now = _noon(weeks[3].ends_on - timedelta(days=1))
    for week in weeks[:2]:
        factories.make_checkin(enrollment, week.starts_on)
    assert reminders.send_due(now) == 4
    subjects = _mail(ms_founder.email)
    assert len(subjects) == 4
    assert any("is due" in s for s in subjects) and any("is missing" in s for s in subjects)
    assert any("due soon" in s for s in subjects) and any("overdue" in s for s in subjects)
    # Twice in a row, or an hour later: nothing more.
    assert reminders.send_due(now) == 0
    assert reminders.send_due(now + timedelta(hours=1)) == 0
    assert len(_mail(ms_founder.email)) == 4


def test_nothing_to_remind_when_everything_is_done(enrollment, cohort, ms_founder):
    now = _noon(cohort.starts_on + timedelta(days=1))
    factories.make_checkin(enrollment, cohort.starts_on)
    assert reminders.send_due(now) == 0


def test_the_cli_command_sends_once(app, enrollment, cohort):
    runner = app.test_cli_runner()
    when = _noon(cohort.starts_on + timedelta(days=5)).isoformat()
    first = runner.invoke(args=["reminders", "send", "--now", when])
    assert first.exit_code == 0, first.output
    assert "reminder(s) queued" in first.output
    queued = db.session.scalar(select(func.count(SentReminder.id)))
    assert queued >= 1
    second = runner.invoke(args=["reminders", "send", "--now", when])
    assert "0 reminder(s) queued" in second.output
    assert runner.invoke(args=["reminders", "send", "--now", "yesterday"]).exit_code != 0


def _setup(app):
    with app.app_context():
        founder = factories.make_user(role="founder")
        enrollment = factories.make_enrolled(founders=[founder])
        from accelerator.programs.models import Cohort

        cohort = db.session.get(Cohort, enrollment.cohort_id)
        db.session.commit()
        result = founder.email, cohort.starts_on
        db.session.remove()
        return result


def test_two_processes_at_once_send_each_reminder_once(committed, is_postgres):
    if not is_postgres:
        pytest.skip("real concurrent writers need PostgreSQL (SQLite serialises every writer)")
    app = committed
    email, starts_on = _setup(app)
    now = _noon(starts_on + timedelta(days=26))  # week 4's Saturday: several reminders due
    barrier = threading.Barrier(4)
    results: list[int] = []

    def run():
        with app.app_context():
            try:
                db.session.rollback()
                barrier.wait(timeout=30)
                queued = reminders.send_due(now)
                db.session.commit()
                results.append(queued)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        mails = list(db.session.scalars(select(OutboxEmail.subject).where(OutboxEmail.to == email)))
        keys = db.session.scalar(select(func.count(SentReminder.id)))
        db.session.remove()
    assert sum(results) == keys == len(mails) >= 3
    assert len(set(mails)) == len(mails)
