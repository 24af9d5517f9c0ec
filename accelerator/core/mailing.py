"""Mail to several people at once: one message each, through `core.mail.queue_mail`."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel.speaklater import LazyString

from accelerator.core.mail import queue_mail


def mail_each(
    recipients: Iterable[str], subject: str | LazyString, template: str, **context
) -> int:
    """Queue the mail once per address (an address named twice gets one), each in its
    recipient's language (a lazy subject); returns how many were queued."""
    sent = 0
    for email in dict.fromkeys(recipients):
        queue_mail(email, subject, template, **context)
        sent += 1
    return sent
