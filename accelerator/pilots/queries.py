"""Reads of the pilots domain shared by pages, panels, reports and other domains, each a fixed
number of statements: a partner's unit, the units' partners, the startups partners may see,
introductions and pilots with what their rows show, and pilots overdue for decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import g, has_request_context
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.queries import timezone_of
from accelerator.auth.models import Role, User
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.milestones.models import CheckIn
from accelerator.pilots.board import (
    BoardFilters,
    PilotCard,
    board_columns,
    introduction_list,
    introduction_rows,
    overdue_condition,
    pilot_cards,
    pilot_list,
)
from accelerator.pilots.models import (
    OPEN_INTRODUCTION,
    BusinessUnit,
    BusinessUnitPartner,
    Introduction,
    IntroductionStatus,
    PartnerProfile,
    Pilot,
    PilotStatus,
    Side,
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


def partner_unit(user) -> BusinessUnit | None:
    """The partner's business unit itself: with its id in one statement when the request has
    not asked `partner_unit_id` yet (the id is then kept for the request as it keeps it)."""
    if getattr(user, "role", None) != Role.PARTNER or getattr(user, "id", None) is None:
        return None
    cache = g.setdefault("_partner_units", {}) if has_request_context() else {}
    if user.id in cache:
        unit_id = cache[user.id]
        return db.session.get(BusinessUnit, unit_id) if unit_id is not None else None
    unit = db.session.scalar(
        select(BusinessUnit)
        .join(BusinessUnitPartner, BusinessUnitPartner.business_unit_id == BusinessUnit.id)
        .where(BusinessUnitPartner.user_id == user.id)
    )
    cache[user.id] = unit.id if unit is not None else None
    return unit


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


# --- Introduction pages, the founder's and the partner's side (views, founder/partner_views) --

#: The rows each card of a founder's or a partner's home lists; the rest are counted.
HOME_CARD_CAP = 8


def introduction_for_page(introduction_id: int) -> Introduction | None:
    """An introduction with what its page shows (startup, unit, who asked and answered, its
    pilot), read afresh."""
    return db.session.scalar(
        select(Introduction)
        .options(
            joinedload(Introduction.startup),
            joinedload(Introduction.business_unit),
            joinedload(Introduction.cohort),
            joinedload(Introduction.asked_by),
            joinedload(Introduction.answered_by),
            selectinload(Introduction.pilot),
        )
        .where(Introduction.id == introduction_id)
        .execution_options(populate_existing=True)
    )


def askable_units(startup_id: int) -> list[tuple[int, str]]:
    """(id, name) of the units of the programs the startup is enrolled in, by name."""
    programs = (
        select(Cohort.program_id)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.startup_id == startup_id)
    )
    rows = db.session.execute(
        select(BusinessUnit.id, BusinessUnit.name)
        .where(BusinessUnit.program_id.in_(programs))
        .order_by(BusinessUnit.name_key, BusinessUnit.id)
    )
    return [(unit_id, name) for unit_id, name in rows]


def partner_profile(startup_id: int) -> PartnerProfile | None:
    return db.session.get(PartnerProfile, startup_id)


@dataclass(frozen=True)
class Listed:
    """The first rows of a home card and how many there are in all."""

    rows: list
    total: int


def _listed(statements: tuple[Select, Select], limit: int = HOME_CARD_CAP, rows=None) -> Listed:
    """The first `limit` rows and how many there are: counted only when the rows fill the card
    (fewer are all of them, one row per introduction or pilot)."""
    rows_statement, count_statement = statements
    found = (rows or introduction_rows)(rows_statement, limit)
    if len(found) < limit:
        return Listed(found, len(found))
    return Listed(found, int(db.session.scalar(count_statement) or 0))


def _narrowed(statements: tuple[Select, Select], *where) -> tuple[Select, Select]:
    return statements[0].where(*where), statements[1].where(*where)


@dataclass(frozen=True)
class FounderHome:
    introductions: Listed
    pilots: Listed
    units: list[tuple[int, str]]


def founder_home(startup_id: int) -> FounderHome:
    """A startup's introductions and pilots (first rows, counted) and the units it may ask:
    a fixed number of statements."""
    overdue = overdue_condition()
    return FounderHome(
        introductions=_listed(introduction_list(startup_id=startup_id)),
        pilots=_listed(pilot_list(BoardFilters(startup_id=startup_id), overdue), rows=pilot_cards),
        units=askable_units(startup_id),
    )


@dataclass(frozen=True)
class PartnerHome:
    unit: BusinessUnit
    awaiting: Listed
    open_requests: Listed
    #: Accepted introductions with no pilot yet: the next step is the partner's.
    to_scope: Listed
    pilots: dict[PilotStatus, tuple[list[PilotCard], int]]
    decisions_due: Listed


def partner_home(unit: BusinessUnit) -> PartnerHome:
    """What a partner's home shows of their unit: introductions awaiting their answer, the
    other open requests, pilots by state and running pilots by decision date (overdue ones
    marked); a fixed number of statements, however many the unit has."""
    overdue = overdue_condition()
    of_unit = introduction_list(unit_id=unit.id)
    forwarded = Introduction.status == IntroductionStatus.FORWARDED.value
    asked_by_startup = Introduction.asked_by_side == Side.STARTUP.value
    running = BoardFilters(unit_id=unit.id, status=PilotStatus.RUNNING)
    return PartnerHome(
        unit=unit,
        awaiting=_listed(_narrowed(of_unit, forwarded, asked_by_startup)),
        open_requests=_listed(
            _narrowed(
                of_unit,
                Introduction.status.in_(OPEN_INTRODUCTION),
                ~and_(forwarded, asked_by_startup),
            )
        ),
        to_scope=_listed(
            _narrowed(
                of_unit,
                Introduction.status == IntroductionStatus.ACCEPTED.value,
                ~select(Pilot.id).where(Pilot.introduction_id == Introduction.id).exists(),
            )
        ),
        pilots=board_columns(BoardFilters(unit_id=unit.id), cap=3),
        decisions_due=_listed(pilot_list(running, overdue), rows=pilot_cards),
    )
