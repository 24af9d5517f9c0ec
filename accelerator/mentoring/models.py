"""Mentoring: mentor profiles, their conflicts, founders' preferences and mentor matches.

A pair (cohort, startup, mentor) exists at most once while it is alive (not declined or
removed): a partial unique index holds it on SQLite and PostgreSQL alike. Capacity and
conflicts are checked by the services under the cohort's row lock; the engine proposes only
pairs that respect them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db
from accelerator.programs.models import tag_link_table

if TYPE_CHECKING:
    from accelerator.applications.models import Startup
    from accelerator.auth.models import User
    from accelerator.programs.models import Cohort, ExpertiseTag

DEFAULT_MENTOR_CAPACITY = 2
MAX_MENTOR_CAPACITY = 20
MAX_PREFERENCES = 3

mentor_expertise = tag_link_table("mentor_expertise", "profile_id", "mentor_profiles.id")


class MentorProfile(db.Model):
    """What a mentor offers: expertise, industries, languages, and how many startups per cohort."""

    __tablename__ = "mentor_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation: Mapped[str] = mapped_column(String(120), default="", index=True)
    title: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    #: Free-text industries, e.g. ["Telecom", "Health"], compared casefolded.
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: ISO 639-1 codes, lower case, e.g. ["fr", "en"].
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(
        default=DEFAULT_MENTOR_CAPACITY, server_default=str(DEFAULT_MENTOR_CAPACITY)
    )
    available: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    availability_note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="raise")
    expertise: Mapped[list[ExpertiseTag]] = relationship(
        secondary=mentor_expertise, lazy="raise", order_by="ExpertiseTag.name"
    )

    __table_args__ = (
        CheckConstraint(f"capacity BETWEEN 0 AND {MAX_MENTOR_CAPACITY}", name="capacity_in_range"),
    )


class MentorConflict(db.Model):
    """A startup a mentor must not be matched with (invests in, advises, competes with)."""

    __tablename__ = "mentor_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    startup_id: Mapped[int] = mapped_column(
        ForeignKey("startups.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentor: Mapped[User] = relationship(lazy="raise")
    startup: Mapped[Startup] = relationship(lazy="raise")

    __table_args__ = (UniqueConstraint("mentor_id", "startup_id"),)


class MentorPreference(db.Model):
    """A founder's wish: this mentor for our startup in this cohort, ranked 1 (first) to 3."""

    __tablename__ = "mentor_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    startup_id: Mapped[int] = mapped_column(
        ForeignKey("startups.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentor: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("cohort_id", "startup_id", "mentor_id"),
        UniqueConstraint("cohort_id", "startup_id", "rank"),
        CheckConstraint(f"rank BETWEEN 1 AND {MAX_PREFERENCES}", name="rank_in_range"),
    )


class MatchStatus(RichStrEnum):
    __labels__ = {
        "proposed": _l("Proposed"),
        "confirmed": _l("Confirmed"),
        "accepted": _l("Accepted"),
        "declined": _l("Declined"),
        "removed": _l("Removed"),
    }
    __badges__ = {
        "proposed": "text-bg-info",
        "confirmed": "text-bg-primary",
        "accepted": "text-bg-success",
        "declined": "text-bg-warning",
        "removed": "text-bg-secondary",
    }

    PROPOSED = "proposed"  # by the engine or by hand; staff may still change it
    CONFIRMED = "confirmed"  # staff confirmed; the mentor is notified
    ACCEPTED = "accepted"  # the mentor accepted
    DECLINED = "declined"  # the mentor declined; the slot is free again
    REMOVED = "removed"  # staff removed it

    @property
    def is_alive(self) -> bool:
        return self not in (MatchStatus.DECLINED, MatchStatus.REMOVED)


#: What each status may become; services refuse anything else.
MATCH_TRANSITIONS: dict[MatchStatus, frozenset[MatchStatus]] = {
    MatchStatus.PROPOSED: frozenset({MatchStatus.CONFIRMED, MatchStatus.REMOVED}),
    MatchStatus.CONFIRMED: frozenset(
        {MatchStatus.ACCEPTED, MatchStatus.DECLINED, MatchStatus.REMOVED}
    ),
    MatchStatus.ACCEPTED: frozenset({MatchStatus.REMOVED}),
    MatchStatus.DECLINED: frozenset(),
    MatchStatus.REMOVED: frozenset(),
}

#: A pair in one of these states no longer holds a slot (and is never proposed again).
ENDED = (MatchStatus.DECLINED, MatchStatus.REMOVED)

_ALIVE_SQL = "status NOT IN ('declined', 'removed')"


class Match(db.Model):
    """A mentor paired with a startup for a cohort, with the score and why it was proposed."""

    __tablename__ = "mentor_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[MatchStatus] = mapped_column(
        enum_column(MatchStatus, "match_status"), default=MatchStatus.PROPOSED
    )
    score: Mapped[float] = mapped_column(Float, default=0.0)
    #: Why: {"tags": [...], "industries": [...], "languages": [...], "preference": rank|None,
    #: "by_hand": bool, "terms": {"tags": x, "industry": y, "language": z, "preference": w}}.
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(String(500))

    cohort: Mapped[Cohort] = relationship(lazy="raise")
    startup: Mapped[Startup] = relationship(lazy="raise")
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="raise")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="raise")

    __table_args__ = (
        Index(
            "uq_mentor_matches_alive_pair",
            "cohort_id",
            "startup_id",
            "mentor_id",
            unique=True,
            sqlite_where=text(_ALIVE_SQL),
            postgresql_where=text(_ALIVE_SQL),
        ),
        CheckConstraint("score >= 0", name="score_not_negative"),
        CheckConstraint(
            "status NOT IN ('confirmed', 'accepted', 'declined') OR confirmed_at IS NOT NULL",
            name="confirmed_has_time",
        ),
        CheckConstraint(
            "status NOT IN ('accepted', 'declined') OR responded_at IS NOT NULL",
            name="responded_has_time",
        ),
    )
