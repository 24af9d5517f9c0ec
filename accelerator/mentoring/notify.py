"""Mail about matches: mentors hear of confirmed or removed pairs, founders of accepted ones,
staff of declines."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.applications.queries import founder_emails
from accelerator.auth.models import User
from accelerator.auth.queries import staff_emails
from accelerator.core.mail import queue_mail
from accelerator.core.mailing import mail_each
from accelerator.core.urls import external_url


def matches_confirmed(mentor: User, cohort, startups: list) -> None:
    """One mail per mentor listing the startups staff confirmed for them."""
    queue_mail(
        mentor.email,
        _l("You are matched with %(n)d startups in %(cohort)s", n=len(startups), cohort=cohort.name)
        if len(startups) > 1
        else _l(
            "You are matched with %(startup)s in %(cohort)s",
            startup=startups[0].name,
            cohort=cohort.name,
        ),
        "mentoring_matches_confirmed.txt",
        mentor=mentor,
        cohort=cohort,
        startups=startups,
        link=external_url("mentoring.my_matches"),
    )


def match_accepted(match, mentor: User, startup, cohort) -> None:
    mail_each(
        founder_emails(startup.id),
        _l("%(mentor)s is your mentor in %(cohort)s", mentor=mentor.name, cohort=cohort.name),
        "mentoring_match_accepted.txt",
        mentor=mentor,
        startup=startup,
        cohort=cohort,
        link=external_url("mentoring.profile", user_id=mentor.id),
    )


def match_declined(match, mentor: User, startup, cohort, reason: str) -> None:
    mail_each(
        staff_emails(),
        _l("%(mentor)s declined %(startup)s", mentor=mentor.name, startup=startup.name),
        "mentoring_match_declined.txt",
        mentor=mentor,
        startup=startup,
        cohort=cohort,
        reason=reason,
        link=external_url("mentoring.matching", cohort_id=cohort.id),
    )


def match_removed(match, mentor: User, startup, cohort) -> None:
    queue_mail(
        mentor.email,
        _l("Your match with %(startup)s was removed", startup=startup.name),
        "mentoring_match_removed.txt",
        mentor=mentor,
        startup=startup,
        cohort=cohort,
        link=external_url("mentoring.my_matches"),
    )
