"""Builders for the demo-day domain: a demo day with its running order, a guest with a link."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from accelerator.core.types import utcnow
from accelerator.demoday import links
from accelerator.demoday.models import DemoDay, Guest, GuestKind, Rsvp, Slot
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Enrollment
from tests.factories.auth import unique

__all__ = ["make_demo_day", "make_guest"]


def make_demo_day(
    cohort: Cohort | None = None,
    *,
    starts_at: datetime | None = None,
    published: bool = False,
    **fields,
) -> DemoDay:
    """A demo day for `cohort` (a new running cohort by default), starting in 10 days unless
    told, with a slot per enrolled startup in enrollment order."""
    if cohort is None:
        from tests.factories.programs import make_cohort

        cohort = make_cohort(phase="running")
    now = utcnow()
    demo_day = DemoDay(
        cohort_id=cohort.id,
        starts_at=starts_at or (now + timedelta(days=10)).replace(microsecond=0),
        venue=fields.pop("venue", "Orange Gardens, Châtillon"),
        published_at=now if published else None,
        **fields,
    )
    db.session.add(demo_day)
    db.session.flush()
    startup_ids = db.session.scalars(
        select(Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(Enrollment.id)
    )
    for position, startup_id in enumerate(startup_ids):
        db.session.add(Slot(demo_day_id=demo_day.id, position=position, startup_id=startup_id))
    db.session.flush()
    return demo_day


def make_guest(
    demo_day: DemoDay,
    *,
    rsvp: Rsvp | str = Rsvp.INVITED,
    plus_ones: int = 0,
    name: str | None = None,
    email: str | None = None,
    **fields,
) -> tuple[Guest, str | None]:
    """A guest of `demo_day` and the clear token of their link (None when not invited).

    A guest answering yes holds their seats in `demo_day.seats_taken`, as the services do."""
    rsvp = Rsvp(rsvp)
    guest = Guest(
        demo_day_id=demo_day.id,
        name=name or unique("Guest "),
        email=(email or unique("guest") + "@fund.example.org").lower(),
        firm=fields.pop("firm", "Partech"),
        kind=fields.pop("kind", GuestKind.INVESTOR),
        **fields,
    )
    token = None
    if rsvp != Rsvp.NOT_INVITED:
        token = links.issue(guest, demo_day)
    guest.rsvp = rsvp
    if rsvp == Rsvp.YES:
        guest.plus_ones = plus_ones
        guest.seats = 1 + plus_ones
        demo_day.seats_taken += guest.seats
    if rsvp == Rsvp.WAITLISTED:
        guest.plus_ones = plus_ones
        guest.waitlisted_at = utcnow()
    if rsvp not in (Rsvp.NOT_INVITED, Rsvp.INVITED):
        guest.responded_at = utcnow()
    db.session.add(guest)
    db.session.flush()
    return guest, token
