"""Reads of the pilots domain shared by pages, panels, reports and other domains, each a fixed
number of statements: a partner's unit, the units' partners, the startups partners may see,
introductions and pilots with what their rows show, and pilots overdue for decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import g, has_request_context
from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.models import Application, Startup
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import Invitation, Role, User
from accelerator.core.text import name_key
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.milestones.models import CheckIn
from accelerator.pilots.models import (
    OPEN_INTRODUCTION,
    BusinessUnit,
    BusinessUnitPartner,
    Introduction,
    IntroductionStatus,
    PartnerInvitation,
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
from accelerator.programs.models import Cohort, Enrollment, Program


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


# --- Staff pages: units, the board, the introductions list, their cards (staff_views) ---------

#: The cards a board column shows; the rest are behind "and N more" (the page stays flat).
BOARD_COLUMN_CAP = 30
#: The rows a unit page lists of its introductions and of its pilots.
UNIT_PAGE_CAP = 30


def overdue_condition(now: datetime | None = None) -> ColumnElement[bool]:
    """Overdue for decision, each pilot on its own program's today: one statement reads the
    programs' zones, and programs that share a today share a clause."""
    days: dict[date, list[int]] = {}
    for program_id, tz in db.session.execute(select(Program.id, Program.timezone)):
        days.setdefault(local_today(tz, now), []).append(program_id)
    return or_(
        false(),
        *(
            and_(
                Pilot.overdue_on(day),
                Pilot.cohort_id.in_(select(Cohort.id).where(Cohort.program_id.in_(ids))),
            )
            for day, ids in days.items()
        ),
    )


def active_staff_choices() -> list[tuple[int, str]]:
    """(id, name) of active staff and admins: who may lead a unit."""
    return list(
        db.session.execute(
            select(User.id, User.name)
            .where(User.role.in_([Role.STAFF.value, Role.ADMIN.value]), User.active)
            .order_by(User.name, User.id)
        )
    )


@dataclass(frozen=True)
class UnitRow:
    unit: BusinessUnit
    program_name: str
    partners: int
    open_introductions: int
    running: int
    overdue: int


def unit_rows() -> list[UnitRow]:
    """Every unit with its program and counts, by program then name: two statements."""
    overdue = overdue_condition()

    def counted(model, *where):
        return (
            select(func.count())
            .select_from(model)
            .where(*where)
            .correlate(BusinessUnit)
            .scalar_subquery()
        )

    of_unit = BusinessUnit.id
    rows = db.session.execute(
        select(
            BusinessUnit,
            Program.name,
            counted(BusinessUnitPartner, BusinessUnitPartner.business_unit_id == of_unit),
            counted(
                Introduction,
                Introduction.business_unit_id == of_unit,
                Introduction.status.in_(OPEN_INTRODUCTION),
            ),
            counted(
                Pilot, Pilot.business_unit_id == of_unit, Pilot.status == PilotStatus.RUNNING.value
            ),
            counted(Pilot, Pilot.business_unit_id == of_unit, overdue),
        )
        .join(Program, Program.id == BusinessUnit.program_id)
        .order_by(Program.name, BusinessUnit.name_key, BusinessUnit.id)
    )
    return [UnitRow(*row) for row in rows]


def pending_partner_invitations(business_unit_id: int) -> list[Invitation]:
    """Invitations to the unit not yet accepted, revoked or expired."""
    return list(
        db.session.scalars(
            select(Invitation)
            .join(PartnerInvitation, PartnerInvitation.invitation_id == Invitation.id)
            .where(
                PartnerInvitation.business_unit_id == business_unit_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


@dataclass(frozen=True)
class IntroductionRow:
    introduction: Introduction
    startup_name: str
    unit_name: str
    cohort_name: str
    timezone: str  # its program's: the dates it shows


def _introduction_rows(statement) -> Select:
    return (
        statement.join(Startup, Startup.id == Introduction.startup_id)
        .join(BusinessUnit, BusinessUnit.id == Introduction.business_unit_id)
        .join(Cohort, Cohort.id == Introduction.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
    )


#: Awaiting staff first, then open ones, then the newest.
_INTRODUCTION_ORDER = (
    case((Introduction.status == IntroductionStatus.REQUESTED.value, 0), else_=1),
    case((Introduction.status.in_(OPEN_INTRODUCTION), 0), else_=1),
    Introduction.created_at.desc(),
    Introduction.id.desc(),
)


def introduction_list(
    *,
    status: IntroductionStatus | None = None,
    cohort_id: int | None = None,
    unit_id: int | None = None,
    startup_id: int | None = None,
) -> tuple[Select, Select]:
    """The introductions in scope as rows (Introduction, startup, unit and cohort names),
    awaiting staff first, and the statement that counts them."""
    where = []
    if status is not None:
        where.append(Introduction.status == status.value)
    if cohort_id is not None:
        where.append(Introduction.cohort_id == cohort_id)
    if unit_id is not None:
        where.append(Introduction.business_unit_id == unit_id)
    if startup_id is not None:
        where.append(Introduction.startup_id == startup_id)
    rows = _introduction_rows(
        select(Introduction, Startup.name, BusinessUnit.name, Cohort.name, Program.timezone)
    ).where(*where)
    count = select(func.count()).select_from(Introduction).where(*where)
    return rows.order_by(*_INTRODUCTION_ORDER), count


def introduction_rows(statement, limit: int | None = None) -> list[IntroductionRow]:
    if limit is not None:
        statement = statement.limit(limit)
    return [IntroductionRow(*row) for row in db.session.execute(statement)]


def introduction_status_counts(*, cohort_id=None, unit_id=None) -> dict[str, int]:
    """How many introductions in scope are in each status."""
    statement = select(Introduction.status, func.count()).group_by(Introduction.status)
    if cohort_id is not None:
        statement = statement.where(Introduction.cohort_id == cohort_id)
    if unit_id is not None:
        statement = statement.where(Introduction.business_unit_id == unit_id)
    return {IntroductionStatus(s).value: n for s, n in db.session.execute(statement)}


@dataclass(frozen=True)
class BoardFilters:
    cohort_id: int | None = None
    unit_id: int | None = None
    owner_id: int | None = None
    startup_id: int | None = None
    overdue_only: bool = False
    status: PilotStatus | None = None

    def args(self, **changes) -> dict:
        """The filters as query arguments, for links that keep them (`changes` win; None
        leaves an argument out)."""
        values = {
            "cohort": self.cohort_id,
            "unit": self.unit_id,
            "owner": self.owner_id,
            "overdue": "1" if self.overdue_only else None,
            "status": self.status.value if self.status else None,
            **changes,
        }
        return {key: value for key, value in values.items() if value is not None}

    def narrow(self, statement, overdue: ColumnElement[bool]):
        for column, value in (
            (Pilot.cohort_id, self.cohort_id),
            (Pilot.business_unit_id, self.unit_id),
            (Pilot.owner_id, self.owner_id),
            (Pilot.startup_id, self.startup_id),
        ):
            if value is not None:
                statement = statement.where(column == value)
        if self.status is not None:
            statement = statement.where(Pilot.status == self.status.value)
        return statement.where(overdue) if self.overdue_only else statement


@dataclass(frozen=True)
class PilotCard:
    pilot: Pilot
    startup_name: str
    unit_name: str
    owner_name: str | None
    overdue: bool

    @classmethod
    def of(cls, row) -> PilotCard:
        """A card from a row of a `pilot_list` statement."""
        pilot, startup_name, unit_name, owner_name, overdue = row
        return cls(pilot, startup_name, unit_name, owner_name, bool(overdue))


#: Pilots under way before finished ones; these by decision date (the most urgent first), the
#: finished newest first.
_PILOT_ORDER = (
    Pilot.closed_at.is_not(None),
    Pilot.closed_at.desc(),
    Pilot.decision_on.is_(None),
    Pilot.decision_on,
    Pilot.id,
)


def _cards(statement, overdue: ColumnElement[bool]) -> Select:
    """Add a card's columns (startup, unit, owner, overdue) to a select of pilots."""
    return (
        statement.add_columns(Startup.name, BusinessUnit.name, User.name, overdue.label("overdue"))
        .join(Startup, Startup.id == Pilot.startup_id)
        .join(BusinessUnit, BusinessUnit.id == Pilot.business_unit_id)
        .outerjoin(User, User.id == Pilot.owner_id)
    )


def board_columns(
    filters: BoardFilters, cap: int = BOARD_COLUMN_CAP
) -> dict[PilotStatus, tuple[list[PilotCard], int]]:
    """Each state's first `cap` cards and how many pilots it holds: three statements, however
    many pilots there are."""
    overdue = overdue_condition()
    counts = _status_counts(filters, overdue)
    rank = func.row_number().over(partition_by=Pilot.status, order_by=_PILOT_ORDER)
    ranked = filters.narrow(select(Pilot.id, rank.label("rank")), overdue).subquery()
    rows = db.session.execute(
        _cards(select(Pilot), overdue)
        .join(ranked, ranked.c.id == Pilot.id)
        .where(ranked.c.rank <= cap)
        .order_by(ranked.c.rank)
    )
    columns: dict[PilotStatus, tuple[list[PilotCard], int]] = {
        status: ([], counts.get(status, 0)) for status in PilotStatus
    }
    for row in rows:
        card = PilotCard.of(row)
        columns[PilotStatus(card.pilot.status)][0].append(card)
    return columns


def pilot_list(filters: BoardFilters, overdue=None) -> tuple[Select, Select]:
    """The pilots in scope as card rows, in the board's order, and their count statement
    (`overdue`: an `overdue_condition` already read)."""
    overdue = overdue_condition() if overdue is None else overdue
    rows = filters.narrow(_cards(select(Pilot), overdue), overdue).order_by(*_PILOT_ORDER)
    count = filters.narrow(select(func.count()).select_from(Pilot), overdue)
    return rows, count


def pilot_cards(statement, limit: int | None = None) -> list[PilotCard]:
    if limit is not None:
        statement = statement.limit(limit)
    return [PilotCard.of(row) for row in db.session.execute(statement)]


def unit_choices() -> list[tuple[int, str, str]]:
    """(id, name, program name) of every unit, for filters."""
    return list(
        db.session.execute(
            select(BusinessUnit.id, BusinessUnit.name, Program.name)
            .join(Program, Program.id == BusinessUnit.program_id)
            .order_by(Program.name, BusinessUnit.name_key, BusinessUnit.id)
        )
    )


def pilot_owner_choices() -> list[tuple[int, str]]:
    """(id, name) of the people who own a pilot, for the board's filter."""
    return list(
        db.session.execute(
            select(User.id, User.name)
            .where(User.id.in_(select(Pilot.owner_id).where(Pilot.owner_id.is_not(None))))
            .order_by(User.name, User.id)
        )
    )


def _status_counts(filters: BoardFilters, overdue) -> dict[PilotStatus, int]:
    rows = db.session.execute(
        filters.narrow(select(Pilot.status, func.count()).group_by(Pilot.status), overdue)
    )
    return {PilotStatus(status): int(count) for status, count in rows}


def pilot_status_counts(filters: BoardFilters, overdue=None) -> dict[PilotStatus, int]:
    """How many pilots in scope are in each state (states with none are left out)."""
    return _status_counts(filters, overdue_condition() if overdue is None else overdue)


# --- Introduction pages, the founder's and the partner's side (views, founder/partner_views) --

#: The rows each card of a founder's or a partner's home lists; the rest are counted.
HOME_CARD_CAP = 8
#: The startups the partners' directory shows a page.
DIRECTORY_PAGE = 24


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


@dataclass(frozen=True)
class Listed:
    """The first rows of a home card and how many there are in all."""

    rows: list
    total: int


def _listed(statements: tuple[Select, Select], limit: int = HOME_CARD_CAP, rows=None) -> Listed:
    rows_statement, count_statement = statements
    return Listed(
        (rows or introduction_rows)(rows_statement, limit),
        int(db.session.scalar(count_statement) or 0),
    )


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
        pilots=board_columns(BoardFilters(unit_id=unit.id), cap=3),
        decisions_due=_listed(pilot_list(running, overdue), rows=pilot_cards),
    )
