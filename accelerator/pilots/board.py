"""The pilots board and the staff lists: filters, a card per pilot, a column per state, the
introductions list and the business units' rows, each in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select

from accelerator.applications.models import Startup
from accelerator.auth.models import Invitation, Role, User
from accelerator.core.cache import kept
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.pilots.models import (
    OPEN_INTRODUCTION,
    BusinessUnit,
    BusinessUnitPartner,
    Decision,
    Introduction,
    IntroductionStatus,
    PartnerInvitation,
    Pilot,
    PilotStatus,
)
from accelerator.pilots.outcomes import (  # noqa: F401  (the report's figures, read by reports)
    Outcome,
    PilotOutcomes,
    pilot_outcomes,
)
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import program_timezones

#: The cards a board column shows; the rest are behind "and N more" (the page stays flat).
BOARD_COLUMN_CAP = 30
#: The rows a unit page lists of its introductions and of its pilots.
UNIT_PAGE_CAP = 30


def overdue_condition(now: datetime | None = None) -> ColumnElement[bool]:
    """Overdue for decision, each pilot on its own program's today: one statement reads the
    programs' zones, and programs that share a today share a clause."""
    days: dict[date, list[int]] = {}
    for program_id, tz in program_timezones().items():  # kept for the request
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


def program_days(now: datetime | None = None) -> tuple[tuple[int, str], ...]:
    """Each program's today in its timezone, as `overdue_condition` reads it: what a kept page
    showing "overdue" keys on. The zones are kept (core.cache) until a program changes, so
    the key asks no statement of the database."""
    zones = kept("program-timezones", (), reads=(Program,), compute=program_timezones)
    return tuple(sorted((pid, local_today(tz, now).isoformat()) for pid, tz in zones.items()))


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


class PilotLine(NamedTuple):
    """What a board card shows of its pilot: read as columns, not the whole pilot."""

    id: int
    title: str
    status: PilotStatus
    decision: Decision | None
    decision_on: date | None


#: The columns of a PilotLine, in its order.
_LINE_COLUMNS = (Pilot.id, Pilot.title, Pilot.status, Pilot.decision, Pilot.decision_on)


@dataclass(frozen=True)
class PilotCard:
    pilot: Pilot | PilotLine
    startup_name: str
    unit_name: str
    owner_name: str | None
    overdue: bool

    @classmethod
    def of(cls, row) -> PilotCard:
        """A card from a row of a `pilot_list` statement."""
        pilot, startup_name, unit_name, owner_name, overdue = row
        return cls(pilot, startup_name, unit_name, owner_name, bool(overdue))

    @classmethod
    def of_line(cls, row) -> PilotCard:
        """A card from a row of `_cards(select(*_LINE_COLUMNS), ...)`."""
        size = len(_LINE_COLUMNS)
        startup_name, unit_name, owner_name, overdue = row[size:]
        return cls(PilotLine(*row[:size]), startup_name, unit_name, owner_name, bool(overdue))


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
        _cards(select(*_LINE_COLUMNS), overdue)
        .join(ranked, ranked.c.id == Pilot.id)
        .where(ranked.c.rank <= cap)
        .order_by(ranked.c.rank)
    )
    columns: dict[PilotStatus, tuple[list[PilotCard], int]] = {
        status: ([], counts.get(status, 0)) for status in PilotStatus
    }
    for row in rows:
        card = PilotCard.of_line(row)
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
