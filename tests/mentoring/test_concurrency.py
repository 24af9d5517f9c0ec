"""Hand-made pairs under real concurrency: eight staff members add a different startup to the
same mentor (capacity 2) at the same moment; exactly two pairs are made, the rest are refused.

The cohort's row lock serialises the checks on PostgreSQL; SQLite's BEGIN IMMEDIATE does the
same there. Real commits, one thread per request.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from accelerator.auth.models import User
from accelerator.core.errors import Conflict
from accelerator.extensions import db
from accelerator.mentoring import services
from accelerator.mentoring.models import Match
from accelerator.programs.models import Cohort
from tests import factories

THREADS = 8


def _setup(app):
    with app.app_context():
        cohort = factories.make_cohort(phase="running")
        startups = [factories.make_startup() for _ in range(THREADS)]
        for startup in startups:
            factories.make_enrollment(cohort=cohort, startup=startup)
        mentor = factories.make_mentor(capacity=2)
        staff = [factories.make_user(role="staff") for _ in range(THREADS)]
        db.session.commit()
        ids = cohort.id, [s.id for s in startups], mentor.id, [u.id for u in staff]
        db.session.remove()
        return ids


def _attempt(app, cohort_id, startup_id, mentor_id, staff_id, barrier) -> str:
    with app.app_context():
        try:
            actor = db.session.get(User, staff_id)
            cohort = db.session.get(Cohort, cohort_id)
            db.session.rollback()
            barrier.wait(timeout=30)
            services.add_match(cohort, startup_id=startup_id, mentor_id=mentor_id, actor=actor)
            db.session.commit()
            return "added"
        except Conflict:
            db.session.rollback()
            return "refused"
        finally:
            db.session.remove()


def test_simultaneous_hand_made_pairs_respect_capacity(committed):
    app = committed
    cohort_id, startup_ids, mentor_id, staff_ids = _setup(app)
    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = Counter(
            pool.map(
                lambda i: _attempt(
                    app, cohort_id, startup_ids[i], mentor_id, staff_ids[i], barrier
                ),
                range(THREADS),
            )
        )
    assert outcomes == Counter({"added": 2, "refused": THREADS - 2})
    with app.app_context():
        count = db.session.scalar(select(func.count(Match.id)).where(Match.mentor_id == mentor_id))
        db.session.remove()
    assert count == 2
