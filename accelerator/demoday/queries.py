"""Reads of the demoday domain shared by its pages and by other domains."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select

from accelerator.applications.models import Application, Startup
from accelerator.core.timeutil import to_local
from accelerator.demoday.models import DemoDay, Slot
from accelerator.extensions import db
from accelerator.pilots.models import PartnerProfile
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.programs.queries import cohort_timezone


@dataclass(frozen=True)
class Line:
    """One line of the running order with its times: a startup's pitch or a break."""

    slot: Slot
    startup: Startup | None
    one_liner: str
    starts_at: datetime
    ends_at: datetime

    @property
    def is_break(self) -> bool:
        return self.slot.startup_id is None

    @property
    def title(self) -> str:
        return self.slot.break_title if self.startup is None else self.startup.name

    @property
    def has_deck(self) -> bool:
        return self.slot.deck_file_id is not None

    @property
    def materials_missing(self) -> list[str]:
        """What the startup has still to give: "deck", "pitch" (nothing for a break)."""
        if self.is_break:
            return []
        return [
            name
            for name, given in (("deck", self.has_deck), ("pitch", self.slot.pitch))
            if not given
        ]


def timed(rows, *, starts_at: datetime, pitch_minutes: int, changeover_minutes: int) -> list[Line]:
    """The running order's times (pure): lines follow each other from `starts_at`; a pitch lasts
    `pitch_minutes`, a break its own minutes; between two pitches one changeover (a break
    takes its place: none before or after a break). `rows`: (slot, startup, one_liner) in order.
    """
    lines: list[Line] = []
    at = starts_at
    previous_pitch = False
    for slot, startup, one_liner in rows:
        is_pitch = slot.startup_id is not None
        if is_pitch and previous_pitch:
            at += timedelta(minutes=changeover_minutes)
        length = pitch_minutes if is_pitch else slot.break_minutes or 0
        lines.append(Line(slot, startup, one_liner or "", at, at + timedelta(minutes=length)))
        at += timedelta(minutes=length)
        previous_pitch = is_pitch
    return lines


def running_order(demo_day: DemoDay) -> list[Line]:
    """The demo day's lines in order with their start and end (one statement). A startup's
    one-liner is the one it shows business units (pilots), else its application's."""
    one_liner = func.coalesce(func.nullif(PartnerProfile.one_liner, ""), Application.one_liner)
    rows = db.session.execute(
        select(Slot, Startup, one_liner)
        .outerjoin(Startup, Startup.id == Slot.startup_id)
        .outerjoin(PartnerProfile, PartnerProfile.startup_id == Slot.startup_id)
        .outerjoin(
            Enrollment,
            (Enrollment.startup_id == Slot.startup_id)
            & (Enrollment.cohort_id == demo_day.cohort_id),
        )
        .outerjoin(Application, Application.id == Enrollment.application_id)
        .where(Slot.demo_day_id == demo_day.id)
        .order_by(Slot.position, Slot.id)
    ).all()
    return timed(
        rows,
        starts_at=demo_day.starts_at,
        pitch_minutes=demo_day.pitch_minutes,
        changeover_minutes=demo_day.changeover_minutes,
    )


def ends_at(demo_day: DemoDay, lines: list[Line]) -> datetime:
    return lines[-1].ends_at if lines else demo_day.starts_at


def of_cohort(cohort_id: int) -> DemoDay | None:
    return db.session.scalar(select(DemoDay).where(DemoDay.cohort_id == cohort_id))


def demo_day_date(cohort: Cohort) -> date | None:
    """`hooks.demo_day` (name "demoday", ahead of milestones): the day of the cohort's demo day
    in its program's timezone, or None when none is planned."""
    starts_at = db.session.scalar(select(DemoDay.starts_at).where(DemoDay.cohort_id == cohort.id))
    if starts_at is None:
        return None
    return to_local(starts_at, cohort_timezone(cohort.id)).date()


@dataclass(frozen=True)
class ListRow:
    demo_day: DemoDay
    cohort_name: str
    program_name: str
    timezone: str
    startups: int


def list_statement() -> Select:
    """The staff list: every demo day with its cohort and program, soonest last-planned first
    (one statement per page, the slot count a subquery)."""
    startups = (
        select(func.count(Slot.id))
        .where(Slot.demo_day_id == DemoDay.id, Slot.startup_id.is_not(None))
        .correlate(DemoDay)
        .scalar_subquery()
    )
    return (
        select(DemoDay, Cohort.name, Program.name, Program.timezone, startups)
        .join(Cohort, Cohort.id == DemoDay.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .order_by(DemoDay.starts_at.desc(), DemoDay.id.desc())
    )


def count_statement() -> Select:
    return select(func.count(DemoDay.id))


def startup_slot(startup_id: int) -> tuple[DemoDay, Slot] | None:
    """The startup's slot on its latest demo day, with the demo day (one statement)."""
    row = db.session.execute(
        select(DemoDay, Slot)
        .join(Slot, Slot.demo_day_id == DemoDay.id)
        .where(Slot.startup_id == startup_id)
        .order_by(DemoDay.starts_at.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def line_of(lines: list[Line], slot_id: int) -> Line | None:
    return next((line for line in lines if line.slot.id == slot_id), None)
