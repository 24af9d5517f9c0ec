"""The mail outbox: queue in the caller's transaction, deliver later with retries.

A mail reads in its recipient's language, whoever queues it: `queue_mail` renders the subject
and the body under the language the recipient chose (found through `hooks.mail_locales`), or
the default one for an address without an account. So subjects are passed as lazy strings.

Delivery is at least once, not exactly once. A message is marked sent in the same transaction
that claimed it, after the SMTP server has taken it; a sender killed (or a database lost) between
those two moments leaves the row unsent, and the next run delivers it again. What makes the
second copy harmless is that every attempt of one row carries the same headers: the Message-ID
is made when the mail is queued and stored on the row (`OutboxEmail.message_id`), and the Date
is the time it was queued, so a receiver that drops repeated Message-IDs (most do, and every
mail client threads them as one) shows the message once. Everything we send is automatic
(notifications, reminders, links asked for), so each message says `Auto-Submitted:
auto-generated` (RFC 3834) and vacation responders leave it alone.

A run (`send_pending`) delivers a batch over one SMTP connection, opened at the first message;
when the server cannot be reached the run stops after that message instead of waiting for the
same timeout once per message. The operations manual (docs/) says what this means for
an operator.
"""

from __future__ import annotations

import contextlib
import fcntl
import smtplib
import sys
import threading
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from sqlalchemy import delete, func, select

from accelerator.core import hooks
from accelerator.core.models import OutboxEmail, new_message_id
from accelerator.core.types import utcnow
from accelerator.extensions import db


def queue_mail(
    to: str,
    subject: str | LazyString,
    template: str,
    *,
    headers: dict[str, str] | None = None,
    **context,
) -> OutboxEmail:
    """Queue a message rendered from templates/mail/<template>; a sender delivers it later.

    The subject and the body are rendered in the recipient's language (`recipient_locale`),
    whoever's request or command queues the mail; so a subject is given as a lazy string
    (`lazy_gettext` with its variables as keyword arguments), translated here.
    """
    with force_locale(recipient_locale(to)):
        body = render_template(f"mail/{template}", **context)
        subject = str(subject)
    message = OutboxEmail(
        to=to, subject=subject, body=body, message_id=new_message_id(), headers=headers or None
    )
    db.session.add(message)
    return message


def recipient_locale(address: str) -> str:
    """The language the person at `address` reads: the one they chose (hooks.mail_locales),
    else the default (BABEL_DEFAULT_LOCALE). Programs have no language of their own yet, so
    someone without an account reads the default."""
    languages = current_app.config["LANGUAGES"]
    with db.session.no_autoflush:  # a lookup must not flush the caller's half-made changes
        for _name, finder in hooks.mail_locales.entries():
            found = finder(address)
            if found in languages:
                return found
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def email_of(message: OutboxEmail, sender: str) -> EmailMessage:
    """The message as it goes over the wire: the same headers at every attempt."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body)
    return email


#: SMTP errors about one message: the server answered, the session goes on for the next one.
_MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)


class _Postman:
    """Hands one run's messages to MAIL_BACKEND; for SMTP, over one connection for the batch.

    The connection opens at the first message and closes with the run. A message the server
    refuses leaves it open; a broken session (disconnect, 421, timeout) is dropped and the next
    message opens another. `unreachable` says the server could not be reached at all.
    """

    def __init__(self, config):
        self.config = config
        self.backend = config["MAIL_BACKEND"]
        if self.backend not in ("memory", "console", "smtp"):
            raise RuntimeError(f"unknown MAIL_BACKEND {self.backend!r}")
        self.smtp: smtplib.SMTP | None = None
        self.unreachable = False

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self._hang_up()
        return False

    def deliver(self, message: OutboxEmail) -> None:
        if self.backend == "memory":
            current_app.extensions.setdefault("mail_delivered", []).append(
                {
                    "to": message.to,
                    "subject": message.subject,
                    "body": message.body,
                    "message_id": message.message_id,
                }
            )
        elif self.backend == "console":
            print(
                f"\n--- mail to {message.to} ---\nSubject: {message.subject}\n",
                f"\n{message.body}\n---",
                sep="",
                file=sys.stderr,
                flush=True,
            )
        else:
            email = email_of(message, self.config["MAIL_FROM"])
            smtp = self.smtp or self._connect()
            try:
                smtp.send_message(email)
            except _MESSAGE_REFUSED as error:
                if getattr(error, "smtp_code", None) == 421:  # the server is closing the session
                    self._hang_up()
                raise
            except (OSError, smtplib.SMTPException):
                self._hang_up()
                raise

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        try:
            smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30)
        except (OSError, smtplib.SMTPException):
            self.unreachable = True
            raise
        self.smtp = smtp
        try:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        except (OSError, smtplib.SMTPException):
            self.unreachable = True  # every message would meet the same refusal
            self._hang_up()
            raise
        return smtp

    def _hang_up(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


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

    Each message is claimed, delivered and recorded in a transaction of its own, so a second
    sender never takes it meanwhile, and a crash leaves at most the one message in flight to
    be delivered again, with the same Message-ID (see the module's docstring).
    """
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    sent = failed = 0
    last_id = 0
    db.session.commit()  # start from a clean transaction: nothing of the caller's is kept
    with _sender_lock(), _Postman(current_app.config) as postman:
        for _ in range(limit):
            message = _claim_next(max_attempts, last_id)
            if message is None:
                break
            last_id = message.id
            message.attempts += 1
            message.last_attempt_at = utcnow()
            try:
                postman.deliver(message)
            except (OSError, smtplib.SMTPException) as exc:
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                failed += 1
            else:
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
            db.session.commit()
            if postman.unreachable:
                break  # the next run tries again; the others keep their attempts
    return sent, failed


@contextlib.contextmanager
def mail_dropped():
    """Mail queued inside the block is dropped (the seeds: seeded history is not news)."""
    last_mail = db.session.scalar(select(func.max(OutboxEmail.id))) or 0
    yield
    db.session.execute(delete(OutboxEmail).where(OutboxEmail.id > last_mail))
    db.session.flush()
