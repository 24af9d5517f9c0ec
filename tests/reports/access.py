"""Access expectations for the reports: every page, download and chart JSON is staff-only."""

from __future__ import annotations

from tests.access import Case, staff_only


def build(world) -> None:
    from tests import factories

    cohort = factories.make_cohort(phase="running")
    grant = factories.make_grant(cohort=cohort, founders=[factories.make_user(role="founder")])
    world.report_cohort = cohort
    world.report_grant = grant
    from accelerator.extensions import db
    from accelerator.programs.models import Enrollment

    world.report_startup_id = db.session.get(Enrollment, grant.enrollment_id).startup_id


def _cohort(path: str):
    return lambda w: f"/reports/cohorts/{w.report_cohort.id}{path}"


def _program(path: str):
    return lambda w: f"/reports/programs/{w.report_cohort.program_id}{path}"


def _startup(path: str = ""):
    return lambda w: f"/reports/startups/{w.report_startup_id}{path}"


CASES = {
    "reports.overview": [
        Case("/reports/", staff_only()),
        Case(lambda w: f"/reports/?program={w.report_cohort.program_id}", staff_only()),
    ],
    "reports.cohort_dashboard_page": [Case(_cohort(""), staff_only())],
    "reports.startup": [Case(_startup(), staff_only())],
    "reports.startup_history": [
        Case(_startup("/history"), staff_only()),
        Case(_startup("/history?page=2"), staff_only()),
    ],
    "reports.cohort_download": [
        Case(_cohort("/cohort.xlsx"), staff_only()),
        Case(_cohort("/cohort.csv?sheet=checkins"), staff_only()),
        Case(_cohort("/mentors.csv"), staff_only()),
        Case(_cohort("/mentors.xlsx"), staff_only()),
    ],
    "reports.program_download": [
        Case(_program("/report.xlsx"), staff_only()),
        Case(_program("/report.csv?sheet=mix"), staff_only()),
    ],
    "reports.program_funnel_data": [Case(_program("/funnel.json"), staff_only())],
    "reports.program_grants_data": [Case(_program("/grants.json"), staff_only())],
    "reports.cohort_health_data": [Case(_cohort("/health.json"), staff_only())],
    "reports.cohort_grants_data": [Case(_cohort("/grants.json"), staff_only())],
    "reports.startup_kpi_data": [Case(_startup("/kpis.json"), staff_only())],
    "reports.pilots_report": [
        Case("/reports/pilots", staff_only()),
        Case(
            lambda w: (
                f"/reports/pilots?program={w.report_cohort.program_id}&cohort={w.report_cohort.id}"
            ),
            staff_only(),
        ),
    ],
    "reports.pilots_chart_data": [Case(_program("/pilots.json"), staff_only())],
    "reports.pilots_download": [
        Case(_program("/pilots.xlsx"), staff_only()),
        Case(_program("/pilots.csv?sheet=cohorts"), staff_only()),
    ],
}


# The impact report and the transparency pages: their cases and world in access_impact.py.
from tests.reports import access_impact  # noqa: E402

for _endpoint, _cases in access_impact.CASES.items():
    assert _endpoint not in CASES, f"{_endpoint} listed twice"
    CASES[_endpoint] = _cases
_build_reports = build


def build(world) -> None:  # noqa: F811
    _build_reports(world)
    access_impact.build(world)
