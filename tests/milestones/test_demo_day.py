"""Demo day has one date: the due date of the cohort's Demo day milestone (the plan line that
releases the demo-day tranche, else the one titled "Demo day"), else the cohort's last day;
the calendar's key date names the same day."""

from __future__ import annotations

from accelerator.milestones import plans
from accelerator.programs.queries import demo_day
from accelerator.sessions import calendar
from tests import factories


def _demo_line(cohort):
    return next(t for t in plans.templates_of(cohort.id) if t.tranche_key == "demo_day")


def test_demo_day_is_the_due_date_of_the_demo_day_milestone(db, enrollment, cohort):
    due = plans.due_date(cohort, _demo_line(cohort).due_week)
    assert due < cohort.ends_on  # week 13 ends before the cohort's last day, as in the demo
    assert demo_day(cohort) == due
    demo = next(k for k in calendar.key_dates(cohort) if k.uid.endswith("-demo"))
    assert demo.day == due


def test_the_line_titled_demo_day_counts_when_no_line_releases_the_tranche(db, enrollment, cohort):
    line = _demo_line(cohort)
    line.tranche_key, line.due_week = None, 12
    db.session.flush()
    assert demo_day(cohort) == plans.due_date(cohort, 12)


def test_without_a_demo_day_milestone_demo_day_is_the_cohorts_last_day(db):
    cohort = factories.make_cohort(phase="running")
    assert plans.templates_of(cohort.id) == []
    assert demo_day(cohort) == cohort.ends_on
