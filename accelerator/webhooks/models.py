"""Webhook endpoints (a URL, the events it hears, its signing secret) and their deliveries.

A delivery is one message (`webhook-id` msg_...) to one endpoint: its body is the exact JSON
text that is signed and sent, built when the act happened. The worker sends it, and sends it
again on failure after a growing delay, until it succeeds or is given up (dead).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.auth.models import User


class DeliveryStatus(RichStrEnum):
    PENDING = "pending", _l("pending"), "text-bg-secondary"
    SUCCEEDED = "succeeded", _l("delivered"), "text-bg-success"
    FAILED = "failed", _l("failed, will retry"), "text-bg-warning"
    DEAD = "dead", _l("given up"), "text-bg-danger"


class WebhookEndpoint(db.Model):
    """A URL staff subscribed to some events; deliveries to it are signed with its secret."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        CheckConstraint(
            "(active AND disabled_at IS NULL) OR (NOT active AND disabled_at IS NOT NULL)",
            name="disabled_when_inactive",
        ),
        CheckConstraint("consecutive_failures >= 0", name="failures_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: The event names it hears (webhooks.events.EVENTS), sorted.
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The signing secret, `whsec_<base64>`, encrypted with a key derived from SECRET_KEY
    #: (webhooks.signing.seal / unseal).
    secret_sealed: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default="1")
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why: said by the staff member who disabled it, or the automatic "failing" reason.
    disabled_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Deliveries given up (dead) in a row since its last success: WEBHOOKS_DISABLE_AFTER of
    #: them disable it.
    consecutive_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="selectin")


class WebhookDelivery(db.Model):
    """One signed message to one endpoint, and how its sending went."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(60))
    #: The `webhook-id` header, the same on every attempt (the consumer's idempotency key).
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    #: The exact body signed and sent.
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "webhook_delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When the worker may take it next (also a claimed delivery's lease: see delivery.py).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_code: Mapped[int | None] = mapped_column()
    response_excerpt: Mapped[str] = mapped_column(Text, default="", server_default="")
    last_error: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    endpoint: Mapped[WebhookEndpoint] = relationship(lazy="raise")
