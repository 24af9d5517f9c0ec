"""Who hears about a decision and an offer, and what they read: the startup's founders.

The services call these from the transition itself (a decision, a confirmation, an expiry), so
no caller queues the mail.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accelerator.applications.models import Application, Startup
from accelerator.applications.queries import founder_emails
from accelerator.core.mail import queue_mail
from accelerator.core.timeutil import format_dt
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.reviews.models import Decision, Offer, Outcome
from accelerator.reviews.queries import feedback_for


def mail_context(application: Application) -> dict:
    row = db.session.execute(
        select(Cohort, Program)
        .join(Program, Cohort.program_id == Program.id)
        .where(Cohort.id == application.cohort_id)
    ).one()
    startup = db.session.get(Startup, application.startup_id)
    return {"cohort": row[0], "program": row[1], "startup": startup, "application": application}


def decision_made(application: Application, decision: Decision, offer: Offer | None) -> None:
    context = mail_context(application)
    cohort, program = context["cohort"], context["program"]
    recipients = founder_emails(application.startup_id)
    if decision.outcome == Outcome.ACCEPTED:
        subject = _l("You are accepted into %(cohort)s", cohort=cohort.name)
        template = "decision_accepted.txt"
        context["deadline"] = format_dt(offer.expires_at, program.timezone)
        context["link"] = external_url("applications.show", application_id=application.id)
    elif decision.outcome == Outcome.WAITLISTED:
        subject = _l("You are on the waitlist for %(cohort)s", cohort=cohort.name)
        template = "decision_waitlisted.txt"
    else:
        subject = _l("Your application to %(cohort)s", cohort=cohort.name)
        template = "decision_rejected.txt"
        context["feedback"] = feedback_for(application.id)
    for email in recipients:
        queue_mail(email, subject, template, note=decision.note, **context)


def enrolled(application: Application) -> None:
    """The startup confirmed its place: welcome, with the grant it will receive."""
    context = mail_context(application)
    cohort = context["cohort"]
    for email in founder_emails(application.startup_id):
        queue_mail(
            email,
            _l("Welcome to %(cohort)s", cohort=cohort.name),
            "decision_enrolled.txt",
            grant_amount_cents=cohort.grant_amount_cents,
            currency=cohort.currency,
            **context,
        )


def offer_expired(application: Application) -> None:
    """The offer's deadline passed unanswered: the place went back to the cohort."""
    context = mail_context(application)
    for email in founder_emails(application.startup_id):
        queue_mail(
            email,
            _l("Your offer for %(cohort)s has expired", cohort=context["cohort"].name),
            "decision_offer_expired.txt",
            **context,
        )
