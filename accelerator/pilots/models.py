"""Business units, their partners, introductions and pilots: the sponsor's side of the program.

A startup meets a business unit through an introduction (one open request per startup and unit,
a partial UNIQUE index); an accepted introduction may become one pilot. A pilot is scoped with
3 to 5 success criteria, an owner in the unit and a go/no-go decision date, runs, is decided
(go with a contract value, or no-go with a reason) and closed with lessons, or stopped. The
database holds what must never be broken: a pilot past scoping has its owner and decision
date, a decided pilot its decision, dates in order, money in non-negative integer cents.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.applications.models import Startup
    from accelerator.auth.models import User
    from accelerator.programs.models import Cohort, Program

MIN_CRITERIA, MAX_CRITERIA = 3, 5


class BusinessUnit(db.Model):
    """A unit of the sponsor group (Orange Business, Orange Bank...) that startups pilot with."""

    __tablename__ = "business_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: The name folded for comparison (core.text.name_key): one unit of a name per program.
    name_key: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    sponsor_name: Mapped[str] = mapped_column(String(120))
    sponsor_title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The program staff member who follows the unit's pilots (reminders go to them).
    staff_lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship(lazy="raise")
    staff_lead: Mapped[User | None] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("program_id", "name_key", name="uq_business_units_program_name"),
        CheckConstraint("length(country) = 2", name="country_code"),
    )


class BusinessUnitPartner(db.Model):
    """A partner user's place in one business unit (a partner belongs to one unit)."""

    __tablename__ = "business_unit_partners"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    business_unit_id: Mapped[int] = mapped_column(ForeignKey("business_units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="raise")
    business_unit: Mapped[BusinessUnit] = relationship(lazy="raise")


class PartnerInvitation(db.Model):
    """The unit an invited partner joins when they accept their invitation (auth's)."""

    __tablename__ = "partner_invitations"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), primary_key=True)
    business_unit_id: Mapped[int] = mapped_column(ForeignKey("business_units.id"), index=True)


class PartnerProfile(db.Model):
    """What a startup shows business units: a one-liner, and whether its deck may be seen."""

    __tablename__ = "partner_profiles"

    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), primary_key=True)
    one_liner: Mapped[str] = mapped_column(String(160), default="", server_default="")
    share_deck: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Side(RichStrEnum):
    """Who asked for an introduction; the other side answers it once staff forward it."""

    STARTUP = "startup", _l("the startup")
    PARTNER = "partner", _l("the business unit")


class IntroductionStatus(RichStrEnum):
    __moves__ = {
        "requested": frozenset({"forwarded", "declined", "withdrawn"}),
        "forwarded": frozenset({"accepted", "declined", "withdrawn"}),
        "accepted": frozenset(),
        "declined": frozenset(),
        "withdrawn": frozenset(),
    }
    __refusals__ = {
        "requested": _l("Program staff have not forwarded this introduction yet."),
        "forwarded": _l("This introduction was already forwarded; it waits for an answer."),
        "accepted": _l("This introduction was already accepted."),
        "declined": _l("This introduction was declined; ask again if things have changed."),
        "withdrawn": _l("This introduction was withdrawn."),
    }

    REQUESTED = "requested", _l("Awaiting staff"), "text-bg-warning"
    FORWARDED = "forwarded", _l("Forwarded"), "text-bg-info"
    ACCEPTED = "accepted", _l("Accepted"), "text-bg-success"
    DECLINED = "declined", _l("Declined"), "text-bg-danger"
    WITHDRAWN = "withdrawn", _l("Withdrawn"), "text-bg-secondary"


#: An introduction still open: at most one per startup and unit (a partial UNIQUE index).
OPEN_INTRODUCTION = ("requested", "forwarded")
_OPEN_SQL = "status IN ('requested', 'forwarded')"


class Introduction(db.Model):
    """A request that a startup and a business unit meet, and its answer."""

    __tablename__ = "introductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    business_unit_id: Mapped[int] = mapped_column(ForeignKey("business_units.id"), index=True)
    #: The cohort the startup was in when it was asked (reports count per cohort).
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    asked_by_side: Mapped[Side] = mapped_column(enum_column(Side, "introduction_side"))
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[IntroductionStatus] = mapped_column(
        enum_column(IntroductionStatus, "introduction_status"),
        default=IntroductionStatus.REQUESTED,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Why staff or the other side declined, or why the asker withdrew.
    answer_note: Mapped[str | None] = mapped_column(Text)

    startup: Mapped[Startup] = relationship(lazy="raise")
    business_unit: Mapped[BusinessUnit] = relationship(lazy="raise")
    cohort: Mapped[Cohort] = relationship(lazy="raise")
    asked_by: Mapped[User | None] = relationship(foreign_keys=[asked_by_id], lazy="raise")
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id], lazy="raise")
    pilot: Mapped[Pilot | None] = relationship(back_populates="introduction", lazy="raise")

    __table_args__ = (
        Index(
            "uq_introductions_open_pair",
            "startup_id",
            "business_unit_id",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_introductions_unit_status", "business_unit_id", "status"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
        CheckConstraint(
            "status <> 'forwarded' OR forwarded_at IS NOT NULL", name="forwarded_has_time"
        ),
        CheckConstraint(
            "status NOT IN ('accepted', 'declined') OR answered_at IS NOT NULL",
            name="answered_has_time",
        ),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_INTRODUCTION

    @property
    def answering_side(self) -> Side:
        """The side that accepts or declines once forwarded: the one that did not ask."""
        return Side.PARTNER if self.asked_by_side == Side.STARTUP else Side.STARTUP


class PilotStatus(RichStrEnum):
    __moves__ = {
        "scoping": frozenset({"running", "stopped"}),
        "running": frozenset({"decided", "stopped"}),
        "decided": frozenset({"closed"}),
        "closed": frozenset(),
        "stopped": frozenset(),
    }
    __refusals__ = {
        "scoping": _l("This pilot is still being scoped: start it before deciding or closing."),
        "running": _l("This pilot is running: record its go/no-go decision first."),
        "decided": _l("This pilot is decided: only closing it with its lessons remains."),
        "closed": _l("This pilot is closed; nothing more can change."),
        "stopped": _l("This pilot was stopped; nothing more can change."),
    }

    SCOPING = "scoping", _l("Scoping"), "text-bg-light border"
    RUNNING = "running", _l("Running"), "text-bg-primary"
    DECIDED = "decided", _l("Decided"), "text-bg-info"
    CLOSED = "closed", _l("Closed"), "text-bg-dark"
    STOPPED = "stopped", _l("Stopped"), "text-bg-secondary"


class Decision(RichStrEnum):
    GO = "go", _l("Go"), "text-bg-success"
    NO_GO = "no_go", _l("No-go"), "text-bg-danger"


#: Pilots past scoping: they have their owner and decision date (a CHECK holds it).
UNDER_WAY = ("running", "decided", "closed")


class Pilot(db.Model):
    """A time-boxed trial of a startup's product with a business unit, ending in a decision."""

    __tablename__ = "pilots"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introductions.id"), unique=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    business_unit_id: Mapped[int] = mapped_column(ForeignKey("business_units.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    scope_in: Mapped[str] = mapped_column(Text, default="", server_default="")
    scope_out: Mapped[str] = mapped_column(Text, default="", server_default="")
    budget_cents: Mapped[int | None] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="EUR", server_default="EUR")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    decision_on: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: The founders let the unit's partners see their latest check-in figures on this pilot.
    kpis_shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    status: Mapped[PilotStatus] = mapped_column(
        enum_column(PilotStatus, "pilot_status"), default=PilotStatus.SCOPING
    )
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision, "pilot_decision"))
    contract_reference: Mapped[str | None] = mapped_column(String(120))
    contract_value_cents: Mapped[int | None] = mapped_column()
    no_go_reason: Mapped[str | None] = mapped_column(Text)
    lessons: Mapped[str | None] = mapped_column(Text)
    stop_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    introduction: Mapped[Introduction] = relationship(back_populates="pilot", lazy="raise")
    startup: Mapped[Startup] = relationship(lazy="raise")
    business_unit: Mapped[BusinessUnit] = relationship(lazy="raise")
    cohort: Mapped[Cohort] = relationship(lazy="raise")
    owner: Mapped[User | None] = relationship(lazy="raise")
    criteria: Mapped[list[PilotCriterion]] = relationship(
        back_populates="pilot", lazy="raise", order_by="PilotCriterion.position"
    )

    __table_args__ = (
        Index("ix_pilots_status_decision_on", "status", "decision_on"),
        CheckConstraint("length(title) > 0", name="title_given"),
        CheckConstraint("budget_cents IS NULL OR budget_cents >= 0", name="budget_not_negative"),
        CheckConstraint(
            "contract_value_cents IS NULL OR contract_value_cents >= 0",
            name="contract_value_not_negative",
        ),
        CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on", name="dates_in_order"
        ),
        CheckConstraint(
            "starts_on IS NULL OR decision_on IS NULL OR starts_on <= decision_on",
            name="decision_after_start",
        ),
        CheckConstraint(
            "status NOT IN ('running', 'decided', 'closed')"
            " OR (owner_id IS NOT NULL AND decision_on IS NOT NULL AND started_at IS NOT NULL)",
            name="under_way_has_owner_and_date",
        ),
        CheckConstraint(
            "(status IN ('decided', 'closed')) = (decision IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_has_decision",
        ),
        CheckConstraint(
            "decision IS NULL OR decision = 'no_go' OR contract_value_cents IS NOT NULL",
            name="go_has_contract_value",
        ),
        CheckConstraint(
            "decision IS NULL OR decision = 'go' OR length(no_go_reason) > 0",
            name="no_go_has_reason",
        ),
        CheckConstraint(
            "status <> 'closed' OR (closed_at IS NOT NULL AND length(lessons) > 0)",
            name="closed_has_lessons",
        ),
        CheckConstraint(
            "status <> 'stopped' OR (closed_at IS NOT NULL AND length(stop_reason) > 0)",
            name="stopped_has_reason",
        ),
    )

    @hybrid_method
    def overdue_on(self, today: date) -> bool:
        """Running past its decision date with no decision on `today` (the program's local
        date): "overdue for decision" is this and nothing else, in Python and in SQL."""
        return (
            self.status == PilotStatus.RUNNING
            and self.decision_on is not None
            and self.decision_on < today
        )

    @overdue_on.inplace.expression
    @classmethod
    def _overdue_on_expression(cls, today: date) -> ColumnElement[bool]:
        return and_(cls.status == PilotStatus.RUNNING.value, cls.decision_on < today)

    @property
    def is_finished(self) -> bool:
        return self.status in (PilotStatus.CLOSED, PilotStatus.STOPPED)


class PilotCriterion(db.Model):
    """One success criterion of a pilot: what is measured, the target, and later the result."""

    __tablename__ = "pilot_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    measure: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(200))
    actual: Mapped[str | None] = mapped_column(String(200))

    pilot: Mapped[Pilot] = relationship(back_populates="criteria", lazy="raise")

    __table_args__ = (
        UniqueConstraint("pilot_id", "position", name="uq_pilot_criteria_position"),
        CheckConstraint("length(measure) > 0", name="measure_given"),
        CheckConstraint("length(target) > 0", name="target_given"),
        CheckConstraint("position BETWEEN 1 AND 5", name="position_in_range"),
    )
