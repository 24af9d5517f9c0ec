"""Reads the reports pages share: a startup's history, and the cohorts running today."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program


def history_statement(startup_id: int) -> Select:
    """The startup's audit events, newest first, with who did them."""
    return (
        select(AuditEvent)
        .where(AuditEvent.startup_id == startup_id)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )


def history_count_statement(startup_id: int) -> Select:
    return select(func.count(AuditEvent.id)).where(AuditEvent.startup_id == startup_id)


def running_cohorts(today: date):
    """(cohort, program name) of the cohorts running on `today`, ending first."""
    return db.session.execute(
        select(Cohort, Program.name)
        .join(Program, Program.id == Cohort.program_id)
        .where(Cohort.starts_on <= today, Cohort.ends_on >= today)
        .order_by(Cohort.ends_on)
    ).all()
