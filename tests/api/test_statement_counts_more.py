"""The lists of milestones, check-ins, matches, sessions, pilots, campaigns, demo days and
guests cost the same number of SQL statements at 5 rows as at 40, for staff and for the role
whose rows they are (a founder, a mentor, a partner)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from accelerator.extensions import db
from tests import factories
from tests.api.test_statement_counts import LARGE, SMALL
from tests.sessions.builders import make_pair, make_session

_days = itertools.count(0)


class World:
    """What the builders add rows to: one founder's startup, enrolled; its mentor; a unit."""

    def __init__(self):
        self.cohort = factories.make_cohort(phase="running")
        self.startup = factories.make_startup(name="Société Éclair")
        self.enrollment = factories.make_enrolled(cohort=self.cohort, startup=self.startup)
        self.founder = factories.founder_of(self.startup)
        self.mentor = factories.make_user(role="mentor")
        self.pair = make_pair(mentor=self.mentor, startup=self.startup, cohort=self.cohort)
        self.unit = factories.make_unit(cohort=self.cohort)
        self.partner = factories.make_partner(self.unit)
        self.staff = factories.make_user(role="staff")
        self.demo_day = factories.make_demo_day(self.cohort)


def _milestones(n, w):
    for _ in range(n):
        factories.milestone_with_tranche(w.enrollment)  # read; new ones below
        from accelerator.milestones.models import Milestone

        db.session.add(
            Milestone(enrollment_id=w.enrollment.id, title="Étape", due_on=date(2027, 1, 1))
        )
    db.session.flush()


def _checkins(n, w):
    for _ in range(n):
        period = date(2020, 1, 6) + timedelta(days=7 * next(_days))
        factories.make_checkin(w.enrollment, period, founder=w.founder)


def _matches(n, w):
    for _ in range(n):
        make_pair(mentor=w.mentor, startup=factories.make_startup(), cohort=w.cohort)


def _sessions(n, w):
    for _ in range(n):
        make_session(w.pair, private_notes="Secret")


def _pilots(n, w):
    for _ in range(n):
        introduction = factories.make_introduction(unit=w.unit, cohort=w.cohort, status="accepted")
        factories.make_pilot(introduction=introduction, actor=w.staff, owner=w.partner)


def _campaigns(n, w):
    for _ in range(n):
        factories.make_campaign(startup=w.startup, actor=w.staff)


def _demo_days(n, w):
    for _ in range(n):
        factories.make_demo_day(factories.make_cohort(phase="running"))


def _guests(n, w):
    for _ in range(n):
        factories.make_guest(w.demo_day)


#: url -> (builder, the non-staff role whose rows they are, or None)
LISTS = {
    "/api/v1/milestones?limit=200": (_milestones, "founder"),
    "/api/v1/checkins?limit=200": (_checkins, "mentor"),
    "/api/v1/matches?limit=200": (_matches, "mentor"),
    "/api/v1/sessions?limit=200": (_sessions, "founder"),
    "/api/v1/pilots?limit=200": (_pilots, "partner"),
    "/api/v1/campaigns?limit=200": (_campaigns, "founder"),
    "/api/v1/demo-days?limit=200": (_demo_days, None),
    "/api/v1/guests?limit=200": (_guests, None),
}


@pytest.mark.parametrize("url", sorted(LISTS))
def test_a_list_costs_the_same_at_5_and_40_rows(url, api, count_queries, db):
    world = World()
    builder, role = LISTS[url]
    readers = [world.staff] + ([getattr(world, role)] if role else [])
    for reader in readers:
        api.headers(reader)  # each reader's token, issued (and its audit event written) first
    db.session.flush()
    counts: dict[str, list[int]] = {reader.role: [] for reader in readers}
    for size in (SMALL, LARGE - SMALL):
        builder(size, world)
        for reader in readers:
            # Asked once uncounted: the token's first use is noted (once a minute), and the
            # identity map holds the same objects before each counted request.
            api.get(url, as_=reader)
            with count_queries() as counter:
                response = api.get(url, as_=reader)
            assert response.status_code == 200
            assert len(response.get_json()["items"]) >= size  # the rows are there to be counted
            counts[reader.role].append(counter.count)
    for who, (small, large) in counts.items():
        assert small == large, f"{url} as {who}: {small} statements at {SMALL}, {large} at 40"
