"""Program pages run a fixed number of SQL queries, however many programs and cohorts exist."""

from __future__ import annotations

import pytest

from tests import factories


def _grow(make, programs: int, cohorts_each: int) -> None:
    for _ in range(programs):
        program = make.make_program()
        for phase in ("open", "upcoming", "running", "completed", "draft")[:cohorts_each]:
            make.make_cohort(program=program, phase=phase)
        make.make_tag()


@pytest.mark.parametrize("url", ["/calls", "/programs", "/cohorts", "/expertise"])
def test_query_count_does_not_grow_with_the_data(
    login_as, staff, make, count_queries, full_page_counts, url
):
    client = login_as(staff)
    _grow(make, 1, 5)
    client.get(url)  # warm up (session loading, first-request work)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(make, 6, 5)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, (url, small.count, large.count)


def test_a_startups_enrollments_are_read_once_a_request_newest_first(app, db, count_queries):
    from accelerator.programs.queries import (
        cohort_timezone,
        forget_enrollments,
        startup_enrollments,
    )

    startup = factories.make_startup()
    old = factories.make_cohort(phase="completed")
    new = factories.make_cohort(
        phase="running", program=factories.make_program(timezone="America/New_York")
    )
    factories.make_enrollment(cohort=old, startup=startup)
    factories.make_enrollment(cohort=new, startup=startup)
    with app.test_request_context(), count_queries() as counter:
        found = startup_enrollments(startup.id)
        assert [(e.cohort_id, e.timezone) for e in found] == [
            (new.id, "America/New_York"),
            (old.id, "Europe/Paris"),
        ]
        assert startup_enrollments(startup.id) is found
        assert cohort_timezone(new.id) == "America/New_York"  # kept from the same statement
        assert counter.count == 1
        forget_enrollments(startup.id)
        startup_enrollments(startup.id)
        assert counter.count == 2
