"""Who hears about introductions and pilots: the startup's founders, the unit's partners and
its staff lead (the program team when the unit has none), never the person who acted."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from accelerator.applications.queries import founder_emails
from accelerator.auth.models import User
from accelerator.auth.queries import staff_emails
from accelerator.core.mailing import mail_each
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.pilots import queries
from accelerator.pilots.models import BusinessUnit, Introduction, Pilot, Side

INTRODUCTION_SUBJECTS = {
    "requested": lambda s, u: _l("Introduction asked: %(startup)s and %(unit)s", startup=s, unit=u),
    "forwarded": lambda s, u: _l(
        "Introduction to answer: %(startup)s and %(unit)s", startup=s, unit=u
    ),
    "accepted": lambda s, u: _l(
        "Introduction accepted: %(startup)s and %(unit)s", startup=s, unit=u
    ),
    "declined": lambda s, u: _l(
        "Introduction declined: %(startup)s and %(unit)s", startup=s, unit=u
    ),
    "withdrawn": lambda s, u: _l(
        "Introduction withdrawn: %(startup)s and %(unit)s", startup=s, unit=u
    ),
}

PILOT_SUBJECTS = {
    "created": lambda t: _l("Pilot being scoped: %(title)s", title=t),
    "started": lambda t: _l("Pilot started: %(title)s", title=t),
    "decided": lambda t: _l("Pilot decided: %(title)s", title=t),
    "closed": lambda t: _l("Pilot closed: %(title)s", title=t),
    "stopped": lambda t: _l("Pilot stopped: %(title)s", title=t),
}


def staff_lead_emails(unit: BusinessUnit) -> list[str]:
    """The unit's staff lead, or the whole program team when it has none (or they left)."""
    if unit.staff_lead_id is not None:
        lead = db.session.get(User, unit.staff_lead_id)
        if lead is not None and lead.active:
            return [lead.email]
    return staff_emails()


def _without(emails: Iterable[str], actor: User | None) -> list[str]:
    skip = getattr(actor, "email", None)
    return [email for email in dict.fromkeys(emails) if email != skip]


def _both_sides(startup, unit: BusinessUnit) -> list[str]:
    """The startup's founders, the unit's partners and its staff lead."""
    return [
        *founder_emails(startup.id),
        *queries.partner_emails(unit.id),
        *staff_lead_emails(unit),
    ]


def _tell(recipients, actor: User, subject, template: str, startup, unit, **context) -> int:
    """One mail each to `recipients` but the actor, naming the startup, the unit and who acted."""
    return mail_each(
        _without(recipients, actor),
        subject,
        template,
        startup_name=startup.name,
        unit_name=unit.name,
        actor_name=actor.name,
        **context,
    )


def introduction(
    event: str, intro: Introduction, startup, unit: BusinessUnit, *, actor: User
) -> int:
    """Tell the people concerned that an introduction was asked, forwarded or answered: staff
    and the asking side for a new request, both sides and the staff lead afterwards."""
    if event == "requested":
        asking = (
            founder_emails(startup.id)
            if intro.asked_by_side == Side.STARTUP
            else queries.partner_emails(unit.id)
        )
        recipients = [*staff_lead_emails(unit), *asking]
    else:
        recipients = _both_sides(startup, unit)
    return _tell(
        recipients,
        actor,
        INTRODUCTION_SUBJECTS[event](startup.name, unit.name),
        "pilots_introduction.txt",
        startup,
        unit,
        event=event,
        introduction=intro,
        link=external_url("pilots.introduction", introduction_id=intro.id),
    )


def pilot(event: str, pilot: Pilot, startup, unit: BusinessUnit, *, actor: User) -> int:
    """Tell the founders, the unit's partners and its staff lead that a pilot moved."""
    return _tell(
        _both_sides(startup, unit),
        actor,
        PILOT_SUBJECTS[event](pilot.title),
        "pilots_pilot.txt",
        startup,
        unit,
        event=event,
        pilot=pilot,
        link=external_url("pilots.pilot", pilot_id=pilot.id),
    )


def overdue(pilot: Pilot, startup_name: str, unit: BusinessUnit, owner_email: str | None) -> int:
    """The weekly reminder of a pilot overdue for decision: its owner and the staff lead."""
    recipients = [*([owner_email] if owner_email else []), *staff_lead_emails(unit)]
    return mail_each(
        recipients,
        _l("Decision overdue: %(title)s", title=pilot.title),
        "pilots_reminder_overdue.txt",
        pilot=pilot,
        startup_name=startup_name,
        unit_name=unit.name,
        link=external_url("pilots.pilot", pilot_id=pilot.id),
    )
