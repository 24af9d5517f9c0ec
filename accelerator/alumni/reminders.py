"""The alumni surveys' daily run (a `hooks.reminders` sender, `flask reminders send`).

1. Each cohort whose last day is past in its program's zone gets what is missing: an alumnus
   per enrolled startup and its three surveys (services.make_alumni, UNIQUE keys).
2. A survey that became due (its day reached in the program's zone) and was not sent is
   mailed to the startup's founders, once: claimed by a guarded UPDATE ... WHERE sent_at IS
   NULL in the transaction that queues the mail. Only the current wave is mailed: a wave whose
   next one is already due (a cohort older than the domain) is not sent any more.
3. One reminder REMIND_AFTER_DAYS after the mail when still unanswered, claimed the same way
   (reminded_at).

A second run, even at the same moment, finds every claim taken and sends nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import aliased

from accelerator.alumni import notify, services
from accelerator.alumni.models import SURVEY_MONTHS, Alumnus, Survey, SurveyStatus
from accelerator.core.timeutil import local_today
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Enrollment
from accelerator.programs.queries import cohort_timezones

REMIND_AFTER_DAYS = 14
#: Cohorts whose alumni are made: ended at most this long ago (older ones were made before).
_MARGIN = timedelta(days=1)


def _cohorts_to_complete(now: datetime) -> list[Cohort]:
    """Cohorts ended (with a day's margin, checked in each zone) with an enrolled startup that
    is not yet their alumnus, or an alumnus without its three surveys."""
    missing_alumnus = exists().where(
        Enrollment.cohort_id == Cohort.id,
        ~exists().where(
            Alumnus.cohort_id == Enrollment.cohort_id, Alumnus.startup_id == Enrollment.startup_id
        ),
    )
    surveys = (
        select(func.count(Survey.id))
        .where(Survey.alumnus_id == Alumnus.id)
        .correlate(Alumnus)
        .scalar_subquery()
    )
    missing_survey = exists().where(Alumnus.cohort_id == Cohort.id, surveys < len(SURVEY_MONTHS))
    cohorts = db.session.scalars(
        select(Cohort)
        .where(Cohort.ends_on < (now + _MARGIN).date())
        .where(missing_alumnus | missing_survey)
        .order_by(Cohort.id)
    ).all()
    return [cohort for cohort in cohorts if services.cohort_completed(cohort, now)]


def make_missing(now: datetime) -> int:
    return sum(services.make_alumni(cohort) for cohort in _cohorts_to_complete(now))


def _current_waves(now: datetime, *, reminder: bool) -> list[Survey]:
    """Unanswered surveys due (in their zone) whose next wave is not, owed their first mail
    (or, with `reminder`, mailed REMIND_AFTER_DAYS ago and not reminded)."""
    following = aliased(Survey)
    statement = (
        select(Survey)
        .where(Survey.status == SurveyStatus.DUE.value)
        .where(Survey.due_on <= (now + _MARGIN).date())
        .where(
            ~exists().where(
                following.alumnus_id == Survey.alumnus_id,
                following.months > Survey.months,
                following.due_on <= (now - _MARGIN).date(),
            )
        )
        .order_by(Survey.id)
    )
    if reminder:
        statement = statement.where(
            Survey.sent_at.is_not(None),
            Survey.sent_at <= now - timedelta(days=REMIND_AFTER_DAYS),
            Survey.reminded_at.is_(None),
        )
    else:
        statement = statement.where(Survey.sent_at.is_(None))
    surveys = db.session.scalars(statement).all()
    zones = cohort_timezones({s.cohort_id for s in surveys})
    return [s for s in surveys if s.due_on <= local_today(zones[s.cohort_id], now)]


def _claim(survey: Survey, column: str, now: datetime) -> bool:
    """Set `column` (sent_at or reminded_at) if it is still empty and the survey unanswered:
    True for the one run that changed the row."""
    attribute = getattr(Survey, column)
    result = db.session.execute(
        update(Survey)
        .where(and_(Survey.id == survey.id, attribute.is_(None)))
        .where(Survey.status == SurveyStatus.DUE.value)
        .values({column: now})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def send_surveys(now: datetime) -> int:
    """Make what is missing, mail the surveys due and remind the unanswered; how many mails."""
    make_missing(now)
    sent = 0
    for survey in _current_waves(now, reminder=False):
        if _claim(survey, "sent_at", now):
            sent += notify.survey(survey, reminder=False)
    for survey in _current_waves(now, reminder=True):
        if _claim(survey, "reminded_at", now):
            sent += notify.survey(survey, reminder=True)
    db.session.flush()
    return sent
