"""Reads of the pilots domain shared by pages, panels, reports and other domains, each a fixed
number of statements: a partner's unit, the units' partners, the startups partners may see,
introductions and pilots with what their rows show, and pilots overdue for decision."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import g, has_request_context
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.queries import timezone_of
from accelerator.auth.models import Role, User
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.milestones.models import CheckIn
from accelerator.pilots.models import (
    OPEN_INTRODUCTION,
    BusinessUnit,
    BusinessUnitPartner,
    Introduction,
    Pilot,
    PilotStatus,
)
from accelerator.pilots.outcomes import (  # noqa: F401  (the report's figures, read by reports)
    Outcome,
    PilotOutcomes,
    pilot_outcomes,
)
from accelerator.programs.models import Cohort, Enrollment


def partner_unit_id(user) -> int | None:
    """The business unit a partner belongs to (None for anyone else); asked once a request."""
    if getattr(user, "role", None) != Role.PARTNER or getattr(user, "id", None) is None:
        return None
    cache = g.setdefault("_partner_units", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = db.session.scalar(
            select(BusinessUnitPartner.business_unit_id).where(
                BusinessUnitPartner.user_id == user.id
            )
        )
    return cache[user.id]


def forget_partner_unit(user_id: int) -> None:
    if has_request_context():
        g.setdefault("_partner_units", {}).pop(user_id, None)


def partner_ids(business_unit_id: int) -> set[int]:
    """The active partners of a unit."""
    return set(
        db.session.scalars(
            select(BusinessUnitPartner.user_id)
            .join(User, User.id == BusinessUnitPartner.user_id)
            .where(BusinessUnitPartner.business_unit_id == business_unit_id, User.active)
        )
    )


def partners_of(business_unit_id: int) -> list[User]:
    """A unit's partners, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(BusinessUnitPartner, BusinessUnitPartner.user_id == User.id)
            .where(BusinessUnitPartner.business_unit_id == business_unit_id)
            .order_by(User.name, User.id)
        )
    )


def partner_emails(business_unit_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(User.email)
            .join(BusinessUnitPartner, BusinessUnitPartner.user_id == User.id)
            .where(BusinessUnitPartner.business_unit_id == business_unit_id, User.active)
            .order_by(User.email)
        )
    )


def introduction_cohort_id(startup_id: int, program_id: int) -> int | None:
    """The cohort of `program_id` the startup is (or was last) enrolled in."""
    return db.session.scalar(
        select(Cohort.id)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.startup_id == startup_id, Cohort.program_id == program_id)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        .limit(1)
    )


def local_today_of(pilot: Pilot, now: datetime | None = None) -> date:
    """Today in the pilot's program's timezone."""
    return local_today(timezone_of(pilot), now)


def visible_cohorts_statement(today: date) -> Select:
    """Cohorts whose startups partners may see: running and completed ones."""
    return select(Cohort.id).where(Cohort.starts_on <= today)


def startup_visible_to_partners(startup_id: int, today: date | None = None) -> bool:
    """Whether the startup is in a running or completed cohort (partners see its profile)."""
    today = today or (utcnow() + timedelta(hours=14)).date()
    return (
        db.session.scalar(
            select(Enrollment.id)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Enrollment.startup_id == startup_id, Cohort.starts_on <= today)
            .limit(1)
        )
        is not None
    )


def open_introduction(startup_id: int, business_unit_id: int) -> Introduction | None:
    return db.session.scalar(
        select(Introduction).where(
            Introduction.startup_id == startup_id,
            Introduction.business_unit_id == business_unit_id,
            Introduction.status.in_(OPEN_INTRODUCTION),
        )
    )


def overdue_pilots_statement(today: date) -> Select:
    """Pilots running past their decision date on `today` (a day's margin is the caller's:
    each program has its own today)."""
    return select(Pilot).where(Pilot.overdue_on(today))


def overdue_by_startup(startup_ids, today: date) -> dict[int, list[tuple[Pilot, str]]]:
    """Each startup's pilots overdue for decision with their unit's name, in one statement."""
    rows = db.session.execute(
        select(Pilot, BusinessUnit.name)
        .join(BusinessUnit, BusinessUnit.id == Pilot.business_unit_id)
        .where(Pilot.startup_id.in_(list(startup_ids)), Pilot.overdue_on(today))
        .order_by(Pilot.decision_on, Pilot.id)
    ).all()
    found: dict[int, list[tuple[Pilot, str]]] = {}
    for pilot, unit_name in rows:
        found.setdefault(pilot.startup_id, []).append((pilot, unit_name))
    return found


def pilot_counts(startup_id: int, cohort_id: int | None = None) -> int:
    """How many pilots a startup has under way or done (running, decided, closed): the
    check-in's "pilots with business units" figure."""
    statement = (
        select(func.count())
        .select_from(Pilot)
        .where(
            Pilot.startup_id == startup_id,
            Pilot.status.in_(
                [PilotStatus.RUNNING.value, PilotStatus.DECIDED.value, PilotStatus.CLOSED.value]
            ),
        )
    )
    if cohort_id is not None:
        statement = statement.where(Pilot.cohort_id == cohort_id)
    return int(db.session.scalar(statement) or 0)


def unit_names() -> dict[int, str]:
    return dict(db.session.execute(select(BusinessUnit.id, BusinessUnit.name)).tuples().all())


def units_statement(program_id: int | None = None) -> Select:
    statement = select(BusinessUnit).order_by(BusinessUnit.name_key, BusinessUnit.id)
    if program_id is not None:
        statement = statement.where(BusinessUnit.program_id == program_id)
    return statement


# --- The pilot page (pilot_views) ------------------------------------------------------------


def pilot_for_page(pilot_id: int) -> Pilot | None:
    """A pilot with what its page shows (startup, unit, cohort and program, owner, criteria),
    read afresh: two statements."""
    return db.session.scalar(
        select(Pilot)
        .options(
            joinedload(Pilot.startup),
            joinedload(Pilot.business_unit),
            joinedload(Pilot.cohort).joinedload(Cohort.program),
            joinedload(Pilot.owner),
            selectinload(Pilot.criteria),
        )
        .where(Pilot.id == pilot_id)
        .execution_options(populate_existing=True)
    )


def latest_checkin(startup_id: int) -> CheckIn | None:
    """The startup's latest check-in, in any of its cohorts (the figures a pilot may share)."""
    return db.session.scalar(
        select(CheckIn)
        .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
        .where(Enrollment.startup_id == startup_id)
        .order_by(CheckIn.period_on.desc(), CheckIn.id.desc())
        .limit(1)
    )
