"""Enrolling announces itself: subscribers act in the same transaction, or nothing happens."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accelerator.applications.models import ApplicationStatus
from accelerator.core.errors import Conflict
from accelerator.core.hooks import enrollment_created
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.grants.models import Grant
from accelerator.programs.models import Enrollment, Phase
from accelerator.programs.services import enroll
from accelerator.reviews import services
from accelerator.reviews.models import Offer, OfferStatus
from tests.factories import founder_of


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def offered(make, staff):
    cohort = make.make_cohort(phase=Phase.REVIEWING, grant_amount_cents=1_500_000, currency="EUR")
    application = make.make_application(cohort=cohort, status="interview")
    services.decide(application, actor=staff, outcome="accepted")
    db.session.commit()
    return application


def test_enroll_sends_one_signal_that_subscribers_see_with_the_actor(make, staff):
    application = make.make_application(status="accepted")
    seen = []

    def listener(enrollment, **kwargs):
        seen.append((enrollment.id, kwargs["actor"]))

    with enrollment_created.connected_to(listener):
        enrollment = enroll(application, actor=staff)
    assert seen == [(enrollment.id, staff)]
    grant = db.session.scalar(select(Grant).where(Grant.enrollment_id == enrollment.id))
    assert grant is not None, "grants subscribes and opens the grant"
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("enrollment.created") == 1


def test_the_grant_takes_the_cohorts_amount_and_currency(offered):
    enrollment = services.confirm_offer(offered, actor=founder_of(offered))
    grant = db.session.scalar(select(Grant).where(Grant.enrollment_id == enrollment.id))
    assert (grant.amount_cents, grant.currency) == (1_500_000, "EUR")


def test_a_failing_subscriber_rolls_the_whole_confirmation_back(offered, login_as):
    """Through HTTP: the founder confirms, a subscriber refuses; nothing of the act is kept."""

    def refuse(enrollment, **kwargs):
        raise Conflict("The milestone plan could not be created.")

    founder = founder_of(offered)
    with enrollment_created.connected_to(refuse):
        response = login_as(founder).post(
            f"/reviews/offers/{offered.id}/confirm", follow_redirects=True
        )
    assert "The milestone plan could not be created." in response.get_data(as_text=True)
    db.session.expire_all()
    assert _count(Enrollment) == 0 and _count(Grant) == 0
    assert db.session.get(type(offered), offered.id).status == ApplicationStatus.ACCEPTED
    offer = db.session.scalar(select(Offer))
    assert offer.status == OfferStatus.PENDING and offer.responded_at is None
    assert not db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.action.in_(["offer.confirmed", "enrollment.created"])
        )
    )
    # Without the failing subscriber the same click works.
    login_as(founder).post(f"/reviews/offers/{offered.id}/confirm")
    assert _count(Enrollment) == 1 and _count(Grant) == 1
