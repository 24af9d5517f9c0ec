"""Two workers at once never send the same delivery twice: the claim is a guarded UPDATE, so
one takes it and the other finds it taken (real commits, several threads; SQLite and
PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.webhooks import delivery, services
from accelerator.webhooks.models import DeliveryStatus, WebhookDelivery
from tests import factories
from tests.concurrency import race
from tests.webhooks.conftest import Receiver

WORKERS = 4


def test_racing_workers_send_each_delivery_once(committed):
    app = committed
    receiver = Receiver()
    try:
        with app.app_context():
            staff = factories.make_user(role="staff")
            endpoint = services.create_endpoint(
                url=receiver.url, events_chosen=["application.decided"], actor=staff
            )
            for _ in range(3):
                services.send_ping(endpoint, actor=staff)
            db.session.commit()
            db.session.remove()
        now = utcnow()
        outcomes = race(app, lambda _index: delivery.deliver_due(now=now), WORKERS)
        assert outcomes == ["done"] * WORKERS
        assert len(receiver.received) == 3
        assert len({headers["webhook-id"] for headers, _body in receiver.received}) == 3
        with app.app_context():
            rows = db.session.scalars(select(WebhookDelivery)).all()
            assert {(r.status, r.attempts) for r in rows} == {(DeliveryStatus.SUCCEEDED, 1)}
            db.session.remove()
    finally:
        receiver.close()
