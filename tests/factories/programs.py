"""Builders for programs, cohorts and expertise tags."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, ExpertiseTag, Phase, Program
from accelerator.programs.rules import CohortInput
from tests.factories.auth import unique

__all__ = ["make_program", "make_cohort", "make_tag", "make_enrollment", "cohort_input"]


def make_program(**fields) -> Program:
    fields.setdefault("name", unique("Program "))
    fields.setdefault("location", "Paris")
    fields.setdefault("timezone", "Europe/Paris")
    program = Program(**fields)
    db.session.add(program)
    db.session.flush()
    return program


def make_cohort(
    *, program: Program | None = None, phase: Phase | str = Phase.OPEN, **fields
) -> Cohort:
    """A published cohort whose dates put it in `phase` today (or a draft)."""
    phase = Phase(phase)
    now = utcnow()
    day = timedelta(days=1)
    opens, closes, starts = {
        Phase.DRAFT: (now + 10 * day, now + 40 * day, now + 60 * day),
        Phase.UPCOMING: (now + 10 * day, now + 40 * day, now + 60 * day),
        Phase.OPEN: (now - 10 * day, now + 20 * day, now + 40 * day),
        Phase.REVIEWING: (now - 40 * day, now - 10 * day, now + 20 * day),
        Phase.RUNNING: (now - 100 * day, now - 70 * day, now - 30 * day),
        Phase.COMPLETED: (now - 300 * day, now - 270 * day, now - 200 * day),
    }[phase]
    program = program or make_program()
    values = {
        "program_id": program.id,
        "name": unique("Cohort "),
        "state": CohortState.DRAFT if phase == Phase.DRAFT else CohortState.PUBLISHED,
        "applications_open_at": opens,
        "applications_close_at": closes,
        "starts_on": starts.date(),
        "ends_on": (starts + 91 * day).date(),
    }
    values.update(fields)
    cohort = Cohort(**values)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def make_tag(name: str | None = None) -> ExpertiseTag:
    tag = ExpertiseTag(name=name or unique("tag-"))
    db.session.add(tag)
    db.session.flush()
    return tag


def make_enrollment(*, cohort: Cohort | None = None, startup=None):
    """A startup enrolled in a cohort, through an accepted application (no grant)."""
    from accelerator.applications.models import ApplicationStatus
    from accelerator.programs.models import Enrollment
    from tests.factories.applications import make_application, make_startup

    cohort = cohort or make_cohort(phase=Phase.RUNNING)
    startup = startup or make_startup()
    application = make_application(
        cohort=cohort, startup=startup, status=ApplicationStatus.ENROLLED
    )
    enrollment = Enrollment(
        cohort_id=cohort.id, startup_id=startup.id, application_id=application.id
    )
    db.session.add(enrollment)
    db.session.flush()
    return enrollment


def cohort_input(**changes) -> CohortInput:
    """What the cohort form would post (Season 13, local times), with `changes` applied."""
    values = dict(
        name="Season 13",
        applications_open_at=datetime(2026, 3, 1, 9, 0),
        applications_close_at=datetime(2026, 4, 15, 18, 0),
        starts_on=date(2026, 5, 11),
    )
    values.update(changes)
    return CohortInput(**values)
