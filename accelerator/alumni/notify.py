"""Who hears about alumni surveys: the startup's founders, each in their own language, when a
wave is due and once more if it is still unanswered."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.alumni.models import Survey
from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_emails
from accelerator.core.mailing import mail_each
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.programs.models import Cohort


def survey(survey: Survey, *, reminder: bool) -> int:
    """Mail the founders that the survey is due (or a reminder); returns how many mails."""
    startup = db.session.get(Startup, survey.startup_id)
    cohort = db.session.get(Cohort, survey.cohort_id)
    if reminder:
        subject = _l(
            "Reminder: %(startup)s's %(months)s-month alumni survey",
            startup=startup.name,
            months=survey.months,
        )
    else:
        subject = _l(
            "%(startup)s, %(months)s months after %(cohort)s: your alumni survey",
            startup=startup.name,
            months=survey.months,
            cohort=cohort.name,
        )
    return mail_each(
        founder_emails(startup.id),
        subject,
        "alumni_survey.txt",
        reminder=reminder,
        survey=survey,
        startup_name=startup.name,
        cohort_name=cohort.name,
        link=external_url("alumni.survey", survey_id=survey.id),
    )
