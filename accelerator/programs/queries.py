"""Reads about programs that every domain shares: a cohort's or program's timezone, the staff
filter by program and cohort (from `filters`, the public face other domains import), the
cohorts list, how many startups a cohort holds and the day of its demo day.

The one answer for any object is `applications.queries.timezone_of` (it also knows startups);
this module answers for what the programs domain owns.
"""

from __future__ import annotations

from datetime import date

from flask import g, has_request_context
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from accelerator.core import hooks
from accelerator.extensions import db
from accelerator.programs.filters import (
    cohort_choices,
    narrow,
    phase_condition,
    program_choices,
    selected_filter,
)
from accelerator.programs.models import Cohort, Enrollment, ExpertiseTag, Phase, Program

__all__ = [
    "DEFAULT_TIMEZONE",
    "cached_timezone",
    "cohort_choices",
    "cohort_timezone",
    "cohort_timezones",
    "cohorts_list",
    "demo_day",
    "enrolled_count",
    "narrow",
    "phase_condition",
    "program_choices",
    "program_timezone",
    "program_timezones",
    "public_calls",
    "selected_filter",
    "startup_enrollments",
    "tags_by_name",
]

#: The zone of a program created without one, and of things that belong to no program yet.
DEFAULT_TIMEZONE = "Europe/Paris"
#: How many past calls the public calls page lists.
PAST_SHOWN = 12


def cached_timezone(key: tuple, compute) -> str:
    """A timezone computed once per request and key (the default when there is none)."""
    cache = g.setdefault("_timezones", {}) if has_request_context() else {}
    if key not in cache:
        cache[key] = compute() or DEFAULT_TIMEZONE
    return cache[key]


def cohort_timezone(cohort_id: int) -> str:
    """The timezone of the cohort's program (asked once per request and cohort)."""
    return cached_timezone(
        ("cohort", cohort_id),
        lambda: db.session.scalar(
            select(Program.timezone)
            .join(Cohort, Cohort.program_id == Program.id)
            .where(Cohort.id == cohort_id)
        ),
    )


def program_timezone(program_id: int) -> str:
    """The program's timezone (asked once per request and program)."""
    return cached_timezone(
        ("program", program_id),
        lambda: db.session.scalar(select(Program.timezone).where(Program.id == program_id)),
    )


def cohorts_list(*, program_id: int | None, phase: str) -> Select:
    """The staff's cohorts list: newest first, with their program, narrowed to one program and
    to a phase (a phase that does not exist narrows nothing)."""
    statement = (
        select(Cohort)
        .options(joinedload(Cohort.program))
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    if program_id is not None:
        statement = statement.where(Cohort.program_id == program_id)
    if phase in {p.value for p in Phase}:
        statement = statement.where(phase_condition(Phase(phase)))
    return statement


def enrolled_count(cohort_id: int) -> int:
    """How many startups the cohort holds."""
    return db.session.scalar(
        select(func.count()).select_from(Enrollment).where(Enrollment.cohort_id == cohort_id)
    )


def tags_by_name() -> list[ExpertiseTag]:
    """The expertise vocabulary in alphabetical order (ignoring case)."""
    return list(db.session.scalars(select(ExpertiseTag).order_by(func.lower(ExpertiseTag.name))))


def _cohorts_in(condition, *order, limit: int | None = None) -> list[Cohort]:
    statement = (
        select(Cohort)
        .options(joinedload(Cohort.program))
        .where(condition)
        .order_by(*order)
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def public_calls() -> dict[str, list[Cohort]]:
    """The public calls page: open calls (closing first), upcoming ones (opening first) and the
    latest past ones, each with its program."""
    past = (Phase.REVIEWING, Phase.RUNNING, Phase.COMPLETED)
    return {
        "open_calls": _cohorts_in(
            phase_condition(Phase.OPEN), Cohort.applications_close_at, Cohort.id
        ),
        "upcoming": _cohorts_in(
            phase_condition(Phase.UPCOMING), Cohort.applications_open_at, Cohort.id
        ),
        "past": _cohorts_in(
            or_(*(phase_condition(phase) for phase in past)),
            Cohort.starts_on.desc(),
            Cohort.id.desc(),
            limit=PAST_SHOWN,
        ),
    }


def demo_day(cohort: Cohort) -> date:
    """The one day a cohort's demo day falls on, for every page, mail and calendar that names it.

    The day a domain sets through `hooks.demo_day` (milestones: the due date of the cohort's
    Demo day milestone), else the cohort's last day; asked once per request and cohort.
    """
    cache = g.setdefault("_demo_days", {}) if has_request_context() else {}
    if cohort.id not in cache:
        found = (finder(cohort) for _name, finder in hooks.demo_day.entries())
        cache[cohort.id] = next((day for day in found if day is not None), cohort.ends_on)
    return cache[cohort.id]


def cohort_timezones(cohort_ids) -> dict[int, str]:
    """The timezones of several cohorts' programs in one statement, each then kept for the
    request as `cohort_timezone` keeps it (a list page asks once for all its rows)."""
    ids = {i for i in cohort_ids if i is not None}
    cache = g.setdefault("_timezones", {}) if has_request_context() else {}
    missing = [i for i in ids if ("cohort", i) not in cache]
    if missing:
        found = dict(
            db.session.execute(
                select(Cohort.id, Program.timezone)
                .join(Program, Program.id == Cohort.program_id)
                .where(Cohort.id.in_(missing))
            ).all()
        )
        for cohort_id in missing:
            cache[("cohort", cohort_id)] = found.get(cohort_id) or DEFAULT_TIMEZONE
    return {i: cache[("cohort", i)] for i in ids}


def startup_enrollments(startup_id: int) -> list:
    """The startup's enrollments as rows (id, cohort_id, application_id, created_at, cohort_name,
    starts_on, timezone), latest cohort first: one statement per request and startup, however
    many panels, policies and timezones ask (the staff startup page's sections, a founder's
    home five times). Each cohort's timezone is then kept for the request as `cohort_timezone`
    keeps it; a new enrollment drops the kept list (`forget_enrollments`)."""
    cache = g.setdefault("_startup_enrollments", {}) if has_request_context() else {}
    if startup_id not in cache:
        rows = db.session.execute(
            select(
                Enrollment.id,
                Enrollment.cohort_id,
                Enrollment.application_id,
                Enrollment.created_at,
                Cohort.name.label("cohort_name"),
                Cohort.starts_on,
                Program.timezone,
            )
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .join(Program, Program.id == Cohort.program_id)
            .where(Enrollment.startup_id == startup_id)
            .order_by(Cohort.starts_on.desc(), Cohort.id.desc(), Enrollment.id)
        ).all()
        zones = g.setdefault("_timezones", {}) if has_request_context() else {}
        for row in rows:
            zones.setdefault(("cohort", row.cohort_id), row.timezone or DEFAULT_TIMEZONE)
        cache[startup_id] = rows
    return cache[startup_id]


def forget_enrollments(startup_id: int | None = None) -> None:
    """Drop the kept enrollments (of one startup, or all) after an enrollment was made."""
    if has_request_context():
        kept = g.setdefault("_startup_enrollments", {})
        if startup_id is None:
            kept.clear()
        else:
            kept.pop(startup_id, None)


def program_timezones() -> dict[int, str | None]:
    """Every program's timezone as stored (None when unset), by program id: one statement per
    request (the pilots' overdue rule asks per program's today, sometimes twice a page); each
    is then kept for the request as `program_timezone` keeps it."""
    kept = g.get("_program_timezones") if has_request_context() else None
    if kept is None:
        kept = dict(db.session.execute(select(Program.id, Program.timezone)).all())
        if has_request_context():
            g._program_timezones = kept
            zones = g.setdefault("_timezones", {})
            for program_id, timezone in kept.items():
                zones.setdefault(("program", program_id), timezone or DEFAULT_TIMEZONE)
    return kept
