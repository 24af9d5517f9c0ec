"""Rules that change the alumni domain's state: check, change, audit, queue mail, flush;
never commit.

* `make_alumni(cohort)`: each startup enrolled in a completed cohort becomes its alumnus, with
  its three surveys (6, 12, 24 months after the cohort's last day). Idempotent by the UNIQUE
  keys (`uq_alumni_startup_cohort`, `uq_alumni_surveys_wave`), so two runs at once make one.
* `answer_survey(survey, answers=...)`: the founders (or staff on their behalf) answer a survey
  that is due, or correct an answer until the next wave is due; every impossible number is
  refused at once, each beside its field (`check_answers`).
* `set_listing(alumnus, listed=...)`: the founders' consent to be listed on the program's
  public transparency page.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from accelerator.alumni import policies
from accelerator.alumni.models import (
    MAX_HEADCOUNT,
    MAX_RAISED_CENTS,
    SURVEY_MONTHS,
    Alumnus,
    Outcome,
    RevenueBand,
    RoundType,
    Survey,
    SurveyStatus,
)
from accelerator.applications.queries import timezone_of
from accelerator.core import audit
from accelerator.core.errors import Invalid, InvalidState, NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock_loaded
from accelerator.core.text import checked_text
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Enrollment

#: The currencies an answer is typed in.
CURRENCIES = ("EUR", "USD", "GBP", "CHF")
#: The last wave may be corrected this many months after it became due (no next wave).
LAST_WAVE_OPEN_MONTHS = 12
COMMENT_LIMIT = 4000


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cohort_completed(cohort: Cohort, now: datetime | None = None) -> bool:
    """Whether the cohort's last day is past in its program's zone."""
    return cohort.ends_on < local_today(timezone_of(cohort), now)


# --- Alumni and their surveys ----------------------------------------------------------------


def make_alumni(cohort: Cohort) -> int:
    """Make what is missing for a completed cohort: an alumnus per enrolled startup and its
    three surveys, in the cohort's currency. Returns how many alumni were made."""
    if not cohort_completed(cohort):
        raise InvalidState(_("The cohort has not ended yet."))
    have = set(db.session.scalars(select(Alumnus.startup_id).where(Alumnus.cohort_id == cohort.id)))
    made = 0
    for startup_id in db.session.scalars(
        select(Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(Enrollment.id)
    ):
        if startup_id in have:
            continue
        alumnus = Alumnus(startup_id=startup_id, cohort_id=cohort.id, completed_on=cohort.ends_on)
        if add_unique(alumnus):
            made += 1
            audit.record(
                "alumni.became",
                alumnus,
                actor=None,
                data={"cohort": cohort.name, "completed_on": cohort.ends_on.isoformat()},
            )
    make_surveys(cohort)
    return made


def make_surveys(cohort: Cohort) -> int:
    """The missing surveys of the cohort's alumni (a wave each at 6, 12 and 24 months)."""
    have = {
        (alumnus_id, months)
        for alumnus_id, months in db.session.execute(
            select(Survey.alumnus_id, Survey.months).where(Survey.cohort_id == cohort.id)
        )
    }
    made = 0
    for alumnus in db.session.scalars(
        select(Alumnus).where(Alumnus.cohort_id == cohort.id).order_by(Alumnus.id)
    ):
        for months in SURVEY_MONTHS:
            if (alumnus.id, months) in have:
                continue
            survey = Survey(
                alumnus_id=alumnus.id,
                startup_id=alumnus.startup_id,
                cohort_id=cohort.id,
                months=months,
                due_on=months_after(alumnus.completed_on, months),
                currency=cohort.currency if cohort.currency in CURRENCIES else "EUR",
                status=SurveyStatus.DUE,
            )
            made += add_unique(survey)
    return made


# --- Answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyAnswers:
    """What a founder typed (None where nothing, or nothing readable, was typed)."""

    raised_cents: int | None
    currency: str
    round_type: str | None
    headcount: int | None
    revenue_band: str | None
    outcome: str | None
    contracts: int | None
    contract_cents: int | None
    comment: str = ""


def next_wave(survey: Survey) -> Survey | None:
    return db.session.scalar(
        select(Survey)
        .where(
            Survey.alumnus_id == survey.alumnus_id,
            Survey.months > survey.months,
        )
        .order_by(Survey.months)
        .limit(1)
    )


def open_until(survey: Survey) -> date:
    """The last day an answer to `survey` may be given or corrected: the eve of the next
    wave's due day (LAST_WAVE_OPEN_MONTHS after the last wave's)."""
    following = next_wave(survey)
    if following is not None:
        return following.due_on.fromordinal(following.due_on.toordinal() - 1)
    return months_after(survey.due_on, LAST_WAVE_OPEN_MONTHS)


def answer_window(survey: Survey, today: date) -> str | None:
    """Why the survey cannot be answered today, or None when it can."""
    if today < survey.due_on:
        return _(
            "This survey opens on %(date)s, %(months)d months after the program.",
            date=survey.due_on.isoformat(),
            months=survey.months,
        )
    if survey.status == SurveyStatus.ANSWERED and today > open_until(survey):
        return _("This answer can no longer be corrected: the next survey is due.")
    return None


def earlier_answers(survey: Survey) -> list[Survey]:
    """The alumnus's answered surveys of earlier waves, latest first."""
    return list(
        db.session.scalars(
            select(Survey)
            .where(
                Survey.alumnus_id == survey.alumnus_id,
                Survey.months < survey.months,
                Survey.status == SurveyStatus.ANSWERED.value,
            )
            .order_by(Survey.months.desc())
        )
    )


def check_answers(survey: Survey, answers: SurveyAnswers) -> dict[str, str]:
    """Every impossible answer, each under its field's name (form field names); a field that
    is missing is left to the form. Nothing is changed."""
    errors: dict[str, str] = {}
    raised, value, contracts = answers.raised_cents, answers.contract_cents, answers.contracts
    if answers.currency not in CURRENCIES:
        errors["currency"] = _("Choose a currency from the list.")
    if raised is not None:
        if raised < 0:
            errors["raised"] = _("The money raised cannot be negative.")
        elif raised > MAX_RAISED_CENTS:
            errors["raised"] = _("This amount is too large: check the number of zeros.")
    if answers.headcount is not None:
        if answers.headcount < 0:
            errors["headcount"] = _("The number of people cannot be negative.")
        elif answers.headcount > MAX_HEADCOUNT:
            errors["headcount"] = _("At most %(max)d people: check the number.", max=MAX_HEADCOUNT)
    if contracts is not None and contracts < 0:
        errors["contracts"] = _("The number of contracts cannot be negative.")
    if value is not None:
        if value < 0:
            errors["contract_value"] = _("The value of the contracts cannot be negative.")
        elif value > MAX_RAISED_CENTS:
            errors["contract_value"] = _("This amount is too large: check the number of zeros.")
    if "contracts" not in errors and "contract_value" not in errors:
        if contracts == 0 and value:
            errors["contract_value"] = _(
                "A value without contracts: give the number of contracts, or a value of 0."
            )
        elif contracts and value == 0:
            errors["contract_value"] = _("Give the total value of these contracts.")
    for name, field in (("round_type", RoundType), ("revenue_band", RevenueBand)):
        chosen = getattr(answers, name)
        if chosen is not None and chosen not in field._value2member_map_:
            errors[name] = _("Choose an answer from the list.")
    if answers.outcome is not None and answers.outcome not in Outcome._value2member_map_:
        errors["outcome"] = _("Choose an answer from the list.")
    for earlier in earlier_answers(survey):
        # cumulative figures never go down (compared in the same currency only)
        if (
            "raised" not in errors
            and raised is not None
            and earlier.currency == answers.currency
            and raised < (earlier.raised_cents or 0)
        ):
            errors["raised"] = _(
                "Less than the %(months)d-month answer: the money raised since the program "
                "adds up, so it cannot go down.",
                months=earlier.months,
            )
        if "contracts" not in errors and contracts is not None and contracts < earlier.contracts:
            errors["contracts"] = _(
                "Fewer than the %(months)d-month answer: count every contract signed since "
                "the program.",
                months=earlier.months,
            )
        if (
            "contract_value" not in errors
            and value is not None
            and earlier.currency == answers.currency
            and value < (earlier.contract_cents or 0)
        ):
            errors["contract_value"] = _(
                "Less than the %(months)d-month answer: count every contract signed since "
                "the program.",
                months=earlier.months,
            )
        break  # the latest earlier answer holds the others' totals
    return errors


_REQUIRED = {
    "raised_cents": "raised",
    "round_type": "round_type",
    "headcount": "headcount",
    "revenue_band": "revenue_band",
    "outcome": "outcome",
    "contracts": "contracts",
    "contract_cents": "contract_value",
}


def answer_survey(
    survey: Survey, *, answers: SurveyAnswers, actor, now: datetime | None = None
) -> Survey:
    """Record (or correct) the survey's answers; audited with the figures."""
    if not policies.can_answer_survey(actor, survey):
        raise NotAllowed(_("Only the startup's founders and program staff answer its survey."))
    today = local_today(timezone_of(survey), now)
    closed = answer_window(survey, today)
    if closed:
        raise InvalidState(closed)
    errors = check_answers(survey, answers)
    for attribute, field in _REQUIRED.items():
        if getattr(answers, attribute) is None and field not in errors:
            errors[field] = _("This answer is required.")
    comment = answers.comment or ""
    try:
        comment = checked_text(
            comment,
            field="comment",
            limit=COMMENT_LIMIT,
            too_long=_("At most %(n)d characters.", n=COMMENT_LIMIT),
        )
    except Invalid as error:
        errors.setdefault("comment", error.message)
    if errors:
        refusal = Invalid(
            _("Some answers are not possible: see the fields marked."), field=next(iter(errors))
        )
        refusal.errors = errors  # type: ignore[attr-defined]
        raise refusal
    lock_loaded(survey, "status", "answered_at")
    correcting = survey.status == SurveyStatus.ANSWERED
    before = _figures(survey) if correcting else None
    survey.raised_cents = answers.raised_cents
    survey.currency = answers.currency
    survey.round_type = RoundType(answers.round_type)
    survey.headcount = answers.headcount
    survey.revenue_band = RevenueBand(answers.revenue_band)
    survey.outcome = Outcome(answers.outcome)
    survey.contracts = answers.contracts
    survey.contract_cents = answers.contract_cents
    survey.comment = comment
    survey.answered_by_id = actor.id
    if not correcting:
        survey.answered_at = utcnow()
    survey.status = SurveyStatus.ANSWERED
    after = _figures(survey)
    if correcting and before == after:
        db.session.flush()
        return survey
    data = {**after, "months": survey.months, "on_behalf": bool(actor.is_staff)}
    if before is not None:
        data["before"] = before
    audit.record(
        "alumni.survey_corrected" if correcting else "alumni.survey_answered",
        survey,
        actor=actor,
        data=data,
    )
    db.session.flush()
    return survey


def _figures(survey: Survey) -> dict:
    return {
        "raised_cents": survey.raised_cents,
        "currency": survey.currency,
        "round_type": survey.round_type.value if survey.round_type else None,
        "headcount": survey.headcount,
        "revenue_band": survey.revenue_band.value if survey.revenue_band else None,
        "outcome": survey.outcome.value if survey.outcome else None,
        "contracts": survey.contracts,
        "contract_cents": survey.contract_cents,
        "comment": survey.comment,
    }


def answers_of(survey: Survey) -> SurveyAnswers:
    """The survey's answers as a SurveyAnswers (a correction's first values)."""
    figures = _figures(survey)
    return SurveyAnswers(**{name: figures[name] for name in SurveyAnswers.__dataclass_fields__})


# --- Consent ---------------------------------------------------------------------------------


def set_listing(alumnus: Alumnus, *, listed: bool, actor) -> bool:
    """The founders list their startup on the program's transparency page, or stop; returns
    whether anything changed (audited when it did)."""
    if not policies.can_set_listing(actor, alumnus):
        raise NotAllowed(_("Only the startup's founders decide whether it is listed."))
    lock_loaded(alumnus, "listed_at", "listed_by_id")
    if (alumnus.listed_at is not None) == listed:
        return False
    alumnus.listed_at = utcnow() if listed else None
    alumnus.listed_by_id = actor.id if listed else None
    audit.record("alumni.listed" if listed else "alumni.unlisted", alumnus, actor=actor)
    db.session.flush()
    return True
