"""Demo day: the event that ends a cohort, its running order, its guests and what follows.

A cohort has at most one demo day: when and where it happens (a time in the program's zone),
the running order (a slot per startup, with its one-paragraph pitch and final deck, and the
breaks staff insert), and whether it is published on its public page. Guests are people
without accounts: each has a personal RSVP link (the token hashed at rest, revocable, expiring
the day after the event). The database holds the capacity: `seats_taken` never exceeds
`capacity` (a CHECK), moved by a guarded UPDATE, so two last answers cannot both get the last
seat; a guest who does not fit waits in order (`waitlisted_at`) and is promoted when seats free
up. After the event a guest may ask for introductions to startups (`Interest`); staff record
the introductions made.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.applications.models import Startup
    from accelerator.programs.models import Cohort

DEFAULT_PITCH_MINUTES = 5
DEFAULT_CHANGEOVER_MINUTES = 2
DEFAULT_CAPACITY = 120
DEFAULT_PLUS_ONES = 1
MAX_PLUS_ONES = 5
PITCH_MAX_CHARS = 1200


class DemoDay(db.Model):
    """A cohort's demo day: when, where, how long each pitch, how many seats."""

    __tablename__ = "demo_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), unique=True)
    #: When the first pitch starts (typed and shown in the program's timezone).
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str] = mapped_column(String(300), default="", server_default="")
    online_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    #: Shown on the public page and in the invitation: the welcome, the agenda around pitches.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    pitch_minutes: Mapped[int] = mapped_column(default=DEFAULT_PITCH_MINUTES)
    #: Between two pitches (questions, the next team on stage).
    changeover_minutes: Mapped[int] = mapped_column(default=DEFAULT_CHANGEOVER_MINUTES)
    #: Seats for guests, their plus-ones included.
    capacity: Mapped[int] = mapped_column(default=DEFAULT_CAPACITY)
    #: Seats held by guests who answered yes: moved only by a guarded UPDATE (services).
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    plus_ones_max: Mapped[int] = mapped_column(default=DEFAULT_PLUS_ONES)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    cohort: Mapped[Cohort] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("pitch_minutes BETWEEN 1 AND 60", name="pitch_minutes_in_range"),
        CheckConstraint("changeover_minutes BETWEEN 0 AND 60", name="changeover_in_range"),
        CheckConstraint("capacity BETWEEN 1 AND 100000", name="capacity_in_range"),
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        CheckConstraint(f"plus_ones_max BETWEEN 0 AND {MAX_PLUS_ONES}", name="plus_ones_in_range"),
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Slot(db.Model):
    """One line of the running order: a startup's pitch (with its pitch text and final deck)
    or a break of some minutes. Times follow from the order (`queries.running_order`)."""

    __tablename__ = "demo_day_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    demo_day_id: Mapped[int] = mapped_column(ForeignKey("demo_days.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("startups.id"), index=True)
    #: A break's length and title (a pitch has none).
    break_minutes: Mapped[int | None] = mapped_column()
    break_title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    #: The startup's one paragraph for the programme and the public page.
    pitch: Mapped[str] = mapped_column(Text, default="", server_default="")
    deck_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    materials_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    materials_updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    startup: Mapped[Startup | None] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("demo_day_id", "startup_id", name="uq_demo_day_slots_startup"),
        Index("ix_demo_day_slots_order", "demo_day_id", "position"),
        CheckConstraint(
            "(startup_id IS NOT NULL AND break_minutes IS NULL)"
            " OR (startup_id IS NULL AND break_minutes BETWEEN 1 AND 240)",
            name="pitch_or_break",
        ),
        CheckConstraint("position >= 0", name="position_not_negative"),
        CheckConstraint(f"length(pitch) <= {PITCH_MAX_CHARS}", name="pitch_length"),
    )


class GuestKind(RichStrEnum):
    INVESTOR = "investor", _l("Investor")
    PRESS = "press", _l("Press")
    EXECUTIVE = "executive", _l("Sponsor executive")
    OTHER = "other", _l("Other guest")


class Rsvp(RichStrEnum):
    """A guest's answer; its label and colour everywhere. A guest may change it until the
    event starts."""

    NOT_INVITED = "not_invited", _l("Not invited yet"), "text-bg-light border"
    INVITED = "invited", _l("No answer yet"), "text-bg-secondary"
    YES = "yes", _l("Coming"), "text-bg-success"
    MAYBE = "maybe", _l("Maybe"), "text-bg-info"
    NO = "no", _l("Not coming"), "text-bg-dark"
    WAITLISTED = "waitlisted", _l("On the waitlist"), "text-bg-warning"


class Guest(db.Model):
    """A person invited to a demo day (investor, press, sponsor executive); never signs in.

    Their personal link is `token_hash` (SHA-256 of the mailed token): it opens the RSVP page
    until `expires_at` (the day after the event), unless revoked."""

    __tablename__ = "demo_day_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    demo_day_id: Mapped[int] = mapped_column(ForeignKey("demo_days.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    #: Lower-cased; one guest per address and demo day.
    email: Mapped[str] = mapped_column(String(254))
    firm: Mapped[str] = mapped_column(String(160), default="", server_default="")
    kind: Mapped[GuestKind] = mapped_column(
        enum_column(GuestKind, "guest_kind"), default=GuestKind.INVESTOR
    )
    #: The guest's language for mail and their pages ("en", "fr").
    locale: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The personal link
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: One click in a mail's List-Unsubscribe: no more reminders or news (the RSVP stands).
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The answer
    rsvp: Mapped[Rsvp] = mapped_column(enum_column(Rsvp, "guest_rsvp"), default=Rsvp.NOT_INVITED)
    plus_ones: Mapped[int] = mapped_column(default=0, server_default="0")
    dietary: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Seats this guest holds in `DemoDay.seats_taken` (1 + plus-ones when coming, else 0).
    seats: Mapped[int] = mapped_column(default=0, server_default="0")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the guest joined the waitlist: promotion goes in this order.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        UniqueConstraint("demo_day_id", "email", name="uq_demo_day_guests_email"),
        Index("ix_demo_day_guests_rsvp", "demo_day_id", "rsvp", "waitlisted_at"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("length(name) > 0", name="name_given"),
        CheckConstraint(f"plus_ones BETWEEN 0 AND {MAX_PLUS_ONES}", name="plus_ones_in_range"),
        CheckConstraint(
            "(rsvp = 'yes' AND seats = 1 + plus_ones) OR (rsvp <> 'yes' AND seats = 0)",
            name="seats_match_answer",
        ),
        CheckConstraint(
            "(rsvp = 'waitlisted') = (waitlisted_at IS NOT NULL)", name="waitlist_has_time"
        ),
        CheckConstraint("rsvp = 'not_invited' OR token_hash IS NOT NULL", name="invited_has_link"),
    )


class Interest(db.Model):
    """A guest's "I'd like an introduction" to a startup after the event, and the
    introduction staff record once made."""

    __tablename__ = "demo_day_interests"

    id: Mapped[int] = mapped_column(primary_key=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("demo_day_guests.id", ondelete="CASCADE"))
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    introduced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    introduced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    introduction_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    guest: Mapped[Guest] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("guest_id", "startup_id", name="uq_demo_day_interests_pair"),
    )
