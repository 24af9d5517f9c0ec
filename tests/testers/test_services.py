"""Test campaigns through their services: who may ask, what is refused beside its field,
the fair waves (rested, willing, matching testers; quotas met or named), answers, one-click
unsubscribe and erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.testers import queries, services
from accelerator.testers.fields import Question, QuotaInput
from accelerator.testers.models import CampaignInvitation, CampaignStatus, Response, Tester
from tests import factories

CS = CampaignStatus


def _ask(lab, **changes):
    return services.request_campaign(
        startup=lab.startup, fields=factories.campaign_fields(**changes), actor=lab.founder
    )


def _approved(lab, **changes):
    campaign = _ask(lab, **changes)
    services.approve_campaign(campaign, actor=lab.staff)
    return campaign


def _panel(count, **fields):
    return [factories.make_tester(**fields) for _ in range(count)]


def _invited(campaign) -> list[CampaignInvitation]:
    return list(
        db.session.scalars(
            select(CampaignInvitation).where(CampaignInvitation.campaign_id == campaign.id)
        )
    )


def test_a_founder_asks_and_staff_hear_of_it(db, lab):
    campaign = _ask(lab)
    assert campaign.status == CS.REQUESTED and campaign.requested_by_id == lab.founder.id
    to_staff = db.session.scalars(
        select(OutboxEmail.subject).where(OutboxEmail.to == lab.staff.email)
    )
    assert any("Société Éclair" in subject for subject in to_staff)


def test_only_the_startups_founders_or_staff_ask(db, lab):
    stranger = factories.make_user(role="founder")
    with pytest.raises(NotAllowed):
        services.request_campaign(
            startup=lab.startup, fields=factories.campaign_fields(), actor=stranger
        )


def test_a_startup_not_enrolled_cannot_ask(db, lab):
    founder = factories.make_user(role="founder")
    alone = factories.make_startup(founders=[founder])
    with pytest.raises(InvalidState):
        services.request_campaign(startup=alone, fields=factories.campaign_fields(), actor=founder)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": " "}, "title"),
        ({"test_url": "", "description": ""}, "description"),
        ({"test_url": "javascript:alert(1)"}, "test_url"),
        ({"responses_wanted": 0}, "responses_wanted"),
        ({"criteria": {"os": ["symbian"]}}, "criteria_os"),
        ({"criteria": {"country": ["FR", "FRA"]}}, "criteria_country"),
        ({"quotas": [QuotaInput("os", "blackberry", 2)]}, "quota_1"),
        (
            {"quotas": [QuotaInput("os", "ios", 6), QuotaInput("os", "android", 6)]},
            "quotas",
        ),
        ({"questions": [Question("single", "Which one?", ["Only one"])]}, "question_1"),
    ],
)
def test_bad_input_is_refused_beside_its_field(db, lab, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        _ask(lab, **changes)
    assert field in getattr(refused.value, "errors", {refused.value.field: ""})


def test_closing_before_opening_is_refused(db, lab):
    fields = factories.campaign_fields()
    with pytest.raises(ValidationFailed) as refused:
        _ask(lab, opens_on=fields.closes_on, closes_on=fields.opens_on + timedelta(days=1))
    assert "closes_on" in refused.value.errors


def test_staff_approve_or_decline_with_a_reason(db, lab):
    campaign = _ask(lab)
    with pytest.raises(NotAllowed):
        services.approve_campaign(campaign, actor=lab.founder)
    with pytest.raises(ValidationFailed):
        services.decline_campaign(campaign, reason="", actor=lab.staff)
    services.decline_campaign(campaign, reason="Too close to demo day.", actor=lab.staff)
    assert campaign.status == CS.DECLINED
    with pytest.raises(InvalidState):
        services.approve_campaign(campaign, actor=lab.staff)


def test_a_wave_invites_enough_rested_willing_matching_testers_with_quotas_met(db, app, lab):
    ios = _panel(6, os="ios")
    android = _panel(20, os="android")
    _panel(5, country="US")  # outside the target
    _panel(3, opted_out_at=utcnow())  # left the panel
    _panel(3, last_invited_at=utcnow() - timedelta(days=3))  # contacted recently
    campaign = _approved(lab, responses_wanted=4, quotas=[QuotaInput("os", "ios", 2)])
    invited = services.send_wave(campaign, actor=lab.staff)
    expected = -(-4 // app.config["TESTERS_RESPONSE_RATE"])  # ceil(4 / rate)
    assert invited == int(expected) and campaign.status == CS.RUNNING
    ids = {i.tester_id for i in _invited(campaign)}
    assert ids <= {t.id for t in ios + android}
    assert len(ids & {t.id for t in ios}) >= 5  # ceil(2 / rate) iOS testers
    mails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.headers.is_not(None))).all()
    assert len(mails) == invited
    assert all(m.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mails)
    assert all("/testers/t/" in m.headers["List-Unsubscribe"] for m in mails)


def test_a_wave_with_quotas_the_free_testers_cannot_meet_is_a_409_naming_them(db, lab):
    _panel(3, os="ios")
    _panel(20, os="android")
    campaign = _approved(lab, responses_wanted=8, quotas=[QuotaInput("os", "ios", 8)])
    with pytest.raises(Conflict) as refused:
        services.send_wave(campaign, actor=lab.staff)
    assert "Operating system iOS: at least" in refused.value.message
    assert _invited(campaign) == []


def test_no_one_is_invited_twice_to_a_campaign_nor_over_the_quarterly_limit(db, app, lab):
    testers = _panel(4, os="ios")
    campaign = _approved(lab, responses_wanted=1, quotas=[])
    services.send_wave(campaign, actor=lab.staff)
    first = {i.tester_id for i in _invited(campaign)}
    app.config["TESTERS_REST_DAYS"] = 0
    try:
        frame = queries.candidates(campaign, now=utcnow() + timedelta(seconds=1))
    finally:
        app.config["TESTERS_REST_DAYS"] = 30
    assert not (set(frame["id"]) & first)
    assert set(frame["id"]) == {t.id for t in testers} - first


def test_answers_are_scored_and_answering_again_updates(db, lab):
    tester = factories.make_tester()
    campaign = _approved(lab, responses_wanted=1, quotas=[])
    services.send_wave(campaign, actor=lab.staff)
    invitation = _invited(campaign)[0]
    assert invitation.tester_id == tester.id
    services.submit_response(invitation, sus=[3] * 10, nps=9, answers=["Card"])
    services.submit_response(invitation, sus=[5, 1] * 5, nps=10, answers=["Wallet"])
    response = db.session.scalars(select(Response)).one()
    assert response.sus_score == 100.0 and response.nps == 10 and response.answers == ["Wallet"]


def test_bad_answers_are_refused_beside_their_fields(db, lab):
    factories.make_tester()
    campaign = _approved(lab, responses_wanted=1, quotas=[])
    services.send_wave(campaign, actor=lab.staff)
    invitation = _invited(campaign)[0]
    with pytest.raises(ValidationFailed) as refused:
        services.submit_response(invitation, sus=[3] * 9 + [7], nps=11, answers=["Cash"])
    assert {"sus_10", "nps", "answer_1"} <= set(refused.value.errors)
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_a_closed_campaign_takes_no_answers(db, lab):
    factories.make_tester()
    campaign = _approved(lab, responses_wanted=1, quotas=[])
    services.send_wave(campaign, actor=lab.staff)
    services.close_campaign(campaign, actor=lab.founder)
    with pytest.raises(InvalidState) as refused:
        services.check_link(_invited(campaign)[0])
    assert "closed" in refused.value.message


def test_unsubscribe_once_and_never_invited_again(db, lab):
    tester = factories.make_tester()
    campaign = _approved(lab, responses_wanted=1, quotas=[])
    services.send_wave(campaign, actor=lab.staff)
    invitation = _invited(campaign)[0]
    assert services.unsubscribe(invitation) is True
    assert services.unsubscribe(invitation) is False
    other = _approved(lab, responses_wanted=1, quotas=[], title="Second test")
    assert tester.id not in set(queries.candidates(other, now=utcnow() + timedelta(days=90))["id"])


def test_erasure_anonymises_and_keeps_the_answer_counted(db, lab):
    tester = factories.make_tester(name="Hélène Dupré")
    campaign = _approved(
        lab, responses_wanted=1, quotas=[], questions=[Question("text", "What did you miss?")]
    )
    services.send_wave(campaign, actor=lab.staff)
    invitation = _invited(campaign)[0]
    services.submit_response(invitation, sus=[4] * 10, nps=8, answers=["My name is Hélène"])
    services.erase_tester(db.session.get(Tester, tester.id))
    tester = db.session.get(Tester, tester.id)
    assert tester.name == "" and tester.email == f"erased-{tester.id}@invalid"
    response = db.session.scalars(select(Response)).one()
    assert response.answers == [""] and response.nps == 8
    with pytest.raises(InvalidState):
        services.check_link(invitation)
