"""The mail outbox: queue in the caller's transaction, deliver later with retries."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from sqlalchemy import select

from accelerator.core.models import OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db


def queue_mail(to: str, subject: str, template: str, **context) -> OutboxEmail:
    """Queue a message rendered from templates/mail/<template>; the caller's commit sends it."""
    body = render_template(f"mail/{template}", **context)
    message = OutboxEmail(to=to, subject=subject, body=body)
    db.session.add(message)
    return message


def _deliver(message: OutboxEmail) -> None:
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions.setdefault("mail_delivered", []).append(
            {"to": message.to, "subject": message.subject, "body": message.body}
        )
        return
    if backend == "console":
        print(
            f"\n--- mail to {message.to} ---\nSubject: {message.subject}\n\n{message.body}\n---",
            file=sys.stderr,
            flush=True,
        )
        return
    if backend != "smtp":
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r}")
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="accelerator")
    email.set_content(message.body)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(email)


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Deliver unsent mail, oldest first; keep the error and retry later. Returns (sent, failed)."""
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    messages = db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.attempts < max_attempts)
        .order_by(OutboxEmail.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for message in messages:
        message.attempts += 1
        message.last_attempt_at = utcnow()
        try:
            _deliver(message)
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            failed += 1
        else:
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        db.session.commit()
    return sent, failed
