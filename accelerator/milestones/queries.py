"""Reads shared by the milestone pages and panels, each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Startup
from accelerator.core.risk import flags_for
from accelerator.extensions import db
from accelerator.milestones.models import (
    AskState,
    Cadence,
    CheckIn,
    Milestone,
    MilestoneStatus,
)
from accelerator.milestones.periods import (
    Period,
    all_periods,
    cadence_of,
    local_today,
    open_periods,
    period_containing,
)
from accelerator.programs.models import Cohort, Enrollment, Program


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
        return self.program.timezone

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
    return Progress(
        enrollment, cohort, program, startup, cadence_of(cohort.id), local_today(program.timezone)
    )


def founder_enrollments(user_id: int) -> list[int]:
    """A founder's enrollments, latest cohort first."""
    from accelerator.applications.models import StartupMember

    return list(
        db.session.scalars(
            select(Enrollment.id)
            .join(StartupMember, StartupMember.startup_id == Enrollment.startup_id)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(StartupMember.user_id == user_id)
            .order_by(Cohort.starts_on.desc())
        )
    )


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


def cohort_enrollments(cohort_id: int):
    """(enrollment, startup) of a cohort, by startup name."""
    return db.session.execute(
        select(Enrollment, Startup)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort_id)
        .order_by(Startup.name, Enrollment.id)
    ).all()


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
