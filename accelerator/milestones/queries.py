"""Reads shared by the milestone pages and panels, each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id, timezone_of
from accelerator.core.risk import flags_for
from accelerator.core.timeutil import local_today
from accelerator.extensions import db
from accelerator.milestones.models import (
    AskState,
    Cadence,
    CheckIn,
    Health,
    Milestone,
    MilestoneStatus,
)
from accelerator.milestones.periods import (
    Period,
    all_periods,
    cadence_of,
    open_periods,
    period_containing,
)
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.programs.queries import startup_enrollments


@dataclass
class Progress:
    """An enrollment with what surrounds it, and "today" in its program's timezone."""

    enrollment: Enrollment
    cohort: Cohort
    program: Program
    startup: Startup
    cadence: Cadence
    today: date

    @property
    def timezone(self) -> str:
        return timezone_of(self.program)

    @property
    def periods(self) -> list[Period]:
        return all_periods(self.cohort.starts_on, self.cohort.ends_on, self.cadence)

    @property
    def open_periods(self) -> list[Period]:
        return open_periods(self.cohort.starts_on, self.cohort.ends_on, self.cadence, self.today)

    @property
    def current_period(self) -> Period | None:
        return period_containing(
            self.cohort.starts_on, self.cohort.ends_on, self.cadence, self.today
        )


def progress_of(enrollment_id: int) -> Progress | None:
    row = db.session.execute(
        select(Enrollment, Cohort, Program, Startup)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Enrollment.id == enrollment_id)
    ).first()
    if row is None:
        return None
    enrollment, cohort, program, startup = row
    today = local_today(timezone_of(program))
    return Progress(enrollment, cohort, program, startup, cadence_of(cohort.id), today)


def founder_enrollments(user) -> list[int]:
    """The enrollments of the founder's startup, latest cohort first."""
    startup_id = founder_startup_id(user)
    if startup_id is None:
        return []
    return [e.id for e in startup_enrollments(startup_id)]  # kept for the request


def milestones_of(enrollment_ids: Iterable[int]) -> dict[int, list[Milestone]]:
    ids = list(enrollment_ids)
    found: dict[int, list[Milestone]] = defaultdict(list)
    if not ids:
        return found
    for milestone in db.session.scalars(
        select(Milestone)
        .where(Milestone.enrollment_id.in_(ids))
        .order_by(Milestone.enrollment_id, Milestone.due_on, Milestone.id)
    ):
        found[milestone.enrollment_id].append(milestone)
    return found


def checkins_of(enrollment_id: int) -> list[CheckIn]:
    """A startup's check-ins, oldest period first, with their authors."""
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.enrollment_id == enrollment_id)
            .options(selectinload(CheckIn.submitted_by), selectinload(CheckIn.commented_by))
            .order_by(CheckIn.period_on)
        )
    )


def reported_periods(
    enrollment_ids: Iterable[int], periods: Iterable[date] | None = None
) -> set[tuple[int, date]]:
    """(enrollment id, period) of each check-in sent, for these enrollments (and periods)."""
    statement = select(CheckIn.enrollment_id, CheckIn.period_on).where(
        CheckIn.enrollment_id.in_(list(enrollment_ids))
    )
    if periods is not None:
        statement = statement.where(CheckIn.period_on.in_(list(periods)))
    return {
        (enrollment_id, period_on) for enrollment_id, period_on in db.session.execute(statement)
    }


@dataclass(frozen=True)
class LatestCheckin:
    enrollment_id: int
    startup_id: int
    period_on: date
    health: Health


def latest_checkins(
    *, enrollment_ids: Iterable[int] | None = None, startup_ids: Iterable[int] | None = None
) -> list[LatestCheckin]:
    """The latest check-in of each enrollment asked for (or of each enrollment of the startups
    asked for), oldest period first, in one query."""
    latest = select(CheckIn.enrollment_id, func.max(CheckIn.period_on).label("period_on")).join(
        Enrollment, Enrollment.id == CheckIn.enrollment_id
    )
    if enrollment_ids is not None:
        latest = latest.where(Enrollment.id.in_(list(enrollment_ids)))
    if startup_ids is not None:
        latest = latest.where(Enrollment.startup_id.in_(list(startup_ids)))
    latest = latest.group_by(CheckIn.enrollment_id).subquery()
    rows = db.session.execute(
        select(Enrollment.id, Enrollment.startup_id, CheckIn.period_on, CheckIn.health)
        .join(CheckIn, CheckIn.enrollment_id == Enrollment.id)
        .join(
            latest,
            (latest.c.enrollment_id == CheckIn.enrollment_id)
            & (latest.c.period_on == CheckIn.period_on),
        )
        .order_by(CheckIn.period_on, Enrollment.id)
    )
    return [LatestCheckin(*row) for row in rows]


def startup_checkins(startup_id: int) -> list[tuple[str, CheckIn]]:
    """(cohort name, check-in) of every enrollment of the startup, oldest first."""
    return [
        (name, checkin)
        for name, checkin in db.session.execute(
            select(Cohort.name, CheckIn)
            .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Enrollment.startup_id == startup_id)
            .order_by(CheckIn.period_on, CheckIn.id)
        )
    ]


def checkins_for_period(enrollment_ids: Iterable[int], period_on: date) -> dict[int, CheckIn]:
    ids = list(enrollment_ids)
    if not ids:
        return {}
    return {
        c.enrollment_id: c
        for c in db.session.scalars(
            select(CheckIn).where(CheckIn.enrollment_id.in_(ids), CheckIn.period_on == period_on)
        )
    }


def enrolled_statement(cohort_id: int) -> Select:
    """(enrollment, startup) of a cohort, by startup name."""
    return (
        select(Enrollment, Startup)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort_id)
        .order_by(Startup.name, Enrollment.id)
    )


def enrolled_count_statement(cohort_id: int) -> Select:
    return select(func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort_id)


def cohort_enrollments(cohort_id: int):
    """(enrollment, startup) of a cohort, by startup name."""
    return db.session.execute(enrolled_statement(cohort_id)).all()


#: What the at-risk rules read (core.risk.flags_for asks every rule of core.hooks.risk_rules):
#: this domain's check-ins and milestones, pilots and their units, mentor sessions. Named, as a
#: page keeping the flags by data version (core.cache) must name them; by table name, since
#: this domain may not import the others' models.
RISK_READS = (
    "enrollments",
    "checkins",
    "milestones",
    "pilots",
    "business_units",
    "mentor_sessions",
)


def cohort_flags(cohort_id: int, startup_ids: Iterable[int]):
    return flags_for(cohort_id, list(startup_ids))


def mentor_requests(cohort_id: int) -> list[tuple[CheckIn, Startup]]:
    return list(
        db.session.execute(
            select(CheckIn, Startup)
            .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
            .join(Startup, Startup.id == Enrollment.startup_id)
            .where(Enrollment.cohort_id == cohort_id)
            .where(CheckIn.ask_state == AskState.MENTOR_REQUESTED)
            .order_by(CheckIn.ask_requested_at.desc())
            .limit(20)
        ).all()
    )


def to_review(limit: int = 8) -> tuple[list[tuple[Milestone, Startup]], int]:
    """Submitted milestones waiting for a staff review, oldest first, and how many in all."""
    base = (
        select(Milestone, Startup)
        .join(Enrollment, Enrollment.id == Milestone.enrollment_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Milestone.status == MilestoneStatus.SUBMITTED)
    )
    rows = db.session.execute(base.order_by(Milestone.submitted_at).limit(limit)).all()
    count = db.session.scalar(
        select(func.count(Milestone.id)).where(Milestone.status == MilestoneStatus.SUBMITTED)
    )
    return list(rows), count or 0


def cohorts_with_startups_statement() -> Select:
    """Cohorts that have enrolled startups, latest first, with their program."""
    return (
        select(Cohort)
        .options(selectinload(Cohort.program))
        .where(select(Enrollment.id).where(Enrollment.cohort_id == Cohort.id).exists())
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )


def running_cohorts(today: date) -> list[Cohort]:
    """Cohorts whose program runs today (by UTC date, a day's margin either side)."""
    from datetime import timedelta

    return list(
        db.session.scalars(
            select(Cohort)
            .options(selectinload(Cohort.program))
            .where(Cohort.starts_on <= today + timedelta(days=1))
            .where(Cohort.ends_on >= today - timedelta(days=1))
            .where(select(Enrollment.id).where(Enrollment.cohort_id == Cohort.id).exists())
            .order_by(Cohort.starts_on.desc())
            .limit(10)
        )
    )


def enrollments_of_startups(startup_ids) -> list[tuple[Enrollment, Cohort, Startup]]:
    """The enrollments of running or past cohorts of these startups (a mentor's home panel)."""
    ids = list(startup_ids)
    if not ids:
        return []
    return list(
        db.session.execute(
            select(Enrollment, Cohort, Startup)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .join(Startup, Startup.id == Enrollment.startup_id)
            .where(Enrollment.startup_id.in_(ids))
            .order_by(Cohort.starts_on.desc(), Startup.name)
            .limit(20)
        ).all()
    )


def demo_day_milestones(cohort_id: int) -> list[Milestone]:
    """The cohort's startups' Demo day milestones still waiting for the founders: the line that
    releases the demo-day tranche, or titled "Demo day" (as `plans.demo_day_due` finds it)."""
    from accelerator.milestones.plans import DEMO_DAY_TRANCHE

    milestones = db.session.scalars(
        select(Milestone)
        .join(Enrollment, Enrollment.id == Milestone.enrollment_id)
        .where(Enrollment.cohort_id == cohort_id, Milestone.still_due)
        .order_by(Milestone.id)
    )
    return [
        m
        for m in milestones
        if m.tranche_key == DEMO_DAY_TRANCHE or m.title.strip().casefold() == "demo day"
    ]
