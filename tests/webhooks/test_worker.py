"""The worker delivers: an act's commit sends the worker a task, and a real worker process
posts the signed delivery to a real receiver; no request sends it. Commits for real."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from accelerator.extensions import db
from accelerator.reviews import services as reviews
from accelerator.webhooks import services, signing
from accelerator.webhooks.models import DeliveryStatus, WebhookDelivery
from tests import factories
from tests.jobs.worker import Worker, queue_in, wait_for
from tests.webhooks.conftest import Receiver


@pytest.fixture
def setting(committed, tmp_path):
    """The app (tables emptied), its database URL, and a queue file both processes use."""
    with queue_in(tmp_path / "queue.sqlite3") as queue_url:
        yield committed, committed.config["SQLALCHEMY_DATABASE_URI"], queue_url, tmp_path


def _status() -> DeliveryStatus | None:
    db.session.rollback()
    try:
        return db.session.scalar(select(WebhookDelivery.status))
    finally:
        db.session.rollback()


def test_the_worker_sends_a_decision_as_soon_as_it_is_committed(setting):
    app, database_url, queue_url, tmp_path = setting
    receiver = Receiver()
    worker = Worker(
        database_url, queue_url, tmp_path / "worker.log", SECRET_KEY=app.config["SECRET_KEY"]
    )
    try:
        with app.app_context():
            staff = factories.make_user(role="staff", name="Sam Staff")
            endpoint = services.create_endpoint(
                url=receiver.url, events_chosen=["application.decided"], actor=staff
            )
            secret = signing.unseal(endpoint.secret_sealed)
            startup = factories.make_startup(name="Société Éclair")
            application = factories.make_application(startup=startup, status="interview")
            db.session.commit()
            assert receiver.received == []  # the endpoint's creation sent nothing

            reviews.decide(application, actor=staff, outcome="rejected")
            db.session.commit()  # the commit sends "deliver webhooks" to the queue
            assert receiver.received == []  # the request's process did not send it
            wait_for(
                lambda: _status() == DeliveryStatus.SUCCEEDED,
                90,  # a worker starting on a loaded machine (xdist) takes a while
                worker,
                "the delivery to succeed",
            )
            [(headers, body)] = receiver.received
            message = Webhook(secret).verify(body, headers)
            assert message["data"]["startup"]["name"] == "Société Éclair"
    finally:
        worker.stop()
        receiver.close()
