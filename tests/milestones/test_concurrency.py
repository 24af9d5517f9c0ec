"""Real concurrency, real commits: two founders sending the same period's check-in at once make
one check-in; two staff members approving the same milestone at once make one tranche request.
On PostgreSQL the UNIQUE constraint and the milestone's row lock decide; on SQLite every
transaction takes the write lock first (BEGIN IMMEDIATE)."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator.auth.models import User
from accelerator.extensions import db
from accelerator.grants.models import Disbursement
from accelerator.milestones import checkins, services
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.programs.models import Cohort, Enrollment
from tests import factories
from tests.concurrency import race


def test_two_check_ins_for_the_same_period_at_once_make_one(committed):
    app = committed
    with app.app_context():
        founders = [factories.make_user(role="founder") for _ in range(2)]
        enrollment = factories.make_enrolled(founders=founders)
        ids = enrollment.id, [f.id for f in founders]
        db.session.commit()
        db.session.remove()
    enrollment_id, founder_ids = ids

    def work(index: int):
        enrollment = db.session.get(Enrollment, enrollment_id)
        cohort = db.session.get(Cohort, enrollment.cohort_id)
        checkins.submit_checkin(
            enrollment,
            actor=db.session.get(User, founder_ids[index]),
            period_on=cohort.starts_on,
            data=factories.checkin_input(headcount=index + 1),
        )

    assert race(app, work) == ["Conflict", "done"]
    with app.app_context():
        assert db.session.scalar(select(func.count(CheckIn.id))) == 1
        db.session.remove()


def test_two_staff_approving_the_same_milestone_at_once_make_one_request(committed):
    app = committed
    with app.app_context():
        founder = factories.make_user(role="founder")
        staff = [factories.make_user(role="staff") for _ in range(2)]
        enrollment = factories.make_enrolled(founders=[founder])
        milestone = factories.milestone_with_tranche(enrollment)
        services.submit_milestone(milestone, actor=founder, text="Done", link=None)
        ids = milestone.id, [s.id for s in staff]
        db.session.commit()
        db.session.remove()
    milestone_id, staff_ids = ids

    def work(index: int):
        milestone = db.session.get(Milestone, milestone_id)
        services.approve_milestone(milestone, actor=db.session.get(User, staff_ids[index]))

    assert race(app, work) == ["InvalidState", "done"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Disbursement.id))) == 1
        assert db.session.get(Milestone, milestone_id).disbursement_id is not None
        db.session.remove()
