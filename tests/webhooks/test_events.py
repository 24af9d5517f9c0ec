"""Each act that is an event, done through its own service, adds a delivery of that event to
the endpoints hearing it, with a snapshot of its object and nothing private."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from accelerator.core.types import utcnow
from accelerator.demoday import guests
from accelerator.extensions import db
from accelerator.grants.models import DisbursementStatus
from accelerator.milestones import checkins
from accelerator.milestones import services as milestones
from accelerator.pilots import services as pilots
from accelerator.pilots.models import Decision
from accelerator.programs.models import Cohort
from accelerator.reviews import services as reviews
from accelerator.sessions import services as sessions
from accelerator.webhooks.models import WebhookDelivery
from tests import factories
from tests.sessions.builders import make_pair


def _sent(event_type: str) -> list[dict]:
    """The bodies of the deliveries of `event_type`, oldest first."""
    rows = db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.event_type == event_type)
        .order_by(WebhookDelivery.id)
    )
    return [json.loads(row.payload) for row in rows]


def test_only_endpoints_hearing_the_event_and_active_get_it(make_endpoint, staff):
    hearing, _ = make_endpoint(events=["application.decided"])
    deaf, _ = make_endpoint(events=["disbursement.paid"])
    disabled, _ = make_endpoint(events=["application.decided"])
    from accelerator.webhooks import services

    services.disable_endpoint(disabled, actor=staff, reason="Paused")
    application = factories.make_application(status="interview")
    reviews.decide(application, actor=staff, outcome="waitlisted")
    rows = db.session.scalars(select(WebhookDelivery)).all()
    assert [(r.endpoint_id, r.event_type) for r in rows] == [(hearing.id, "application.decided")]
    message = json.loads(rows[0].payload)
    assert message["type"] == "application.decided" and message["timestamp"].endswith("+00:00")
    assert message["data"]["id"] == application.id and message["data"]["status"] == "waitlisted"
    assert deaf.id not in {r.endpoint_id for r in rows}


def test_an_act_rolled_back_sends_nothing(make_endpoint, staff):
    make_endpoint(events=["application.decided"])
    application = factories.make_application(status="interview")
    db.session.commit()
    reviews.decide(application, actor=staff, outcome="rejected")
    db.session.rollback()
    assert db.session.scalars(select(WebhookDelivery)).all() == []


def test_acceptance_then_enrollment_when_the_founders_confirm(make_endpoint, staff):
    make_endpoint()
    founder = factories.make_user(role="founder", name="Élodie Fondatrice")
    startup = factories.make_startup(name="Société Éclair", founders=[founder])
    application = factories.make_application(startup=startup, status="interview")
    reviews.decide(application, actor=staff, outcome="accepted")
    [decided] = _sent("application.decided")
    assert decided["data"]["status"] == "accepted"
    assert decided["data"]["cohort"]["id"] == application.cohort_id
    enrollment = reviews.confirm_offer(application, actor=founder)
    [enrolled] = _sent("enrollment.created")
    assert enrolled["data"]["id"] == enrollment.id
    assert enrolled["data"]["startup"] == {"id": startup.id, "name": "Société Éclair"}


def test_the_ledger_requested_approved_and_paid(make_endpoint, staff):
    make_endpoint()
    startup = factories.make_startup(name="Société Éclair")
    grant = factories.make_grant(startup=startup)
    row = factories.make_disbursement(
        grant, amount_cents=250_000, status=DisbursementStatus.PAID, approver=staff
    )
    for event, status in (
        ("disbursement.requested", "requested"),
        ("disbursement.approved", "approved"),
        ("disbursement.paid", "paid"),
    ):
        [message] = _sent(event)
        data = message["data"]
        assert data["id"] == row.id and data["status"] == status, event
        assert data["amount"] == {"amount": 250_000, "currency": grant.currency}
        assert data["startup"] == {"id": startup.id, "name": "Société Éclair"}
    assert _sent("disbursement.paid")[0]["data"]["payment_reference"] == "TRF-0001"


def test_a_milestone_approved_and_a_checkin_submitted(make_endpoint, staff):
    make_endpoint()
    founder = factories.make_user(role="founder", name="Fiona Fondatrice")
    enrollment = factories.make_enrolled(founders=[founder])
    milestone = factories.milestone_with_tranche(enrollment, "midpoint")
    milestones.submit_milestone(milestone, actor=founder, text="Signed goals", link=None)
    milestones.approve_milestone(milestone, actor=staff)
    [approved] = _sent("milestone.approved")
    assert approved["data"]["id"] == milestone.id and approved["data"]["status"] == "approved"
    assert approved["data"]["disbursement_id"] == milestone.disbursement_id is not None
    assert _sent("disbursement.requested")  # the tranche it released is an event too

    cohort = db.session.get(Cohort, enrollment.cohort_id)
    checkin = checkins.submit_checkin(
        enrollment,
        actor=founder,
        period_on=cohort.starts_on,
        data=factories.checkin_input(health="amber", blockers="Cash is short"),
    )
    [submitted] = _sent("checkin.submitted")
    assert submitted["data"]["id"] == checkin.id and submitted["data"]["health"] == "amber"
    assert submitted["data"]["kpis"]["revenue"] == {"amount": 500_000, "currency": "USD"}


def test_a_red_flag_carries_no_private_notes_nor_summary(make_endpoint):
    make_endpoint(events=["session.red_flagged"])
    mentor = factories.make_user(role="mentor", name="Émile Mentor")
    pair = make_pair(mentor=mentor)
    session = sessions.log_session(
        actor=mentor,
        startup_id=pair.startup_id,
        starts_at=utcnow() - timedelta(hours=2),
        duration_minutes=60,
        format="video",
        summary="Pricing for the pilot.",
        private_notes="The CTO may leave.",
        red_flag_reason="Co-founders are splitting.",
    )
    [message] = _sent("session.red_flagged")
    assert message["data"]["id"] == session.id
    assert message["data"]["red_flag"]["reason"] == "Co-founders are splitting."
    text = json.dumps(message)
    assert "CTO may leave" not in text and "Pricing for the pilot" not in text


def test_a_pilot_decided_a_campaign_closed_and_a_guest_answering(make_endpoint, staff):
    make_endpoint()
    pilot = factories.make_pilot(status="running", actor=staff)
    pilots.decide_pilot(pilot, decision=Decision.GO, contract_value_cents=9_000_000, actor=staff)
    [decided] = _sent("pilot.decided")
    assert decided["data"]["decision"] == "go" and decided["data"]["status"] == "decided"
    assert decided["data"]["contract_value"] == {"amount": 9_000_000, "currency": pilot.currency}

    campaign = factories.make_campaign(status="closed", actor=staff)
    [closed] = _sent("campaign.closed")
    assert closed["data"]["id"] == campaign.id and closed["data"]["status"] == "closed"

    demo_day = factories.make_demo_day(capacity=10, plus_ones_max=2)
    guest, _token = factories.make_guest(demo_day, name="Hélène Investisseuse")
    guests.respond(guest, answer="yes", plus_ones=1)
    [answered] = _sent("guest.responded")
    assert answered["data"]["name"] == "Hélène Investisseuse"
    assert answered["data"]["rsvp"] == "yes" and answered["data"]["seats"] == 2
    assert guest.email not in json.dumps(answered)


def test_a_submitted_application(make_endpoint):
    from accelerator.applications import services as applications

    make_endpoint(events=["application.submitted"])
    founder = factories.make_user(role="founder", name="Zoé Fondatrice")
    factories.make_startup(name="Société Éclair", founders=[founder])
    application = applications.start_application(factories.make_cohort(phase="open"), actor=founder)
    applications.save_draft(application, actor=founder, answers=dict(factories.COMPLETE_ANSWERS))
    application.pitch_deck_id = factories.make_deck().id
    applications.submit_application(application, actor=founder)
    [message] = _sent("application.submitted")
    assert message["data"]["status"] == "submitted"
    assert message["data"]["submitted_at"] == application.submitted_at.isoformat()
    assert message["data"]["startup"]["name"] == "Société Éclair"
