"""The staff cohort page costs a fixed number of statements whatever the cohort holds."""

from __future__ import annotations

import re
from datetime import timedelta

from accelerator.applications.models import Startup
from accelerator.core.types import clock_at, utcnow
from accelerator.extensions import db
from accelerator.programs.models import Enrollment
from accelerator.reviews import scoreboard
from tests.pages import unsigned


def _grow(make, cohort, reviewer, size: int) -> None:
    approver = make.make_user(role="staff")
    for scores in range(size):
        application = make.make_application(cohort=cohort, status="in_review")
        make.make_review(application=application, reviewer=reviewer, scores=1 + scores % 5)
        grant = make.make_grant(cohort=cohort)
        make.make_disbursement(grant, status="paid", requester=reviewer, approver=approver)
    scoreboard.ensure_current(cohort)
    db.session.commit()


def _statements(client, cohort, count_queries):
    client.get(f"/cohorts/{cohort.id}")  # warm up
    with count_queries() as counter:
        assert client.get(f"/cohorts/{cohort.id}").status_code == 200
    return [" ".join(s.split()) for s in counter.statements]


def test_the_cohort_page_does_not_grow_with_the_cohort(
    make, staff, login_as, count_queries, computed_figures
):
    staff_client = login_as(staff)
    cohort = make.make_cohort(phase="running")
    make.make_demo_day(cohort)
    make.make_unit(cohort=cohort)  # the pilots card shows
    reviewer = make.make_user(role="staff")
    _grow(make, cohort, reviewer, 1)
    small = _statements(staff_client, cohort, count_queries)
    _grow(make, cohort, reviewer, 6)
    large = _statements(staff_client, cohort, count_queries)
    assert len(large) == len(small), (len(small), len(large))
    # the review count comes with the stored ranking; the demo day is read once for its cards,
    # the grant money in one statement, and the loaded program gives the timezone
    assert not any(s.startswith("SELECT count(*) AS count_1 FROM reviews") for s in large)
    assert len([s for s in large if s.startswith("SELECT demo_days.id,")]) == 1
    assert not any(s.startswith("SELECT enrollments.cohort_id, sum(CASE") for s in large)
    assert not any(
        s.startswith("SELECT programs.timezone FROM programs JOIN cohorts") for s in large
    )
    assert "SELECT programs.id, programs.timezone FROM programs" not in large  # pilots card


def test_the_domains_sections_are_kept_until_a_table_they_read_changes(
    make, staff, admin, login_as, count_queries
):
    """The sections other domains add (core.hooks.cohort_staff) are kept as rendered for every
    staff member: a second view reads only the page's own rows, and a grant disbursed or a
    startup renamed in between shows on the next view."""
    cohort = make.make_cohort(phase="running")
    make.make_demo_day(cohort)
    reviewer = make.make_user(role="staff")
    _grow(make, cohort, reviewer, 2)
    client = login_as(staff)
    with count_queries() as computed:
        first = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert unsigned(again) == unsigned(first)
    assert counter.count < computed.count - 5, (counter.count, computed.count)
    assert not any("FROM grants" in s or "FROM mentor_matches" in s for s in counter.statements)

    grant = make.make_grant(cohort=cohort)
    enrollment = db.session.get(Enrollment, grant.enrollment_id)
    db.session.get(Startup, enrollment.startup_id).name = "Société Éclair"
    make.make_disbursement(
        grant, status="paid", requester=reviewer, approver=make.make_user(role="staff")
    )
    db.session.commit()
    page = login_as(admin).get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert page != first and "Société Éclair" in page
    assert "Société Éclair" in login_as(staff).get(f"/cohorts/{cohort.id}").get_data(as_text=True)


def test_the_page_is_kept_whole_and_follows_the_clock_and_the_history(
    make, staff, login_as, count_queries
):
    """Kept as rendered for staff: a second view reads only its user and the cohort; an
    enrollment or an act recorded in between shows on the next view, and the phase badge
    moves when the call closes, with no write anywhere (core.cache.changes_at)."""
    now = utcnow()
    cohort = make.make_cohort(phase="open", applications_close_at=now + timedelta(hours=1))
    db.session.commit()
    client = login_as(staff)
    first = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert unsigned(again) == unsigned(first) and counter.count <= 3, counter.statements
    assert _badge(first) == "Open for applications" and "0 of 6" in first

    make.make_enrollment(cohort=cohort)
    db.session.commit()
    assert "1 of 6" in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)

    with clock_at(now + timedelta(hours=2)):
        later = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert _badge(later) == "Reviewing"


def _badge(page: str) -> str:
    return re.search(r'class="[^"]*phase-badge[^"]*"[^>]*>([^<]*)<', page)[1]
