"""Reads of webhooks: the endpoints with their delivery counts, and an endpoint's log."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from accelerator.extensions import db
from accelerator.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


def endpoints() -> list[tuple[WebhookEndpoint, int, int]]:
    """Every endpoint (active first, then by URL) with its deliveries failing or given up and
    waiting (one statement)."""
    troubled = func.count(WebhookDelivery.id).filter(
        WebhookDelivery.status.in_((DeliveryStatus.FAILED, DeliveryStatus.DEAD))
    )
    waiting = func.count(WebhookDelivery.id).filter(
        WebhookDelivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.FAILED))
    )
    statement = (
        select(WebhookEndpoint, troubled, waiting)
        .outerjoin(WebhookDelivery, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
        .group_by(WebhookEndpoint.id)
        .order_by(WebhookEndpoint.active.desc(), WebhookEndpoint.url, WebhookEndpoint.id)
    )
    return [(row[0], row[1], row[2]) for row in db.session.execute(statement)]


def deliveries(endpoint_id: int, status: str | None = None) -> Select:
    """An endpoint's deliveries, newest first (paginated by the page)."""
    statement = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if status in {s.value for s in DeliveryStatus}:
        statement = statement.where(WebhookDelivery.status == status)
    return statement.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
