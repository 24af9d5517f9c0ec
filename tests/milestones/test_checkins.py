"""Check-in rules: one per period, past and current periods only, while the cohort runs; KPIs
within bounds; editable until staff comment; asks become mentor requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.extensions import db
from accelerator.milestones import checkins, plans
from accelerator.milestones.models import AskState, CheckIn
from tests import factories

submit = checkins.submit_checkin


def test_a_founder_reports_on_a_started_period(enrollment, cohort, ms_founder):
    checkin = submit(
        enrollment, actor=ms_founder, period_on=cohort.starts_on, data=factories.checkin_input()
    )
    assert checkin.currency == cohort.currency and checkin.revenue_cents == 500_000


def test_a_second_check_in_for_the_period_is_refused(enrollment, cohort, ms_founder):
    submit(enrollment, actor=ms_founder, period_on=cohort.starts_on, data=factories.checkin_input())
    with pytest.raises(Conflict) as error:
        submit(
            enrollment, actor=ms_founder, period_on=cohort.starts_on, data=factories.checkin_input()
        )
    assert error.value.field == "period"


def test_the_database_holds_one_check_in_per_period(enrollment, cohort):
    from sqlalchemy.exc import IntegrityError

    factories.make_checkin(enrollment, cohort.starts_on)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        factories.make_checkin(enrollment, cohort.starts_on)


def test_future_periods_and_dates_off_the_cadence_are_refused(enrollment, cohort, ms_founder):
    future = cohort.starts_on + timedelta(days=7 * 8)
    with pytest.raises(ValidationFailed) as error:
        submit(enrollment, actor=ms_founder, period_on=future, data=factories.checkin_input())
    assert error.value.field == "period" and "not started" in error.value.message
    with pytest.raises(ValidationFailed):
        submit(
            enrollment,
            actor=ms_founder,
            period_on=cohort.starts_on + timedelta(days=2),
            data=factories.checkin_input(),
        )


def test_a_finished_cohort_takes_no_check_ins(ms_founder):
    done = factories.make_cohort(phase="completed")
    enrollment = factories.make_enrolled(cohort=done, founders=[ms_founder])
    with pytest.raises(InvalidState) as error:
        submit(
            enrollment, actor=ms_founder, period_on=done.starts_on, data=factories.checkin_input()
        )
    assert "finished" in error.value.message


@pytest.mark.parametrize(
    "field,value,name",
    [
        ("revenue_cents", -1, "revenue"),
        ("active_users", -5, "active_users"),
        ("headcount", 10**6, "headcount"),
        ("raised_cents", 10**15, "raised"),
        ("pilots", 5000, "pilots"),
        ("health", "purple", "health"),
    ],
)
def test_negative_or_absurd_kpis_are_refused_beside_their_field(
    enrollment, cohort, ms_founder, field, value, name
):
    with pytest.raises(ValidationFailed) as error:
        submit(
            enrollment,
            actor=ms_founder,
            period_on=cohort.starts_on,
            data=factories.checkin_input(**{field: value}),
        )
    assert error.value.field == name
    assert db.session.scalar(select(CheckIn.id)) is None


def test_other_founders_and_staff_cannot_report(enrollment, cohort, staff):
    stranger = factories.make_user(role="founder")
    factories.make_startup(founders=[stranger])
    for actor in (stranger, staff):
        with pytest.raises(NotAllowed):
            submit(
                enrollment, actor=actor, period_on=cohort.starts_on, data=factories.checkin_input()
            )


def test_editable_until_staff_comment(enrollment, cohort, ms_founder, staff):
    checkin = submit(
        enrollment, actor=ms_founder, period_on=cohort.starts_on, data=factories.checkin_input()
    )
    checkins.edit_checkin(checkin, actor=ms_founder, data=factories.checkin_input(headcount=6))
    assert checkin.headcount == 6
    checkins.comment_checkin(checkin, actor=staff, comment="Great pilot news")
    with pytest.raises(InvalidState):
        checkins.edit_checkin(checkin, actor=ms_founder, data=factories.checkin_input(headcount=7))
    db.session.refresh(checkin)
    assert checkin.headcount == 6


def test_staff_turn_an_ask_into_a_mentor_request_once(enrollment, cohort, staff):
    empty = factories.make_checkin(enrollment, cohort.starts_on)
    with pytest.raises(InvalidState):
        checkins.request_mentor(empty, actor=staff)
    asking = factories.make_checkin(
        enrollment, cohort.starts_on + timedelta(days=7), asks="Intro to the B2B sales lead"
    )
    checkins.request_mentor(asking, actor=staff)
    assert asking.ask_state == AskState.MENTOR_REQUESTED
    with pytest.raises(InvalidState):
        checkins.request_mentor(asking, actor=staff)


def test_the_cadence_changes_only_before_the_first_check_in(enrollment, cohort, staff):
    plans.set_cadence(cohort, actor=staff, cadence="biweekly")
    factories.make_checkin(enrollment, cohort.starts_on)
    with pytest.raises(Conflict):
        plans.set_cadence(cohort, actor=staff, cadence="monthly")
