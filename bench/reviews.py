"""Review pages at scale: statements per page stay flat as applications and reviews grow,
and automatic assignment stays quick for a few hundred applications.

Builds one cohort with N applications, each reviewed by three of twelve reviewers, then counts
the statements of the pipeline, reviewer assignment, ranking and decision pages and the export,
and times an automatic assignment of a fresh cohort of N applications.
"""

from __future__ import annotations

import time

from bench._support import count_statements, scratch_app
from tests import factories

SIZES = (30, 150, 450)
PAGES = {
    "pipeline": "/reviews/cohorts/{cohort}/pipeline",
    "assignments": "/reviews/cohorts/{cohort}/assignments",
    "ranking": "/reviews/cohorts/{cohort}/ranking?sort=calibrated",
    "decisions": "/reviews/cohorts/{cohort}/decisions",
    "export csv": "/reviews/cohorts/{cohort}/ranking.csv",
    "inbox": "/reviews/inbox",
}


def _build(app, size: int) -> dict:
    from accelerator.extensions import db

    with app.app_context():
        reviewers = [factories.make_user(role="staff") for _ in range(12)]
        cohort = factories.make_cohort(phase="reviewing")
        for i in range(size):
            application = factories.make_application(cohort=cohort, status="in_review")
            for k in range(3):
                reviewer = reviewers[(i + k * 4) % len(reviewers)]
                factories.make_review(
                    application=application, reviewer=reviewer, scores=1 + (i * 7 + k) % 5
                )
        fresh = factories.make_cohort(phase="reviewing")
        for _ in range(size):
            factories.make_application(cohort=fresh)
        db.session.commit()
        return {
            "cohort": cohort.id,
            "fresh": fresh.id,
            "staff": reviewers[0].get_id(),
            "staff_id": reviewers[0].id,
        }


def _measure(app, ids: dict, url: str) -> tuple[int, float]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = ids["staff"]
        session["_fresh"] = True
    with app.app_context(), count_statements() as statements:
        started = time.perf_counter()
        response = client.get(url.format(**ids))
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), elapsed


def _auto_assign(app, ids: dict) -> float:
    from accelerator.auth.models import User
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort
    from accelerator.reviews.assignment import auto_assign

    with app.app_context():
        started = time.perf_counter()
        result = auto_assign(
            db.session.get(Cohort, ids["fresh"]),
            actor=db.session.get(User, ids["staff_id"]),
            per_application=3,
        )
        db.session.commit()
        assert result.created == 3 * result.applications
        return time.perf_counter() - started


def run() -> list[str]:
    lines = []
    for size in SIZES:
        app = scratch_app()
        ids = _build(app, size)
        for name, url in PAGES.items():
            count, elapsed = _measure(app, ids, url)
            lines.append(
                f"{size:>4} applications  {name:<12} {count:>3} statements  "
                f"{elapsed * 1000:7.1f} ms"
            )
        lines.append(
            f"{size:>4} applications  auto-assign 3 of 12 reviewers  "
            f"{_auto_assign(app, ids) * 1000:7.1f} ms"
        )
    return lines
