"""Models every domain uses: the audit log, the mail outbox and stored files."""

from __future__ import annotations

from datetime import datetime
from email.utils import make_msgid, parseaddr
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    and_,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.auth.models import User


class AuditEvent(db.Model):
    """Who did what to which object, and when. Never updated or deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[int | None] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    #: The startup the event is part of the story of (its page's history), if any. No foreign
    #: key, like object_id: the log outlives what it describes.
    startup_id: Mapped[int | None] = mapped_column()

    actor: Mapped[User | None] = relationship(lazy="raise")

    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_startup", "startup_id", "created_at"),
    )


# Outbox statuses, shown through _(status) in templates (named here for the message catalog).
_CATALOG_NAMES = (_l("pending"), _l("sent"), _l("failing"), _l("gave up"))


def new_message_id() -> str:
    """A Message-ID for a new outbox row: unique, in the domain of MAIL_FROM.

    It is made once, when the mail is queued, and kept on the row: every delivery attempt of
    the row carries the same one, so a receiver drops a copy sent again after a crash.
    """
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2]
    return make_msgid(domain=domain or "accelerator")


class OutboxStatus(RichStrEnum):
    """Where a queued mail stands: read from its columns (see OutboxEmail.status), not stored."""

    PENDING = "pending", _l("pending"), "text-bg-warning"
    SENT = "sent", _l("sent"), "text-bg-success"
    FAILING = "failing", _l("failing"), "text-bg-danger"  # will be tried again
    GAVE_UP = "gave up", _l("gave up"), "text-bg-dark"  # MAIL_MAX_ATTEMPTS reached


class OutboxEmail(db.Model):
    """Mail queued in the transaction of the change it reports; sent by `flask mail send`."""

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Message-ID header of every attempt (see new_message_id), with its angle brackets.
    message_id: Mapped[str] = mapped_column(String(255), unique=True, default=new_message_id)
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: Extra headers of mail to many people: List-Unsubscribe and List-Unsubscribe-Post.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    @property
    def status(self) -> OutboxStatus:
        """sent, pending, failing (will be retried) or gave up (MAIL_MAX_ATTEMPTS reached)."""
        if self.sent_at is not None:
            return OutboxStatus.SENT
        if self.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            return OutboxStatus.GAVE_UP
        return OutboxStatus.FAILING if self.last_error else OutboxStatus.PENDING

    @classmethod
    def listed_as(cls, status: OutboxStatus) -> ColumnElement[bool]:
        """The mail the outbox page lists under `status`: not sent yet (pending, with those
        failing), sent, or failed at least once and not sent."""
        return {
            OutboxStatus.PENDING: cls.sent_at.is_(None),
            OutboxStatus.SENT: cls.sent_at.is_not(None),
            OutboxStatus.FAILING: and_(cls.sent_at.is_(None), cls.last_error.is_not(None)),
        }[status]


class StoredFile(db.Model):
    """An upload kept in the database, so several app servers need no shared disk."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size_not_negative"),)
