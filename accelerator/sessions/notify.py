"""Who hears about office hours and sessions: the mentor, the startup's founders, and staff."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_emails, timezone_of
from accelerator.auth.models import User
from accelerator.auth.queries import staff_emails
from accelerator.core.mailing import mail_each
from accelerator.core.urls import external_url
from accelerator.extensions import db


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def slot_event(event: str, slot, *, actor, startup: Startup | None = None) -> int:
    """A slot was booked or its booking cancelled: tell the mentor and the startup's founders."""
    startup = startup or db.session.get(Startup, slot.startup_id)
    mentor = _user(slot.mentor_id)
    recipients = [mentor.email, *founder_emails(startup.id)]
    names = {"startup": startup.name, "mentor": mentor.name}
    subjects = {
        "booked": _l("Office hour booked: %(startup)s with %(mentor)s", **names),
        "cancelled": _l("Office hour cancelled: %(startup)s with %(mentor)s", **names),
    }
    return mail_each(
        recipients,
        subjects[event],
        f"mentoring_slot_{event}.txt",
        slot=slot,
        startup=startup,
        mentor=mentor,
        actor=actor,
        link=external_url("sessions.office_hours_page"),
    )


def session_logged(session, *, actor, startup: Startup) -> int:
    """A founder logged a session: the mentor confirms it. A mentor logged one: founders read
    the summary."""
    mentor = _user(session.mentor_id)
    if session.is_pending:
        recipients, template = [mentor.email], "mentoring_session_to_confirm.txt"
        subject = _l("Please confirm a session with %(startup)s", startup=startup.name)
    else:
        recipients, template = founder_emails(startup.id), "mentoring_session_summary.txt"
        subject = _l("Session notes from %(mentor)s", mentor=mentor.name)
    return mail_each(
        recipients,
        subject,
        template,
        session=session,
        startup=startup,
        mentor=mentor,
        actor=actor,
        link=external_url("sessions.session_detail", session_id=session.id),
        tz=timezone_of(session),
    )


def red_flag_raised(session, *, actor, startup: Startup) -> int:
    """A mentor raised a red flag: every staff member hears at once."""
    mentor = _user(session.mentor_id)
    return mail_each(
        staff_emails(),
        _l("Red flag on %(startup)s from %(mentor)s", startup=startup.name, mentor=mentor.name),
        "mentoring_red_flag.txt",
        session=session,
        startup=startup,
        mentor=mentor,
        link=external_url("sessions.session_detail", session_id=session.id),
    )
