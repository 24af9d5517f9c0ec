"""Programs, their cohorts (each one call for applications), expertise tags and enrollments."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.cache import changes_at
from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:  # the relationship points up a layer; only the type checker follows it
    from accelerator.applications.models import Startup

DEFAULT_CAPACITY = 6
DEFAULT_GRANT_CENTS = 2_000_000  # $20,000
DEFAULT_CURRENCY = "USD"
DEFAULT_PROGRAM_MONTHS = 3
DEFAULT_MENTORS_PER_STARTUP = 2
MAX_MENTORS_PER_STARTUP = 10
DEFAULT_TRANCHE_PLAN: list[dict[str, Any]] = [
    {"key": "kickoff", "name": "Kickoff", "percent": 50},
    {"key": "midpoint", "name": "Mid-program milestone", "percent": 25},
    {"key": "demo_day", "name": "Demo day", "percent": 25},
]
DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {"key": "team", "name": "Team", "weight": 25},
    {"key": "market", "name": "Market", "weight": 20},
    {"key": "product", "name": "Product", "weight": 20},
    {"key": "traction", "name": "Traction", "weight": 20},
    {"key": "fit", "name": "Fit with the company's business units", "weight": 15},
]


class Program(db.Model):
    """A standing accelerator program in one place, e.g. "Orange Fab France" in Paris."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    location: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohorts: Mapped[list[Cohort]] = relationship(
        back_populates="program", lazy="raise", order_by="Cohort.starts_on.desc()"
    )


class CohortState(enum.StrEnum):
    DRAFT = "draft"  # being prepared by staff; not public
    PUBLISHED = "published"  # public; its phase follows from its dates


class Phase(RichStrEnum):
    """Where a cohort stands, derived from its state and dates (never stored)."""

    DRAFT = "draft", _l("Draft"), "text-bg-secondary"
    # published, applications not open yet
    UPCOMING = "upcoming", _l("Upcoming"), "text-bg-info"
    OPEN = "open", _l("Open for applications"), "text-bg-success"
    # applications closed, program not started
    REVIEWING = "reviewing", _l("Reviewing"), "text-bg-warning"
    RUNNING = "running", _l("Running"), "text-bg-primary"
    COMPLETED = "completed", _l("Completed"), "text-bg-light border"


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


class Cohort(db.Model):
    """One intake of a program: its call for applications and the three months that follow."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[CohortState] = mapped_column(
        enum_column(CohortState, "cohort_state"), default=CohortState.DRAFT
    )
    applications_open_at: Mapped[datetime] = mapped_column(UTCDateTime)
    applications_close_at: Mapped[datetime] = mapped_column(UTCDateTime)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(default=DEFAULT_CAPACITY)
    grant_amount_cents: Mapped[int] = mapped_column(default=DEFAULT_GRANT_CENTS)
    currency: Mapped[str] = mapped_column(String(3), default=DEFAULT_CURRENCY)
    tranche_plan: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=lambda: [dict(t) for t in DEFAULT_TRANCHE_PLAN]
    )
    review_criteria: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=lambda: [dict(c) for c in DEFAULT_CRITERIA]
    )
    reviewers_per_application: Mapped[int] = mapped_column(default=3)
    confirmation_days: Mapped[int] = mapped_column(default=7)
    #: How many mentors matching gives each enrolled startup.
    mentors_per_startup: Mapped[int] = mapped_column(
        default=DEFAULT_MENTORS_PER_STARTUP, server_default=str(DEFAULT_MENTORS_PER_STARTUP)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship(back_populates="cohorts", lazy="raise")

    def phase_at(self, now: datetime | None = None) -> Phase:
        """The phase at `now` (by default the clock's now: a kept computation asking it is
        told when the phase next changes, core.cache.changes_at)."""
        phase, changes = self._phase_and_change(now or utcnow())
        if now is None:
            changes_at(changes)
        return phase

    def _phase_and_change(self, now: datetime) -> tuple[Phase, datetime | None]:
        """The phase at `now` and the moment it next changes by the clock (None: never). The
        calendar days are UTC's, as `programs.filters.phase_condition` reads them."""
        today = now.date()
        if self.state == CohortState.DRAFT:
            return Phase.DRAFT, None
        if now < self.applications_open_at:
            return Phase.UPCOMING, self.applications_open_at
        if now < self.applications_close_at:
            return Phase.OPEN, self.applications_close_at
        if today < self.starts_on:
            return Phase.REVIEWING, _utc_midnight(self.starts_on)
        if today <= self.ends_on:
            return Phase.RUNNING, _utc_midnight(self.ends_on + timedelta(days=1))
        return Phase.COMPLETED, None

    @property
    def phase(self) -> Phase:
        return self.phase_at()

    @property
    def is_open_for_applications(self) -> bool:
        return self.phase == Phase.OPEN

    __table_args__ = (
        UniqueConstraint("program_id", "name"),
        CheckConstraint("applications_close_at > applications_open_at", name="close_after_open"),
        CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("grant_amount_cents > 0", name="grant_positive"),
        CheckConstraint("reviewers_per_application >= 1", name="reviewers_positive"),
        CheckConstraint("confirmation_days >= 1", name="confirmation_days_positive"),
        CheckConstraint(
            f"mentors_per_startup BETWEEN 1 AND {MAX_MENTORS_PER_STARTUP}",
            name="mentors_per_startup_in_range",
        ),
        CheckConstraint("length(currency) = 3", name="currency_iso_code"),
        # The public calls page looks cohorts up by state and closing time.
        Index("ix_cohorts_state_close", "state", "applications_close_at"),
    )


class ExpertiseTag(db.Model):
    """A shared vocabulary: what startups need and what mentors offer."""

    __tablename__ = "expertise_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def tag_link_table(name: str, column: str, target: str) -> Table:
    """A table linking rows of another domain to expertise tags (a startup's needs, a mentor's
    expertise, a session's topics): `column` points at `target` ("startups.id"); the pair is
    the key, and a link goes when either end does. Whether a tag is in use is read from these
    links (`programs.services.tag_usage`)."""
    return Table(
        name,
        db.metadata,
        Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True),
        Column("tag_id", ForeignKey("expertise_tags.id", ondelete="CASCADE"), primary_key=True),
    )


class Enrollment(db.Model):
    """A startup's place in a cohort, created when it confirms its acceptance."""

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(lazy="raise")
    startup: Mapped[Startup] = relationship(lazy="raise")

    __table_args__ = (UniqueConstraint("cohort_id", "startup_id"),)
