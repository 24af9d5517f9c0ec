"""Builders for the alumni domain: a startup that completed a cohort (its alumnus and its
three surveys), and an answered survey."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accelerator.alumni import services
from accelerator.alumni.models import Alumnus, Survey
from accelerator.core.types import clock_at, utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort

__all__ = ["make_alumnus", "survey_of", "answer", "survey_answers"]


def make_alumnus(
    *, cohort: Cohort | None = None, startup=None, ended_days_ago: int = 200
) -> Alumnus:
    """`startup` (a new one with a founder by default) enrolled in `cohort` (a new one that
    ended `ended_days_ago` days ago by default), made an alumnus with its surveys."""
    from tests.factories.programs import make_cohort, make_enrollment

    if cohort is None:
        ends = (utcnow() - timedelta(days=ended_days_ago)).date()
        cohort = make_cohort(phase="completed", starts_on=ends - timedelta(days=91), ends_on=ends)
    enrollment = make_enrollment(cohort=cohort, startup=startup)
    services.make_alumni(cohort)
    return db.session.scalar(
        select(Alumnus).where(
            Alumnus.cohort_id == cohort.id, Alumnus.startup_id == enrollment.startup_id
        )
    )


def survey_of(alumnus: Alumnus, months: int = 6) -> Survey:
    return db.session.scalar(
        select(Survey).where(Survey.alumnus_id == alumnus.id, Survey.months == months)
    )


def survey_answers(**changes) -> services.SurveyAnswers:
    values = dict(
        raised_cents=150_000_000,
        currency="EUR",
        round_type="seed",
        headcount=12,
        revenue_band="100k_1m",
        outcome="operating",
        contracts=1,
        contract_cents=8_000_000,
        comment="",
    )
    values.update(changes)
    return services.SurveyAnswers(**values)


def answer(survey: Survey, actor, *, at=None, **changes) -> Survey:
    """Answer `survey` as `actor` (at its due day by default) with realistic figures."""
    from datetime import datetime, time

    from accelerator.core.timeutil import local_to_utc

    moment = at or local_to_utc(datetime.combine(survey.due_on, time(10, 0)), "Europe/Paris")
    with clock_at(moment):
        return services.answer_survey(
            survey, answers=survey_answers(**changes), actor=actor, now=moment
        )
