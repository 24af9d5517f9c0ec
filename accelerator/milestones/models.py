"""Milestone plans per cohort, milestones per enrollment, periodic check-ins, sent reminders.

Rules data must obey are constraints: one check-in per startup and period (UNIQUE), KPIs within
sane bounds (CHECK), a reviewed milestone has its reviewer, "overdue" is shown but never stored,
and each reminder is claimed by inserting its key into `sent_reminders` (UNIQUE), so two
`flask reminders send` processes never mail the same reminder twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.auth.models import User

#: Upper bounds for KPIs: anything above is a typo, not a startup in its first months.
MAX_REVENUE_CENTS = 10**11  # 1 billion a month
MAX_RAISED_CENTS = 10**12  # 10 billion in one period
MAX_USERS = 10**9
MAX_HEADCOUNT = 100_000
MAX_PILOTS = 1_000
MAX_TEXT = 4000


class Cadence(RichStrEnum):
    WEEKLY = "weekly", _l("Every week")
    BIWEEKLY = "biweekly", _l("Every two weeks")
    MONTHLY = "monthly", _l("Every month")


class MilestoneStatus(RichStrEnum):
    """A milestone's state. OVERDUE is derived from the due date, shown, never stored."""

    PLANNED = "planned"
    SUBMITTED = "submitted"
    SENT_BACK = "sent_back"
    APPROVED = "approved"
    DROPPED = "dropped"
    OVERDUE = "overdue"

    __labels__ = {
        "planned": _l("Planned"),
        "submitted": _l("Submitted, to review"),
        "sent_back": _l("Sent back"),
        "approved": _l("Approved"),
        "dropped": _l("Dropped"),
        "overdue": _l("Overdue"),
    }
    __badges__ = {
        "planned": "text-bg-secondary",
        "submitted": "text-bg-primary",
        "sent_back": "text-bg-warning",
        "approved": "text-bg-success",
        "dropped": "text-bg-light border",
        "overdue": "text-bg-danger",
    }
    #: The moves a milestone can make; services refuse anything else, saying why.
    __moves__ = {
        "planned": frozenset({"submitted", "dropped"}),
        "sent_back": frozenset({"submitted", "dropped"}),
        "submitted": frozenset({"approved", "sent_back", "dropped"}),
        "approved": frozenset(),
        "dropped": frozenset(),
        "overdue": frozenset(),
    }
    __refusals__ = {
        "approved": _l("This milestone is already approved."),
        "dropped": _l("This milestone was dropped."),
        "submitted": _l("This milestone is submitted and waits for review."),
        "planned": _l("This milestone has not been submitted yet."),
        "sent_back": _l("This milestone was sent back; the startup must submit it again."),
    }

    @property
    def is_open(self) -> bool:
        """Still due: waiting for the founder (so it can become overdue)."""
        return self in STILL_DUE


MS = MilestoneStatus
#: The statuses of a milestone still due from the founders (planned, or sent back to them).
STILL_DUE = frozenset({MS.PLANNED, MS.SENT_BACK})


class Health(RichStrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    __labels__ = {"green": _l("Green"), "amber": _l("Amber"), "red": _l("Red")}
    __badges__ = {"green": "text-bg-success", "amber": "text-bg-warning", "red": "text-bg-danger"}
    #: The colour of each health in charts: the badges' colours (Bootstrap's palette).
    __colours__ = {"green": "#198754", "amber": "#ffc107", "red": "#dc3545"}

    @property
    def colour(self) -> str:
        return self.__colours__[self.value]


class AskState(RichStrEnum):
    NONE = "none"
    MENTOR_REQUESTED = "mentor_requested"  # staff turned the ask into a mentor request

    __labels__ = {"none": _l("No request"), "mentor_requested": _l("Mentor requested")}
    __badges__ = {"none": "text-bg-light border", "mentor_requested": "text-bg-info"}


class CheckinSchedule(db.Model):
    """A cohort's check-in cadence (a cohort without a row checks in weekly)."""

    __tablename__ = "checkin_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), unique=True)
    cadence: Mapped[Cadence] = mapped_column(
        enum_column(Cadence, "checkin_cadence"), default=Cadence.WEEKLY
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MilestoneTemplate(db.Model):
    """One line of a cohort's milestone plan; each enrolled startup gets a milestone from it."""

    __tablename__ = "milestone_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    due_week: Mapped[int] = mapped_column()
    kpi_targets: Mapped[str] = mapped_column(Text, default="")
    #: The tranche of the cohort's tranche plan that approving this milestone requests.
    tranche_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("due_week >= 1 AND due_week <= 104", name="due_week_range"),
        UniqueConstraint("cohort_id", "tranche_key"),  # a tranche is released by one milestone
    )


class Milestone(db.Model):
    """A startup's milestone: due date, evidence, and the staff review."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone_templates.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    kpi_targets: Mapped[str] = mapped_column(Text, default="")
    tranche_key: Mapped[str | None] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date, index=True)  # in the program's timezone
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_column(MilestoneStatus, "milestone_status"), default=MilestoneStatus.PLANNED
    )
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    evidence_link: Mapped[str | None] = mapped_column(String(500))
    evidence_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    #: The disbursement request its approval created (the grant ledger's row).
    disbursement_id: Mapped[int | None] = mapped_column(ForeignKey("disbursements.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id], lazy="raise")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id], lazy="raise")

    __table_args__ = (
        UniqueConstraint("enrollment_id", "template_id"),
        CheckConstraint("status <> 'overdue'", name="overdue_never_stored"),
        CheckConstraint(
            "status NOT IN ('submitted', 'approved') OR submitted_at IS NOT NULL",
            name="submitted_has_time",
        ),
        CheckConstraint(
            "status NOT IN ('approved', 'sent_back') OR reviewed_by_id IS NOT NULL",
            name="reviewed_has_reviewer",
        ),
        Index("ix_milestones_status_due", "status", "due_on"),
    )

    @hybrid_property
    def still_due(self) -> bool:
        """Waiting for the founders: planned, or sent back to them (the one definition)."""
        return self.status in STILL_DUE

    @still_due.inplace.expression
    @classmethod
    def _still_due_expression(cls) -> ColumnElement[bool]:
        return cls.status.in_(sorted(STILL_DUE))

    @hybrid_method
    def overdue_on(self, today: date) -> bool:
        """Still due after its due date, on `today` (the program's local date); "overdue" is
        this and nothing else, in Python and in SQL."""
        return self.still_due and self.due_on < today

    @overdue_on.inplace.expression
    @classmethod
    def _overdue_on_expression(cls, today: date) -> ColumnElement[bool]:
        return and_(cls.status.in_(sorted(STILL_DUE)), cls.due_on < today)

    def shown_status(self, today: date) -> MilestoneStatus:
        """The status people see: a milestone still due past its due date is overdue."""
        return MilestoneStatus.OVERDUE if self.overdue_on(today) else self.status


class CheckIn(db.Model):
    """A startup's report for one period of its cohort's cadence."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"))
    #: First day of the period, in the program's timezone.
    period_on: Mapped[date] = mapped_column(Date)
    health: Mapped[Health] = mapped_column(enum_column(Health, "checkin_health"))
    revenue_cents: Mapped[int] = mapped_column(default=0)  # monthly revenue
    currency: Mapped[str] = mapped_column(String(3))
    active_users: Mapped[int] = mapped_column(default=0)
    headcount: Mapped[int] = mapped_column(default=0)
    raised_cents: Mapped[int] = mapped_column(default=0)  # money raised this period
    pilots: Mapped[int] = mapped_column(default=0)  # pilots or contracts with business units
    highlights: Mapped[str] = mapped_column(Text, default="")
    blockers: Mapped[str] = mapped_column(Text, default="")
    asks: Mapped[str] = mapped_column(Text, default="")
    ask_state: Mapped[AskState] = mapped_column(
        enum_column(AskState, "checkin_ask_state"), default=AskState.NONE
    )
    ask_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ask_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_comment: Mapped[str] = mapped_column(Text, default="")
    commented_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    commented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id], lazy="raise")
    commented_by: Mapped[User | None] = relationship(foreign_keys=[commented_by_id], lazy="raise")

    __table_args__ = (
        UniqueConstraint("enrollment_id", "period_on"),
        CheckConstraint(
            f"revenue_cents >= 0 AND revenue_cents <= {MAX_REVENUE_CENTS}", name="revenue_range"
        ),
        CheckConstraint(
            f"raised_cents >= 0 AND raised_cents <= {MAX_RAISED_CENTS}", name="raised_range"
        ),
        CheckConstraint(f"active_users >= 0 AND active_users <= {MAX_USERS}", name="users_range"),
        CheckConstraint(f"headcount >= 0 AND headcount <= {MAX_HEADCOUNT}", name="headcount_range"),
        CheckConstraint(f"pilots >= 0 AND pilots <= {MAX_PILOTS}", name="pilots_range"),
        CheckConstraint("length(currency) = 3", name="currency_iso_code"),
        CheckConstraint(
            "(commented_at IS NULL) = (commented_by_id IS NULL)", name="comment_has_author"
        ),
        CheckConstraint(
            "(ask_state = 'none') = (ask_requested_at IS NULL)", name="ask_request_has_time"
        ),
    )

    @property
    def is_locked(self) -> bool:
        """Staff commented: the founder can no longer edit it."""
        return self.commented_at is not None

    @property
    def asked_mentor(self) -> bool:
        """Staff turned its ask into a mentor request."""
        return self.ask_state == AskState.MENTOR_REQUESTED


class SentReminder(db.Model):
    """One row per reminder ever queued; the unique key makes each reminder go out once."""

    __tablename__ = "sent_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
