"""The campaign pages over HTTP: a founder asks for a test from their home (target, quotas, a
question of their own), staff approve, send waves of invitations and close it; refusals beside
their fields with everything typed kept (422), refused moves with their message (409), who
sees and does what, the staff list and the home cards."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from accelerator.testers.fields import QuotaInput
from accelerator.testers.models import Campaign, CampaignInvitation, CampaignStatus
from tests import factories

CS = CampaignStatus
TODAY = date.today()


@pytest.fixture
def team(db):
    """Hélène founds "Société Éclair", enrolled in a cohort; Sam is staff; Olivier founds
    another enrolled startup; a mentor and a partner."""
    founder = factories.make_user(role="founder", name="Hélène Fondatrice")
    startup = factories.make_startup(name="Société Éclair", founders=[founder])
    enrollment = factories.make_enrollment(startup=startup)
    other = factories.make_user(role="founder", name="Olivier Autre")
    other_startup = factories.make_startup(name="Lumen Networks", founders=[other])
    factories.make_enrollment(startup=other_startup)
    return SimpleNamespace(
        founder=founder,
        startup=startup,
        cohort_id=enrollment.cohort_id,
        staff=factories.make_user(role="staff", name="Sam Staff"),
        other_founder=other,
        other_startup=other_startup,
        mentor=factories.make_user(role="mentor", name="Max Mentor"),
        partner=factories.make_user(role="partner", name="Paula Partner"),
    )


def form_data(**changes) -> dict:
    data = {
        "title": "Paiement de l'appli Société Éclair",
        "test_url": "https://eclair.example.org/beta",
        "description": "Achetez un billet et payez avec une carte enregistrée.",
        "responses_wanted": "10",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + timedelta(days=14)).isoformat(),
        "criteria_country": "fr, be",
        "criteria_os": ["ios", "android"],
        "quota_attribute_1": "os",
        "quota_value_1": "iOS",
        "quota_1": "2",
        "question_kind_1": "single",
        "question_1": "Quel moyen de paiement avez-vous utilisé ?",
        "question_choices_1": "Carte\nPortefeuille",
    }
    data.update(changes)
    return data


def page(response) -> str:
    return unescape(response.get_data(as_text=True))


def fresh(campaign_id: int) -> Campaign:
    db.session.expire_all()
    return db.session.get(Campaign, campaign_id)


def campaigns_of(startup) -> list[Campaign]:
    db.session.expire_all()
    return list(db.session.scalars(select(Campaign).where(Campaign.startup_id == startup.id)))


def error_beside(html: str, field: str, message: str) -> bool:
    """Whether the input named `field` is marked invalid with `message` right after it."""
    start = html.find(f'name="{field}"')
    assert start != -1, f"no field {field}"
    tag = html[html.rfind("<", 0, start) : html.find(">", start)]
    return "is-invalid" in tag and message in html[start : start + 1500]


def criterion_error(html: str, field: str) -> str:
    """The messages beside a criterion's checkboxes (each marked invalid)."""
    start = html.find(f'data-criterion="{field}"')
    assert start != -1, f"no criterion {field}"
    group = html[start : html.find("</fieldset>", start)]
    assert 'class="form-check-input is-invalid"' in group
    return group[group.find("invalid-feedback") :]


def group_error(html: str, group: str) -> str:
    """The messages shown on a group of inputs (the quotas, the questions)."""
    start = html.find(f'data-errors-for="{group}"')
    assert start != -1, f"no errors on {group}"
    return html[start : html.find("</div></div>", start)]


def new_url(startup) -> str:
    return f"/testers/startups/{startup.id}/campaigns/new"


def invitations(campaign_id: int) -> list[CampaignInvitation]:
    return list(
        db.session.scalars(
            select(CampaignInvitation).where(CampaignInvitation.campaign_id == campaign_id)
        )
    )


# --- the whole life through the pages --------------------------------------------------------


def test_a_founder_asks_staff_approve_send_a_wave_and_close(team, login_as):
    client = login_as(team.founder)
    home = page(client.get("/"))
    assert "Test with customers" in home
    assert new_url(team.startup) in home  # the button to ask

    form = page(client.get(new_url(team.startup)))
    assert "Ask for a test with customers" in form
    assert "System Usability Scale" in form and "Net Promoter Score" in form
    assert form.count('name="quota_attribute_') == 5 and form.count('name="question_kind_') == 5

    asked = client.post(new_url(team.startup), data=form_data())
    assert asked.status_code == 302
    (campaign,) = campaigns_of(team.startup)
    assert asked.headers["Location"].endswith(f"/testers/campaigns/{campaign.id}")
    assert campaign.status == CS.REQUESTED and campaign.requested_by_id == team.founder.id
    assert campaign.criteria == {"country": ["BE", "FR"], "os": ["android", "ios"]}
    assert campaign.quotas == [{"attribute": "os", "value": "ios", "at_least": 2}]
    assert campaign.questions == [
        {
            "kind": "single",
            "text": "Quel moyen de paiement avez-vous utilisé ?",
            "choices": ["Carte", "Portefeuille"],
        }
    ]
    to_staff = db.session.scalars(
        select(OutboxEmail.subject).where(OutboxEmail.to == team.staff.email)
    )
    assert any("Société Éclair" in subject for subject in to_staff)

    shown = page(client.get(f"/testers/campaigns/{campaign.id}"))
    assert 'data-campaign-status="requested"' in shown and "Awaiting approval" in shown
    assert "Operating system: iOS" in shown and "Carte" in shown
    assert "Hélène Fondatrice asked for a test with the panel" in shown
    assert "/approve" not in shown and "/wave" not in shown  # staff acts only
    assert f"/testers/campaigns/{campaign.id}/edit" in shown  # the founder edits while asked
    assert f'data-campaign="{campaign.id}"' in page(client.get("/"))

    staff = login_as(team.staff)
    staff_home = page(staff.get("/"))
    assert "1 test awaiting approval" in staff_home and "Paiement de l'appli" in staff_home
    staff_page = page(staff.get(f"/testers/campaigns/{campaign.id}"))
    assert "Approve the test" in staff_page and "Decline with a reason" in staff_page
    approved = staff.post(f"/testers/campaigns/{campaign.id}/approve")
    assert approved.status_code == 302
    assert fresh(campaign.id).status == CS.APPROVED
    assert "Sam Staff approved the test" in page(staff.get(f"/testers/campaigns/{campaign.id}"))

    panel = [factories.make_tester(os="ios", country="FR") for _ in range(5)]
    panel += [factories.make_tester(os="android", country="BE") for _ in range(2)]
    factories.make_tester(os="ios", country="US")  # outside the target
    sent = staff.post(f"/testers/campaigns/{campaign.id}/wave")
    assert sent.status_code == 302
    invited = invitations(campaign.id)
    assert {i.tester_id for i in invited} == {t.id for t in panel}
    assert {i.wave for i in invited} == {1}
    mails = list(
        db.session.scalars(select(OutboxEmail).where(OutboxEmail.to.in_([t.email for t in panel])))
    )
    assert len(mails) == 7
    for mail in mails:
        assert mail.headers["List-Unsubscribe"].startswith("<http")
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    after = page(staff.get(f"/testers/campaigns/{campaign.id}"))
    assert 'data-campaign-status="running"' in after
    assert 'data-wave="1"' in after and '<td class="text-end" data-invited>7</td>' in after
    assert 'data-figure="invited">7</dd>' in after and "data-figure=&#34;" not in after
    assert "invited 7 testers" in after
    assert "Running" in page(staff.get("/")) and "0 of 10 responses" in page(staff.get("/"))

    closed = login_as(team.founder).post(f"/testers/campaigns/{campaign.id}/close")
    assert closed.status_code == 302
    assert fresh(campaign.id).status == CS.CLOSED
    final = page(client.get(f"/testers/campaigns/{campaign.id}"))
    assert "Hélène Fondatrice closed the test" in final and "/close" not in final
    for tester in panel:
        assert tester.email not in final  # a founder never reads who was invited


def test_staff_ask_on_a_startups_behalf(team, login_as):
    client = login_as(team.staff)
    startup_page = page(client.get(f"/reports/startups/{team.startup.id}"))
    assert "Ask for a test on its behalf" in startup_page and new_url(team.startup) in startup_page
    assert client.get(new_url(team.startup)).status_code == 200
    assert client.post(new_url(team.startup), data=form_data()).status_code == 302
    (campaign,) = campaigns_of(team.startup)
    assert campaign.requested_by_id == team.staff.id
    listed = page(client.get(f"/reports/startups/{team.startup.id}"))
    assert f'data-campaign="{campaign.id}"' in listed and "Awaiting approval" in listed


def test_a_startup_in_no_cohort_cannot_ask(db, login_as):
    founder = factories.make_user(role="founder", name="Nina Nouvelle")
    startup = factories.make_startup(name="Pas Encore", founders=[founder])
    client = login_as(founder)
    assert "Test with customers" not in page(client.get("/"))
    refused = client.get(new_url(startup))
    assert refused.status_code == 409
    assert "Only a startup enrolled in a cohort can test with the panel." in page(refused)


# --- who sees and does what ------------------------------------------------------------------


def test_only_the_startups_founders_and_staff_see_a_campaign(team, login_as):
    campaign = factories.make_campaign(startup=team.startup, status="approved", actor=team.staff)
    url = f"/testers/campaigns/{campaign.id}"
    client = login_as(team.other_founder)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/close").status_code == 404
    assert client.get(new_url(team.startup)).status_code == 404
    assert client.post(new_url(team.startup), data=form_data()).status_code == 404
    assert "Société Éclair" not in page(client.get("/"))
    for outsider in (team.mentor, team.partner):
        client = login_as(outsider)
        assert client.get(url).status_code == 403
        assert client.get(new_url(team.startup)).status_code == 403
        assert client.get("/testers/campaigns").status_code == 403
    founder = login_as(team.founder)
    assert founder.get("/testers/campaigns").status_code == 403
    assert founder.post(f"{url}/approve").status_code == 403
    assert founder.post(f"{url}/wave").status_code == 403
    assert founder.post(f"{url}/decline", data={"reason": "Non"}).status_code == 403
    assert fresh(campaign.id).status == CS.APPROVED


def test_the_testers_links_are_for_staff(team, login_as):
    staff_home = page(login_as(team.staff).get("/"))
    founder_home = page(login_as(team.founder).get("/"))
    for link in ('href="/testers/campaigns"', 'href="/testers/panel"'):
        assert link in staff_home and link not in founder_home


# --- bad input: beside the field, everything typed kept --------------------------------------


def test_impossible_quotas_are_refused_beside_them_with_everything_kept(team, login_as):
    client = login_as(team.founder)
    data = form_data(
        quota_attribute_2="os",
        quota_value_2="android",
        quota_2="6",
        quota_1="6",
        question_kind_2="multiple",
        question_2="Qu'avez-vous aimé ?",
        question_choices_2="Rapidité\nClarté\nPrix",
    )
    refused = client.post(new_url(team.startup), data=data)
    assert refused.status_code == 422
    html = page(refused)
    assert "add up to 12, more than the 10 responses wanted" in group_error(html, "quotas")
    assert campaigns_of(team.startup) == []
    # Everything typed is still there.
    assert 'value="Paiement de l\'appli Société Éclair"' in html
    assert 'value="fr, be"' in html
    assert 'value="ios" checked' in html and 'value="android" checked' in html
    assert 'value="windows" checked' not in html
    assert 'value="6"' in html
    assert "Rapidité\nClarté\nPrix" in html
    assert 'value="Qu\'avez-vous aimé ?"' in html


def test_a_quota_row_is_refused_beside_it(team, login_as):
    client = login_as(team.founder)
    refused = client.post(
        new_url(team.startup), data=form_data(quota_value_1="BlackBerry", quota_1="3")
    )
    assert refused.status_code == 422
    html = page(refused)
    assert error_beside(html, "quota_1", "Unknown value for this quota: BlackBerry.")
    assert 'value="BlackBerry"' in html


def test_each_field_is_refused_beside_it(team, login_as):
    client = login_as(team.founder)
    data = form_data(
        title="",
        description="",
        responses_wanted="0",
        closes_on=(TODAY - timedelta(days=1)).isoformat(),
        criteria_os=["ios", "symbian"],
        question_kind_1="single",
        question_choices_1="Une seule",
    )
    refused = client.post(new_url(team.startup), data=data)
    assert refused.status_code == 422
    html = page(refused)
    assert error_beside(html, "title", "Give the test a title.")
    assert error_beside(html, "responses_wanted", "Ask for between 1 and 5000 responses.")
    assert error_beside(html, "closes_on", "The test cannot close in the past.")
    assert "Unknown operating system: symbian." in criterion_error(html, "criteria_os")
    assert error_beside(html, "question_1", "Give between 2 and 10 choices, one per line.")
    assert "Une seule" in html
    assert campaigns_of(team.startup) == []

    link = client.post(new_url(team.startup), data=form_data(test_url="ftp://eclair"))
    assert link.status_code == 422
    assert error_beside(page(link), "test_url", "Enter a link starting with https://.")
    assert 'value="ftp://eclair"' in page(link)
    nothing = client.post(new_url(team.startup), data=form_data(test_url="", description=""))
    assert error_beside(
        page(nothing), "description", "Give a link to test, an app build link or a description."
    )


def test_junk_numbers_and_dates_come_back_beside_their_fields(team, login_as):
    client = login_as(team.founder)
    refused = client.post(
        new_url(team.startup),
        data=form_data(responses_wanted="dix", opens_on="demain", quota_1="99999999999999999999"),
    )
    assert refused.status_code == 422
    html = page(refused)
    assert error_beside(html, "responses_wanted", "Not a valid integer value.")
    assert error_beside(html, "opens_on", "Not a valid date value.")
    assert 'value="dix"' in html


# --- refused moves (409) and the decline's reason ---------------------------------------------


def test_a_wave_with_quotas_no_free_tester_can_meet_is_refused_naming_them(team, login_as):
    campaign = factories.make_campaign(
        startup=team.startup,
        status="approved",
        actor=team.staff,
        quotas=[QuotaInput("os", "android", 2)],
    )
    for _ in range(3):
        factories.make_tester(os="ios")
    db.session.commit()
    refused = login_as(team.staff).post(f"/testers/campaigns/{campaign.id}/wave")
    assert refused.status_code == 409
    html = page(refused)
    assert "These quotas cannot be met together" in html
    assert "Operating system Android: at least" in html
    assert invitations(campaign.id) == [] and fresh(campaign.id).status == CS.APPROVED


def test_a_wave_with_no_tester_free_is_refused(team, login_as):
    campaign = factories.make_campaign(startup=team.startup, status="approved", actor=team.staff)
    refused = login_as(team.staff).post(f"/testers/campaigns/{campaign.id}/wave")
    assert refused.status_code == 409
    assert "No tester matching the target is free to invite now." in page(refused)


def test_a_decline_needs_a_reason(team, login_as):
    campaign = factories.make_campaign(startup=team.startup, actor=team.staff)
    client = login_as(team.staff)
    url = f"/testers/campaigns/{campaign.id}/decline"
    refused = client.post(url, data={"reason": "  "})
    assert refused.status_code == 422
    html = page(refused)
    assert error_beside(html, "reason", "Say why the test is declined.")
    assert '<details class="w-100" open>' in html  # the form comes back open
    assert fresh(campaign.id).status == CS.REQUESTED
    declined = client.post(url, data={"reason": "Le panel est réservé aux produits lancés."})
    assert declined.status_code == 302
    assert fresh(campaign.id).status == CS.DECLINED
    founder_page = page(login_as(team.founder).get(f"/testers/campaigns/{campaign.id}"))
    assert "Reason: Le panel est réservé aux produits lancés." in founder_page
    again = login_as(team.staff).post(url, data={"reason": "Encore"})
    assert again.status_code == 409
    assert "This campaign was declined." in page(again)


def test_refused_moves_answer_409_with_the_message(team, login_as):
    closed = factories.make_campaign(startup=team.startup, status="closed", actor=team.staff)
    client = login_as(team.staff)
    for act in ("approve", "close", "wave"):
        refused = client.post(f"/testers/campaigns/{closed.id}/{act}")
        assert refused.status_code == 409, act
        assert "This campaign is closed." in page(refused)
    assert client.get(f"/testers/campaigns/{closed.id}/edit").status_code == 409


# --- editing ----------------------------------------------------------------------------------


def test_founders_edit_while_asked_and_staff_until_it_runs(team, login_as):
    campaign = factories.make_campaign(startup=team.startup, actor=team.founder)
    url = f"/testers/campaigns/{campaign.id}/edit"
    client = login_as(team.founder)
    shown = page(client.get(url))
    assert 'value="Checkout of the Société Éclair app"' in shown
    assert 'value="iOS"' in shown and 'value="FR"' in shown  # saved quota and target shown
    assert "Card\nWallet" in shown
    saved = client.post(url, data=form_data(title="Paiement, deuxième essai"))
    assert saved.status_code == 302
    assert fresh(campaign.id).title == "Paiement, deuxième essai"
    history = page(client.get(f"/testers/campaigns/{campaign.id}"))
    assert "Hélène Fondatrice changed the test “Paiement, deuxième essai”." in history

    refused = client.post(url, data=form_data(responses_wanted="0"))
    assert refused.status_code == 422
    assert error_beside(page(refused), "responses_wanted", "Ask for between 1 and 5000")

    login_as(team.staff).post(f"/testers/campaigns/{campaign.id}/approve")
    too_late = login_as(team.founder).get(url)
    assert too_late.status_code == 409
    assert "Only program staff can change a test once it is approved." in page(too_late)
    assert "/edit" not in page(client.get(f"/testers/campaigns/{campaign.id}"))
    staff = login_as(team.staff)
    assert staff.get(url).status_code == 200
    assert staff.post(url, data=form_data(responses_wanted="20")).status_code == 302
    assert fresh(campaign.id).responses_wanted == 20


# --- the staff list ---------------------------------------------------------------------------


def test_the_staff_list_puts_those_awaiting_approval_first_and_filters(team, login_as, app):
    approved = factories.make_campaign(
        startup=team.startup, status="approved", actor=team.staff, title="Approuvé d'abord"
    )
    asked = factories.make_campaign(
        startup=team.other_startup, actor=team.staff, title="Lumen attend"
    )
    factories.make_campaign(startup=team.startup, status="declined", actor=team.staff)
    client = login_as(team.staff)
    html = page(client.get("/testers/campaigns"))
    assert html.index("Lumen attend") < html.index("Approuvé d'abord")
    assert 'data-status="requested"' in html
    only_approved = page(client.get("/testers/campaigns?status=approved"))
    assert "Approuvé d'abord" in only_approved and "Lumen attend" not in only_approved
    other_cohort = page(client.get(f"/testers/campaigns?cohort={fresh(asked.id).cohort_id}"))
    assert "Lumen attend" in other_cohort and "Approuvé d'abord" not in other_cohort
    junk = client.get("/testers/campaigns?status=nope&cohort=x&page=-3")
    assert junk.status_code == 200 and "Approuvé d'abord" in page(junk)
    assert approved.id

    app.config["PER_PAGE"], per_page = 2, app.config["PER_PAGE"]
    try:
        first = page(client.get("/testers/campaigns"))
        second = page(client.get("/testers/campaigns?page=2"))
    finally:
        app.config["PER_PAGE"] = per_page
    assert first.count("data-campaign=") == 2 and second.count("data-campaign=") == 1
    assert "Page 1 of 2" in first and "3 in all" in first


def test_an_empty_list_says_so(team, login_as):
    html = page(login_as(team.staff).get("/testers/campaigns"))
    assert "No test here." in html


def test_pages_read_a_fixed_number_of_statements(team, login_as, count_queries):
    def fill(count):
        for _ in range(count):
            factories.make_campaign(startup=team.startup, status="approved", actor=team.staff)
            factories.make_campaign(startup=team.other_startup, actor=team.staff)
        db.session.commit()

    def measure(client, urls=("/testers/campaigns", "/")):
        counts = []
        for url in urls:
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    fill(1)
    staff, founder = measure(login_as(team.staff)), measure(login_as(team.founder), ["/"])
    fill(4)
    assert measure(login_as(team.staff)) == staff
    assert measure(login_as(team.founder), ["/"]) == founder


def test_the_campaign_page_reads_a_fixed_number_of_statements(team, login_as, count_queries):
    from accelerator.testers import services

    campaign = factories.make_campaign(startup=team.startup, status="approved", actor=team.staff)
    url = f"/testers/campaigns/{campaign.id}"

    def wave(count):
        for _ in range(count):
            factories.make_tester(os="ios")
        services.send_wave(db.session.get(Campaign, campaign.id), actor=team.staff)
        db.session.commit()

    def measure():
        counts = []
        for user in (team.staff, team.founder):
            client = login_as(user)
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    wave(2)
    small = measure()
    wave(6)
    wave(3)
    assert 'data-wave="3"' in page(login_as(team.staff).get(url))
    assert measure() == small


def test_the_founders_card_counts_older_campaigns_only_when_it_is_full(
    team, login_as, count_queries
):
    """The card lists the ten newest campaigns and says how many older ones there are; with
    room left on the card, its rows are all of them and nothing is counted."""
    factories.make_campaign(startup=team.startup, title="Première vague")
    db.session.commit()
    client = login_as(team.founder)
    with count_queries() as counter:
        home = page(client.get("/"))
    assert "Première vague" in home and "older ones" not in home
    assert not any("count(test_campaigns.id)" in s for s in counter.statements)
    for n in range(10):
        factories.make_campaign(startup=team.startup, title=f"Vague {n}")
    db.session.commit()
    home = page(client.get("/"))
    assert "And 1 older ones." in home and "Première vague" not in home
