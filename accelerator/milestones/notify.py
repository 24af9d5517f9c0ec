"""Who hears about milestones and check-ins: staff when founders report, founders when staff act."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from accelerator.applications.queries import founder_emails
from accelerator.auth.queries import staff_emails
from accelerator.core.mailing import mail_each
from accelerator.core.urls import external_url

__all__ = ["founder_emails", "staff_emails", "send"]

SUBJECTS = {
    "submitted": lambda startup, title: _l(
        "%(startup)s submitted the milestone “%(title)s”", startup=startup, title=title
    ),
    "approved": lambda startup, title: _l("Milestone approved: %(title)s", title=title),
    "sent_back": lambda startup, title: _l("Milestone sent back: %(title)s", title=title),
    "commented": lambda startup, title: _l(
        "Staff commented on your check-in (%(period)s)", period=title
    ),
    "reminder_checkin_due": lambda startup, title: _l(
        "Your check-in for %(period)s is due", period=title
    ),
    "reminder_checkin_missed": lambda startup, title: _l(
        "Your check-in for %(period)s is missing", period=title
    ),
    "reminder_milestone_due": lambda startup, title: _l(
        "Milestone due soon: %(title)s", title=title
    ),
    "reminder_milestone_overdue": lambda startup, title: _l(
        "Milestone overdue: %(title)s", title=title
    ),
}


def send(
    event: str,
    recipients: Iterable[str],
    *,
    startup_name: str,
    title: str,
    endpoint: str,
    values: dict,
    **context,
) -> int:
    """Queue one mail per recipient (deduplicated) from templates/mail/milestones_<event>.txt."""
    return mail_each(
        recipients,
        SUBJECTS[event](startup_name, title),
        f"milestones_{event}.txt",
        startup_name=startup_name,
        title=title,
        link=external_url(endpoint, **values),
        **context,
    )
