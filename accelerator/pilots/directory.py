"""The startups partners may see: the directory of running and completed cohorts' startups,
their one-liners, cohorts and shared decks."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Application, Startup
from accelerator.core.text import name_key
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.pilots.models import (
    PartnerProfile,
)
from accelerator.pilots.outcomes import (  # noqa: F401  (the report's figures, read by reports)
    Outcome,
    PilotOutcomes,
    pilot_outcomes,
)
from accelerator.programs.models import Cohort, Enrollment, Program

#: The startups the partners' directory shows a page.
DIRECTORY_PAGE = 24


def partner_today() -> date:
    """The date partners' visibility is judged on: the earliest zone's (as
    `startup_visible_to_partners`), so a cohort starting today anywhere is seen."""
    return (utcnow() + timedelta(hours=14)).date()


def _visible_startups(today: date) -> Select:
    return (
        select(Enrollment.startup_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.starts_on <= today)
    )


def directory_statements(
    *, q: str = "", sector: str = "", stage: str = "", today: date | None = None
) -> tuple[Select, Select]:
    """The startups partners may see (running and completed cohorts), by name, filtered by
    a part of the name (compared as names are: `core.text.name_key`), sector and stage; and
    the statement that counts them."""
    where = [Startup.id.in_(_visible_startups(today or partner_today()))]
    key = name_key(q)
    if key:
        where.append(Startup.name_key.contains(key, autoescape=True))
    if sector:
        where.append(Startup.sector == sector)
    if stage:
        where.append(Startup.stage == stage)
    rows = (
        select(Startup)
        .options(selectinload(Startup.needs))
        .where(*where)
        .order_by(Startup.name_key, Startup.id)
    )
    return rows, select(func.count()).select_from(Startup).where(*where)


def directory_sectors(today: date | None = None) -> list[str]:
    """The sectors of the startups partners may see, for the directory's filter."""
    return list(
        db.session.scalars(
            select(Startup.sector)
            .where(
                Startup.id.in_(_visible_startups(today or partner_today())),
                Startup.sector.is_not(None),
                Startup.sector != "",
            )
            .distinct()
            .order_by(Startup.sector)
        )
    )


def one_liners(startup_ids) -> dict[int, str]:
    """Each startup's one-liner for partners, in one statement."""
    ids = list(startup_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(PartnerProfile.startup_id, PartnerProfile.one_liner).where(
            PartnerProfile.startup_id.in_(ids), PartnerProfile.one_liner != ""
        )
    )
    return {startup_id: line for startup_id, line in rows}


def latest_cohorts(startup_ids, today: date | None = None) -> dict[int, tuple[str, str]]:
    """(cohort name, program name) of each startup's latest started cohort, in one
    statement."""
    ids = list(startup_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Enrollment.startup_id, Cohort.name, Program.name)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Enrollment.startup_id.in_(ids), Cohort.starts_on <= (today or partner_today()))
        .order_by(Cohort.starts_on, Cohort.id)
    )
    return {startup_id: (cohort, program) for startup_id, cohort, program in rows}


def enrolled_deck_id(startup_id: int) -> int | None:
    """The pitch deck (a StoredFile id) of the application that brought the startup into its
    latest cohort, if it has one."""
    return db.session.scalar(
        select(Application.pitch_deck_id)
        .join(Enrollment, Enrollment.application_id == Application.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.startup_id == startup_id, Application.pitch_deck_id.is_not(None))
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        .limit(1)
    )
