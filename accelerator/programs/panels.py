"""Home page panels: staff see the cohorts in motion, founders see the open calls."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from accelerator.extensions import db
from accelerator.programs.filters import phase_condition
from accelerator.programs.models import Cohort, Phase

ACTIVE = (Phase.UPCOMING, Phase.OPEN, Phase.REVIEWING, Phase.RUNNING)


def staff_panel(user):
    cohorts = db.session.scalars(
        select(Cohort)
        .options(joinedload(Cohort.program))
        .where(or_(*(phase_condition(phase) for phase in (*ACTIVE, Phase.DRAFT))))
        .order_by(Cohort.starts_on, Cohort.id)
        .limit(12)
    ).all()
    return {"cohorts": cohorts}


def founder_panel(user):
    cohorts = db.session.scalars(
        select(Cohort)
        .options(joinedload(Cohort.program))
        .where(phase_condition(Phase.OPEN))
        .order_by(Cohort.applications_close_at)
        .limit(6)
    ).all()
    if not cohorts:
        return None
    return {"cohorts": cohorts}
