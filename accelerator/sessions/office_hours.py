"""Office hours: mentors publish slots, founders of a matched startup book them, once.

The one-booking rule is held by the database: booking is an UPDATE that only matches a slot
that is still free and still ahead, so of any number of simultaneous clicks exactly one changes
the row (PostgreSQL re-checks the condition after waiting for the winner's row lock; SQLite
serialises writers). A CHECK keeps startup, booker and time of a booking together.

A time is typed as wall time in the zone of the program the office hour is for: the program of
the startups the mentor follows (chosen on the form when they follow startups in several).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id, timezone_of
from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import (
    Conflict,
    DomainError,
    InvalidState,
    NotAllowed,
    ValidationFailed,
)
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import guarded, lock
from accelerator.core.timeutil import local_to_utc
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.queries import matched_startup_ids
from accelerator.programs.models import Program
from accelerator.sessions import notify
from accelerator.sessions.models import MAX_MINUTES, MentorSession, OfficeHourSlot
from accelerator.sessions.policies import can_cancel_booking
from accelerator.sessions.queries import mentor_programs

MAX_AHEAD = timedelta(days=366)
MAX_LOCATION = 300


def slot_program(mentor_id: int, program_id: int | None = None) -> Program | None:
    """The program a mentor's office hour is for, whose zone reads the typed time: the one
    chosen among the programs of the startups the mentor follows, or the only one; None (the
    default zone) for a mentor who follows no startup yet."""
    programs = mentor_programs(mentor_id)
    if program_id is not None:
        chosen = next((p for p in programs if p.id == program_id), None)
        if chosen is None:
            raise ValidationFailed(
                _("Choose one of the programs of your startups."), field="program"
            )
        return chosen
    if len(programs) > 1:
        raise ValidationFailed(
            _("Choose the program this office hour is for: the time is read in its timezone."),
            field="program",
        )
    return programs[0] if programs else None


def check_duration(minutes: int | None, *, field: str = "duration") -> int:
    if minutes is None:
        raise ValidationFailed(_("Enter a length in minutes."), field=field)
    if minutes <= 0:
        raise ValidationFailed(_("The length must be more than zero minutes."), field=field)
    if minutes > MAX_MINUTES:
        raise ValidationFailed(_("The length cannot be more than 12 hours."), field=field)
    return minutes


def check_location(location: str | None) -> str:
    location = (location or "").strip()
    if not location:
        raise ValidationFailed(_("Say where you meet: a place or a video link."), field="location")
    if len(location) > MAX_LOCATION:
        raise ValidationFailed(_("Keep the place under 300 characters."), field="location")
    if "://" in location and not location.lower().startswith(("https://", "http://")):
        raise ValidationFailed(_("A video link starts with https://."), field="location")
    return location


def _overlapping(mentor_id: int, starts_at: datetime, ends_at: datetime) -> OfficeHourSlot | None:
    nearby = db.session.scalars(
        select(OfficeHourSlot).where(
            OfficeHourSlot.mentor_id == mentor_id,
            OfficeHourSlot.starts_at < ends_at,
            OfficeHourSlot.starts_at > starts_at - timedelta(minutes=MAX_MINUTES),
        )
    )
    return next((slot for slot in nearby if slot.ends_at > starts_at), None)


def publish_slot(
    *,
    actor,
    starts_local: datetime | None,
    duration_minutes: int | None,
    location: str | None,
    program_id: int | None = None,
) -> OfficeHourSlot:
    """A mentor offers a time, typed as wall time in the zone of the program it is for."""
    if actor is None or actor.role != Role.MENTOR:
        raise NotAllowed(_("Only mentors publish office hours."))
    tz = timezone_of(slot_program(actor.id, program_id))
    if starts_local is None:
        raise ValidationFailed(_("Enter the date and time."), field="starts_on")
    starts_at = local_to_utc(starts_local.replace(tzinfo=None), tz)
    now = utcnow()
    if starts_at <= now:
        raise ValidationFailed(_("This time has already passed."), field="starts_on")
    if starts_at > now + MAX_AHEAD:
        raise ValidationFailed(
            _("Office hours can be published up to a year ahead."), field="starts_on"
        )
    minutes = check_duration(duration_minutes)
    location = check_location(location)
    lock(User, actor.id)  # one mentor's slots change one request at a time: no overlap
    ends_at = starts_at + timedelta(minutes=minutes)
    clash = _overlapping(actor.id, starts_at, ends_at)
    if clash is not None:
        raise Conflict(_("This time overlaps another of your office hours."), field="starts_on")
    slot = OfficeHourSlot(
        mentor_id=actor.id,
        starts_at=starts_at,
        duration_minutes=minutes,
        location=location,
        timezone=tz,
    )
    audit.record_new(
        "mentoring.slot_published",
        slot,
        actor=actor,
        data={"starts_at": starts_at.isoformat(), "minutes": minutes},
    )
    return slot


def bookable_startup_id(actor, slot: OfficeHourSlot) -> int:
    """The actor's startup that is matched with the slot's mentor, or a refusal."""
    if actor is None or actor.role != Role.FOUNDER:
        raise NotAllowed(_("Only founders book office hours."))
    startup_id = founder_startup_id(actor)
    if startup_id is None or startup_id not in matched_startup_ids(slot.mentor_id):
        raise NotAllowed(_("You can only book office hours with your startup's own mentors."))
    return startup_id


def book_slot(slot: OfficeHourSlot, *, actor) -> OfficeHourSlot:
    """Book a free slot for the actor's matched startup; simultaneous clicks: one wins."""
    startup_id = bookable_startup_id(actor, slot)
    now = utcnow()

    def taken() -> DomainError:
        db.session.expire(slot)
        fresh = db.session.get(OfficeHourSlot, slot.id)
        if fresh is not None and fresh.starts_at <= now:
            return InvalidState(_("This office hour has already started or passed."))
        return Conflict(_("Someone else booked this office hour a moment ago. Choose another."))

    guarded(
        update(OfficeHourSlot)
        .where(
            OfficeHourSlot.id == slot.id,
            OfficeHourSlot.startup_id.is_(None),
            OfficeHourSlot.starts_at > now,
        )
        .values(startup_id=startup_id, booked_by_id=actor.id, booked_at=now),
        taken,
        expire=slot,
    )
    slot = db.session.get(OfficeHourSlot, slot.id)
    audit.record("mentoring.slot_booked", slot, actor=actor, data={"startup_id": startup_id})
    notify.slot_event("booked", slot, actor=actor)
    db.session.flush()
    return slot


def cancel_booking(slot: OfficeHourSlot, *, actor) -> OfficeHourSlot:
    """Free a booked slot (mentor, a founder of the startup, or staff); both sides are told."""
    if not slot.is_booked:
        raise InvalidState(_("This office hour is not booked."))
    if not can_cancel_booking(actor, slot):
        raise NotAllowed(_("Only the mentor or the startup that booked it can cancel it."))
    if slot.starts_at <= utcnow():
        raise InvalidState(
            _("This office hour has already started; it can no longer be cancelled.")
        )
    if db.session.scalar(select(MentorSession.id).where(MentorSession.slot_id == slot.id)):
        raise InvalidState(_("A session was logged from this office hour; it stays booked."))
    startup_id, booker_id = slot.startup_id, slot.booked_by_id
    guarded(
        update(OfficeHourSlot)
        .where(OfficeHourSlot.id == slot.id, OfficeHourSlot.startup_id == startup_id)
        .values(startup_id=None, booked_by_id=None, booked_at=None),
        Conflict(_("This booking changed a moment ago. Reload the page.")),
    )
    startup = db.session.get(Startup, startup_id)
    db.session.expire(slot)
    slot = db.session.get(OfficeHourSlot, slot.id)
    audit.record(
        "mentoring.slot_cancelled",
        slot,
        actor=actor,
        data={"startup_id": startup_id, "booked_by_id": booker_id},
    )
    notify.slot_event("cancelled", slot, actor=actor, startup=startup)
    db.session.flush()
    return slot


def withdraw_slot(slot: OfficeHourSlot, *, actor) -> None:
    """A mentor takes back a slot nobody booked."""
    if actor is None or actor.id != slot.mentor_id:
        raise NotAllowed(_("Only the mentor who published it can remove this office hour."))
    slot_id, starts_at = slot.id, slot.starts_at
    guarded(
        delete(OfficeHourSlot).where(
            OfficeHourSlot.id == slot_id, OfficeHourSlot.startup_id.is_(None)
        ),
        InvalidState(_("This office hour is booked: cancel the booking first.")),
    )
    db.session.expunge(slot)
    audit.record(
        "mentoring.slot_withdrawn",
        None,
        actor=actor,
        data={"slot_id": slot_id, "starts_at": starts_at.isoformat()},
    )
