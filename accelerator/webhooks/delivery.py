"""The worker's side: deliveries sent, retried with growing delays, given up, and an endpoint
that keeps failing disabled (staff are mailed). No request ever sends one.

Each delivery due is claimed by a guarded UPDATE (due -> its next attempt pushed a lease
ahead, attempts + 1), committed before the HTTP request: two workers never send the same
delivery at once, and one that dies mid-request leaves it due again when the lease ends.
The outcome is committed after the request. Like jobs.services' worker side, this commits.

Schedule (after the first attempt fails): 1 min, 5 min, 30 min, 2 h, 5 h, 10 h; the 7th
failure gives the delivery up (dead). WEBHOOKS_DISABLE_AFTER (default 5) deliveries given up in
a row disable the endpoint; any success resets the count.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
from flask import current_app
from flask_sqlalchemy.session import Session
from huey import crontab
from sqlalchemy import event, select, update

from accelerator.core import audit
from accelerator.core.errors import DomainError
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs import services as jobs
from accelerator.webhooks import notify, services, signing
from accelerator.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
#: How long a claimed delivery is held by its worker (longer than the request's timeout).
LEASE = timedelta(minutes=2)
EXCERPT = 1000
DUE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


def due_ids(now: datetime, limit: int = 100) -> list[int]:
    """The deliveries to send now, to active endpoints, oldest due first."""
    statement = (
        select(WebhookDelivery.id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookEndpoint.active.is_(True),
            WebhookDelivery.status.in_(DUE),
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def claim(delivery_id: int, now: datetime) -> bool:
    """Take the delivery for one attempt (committed), unless another worker has it or its
    endpoint was disabled meanwhile."""
    result = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status.in_(DUE),
            WebhookDelivery.next_attempt_at <= now,
            WebhookDelivery.endpoint_id.in_(
                select(WebhookEndpoint.id).where(WebhookEndpoint.active.is_(True))
            ),
        )
        .values(next_attempt_at=now + LEASE, attempts=WebhookDelivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def deliver_due(limit: int = 100, now: datetime | None = None) -> tuple[int, int]:
    """Send every delivery due (at most `limit`); returns (succeeded, failed)."""
    succeeded = failed = 0
    for delivery_id in due_ids(now or utcnow(), limit):
        outcome = attempt(delivery_id, now=now)
        if outcome == DeliveryStatus.SUCCEEDED:
            succeeded += 1
        elif outcome is not None:
            failed += 1
    return succeeded, failed


def attempt(delivery_id: int, *, now: datetime | None = None) -> DeliveryStatus | None:
    """One attempt at one delivery, if it can be claimed; its outcome (committed)."""
    now = now or utcnow()
    if not claim(delivery_id, now):
        return None
    delivery = db.session.get(WebhookDelivery, delivery_id)
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    code, excerpt, error = _post(endpoint, delivery, now)
    delivery.last_attempt_at, delivery.response_code = now, code
    delivery.response_excerpt, delivery.last_error = excerpt, error[:500]
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.SUCCEEDED,
            now,
            None,
        )
        endpoint.consecutive_failures = 0
    elif delivery.attempts <= len(RETRY_DELAYS):
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DEAD, None
        _given_up(endpoint, error or f"HTTP {code}")
    db.session.commit()
    return delivery.status


def _post(
    endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime
) -> tuple[int | None, str, str]:
    """(response code, excerpt of its body, error) of one signed POST."""
    secret = signing.unseal(endpoint.secret_sealed)
    if secret is None:
        return None, "", "The signing secret cannot be read (SECRET_KEY changed): rotate it."
    try:
        url = services.check_url(endpoint.url, field=None)
    except DomainError as refused:
        return None, "", refused.message
    headers = signing.headers(secret, delivery.message_id, now, delivery.payload)
    headers["user-agent"] = "Accelerator-Webhooks/1"
    try:
        response = requests.post(
            url,
            data=delivery.payload.encode(),
            headers=headers,
            timeout=current_app.config["WEBHOOKS_TIMEOUT_SECONDS"],
            allow_redirects=False,
            stream=True,
        )
        with response:
            raw = next(response.iter_content(EXCERPT), b"")
    except requests.RequestException as failure:
        return None, "", f"{type(failure).__name__}: {failure}"
    excerpt = raw.decode("utf-8", "replace")[:EXCERPT]
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return response.status_code, excerpt, error


def _given_up(endpoint: WebhookEndpoint, error: str) -> None:
    """One more delivery given up; at WEBHOOKS_DISABLE_AFTER in a row, the endpoint is
    disabled (recorded, staff mailed)."""
    endpoint.consecutive_failures += 1
    if not endpoint.active:
        return
    if endpoint.consecutive_failures < current_app.config["WEBHOOKS_DISABLE_AFTER"]:
        return
    endpoint.active, endpoint.disabled_at = False, utcnow()
    endpoint.disabled_reason = "failing"
    audit.record(
        "webhook.auto_disabled",
        endpoint,
        data={"url": endpoint.url, "failures": endpoint.consecutive_failures, "error": error},
    )
    notify.endpoint_disabled(endpoint, error=error)


# --- The worker sends them: at once after the commit that added them, and every minute -------


@jobs.task()
def deliver_task() -> None:
    """Send what is due (the webhooks of an act that just committed)."""
    succeeded, failed = deliver_due()
    if succeeded or failed:
        log.info("webhooks: %d delivered, %d failed", succeeded, failed)


@jobs.periodic_task(crontab(minute="*"))
def deliver_every_minute() -> None:
    """Retries as they fall due, and deliveries whose signal was lost."""
    deliver_task.call_local()


@event.listens_for(Session, "after_flush")
def _note_deliveries(session, _context) -> None:
    if any(isinstance(obj, WebhookDelivery) for obj in session.new):
        session.info["webhooks_due"] = True


@event.listens_for(Session, "after_commit")
def _send_deliveries(session) -> None:
    if session.info.pop("webhooks_due", False) and not jobs.runs_when_sent():
        jobs.send_task(deliver_task)


@event.listens_for(Session, "after_rollback")
def _forget_deliveries(session) -> None:
    session.info.pop("webhooks_due", None)
