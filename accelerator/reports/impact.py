"""The impact read model: what a program's alumni became, per cohort and for the program.

For each cohort (and all of them together):
- alumni: the startups that completed it (`alumni.models.Alumnus`);
- survival: alumni whose latest survey answer says operating or acquired, over the alumni
  with an answer (the latest answer of an alumnus is its answered wave of most months);
- money raised since the program: the latest answers' `raised_cents` (cumulative at the
  answer), total and median per currency: currencies are never added together;
- jobs: the latest headcount minus the team size the startup gave when it applied
  (`Startup.team_size`, a field of the application form), over the alumni whose team size is
  known; the headcount now of every alumnus with an answer either way;
- pilots turned into contracts: the go decisions of the cohort's pilots and their contract
  value per currency (`pilots.queries.pilot_outcomes`, the pilots report's figures); beside
  them, the contracts with the sponsor's business units the alumni report in their latest
  answer (cumulative), their value per currency.

A group of fewer than `MIN_GROUP` startups is `small`: staff see its figures marked as such;
public pages (transparency) hide them. `listed_only` keeps only the alumni whose founders
consented to be listed publicly (`Alumnus.listed_at`).

A fixed number of statements: the cohorts, the alumni with their startup, their answered
surveys, and the pilots report's four.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Row, select

from accelerator.alumni import queries as alumni_queries
from accelerator.alumni.models import Alumnus, Outcome
from accelerator.applications.models import Startup
from accelerator.extensions import db
from accelerator.pilots import queries as pilot_queries
from accelerator.programs.models import Cohort, Program

#: No public figure describes a group smaller than this; staff see such groups marked small.
MIN_GROUP = 5
SURVIVING = (Outcome.OPERATING, Outcome.ACQUIRED)


@dataclass
class Money:
    """Money raised in one currency: over `count` answers, their total and median, in cents."""

    currency: str
    amounts: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.amounts)

    @property
    def total(self) -> int:
        return sum(self.amounts)

    @property
    def median(self) -> int | None:
        return round(statistics.median(self.amounts)) if self.amounts else None

    @property
    def small(self) -> bool:
        return self.count < MIN_GROUP


@dataclass
class Alum:
    """One alumnus and its latest answer (None: not answered yet)."""

    startup_id: int
    name: str
    cohort_id: int
    listed: bool
    team_size: int | None
    latest: Row | None = None  # a row of alumni.queries.latest_answers


@dataclass
class ImpactFigures:
    """The figures of one cohort (`cohort`) or of the whole program (`cohort` None)."""

    cohort: Cohort | None
    alumni: list[Alum] = field(default_factory=list)
    go: int = 0
    #: The go decisions' contract value, in cents per currency.
    contract_value: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.cohort.name if self.cohort is not None else ""

    @property
    def count(self) -> int:
        return len(self.alumni)

    @property
    def small(self) -> bool:
        return self.count < MIN_GROUP

    @property
    def answered(self) -> list[Row]:
        return [a.latest for a in self.alumni if a.latest is not None]

    @property
    def outcomes(self) -> Counter:
        return Counter(s.outcome for s in self.answered)

    @property
    def surviving(self) -> int:
        return sum(1 for s in self.answered if s.outcome in SURVIVING)

    @property
    def survival_rate(self) -> float | None:
        """Operating or acquired over alumni with an answer, in percent (None: no answer)."""
        answered = len(self.answered)
        return round(100 * self.surviving / answered, 1) if answered else None

    @property
    def raised(self) -> list[Money]:
        """Money raised per currency (latest answers), by currency code."""
        money: dict[str, Money] = {}
        for survey in self.answered:
            money.setdefault(survey.currency, Money(survey.currency)).amounts.append(
                survey.raised_cents
            )
        return [money[code] for code in sorted(money)]

    @property
    def headcount(self) -> int:
        """People working in the alumni that answered, now."""
        return sum(s.headcount for s in self.answered)

    @property
    def team_known(self) -> int:
        """Alumni with an answer and a team size given when applying."""
        return sum(1 for a in self.alumni if a.latest is not None and a.team_size is not None)

    @property
    def jobs_created(self) -> int | None:
        """Latest headcount minus team size at application, over `team_known` alumni."""
        pairs = [(a.latest, a.team_size) for a in self.alumni if a.latest is not None]
        known = [s.headcount - size for s, size in pairs if size is not None]
        return sum(known) if known else None

    @property
    def contract_values(self) -> list[tuple[str, int]]:
        return sorted(self.contract_value.items())

    @property
    def reported_contracts(self) -> int:
        """Contracts with the sponsor's business units, as the alumni report them."""
        return sum(s.contracts for s in self.answered)

    @property
    def reported_contract_values(self) -> list[tuple[str, int]]:
        """(currency, cents) of the contracts the alumni report, by currency."""
        values: dict[str, int] = {}
        for survey in self.answered:
            if survey.contract_cents:
                values[survey.currency] = values.get(survey.currency, 0) + survey.contract_cents
        return sorted(values.items())


@dataclass
class ProgramImpact:
    program: Program
    cohorts: list[ImpactFigures]
    total: ImpactFigures

    @property
    def currencies(self) -> list[str]:
        """Every currency money was raised in (one money column each in exports)."""
        return [money.currency for money in self.total.raised]

    @property
    def contract_currencies(self) -> list[str]:
        return sorted(self.total.contract_value)

    @property
    def reported_currencies(self) -> list[str]:
        return [code for code, _cents in self.total.reported_contract_values]


def program_impact(
    program: Program, *, cohort_ids: list[int] | None = None, listed_only: bool = False
) -> ProgramImpact:
    """The impact of `program`'s cohorts (or the chosen ones), newest first, and in total."""
    statement = select(Cohort).where(Cohort.program_id == program.id)
    if cohort_ids:
        statement = statement.where(Cohort.id.in_(cohort_ids))
    cohorts = list(db.session.scalars(statement.order_by(Cohort.starts_on.desc(), Cohort.id)))
    figures = {c.id: ImpactFigures(cohort=c) for c in cohorts}
    total = ImpactFigures(cohort=None)
    report = ProgramImpact(program=program, cohorts=list(figures.values()), total=total)
    if not figures:
        return report
    alumni = _alumni(list(figures), listed_only)
    for alum in alumni.values():
        figures[alum.cohort_id].alumni.append(alum)
        total.alumni.append(alum)
    if not listed_only:
        for outcome in pilot_queries.pilot_outcomes(program.id).cohorts:
            if outcome.id in figures:
                _add_contracts(figures[outcome.id], outcome)
                _add_contracts(total, outcome)
    return report


def _add_contracts(figures: ImpactFigures, outcome) -> None:
    figures.go += outcome.go
    for code, cents in outcome.contract_value.items():
        figures.contract_value[code] = figures.contract_value.get(code, 0) + cents


def _alumni(cohort_ids: list[int], listed_only: bool) -> dict[int, Alum]:
    """{alumnus id: Alum} with its latest answer (`alumni.queries.latest_answers`), in two
    statements."""
    statement = (
        select(
            Alumnus.id,
            Alumnus.startup_id,
            Alumnus.cohort_id,
            Alumnus.listed_at,
            Startup.name,
            Startup.team_size,
        )
        .join(Startup, Startup.id == Alumnus.startup_id)
        .where(Alumnus.cohort_id.in_(cohort_ids))
        .order_by(Startup.name_key, Alumnus.id)
    )
    if listed_only:
        statement = statement.where(Alumnus.listed_at.is_not(None))
    alumni = {
        row.id: Alum(
            startup_id=row.startup_id,
            name=row.name,
            cohort_id=row.cohort_id,
            listed=row.listed_at is not None,
            team_size=row.team_size,
        )
        for row in db.session.execute(statement)
    }
    if not alumni:
        return alumni
    # The latest answer of each alumnus: the one definition, alumni.queries.latest_answers.
    for answer in alumni_queries.latest_answers(cohort_ids):
        alum = alumni.get(answer.alumnus_id)
        if alum is not None:
            alum.latest = answer
    return alumni
