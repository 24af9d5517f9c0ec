"""Real concurrency, real commits: two daily runs at once make each alumnus and survey once
and mail each founder once (UNIQUE keys, and the guarded UPDATE of sent_at)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from accelerator.alumni import reminders
from accelerator.alumni.models import Alumnus, Survey
from accelerator.core.models import OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db
from tests import factories
from tests.concurrency import race


def test_two_runs_at_once_make_and_mail_once(committed):
    app = committed
    with app.app_context():
        ends = (utcnow() - timedelta(days=200)).date()
        cohort = factories.make_cohort(
            phase="completed", starts_on=ends - timedelta(days=91), ends_on=ends
        )
        for _ in range(3):
            factories.make_enrollment(cohort=cohort)
        db.session.commit()
        db.session.remove()
    now = utcnow()
    assert race(app, lambda _index: reminders.send_surveys(now)) == ["done", "done"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Alumnus.id))) == 3
        assert db.session.scalar(select(func.count(Survey.id))) == 9
        assert db.session.scalar(select(func.count(OutboxEmail.id))) == 3
        db.session.remove()
