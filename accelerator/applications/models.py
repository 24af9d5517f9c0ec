"""Startups, their founders, and their applications to cohorts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from accelerator.core.enums import RichStrEnum
from accelerator.core.text import name_key
from accelerator.core.tokens import SingleUseTokenMixin
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db
from accelerator.programs.models import tag_link_table

if TYPE_CHECKING:
    from accelerator.auth.models import User
    from accelerator.core.models import StoredFile
    from accelerator.programs.models import Cohort, ExpertiseTag


class Stage(RichStrEnum):
    IDEA = "idea", _l("Idea")
    PRE_SEED = "pre_seed", _l("Pre-seed")
    SEED = "seed", _l("Seed")
    SERIES_A = "series_a", _l("Series A")
    SERIES_B_PLUS = "series_b_plus", _l("Series B or later")


startup_needs = tag_link_table("startup_needs", "startup_id", "startups.id")


class Startup(db.Model):
    """A company that applies; its founders are users linked through StartupMember."""

    __tablename__ = "startups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    # name_key(name): how names are compared (casefold + NFKC), the same on both databases.
    name_key: Mapped[str] = mapped_column(String(120), index=True, default="", server_default="")
    legal_name: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    sector: Mapped[str | None] = mapped_column(String(80), index=True)
    stage: Mapped[Stage | None] = mapped_column(enum_column(Stage, "startup_stage"), index=True)
    founded_year: Mapped[int | None] = mapped_column()
    team_size: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(Text, default="")
    # Imported startups have no founder account yet: whom to contact.
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    source: Mapped[str] = mapped_column(String(20), default="web")  # web | import | seed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    members: Mapped[list[StartupMember]] = relationship(back_populates="startup", lazy="raise")
    needs: Mapped[list[ExpertiseTag]] = relationship(
        secondary=startup_needs, lazy="raise", order_by="ExpertiseTag.name"
    )

    __table_args__ = (
        CheckConstraint("team_size IS NULL OR team_size >= 1", name="team_size_positive"),
        CheckConstraint(
            "founded_year IS NULL OR founded_year BETWEEN 1900 AND 2100", name="founded_year_sane"
        ),
        CheckConstraint(
            "country IS NULL OR (length(country) = 2 AND country = upper(country))",
            name="country_iso_alpha2",
        ),
        CheckConstraint("source IN ('web', 'import', 'seed')", name="startup_source_known"),
        CheckConstraint("length(trim(name)) > 0", name="startup_name_not_blank"),
    )

    @validates("name")
    def _keep_name_key(self, _key, value: str) -> str:
        self.name_key = name_key(value)
        return value


class StartupMember(db.Model):
    """A founder of a startup. A founder account belongs to one startup."""

    __tablename__ = "startup_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(
        ForeignKey("startups.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str | None] = mapped_column(String(80))  # CEO, CTO, ...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    startup: Mapped[Startup] = relationship(back_populates="members", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


class ApplicationStatus(RichStrEnum):
    """Where an application stands; its label and badge are the one vocabulary for people."""

    DRAFT = "draft", _l("Draft"), "text-bg-secondary"
    SUBMITTED = "submitted", _l("Submitted"), "text-bg-primary"
    IN_REVIEW = "in_review", _l("In review"), "text-bg-info"
    SHORTLISTED = "shortlisted", _l("Shortlisted"), "text-bg-info"
    INTERVIEW = "interview", _l("Interview"), "text-bg-info"
    # offered a place; the startup must confirm before a deadline
    ACCEPTED = "accepted", _l("Accepted"), "text-bg-success"
    WAITLISTED = "waitlisted", _l("Waitlisted"), "text-bg-warning"
    REJECTED = "rejected", _l("Not selected"), "text-bg-dark"
    # by the startup, from any open state
    WITHDRAWN = "withdrawn", _l("Withdrawn"), "text-bg-light border"
    # confirmed: an Enrollment and its Grant exist
    ENROLLED = "enrolled", _l("Enrolled"), "text-bg-success"
    # the startup declined the offer or let the deadline pass
    DECLINED = "declined", _l("Declined"), "text-bg-light border"


S = ApplicationStatus
#: The only moves an application can make. Services refuse anything else.
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.REJECTED, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.SHORTLISTED, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    S.SHORTLISTED: frozenset(
        {S.IN_REVIEW, S.INTERVIEW, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}
    ),
    S.INTERVIEW: frozenset({S.SHORTLISTED, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.ENROLLED, S.DECLINED}),
    S.ENROLLED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.DECLINED: frozenset(),
}
#: States in which the startup can still withdraw (no decision yet).
OPEN_STATES = frozenset(s for s, targets in TRANSITIONS.items() if S.WITHDRAWN in targets)


def can_transition(current: ApplicationStatus, target: ApplicationStatus) -> bool:
    return target in TRANSITIONS[current]


class Application(db.Model):
    """One startup's application to one cohort. Answers may be incomplete while a draft."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "application_status"), default=ApplicationStatus.DRAFT
    )
    source: Mapped[str] = mapped_column(String(20), default="web")  # web | import | seed
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("application_imports.id", ondelete="SET NULL"), index=True
    )

    # Answers, section by section (nullable: drafts are saved incomplete).
    one_liner: Mapped[str | None] = mapped_column(String(200))
    problem: Mapped[str | None] = mapped_column(Text)
    solution: Mapped[str | None] = mapped_column(Text)
    traction: Mapped[str | None] = mapped_column(Text)
    monthly_revenue_cents: Mapped[int | None] = mapped_column(BigInteger)
    active_users: Mapped[int | None] = mapped_column(BigInteger)
    team: Mapped[str | None] = mapped_column(Text)
    funding_raised_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="USD")  # of the money answers
    program_goals: Mapped[str | None] = mapped_column(Text)
    business_unit_asks: Mapped[str | None] = mapped_column(Text)
    pitch_deck_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL")
    )

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship(lazy="raise")
    startup: Mapped[Startup] = relationship(lazy="raise")
    pitch_deck: Mapped[StoredFile | None] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("cohort_id", "startup_id"),
        Index("ix_applications_cohort_status", "cohort_id", "status"),
        CheckConstraint(
            "(status = 'draft') OR (submitted_at IS NOT NULL) OR (status = 'withdrawn')",
            name="submitted_has_time",
        ),
        CheckConstraint(
            "monthly_revenue_cents IS NULL OR monthly_revenue_cents >= 0",
            name="revenue_not_negative",
        ),
        CheckConstraint(
            "funding_raised_cents IS NULL OR funding_raised_cents >= 0", name="funding_not_negative"
        ),
        CheckConstraint("active_users IS NULL OR active_users >= 0", name="users_not_negative"),
        CheckConstraint("source IN ('web', 'import', 'seed')", name="application_source_known"),
        CheckConstraint(
            "(status = 'withdrawn') = (withdrawn_at IS NOT NULL)", name="withdrawn_has_time"
        ),
    )


# The staff list's default order (newest submission first, drafts last, id breaking ties), for
# all applications and within a cohort: a page is read from the index, never a sort of them all.
Index(
    "ix_applications_submitted_order",
    Application.submitted_at.desc().nulls_last(),
    Application.id.desc(),
)
Index(
    "ix_applications_cohort_submitted_order",
    Application.cohort_id,
    Application.submitted_at.desc().nulls_last(),
    Application.id.desc(),
)

#: Name search on PostgreSQL: a trigram index answers `lower(name) LIKE '%q%'` without reading
#: every startup. Kept out of the model metadata (SQLite has no trigram index; there the search
#: reads the table, which stays quick at the sizes SQLite serves) and out of `flask db check`.
TRIGRAM_INDEX = "ix_startups_name_trgm"
event.listen(
    Startup.__table__,
    "after_create",
    DDL(
        "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
        f" CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON startups"
        " USING gin (lower(name) gin_trgm_ops)"
    ).execute_if(dialect="postgresql"),
)


class StartupInvitation(SingleUseTokenMixin, db.Model):
    """A founder's single-use invitation for a co-founder; only the token's hash is stored."""

    __tablename__ = "startup_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(
        ForeignKey("startups.id", ondelete="CASCADE"), index=True
    )

    startup: Mapped[Startup] = relationship(lazy="raise")


class ImportState(enum.StrEnum):
    PENDING = "pending"  # uploaded, being mapped and checked
    IMPORTED = "imported"


class ApplicationImport(db.Model):
    """A CSV of applications gathered elsewhere, kept (as a StoredFile) from preview to import."""

    __tablename__ = "application_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    state: Mapped[ImportState] = mapped_column(
        enum_column(ImportState, "application_import_state"), default=ImportState.PENDING
    )
    encoding: Mapped[str] = mapped_column(String(20))
    row_count: Mapped[int] = mapped_column(default=0)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> CSV column
    imported_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship(lazy="raise")
    file: Mapped[StoredFile] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint(
            "(state = 'imported') = (imported_at IS NOT NULL)", name="imported_has_time"
        ),
        CheckConstraint(
            "row_count >= 0 AND imported_count >= 0 AND skipped_count >= 0",
            name="counts_not_negative",
        ),
    )
