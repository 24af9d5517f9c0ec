"""The testers seed: a 2,000-tester panel drawn the same way every time (French and US names,
reserved domains, consent over two years, some opted out), Tessel Retail's finished campaign
(Season 11) with its answers, Lumen Networks' running one; acts in the past, no mail,
idempotent."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accelerator import cli
from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.config import ROOT
from accelerator.core.errors import InvalidState
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.testers import services
from accelerator.testers.models import (
    Campaign,
    CampaignInvitation,
    CampaignStatus,
    Response,
    Tester,
)
from accelerator.testers.seed import panel, seed

SEED_DIR = ROOT / "seed_data"
DATA = json.loads((SEED_DIR / "testers.json").read_text(encoding="utf-8"))
#: The first testers drawn from random.Random(2026): the same on every machine, every run.
FIRST = [
    ("moussa.leveque.106@example.com", "Moussa Lévêque"),
    ("lucie.beranger.407@example.net", "Lucie Béranger"),
    ("maxime.gerard.409@example.net", "Maxime Gérard"),
]


def _quiet(*_args, **_kwargs) -> None:
    return None


@pytest.fixture
def demo(db):
    """`flask seed` up to this domain's seed (the reports seed, after it, is left out)."""
    for name, step in cli._seeders():
        step(SEED_DIR, _quiet)
        if name == "testers":
            break
    db.session.flush()


def _campaign(startup: str) -> Campaign:
    return db.session.scalar(
        select(Campaign)
        .join(Startup, Startup.id == Campaign.startup_id)
        .where(Startup.name == startup)
    )


def _responses(campaign: Campaign) -> list[tuple[Response, CampaignInvitation, Tester]]:
    return db.session.execute(
        select(Response, CampaignInvitation, Tester)
        .join(CampaignInvitation, CampaignInvitation.id == Response.invitation_id)
        .join(Tester, Tester.id == CampaignInvitation.tester_id)
        .where(Response.campaign_id == campaign.id)
    ).all()


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Tester, Campaign, CampaignInvitation, Response, AuditEvent)
    )


def test_without_the_demo_program_the_panel_is_seeded_and_no_campaign(db):
    said = []
    assert seed(SEED_DIR, said.append) == 2_000
    assert db.session.scalar(select(func.count(Tester.id))) == 2_000
    assert db.session.scalar(select(func.count(Campaign.id))) == 0
    assert any("no campaign" in line for line in said)


def test_the_panel_is_the_same_believable_2000_testers_every_time(demo):
    testers = db.session.scalars(select(Tester)).all()
    assert len(testers) == 2_000
    emails = {t.email for t in testers}
    drawn = panel(DATA, today=utcnow().date() + timedelta(days=400))  # any day: same people
    assert emails == {row["email"] for row in drawn}
    assert [(row["email"], row["name"]) for row in drawn[:3]] == FIRST
    assert all(e.rsplit("@", 1)[1] in ("example.net", "example.com") for e in emails)

    names = " ".join(t.name for t in testers)
    for accented in ("Hélène", "François", "Zoé", "Lefèvre"):
        assert accented in names
    countries = Counter(t.country for t in testers)
    assert set(countries) == {"FR", "US"} and countries["FR"] > 3 * countries["US"]
    assert all(t.language == "en" for t in testers if t.country == "US")
    assert Counter(t.language for t in testers if t.country == "FR").most_common(1)[0][0] == "fr"
    regions = {c: {t.region for t in testers if t.country == c} for c in countries}
    assert "Île-de-France" in regions["FR"] and "California" in regions["US"]
    assert not regions["FR"] & regions["US"]
    assert {str(t.gender) for t in testers if t.gender} >= {"female", "male", "undisclosed"}
    assert len({t.age_band for t in testers}) == 6 and {t.segment.value for t in testers} == {
        "consumer",
        "pro",
    }
    for tester in testers:  # systems that go with the device
        mobile = tester.device.value in ("phone", "tablet")
        assert (tester.os.value in ("ios", "android")) == mobile, tester.email
        assert 1 <= len(tester.interests) <= 4

    now = utcnow()
    assert all(now - timedelta(days=731) < t.consent_at < now for t in testers)
    assert min(t.consent_at for t in testers) < now - timedelta(days=600)
    assert {t.consent_source for t in testers} >= {"lab'Explorers sign-up", "Orange shop"}
    assert {t.consent_version for t in testers} == {"v2.0", "v2.1", "v3.0"}
    quit = [t for t in testers if t.opted_out_at is not None]
    assert 40 <= len(quit) <= 120
    assert all(t.consent_at < t.opted_out_at < now for t in quit)


def test_tessel_retail_finished_its_test_with_about_40_answers(demo):
    campaign = _campaign("Tessel Retail")
    assert campaign.status == CampaignStatus.CLOSED
    cohort = db.session.get(Cohort, campaign.cohort_id)
    assert cohort.name == "Season 11"
    assert cohort.starts_on < campaign.opens_on <= campaign.closes_on < cohort.ends_on
    assert campaign.created_at < campaign.decided_at < campaign.closed_at < utcnow()

    waves = Counter(
        db.session.scalars(
            select(CampaignInvitation.wave).where(CampaignInvitation.campaign_id == campaign.id)
        )
    )
    assert sorted(waves) == [1, 2]
    answered = _responses(campaign)
    assert 35 <= len(answered) <= 45
    for quota in campaign.quotas:  # every quota met by the answers
        got = sum(
            1 for _r, _i, t in answered if str(getattr(t, quota["attribute"])) == quota["value"]
        )
        assert got >= quota["at_least"], quota
    for response, invitation, tester in answered:
        assert (
            tester.consent_at < invitation.invited_at < response.submitted_at < campaign.closed_at
        )
        assert len(response.sus) == 10 and 0 <= response.sus_score <= 100
        assert 0 <= response.nps <= 10
        assert tester.country == "FR" and tester.device.value == "phone"
    scores = [r.sus_score for r, _i, _t in answered]
    assert 60 <= sum(scores) / len(scores) <= 90  # a usable app, not a perfect one
    assert len({r.nps for r, _i, _t in answered}) >= 4
    comments = [r.answers[-1] for r, _i, _t in answered if r.answers[-1]]
    assert len(comments) >= 15 and any("rayon" in c for c in comments)

    unsubscribed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "tester.unsubscribed")
    ).all()
    assert len(unsubscribed) >= 3
    # Its links say it is closed.
    invitation = answered[0][1]
    with pytest.raises(InvalidState, match="closed"):
        services.check_link(invitation)


def test_lumen_networks_runs_with_one_wave_and_some_answers(demo):
    campaign = _campaign("Lumen Networks")
    assert campaign.status == CampaignStatus.RUNNING
    startup = db.session.get(Startup, campaign.startup_id)
    assert startup.name == "Lumen Networks"
    requested_by = db.session.get(User, campaign.requested_by_id)
    assert requested_by.email == "founder@example.org"
    invitations = db.session.scalars(
        select(CampaignInvitation).where(CampaignInvitation.campaign_id == campaign.id)
    ).all()
    assert {i.wave for i in invitations} == {1} and len(invitations) >= 50
    now = utcnow()
    assert all(now - timedelta(days=30) < i.invited_at < now < i.expires_at for i in invitations)
    answered = _responses(campaign)
    assert 5 <= len(answered) < campaign.responses_wanted
    assert all(r.submitted_at < now for r, _i, _t in answered)
    assert all(t.segment.value == "pro" for _r, _i, t in answered)
    services.check_link(invitations[0])  # its links open the questionnaire

    # The panel remembers who was contacted lately (the rest rule reads it).
    contacted = db.session.scalar(
        select(func.count(Tester.id)).where(Tester.last_invited_at >= now - timedelta(days=30))
    )
    assert contacted == len(invitations)


def test_acts_are_in_the_past_send_no_mail_and_seeding_twice_adds_nothing(demo):
    now = utcnow()
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action.like("campaign.%") | AuditEvent.action.like("tester.%")
        )
    ).all()
    assert {e.action for e in events} >= {
        "campaign.requested",
        "campaign.approved",
        "campaign.wave_sent",
        "campaign.closed",
        "tester.unsubscribed",
    }
    assert all(e.created_at < now for e in events)
    assert len({e.created_at.date() for e in events}) >= 8
    # Nobody is invited before joining the panel or after leaving it.
    for invitation, tester in db.session.execute(
        select(CampaignInvitation, Tester).join(Tester, Tester.id == CampaignInvitation.tester_id)
    ):
        assert tester.consent_at < invitation.invited_at, tester.email
        assert tester.opted_out_at is None or invitation.invited_at < tester.opted_out_at
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0

    before = _counts()
    assert before[0] == 2_000
    assert seed(SEED_DIR, _quiet) == 0
    assert _counts() == before
