"""Twenty staff click "accept" at the same moment on a cohort with six places: six succeed.

Real commits from 20 threads (the `committed` fixture). On PostgreSQL the cohort row lock
(SELECT ... FOR UPDATE) serialises the acceptances; on SQLite every transaction starts with
BEGIN IMMEDIATE, which serialises writers. The seat UNIQUE constraint backs both.
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from accelerator.applications.models import Application, ApplicationStatus, StartupMember
from accelerator.auth.models import User
from accelerator.core.errors import Conflict
from accelerator.extensions import db
from accelerator.grants.models import Grant
from accelerator.programs.models import Cohort, Enrollment
from accelerator.reviews import services
from accelerator.reviews.models import Offer, OfferStatus
from tests import factories

ATTEMPTS = 20


def _setup(app):
    with app.app_context():
        cohort = factories.make_cohort(phase="reviewing", capacity=6)
        staff = [factories.make_user(role="staff") for _ in range(4)]
        apps = [
            factories.make_application(cohort=cohort, status=ApplicationStatus.INTERVIEW)
            for _ in range(ATTEMPTS)
        ]
        ids = (cohort.id, [s.id for s in staff], [a.id for a in apps])
        db.session.commit()
        db.session.remove()
        return ids


def test_twenty_simultaneous_acceptances_fill_exactly_six_places(committed):
    app = committed
    cohort_id, staff_ids, app_ids = _setup(app)
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(index: int) -> None:
        # Everyone starts together; the database connection pool (15) and the locks do the rest.
        barrier.wait(timeout=30)
        with app.app_context():
            try:
                application = db.session.get(Application, app_ids[index])
                actor = db.session.get(User, staff_ids[index % len(staff_ids)])
                services.decide(application, actor=actor, outcome="accepted")
                db.session.commit()
                result = "accepted"
            except Conflict:
                db.session.rollback()
                result = "full"
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                result = f"error: {type(error).__name__}: {error}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == sorted(["accepted"] * 6 + ["full"] * 14), outcomes
    with app.app_context():
        offers = db.session.scalars(select(Offer).where(Offer.cohort_id == cohort_id)).all()
        assert sorted(o.seat for o in offers) == [1, 2, 3, 4, 5, 6]
        accepted = db.session.scalars(
            select(Application).where(Application.status == ApplicationStatus.ACCEPTED)
        ).all()
        assert len(accepted) == 6
        # Every accepted startup confirms: six enrollments, six grants, no more.
        for application in accepted:
            founder = db.session.scalar(
                select(User)
                .join(StartupMember, StartupMember.user_id == User.id)
                .where(StartupMember.startup_id == application.startup_id)
            )
            services.confirm_offer(application, actor=founder)
        db.session.commit()
        enrollments = db.session.scalar(
            select(func.count()).select_from(Enrollment).where(Enrollment.cohort_id == cohort_id)
        )
        assert enrollments == 6
        assert db.session.scalar(select(func.count()).select_from(Grant)) == 6
        assert {o.status for o in db.session.scalars(select(Offer))} == {OfferStatus.CONFIRMED}
        assert db.session.get(Cohort, cohort_id).capacity == 6
        db.session.remove()
