"""Reads about programs that every domain shares: a cohort's or program's timezone.

The one answer for any object is `applications.queries.timezone_of` (it also knows startups);
this module answers for what the programs domain owns.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program

#: The zone of a program created without one, and of things that belong to no program yet.
DEFAULT_TIMEZONE = "Europe/Paris"


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
