"""The demo data of the follow-up of a demo day: who arrived at the door, the introductions
guests asked for and those staff made (seed_data/demoday_followup.json, Season 11).

`seed_followup(demo_day, spec, echo)` acts on one demo day whose guests are already seeded
(the guests' seed is another part's): guests are found by e-mail and startups by name, and
what is not found is skipped silently. Every act goes through the services under `clock_at`:
arrivals on the event's evening, asks in the hours and days after, introductions days later;
never later than now, and nothing for a demo day still to come. Idempotent: a guest already
arrived, an ask already there and an introduction already recorded are left as they are.
The mail the introductions queue is dropped (history is not news).
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from accelerator.auth.models import Role, User
from accelerator.core.mail import mail_dropped
from accelerator.core.timeutil import local_to_utc, to_local
from accelerator.core.types import clock_at, utcnow
from accelerator.demoday import door, interest
from accelerator.demoday.models import DemoDay, Guest, Interest, Rsvp
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import cohort_timezone

SEED_FILE = "demoday_followup.json"
#: The first guest comes this long before the first pitch, the last this long after it.
DOORS_OPEN = timedelta(minutes=40)
LAST_ARRIVAL = timedelta(minutes=20)


def load(seed_dir: Path, echo) -> int:
    """Seed the follow-up of every demo day the file names that exists (its cohort found by
    program and name); the demo-day seed calls this after seeding the guests."""
    path = seed_dir / SEED_FILE
    if not path.exists():
        return 0
    created = 0
    for spec in json.loads(path.read_text(encoding="utf-8"))["cohorts"]:
        demo_day = db.session.scalar(
            select(DemoDay)
            .join(Cohort, Cohort.id == DemoDay.cohort_id)
            .join(Program, Program.id == Cohort.program_id)
            .where(Program.name == spec["program"], Cohort.name == spec["cohort"])
        )
        if demo_day is not None:
            created += seed_followup(demo_day, spec, echo)
    return created


def _staff(spec: dict) -> User | None:
    wanted = spec.get("staff")
    if wanted:
        user = db.session.scalar(select(User).where(User.email == wanted.lower()))
        if user is not None and user.is_staff:
            return user
    return db.session.scalar(
        select(User)
        .where(User.role.in_([Role.STAFF, Role.ADMIN]), User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def _at(moment: datetime, now: datetime):
    return clock_at(min(moment, now - timedelta(minutes=1)))


def seed_followup(demo_day: DemoDay, spec: dict, echo) -> int:
    """Arrivals, asks and introductions of `demo_day` as `spec` tells; returns how many acts
    were recorded (0 on a second run)."""
    now = utcnow()
    if demo_day.starts_at > now:
        return 0
    staff = _staff(spec)
    if staff is None:
        echo("  demo day follow-up: program staff are needed; nothing seeded.")
        return 0
    guests = {
        guest.email: guest
        for guest in db.session.scalars(select(Guest).where(Guest.demo_day_id == demo_day.id))
    }
    created = 0
    with mail_dropped():
        created += _arrivals(demo_day, spec, guests, staff, now)
        created += _interests(demo_day, spec, guests, staff, now)
    db.session.flush()
    if created:
        echo(f"  demo day follow-up: {created} arrivals, asks and introductions.")
    return created


def _arrivals(demo_day, spec, guests: dict[str, Guest], staff, now) -> int:
    """Every guest who said yes arrives, but those `absent`; the `walk_ins` come too."""
    absent = {email.lower() for email in spec.get("absent", [])}
    coming = sorted(
        (g for g in guests.values() if g.rsvp == Rsvp.YES and g.email not in absent),
        key=door.name_order,
    )
    coming += [guests[e.lower()] for e in spec.get("walk_ins", []) if e.lower() in guests]
    window = DOORS_OPEN + LAST_ARRIVAL
    # The door opens on the event's day in its timezone (door.check_in_open): an event that
    # starts just after midnight there has its early arrivals at midnight, not the day before.
    tz = cohort_timezone(demo_day.cohort_id)
    midnight = local_to_utc(datetime.combine(to_local(demo_day.starts_at, tz).date(), time()), tz)
    created = 0
    for index, guest in enumerate(coming):
        if guest.checked_in_at is not None:
            continue
        moment = demo_day.starts_at - DOORS_OPEN + window * index / max(len(coming), 1)
        moment = max(moment, midnight)
        with _at(moment.replace(microsecond=0), now):
            _guest, checked_in = door.check_in(demo_day, guest.id, actor=staff)
        created += checked_in
    return created


def _interests(demo_day, spec, guests: dict[str, Guest], staff, now) -> int:
    pitched = {p.name: p for p in interest.pitched_startups(demo_day.id)}
    created = 0
    for item in spec.get("interests", []):
        guest = guests.get(item["guest"].lower())
        startup = pitched.get(item["startup"])
        if guest is None or startup is None:
            continue
        asked_at = demo_day.starts_at + timedelta(hours=item.get("hours_after", 1))
        found = db.session.scalar(
            select(Interest).where(
                Interest.guest_id == guest.id, Interest.startup_id == startup.startup_id
            )
        )
        if found is None and asked_at < now:
            with _at(asked_at, now):
                interest.interest_open(demo_day)
                created += interest.ask(
                    guest,
                    demo_day,
                    startup.startup_id,
                    note=item.get("note", ""),
                    name=startup.name,
                )
            found = db.session.scalar(
                select(Interest).where(
                    Interest.guest_id == guest.id, Interest.startup_id == startup.startup_id
                )
            )
        introduced = item.get("introduced")
        if found is None or not introduced or found.introduced_at is not None:
            continue
        made_at = asked_at + timedelta(days=introduced.get("days_after", 2))
        if made_at < now:
            with _at(made_at, now):
                interest.record_introduction(found, actor=staff, note=introduced.get("note", ""))
            created += 1
    return created
