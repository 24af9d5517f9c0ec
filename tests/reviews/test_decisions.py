"""Decisions, capacity, offers, confirmation (Enrollment + Grant), decline, expiry, waitlist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accelerator.applications.models import ApplicationStatus
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants.models import Grant
from accelerator.programs.models import Enrollment
from accelerator.reviews import queries, services
from accelerator.reviews.models import Decision, Offer, OfferStatus
from tests.factories import founder_of

S = ApplicationStatus


def _mail_to(user) -> list[OutboxEmail]:
    return db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == user.email)).all()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_acceptance_offers_a_place_and_mails_the_confirm_link(make, cohort, staff):
    application = make.make_application(cohort=cohort, status="interview")
    decision = services.decide(
        application, actor=staff, outcome="accepted", note="We loved the demo."
    )
    offer = db.session.scalar(select(Offer).where(Offer.application_id == application.id))
    assert application.status == S.ACCEPTED and offer.status == OfferStatus.PENDING
    assert offer.seat == 1 and decision.note == "We loved the demo."
    assert offer.expires_at - offer.offered_at == timedelta(days=cohort.confirmation_days)
    # One act, one audit event: the decision, saying where the status moved.
    (event,) = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "applications", AuditEvent.object_id == application.id
        )
    )
    assert event.action == "application.decided" and event.data["outcome"] == "accepted"
    assert (event.data["from"], event.data["to"]) == ("interview", "accepted")
    (mail,) = _mail_to(founder_of(application))
    assert f"http://localhost/applications/{application.id}" in mail.body
    assert "We loved the demo." in mail.body


def test_waitlist_and_rejection_mails_never_name_reviewers_or_quote_comments(make, cohort, staff):
    rejected = make.make_application(cohort=cohort, status="in_review")
    reviewer = make.make_user(role="mentor", name="Victor Secret")
    make.make_review(
        application=rejected,
        reviewer=reviewer,
        comment="Private: weak CTO",
        feedback_tags=["market_too_small", "team_incomplete"],
    )
    make.make_review(application=rejected, feedback_tags=["market_too_small"])
    services.decide(rejected, actor=staff, outcome="rejected", note="Apply again next year.")
    (mail,) = _mail_to(founder_of(rejected))
    assert "Market too small" in mail.body and "Team incomplete" in mail.body
    assert mail.body.index("Market too small") < mail.body.index("Team incomplete")
    assert "Apply again next year." in mail.body
    assert "Victor" not in mail.body and "weak CTO" not in mail.body

    waitlisted = make.make_application(cohort=cohort, status="shortlisted")
    services.decide(waitlisted, actor=staff, outcome="waitlisted")
    (mail,) = _mail_to(founder_of(waitlisted))
    assert "waitlist" in mail.body and waitlisted.status == S.WAITLISTED


def test_capacity_refuses_the_seventh_acceptance_and_saves_nothing(make, staff):
    cohort = make.make_cohort(phase="reviewing", capacity=6)
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(7)]
    for application in apps[:6]:
        services.decide(application, actor=staff, outcome="accepted")
    assert sorted(o.seat for o in db.session.scalars(select(Offer))) == [1, 2, 3, 4, 5, 6]
    with pytest.raises(Conflict, match="full"):
        services.decide(apps[6], actor=staff, outcome="accepted")
    assert apps[6].status == S.IN_REVIEW
    assert _count(Decision) == 6 and queries.places_taken(cohort.id) == 6
    # Waitlisting still works when full.
    services.decide(apps[6], actor=staff, outcome="waitlisted")


def test_the_database_refuses_two_offers_on_one_seat(make, cohort):
    first = make.make_application(cohort=cohort, status="in_review")
    second = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(first, seat=1)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        make.make_offer(second, seat=1)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        make.make_offer(second, seat=None)  # a pending offer must hold a seat


@pytest.mark.parametrize(
    "status,outcome,message",
    [
        ("withdrawn", "accepted", "withdrew"),
        ("withdrawn", "rejected", "withdrew"),
        ("draft", "accepted", "cannot be"),
        ("rejected", "accepted", "cannot be"),
        ("enrolled", "rejected", "cannot be"),
        ("waitlisted", "waitlisted", "already"),
    ],
)
def test_decisions_outside_the_transition_table_are_refused(
    make, cohort, staff, status, outcome, message
):
    application = make.make_application(cohort=cohort, status=status)
    with pytest.raises(InvalidState, match=message):
        services.decide(application, actor=staff, outcome=outcome)
    assert application.status == S(status) and _count(Decision) == 0


def test_only_staff_decide_and_outcomes_are_checked(make, cohort, staff, mentor):
    application = make.make_application(cohort=cohort, status="in_review")
    with pytest.raises(NotAllowed):
        services.decide(application, actor=mentor, outcome="accepted")
    with pytest.raises(ValidationFailed):
        services.decide(application, actor=staff, outcome="maybe")


def test_confirming_creates_the_enrollment_and_its_grant(make, staff):
    cohort = make.make_cohort(phase="reviewing", grant_amount_cents=2_500_000, currency="EUR")
    application = make.make_application(cohort=cohort, status="interview")
    services.decide(application, actor=staff, outcome="accepted")
    founder = founder_of(application)
    enrollment = services.confirm_offer(application, actor=founder)
    assert (enrollment.cohort_id, enrollment.startup_id, enrollment.application_id) == (
        cohort.id,
        application.startup_id,
        application.id,
    )
    grant = db.session.scalar(select(Grant).where(Grant.enrollment_id == enrollment.id))
    assert (grant.amount_cents, grant.currency) == (2_500_000, "EUR")
    assert application.status == S.ENROLLED
    offer = db.session.scalar(select(Offer))
    assert offer.status == OfferStatus.CONFIRMED and offer.responded_by_id == founder.id
    assert queries.places_taken(cohort.id) == 1
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"offer.confirmed", "enrollment.created"} <= actions
    assert any("Welcome" in m.subject for m in _mail_to(founder))
    with pytest.raises(InvalidState, match="no open offer"):
        services.confirm_offer(application, actor=founder)


def test_only_the_startups_founders_answer_and_not_after_the_deadline(make, cohort, staff):
    application = make.make_application(cohort=cohort, status="in_review")
    services.decide(application, actor=staff, outcome="accepted")
    with pytest.raises(NotAllowed):
        services.confirm_offer(application, actor=make.make_user(role="founder"))
    with pytest.raises(NotAllowed):
        services.confirm_offer(application, actor=staff)
    late = utcnow() + timedelta(days=cohort.confirmation_days, minutes=1)
    with pytest.raises(InvalidState, match="deadline"):
        services.confirm_offer(application, actor=founder_of(application), now=late)
    assert application.status == S.ACCEPTED and _count(Enrollment) == 0


def test_declining_frees_the_place_for_the_waitlist(make, staff):
    cohort = make.make_cohort(phase="reviewing", capacity=1)
    taken = make.make_application(cohort=cohort, status="in_review")
    waiting = make.make_application(cohort=cohort, status="in_review")
    services.decide(taken, actor=staff, outcome="accepted")
    services.decide(waiting, actor=staff, outcome="waitlisted")
    with pytest.raises(Conflict):
        services.promote_next(cohort, actor=staff)
    services.decline_offer(taken, actor=founder_of(taken))
    assert taken.status == S.DECLINED and queries.places_taken(cohort.id) == 0
    decision = services.promote_next(cohort, actor=staff)
    assert decision.application_id == waiting.id and decision.promoted_from_waitlist
    assert waiting.status == S.ACCEPTED
    with pytest.raises(InvalidState, match="waitlist"):
        services.promote_next(cohort, actor=staff)


def test_promotion_follows_the_ranking(make, cohort, staff):
    reviewer = make.make_user(role="staff")
    weak, strong = (make.make_application(cohort=cohort, status="in_review") for _ in range(2))
    make.make_review(application=weak, reviewer=reviewer, scores=2)
    make.make_review(application=strong, reviewer=reviewer, scores=5)
    for application in (weak, strong):
        services.decide(application, actor=staff, outcome="waitlisted")
    assert queries.waitlist_in_rank_order(cohort) == [strong.id, weak.id]
    assert services.promote_next(cohort, actor=staff).application_id == strong.id


def test_expired_offers_are_released_and_the_startup_told(make, cohort, staff):
    late = make.make_application(cohort=cohort, status="in_review")
    on_time = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(late, seat=1, days_left=-1)
    make.make_offer(on_time, seat=2, days_left=3)
    expired = services.expire_offers(actor=staff, cohort=cohort)
    assert [o.application_id for o in expired] == [late.id]
    assert late.status == S.DECLINED and on_time.status == S.ACCEPTED
    assert expired[0].status == OfferStatus.EXPIRED and expired[0].seat is None
    assert any("expired" in m.subject for m in _mail_to(founder_of(late)))
    assert services.expire_offers(actor=staff, cohort=cohort) == []


def test_the_expire_offers_command(app, make, cohort):
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(application, seat=1, days_left=-2)
    result = app.test_cli_runner().invoke(args=["reviews", "expire-offers"])
    assert result.exit_code == 0, result.output
    assert "1 expired offer(s) released." in result.output
    assert db.session.get(type(application), application.id).status == S.DECLINED
