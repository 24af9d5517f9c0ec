"""The staff impact report of a program: its cohorts side by side (`impact.program_impact`),
its chart and its CSV/XLSX downloads. Staff only."""

from __future__ import annotations

from flask import jsonify, render_template, request
from sqlalchemy import select

from accelerator.auth.models import Role
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import get_or_404, role_required
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import program_choices
from accelerator.reports import bp, exports
from accelerator.reports.impact import MIN_GROUP, program_impact
from accelerator.reports.views import _download, _program_from_args


def _chosen(program: Program) -> tuple[list[tuple[int, str]], list[int]]:
    """The program's cohorts (id, name), newest first, and the ticked ones (?cohort=, several)."""
    cohorts = [
        (cohort_id, name)
        for cohort_id, name in db.session.execute(
            select(Cohort.id, Cohort.name)
            .where(Cohort.program_id == program.id)
            .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        )
    ]
    known = dict(cohorts)
    chosen = [n for n in map(bounded_int, request.args.getlist("cohort")) if n in known]
    return cohorts, chosen


@bp.route("/reports/impact")
@role_required(Role.STAFF)
def impact_report():
    program = _program_from_args()
    if program is None:
        return render_template("reports/impact.html", program=None, report=None)
    cohorts, chosen = _chosen(program)
    return render_template(
        "reports/impact.html",
        program=program,
        programs=program_choices(),
        cohorts=cohorts,
        chosen=chosen,
        report=program_impact(program, cohort_ids=chosen),
        min_group=MIN_GROUP,
    )


def _report(program_id: int):
    program = get_or_404(Program, program_id)
    _cohorts, chosen = _chosen(program)
    return program, chosen, program_impact(program, cohort_ids=chosen)


@bp.route("/reports/programs/<int:program_id>/impact.json")
@role_required(Role.STAFF)
def impact_chart_data(program_id: int):
    _program, _chosen_ids, report = _report(program_id)
    cohorts = list(reversed(report.cohorts))
    return jsonify(
        type="bar",
        title=_("Alumni, survivors and contracts per cohort"),
        labels=[f.name for f in cohorts],
        datasets=[
            {"label": _("Alumni"), "data": [f.count for f in cohorts]},
            {"label": _("Answered the survey"), "data": [len(f.answered) for f in cohorts]},
            {
                "label": _("Operating or acquired"),
                "data": [f.surviving for f in cohorts],
                "colour": "#198754",
            },
            {"label": _("Pilots turned into contracts"), "data": [f.go for f in cohorts]},
        ],
    )


@bp.route("/reports/programs/<int:program_id>/impact.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def impact_download(program_id: int, fmt: str):
    program, chosen, report = _report(program_id)
    stem = f"program-{program.id}-impact"
    return _download(exports.impact_sheets(report, program), fmt, stem)
