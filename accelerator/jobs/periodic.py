"""The queue's standing work: mail delivery, reminders and the recovery sweep.

A worker's scheduler runs these on their crontab; mail is also sent for as soon as a
transaction that queued some commits, so it leaves within a second, not a minute.
"""

from __future__ import annotations

import logging

from flask_sqlalchemy.session import Session
from huey import crontab
from sqlalchemy import event

from accelerator.core.mail import send_pending
from accelerator.core.models import OutboxEmail
from accelerator.jobs import queue, services

log = logging.getLogger(__name__)


@queue.task()
def deliver_mail() -> None:
    """Deliver what the outbox holds (core.mail: each row claimed once, retried later)."""
    sent, failed = send_pending()
    if sent or failed:
        log.info("mail: %d sent, %d failed", sent, failed)


@queue.periodic_task(crontab(minute="*"))
def deliver_mail_every_minute() -> None:
    """Retries, and mail whose signal was lost (the queue away at the commit)."""
    deliver_mail.call_local()


@queue.periodic_task(crontab(minute="*"))
def recover_jobs() -> None:
    services.recover()


@queue.periodic_task(crontab(minute="5"))
def send_reminders_hourly() -> None:
    for name, count in services.send_reminders():
        if count:
            log.info("reminders: %s queued %d", name, count)


# --- Mail leaves when the transaction that queued it commits ---------------------------------


@event.listens_for(Session, "after_flush")
def _note_mail(session, _context) -> None:
    if any(isinstance(obj, OutboxEmail) for obj in session.new):
        session.info["mail_queued"] = True


@event.listens_for(Session, "after_commit")
def _send_mail(session) -> None:
    if session.info.pop("mail_queued", False) and not queue.huey.immediate:
        queue.send(deliver_mail)


@event.listens_for(Session, "after_rollback")
def _forget_mail(session) -> None:
    session.info.pop("mail_queued", None)
