"""Every at-risk rule, for a whole cohort at once, with its config threshold."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from accelerator.core.risk import flags_for, rule_names
from accelerator.milestones.models import Cadence
from accelerator.milestones.periods import all_periods
from tests import factories


def _noon(day):
    return datetime.combine(day, time(12), UTC)


def _reasons(cohort, startup_id, now, rule=None):
    flags = flags_for(cohort.id, [startup_id], now=now)[startup_id]
    return [f.reason for f in flags if rule is None or f.rule == rule]


def test_the_rules_are_registered():
    assert {"missed_checkins", "reported_red", "overdue_milestone", "flat_kpis"} <= set(
        rule_names()
    )


def test_missed_two_check_ins_in_a_row(enrollment, cohort):
    weeks = all_periods(cohort.starts_on, cohort.ends_on, Cadence.WEEKLY)
    now = _noon(weeks[3].starts_on)  # weeks 0, 1, 2 are over
    factories.make_checkin(enrollment, weeks[0].starts_on)
    assert _reasons(cohort, enrollment.startup_id, now, "missed_checkins") == [
        "Missed the last 2 check-ins in a row."
    ]
    factories.make_checkin(enrollment, weeks[2].starts_on)
    assert _reasons(cohort, enrollment.startup_id, now, "missed_checkins") == []


def test_missed_threshold_comes_from_config(app, enrollment, cohort):
    weeks = all_periods(cohort.starts_on, cohort.ends_on, Cadence.WEEKLY)
    now = _noon(weeks[3].starts_on)
    factories.make_checkin(enrollment, weeks[1].starts_on)
    app.config["RISK_MISSED_CHECKINS"] = 1
    try:
        assert _reasons(cohort, enrollment.startup_id, now, "missed_checkins") == [
            "Missed the last check-in."
        ]
    finally:
        app.config["RISK_MISSED_CHECKINS"] = 2


def test_reported_red(enrollment, cohort):
    factories.make_checkin(enrollment, cohort.starts_on, health="red", blockers="No BU sponsor")
    reasons = _reasons(cohort, enrollment.startup_id, _noon(cohort.starts_on), "reported_red")
    assert len(reasons) == 1 and "No BU sponsor" in reasons[0]
    factories.make_checkin(enrollment, cohort.starts_on + timedelta(days=7), health="amber")
    assert _reasons(cohort, enrollment.startup_id, _noon(cohort.starts_on), "reported_red") == []


def test_an_overdue_milestone(enrollment, cohort):
    first_due = cohort.starts_on + timedelta(days=6)
    on_time = _noon(first_due)
    assert _reasons(cohort, enrollment.startup_id, on_time, "overdue_milestone") == []
    late = _noon(first_due + timedelta(days=1))
    assert _reasons(cohort, enrollment.startup_id, late, "overdue_milestone") == [
        f"Milestone “Onboarding and goals” is overdue (due {first_due.isoformat()})."
    ]


def test_no_kpi_growth_over_four_periods(enrollment, cohort):
    weeks = all_periods(cohort.starts_on, cohort.ends_on, Cadence.WEEKLY)
    for week in weeks[:4]:
        factories.make_checkin(enrollment, week.starts_on, revenue_cents=100_000, active_users=50)
    now = _noon(weeks[4].starts_on)
    assert _reasons(cohort, enrollment.startup_id, now, "flat_kpis") == [
        "No growth in revenue or active users over the last 4 check-ins."
    ]


def test_growth_in_users_alone_is_growth(enrollment, cohort):
    weeks = all_periods(cohort.starts_on, cohort.ends_on, Cadence.WEEKLY)
    for index, week in enumerate(weeks[:4]):
        factories.make_checkin(
            enrollment, week.starts_on, revenue_cents=100_000, active_users=50 + index
        )
    assert _reasons(cohort, enrollment.startup_id, _noon(weeks[4].starts_on), "flat_kpis") == []


def test_flags_for_a_cohort_take_a_fixed_number_of_queries(app, cohort, count_queries):
    small = [factories.make_enrolled(cohort=cohort).startup_id for _ in range(2)]
    with count_queries() as first:
        flags_for(cohort.id, small)
    more = small + [factories.make_enrolled(cohort=cohort).startup_id for _ in range(4)]
    with count_queries() as second:
        flags_for(cohort.id, more)
    assert second.count == first.count
