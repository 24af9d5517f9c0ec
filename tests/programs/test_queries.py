"""Program pages run a fixed number of SQL queries, however many programs and cohorts exist."""

from __future__ import annotations

import pytest


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
