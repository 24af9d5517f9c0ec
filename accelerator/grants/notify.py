"""Who hears about ledger changes: staff approvers, the requester, and the startup's founders."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accelerator.applications.queries import founder_emails as founder_emails
from accelerator.auth.models import User
from accelerator.auth.queries import staff_emails as staff_emails
from accelerator.core.mail import queue_mail
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.grants.models import Disbursement
from accelerator.grants.queries import GrantContext, tranche_name


def user_emails(ids: Iterable[int | None]) -> list[str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return []
    return list(db.session.scalars(select(User.email).where(User.id.in_(wanted), User.active)))


SUBJECTS = {
    "requested": lambda s: _l("Disbursement to approve for %(startup)s", startup=s),
    "approved": lambda s: _l("Disbursement approved for %(startup)s", startup=s),
    "paid": lambda s: _l("Grant payment sent to %(startup)s", startup=s),
    "cancelled": lambda s: _l("Disbursement cancelled for %(startup)s", startup=s),
    "corrected": lambda s: _l("Grant payment corrected for %(startup)s", startup=s),
    "amount_changed": lambda s: _l("Grant amount changed for %(startup)s", startup=s),
}


def send(
    event: str,
    context: GrantContext,
    recipients: Iterable[str],
    *,
    actor: User,
    row: Disbursement | None = None,
    **extra,
) -> int:
    """Queue one mail per recipient (deduplicated); returns how many were queued."""
    link = external_url("grants.show", grant_id=context.grant.id)
    sent = 0
    for email in dict.fromkeys(recipients):
        queue_mail(
            email,
            SUBJECTS[event](context.startup.name),
            f"grant_{event}.txt",
            context=context,
            grant=context.grant,
            row=row,
            tranche=tranche_name(context.cohort, row.tranche_key) if row is not None else None,
            actor=actor,
            link=link,
            **extra,
        )
        sent += 1
    return sent
