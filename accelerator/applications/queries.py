"""Reads of the applications domain: whose startup a founder's is, who a startup's founders
are, the timezone any object is read in, and the staff list of applications (filters and
sorting from the query string, one SELECT).

The rows' startup, cohort and program come in the same query (joins), so a page costs the
same number of queries whatever the data size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import g, has_request_context
from sqlalchemy import Select, func, inspect, select, text
from sqlalchemy.orm import contains_eager

from accelerator.applications.models import (
    Application,
    ApplicationStatus,
    Stage,
    Startup,
    StartupMember,
)
from accelerator.applications.vocab import (  # noqa: F401  (re-exported: other domains' forms)
    country_pairs,
)
from accelerator.auth.models import User
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import (
    DEFAULT_TIMEZONE,
    cached_timezone,
    cohort_timezone,
    narrow,
    program_timezone,
    selected_filter,
    startup_enrollments,
)

SORTS = {
    "submitted": Application.submitted_at,
    "updated": Application.updated_at,
    "startup": func.lower(Startup.name),
    "status": Application.status,
    "country": Startup.country,
    "cohort": Cohort.name,
}
DEFAULT_SORT = "submitted"


def founder_startup_id(user) -> int | None:
    """The startup this user is a founder of, or None (a founder belongs to one startup).

    The one founder-of query: asked once per request, however many panels and policies ask.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cache = g.setdefault("_startup_ids", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = db.session.scalar(
            select(StartupMember.startup_id).where(StartupMember.user_id == user.id)
        )
    return cache[user.id]


def forget_membership(user) -> None:
    """Drop the cached membership after the user joined or created a startup."""
    if has_request_context():
        g.setdefault("_startup_ids", {}).pop(getattr(user, "id", None), None)


def startup_timezone(startup_id: int) -> str:
    """The timezone of the startup's program: of the cohort it is enrolled in (the newest),
    else of the cohort it last applied to, else the default."""

    def newest_through(model) -> str | None:
        return db.session.scalar(
            select(Program.timezone)
            .join(Cohort, Cohort.program_id == Program.id)
            .join(model, model.cohort_id == Cohort.id)
            .where(model.startup_id == startup_id)
            .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
            .limit(1)
        )

    def newest_enrolled() -> str | None:
        enrollments = startup_enrollments(startup_id)  # kept for the request: others ask too
        return enrollments[0].timezone if enrollments else None

    return cached_timezone(
        ("startup", startup_id),
        lambda: newest_enrolled() or newest_through(Application),
    )


def timezone_of(obj: Any) -> str:
    """The timezone of the program `obj` belongs to: the one answer for a time a person reads
    or types. A Program, Cohort or Startup; or anything with a loaded `cohort`/`program`, or a
    `cohort_id` (an enrollment, an application, a match), `program_id`, or `startup_id` (a
    session, a check-in). Each lookup is asked once per request."""
    if obj is None:
        return DEFAULT_TIMEZONE
    if isinstance(obj, Program):
        return obj.timezone or DEFAULT_TIMEZONE
    if isinstance(obj, Startup):
        return startup_timezone(obj.id)
    loaded = inspect(obj).dict if hasattr(obj, "_sa_instance_state") else {}
    if isinstance(obj, Cohort):
        program = loaded.get("program")
        return program.timezone if program is not None else cohort_timezone(obj.id)
    for relation in ("cohort", "program"):
        if loaded.get(relation) is not None:
            return timezone_of(loaded[relation])
    if getattr(obj, "cohort_id", None) is not None:
        return cohort_timezone(obj.cohort_id)
    if getattr(obj, "program_id", None) is not None:
        return program_timezone(obj.program_id)
    if getattr(obj, "startup_id", None) is not None:
        return startup_timezone(obj.startup_id)
    return DEFAULT_TIMEZONE


def application_of(startup_id: int, cohort_id: int) -> Application | None:
    """The startup's application to the cohort (one per startup and cohort), or None."""
    return db.session.scalar(
        select(Application).where(
            Application.cohort_id == cohort_id, Application.startup_id == startup_id
        )
    )


def founder_emails(startup_id: int) -> list[str]:
    """The addresses of the startup's active founders, in alphabetical order (one answer)."""
    return list(
        db.session.scalars(
            select(User.email)
            .join(StartupMember, StartupMember.user_id == User.id)
            .where(StartupMember.startup_id == startup_id, User.active.is_(True))
            .order_by(User.email)
        )
    )


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _choice(value: str | None, allowed) -> str | None:
    value = (value or "").strip()
    return value if value in allowed else None


@dataclass
class ListFilters:
    """The list's filters, read from request.args; values that make no sense are ignored."""

    program_id: int | None = None
    cohort_id: int | None = None
    status: str | None = None
    sector: str | None = None
    country: str | None = None
    stage: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    direction: str = "desc"

    @classmethod
    def from_args(cls, args: Mapping) -> ListFilters:
        args = {
            key: str(args.get(key) or "").replace("\x00", "")
            for key in (
                "program",
                "cohort",
                "status",
                "sector",
                "country",
                "stage",
                "from",
                "to",
                "q",
                "sort",
                "dir",
            )
        }
        program_id, cohort_id = selected_filter(args)
        country = (args.get("country") or "").strip().upper()
        return cls(
            program_id=program_id,
            cohort_id=cohort_id,
            status=_choice(args.get("status"), {s.value for s in ApplicationStatus}),
            sector=(args.get("sector") or "").strip()[:80] or None,
            country=country if len(country) == 2 and country.isalpha() else None,
            stage=_choice(args.get("stage"), {s.value for s in Stage}),
            submitted_from=_day(args.get("from")),
            submitted_to=_day(args.get("to")),
            q=(args.get("q") or "").strip()[:120],
            sort=_choice(args.get("sort"), SORTS) or DEFAULT_SORT,
            direction="asc" if args.get("dir") == "asc" else "desc",
        )

    @property
    def active(self) -> bool:
        return any(
            [
                self.program_id,
                self.cohort_id,
                self.status,
                self.sector,
                self.country,
                self.stage,
                self.submitted_from,
                self.submitted_to,
                self.q,
            ]
        )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _narrowed(statement: Select, filters: ListFilters) -> Select:
    """The filters as WHERE clauses; startups must be joined when a startup filter is set."""
    statement = narrow(statement, Application.cohort_id, filters.program_id, filters.cohort_id)
    if filters.status:
        statement = statement.where(Application.status == ApplicationStatus(filters.status))
    if filters.sector:
        statement = statement.where(Startup.sector == filters.sector)
    if filters.country:
        statement = statement.where(Startup.country == filters.country)
    if filters.stage:
        statement = statement.where(Startup.stage == Stage(filters.stage))
    if filters.submitted_from:
        start = datetime.combine(filters.submitted_from, time(), UTC)
        statement = statement.where(Application.submitted_at >= start)
    if filters.submitted_to:
        end = datetime.combine(filters.submitted_to + timedelta(days=1), time(), UTC)
        statement = statement.where(Application.submitted_at < end)
    if filters.q:
        # On PostgreSQL a trigram index on lower(name) answers this (migration 0005).
        pattern = f"%{_like_escape(filters.q.lower())}%"
        statement = statement.where(func.lower(Startup.name).like(pattern, escape="\\"))
    return statement


def _needs_startup(filters: ListFilters) -> bool:
    return bool(filters.sector or filters.country or filters.stage or filters.q)


def list_statement(filters: ListFilters) -> Select:
    """Applications with their startup, cohort and program joined in, filtered and sorted."""
    statement = (
        select(Application)
        .join(Application.startup)
        .join(Application.cohort)
        .join(Cohort.program)
        .options(
            contains_eager(Application.startup),
            contains_eager(Application.cohort).contains_eager(Cohort.program),
        )
    )
    statement = _narrowed(statement, filters)
    column = SORTS[filters.sort]
    ordered = column.asc() if filters.direction == "asc" else column.desc()
    tie = Application.id.asc() if filters.direction == "asc" else Application.id.desc()
    # NULLs (drafts have no submission time) last either way; the id keeps pages stable. The
    # default order (submitted, newest first) is an index: ix_applications_submitted_order.
    return statement.order_by(ordered.nulls_last(), tie)


def count_statement(filters: ListFilters) -> Select:
    """How many rows list_statement() gives, counted without the joins the rows need."""
    statement = select(func.count(Application.id))
    if _needs_startup(filters):
        statement = statement.join(Startup, Startup.id == Application.startup_id)
    return _narrowed(statement, filters)


def sectors_in_use() -> list[str]:
    """The distinct sectors of startups that applied, for the filter.

    A loose index scan (one index probe per sector, through ix_startups_sector) rather than a
    DISTINCT over every startup: a handful of sectors, however many startups.
    """
    return list(db.session.scalars(_DISTINCT_SECTORS))


_DISTINCT_SECTORS = text(
    """
    WITH RECURSIVE sectors(sector) AS (
        SELECT min(sector) FROM startups
        UNION ALL
        SELECT (SELECT min(s.sector) FROM startups s WHERE s.sector > sectors.sector)
        FROM sectors WHERE sectors.sector IS NOT NULL
    )
    SELECT sector FROM sectors WHERE sector IS NOT NULL
    """
)
