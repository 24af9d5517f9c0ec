"""/api/v1 test campaigns: staff and the startup's founders read a campaign's aggregate
figures; no tester's name or address ever; SUS and NPS only once five people answered."""

from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.testers.models import CampaignInvitation, CampaignStatus, Response

_SERIAL = itertools.count(1)
SUS_100 = [5, 1, 5, 1, 5, 1, 5, 1, 5, 1]


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def _enrolled(make, name: str = "Société Éclair"):
    startup = make.make_startup(name=name)
    make.make_enrollment(startup=startup)
    return startup


def _running(make, staff, startup=None):
    campaign = make.make_campaign(startup=startup, status="approved", actor=staff)
    campaign.status = CampaignStatus.RUNNING
    db.session.flush()
    return campaign


def _invite(make, campaign, n: int, *, answer: bool, nps: int = 10):
    for _ in range(n):
        tester = make.make_tester(
            name=f"Zoé Quintal-Hébert {next(_SERIAL)}",
            email=f"zoe.{next(_SERIAL)}@example.net",
        )
        invitation = CampaignInvitation(
            campaign_id=campaign.id,
            tester_id=tester.id,
            token_hash=secrets.token_hex(32),
            expires_at=utcnow() + timedelta(days=30),
        )
        db.session.add(invitation)
        db.session.flush()
        if answer:
            db.session.add(
                Response(
                    invitation_id=invitation.id,
                    campaign_id=campaign.id,
                    sus=SUS_100,
                    sus_score=100.0,
                    nps=nps,
                    answers=[],
                )
            )
    db.session.flush()


def test_figures_are_aggregates_and_need_five_answers(api, make, staff):
    campaign = _running(make, staff)
    _invite(make, campaign, 4, answer=True)
    _invite(make, campaign, 4, answer=False)
    url = f"/api/v1/campaigns/{campaign.id}"
    figures = api.get(url, as_=staff).get_json()["figures"]
    assert figures == {
        "invited": 8,
        "responses": 4,
        "response_rate": 0.5,
        "sus_mean": None,
        "nps": None,
    }
    _invite(make, campaign, 1, answer=True, nps=0)
    figures = api.get(url, as_=staff).get_json()["figures"]
    assert figures["responses"] == 5 and figures["sus_mean"] == 100.0
    assert figures["nps"] == 60  # 4 promoters, 1 detractor of 5
    raw = api.get("/api/v1/campaigns?limit=200", as_=staff).get_data(as_text=True)
    assert "Zoé" not in raw and "Quintal" not in raw and "@example.net" not in raw


def test_a_campaign_without_invitations_has_zero_figures(api, make, staff):
    campaign = make.make_campaign(actor=staff)
    body = api.get(f"/api/v1/campaigns/{campaign.id}", as_=staff).get_json()
    assert body["status"] == "requested"
    assert body["figures"] == {
        "invited": 0,
        "responses": 0,
        "response_rate": None,
        "sus_mean": None,
        "nps": None,
    }


def test_founders_read_their_startups_campaigns_only(api, make, staff, mentor):
    mine = make.make_campaign(startup=_enrolled(make), actor=staff)
    other = make.make_campaign(actor=staff)
    founder = make.founder_of(mine)
    assert _ids(api.get("/api/v1/campaigns", as_=founder)) == {mine.id}
    assert api.get(f"/api/v1/campaigns/{other.id}", as_=founder).status_code == 404
    assert _ids(api.get("/api/v1/campaigns", as_=mentor)) == set()
    assert {mine.id, other.id} <= _ids(api.get("/api/v1/campaigns?limit=200", as_=staff))


def test_campaign_filters(api, make, staff):
    startup = _enrolled(make, "Autre")
    requested = make.make_campaign(startup=startup, actor=staff)
    declined = make.make_campaign(startup=startup, status="declined", actor=staff)
    url = f"/api/v1/campaigns?startup_id={startup.id}"
    assert _ids(api.get(url + "&status=declined", as_=staff)) == {declined.id}
    opens = requested.opens_on.isoformat()
    after = _ids(api.get(url + f"&opens_after={opens}", as_=staff))
    before = _ids(api.get(url + f"&opens_before={opens}", as_=staff))
    assert requested.id in after and requested.id not in before
