"""The mail outbox: queue in the caller's transaction, deliver later with retries."""

from __future__ import annotations

import contextlib
import fcntl
import smtplib
import sys
import threading
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from accelerator.core.models import OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db


def queue_mail(to: str, subject: str, template: str, **context) -> OutboxEmail:
    """Queue a message rendered from templates/mail/<template>; a sender delivers it later."""
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


def _sender_lock():
    """Serialise senders where the database cannot skip locked rows (SQLite).

    PostgreSQL needs no lock of ours: each message is claimed with FOR UPDATE SKIP LOCKED.
    SQLite lives on one machine, so an exclusive file lock next to the database file keeps a
    cron run and a looping worker from sending the same message; an in-memory database gets
    a lock of this process.
    """
    if db.engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    database = db.engine.url.database
    if not database or database == ":memory:":
        return _MEMORY_LOCK
    return _FileLock(Path(f"{database}.mail-lock"))


class _FileLock:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.handle = self.path.open("a")
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *_exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
        return False


_MEMORY_LOCK = threading.Lock()


def _claim_next(max_attempts: int, after_id: int) -> OutboxEmail | None:
    """The oldest deliverable message, row-locked until the caller commits.

    On PostgreSQL a row another sender holds is skipped (FOR UPDATE SKIP LOCKED), so two senders
    never take the same message; SQLite ignores FOR UPDATE and relies on _sender_lock().
    """
    return db.session.scalar(
        select(OutboxEmail)
        .where(
            OutboxEmail.sent_at.is_(None),
            OutboxEmail.attempts < max_attempts,
            OutboxEmail.id > after_id,
        )
        .order_by(OutboxEmail.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Deliver unsent mail, oldest first; keep the error and retry later. Returns (sent, failed).

    Each message is claimed, delivered and recorded in a transaction of its own, so a crash
    loses at most the one message in flight and a second sender never delivers it again.
    """
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    sent = failed = 0
    last_id = 0
    db.session.commit()  # start from a clean transaction: nothing of the caller's is kept
    with _sender_lock():
        for _ in range(limit):
            message = _claim_next(max_attempts, last_id)
            if message is None:
                break
            last_id = message.id
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


def run_worker(*, interval: float, stop: threading.Event | None = None, echo=None) -> None:
    """Deliver mail every `interval` seconds until `stop` is set (or the process is stopped)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            sent, failed = send_pending()
        except SQLAlchemyError as error:  # database away: wait and try again
            db.session.rollback()
            sent, failed = 0, 0
            current_app.logger.warning("mail worker: %s", error)
        if echo and (sent or failed):
            echo(f"{sent} sent, {failed} failed.")
        db.session.remove()
        stop.wait(interval)
