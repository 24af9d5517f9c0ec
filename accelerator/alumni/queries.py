"""Reads of the alumni domain shared by its pages and by other domains.

For other domains (the impact report and the transparency page read these):

* `latest_answers(cohort_ids)`: per alumnus of those cohorts, its latest answered survey, in
  one statement (a list of rows, see `LATEST_COLUMNS`).
* `timeline(startup_id)`: a startup's answers after each program it completed, in order, with
  what changed from one answer to the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from accelerator.alumni.models import (
    Alumnus,
    Outcome,
    RoundType,
    Survey,
    SurveyStatus,
)
from accelerator.applications.models import Startup
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program

ANSWERED = SurveyStatus.ANSWERED.value


def _latest_answered():
    """A subquery: each alumnus's answered surveys numbered newest wave first (rank 1 is its
    latest answer)."""
    return (
        select(
            Survey,
            func.row_number()
            .over(partition_by=Survey.alumnus_id, order_by=Survey.months.desc())
            .label("rank"),
        )
        .where(Survey.status == ANSWERED)
        .subquery("latest_answered")
    )


#: The columns of a `latest_answers` row, by name.
LATEST_COLUMNS = (
    "alumnus_id",
    "startup_id",
    "startup_name",
    "cohort_id",
    "listed_at",
    "survey_id",
    "months",
    "answered_at",
    "raised_cents",
    "currency",
    "round_type",
    "headcount",
    "revenue_band",
    "outcome",
    "contracts",
    "contract_cents",
)


def latest_answers(cohort_ids: Iterable[int]) -> list:
    """Per alumnus of `cohort_ids` with an answered survey, its latest answer (one statement).

    Rows (named like LATEST_COLUMNS): alumnus_id, startup_id, startup_name, cohort_id,
    listed_at (None: not listed publicly), survey_id, months (6, 12 or 24), answered_at,
    raised_cents (cumulative since the program, in `currency`), currency, round_type,
    headcount, revenue_band, outcome (Outcome values as str), contracts, contract_cents
    (cumulative, with the sponsor's business units). Ordered by cohort, then startup name.
    """
    ids = sorted(set(cohort_ids))
    if not ids:
        return []
    latest = _latest_answered()
    statement = (
        select(
            Alumnus.id.label("alumnus_id"),
            Alumnus.startup_id,
            Startup.name.label("startup_name"),
            Alumnus.cohort_id,
            Alumnus.listed_at,
            latest.c.id.label("survey_id"),
            latest.c.months,
            latest.c.answered_at,
            latest.c.raised_cents,
            latest.c.currency,
            latest.c.round_type,
            latest.c.headcount,
            latest.c.revenue_band,
            latest.c.outcome,
            latest.c.contracts,
            latest.c.contract_cents,
        )
        .join(latest, and_(latest.c.alumnus_id == Alumnus.id, latest.c.rank == 1))
        .join(Startup, Startup.id == Alumnus.startup_id)
        .where(Alumnus.cohort_id.in_(ids))
        .order_by(Alumnus.cohort_id, Startup.name, Alumnus.id)
    )
    return list(db.session.execute(statement))


# --- The staff directory ---------------------------------------------------------------------


@dataclass
class DirectoryFilters:
    program_id: int | None = None
    cohort_id: int | None = None
    outcome: str = ""
    round_type: str = ""
    sector: str = ""
    listed: str = ""  # "yes", "no" or ""

    @classmethod
    def from_args(cls, args) -> DirectoryFilters:
        from accelerator.programs.queries import selected_filter

        program_id, cohort_id = selected_filter(args)
        outcome = args.get("outcome", "")
        round_type = args.get("round", "")
        listed = args.get("listed", "")
        return cls(
            program_id=program_id,
            cohort_id=cohort_id,
            outcome=outcome if outcome in Outcome._value2member_map_ else "",
            round_type=round_type if round_type in RoundType._value2member_map_ else "",
            sector=(args.get("sector") or "")[:80],
            listed=listed if listed in ("yes", "no") else "",
        )

    def any(self) -> bool:
        return any(
            (
                self.program_id,
                self.cohort_id,
                self.outcome,
                self.round_type,
                self.sector,
                self.listed,
            )
        )


def _status_columns(today):
    """The survey status of an alumnus: the newest mailed survey still unanswered (its
    months), and the next survey's due day (after `today`)."""
    awaiting = aliased(Survey)
    upcoming = aliased(Survey)
    awaiting_months = (
        select(func.max(awaiting.months))
        .where(
            awaiting.alumnus_id == Alumnus.id,
            awaiting.status == SurveyStatus.DUE.value,
            awaiting.sent_at.is_not(None),
        )
        .correlate(Alumnus)
        .scalar_subquery()
        .label("awaiting_months")
    )
    next_due = (
        select(func.min(upcoming.due_on))
        .where(
            upcoming.alumnus_id == Alumnus.id,
            upcoming.status == SurveyStatus.DUE.value,
            upcoming.sent_at.is_(None),
            upcoming.due_on > today,
        )
        .correlate(Alumnus)
        .scalar_subquery()
        .label("next_due")
    )
    return awaiting_months, next_due


def _narrowed(statement: Select, filters: DirectoryFilters, latest) -> Select:
    if filters.cohort_id is not None:
        statement = statement.where(Alumnus.cohort_id == filters.cohort_id)
    if filters.program_id is not None:
        statement = statement.where(Cohort.program_id == filters.program_id)
    if filters.outcome:
        statement = statement.where(latest.c.outcome == filters.outcome)
    if filters.round_type:
        statement = statement.where(latest.c.round_type == filters.round_type)
    if filters.sector:
        statement = statement.where(Startup.sector == filters.sector)
    if filters.listed == "yes":
        statement = statement.where(Alumnus.listed_at.is_not(None))
    elif filters.listed == "no":
        statement = statement.where(Alumnus.listed_at.is_(None))
    return statement


def _directory_from(columns, latest) -> Select:
    return (
        select(*columns)
        .select_from(Alumnus)
        .join(Startup, Startup.id == Alumnus.startup_id)
        .join(Cohort, Cohort.id == Alumnus.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .outerjoin(latest, and_(latest.c.alumnus_id == Alumnus.id, latest.c.rank == 1))
    )


def directory(filters: DirectoryFilters) -> tuple[Select, Select]:
    """The rows of the staff alumni list and the statement counting them.

    Each row: Alumnus, startup_name, sector, cohort_name, program_name, timezone, and the
    latest answer's months, outcome, raised_cents, currency, headcount, round_type; then
    awaiting_months (a mailed survey not answered) and next_due (the next survey's day)."""
    latest = _latest_answered()
    awaiting_months, next_due = _status_columns(utcnow().date())
    rows = _directory_from(
        (
            Alumnus,
            Startup.name.label("startup_name"),
            Startup.sector,
            Cohort.name.label("cohort_name"),
            Program.name.label("program_name"),
            Program.timezone,
            latest.c.months,
            latest.c.outcome,
            latest.c.raised_cents,
            latest.c.currency,
            latest.c.headcount,
            latest.c.round_type,
            latest.c.contracts,
            latest.c.contract_cents,
            awaiting_months,
            next_due,
        ),
        latest,
    ).order_by(Cohort.ends_on.desc(), Cohort.id, Startup.name_key, Alumnus.id)
    count = _directory_from((func.count(Alumnus.id),), latest)
    return _narrowed(rows, filters, latest), _narrowed(count, filters, latest)


def directory_choices() -> dict:
    """The filters' choices: programs and cohorts that have alumni, sectors in use (one
    statement)."""
    found = db.session.execute(
        select(Program.id, Program.name, Cohort.id, Cohort.name, Startup.sector)
        .select_from(Alumnus)
        .join(Cohort, Cohort.id == Alumnus.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .join(Startup, Startup.id == Alumnus.startup_id)
        .distinct()
    ).all()
    programs = sorted({(p_id, p_name) for p_id, p_name, *_rest in found}, key=lambda p: p[1])
    cohorts = sorted(
        {(c_id, f"{p_name} · {c_name}") for _p, p_name, c_id, c_name, _s in found},
        key=lambda c: c[1],
    )
    sectors = sorted({sector for *_rest, sector in found if sector})
    return {"programs": programs, "cohorts": cohorts, "sectors": sectors}


# --- A startup's timeline --------------------------------------------------------------------


@dataclass
class Step:
    """One survey of the timeline and what changed since the answer before it."""

    survey: Survey
    raised_change: int | None = None  # cents, same currency only
    headcount_change: int | None = None
    outcome_before: Outcome | None = None  # when the outcome changed


@dataclass
class AlumnusTimeline:
    alumnus: Alumnus
    cohort_name: str
    timezone: str
    steps: list[Step] = field(default_factory=list)

    @property
    def answered(self) -> list[Step]:
        return [s for s in self.steps if s.survey.status == SurveyStatus.ANSWERED]


def timeline(startup_id: int) -> list[AlumnusTimeline]:
    """The startup's alumni records (one per completed cohort, newest first) with their
    surveys in order (6, 12, 24 months) and the changes between answers; two statements."""
    found = db.session.execute(
        select(Alumnus, Cohort.name, Program.timezone)
        .join(Cohort, Cohort.id == Alumnus.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Alumnus.startup_id == startup_id)
        .order_by(Alumnus.completed_on.desc(), Alumnus.id)
    ).all()
    if not found:
        return []
    surveys = db.session.scalars(
        select(Survey)
        .where(Survey.alumnus_id.in_([alumnus.id for alumnus, _n, _t in found]))
        .order_by(Survey.alumnus_id, Survey.months)
    ).all()
    by_alumnus: dict[int, list[Survey]] = {}
    for survey in surveys:
        by_alumnus.setdefault(survey.alumnus_id, []).append(survey)
    result = []
    for alumnus, cohort_name, tz in found:
        story = AlumnusTimeline(alumnus, cohort_name, tz)
        before: Survey | None = None
        for survey in by_alumnus.get(alumnus.id, []):
            step = Step(survey)
            if survey.status == SurveyStatus.ANSWERED:
                if before is not None:
                    if before.currency == survey.currency:
                        step.raised_change = survey.raised_cents - before.raised_cents
                    step.headcount_change = survey.headcount - before.headcount
                    if before.outcome != survey.outcome:
                        step.outcome_before = before.outcome
                before = survey
            story.steps.append(step)
        result.append(story)
    return result


def is_alumnus(startup_id: int) -> bool:
    """Whether the startup completed a program (one statement)."""
    found = db.session.scalar(select(Alumnus.id).where(Alumnus.startup_id == startup_id).limit(1))
    return found is not None


def waiting_surveys(startup_id: int, now: datetime | None = None) -> list[tuple[Survey, str]]:
    """The startup's current surveys awaiting an answer (due in the program's zone, no later
    wave due), with their cohort's name; one statement."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Survey, Cohort.name, Program.timezone)
        .join(Cohort, Cohort.id == Survey.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Survey.startup_id == startup_id, Survey.due_on <= (now + timedelta(days=1)).date())
        .order_by(Survey.alumnus_id, Survey.months.desc())
    ).all()
    found, seen = [], set()
    for survey, name, tz in rows:
        if survey.due_on > local_today(tz, now) or survey.alumnus_id in seen:
            continue
        seen.add(survey.alumnus_id)  # the latest wave due: earlier ones are past
        if survey.status == SurveyStatus.DUE:
            found.append((survey, name))
    return found
