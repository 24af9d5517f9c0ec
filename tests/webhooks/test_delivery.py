"""The worker delivers: a real receiver gets the signed body and verifies it; failures are
retried on the schedule, given up, and an endpoint that keeps failing is disabled and staff
are mailed; staff send a delivery again."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from accelerator.core.errors import Conflict
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.reviews import services as reviews
from accelerator.webhooks import delivery, services
from accelerator.webhooks.models import DeliveryStatus, WebhookDelivery


def _deliveries(endpoint) -> list[WebhookDelivery]:
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookDelivery.id)
        )
    )


def test_a_decision_reaches_the_receiver_signed_and_verifiable(
    make, make_endpoint, receiver, staff
):
    endpoint, secret = make_endpoint(receiver.url, events=["application.decided"])
    startup = make.make_startup(name="Société Éclair")
    application = make.make_application(startup=startup, status="interview")
    reviews.decide(application, actor=staff, outcome="rejected", note="Not this year.")
    db.session.commit()

    assert delivery.deliver_due() == (1, 0)
    [(headers, body)] = receiver.received
    message = Webhook(secret).verify(body, headers)  # raises unless the signature holds
    assert message["type"] == "application.decided"
    assert message["data"]["startup"] == {"id": startup.id, "name": "Société Éclair"}
    assert message["data"]["status"] == "rejected"
    assert "Not this year" not in body.decode()
    assert headers["webhook-id"].startswith("msg_")

    [sent] = _deliveries(endpoint)
    assert sent.status == DeliveryStatus.SUCCEEDED and sent.response_code == 200
    assert sent.attempts == 1 and sent.response_excerpt == "thanks"
    assert body.decode() == sent.payload  # the exact text signed is the one stored
    assert delivery.deliver_due() == (0, 0)  # delivered once


def test_failures_are_retried_on_the_schedule_then_given_up(make_endpoint, receiver, staff):
    receiver.status = 503
    endpoint, _secret = make_endpoint(receiver.url)
    services.send_ping(endpoint, actor=staff)
    db.session.commit()
    [row] = _deliveries(endpoint)
    ids = set()
    now = utcnow()
    for number, delay in enumerate(delivery.RETRY_DELAYS, start=1):
        assert delivery.deliver_due(now=now) == (0, 1)
        db.session.refresh(row)
        assert row.status == DeliveryStatus.FAILED and row.attempts == number
        assert row.response_code == 503 and row.last_error == "HTTP 503"
        assert row.next_attempt_at == now + delay
        assert delivery.deliver_due(now=now + delay - timedelta(seconds=1)) == (0, 0)
        ids.add(receiver.received[-1][0]["webhook-id"])
        now += delay
    assert delivery.deliver_due(now=now) == (0, 1)
    db.session.refresh(row)
    assert row.status == DeliveryStatus.DEAD and row.next_attempt_at is None
    assert row.attempts == len(delivery.RETRY_DELAYS) + 1 == len(receiver.received)
    assert ids == {row.message_id}  # every attempt carries the same webhook-id
    assert endpoint.consecutive_failures == 1 and endpoint.active


def test_an_unreachable_receiver_is_a_failure_with_its_error(make_endpoint, staff):
    endpoint, _secret = make_endpoint("http://127.0.0.1:9/nothing-listens")
    services.send_ping(endpoint, actor=staff)
    db.session.commit()
    assert delivery.deliver_due() == (0, 1)
    [row] = _deliveries(endpoint)
    assert row.response_code is None and "ConnectionError" in row.last_error


def test_a_receiver_that_redirects_is_not_followed(make_endpoint, receiver, staff):
    receiver.status = 302
    endpoint, _secret = make_endpoint(receiver.url)
    services.send_ping(endpoint, actor=staff)
    db.session.commit()
    assert delivery.deliver_due() == (0, 1)
    assert len(receiver.received) == 1 and _deliveries(endpoint)[0].response_code == 302


def _give_up(row: WebhookDelivery) -> None:
    """Bring a delivery to its last attempt, due now."""
    row.attempts, row.status = len(delivery.RETRY_DELAYS), DeliveryStatus.FAILED
    row.next_attempt_at = utcnow()


def test_an_endpoint_failing_again_and_again_is_disabled_and_staff_are_mailed(
    app, make_endpoint, receiver, staff, admin
):
    receiver.status = 500
    endpoint, _secret = make_endpoint(receiver.url)
    rows = [services.send_ping(endpoint, actor=staff) for _ in range(6)]
    db.session.flush()
    for row in rows:
        _give_up(row)
    db.session.commit()
    limit = app.config["WEBHOOKS_DISABLE_AFTER"]
    assert limit == 5

    assert delivery.deliver_due(limit=limit - 1) == (0, limit - 1)
    assert endpoint.active and endpoint.consecutive_failures == limit - 1
    assert delivery.deliver_due() == (0, 1)  # the 5th given up: the sixth is not sent
    db.session.refresh(endpoint)
    assert not endpoint.active and endpoint.disabled_reason == "failing"
    assert [r.status for r in _deliveries(endpoint)].count(DeliveryStatus.DEAD) == limit
    mail = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.to)).all()
    assert sorted(m.to for m in mail) == sorted([staff.email, admin.email])
    assert receiver.url in mail[0].subject and f"/webhooks/{endpoint.id}" in mail[0].body
    action = db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "webhook.auto_disabled")
    )
    assert action == "webhook.auto_disabled"
    assert delivery.deliver_due() == (0, 0)  # a disabled endpoint gets nothing

    receiver.status = 200
    services.enable_endpoint(endpoint, actor=staff)
    db.session.commit()
    assert endpoint.consecutive_failures == 0
    assert delivery.deliver_due() == (1, 0)  # the one still waiting goes out


def test_a_success_resets_the_count_of_deliveries_given_up(make_endpoint, receiver, staff):
    receiver.status = 500
    endpoint, _secret = make_endpoint(receiver.url)
    row = services.send_ping(endpoint, actor=staff)
    db.session.flush()
    _give_up(row)
    db.session.commit()
    delivery.deliver_due()
    assert endpoint.consecutive_failures == 1
    receiver.status = 204
    services.send_ping(endpoint, actor=staff)
    db.session.commit()
    assert delivery.deliver_due() == (1, 0)
    db.session.refresh(endpoint)
    assert endpoint.consecutive_failures == 0


def test_staff_send_a_delivery_again_with_the_same_id(make_endpoint, receiver, staff):
    endpoint, secret = make_endpoint(receiver.url)
    row = services.send_ping(endpoint, actor=staff)
    db.session.commit()
    delivery.deliver_due()
    with pytest.raises(Conflict):  # nothing to redeliver while it is waiting
        services.redeliver(services.send_ping(endpoint, actor=staff), actor=staff)
    db.session.rollback()
    services.redeliver(row, actor=staff)
    db.session.commit()
    db.session.refresh(row)
    assert row.status == DeliveryStatus.PENDING and row.attempts == 0
    assert delivery.deliver_due() == (1, 0)
    first, second = receiver.received
    assert first[0]["webhook-id"] == second[0]["webhook-id"] == row.message_id
    assert Webhook(secret).verify(second[1], second[0])["type"] == "ping"


def test_a_claimed_delivery_is_not_sent_twice(make_endpoint, receiver, staff):
    endpoint, _secret = make_endpoint(receiver.url)
    row = services.send_ping(endpoint, actor=staff)
    db.session.commit()
    now = utcnow()
    assert delivery.claim(row.id, now) is True
    assert delivery.claim(row.id, now) is False  # a second worker finds it taken
    assert delivery.attempt(row.id, now=now) is None
    # A worker that died mid-request leaves it due again when its lease ends.
    assert delivery.attempt(row.id, now=now + delivery.LEASE) == DeliveryStatus.SUCCEEDED
    assert len(receiver.received) == 1


def test_the_rotated_secret_signs_the_next_attempts(make_endpoint, receiver, staff):
    endpoint, old = make_endpoint(receiver.url)
    services.send_ping(endpoint, actor=staff)
    new = services.rotate_secret(endpoint, actor=staff)
    db.session.commit()
    delivery.deliver_due()
    [(headers, body)] = receiver.received
    assert new != old and Webhook(new).verify(body, headers)["type"] == "ping"
    assert json.loads(body)["data"]["endpoint_id"] == endpoint.id


def test_the_cli_delivers_what_is_due(app, make_endpoint, receiver, staff):
    endpoint, _secret = make_endpoint(receiver.url)
    services.send_ping(endpoint, actor=staff)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["webhooks", "deliver"])
    assert result.exit_code == 0, result.output
    assert "1 delivered, 0 failed." in result.output and len(receiver.received) == 1
