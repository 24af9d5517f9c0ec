"""What the guests of a demo day receive: the invitation with their personal link, the news
of a seat freed for them, and the reminders. Each mail is in the guest's own language (guests
have no account: `Guest.locale`), and every one carries the one-click unsubscribe headers
(RFC 8058) of its link."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from accelerator.core.models import OutboxEmail, new_message_id
from accelerator.core.timeutil import format_dt
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.demoday.models import DemoDay, Guest
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.programs.queries import cohort_timezone

SUBJECTS = {
    "invitation": _l("You are invited to the demo day of %(cohort)s"),
    "renewed": _l("Your new link for the demo day of %(cohort)s"),
    "promoted": _l("A seat is yours at the demo day of %(cohort)s"),
    "no_answer": _l("Will you come to the demo day of %(cohort)s?"),
    "day_before": _l("Tomorrow: the demo day of %(cohort)s"),
}
TEMPLATES = {
    "invitation": "demoday/guests/mail_invitation.txt",
    "renewed": "demoday/guests/mail_invitation.txt",
    "promoted": "demoday/guests/mail_promoted.txt",
    "no_answer": "demoday/guests/mail_reminder.txt",
    "day_before": "demoday/guests/mail_reminder.txt",
}


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers that let a mail client unsubscribe in one click (RFC 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _locale(guest: Guest) -> str:
    languages = current_app.config["LANGUAGES"]
    wanted = (guest.locale or "")[:2].lower()
    return wanted if wanted in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _cohort_name(demo_day: DemoDay) -> str:
    return db.session.scalar(select(Cohort.name).where(Cohort.id == demo_day.cohort_id)) or ""


def send(
    kind: str, demo_day: DemoDay, guests: Iterable[Guest], tokens: dict[int, str] | None = None
) -> int:
    """Queue the `kind` mail to each guest in one INSERT, each in their language; with
    `tokens` (guest id -> clear token) each mail has the guest's link and unsubscribe URL."""
    guests = list(guests)
    if not guests:
        return 0
    tokens = tokens or {}
    cohort = _cohort_name(demo_day)
    tz = cohort_timezone(demo_day.cohort_id)
    now = utcnow()
    rows = []
    for guest in guests:
        token = tokens.get(guest.id)
        link = external_url("demoday.rsvp", token=token) if token else None
        unsubscribe = external_url("demoday.rsvp_unsubscribe", token=token) if token else None
        with force_locale(_locale(guest)):
            body = render_template(
                TEMPLATES[kind],
                kind=kind,
                guest=guest,
                demo_day=demo_day,
                cohort=cohort,
                when=format_dt(demo_day.starts_at, tz),
                link=link,
                unsubscribe=unsubscribe,
            )
            subject = str(SUBJECTS[kind] % {"cohort": cohort})
        rows.append(
            {
                "to": guest.email,
                "subject": subject,
                "body": body,
                "message_id": new_message_id(),
                "headers": unsubscribe_headers(unsubscribe) if unsubscribe else None,
                "created_at": now,
                "attempts": 0,
            }
        )
    db.session.execute(insert(OutboxEmail), rows)
    return len(rows)


def invitations(
    demo_day: DemoDay, guests: Iterable[Guest], tokens: dict[int, str], *, renewed: bool = False
) -> int:
    return send("renewed" if renewed else "invitation", demo_day, guests, tokens)


def promoted(demo_day: DemoDay, guests: Iterable[Guest]) -> int:
    return send("promoted", demo_day, guests)
