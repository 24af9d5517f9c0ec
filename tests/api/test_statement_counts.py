"""Every /api/v1 list costs the same number of SQL statements at 5 rows as at 40.

LISTS maps a list URL to a builder that adds n rows the list shows (to staff, or to the
founder the builder returns). A resource group adds its lists here.
"""

from __future__ import annotations

import pytest

from tests import factories

SMALL, LARGE = 5, 40


def _programs(n, world):
    for _ in range(n):
        factories.make_cohort(program=factories.make_program())


def _cohorts(n, world):
    for _ in range(n):
        factories.make_cohort(program=world["program"])


def _enrollments(n, world):
    for _ in range(n):
        factories.make_enrollment(cohort=world["running"])


def _startups(n, world):
    for _ in range(n):
        factories.make_startup()


def _applications(n, world):
    for _ in range(n):
        factories.make_application(cohort=world["open"])


def _reviews(n, world):
    for _ in range(n):
        factories.make_review(application=factories.make_application(status="in_review"))


def _grants(n, world):
    for _ in range(n):
        factories.make_grant(cohort=world["running"])


def _ledger(n, world):
    for _ in range(n):
        factories.make_disbursement(world["grant"], amount_cents=1_000, requester=world["staff"])


LISTS = {
    "/api/v1/startups?limit=200": _startups,
    "/api/v1/applications?limit=200": _applications,
    "/api/v1/reviews?limit=200": _reviews,
    "/api/v1/grants?limit=200": _grants,
    "/api/v1/grants/{grant}/disbursements?limit=200": _ledger,
    "/api/v1/programs?limit=200": _programs,
    "/api/v1/cohorts?limit=200": _cohorts,
    "/api/v1/enrollments?limit=200": _enrollments,
}


@pytest.mark.parametrize("url", sorted(LISTS))
def test_a_list_costs_the_same_at_5_and_40_rows(url, api, staff, count_queries, db):
    world = {
        "program": factories.make_program(),
        "running": factories.make_cohort(phase="running"),
        "open": factories.make_cohort(phase="open"),
        "staff": factories.make_user(role="staff"),
    }
    world["grant"] = factories.make_grant(cohort=world["running"])
    build, url = LISTS[url], url.format(grant=world["grant"].id)
    api.get(url, as_=staff)  # the token's first use is noted once: not part of the count
    counts = []
    for size in (SMALL, LARGE - SMALL):
        build(size, world)
        with count_queries() as counter:
            response = api.get(url, as_=staff)
        assert response.status_code == 200
        assert len(response.get_json()["items"]) >= size  # the rows are there to be counted
        counts.append(counter.count)
    assert counts[0] == counts[1], f"{url}: {counts[0]} statements at {SMALL}, {counts[1]} at 40"
