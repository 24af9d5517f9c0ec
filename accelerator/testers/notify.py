"""Who hears about test campaigns: staff when one is asked, the founders when it is decided,
and the testers invited, in bulk, each mail with one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_emails
from accelerator.auth.models import User
from accelerator.auth.queries import staff_emails
from accelerator.core.mailing import mail_each
from accelerator.core.models import OutboxEmail, new_message_id
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.testers.models import Campaign, Tester

SUBJECTS = {
    "requested": lambda s, t: _l(
        "Test with the panel asked: %(startup)s, %(title)s", startup=s, title=t
    ),
    "approved": lambda s, t: _l("Your test with the panel is approved: %(title)s", title=t),
    "declined": lambda s, t: _l("Your test with the panel was declined: %(title)s", title=t),
}
INVITATION_SUBJECT = _l("%(startup)s would like your opinion on their product")
REMINDER_SUBJECT = _l("A few days left to give %(startup)s your opinion")
_LINK, _UNSUBSCRIBE = "\x00link\x00", "\x00unsubscribe\x00"


def campaign(event: str, campaign: Campaign, startup: Startup, *, actor: User) -> int:
    """Staff hear of a new request; the founders of its approval or decline."""
    recipients = (
        staff_emails(exclude=[actor.id]) if event == "requested" else founder_emails(startup.id)
    )
    return mail_each(
        [email for email in recipients if email != actor.email],
        SUBJECTS[event](startup.name, campaign.title),
        "testers_campaign.txt",
        event=event,
        campaign=campaign,
        startup_name=startup.name,
        actor_name=actor.name,
        link=external_url("testers.campaign", campaign_id=campaign.id),
    )


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers that let a mail client unsubscribe in one click (RFC 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def invitations(campaign: Campaign, tokens: dict[int, str], *, reminder: bool = False) -> int:
    """Queue one invitation (or reminder) per tester in one INSERT: the body is rendered once
    per language and each tester's personal links are put in. Returns how many."""
    if not tokens:
        return 0
    startup = db.session.get(Startup, campaign.startup_id)
    testers = db.session.execute(
        select(Tester.id, Tester.email, Tester.language).where(Tester.id.in_(list(tokens)))
    ).all()
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    rendered: dict[str, tuple[str, str]] = {}
    subject = REMINDER_SUBJECT if reminder else INVITATION_SUBJECT
    now = utcnow()
    rows = []
    for tester_id, email, language in testers:
        locale = language if language in languages else default
        if locale not in rendered:
            with force_locale(locale):
                body = render_template(
                    "mail/testers_invitation.txt",
                    reminder=reminder,
                    campaign=campaign,
                    startup_name=startup.name,
                    link=_LINK,
                    unsubscribe=_UNSUBSCRIBE,
                )
                rendered[locale] = (str(subject % {"startup": startup.name}), body)
        title, body = rendered[locale]
        token = tokens[tester_id]
        unsubscribe = external_url("testers.unsubscribe", token=token)
        rows.append(
            {
                "to": email,
                "subject": title,
                "body": body.replace(_LINK, external_url("testers.answer", token=token)).replace(
                    _UNSUBSCRIBE, unsubscribe
                ),
                "message_id": new_message_id(),
                "headers": unsubscribe_headers(unsubscribe),
                "created_at": now,
                "attempts": 0,
            }
        )
    db.session.execute(insert(OutboxEmail), rows)
    return len(rows)
