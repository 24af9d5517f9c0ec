"""Alumni: what a cohort's startups became after the program.

When a cohort completes, each startup enrolled in it becomes an alumnus of that cohort
(`Alumnus`, made by the daily reminders run and idempotent). Its founders answer a short
survey 6, 12 and 24 months after the cohort's end (`Survey`, one per startup, cohort and
wave: the UNIQUE key makes sending idempotent). The answers build the startup's timeline
after the program and feed the impact report. A startup is listed on the public transparency
page only with its founders' consent (`Alumnus.listed_at`). Answers are seen by staff and the
startup only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.applications.models import Startup
    from accelerator.programs.models import Cohort

#: Months after the cohort's end at which founders are surveyed.
SURVEY_MONTHS = (6, 12, 24)
MAX_HEADCOUNT = 100_000
#: 100 billion in cents: more than any startup raises; a typo beyond is refused.
MAX_RAISED_CENTS = 10_000_000_000_000


class Alumnus(db.Model):
    """A startup that completed a cohort, and whether its founders agree to be listed publicly."""

    __tablename__ = "alumni"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    #: The cohort's last day (the surveys count from it).
    completed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Consent to be listed, with its outcomes, on the program's transparency page.
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    listed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    startup: Mapped[Startup] = relationship(lazy="raise")
    cohort: Mapped[Cohort] = relationship(lazy="raise")

    __table_args__ = (UniqueConstraint("startup_id", "cohort_id", name="uq_alumni_startup_cohort"),)


class RoundType(RichStrEnum):
    NONE = "none", _l("No new money")
    PRE_SEED = "pre_seed", _l("Pre-seed")
    SEED = "seed", _l("Seed")
    SERIES_A = "series_a", _l("Series A")
    SERIES_B = "series_b_plus", _l("Series B or later")
    GRANT = "grant", _l("Grant or subsidy")
    DEBT = "debt", _l("Loan or debt")
    OTHER = "other", _l("Other")


class RevenueBand(RichStrEnum):
    NONE = "none", _l("No revenue yet")
    UNDER_100K = "under_100k", _l("Under 100,000")
    UNDER_1M = "100k_1m", _l("100,000 to 1 million")
    UNDER_10M = "1m_10m", _l("1 to 10 million")
    OVER_10M = "over_10m", _l("Over 10 million")


class Outcome(RichStrEnum):
    OPERATING = "operating", _l("Operating"), "text-bg-success"
    ACQUIRED = "acquired", _l("Acquired"), "text-bg-info"
    CLOSED = "closed", _l("Closed"), "text-bg-dark"


class SurveyStatus(RichStrEnum):
    DUE = "due", _l("Awaiting answer"), "text-bg-warning"
    ANSWERED = "answered", _l("Answered"), "text-bg-success"


class Survey(db.Model):
    """One alumni survey wave (6, 12 or 24 months after the cohort's end) and its answers.

    Money is in integer cents of `currency` (the cohort's by default); contracts are those
    signed with the sponsor's business units since the program."""

    __tablename__ = "alumni_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumni.id", ondelete="CASCADE"))
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    months: Mapped[int] = mapped_column()
    due_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[SurveyStatus] = mapped_column(
        enum_column(SurveyStatus, "alumni_survey_status"), default=SurveyStatus.DUE
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The answers (None until answered)
    raised_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    round_type: Mapped[RoundType | None] = mapped_column(enum_column(RoundType, "alumni_round"))
    headcount: Mapped[int | None] = mapped_column()
    revenue_band: Mapped[RevenueBand | None] = mapped_column(
        enum_column(RevenueBand, "alumni_revenue_band")
    )
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "alumni_outcome"))
    contracts: Mapped[int | None] = mapped_column()
    contract_cents: Mapped[int | None] = mapped_column(BigInteger)
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")

    alumnus: Mapped[Alumnus] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("startup_id", "cohort_id", "months", name="uq_alumni_surveys_wave"),
        Index("ix_alumni_surveys_due", "status", "due_on"),
        CheckConstraint("months IN (6, 12, 24)", name="months_known"),
        CheckConstraint(
            f"raised_cents IS NULL OR raised_cents BETWEEN 0 AND {MAX_RAISED_CENTS}",
            name="raised_in_range",
        ),
        CheckConstraint(
            f"headcount IS NULL OR headcount BETWEEN 0 AND {MAX_HEADCOUNT}",
            name="headcount_in_range",
        ),
        CheckConstraint("contracts IS NULL OR contracts >= 0", name="contracts_not_negative"),
        CheckConstraint(
            f"contract_cents IS NULL OR contract_cents BETWEEN 0 AND {MAX_RAISED_CENTS}",
            name="contract_value_in_range",
        ),
        CheckConstraint(
            "status <> 'answered' OR (answered_at IS NOT NULL AND raised_cents IS NOT NULL"
            " AND headcount IS NOT NULL AND outcome IS NOT NULL AND revenue_band IS NOT NULL"
            " AND round_type IS NOT NULL AND contracts IS NOT NULL"
            " AND contract_cents IS NOT NULL)",
            name="answered_is_complete",
        ),
        CheckConstraint("length(currency) = 3", name="currency_iso_code"),
    )
