"""Read-side queries for the review pages: a fixed number of statements per page."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.auth.models import Role, User
from accelerator.extensions import db
from accelerator.reviews.assignment import conflicted_reviewers
from accelerator.reviews.models import (
    CohortReviewer,
    ConflictStatus,
    Review,
    ReviewAssignment,
)


def status_counts(cohort_id: int) -> Counter:
    rows = db.session.execute(
        select(Application.status, func.count())
        .where(Application.cohort_id == cohort_id)
        .group_by(Application.status)
    )
    return Counter(dict(rows.all()))


def status_counts_by_cohort(cohort_ids: list[int]) -> dict[int, Counter]:
    result: dict[int, Counter] = defaultdict(Counter)
    if not cohort_ids:
        return result
    rows = db.session.execute(
        select(Application.cohort_id, Application.status, func.count())
        .where(Application.cohort_id.in_(cohort_ids))
        .group_by(Application.cohort_id, Application.status)
    )
    for cohort_id, status, count in rows:
        result[cohort_id][status] = count
    return result


def _in_pipeline(statement, cohort_id: int, status: str):
    statement = statement.where(
        Application.cohort_id == cohort_id, Application.status != ApplicationStatus.DRAFT
    )
    if status in {s.value for s in ApplicationStatus} and status != "draft":
        statement = statement.where(Application.status == ApplicationStatus(status))
    return statement


def cohort_applications(cohort_id: int, status: str = ""):
    """The pipeline's select: submitted applications of a cohort, optionally in one status.

    Oldest submission first; NULLS FIRST (only a withdrawn draft has none) lets PostgreSQL
    read the page backwards from ix_applications_cohort_submitted_order instead of sorting.
    """
    return _in_pipeline(
        select(Application)
        .options(joinedload(Application.startup))
        .order_by(Application.submitted_at.asc().nulls_first(), Application.id),
        cohort_id,
        status,
    )


def cohort_applications_count(cohort_id: int, status: str = ""):
    """How many rows cohort_applications() gives, without the join."""
    return _in_pipeline(select(func.count(Application.id)), cohort_id, status)


def applications_in_cohort(cohort_id: int, ids: list[int]) -> list[Application]:
    """The given applications, only those of this cohort (others are silently not found)."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Application)
            .options(joinedload(Application.startup))
            .where(Application.cohort_id == cohort_id, Application.id.in_(ids[:1000]))
        )
    )


@dataclass
class ReviewStats:
    assigned: int = 0
    reviewed: int = 0
    conflicts: int = 0
    mean: float | None = None


def review_stats(application_ids: list[int]) -> dict[int, ReviewStats]:
    """Assignments, reviews and mean weighted score per application (two queries)."""
    stats: dict[int, ReviewStats] = defaultdict(ReviewStats)
    if not application_ids:
        return stats
    for app_id, conflict, count in db.session.execute(
        select(ReviewAssignment.application_id, ReviewAssignment.conflict, func.count())
        .where(ReviewAssignment.application_id.in_(application_ids))
        .group_by(ReviewAssignment.application_id, ReviewAssignment.conflict)
    ):
        if conflict == ConflictStatus.CONFLICT:
            stats[app_id].conflicts += count
        else:
            stats[app_id].assigned += count
    for app_id, count, mean in db.session.execute(
        select(Review.application_id, func.count(), func.avg(Review.weighted_score))
        .where(Review.application_id.in_(application_ids))
        .group_by(Review.application_id)
    ):
        stats[app_id].reviewed = count
        stats[app_id].mean = round(float(mean), 2) if mean is not None else None
    return stats


def mentors_not_on_panel(cohort_id: int) -> list[tuple[int, str]]:
    on_panel = select(CohortReviewer.user_id).where(CohortReviewer.cohort_id == cohort_id)
    rows = db.session.execute(
        select(User.id, User.name)
        .where(User.role == Role.MENTOR, User.active.is_(True), User.id.not_in(on_panel))
        .order_by(User.name)
    )
    return [(uid, name) for uid, name in rows]


def panel_members(cohort_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(CohortReviewer, CohortReviewer.user_id == User.id)
            .where(CohortReviewer.cohort_id == cohort_id)
            .order_by(User.name)
        )
    )


@dataclass
class AssignmentRow:
    application: Application
    assignments: list[ReviewAssignment] = field(default_factory=list)
    candidates: list[User] = field(default_factory=list)  # may still be assigned by hand

    @property
    def active(self) -> int:
        return sum(1 for a in self.assignments if not a.is_conflicted)


def assignment_rows(applications: list[Application], pool: list[User]) -> list[AssignmentRow]:
    """Each application with its assignments (reviewer, review) and who could still be added."""
    rows = {a.id: AssignmentRow(a) for a in applications}
    if not rows:
        return []
    for assignment in db.session.scalars(
        select(ReviewAssignment)
        .where(ReviewAssignment.application_id.in_(list(rows)))
        .options(joinedload(ReviewAssignment.reviewer), selectinload(ReviewAssignment.review))
        .order_by(ReviewAssignment.id)
    ):
        rows[assignment.application_id].assignments.append(assignment)
    conflicts = conflicted_reviewers({a.startup_id for a in applications})
    for row in rows.values():
        taken = {a.reviewer_id for a in row.assignments}
        blocked = conflicts.get(row.application.startup_id, set())
        row.candidates = [u for u in pool if u.id not in taken and u.id not in blocked]
    return list(rows.values())


def inbox(user: User) -> list[ReviewAssignment]:
    return list(
        db.session.scalars(
            select(ReviewAssignment)
            .join(Application, ReviewAssignment.application_id == Application.id)
            .join(Startup, Application.startup_id == Startup.id)
            .where(ReviewAssignment.reviewer_id == user.id)
            .options(
                joinedload(ReviewAssignment.application).joinedload(Application.startup),
                joinedload(ReviewAssignment.application).joinedload(Application.cohort),
                selectinload(ReviewAssignment.review),
            )
            .order_by(Application.submitted_at, ReviewAssignment.id)
        ).unique()
    )
