"""Every dashboard runs a fixed number of SQL statements, at two sizes of data."""

from __future__ import annotations

import pytest

from accelerator.applications.models import Startup
from accelerator.extensions import db
from accelerator.programs.models import Enrollment
from tests.pages import unsigned
from tests.reports import builders

PAGES = {
    "cohort dashboard": lambda c, s: f"/reports/cohorts/{c.id}",
    "cohort health json": lambda c, s: f"/reports/cohorts/{c.id}/health.json",
    "cohort grants json": lambda c, s: f"/reports/cohorts/{c.id}/grants.json",
    "program overview": lambda c, s: f"/reports/?program={c.program_id}",
    "program funnel json": lambda c, s: f"/reports/programs/{c.program_id}/funnel.json",
    "program grants json": lambda c, s: f"/reports/programs/{c.program_id}/grants.json",
    "startup page": lambda c, s: f"/reports/startups/{s}",
    "startup history": lambda c, s: f"/reports/startups/{s}/history",
    "startup kpis json": lambda c, s: f"/reports/startups/{s}/kpis.json",
}


def _grow(cohort, startups: int) -> None:
    """More startups in the same cohort, each with its check-ins, milestones, grant, sessions."""
    from tests import factories

    staff = factories.make_user(role="staff")
    approver = factories.make_user(role="staff")
    from accelerator.programs.models import Program

    program = db.session.get(Program, cohort.program_id)
    older = factories.make_cohort(program=program, phase="completed")
    factories.make_grant(cohort=older, founders=[factories.make_user(role="founder")])
    for _ in range(startups):
        grant = factories.make_grant(cohort=cohort, founders=[factories.make_user(role="founder")])
        factories.make_disbursement(grant, status="paid", requester=staff, approver=approver)
        enrollment = db.session.get(Enrollment, grant.enrollment_id)
        from datetime import timedelta

        from accelerator.applications.models import Startup

        for week in range(4):
            builders.make_checkin(enrollment, period_on=cohort.starts_on + timedelta(weeks=week))
        builders.make_milestone(enrollment, due_on=cohort.starts_on + timedelta(days=3))
        mentor = factories.make_user(role="mentor")
        match = builders.make_match(cohort, db.session.get(Startup, enrollment.startup_id), mentor)
        builders.make_session(match)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_statements_do_not_grow_with_the_data(name, running, login_as, staff, count_queries):
    cohort, grants = running
    startup_id = db.session.get(Enrollment, grants[0].enrollment_id).startup_id
    url = PAGES[name](cohort, startup_id)
    client = login_as(staff)
    client.get(url)  # warm up
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(cohort, 8)
    builders.make_running_cohort(2)  # and another cohort of another program
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, (name, small.count, large.count)


def _reading(counter, table: str) -> list[str]:
    return [s for s in counter.statements if f"FROM {table} " in " ".join(s.split()) + " "]


def test_the_startup_page_reads_what_its_sections_share_once(
    running, login_as, staff, count_queries, computed_figures
):
    """The sections of the staff startup page share one read of the startup's enrollments
    (and its timezone from it); the grant ledger loads no people it does not show."""
    cohort, grants = running
    startup_id = db.session.get(Enrollment, grants[0].enrollment_id).startup_id
    client = login_as(staff)
    client.get(f"/reports/startups/{startup_id}")  # warm up
    with count_queries() as counter:
        assert client.get(f"/reports/startups/{startup_id}").status_code == 200
    assert len(_reading(counter, "enrollments")) == 1, _reading(counter, "enrollments")
    assert not any("FROM users WHERE users.id IN" in s for s in counter.statements)
    # 33 before they shared them; one more since the page is read apart from its kept sections
    assert counter.count <= 26, counter.count


def test_the_dashboard_reads_the_risk_rules_data_once(running, login_as, staff, count_queries):
    """The at-risk rules share one read of the cohort's enrollments and one of their check-ins."""
    cohort, _grants = running
    client = login_as(staff)
    client.get(f"/reports/cohorts/{cohort.id}")  # warm up
    with count_queries() as counter:
        assert client.get(f"/reports/cohorts/{cohort.id}").status_code == 200
    plain = [" ".join(s.split()) for s in counter.statements]
    risk_enrollments = [
        s for s in plain if s.startswith("SELECT enrollments.id, enrollments.startup_id FROM")
    ]
    assert len(risk_enrollments) == 1, risk_enrollments
    assert not any(s.startswith("SELECT checkins.id,") for s in plain)  # rows, not entities
    assert counter.count <= 20, counter.count  # 25 before the rules shared their reads


def test_the_startup_pages_sections_are_kept_until_a_table_they_read_changes(
    running, login_as, staff, admin, count_queries
):
    """The sections (core.hooks.startup_staff) are the same for every staff member: kept as
    rendered, a second view reads the startup and its timezone only, and a disbursement paid
    or a name changed in between shows on the next view."""
    _cohort, grants = running
    startup_id = db.session.get(Enrollment, grants[0].enrollment_id).startup_id
    db.session.commit()
    client = login_as(staff)
    first = client.get(f"/reports/startups/{startup_id}").get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(f"/reports/startups/{startup_id}").get_data(as_text=True)
    assert unsigned(again) == unsigned(first)
    assert counter.count <= 4, counter.statements
    assert not any("FROM disbursements" in s for s in counter.statements)

    db.session.get(Startup, startup_id).name = "Société Éclair"
    db.session.commit()
    page = login_as(admin).get(f"/reports/startups/{startup_id}").get_data(as_text=True)
    assert page.count("Société Éclair") >= 2  # the title and the profile section
