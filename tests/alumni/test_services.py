"""The survey's rules (impossible numbers refused at once, each beside its field; cumulative
figures; the correction window), consent, and the reads other domains use."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from accelerator.alumni import queries, services
from accelerator.alumni.models import Alumnus, Outcome, Survey, SurveyStatus
from accelerator.applications.models import Startup
from accelerator.core import audit, history
from accelerator.core.errors import Invalid, InvalidState, NotAllowed
from accelerator.extensions import db
from tests import factories


@pytest.fixture
def alumnus(db):
    startup = factories.make_startup(name="Société Éclair")
    return factories.make_alumnus(startup=startup, ended_days_ago=200)


def _founder(alumnus):
    return factories.founder_of(db.session.get(Startup, alumnus.startup_id))


def _at(day, hour=10):
    return datetime.combine(day, time(hour), UTC)


def test_months_after_keeps_the_day_or_the_months_last():
    from datetime import date

    assert services.months_after(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.months_after(date(2026, 8, 15), 6) == date(2027, 2, 15)
    assert services.months_after(date(2026, 3, 1), 24) == date(2028, 3, 1)


def test_make_alumni_is_idempotent(alumnus):
    cohort_id = alumnus.cohort_id
    from accelerator.programs.models import Cohort

    assert services.make_alumni(db.session.get(Cohort, cohort_id)) == 0
    assert (
        db.session.scalar(select(func.count(Survey.id)).where(Survey.cohort_id == cohort_id)) == 3
    )
    assert len(audit.events_of(alumnus)) == 1


def test_an_answer_is_stored_in_cents_audited_and_told(alumnus):
    survey = factories.survey_of(alumnus)
    founder = _founder(alumnus)
    factories.answer(survey, founder, raised_cents=250_000_050, headcount=14)
    assert survey.status == SurveyStatus.ANSWERED
    assert survey.raised_cents == 250_000_050 and survey.answered_by_id == founder.id
    (entry,) = history.entries(audit.events_of(survey))
    assert "answered the 6-month alumni survey" in entry.sentence
    assert "2,500,000.50" in entry.sentence and "14 people" in entry.sentence


def test_impossible_numbers_are_refused_at_once_each_beside_its_field(alumnus):
    survey = factories.survey_of(alumnus)
    with pytest.raises(Invalid) as refused:
        factories.answer(
            survey,
            _founder(alumnus),
            raised_cents=-100,
            headcount=100_001,
            contracts=0,
            contract_cents=500_000,
        )
    assert set(refused.value.errors) == {"raised", "headcount", "contract_value"}
    with pytest.raises(Invalid) as refused:
        factories.answer(
            survey,
            _founder(alumnus),
            raised_cents=10**14,
            headcount=-1,
            contracts=2,
            contract_cents=0,
        )
    assert set(refused.value.errors) == {"raised", "headcount", "contract_value"}
    assert "Give the total value" in refused.value.errors["contract_value"]
    assert survey.status == SurveyStatus.DUE


def test_cumulative_figures_never_go_down_but_a_closed_startup_may_operate_again(alumnus):
    founder = _founder(alumnus)
    six, twelve = factories.survey_of(alumnus, 6), factories.survey_of(alumnus, 12)
    factories.answer(six, founder, raised_cents=100_000_000, contracts=2, outcome="closed")
    with pytest.raises(Invalid) as refused:
        factories.answer(twelve, founder, raised_cents=90_000_000, contracts=1)
    assert set(refused.value.errors) == {"raised", "contracts"}
    assert "6-month answer" in refused.value.errors["raised"]
    # another currency is not compared
    factories.answer(twelve, founder, raised_cents=90_000_000, currency="USD", contracts=2)
    assert twelve.outcome == Outcome.OPERATING  # closed, then operating: allowed, unsaid


def test_a_survey_opens_on_its_day_and_an_answer_is_corrected_until_the_next_wave(alumnus):
    founder = _founder(alumnus)
    twelve = factories.survey_of(alumnus, 12)
    with pytest.raises(InvalidState):
        factories.answer(twelve, founder, at=_at(twelve.due_on - timedelta(days=2)))
    six = factories.survey_of(alumnus, 6)
    factories.answer(six, founder)
    factories.answer(six, founder, at=_at(twelve.due_on - timedelta(days=2)), headcount=20)
    assert six.headcount == 20
    events = audit.events_of(six)
    assert [e.action for e in events] == ["alumni.survey_answered", "alumni.survey_corrected"]
    assert events[1].data["before"]["headcount"] == 12
    with pytest.raises(InvalidState):
        factories.answer(six, founder, at=_at(twelve.due_on + timedelta(days=1)), headcount=21)


def test_only_its_founders_and_staff_answer(alumnus):
    survey = factories.survey_of(alumnus)
    for role in ("mentor", "partner", "founder"):
        with pytest.raises(NotAllowed):
            factories.answer(survey, factories.make_user(role=role))
    staff = factories.make_user(role="staff")
    factories.answer(survey, staff)
    assert audit.events_of(survey)[0].data["on_behalf"] is True


def test_consent_is_the_founders_audited_and_changeable(alumnus):
    founder = _founder(alumnus)
    with pytest.raises(NotAllowed):
        services.set_listing(alumnus, listed=True, actor=factories.make_user(role="staff"))
    assert services.set_listing(alumnus, listed=True, actor=founder)
    assert alumnus.listed_at is not None and alumnus.listed_by_id == founder.id
    assert not services.set_listing(alumnus, listed=True, actor=founder)
    assert services.set_listing(alumnus, listed=False, actor=founder)
    assert alumnus.listed_at is None
    sentences = [e.sentence for e in history.entries(audit.events_of(alumnus))]
    assert any("agreed to list" in s for s in sentences)
    assert any("took the startup off" in s for s in sentences)


def test_latest_answers_gives_each_alumnus_its_latest_answer_in_one_statement(
    alumnus, count_queries
):
    founder = _founder(alumnus)
    six, twelve = factories.survey_of(alumnus, 6), factories.survey_of(alumnus, 12)
    factories.answer(six, founder, headcount=9)
    factories.answer(twelve, founder, headcount=15, outcome="acquired")
    from accelerator.programs.models import Cohort

    other = factories.make_alumnus(cohort=db.session.get(Cohort, alumnus.cohort_id))
    silent = factories.make_alumnus(cohort=db.session.get(Cohort, alumnus.cohort_id))
    factories.answer(factories.survey_of(other), factories.make_user(role="staff"))
    with count_queries() as counter:
        rows = queries.latest_answers([alumnus.cohort_id])
    assert counter.count == 1
    by_startup = {row.startup_id: row for row in rows}
    assert silent.startup_id not in by_startup
    mine = by_startup[alumnus.startup_id]
    assert (mine.months, mine.headcount, mine.outcome) == (12, 15, Outcome.ACQUIRED)
    assert mine.startup_name == "Société Éclair" and mine.listed_at is None
    assert by_startup[other.startup_id].months == 6
    assert queries.latest_answers([]) == []


def test_the_timeline_tells_the_changes(alumnus):
    founder = _founder(alumnus)
    factories.answer(
        factories.survey_of(alumnus, 6), founder, raised_cents=100, headcount=9, outcome="closed"
    )
    factories.answer(factories.survey_of(alumnus, 12), founder, raised_cents=300, headcount=12)
    (story,) = queries.timeline(alumnus.startup_id)
    assert [s.survey.months for s in story.steps] == [6, 12, 24]
    second = story.steps[1]
    assert (second.raised_change, second.headcount_change) == (200, 3)
    assert second.outcome_before == Outcome.CLOSED
    assert isinstance(story.alumnus, Alumnus)
