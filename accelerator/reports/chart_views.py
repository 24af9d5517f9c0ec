"""JSON behind the charts, with the same permission as the pages that draw them.

Each answer is a Chart.js configuration's data part: `{"type", "title", "labels", "datasets":
[{"label", "data", "colour"?, "stack"?}], "money"?: currency}`; static/js/charts.js draws it.
Labels are translated here, so the charts speak the reader's language.
"""

from __future__ import annotations

from flask import jsonify

from accelerator.applications.models import Startup
from accelerator.auth.models import Role
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import get_or_404, role_required
from accelerator.milestones import queries as milestone_queries
from accelerator.milestones.models import Health
from accelerator.programs.models import Cohort, Program
from accelerator.reports import bp
from accelerator.reports.dashboard import cohort_dashboard, health_by_period
from accelerator.reports.overview import STAGES, program_overview


@bp.route("/reports/programs/<int:program_id>/funnel.json")
@role_required(Role.STAFF)
def program_funnel_data(program_id: int):
    overview = program_overview(get_or_404(Program, program_id))
    return jsonify(
        type="bar",
        title=_("Application funnel per cohort"),
        labels=[str(label) for _key, label in STAGES],
        datasets=[{"label": f.cohort.name, "data": f.funnel} for f in reversed(overview.cohorts)],
    )


@bp.route("/reports/programs/<int:program_id>/grants.json")
@role_required(Role.STAFF)
def program_grants_data(program_id: int):
    overview = program_overview(get_or_404(Program, program_id))
    cohorts = list(reversed(overview.cohorts))
    return jsonify(
        type="bar",
        title=_("Grant money per cohort"),
        money=cohorts[0].cohort.currency if cohorts else "USD",
        labels=[f.cohort.name for f in cohorts],
        datasets=[
            {"label": _("Committed"), "data": [f.grant_committed / 100 for f in cohorts]},
            {"label": _("Paid"), "data": [f.grant_paid / 100 for f in cohorts]},
        ],
    )


@bp.route("/reports/cohorts/<int:cohort_id>/health.json")
@role_required(Role.STAFF)
def cohort_health_data(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    periods = health_by_period(cohort.id)
    return jsonify(
        type="bar",
        title=_("Check-in health by period"),
        stacked=True,
        labels=[period.isoformat() for period, _counts in periods],
        datasets=[
            {
                "label": str(h.label),
                "data": [counts[h.value] for _period, counts in periods],
                "colour": h.colour,
            }
            for h in Health
        ],
    )


@bp.route("/reports/cohorts/<int:cohort_id>/grants.json")
@role_required(Role.STAFF)
def cohort_grants_data(cohort_id: int):
    from sqlalchemy.orm import joinedload

    cohort = get_or_404(Cohort, cohort_id, options=[joinedload(Cohort.program)])
    cards = [c for c in cohort_dashboard(cohort).cards if c.grant]
    return jsonify(
        type="bar",
        title=_("Grant per startup"),
        stacked=True,
        horizontal=True,
        money=cohort.currency,
        labels=[c.name for c in cards],
        datasets=[
            {"label": _("Paid"), "data": [c.grant.paid / 100 for c in cards], "colour": "#198754"},
            {
                "label": _("Committed, not paid"),
                "data": [(c.grant.committed - c.grant.paid) / 100 for c in cards],
                "colour": "#0d6efd",
            },
            {
                "label": _("Remaining"),
                "data": [c.grant.remaining / 100 for c in cards],
                "colour": "#adb5bd",
            },
        ],
    )


@bp.route("/reports/startups/<int:startup_id>/kpis.json")
@role_required(Role.STAFF)
def startup_kpi_data(startup_id: int):
    get_or_404(Startup, startup_id)
    rows = milestone_queries.startup_checkins(startup_id)
    currency = rows[-1][1].currency if rows else "USD"
    return jsonify(
        type="line",
        title=_("KPIs from the check-ins"),
        labels=[c.period_on.isoformat() for _n, c in rows],
        money=currency,
        datasets=[
            {
                "label": _("Monthly revenue"),
                "data": [c.revenue_cents / 100 for _n, c in rows],
                "axis": "money",
            },
            {"label": _("Active users"), "data": [c.active_users for _n, c in rows]},
            {"label": _("Headcount"), "data": [c.headcount for _n, c in rows]},
            {"label": _("Pilots"), "data": [c.pilots for _n, c in rows]},
        ],
    )
