"""Sessions: office hours, mentoring sessions, their action items and ratings, and calendar
feed tokens.

A pair is a Match (the mentoring domain): a session belongs to one and repeats its mentor and
startup, so visibility and engagement read one table without joins. Rules the data must obey
live in the database: a slot is booked by a guarded UPDATE (one booking, whatever the clicks),
a booked slot names its startup, booker and time together, a session is logged from a slot at
most once, a red flag has a reason, a rating is 1..5 once per founder and session, and a user
has at most one live calendar token.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
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
    from accelerator.auth.models import User
    from accelerator.programs.models import ExpertiseTag

MAX_MINUTES = 12 * 60


class SessionFormat(RichStrEnum):
    """How a mentor and a startup met."""

    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"

    __labels__ = {"in_person": _l("In person"), "video": _l("Video call"), "phone": _l("Phone")}


class ItemOwner(RichStrEnum):
    """Who does an action item: the startup or the mentor."""

    STARTUP = "startup"
    MENTOR = "mentor"

    __labels__ = {"startup": _l("Startup"), "mentor": _l("Mentor")}


class SessionState(RichStrEnum):
    """A session logged by a founder waits for the mentor; one logged by the mentor does not."""

    PENDING = "pending"
    CONFIRMED = "confirmed"

    __labels__ = {
        "pending": _l("Awaiting the mentor's confirmation"),
        "confirmed": _l("Confirmed"),
    }
    __badges__ = {"pending": "text-bg-warning", "confirmed": "text-bg-success"}


class OfficeHourSlot(db.Model):
    """A time a mentor offers; a founder of a matched startup books it, once."""

    __tablename__ = "office_hour_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column()
    #: A place ("Orange Gardens, room 4.12") or a video link.
    location: Mapped[str] = mapped_column(String(300))
    #: The timezone the mentor typed the time in (the program's), for showing it back.
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("startups.id"), index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="raise")
    booked_by: Mapped[User | None] = relationship(foreign_keys=[booked_by_id], lazy="raise")

    __table_args__ = (
        CheckConstraint(
            f"duration_minutes > 0 AND duration_minutes <= {MAX_MINUTES}",
            name="slot_duration_range",
        ),
        CheckConstraint(
            "(startup_id IS NULL) = (booked_by_id IS NULL)"
            " AND (startup_id IS NULL) = (booked_at IS NULL)",
            name="slot_booking_complete",
        ),
        UniqueConstraint("mentor_id", "starts_at", name="uq_slot_mentor_start"),
    )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_booked(self) -> bool:
        return self.startup_id is not None

    @property
    def is_video(self) -> bool:
        return self.location.startswith(("https://", "http://"))


mentor_session_topics = tag_link_table("mentor_session_topics", "session_id", "mentor_sessions.id")


class MentorSession(db.Model):
    """A meeting of a mentor and a matched startup, with notes at two levels of visibility."""

    __tablename__ = "mentor_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("mentor_matches.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("office_hour_slots.id"), unique=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column()
    format: Mapped[SessionFormat] = mapped_column(enum_column(SessionFormat, "session_format"))
    #: Mentor and staff only.
    private_notes: Mapped[str] = mapped_column(Text, default="")
    #: Shared with the startup's founders.
    summary: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[SessionState] = mapped_column(
        enum_column(SessionState, "session_state"), default=SessionState.CONFIRMED
    )
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    red_flag_reason: Mapped[str | None] = mapped_column(Text)
    red_flag_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    red_flag_resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    red_flag_resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    red_flag_resolution: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="raise")
    logged_by: Mapped[User] = relationship(foreign_keys=[logged_by_id], lazy="raise")
    topics: Mapped[list[ExpertiseTag]] = relationship(
        secondary=mentor_session_topics, lazy="raise", order_by="ExpertiseTag.name"
    )
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="session",
        lazy="raise",
        foreign_keys="ActionItem.session_id",
        order_by="ActionItem.id",
    )

    __table_args__ = (
        CheckConstraint(
            f"duration_minutes > 0 AND duration_minutes <= {MAX_MINUTES}",
            name="session_duration_range",
        ),
        CheckConstraint(
            "(state = 'confirmed') = (confirmed_at IS NOT NULL)", name="session_confirmed_at"
        ),
        CheckConstraint(
            "(red_flag_at IS NULL) = (red_flag_reason IS NULL)", name="red_flag_has_reason"
        ),
        CheckConstraint(
            "red_flag_resolved_at IS NULL OR red_flag_at IS NOT NULL",
            name="red_flag_resolved_after_raised",
        ),
        CheckConstraint(
            "(red_flag_resolved_at IS NULL) = (red_flag_resolved_by_id IS NULL)",
            name="red_flag_resolved_by",
        ),
        Index("ix_mentor_sessions_pair_start", "mentor_id", "startup_id", "starts_at"),
        # The at-risk rule and the staff pages look for open red flags.
        Index(
            "ix_mentor_sessions_open_flags",
            "startup_id",
            sqlite_where=text("red_flag_at IS NOT NULL AND red_flag_resolved_at IS NULL"),
            postgresql_where=text("red_flag_at IS NOT NULL AND red_flag_resolved_at IS NULL"),
        ),
    )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def has_open_red_flag(self) -> bool:
        return self.red_flag_at is not None and self.red_flag_resolved_at is None

    @property
    def is_pending(self) -> bool:
        return self.state == SessionState.PENDING


class ActionItem(db.Model):
    """Something to do after a session; open items of a pair carry to its next session."""

    __tablename__ = "mentor_action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mentor_sessions.id"), index=True)
    # The pair, repeated from the session, so a pair's open items are one indexed read.
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"))
    text: Mapped[str] = mapped_column(String(500))
    owner: Mapped[ItemOwner] = mapped_column(enum_column(ItemOwner, "action_item_owner"))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The later session in which it was ticked off, when it was.
    done_in_session_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_sessions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[MentorSession] = relationship(
        back_populates="action_items", foreign_keys=[session_id], lazy="raise"
    )

    __table_args__ = (
        CheckConstraint("length(text) > 0", name="action_item_text"),
        CheckConstraint("(done_at IS NULL) = (done_by_id IS NULL)", name="action_item_done_by"),
        Index("ix_mentor_action_items_pair_open", "mentor_id", "startup_id", "done_at"),
    )

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class SessionRating(db.Model):
    """A founder's rating of a session (1 to 5), for staff eyes only."""

    __tablename__ = "mentor_session_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mentor_sessions.id"), index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    score: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rater: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="rating_score_range"),
        UniqueConstraint("session_id", "rater_id", name="uq_rating_session_rater"),
    )


class CalendarToken(db.Model):
    """A private calendar feed address; only its hash is kept, and revoking ends it for good."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # At most one live token per user.
        Index(
            "uq_calendar_tokens_live_user",
            "user_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )
