"""Synthetic data at the size of a big open call: 10,000 applications in one cohort with 9,000
reviews, grants with ledgers in a running cohort, and a founder with a startup, for `bench load`.

Bulk inserts for the big tables; the services' own builders (tests/factories) for the rest.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from sqlalchemy import insert

APPLICATIONS = 10_000
REVIEWS = 9_000
REVIEWERS = 12
GRANTS = 150
BATCH = 1_000


class Progress:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.started = time.perf_counter()
        self._draw()

    def advance(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        self._draw()

    def _draw(self) -> None:
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "." * (width - filled)
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(
            f"\r  {self.label:<22} [{bar}] {self.done:>6}/{self.total:<6} {elapsed:5.1f} s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


@dataclass
class Filled:
    staff_token: str
    founder_token: str
    cohort_id: int
    decide_application_id: int
    running_cohort_id: int


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fill(
    *, applications: int = APPLICATIONS, reviews: int = REVIEWS, grants: int = GRANTS
) -> Filled:
    """Fill the (migrated, empty) database of the current app context."""
    from accelerator.applications.models import Application, ApplicationStatus, Stage, Startup
    from accelerator.core.types import utcnow
    from accelerator.extensions import db
    from accelerator.reviews.models import (
        Confidence,
        ConflictStatus,
        Recommendation,
        Review,
        ReviewAssignment,
        ReviewScore,
    )
    from accelerator.reviews.scoring import criteria_of, weighted_mean
    from tests import factories

    now = utcnow()
    staff = factories.make_user(role="staff", email="bench-staff@example.org", name="Bench Staff")
    reviewers = [
        factories.make_user(role="staff", email=f"reviewer{i}@example.org", name=f"Reviewer {i}")
        for i in range(REVIEWERS)
    ]
    program = factories.make_program(name="Orange Fab Bench")
    cohort = factories.make_cohort(program=program, phase="reviewing", name="Season 99")
    db.session.commit()

    bar = Progress("startups+applications", applications)
    sectors = ["Telecom & networks", "AI", "Cybersecurity", "IoT", "Fintech", "Health"]
    countries = ["FR", "US", "DE", "JP", "GB", "IL", "ES", "PL"]
    application_ids: list[int] = []
    for chunk in _chunks(list(range(applications))):
        startup_ids = db.session.scalars(
            insert(Startup).returning(Startup.id, sort_by_parameter_order=True),
            [
                {
                    "name": f"Startup {i:06d}",
                    "country": countries[i % len(countries)],
                    "sector": sectors[i % len(sectors)],
                    "stage": list(Stage)[i % len(Stage)],
                    "description": "We make networks smarter.",
                    "source": "seed",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in chunk
            ],
        ).all()
        application_ids += db.session.scalars(
            insert(Application).returning(Application.id, sort_by_parameter_order=True),
            [
                {
                    "cohort_id": cohort.id,
                    "startup_id": startup_id,
                    "status": ApplicationStatus.IN_REVIEW
                    if i < reviews
                    else (ApplicationStatus.SUBMITTED),
                    "source": "seed",
                    "submitted_at": now,
                    "created_at": now,
                    "updated_at": now,
                    "one_liner": "Visual search for spare parts, from a phone photo.",
                    "problem": "Field technicians lose hours finding the right spare part.",
                    "currency": "EUR",
                }
                for i, startup_id in zip(chunk, startup_ids, strict=True)
            ],
        ).all()
        db.session.commit()
        bar.advance(len(chunk))

    criteria = criteria_of(cohort)
    bar = Progress("reviews", reviews)
    # Reviews spread over the applications: three reviewers each for the first reviews/3.
    pairs = [
        (application_ids[n // 3], reviewers[(n // 3 + (n % 3) * 4) % REVIEWERS].id, n)
        for n in range(reviews)
    ]
    for chunk in _chunks(pairs):
        assignment_ids = db.session.scalars(
            insert(ReviewAssignment).returning(ReviewAssignment.id, sort_by_parameter_order=True),
            [
                {
                    "application_id": app_id,
                    "reviewer_id": reviewer_id,
                    "assigned_by_id": staff.id,
                    "automatic": True,
                    "conflict": ConflictStatus.NONE,
                    "declared_at": now,
                    "created_at": now,
                }
                for app_id, reviewer_id, _n in chunk
            ],
        ).all()
        scores = [
            {c["key"]: 1 + (n * 7 + k) % 5 for k, c in enumerate(criteria)} for *_x, n in chunk
        ]
        review_ids = db.session.scalars(
            insert(Review).returning(Review.id, sort_by_parameter_order=True),
            [
                {
                    "assignment_id": assignment_id,
                    "application_id": app_id,
                    "reviewer_id": reviewer_id,
                    "recommendation": list(Recommendation)[n % 3],
                    "confidence": Confidence.MEDIUM,
                    "weighted_score": round(weighted_mean(score, criteria), 4),
                    "comment": "",
                    "feedback_tags": [],
                    "submitted_at": now,
                    "updated_at": now,
                }
                for assignment_id, (app_id, reviewer_id, n), score in zip(
                    assignment_ids, chunk, scores, strict=True
                )
            ],
        ).all()
        db.session.execute(
            insert(ReviewScore),
            [
                {"review_id": review_id, "criterion_key": key, "score": value}
                for review_id, score in zip(review_ids, scores, strict=True)
                for key, value in score.items()
            ],
        )
        db.session.commit()
        bar.advance(len(chunk))

    # Decisions: a few offers and a waitlist, for the decisions page.
    from accelerator.applications.models import Application as App

    reviewed = application_ids[: reviews // 3]
    for seat, app_id in enumerate(reviewed[3:9], start=1):
        factories.make_offer(db.session.get(App, app_id), seat=seat)
    for app_id in reviewed[10:30]:
        db.session.get(App, app_id).status = ApplicationStatus.WAITLISTED
    db.session.commit()
    # The stored ranking, as the first ranking page after the last review computes it.
    from accelerator.reviews import scoreboard

    scoreboard.ensure_current(cohort)
    db.session.commit()

    bar = Progress("grants+ledgers", grants)
    running = factories.make_cohort(program=program, phase="running", name="Season 98")
    founder = factories.make_user(
        role="founder", email="bench-founder@example.org", name="Bench Founder"
    )
    for i in range(grants):
        grant = factories.make_grant(cohort=running, founders=[founder] if i == 0 else None)
        factories.make_disbursement(
            grant,
            amount_cents=1_000_000,
            status="paid",
            requester=staff,
            approver=reviewers[0],
            paid_on=now.date(),
        )
        factories.make_disbursement(
            grant,
            amount_cents=250_000,
            status="approved",
            tranche="midpoint",
            requester=staff,
            approver=reviewers[0],
        )
        factories.make_disbursement(
            grant, amount_cents=(i % 5 + 1) * 10_000, tranche="demo_day", requester=reviewers[1]
        )
        if i % 50 == 49 or i == grants - 1:
            db.session.commit()
            bar.advance(50 if i % 50 == 49 else (i % 50) + 1)
    db.session.commit()
    return Filled(
        staff_token=staff.get_id(),
        founder_token=founder.get_id(),
        cohort_id=cohort.id,
        decide_application_id=application_ids[0],
        running_cohort_id=running.id,
    )
