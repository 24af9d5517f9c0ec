"""The demo-day report for staff: the answers (per answer and per kind of guest), attendance
(arrived of those coming, walk-ins) and interest per startup (asks, introductions made).

A fixed number of statements whatever the number of guests: one for the answers by kind,
one for attendance, one for the running order and one for the asks by startup.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.demoday.interest import pitched_startups
from accelerator.demoday.models import DemoDay, Guest, GuestKind, Interest, Rsvp
from accelerator.extensions import db


@dataclass(frozen=True)
class Attendance:
    coming: int  # guests who answered yes
    expected_people: int  # with their plus-ones
    arrived: int  # of those coming
    walk_ins: int  # checked in without having said yes

    @property
    def rate(self) -> int | None:
        """Arrived of coming, in whole percent (None when nobody said yes)."""
        return round(100 * self.arrived / self.coming) if self.coming else None


@dataclass(frozen=True)
class StartupLine:
    startup_id: int
    name: str
    asks: int
    introduced: int


@dataclass(frozen=True)
class Report:
    demo_day: DemoDay
    #: (kind, {rsvp: count}) for every kind, in the enums' order
    by_kind: list[tuple[GuestKind, dict[Rsvp, int]]]
    by_answer: dict[Rsvp, int]
    guests: int
    attendance: Attendance
    startups: list[StartupLine]

    @property
    def asks(self) -> int:
        return sum(line.asks for line in self.startups)

    @property
    def introduced(self) -> int:
        return sum(line.introduced for line in self.startups)


def build(demo_day: DemoDay) -> Report:
    """The report of `demo_day` (four statements)."""
    counts = {
        (GuestKind(kind), Rsvp(rsvp)): int(n)
        for kind, rsvp, n in db.session.execute(
            select(Guest.kind, Guest.rsvp, func.count())
            .where(Guest.demo_day_id == demo_day.id)
            .group_by(Guest.kind, Guest.rsvp)
        )
    }
    by_kind = [(kind, {rsvp: counts.get((kind, rsvp), 0) for rsvp in Rsvp}) for kind in GuestKind]
    by_answer = {rsvp: sum(counts.get((kind, rsvp), 0) for kind in GuestKind) for rsvp in Rsvp}

    coming = Guest.rsvp == Rsvp.YES
    arrived = Guest.checked_in_at.is_not(None)
    row = db.session.execute(
        select(
            func.count().filter(coming),
            func.coalesce(func.sum(Guest.seats).filter(coming), 0),
            func.count().filter(coming, arrived),
            func.count().filter(Guest.rsvp != Rsvp.YES, arrived),
        ).where(Guest.demo_day_id == demo_day.id)
    ).one()
    attendance = Attendance(*(int(value or 0) for value in row))

    asks = {
        startup_id: (name, int(n), int(introduced))
        for startup_id, name, n, introduced in db.session.execute(
            select(
                Interest.startup_id,
                Startup.name,
                func.count(),
                func.count(Interest.introduced_at),
            )
            .join(Guest, Guest.id == Interest.guest_id)
            .join(Startup, Startup.id == Interest.startup_id)
            .where(Guest.demo_day_id == demo_day.id)
            .group_by(Interest.startup_id, Startup.name)
        )
    }
    lines = []
    for pitched in pitched_startups(demo_day.id):
        _name, n, introduced = asks.pop(pitched.startup_id, (pitched.name, 0, 0))
        lines.append(StartupLine(pitched.startup_id, pitched.name, n, introduced))
    for startup_id, (name, n, introduced) in sorted(asks.items(), key=lambda i: i[1][0]):
        lines.append(StartupLine(startup_id, name, n, introduced))  # left the running order
    return Report(demo_day, by_kind, by_answer, sum(counts.values()), attendance, lines)
