"""Staff pages of the reports: program overview, cohort dashboard, startup page, downloads."""

from __future__ import annotations

import functools

from babel import numbers
from flask import abort, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.applications.models import Startup, StartupMember
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import Role
from accelerator.core import history, hooks
from accelerator.core.cache import kept_body, kept_fragment
from accelerator.core.i18n import current_locale
from accelerator.core.pagination import paginate
from accelerator.core.permissions import get_or_404, role_required
from accelerator.core.spreadsheets import Sheet, download, written
from accelerator.core.timeutil import local_today
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import program_choices
from accelerator.reports import bp, exports, queries
from accelerator.reports.dashboard import (
    READS as DASHBOARD_READS,
)
from accelerator.reports.dashboard import (
    cohort_dashboard,
    health_by_period,
    overdue_pilots,
)
from accelerator.reports.overview import READS, STAGES, program_overview


def _program_from_args() -> Program | None:
    chosen = bounded_int(request.args.get("program"))
    if chosen:
        return db.session.get(Program, chosen) or abort(404)
    return db.session.scalar(select(Program).order_by(Program.name).limit(1))


@bp.route("/reports/")
@role_required(Role.STAFF)
def overview():
    program = _program_from_args()
    if program is None:
        return render_template("reports/overview.html", program=None, figures=None)
    all_cohorts = list(
        db.session.scalars(
            select(Cohort)
            .where(Cohort.program_id == program.id)
            .order_by(Cohort.starts_on.desc(), Cohort.id)
        )
    )
    known = {c.id for c in all_cohorts}
    chosen = {n for n in map(bounded_int, request.args.getlist("cohort")) if n in known}

    def figures() -> str:
        every = program_overview(program, cohort_ids=sorted(chosen) or None)
        return render_template(
            "reports/_overview_figures.html", program=program, overview=every, stages=STAGES
        )

    return render_template(
        "reports/overview.html",
        program=program,
        # The same for every staff member: kept as rendered until the data changes.
        figures=kept_fragment(
            "program-overview-page",
            (program.id, sorted(chosen)),
            reads=(*READS, Program),
            render=figures,
        ),
        all_cohorts=all_cohorts,
        chosen=chosen,
        programs=program_choices(),
    )


def _cohort(cohort_id: int) -> Cohort:
    return get_or_404(Cohort, cohort_id, options=[joinedload(Cohort.program)])


@bp.route("/reports/cohorts/<int:cohort_id>")
@role_required(Role.STAFF)
def cohort_dashboard_page(cohort_id: int):
    cohort = _cohort(cohort_id)
    timezone = timezone_of(cohort)

    def board() -> str:
        found = cohort_dashboard(cohort)
        overdue, more_overdue = overdue_pilots(cohort.id, found.today)
        return render_template(
            "reports/_cohort_board.html",
            cohort=cohort,
            timezone=timezone,
            board=found,
            periods=health_by_period(cohort.id),
            overdue_pilots=overdue,
            more_overdue=more_overdue,
        )

    # The same for every staff member on a given day (its "at risk" and "overdue" are the
    # day's): kept as rendered until the day ends or the data it reads changes.
    return render_template(
        "reports/cohort.html",
        cohort=cohort,
        board=kept_fragment(
            "cohort-dashboard",
            (cohort.id, local_today(timezone).isoformat()),
            reads=DASHBOARD_READS,
            render=board,
        ),
    )


@bp.route("/reports/startups/<int:startup_id>")
@role_required(Role.STAFF)
def startup(startup_id: int):
    startup = get_or_404(Startup, startup_id)

    def sections() -> str:
        db.session.scalars(  # the profile's needs and team, in two statements
            select(Startup)
            .where(Startup.id == startup.id)
            .options(
                selectinload(Startup.needs),
                selectinload(Startup.members).joinedload(StartupMember.user),
            )
        ).all()
        return hooks.startup_staff.render(startup=startup)

    # The domains' sections (no form in any) are the same for every staff member on a given
    # day (what is due or overdue is the day's): kept as rendered until a table they read
    # changes.
    return render_template(
        "reports/startup.html",
        startup=startup,
        sections=kept_fragment(
            "startup-sections",
            (startup.id, local_today(timezone_of(startup)).isoformat()),
            reads=(Startup, *hooks.startup_staff.reads()),
            render=sections,
        ),
    )


#: What a startup's history reads (its audit events, the people who acted, the startup and the
#: cohorts and programs it applied to or was enrolled in, for its timezone): a committed write
#: renews it.
HISTORY_READS = ("audit_events", "users", Startup, "enrollments", "applications", Cohort, Program)


@bp.route("/reports/startups/<int:startup_id>/history")
@role_required(Role.STAFF)
def startup_history(startup_id: int):
    startup = get_or_404(Startup, startup_id)

    def body() -> str:
        page = paginate(
            queries.history_statement(startup.id),
            per_page=50,
            count_statement=queries.history_count_statement(startup.id),
        )
        return render_template(
            "reports/_startup_history_body.html",
            startup=startup,
            page=page,
            entries=history.entries(page.items),
            timezone=timezone_of(startup),
        )

    # The same for every staff member asking for the same page: kept as rendered until an
    # audit event (any act anywhere), a person, the startup, its applications or its enrollments
    # change.
    return render_template(
        "reports/startup_history.html",
        startup=startup,
        body=kept_body("startup-history", reads=HISTORY_READS, render=body),
    )


SHEET_REPORTS = {"cohort": exports.cohort_report, "mentors": exports.mentor_report}


@bp.route("/reports/cohorts/<int:cohort_id>/<any(cohort, mentors):name>.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def cohort_download(cohort_id: int, name: str, fmt: str):
    cohort = _cohort(cohort_id)
    sheets = SHEET_REPORTS[name](cohort)
    return _download(sheets, fmt, exports.file_stem(name, cohort.id))


@bp.route("/reports/programs/<int:program_id>/report.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def program_download(program_id: int, fmt: str):
    program = get_or_404(Program, program_id)
    return _download(exports.program_report(program), fmt, exports.file_stem("program", program.id))


def _download(sheets: list[Sheet], fmt: str, stem: str):
    """XLSX: every sheet; CSV: one sheet, the first or the one named by ?sheet=."""
    if fmt == "csv":
        by_key = {sheet.key: sheet for sheet in sheets}
        sheets = [by_key.get(request.args.get("sheet", ""), sheets[0])]
        stem = f"{stem}-{sheets[0].key}"
    return download(written(sheets, fmt)[0], fmt, f"{stem}.{fmt}")


@bp.app_template_filter("decimal")
def decimal_filter(value) -> str:
    """A number in the reader's locale (1,234.5 / 1 234,5); empty for None."""
    return "" if value is None else _decimal(value, str(current_locale()))


@bp.app_template_filter("percent")
def percent_filter(value) -> str:
    """A percentage given out of 100, in the reader's locale; a dash for None."""
    return "—" if value is None else _percent(value, str(current_locale()))


# Babel parses the locale's pattern on every call; the overview prints a few hundred figures.
@functools.lru_cache(maxsize=8192, typed=True)
def _decimal(value, locale: str) -> str:
    return numbers.format_decimal(value, locale=locale)


@functools.lru_cache(maxsize=8192, typed=True)
def _percent(value, locale: str) -> str:
    return numbers.format_percent(value / 100, "#,##0.#%", locale=locale)
