"""Builders for the tester panel: testers with consent, a campaign of an enrolled startup."""

from __future__ import annotations

from datetime import date, timedelta

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.testers.models import CampaignStatus, Tester
from tests.factories.auth import unique

__all__ = ["make_tester", "make_campaign", "campaign_fields"]


def make_tester(**fields) -> Tester:
    """A consenting tester (French, 25–34, iPhone, consumer unless told otherwise)."""
    values = dict(
        email=f"{unique('tester')}@example.net",
        name="Camille Testeur",
        country="FR",
        language="fr",
        age_band="25-34",
        gender="undisclosed",
        region="Île-de-France",
        device="phone",
        os="ios",
        segment="consumer",
        interests=["fintech"],
        consent_at=utcnow() - timedelta(days=90),
        consent_source="lab'Explorers sign-up",
        consent_version="2026-01",
    )
    values.update(fields)
    tester = Tester(**values)
    db.session.add(tester)
    db.session.flush()
    return tester


def campaign_fields(**changes):
    from accelerator.testers.fields import CampaignFields, Question, QuotaInput

    today = date.today()
    values = dict(
        title="Checkout of the Société Éclair app",
        test_url="https://eclair.example.org/beta",
        description="Buy a ticket and pay with a saved card.",
        criteria={"country": ["FR"]},
        quotas=[QuotaInput("os", "ios", 2)],
        responses_wanted=10,
        opens_on=today,
        closes_on=today + timedelta(days=14),
        questions=[Question("single", "Which payment did you use?", ["Card", "Wallet"])],
    )
    values.update(changes)
    return CampaignFields(**values)


def make_campaign(*, startup=None, cohort=None, status="requested", actor=None, **changes):
    """A campaign of an enrolled startup through the services, moved to `status`
    (requested, approved, declined, closed; running needs testers: send a wave)."""
    from accelerator.testers import services
    from tests.factories.auth import make_user
    from tests.factories.programs import make_enrollment

    if startup is None:
        from accelerator.applications.models import Startup

        startup = db.session.get(Startup, make_enrollment(cohort=cohort).startup_id)
    staff = actor or make_user(role="staff")
    campaign = services.request_campaign(
        startup=startup, fields=campaign_fields(**changes), actor=staff
    )
    if status in ("approved", "closed"):
        services.approve_campaign(campaign, actor=staff)
    if status == "declined":
        services.decline_campaign(campaign, reason="Not now", actor=staff)
    if status == "closed":
        services.close_campaign(campaign, actor=staff)
    db.session.flush()
    assert campaign.status == CampaignStatus(status)
    return campaign
