"""The "Pilots with business units" report: per unit and per cohort of a program, its chart and
its downloads. Staff only; the figures are pilots' (`pilots.queries.pilot_outcomes`)."""

from __future__ import annotations

from flask import jsonify, render_template, request
from sqlalchemy import select

from accelerator.auth.models import Role
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import get_or_404, role_required
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.pilots import queries as pilot_queries
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import program_choices
from accelerator.reports import bp, exports
from accelerator.reports.views import _download, _program_from_args


def _cohorts(program: Program) -> list[tuple[int, str]]:
    """(id, name) of the program's cohorts, newest first: the cohort filter's choices."""
    rows = db.session.execute(
        select(Cohort.id, Cohort.name)
        .where(Cohort.program_id == program.id)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    return [(cohort_id, name) for cohort_id, name in rows]


def _chosen_cohort(choices: list[tuple[int, str]]) -> int | None:
    """The ?cohort= asked for, if it is one of the program's (else every cohort)."""
    wanted = bounded_int(request.args.get("cohort"))
    return wanted if wanted in dict(choices) else None


def _report(program_id: int):
    program = get_or_404(Program, program_id)
    cohort_id = _chosen_cohort(_cohorts(program))
    return program, cohort_id, pilot_queries.pilot_outcomes(program.id, cohort_id)


@bp.route("/reports/pilots")
@role_required(Role.STAFF)
def pilots_report():
    program = _program_from_args()
    if program is None:
        return render_template("reports/pilots.html", program=None, report=None)
    cohorts = _cohorts(program)
    cohort_id = _chosen_cohort(cohorts)
    return render_template(
        "reports/pilots.html",
        program=program,
        programs=program_choices(),
        cohorts=cohorts,
        cohort_id=cohort_id,
        report=pilot_queries.pilot_outcomes(program.id, cohort_id),
    )


@bp.route("/reports/programs/<int:program_id>/pilots.json")
@role_required(Role.STAFF)
def pilots_chart_data(program_id: int):
    _program, _cohort_id, report = _report(program_id)
    units = report.units
    return jsonify(
        type="bar",
        title=_("Introductions, pilots started and go decisions per business unit"),
        labels=[unit.name for unit in units],
        datasets=[
            {"label": _("Introductions"), "data": [u.introductions for u in units]},
            {"label": _("Pilots started"), "data": [u.started for u in units]},
            {"label": _("Go decisions"), "data": [u.go for u in units], "colour": "#198754"},
        ],
    )


@bp.route("/reports/programs/<int:program_id>/pilots.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def pilots_download(program_id: int, fmt: str):
    program, cohort_id, report = _report(program_id)
    stem = f"program-{program.id}-pilots" + (f"-cohort-{cohort_id}" if cohort_id else "")
    return _download(exports.pilot_sheets(report, program), fmt, stem)
