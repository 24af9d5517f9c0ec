"""The staff engagement page: tallies per pair, mentor and startup; quiet pairs flagged; a
fixed number of queries whatever the cohort's size."""

from __future__ import annotations

from datetime import timedelta

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Phase
from accelerator.sessions.engagement import engagement
from tests import factories
from tests.sessions.builders import make_pair, make_session


def _cohort_with_pairs(startups: int, *, cohort=None, sessions_each: int = 2):
    cohort = cohort or factories.make_cohort(phase=Phase.RUNNING)
    mentors = [factories.make_user(role="mentor") for _ in range(max(1, startups // 2))]
    for i in range(startups):
        startup = factories.make_startup()
        pair_mentors = {mentors[i % len(mentors)].id: mentors[i % len(mentors)]}
        pair_mentors.setdefault(mentors[(i + 1) % len(mentors)].id, mentors[(i + 1) % len(mentors)])
        for mentor in pair_mentors.values():
            match = make_pair(mentor=mentor, startup=startup, cohort=cohort)
            for day in range(sessions_each):
                make_session(match, days_ago=2 + day * 7, minutes=45, red_flag="x" if day else None)
    return cohort


def test_tallies_per_pair_mentor_and_startup(pair, pair_mentor):
    make_session(pair, days_ago=10, minutes=60)
    make_session(pair, days_ago=3, minutes=30)
    make_session(pair, days_ago=1, minutes=90, pending=True)  # not counted until confirmed
    cohort = db.session.get(Cohort, pair.cohort_id)
    report = engagement(cohort)
    (row,) = report.pairs
    assert (row.sessions, row.minutes, row.hours, row.pending) == (2, 90, 1.5, 1)
    assert row.last_contact.date() == (utcnow() - timedelta(days=1)).date()
    assert not row.quiet
    assert report.mentors[0].name == "Max Mentor" and report.mentors[0].sessions == 2
    assert report.startups[0].name == "Lumen Networks" and report.startups[0].hours == 1.5
    assert report.total.sessions == 2


def test_pairs_without_a_session_for_three_weeks_are_flagged(pair, startup):
    cohort = db.session.get(Cohort, pair.cohort_id)  # started 30 days ago
    other = make_pair(startup=factories.make_startup(), cohort=cohort)
    make_session(other, days_ago=22)
    recent = make_pair(startup=factories.make_startup(), cohort=cohort)
    make_session(recent, days_ago=5)
    report = engagement(cohort)
    quiet = {p.match_id for p in report.quiet_pairs}
    assert quiet == {pair.id, other.id}  # never met since kickoff, and quiet for 22 days


def test_a_new_cohort_flags_nobody(db):
    cohort = factories.make_cohort(phase=Phase.RUNNING, starts_on=utcnow().date() - timedelta(5))
    make_pair(cohort=cohort)
    assert engagement(cohort).quiet_pairs == []


def test_the_page_costs_the_same_queries_at_two_sizes(login_as, staff, count_queries):
    client = login_as(staff)
    cohort = _cohort_with_pairs(2)
    url = f"/mentoring/engagement?cohort={cohort.id}"
    client.get(url)  # warm up
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _cohort_with_pairs(12, cohort=cohort, sessions_each=3)
    with count_queries() as large:
        response = client.get(url)
        assert response.status_code == 200
    assert large.count == small.count, (small.count, large.count)
    assert response.get_data(as_text=True).count("data-pair=") == 2 * 1 + 12 * 2


def test_the_sessions_list_costs_the_same_queries_at_two_sizes(
    login_as, staff, count_queries, full_page_counts, computed_figures
):
    client = login_as(staff)
    _cohort_with_pairs(2)
    client.get("/mentoring/sessions")
    with count_queries() as small:
        assert client.get("/mentoring/sessions").status_code == 200
    _cohort_with_pairs(10, sessions_each=3)
    with count_queries() as large:
        assert client.get("/mentoring/sessions").status_code == 200
    assert large.count == small.count, (small.count, large.count)
