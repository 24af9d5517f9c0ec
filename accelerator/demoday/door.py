"""The door of a demo day: the printable list of the guests coming and the check-in staff do
on a phone as guests arrive.

Rules:
* the door list is the guests who answered yes (`Rsvp.YES`), sorted by name as a person reads
  it (`name_order`: casefolded, accents aside), with their firm, plus-ones and dietary needs;
* check-in opens on the event's day in the program's timezone (409 before), and stays open;
* a check-in is a guarded UPDATE (`checked_in_at IS NULL`): two taps, one check-in; the second
  is told when the guest arrived (not an error);
* a guest who did not say yes (no answer, maybe, no, waitlisted) may still be checked in by
  staff: a walk-in, recorded as such in the audit log and counted apart in the report; their
  answer and the seats count are left as they are (the capacity is the guests' part);
* a mistaken check-in is undone by staff (audited).
Search is by name or firm, ignoring case and accents (`core.text.loose_key`), in Python over
the demo day's guests (one statement: the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import InvalidState, NotFound
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import guarded
from accelerator.core.permissions import require_staff
from accelerator.core.text import loose_key, name_key
from accelerator.core.timeutil import format_dt, local_today, to_local
from accelerator.core.types import utcnow
from accelerator.demoday.models import DemoDay, Guest, Rsvp
from accelerator.extensions import db
from accelerator.programs.queries import cohort_timezone

#: The most guests a search shows on the phone page.
SEARCH_LIMIT = 30


@dataclass(frozen=True)
class DoorCounts:
    coming: int  # guests who answered yes
    people: int  # those guests and their plus-ones
    plus_ones: int
    dietary: int  # guests coming with dietary needs
    arrived: int  # guests coming who arrived
    walk_ins: int  # guests checked in without having said yes


@dataclass(frozen=True)
class DoorList:
    demo_day: DemoDay
    timezone: str
    guests: list[Guest]
    counts: DoorCounts


def name_order(guest: Guest) -> tuple:
    """How a person sorts names: casefolded, accents set aside ("émile" among the e's), the
    accented one after its plain twin."""
    return (loose_key(guest.name), name_key(guest.name), guest.id)


def counts(demo_day: DemoDay) -> DoorCounts:
    """The door's figures in one statement."""
    coming = Guest.rsvp == Rsvp.YES
    arrived = Guest.checked_in_at.is_not(None)
    row = db.session.execute(
        select(
            func.count().filter(coming),
            func.coalesce(func.sum(Guest.seats).filter(coming), 0),
            func.coalesce(func.sum(Guest.plus_ones).filter(coming), 0),
            func.count().filter(coming, Guest.dietary != ""),
            func.count().filter(coming, arrived),
            func.count().filter(Guest.rsvp != Rsvp.YES, arrived),
        ).where(Guest.demo_day_id == demo_day.id)
    ).one()
    return DoorCounts(*(int(value or 0) for value in row))


def door_list(demo_day: DemoDay) -> DoorList:
    """The guests coming, sorted by name, and the counts (two statements)."""
    guests = list(
        db.session.scalars(
            select(Guest).where(Guest.demo_day_id == demo_day.id, Guest.rsvp == Rsvp.YES)
        )
    )
    guests.sort(key=name_order)
    return DoorList(demo_day, cohort_timezone(demo_day.cohort_id), guests, counts(demo_day))


def search(demo_day: DemoDay, text: str | None) -> tuple[list[Guest], int]:
    """Guests of the demo day whose name or firm holds `text` (case and accents ignored),
    those coming first, then by name; all guests coming when `text` is empty. The first
    SEARCH_LIMIT of them, and how many matched."""
    wanted = loose_key(text)
    statement = select(Guest).where(Guest.demo_day_id == demo_day.id)
    if not wanted:
        statement = statement.where(Guest.rsvp == Rsvp.YES)
    found = [
        guest
        for guest in db.session.scalars(statement)
        if not wanted or wanted in loose_key(guest.name) or wanted in loose_key(guest.firm)
    ]
    found.sort(key=lambda g: (g.rsvp != Rsvp.YES, *name_order(g)))
    return found[:SEARCH_LIMIT], len(found)


def check_in_open(demo_day: DemoDay, *, now: datetime | None = None) -> None:
    """Refuse (409) before the event's day in the program's timezone."""
    tz = cohort_timezone(demo_day.cohort_id)
    now = now or utcnow()
    if local_today(tz, now) < to_local(demo_day.starts_at, tz).date():
        raise InvalidState(
            _(
                "Check-in opens on the day of the event, %(date)s.",
                date=format_dt(demo_day.starts_at, tz, "date"),
            )
        )


def _guest_of(demo_day: DemoDay, guest_id: int) -> Guest:
    guest = db.session.get(Guest, guest_id)
    if guest is None or guest.demo_day_id != demo_day.id:
        raise NotFound(_("No such guest at this demo day."))
    return guest


def arrived_at_text(guest: Guest, demo_day: DemoDay) -> str:
    """When the guest arrived, as the door reads it (HH:MM in the program's timezone)."""
    return format_dt(guest.checked_in_at, cohort_timezone(demo_day.cohort_id), "%H:%M")


def check_in(demo_day: DemoDay, guest_id: int, *, actor: User) -> tuple[Guest, bool]:
    """Mark the guest arrived; returns the guest and whether this tap checked them in (False:
    they had already arrived, nothing changed). A guest who did not say yes is a walk-in."""
    require_staff(actor)
    check_in_open(demo_day)
    guest = _guest_of(demo_day, guest_id)
    now = utcnow()
    result = db.session.execute(
        update(Guest)
        .where(Guest.id == guest.id, Guest.checked_in_at.is_(None))
        .values(checked_in_at=now, checked_in_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(guest, ["checked_in_at", "checked_in_by_id"])
    if result.rowcount != 1:
        return guest, False
    walk_in = guest.rsvp != Rsvp.YES
    audit.record(
        "demoday.guest_arrived",
        guest,
        actor=actor,
        data={
            "demo_day_id": demo_day.id,
            "guest": guest.name,
            "walk_in": walk_in,
            "rsvp": guest.rsvp.value,
        },
    )
    db.session.flush()
    return guest, True


def undo_check_in(demo_day: DemoDay, guest_id: int, *, actor: User) -> Guest:
    """Undo a mistaken check-in (409 when the guest is not checked in)."""
    require_staff(actor)
    guest = _guest_of(demo_day, guest_id)
    was = guest.checked_in_at
    guarded(
        update(Guest)
        .where(Guest.id == guest.id, Guest.checked_in_at.is_not(None))
        .values(checked_in_at=None, checked_in_by_id=None),
        lambda: InvalidState(_("%(name)s is not checked in.", name=guest.name)),
        expire=guest,
        attributes=["checked_in_at", "checked_in_by_id"],
    )
    audit.record(
        "demoday.guest_arrival_undone",
        guest,
        actor=actor,
        data={
            "demo_day_id": demo_day.id,
            "guest": guest.name,
            "was": was.isoformat() if was else None,
        },
    )
    db.session.flush()
    return guest
