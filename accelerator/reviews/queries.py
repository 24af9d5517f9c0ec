"""Read-side queries for the review pages: a fixed number of statements per page."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.auth.models import Role, User
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, Program
from accelerator.reviews import scoreboard
from accelerator.reviews.models import (
    ASSIGNABLE_STATES,
    CohortReviewer,
    ConflictStatus,
    Decision,
    Offer,
    OfferStatus,
    Review,
    ReviewAssignment,
    feedback_label,
)


def pool_statement(cohort_id: int):
    """Who may review the cohort: active staff users and the mentors on its review panel."""
    panel = select(CohortReviewer.user_id).where(CohortReviewer.cohort_id == cohort_id)
    return (
        select(User)
        .where(
            User.active.is_(True),
            or_(
                User.role.in_([Role.STAFF, Role.ADMIN]),
                (User.role == Role.MENTOR) & User.id.in_(panel),
            ),
        )
        .order_by(User.name, User.id)
    )


def reviewer_pool(cohort_id: int) -> list[User]:
    return list(db.session.scalars(pool_statement(cohort_id)))


def is_eligible_reviewer(user: User, cohort_id: int) -> bool:
    return db.session.scalar(pool_statement(cohort_id).where(User.id == user.id)) is not None


def conflicted_reviewers(startup_ids) -> dict[int, set[int]]:
    """{startup_id: reviewers who declared a conflict with it (in any cohort)}."""
    result: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(
        select(Application.startup_id, ReviewAssignment.reviewer_id)
        .join(Application, ReviewAssignment.application_id == Application.id)
        .where(
            ReviewAssignment.conflict == ConflictStatus.CONFLICT,
            Application.startup_id.in_(list(startup_ids)),
        )
    )
    for startup_id, reviewer_id in rows:
        result[startup_id].add(reviewer_id)
    return result


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
    """The pipeline's select: submitted applications of a cohort, optionally in one status,
    as rows of the columns its table shows (id, status, submitted_at, startup_name, sector,
    country), not whole applications with their answers.

    Oldest submission first; NULLS FIRST (only a withdrawn draft has none) lets PostgreSQL
    read the page backwards from ix_applications_cohort_submitted_order instead of sorting.
    """
    return _in_pipeline(
        select(
            Application.id,
            Application.status,
            Application.submitted_at,
            Startup.name.label("startup_name"),
            Startup.sector,
            Startup.country,
        )
        .join(Startup, Startup.id == Application.startup_id)
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


def published_cohorts() -> list:
    """(cohort, program name, program timezone) of every published cohort, latest call first."""
    return db.session.execute(
        select(Cohort, Program.name, Program.timezone)
        .join(Program, Cohort.program_id == Program.id)
        .where(Cohort.state == CohortState.PUBLISHED)
        .order_by(Cohort.applications_close_at.desc(), Cohort.id.desc())
    ).all()


def to_assign(cohort_id: int, *, open_only: bool):
    """The assignment page's select: the cohort's applications still open to reviewers (or
    every submitted one), with their startup, oldest submission first."""
    states = (
        Application.status.in_(ASSIGNABLE_STATES)
        if open_only
        else Application.status != ApplicationStatus.DRAFT
    )
    return (
        select(Application)
        .options(joinedload(Application.startup))
        .where(Application.cohort_id == cohort_id, states)
        .order_by(Application.submitted_at, Application.id)
    )


def panel_member(cohort_id: int, user_id: int) -> CohortReviewer | None:
    """The user's place on the cohort's review panel (with the user), or None."""
    return db.session.scalar(
        select(CohortReviewer)
        .where(CohortReviewer.cohort_id == cohort_id, CohortReviewer.user_id == user_id)
        .options(joinedload(CohortReviewer.user))
    )


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


def review_of(assignment_id: int) -> Review | None:
    """The review written for an assignment, with its scores, or None."""
    return db.session.scalar(
        select(Review)
        .where(Review.assignment_id == assignment_id)
        .options(selectinload(Review.scores))
    )


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


# Decisions and offers ------------------------------------------------------------------------

HELD = (OfferStatus.PENDING, OfferStatus.CONFIRMED)


def places_taken(cohort_id: int) -> int:
    """Places offered (pending) or taken (confirmed) in the cohort."""
    return db.session.scalar(
        select(func.count())
        .select_from(Offer)
        .where(Offer.cohort_id == cohort_id, Offer.status.in_(HELD))
    )


def overdue_count(cohort_id: int, now) -> int:
    """How many of the cohort's offers still wait for an answer after their deadline at `now`
    (Offer.is_overdue): between two changes to the offers, it names which ones are overdue."""
    return db.session.scalar(
        select(func.count())
        .select_from(Offer)
        .where(
            Offer.cohort_id == cohort_id,
            Offer.status == OfferStatus.PENDING,
            Offer.expires_at < now,
        )
    )


def pending_offer(application: Application) -> Offer | None:
    return db.session.scalar(
        select(Offer).where(
            Offer.application_id == application.id, Offer.status == OfferStatus.PENDING
        )
    )


def feedback_for(application_id: int) -> list[str]:
    """The reviewers' feedback tags for the startup, most frequent first (no names, no comments)."""
    counts: Counter = Counter()
    for tags in db.session.scalars(
        select(Review.feedback_tags).where(Review.application_id == application_id)
    ):
        counts.update(tags or [])
    return [feedback_label(tag) for tag, _count in counts.most_common()]


def waitlist_in_rank_order(cohort: Cohort) -> list[int]:
    """Ids of the waitlisted applications, best-ranked first (from the stored ranking)."""
    return scoreboard.waitlist_in_rank_order(cohort)


def waitlist(cohort: Cohort) -> list[Application]:
    """The waitlisted applications with their startup, best-ranked first."""
    ids = waitlist_in_rank_order(cohort)
    found = {
        application.id: application
        for application in db.session.scalars(
            select(Application)
            .where(Application.id.in_(ids))
            .options(joinedload(Application.startup))
        )
    }
    return [found[i] for i in ids]


def offers_of(cohort_id: int) -> list[Offer]:
    """The cohort's offers with their application and startup, oldest first."""
    return list(
        db.session.scalars(
            select(Offer)
            .where(Offer.cohort_id == cohort_id)
            .options(joinedload(Offer.application).joinedload(Application.startup))
            .order_by(Offer.offered_at, Offer.id)
        )
    )


def assignments_of(application_id: int) -> list[ReviewAssignment]:
    """The application's reviewers with their review and its scores, in assignment order."""
    return list(
        db.session.scalars(
            select(ReviewAssignment)
            .where(ReviewAssignment.application_id == application_id)
            .options(
                joinedload(ReviewAssignment.reviewer),
                selectinload(ReviewAssignment.review).selectinload(Review.scores),
            )
            .order_by(ReviewAssignment.id)
        )
    )


def decisions_on(application_id: int) -> list[Decision]:
    """The decisions taken on the application, oldest first, with who took them."""
    return list(
        db.session.scalars(
            select(Decision)
            .where(Decision.application_id == application_id)
            .options(joinedload(Decision.decided_by))
            .order_by(Decision.decided_at)
        )
    )
