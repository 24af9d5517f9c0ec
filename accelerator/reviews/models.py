"""Reviews: reviewer panels, assignments with conflict declarations, reviews, decisions, offers.

The rules that data must obey are constraints: one assignment and one review per reviewer and
application, scores 1 to 5, a declared conflict carries its reason, and an offer holds one of
the cohort's numbered seats (UNIQUE per cohort) while it is pending or confirmed, so a cohort
never hands out more places than it has, whatever the code path.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.applications.models import ApplicationStatus
from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.applications.models import Application
    from accelerator.auth.models import User
    from accelerator.programs.models import Cohort

SCORE_MIN, SCORE_MAX = 1, 5

# The review's stages of an application --------------------------------------------------------

S = ApplicationStatus
#: Applications that can receive reviewers (assigning one to a submitted application puts it
#: in review).
ASSIGNABLE_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.SHORTLISTED, S.INTERVIEW})
#: While an application is in one of these review stages its reviews can be written and edited;
#: a decision (or a withdrawal) closes the review stage.
REVIEW_OPEN_STATES = frozenset({S.IN_REVIEW, S.SHORTLISTED, S.INTERVIEW})
#: Applications a decision can be taken on (accept, waitlist or reject): in review, or waiting
#: on the waitlist for a place.
DECIDABLE_STATES = ASSIGNABLE_STATES | {S.WAITLISTED}
#: The stages staff move applications between on the pipeline (decisions have their own page).
STAGE_TARGETS = (S.IN_REVIEW, S.SHORTLISTED, S.INTERVIEW)
#: Pipeline columns, in order.
PIPELINE_STATES = (
    S.SUBMITTED,
    S.IN_REVIEW,
    S.SHORTLISTED,
    S.INTERVIEW,
    S.ACCEPTED,
    S.ENROLLED,
    S.WAITLISTED,
    S.REJECTED,
    S.DECLINED,
    S.WITHDRAWN,
)

#: What reviewers may tell a startup (by key; the startup sees the label, never who chose it).
FEEDBACK_TAGS: list[tuple[str, Any]] = [
    ("market_too_small", _l("Market too small")),
    ("team_incomplete", _l("Team incomplete")),
    ("too_early", _l("Too early: come back with more traction")),
    ("unclear_business_model", _l("Business model unclear")),
    ("weak_differentiation", _l("Not differentiated enough from competitors")),
    ("weak_fit", _l("Weak fit with the company's business units")),
    ("regulatory_risk", _l("Regulatory risk not addressed")),
    ("strong_team", _l("Strong team")),
    ("strong_traction", _l("Impressive traction")),
    ("clear_value", _l("Clear value proposition")),
]
FEEDBACK_TAG_KEYS = frozenset(key for key, _label in FEEDBACK_TAGS)


def feedback_label(key: str) -> str:
    return str(dict(FEEDBACK_TAGS).get(key, key))


class CohortReviewer(db.Model):
    """A mentor whom staff added to a cohort's review panel (staff users review any cohort)."""

    __tablename__ = "cohort_reviewers"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")

    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)


class ConflictStatus(enum.StrEnum):
    UNDECLARED = "undeclared"  # the reviewer has not said yet; the application stays hidden
    NONE = "none"  # "no conflict": the reviewer may open and score the application
    CONFLICT = "conflict"  # declared with a reason; the assignment went to someone else


class _AboutAnApplication:
    """A row about one application (indexed by it), deleted with it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )


class ReviewAssignment(_AboutAnApplication, db.Model):
    """A reviewer asked to review one application, and their conflict-of-interest declaration."""

    __tablename__ = "review_assignments"

    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    automatic: Mapped[bool] = mapped_column(default=False)
    conflict: Mapped[ConflictStatus] = mapped_column(
        enum_column(ConflictStatus, "conflict_status"), default=ConflictStatus.UNDECLARED
    )
    conflict_reason: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(lazy="raise")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id], lazy="raise")
    review: Mapped[Review | None] = relationship(back_populates="assignment", lazy="raise")

    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        CheckConstraint(
            "(conflict = 'undeclared') = (declared_at IS NULL)", name="declared_has_time"
        ),
        CheckConstraint(
            "(conflict = 'conflict') = (conflict_reason IS NOT NULL)", name="conflict_has_reason"
        ),
    )

    @property
    def is_conflicted(self) -> bool:
        return self.conflict == ConflictStatus.CONFLICT

    @property
    def is_cleared(self) -> bool:
        return self.conflict == ConflictStatus.NONE


class Recommendation(RichStrEnum):
    YES = "yes", _l("yes")
    MAYBE = "maybe", _l("maybe")
    NO = "no", _l("no")


class Confidence(RichStrEnum):
    LOW = "low", _l("low")
    MEDIUM = "medium", _l("medium")
    HIGH = "high", _l("high")


class Review(_AboutAnApplication, db.Model):
    """One reviewer's scores and opinion of one application (one per reviewer and application)."""

    __tablename__ = "reviews"

    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("review_assignments.id", ondelete="CASCADE"), unique=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recommendation: Mapped[Recommendation] = mapped_column(
        enum_column(Recommendation, "review_recommendation")
    )
    confidence: Mapped[Confidence] = mapped_column(enum_column(Confidence, "review_confidence"))
    #: The criteria scores averaged with the cohort's weights (kept for ranking queries).
    weighted_score: Mapped[float] = mapped_column(Float)
    #: For staff only: never shown to the startup.
    comment: Mapped[str] = mapped_column(Text, default="")
    #: Keys of FEEDBACK_TAGS the startup may see in a rejection (never who chose them).
    feedback_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignment: Mapped[ReviewAssignment] = relationship(back_populates="review", lazy="raise")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id], lazy="raise")
    scores: Mapped[list[ReviewScore]] = relationship(
        back_populates="review",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ReviewScore.id",
    )

    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        CheckConstraint(
            f"weighted_score >= {SCORE_MIN} AND weighted_score <= {SCORE_MAX}",
            name="weighted_score_range",
        ),
    )

    def score_map(self) -> dict[str, int]:
        return {score.criterion_key: score.score for score in self.scores}


class ReviewScore(db.Model):
    """The 1-5 score a review gives one criterion of the cohort."""

    __tablename__ = "review_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    criterion_key: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column()

    review: Mapped[Review] = relationship(back_populates="scores", lazy="raise")

    __table_args__ = (
        UniqueConstraint("review_id", "criterion_key"),
        CheckConstraint(f"score BETWEEN {SCORE_MIN} AND {SCORE_MAX}", name="score_range"),
    )


class Outcome(RichStrEnum):
    ACCEPTED = "accepted", _l("Accepted")
    WAITLISTED = "waitlisted", _l("Waitlisted")
    REJECTED = "rejected", _l("Not selected")


class Decision(_AboutAnApplication, db.Model):
    """A staff decision on an application, with an optional note to the startup (history)."""

    __tablename__ = "decisions"

    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "decision_outcome"))
    note: Mapped[str] = mapped_column(Text, default="")
    promoted_from_waitlist: Mapped[bool] = mapped_column(default=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User | None] = relationship(lazy="raise")


class OfferStatus(RichStrEnum):
    """Where an offered place stands; its label and badge for every page."""

    # waiting for the startup to confirm before expires_at
    PENDING = "pending", _l("waiting"), "text-bg-warning"
    # the startup took its place: Enrollment and Grant exist
    CONFIRMED = "confirmed", _l("confirmed"), "text-bg-success"
    # the startup said no
    DECLINED = "declined", _l("declined")
    # the deadline passed and staff released the place
    EXPIRED = "expired", _l("expired")

    @property
    def holds_seat(self) -> bool:
        return self in (OfferStatus.PENDING, OfferStatus.CONFIRMED)


class Offer(db.Model):
    """A place offered to an accepted startup; it holds one of the cohort's seats meanwhile."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    #: 1..capacity while the offer holds a place; NULL once declined or expired.
    seat: Mapped[int | None] = mapped_column()
    status: Mapped[OfferStatus] = mapped_column(
        enum_column(OfferStatus, "offer_status"), default=OfferStatus.PENDING
    )
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(lazy="raise")
    cohort: Mapped[Cohort] = relationship(lazy="raise")
    decision: Mapped[Decision] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("cohort_id", "seat"),
        CheckConstraint("seat IS NULL OR seat >= 1", name="seat_positive"),
        CheckConstraint(
            "(status IN ('pending', 'confirmed')) = (seat IS NOT NULL)", name="seat_held"
        ),
        CheckConstraint("(status = 'pending') = (responded_at IS NULL)", name="responded_has_time"),
        CheckConstraint("expires_at > offered_at", name="expires_after_offer"),
        Index("ix_offers_cohort_status", "cohort_id", "status"),
    )

    def is_overdue(self, now: datetime) -> bool:
        """Still waiting for the startup's answer after its deadline."""
        return self.status == OfferStatus.PENDING and self.expires_at < now


class RankingState(db.Model):
    """How current a cohort's stored ranking is: `version` moves with every review change,
    `computed_version` says which version the application_scores rows (and `review_count`)
    reflect."""

    __tablename__ = "ranking_states"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    version: Mapped[int] = mapped_column(default=1)
    computed_version: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The cohort's reviews counted when the ranking was computed: while it is current, the
    #: cohort's number of reviews (`queries.review_count`), without counting them again.
    review_count: Mapped[int | None] = mapped_column()


class ApplicationScore(db.Model):
    """A reviewed application's aggregates and rank in its cohort, kept by reviews/scoreboard.py
    so that ranking pages read one page of rows instead of aggregating every review."""

    __tablename__ = "application_scores"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    review_count: Mapped[int] = mapped_column()
    mean: Mapped[float | None] = mapped_column(Float)
    median: Mapped[float | None] = mapped_column(Float)
    stddev: Mapped[float | None] = mapped_column(Float)
    calibrated: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int] = mapped_column()
    yes_count: Mapped[int] = mapped_column(default=0)
    maybe_count: Mapped[int] = mapped_column(default=0)
    no_count: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint("cohort_id", "rank"),
        CheckConstraint("review_count > 0", name="reviewed"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )
