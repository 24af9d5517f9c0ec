"""The demo's acts are dated on their own days, not when `flask seed` ran: a check-in on its
period's day, a milestone moved when it was sent back, the milestones made at the kickoff, the
open season's reviews the days after the applications came in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accelerator import cli
from accelerator.applications.models import Application
from accelerator.config import ROOT
from accelerator.core.models import AuditEvent
from accelerator.core.timeutil import to_local
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.milestones.models import CheckIn
from accelerator.milestones.periods import all_periods, cadence_of
from accelerator.milestones.seed import COHORT, demo_cohort
from accelerator.programs.models import Cohort

TZ = "Europe/Paris"  # the demo program's


@pytest.fixture
def demo(db):
    """The demo data of `flask seed`, in this test's transaction."""
    for _name, step in cli._seeders():
        step(ROOT / "seed_data", lambda *_args, **_kwargs: None)
    db.session.flush()


def _day(moment) -> date:
    return to_local(moment, TZ).date()


def _events(action: str) -> list[AuditEvent]:
    found = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
    assert found, f"the demo records no {action}"
    return found


def test_check_ins_are_dated_in_their_period_as_their_rows_are(demo):
    cohort = demo_cohort(COHORT)
    ends = {p.starts_on: p.ends_on for p in all_periods(cohort.starts_on, cohort.ends_on,
                                                         cadence_of(cohort.id))}  # fmt: skip
    for event in _events("checkin.submitted"):
        checkin = db.session.get(CheckIn, event.object_id)
        assert event.created_at == checkin.created_at, event.data  # one act, one moment
        if checkin.period_on in ends:  # Season 12 (Season 11's are dated by the reports seed)
            assert checkin.period_on <= _day(event.created_at) <= ends[checkin.period_on]


def test_the_other_acts_of_the_running_cohort_are_dated_on_their_days(demo):
    cohort = demo_cohort(COHORT)
    (created,) = _events("milestones.created_for_enrolled")
    assert _day(created.created_at) == cohort.starts_on  # at the kickoff

    sent_back = {e.object_id: e for e in _events("milestone.sent_back")}
    for moved in _events("milestone.moved"):  # more time, given when it was sent back
        assert _day(moved.created_at) == _day(sent_back[moved.object_id].created_at)

    for asked in _events("checkin.mentor_requested"):  # the day after the check-in came in
        checkin = db.session.get(CheckIn, asked.object_id)
        assert _day(checkin.created_at) < _day(asked.created_at)

    today = _day(utcnow())
    for dropped in _events("milestone.dropped"):
        assert _day(dropped.created_at) < today


def test_the_open_seasons_reviews_follow_the_applications(demo):
    """Season 13 still takes applications: those in review got reviewers the next day and
    reviews the day after (never later than now), not at the moment the seed ran."""
    checked = 0
    for action in ("review.assigned", "review.submitted"):
        for event in _events(action):
            application = db.session.get(Application, event.data["application_id"])
            cohort = db.session.get(Cohort, application.cohort_id)
            if cohort.applications_close_at < utcnow():
                continue  # Seasons 11 and 12: dated by their reviews' calendar
            submitted = application.submitted_at
            assert submitted < event.created_at <= submitted + timedelta(days=2), action
            checked += 1
    assert checked
