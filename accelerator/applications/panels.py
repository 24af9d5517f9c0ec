"""Home page panels: a founder's startup and applications; staff's latest applications."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Application, ApplicationStatus
from accelerator.applications.startups import startup_of
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort


def founder_panel(user):
    startup = startup_of(user)
    applications = []
    if startup is not None:
        applications = db.session.scalars(
            select(Application)
            .where(Application.startup_id == startup.id)
            .options(joinedload(Application.cohort).joinedload(Cohort.program))
            .order_by(Application.created_at.desc())
        ).all()
    return {"startup": startup, "applications": applications}


def staff_panel(user):
    since = utcnow() - timedelta(days=7)
    counts = dict(
        db.session.execute(
            select(Application.status, func.count())
            .where(Application.status != ApplicationStatus.DRAFT)
            .group_by(Application.status)
        ).all()
    )
    recent = db.session.scalar(
        select(func.count()).select_from(Application).where(Application.submitted_at >= since)
    )
    return {"counts": counts, "recent": recent}


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = ("applications", "startups", "startup_members", "cohorts", "programs")
