"""Home page panels: staff see the cohorts in motion, founders see the open calls."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from accelerator.core.cache import changes_at, keeping
from accelerator.core.types import utcnow
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
    """The open calls, the first to close first; kept (site.views) until one closes or the
    next one opens."""
    now = utcnow()
    cohorts = db.session.scalars(
        select(Cohort)
        .options(joinedload(Cohort.program))
        .where(phase_condition(Phase.OPEN, now))
        .order_by(Cohort.applications_close_at)
        .limit(6)
    ).all()
    if keeping():
        changes_at(min((c.applications_close_at for c in cohorts), default=None))
        changes_at(
            db.session.scalar(
                select(func.min(Cohort.applications_open_at)).where(
                    phase_condition(Phase.UPCOMING, now)
                )
            )
        )
    if not cohorts:
        return None
    return {"cohorts": cohorts}


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = ("cohorts", "programs", "enrollments", "startup_members")
