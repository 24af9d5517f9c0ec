"""Builders for reviewer assignments, reviews and offers."""

from __future__ import annotations

from datetime import timedelta

from accelerator.applications.models import Application, ApplicationStatus
from accelerator.auth.models import Role, User
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.reviews.models import (
    CohortReviewer,
    Confidence,
    ConflictStatus,
    Decision,
    Offer,
    OfferStatus,
    Outcome,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from accelerator.reviews.scoring import criteria_of, weighted_mean
from tests.factories.applications import make_application
from tests.factories.auth import make_user

__all__ = ["make_assignment", "make_review", "make_panel_mentor", "make_offer"]


def make_panel_mentor(cohort: Cohort, mentor: User | None = None) -> User:
    """A mentor on the cohort's review panel."""
    mentor = mentor or make_user(role=Role.MENTOR)
    db.session.add(CohortReviewer(cohort_id=cohort.id, user_id=mentor.id))
    db.session.flush()
    return mentor


def make_assignment(
    *,
    application: Application | None = None,
    reviewer: User | None = None,
    conflict: ConflictStatus | str = ConflictStatus.NONE,
    reason: str | None = None,
) -> ReviewAssignment:
    """An assignment; declared "no conflict" by default (ready to review)."""
    conflict = ConflictStatus(conflict)
    application = application or make_application(status=ApplicationStatus.IN_REVIEW)
    assignment = ReviewAssignment(
        application_id=application.id,
        reviewer_id=(reviewer or make_user(role=Role.STAFF)).id,
        conflict=conflict,
        conflict_reason=(reason or "Former colleague")
        if conflict == ConflictStatus.CONFLICT
        else None,
        declared_at=None if conflict == ConflictStatus.UNDECLARED else utcnow(),
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def make_review(
    *,
    assignment: ReviewAssignment | None = None,
    application: Application | None = None,
    reviewer: User | None = None,
    scores: dict[str, int] | int = 3,
    recommendation: str = "maybe",
    confidence: str = "medium",
    comment: str = "",
    feedback_tags: list[str] | None = None,
) -> Review:
    """A submitted review (an int `scores` gives every criterion that score)."""
    if assignment is None:
        assignment = make_assignment(application=application, reviewer=reviewer)
    application = db.session.get(Application, assignment.application_id)
    criteria = criteria_of(db.session.get(Cohort, application.cohort_id))
    if isinstance(scores, int):
        scores = {c["key"]: scores for c in criteria}
    review = Review(
        assignment_id=assignment.id,
        application_id=application.id,
        reviewer_id=assignment.reviewer_id,
        recommendation=Recommendation(recommendation),
        confidence=Confidence(confidence),
        comment=comment,
        feedback_tags=list(feedback_tags or []),
        weighted_score=round(weighted_mean(scores, criteria), 4),
    )
    review.scores = [ReviewScore(criterion_key=k, score=v) for k, v in scores.items()]
    db.session.add(review)
    db.session.flush()
    return review


def make_offer(
    application: Application,
    *,
    seat: int = 1,
    status: OfferStatus | str = OfferStatus.PENDING,
    days_left: int = 7,
) -> Offer:
    """An accepted application with its offer (bypassing the capacity check: test setup only)."""
    status = OfferStatus(status)
    decision = Decision(application_id=application.id, outcome=Outcome.ACCEPTED)
    db.session.add(decision)
    db.session.flush()
    now = utcnow()
    offered = now - timedelta(days=30) if days_left < 0 else now - timedelta(hours=1)
    offer = Offer(
        application_id=application.id,
        cohort_id=application.cohort_id,
        decision_id=decision.id,
        seat=seat if status.holds_seat else None,
        status=status,
        offered_at=offered,
        expires_at=now + timedelta(days=days_left),
        responded_at=None if status == OfferStatus.PENDING else now,
    )
    application.status = ApplicationStatus.ACCEPTED
    db.session.add(offer)
    db.session.flush()
    return offer
