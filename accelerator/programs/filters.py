"""The staff filter every list shares: narrow rows to one program or one cohort.

In a view::

    program_id, cohort_id = selected_filter(request.args)
    statement = narrow(select(Application), Application.cohort_id, program_id, cohort_id)

and in the template, inside the list's GET form::

    {% include "programs/_cohort_filter.html" %}            (cohort select)
    {% set filter_program = true %}{% include ... %}       (program select too)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import and_, select
from wtforms import SelectChoice

from accelerator.core.types import utcnow
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, Phase, Program


def cohort_choices() -> list[SelectChoice]:
    """Every cohort as a select option, grouped by program (optgroup = the program's name),
    newest first; usable as a WTForms SelectField's choices or by the filter partial."""
    rows = db.session.execute(
        select(Cohort.id, Cohort.name, Program.name)
        .join(Program, Cohort.program_id == Program.id)
        .order_by(Program.name, Cohort.starts_on.desc(), Cohort.id.desc())
    )
    return [SelectChoice(str(cid), name, optgroup=program) for cid, name, program in rows]


def program_choices() -> list[SelectChoice]:
    rows = db.session.execute(select(Program.id, Program.name).order_by(Program.name))
    return [SelectChoice(str(pid), name) for pid, name in rows]


def _positive_int(value) -> int | None:
    number = bounded_int(value)
    return number if number and number < 2**31 else None  # ids here are 32-bit


def selected_filter(args: Mapping) -> tuple[int | None, int | None]:
    """(program_id, cohort_id) from query arguments `program` and `cohort`; junk is ignored."""
    return _positive_int(args.get("program")), _positive_int(args.get("cohort"))


def narrow(statement, cohort_column, program_id: int | None, cohort_id: int | None):
    """Restrict a select() whose rows carry `cohort_column` to one cohort and/or program."""
    if cohort_id is not None:
        statement = statement.where(cohort_column == cohort_id)
    if program_id is not None:
        in_program = select(Cohort.id).where(Cohort.program_id == program_id)
        statement = statement.where(cohort_column.in_(in_program))
    return statement


def phase_condition(phase: Phase, now: datetime | None = None):
    """A SQL condition selecting the cohorts in `phase`, mirroring Cohort.phase_at."""
    now = now or utcnow()
    today = now.date()
    published = Cohort.state == CohortState.PUBLISHED
    closed = and_(published, Cohort.applications_close_at <= now)
    return {
        Phase.DRAFT: Cohort.state == CohortState.DRAFT,
        Phase.UPCOMING: and_(published, Cohort.applications_open_at > now),
        Phase.OPEN: and_(
            published, Cohort.applications_open_at <= now, Cohort.applications_close_at > now
        ),
        Phase.REVIEWING: and_(closed, Cohort.starts_on > today),
        Phase.RUNNING: and_(closed, Cohort.starts_on <= today, Cohort.ends_on >= today),
        Phase.COMPLETED: and_(closed, Cohort.starts_on <= today, Cohort.ends_on < today),
    }[phase]
