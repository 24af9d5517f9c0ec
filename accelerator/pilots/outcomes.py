"""The pilots report's figures, per business unit and per cohort of a program.

For each unit and each cohort: introductions asked, the acceptance rate (accepted over
answered: accepted or declined), pilots started (they reached running: `started_at` is set,
even if stopped later), the go rate (go over decided: go or no-go), the median days from the
introduction to the pilot's decision, and the contract value of the go decisions, per currency.

Four statements whatever the data: the program's units, its cohorts, one grouped count of the
introductions and their pilots, and the decided pilots' two dates (the median is taken in
Python: portable to SQLite and PostgreSQL alike). A rate or a median with nothing to count is
None, which the pages show as "—".
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import case, func, select

from accelerator.extensions import db
from accelerator.pilots.models import (
    BusinessUnit,
    Decision,
    Introduction,
    IntroductionStatus,
    Pilot,
)
from accelerator.programs.models import Cohort

SECONDS_A_DAY = 86_400


@dataclass
class Outcome:
    """The figures of one row of the report: a business unit, a cohort, or all of them."""

    id: int | None
    name: str
    introductions: int = 0
    accepted: int = 0
    declined: int = 0
    started: int = 0
    go: int = 0
    no_go: int = 0
    #: The go decisions' contract or purchase-order value, in cents per currency.
    contract_value: dict[str, int] = field(default_factory=dict)
    decision_days: list[float] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return self.accepted + self.declined

    @property
    def decided(self) -> int:
        return self.go + self.no_go

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted over answered introductions, in percent (None when none was answered)."""
        return _percent(self.accepted, self.answered)

    @property
    def go_rate(self) -> float | None:
        """Go over decided pilots, in percent (None when none was decided)."""
        return _percent(self.go, self.decided)

    @property
    def median_days(self) -> float | None:
        """Median days from the introduction to the pilot's decision (None: none decided)."""
        if not self.decision_days:
            return None
        return round(statistics.median(self.decision_days), 1)

    @property
    def contract_values(self) -> list[tuple[str, int]]:
        """(currency, cents) of the go contracts, by currency."""
        return sorted(self.contract_value.items())

    def add(self, counts: _Counts) -> None:
        self.introductions += counts.introductions
        self.accepted += counts.accepted
        self.declined += counts.declined
        self.started += counts.started
        self.go += counts.go
        self.no_go += counts.no_go
        if counts.currency is not None and counts.go_value:
            self.contract_value[counts.currency] = (
                self.contract_value.get(counts.currency, 0) + counts.go_value
            )


@dataclass
class PilotOutcomes:
    """The report of a program (or one of its cohorts): a row per unit, per cohort, and all."""

    units: list[Outcome]
    cohorts: list[Outcome]
    total: Outcome

    @property
    def currencies(self) -> list[str]:
        """Every currency a go contract was signed in (one money column each in exports)."""
        return sorted(self.total.contract_value)


@dataclass(frozen=True)
class _Counts:
    unit_id: int
    cohort_id: int
    currency: str | None
    introductions: int
    accepted: int
    declined: int
    started: int
    go: int
    no_go: int
    go_value: int


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def pilot_outcomes(program_id: int, cohort_id: int | None = None) -> PilotOutcomes:
    """The figures of `program_id`'s units and cohorts; with `cohort_id`, of that cohort's
    introductions only (and its one row in the cohort table)."""
    units = {
        unit_id: Outcome(unit_id, name)
        for unit_id, name in db.session.execute(
            select(BusinessUnit.id, BusinessUnit.name)
            .where(BusinessUnit.program_id == program_id)
            .order_by(BusinessUnit.name_key, BusinessUnit.id)
        )
    }
    cohort_statement = select(Cohort.id, Cohort.name).where(Cohort.program_id == program_id)
    if cohort_id is not None:
        cohort_statement = cohort_statement.where(Cohort.id == cohort_id)
    cohorts = {
        found_id: Outcome(found_id, name)
        for found_id, name in db.session.execute(
            cohort_statement.order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        )
    }
    total = Outcome(None, "")
    report = PilotOutcomes(list(units.values()), list(cohorts.values()), total)
    if not units:
        return report
    in_program = Introduction.business_unit_id.in_(
        select(BusinessUnit.id).where(BusinessUnit.program_id == program_id)
    )
    scope = [in_program]
    if cohort_id is not None:
        scope.append(Introduction.cohort_id == cohort_id)
    for counts in _grouped_counts(scope):
        for row in (units.get(counts.unit_id), cohorts.get(counts.cohort_id), total):
            if row is not None:
                row.add(counts)
    for unit_id, found_cohort_id, asked_at, decided_at in db.session.execute(
        select(
            Introduction.business_unit_id,
            Introduction.cohort_id,
            Introduction.created_at,
            Pilot.decided_at,
        )
        .join(Pilot, Pilot.introduction_id == Introduction.id)
        .where(*scope, Pilot.decided_at.is_not(None))
    ):
        days = max((_aware(decided_at) - _aware(asked_at)).total_seconds(), 0) / SECONDS_A_DAY
        for row in (units.get(unit_id), cohorts.get(found_cohort_id), total):
            if row is not None:
                row.decision_days.append(days)
    return report


def _grouped_counts(scope) -> list[_Counts]:
    """The introductions and their pilots counted per unit, cohort and pilot currency."""
    status = Introduction.status
    go = Pilot.decision == Decision.GO
    rows = db.session.execute(
        select(
            Introduction.business_unit_id,
            Introduction.cohort_id,
            Pilot.currency,
            func.count(Introduction.id),
            _count(status == IntroductionStatus.ACCEPTED),
            _count(status == IntroductionStatus.DECLINED),
            func.count(Pilot.started_at),
            _count(go),
            _count(Pilot.decision == Decision.NO_GO),
            func.coalesce(func.sum(case((go, Pilot.contract_value_cents), else_=0)), 0),
        )
        .outerjoin(Pilot, Pilot.introduction_id == Introduction.id)
        .where(*scope)
        .group_by(Introduction.business_unit_id, Introduction.cohort_id, Pilot.currency)
    )
    return [_Counts(*(row[:3]), *(int(n) for n in row[3:])) for row in rows]
